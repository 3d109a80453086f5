// The digest in Debian's Chromium: the mail at 600, 390, 360 and 320px fits the
// screen and draws its trend bars; the archive (list and web version) loads
// under its content security policy with no console errors and passes axe.
// Screenshots go to test/e2e/__screenshots__/ (ignored by git).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, SHOTS } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_ISSUE_CSP, createArchive } from '../../src/digest/archive-pages.tsx';
import { composeIssue } from '../../src/digest/compose.ts';
import { linkSuffixer } from '../../src/digest/links.ts';
import { compileSegment, fillRecipient } from '../../src/digest/render.ts';
import { recipientUrls } from '../../src/digest/renderer.ts';
import { saveIssue } from '../../src/digest/store.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/ui/styles.ts';
import { startServer, type RunningServer } from '../../src/web/serve.ts';
import { createApp } from '../../src/web/app.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import { createLogger } from '../../src/log.ts';
import { digestWeeks } from '../support/digest-weeks.ts';
import { freshPglite, type TestDatabase } from '../support/db.ts';

const SECRET = 'e2e-digest-secret-0123456789abcdef';
const POSTAL = 'Salary Trends Digest, 1 Example Street, Springfield';

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

async function seriousAxe(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the digest in Chromium', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let mailHtml: string;

  beforeAll(async () => {
    db = await freshPglite();
    const weeks = digestWeeks();
    const content = composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: 'http://127.0.0.1' });
    const { issue } = await saveIssue(db.pool, content);
    await db.pool.query(`UPDATE issues SET status = 'sent', sent_at = now() WHERE id = $1`, [issue.id]);
    const compiled = await compileSegment(content, ['data-scientist'], { publicUrl: 'http://127.0.0.1', postalAddress: POSTAL, linkSuffix: linkSuffixer(SECRET, issue.id) });
    mailHtml = fillRecipient(compiled, recipientUrls('http://127.0.0.1', SECRET, issue, 1)).html;

    // The archive routes as the service mounts them: the real app (the site's
    // security headers) with the operator routes, so the list gets the site's
    // policy and the web version keeps ARCHIVE_ISSUE_CSP (inline styles only).
    const archive = createArchive({ pool: db.pool, publicUrl: 'http://127.0.0.1', postalAddress: POSTAL });
    const log = createLogger({ logLevel: 'silent' });
    const app = createApp({
      pool: db.pool,
      config: { publicUrl: 'http://127.0.0.1' },
      log,
      mount: (a) =>
        mountOperatorRoutes(a, { pool: db.pool, secret: SECRET, archive, adminToken: undefined, webhookSecret: undefined, metrics: createMetrics(), log }),
    });
    server = await startServer(app, 0, '127.0.0.1');
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  for (const width of [600, 390, 360, 320]) {
    it(`the mail fits ${width}px and draws its trend bars`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1, javaScriptEnabled: true });
      const page = await context.newPage();
      try {
        // Mail clients load no remote content unasked; nothing here needs any.
        await page.route('**/*', (r) => r.abort());
        await page.setContent(mailHtml, { waitUntil: 'load' });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        // Every cell of the salary-shifts table lies inside the screen, not just the page.
        const cells = await page.locator('table:has(th) > tbody > tr > td').evaluateAll((tds) =>
          tds.map((td) => ({ left: td.getBoundingClientRect().left, right: td.getBoundingClientRect().right, text: (td.textContent ?? '').trim().slice(0, 40) })),
        );
        expect(cells.length).toBeGreaterThanOrEqual(12 * 5);
        for (const c of cells) expect([c.left >= 0, c.right <= width], c.text).toEqual([true, true]);
        const bars = page.locator('table[aria-label^="Median over the last 8 weeks"] td');
        expect(await bars.count()).toBe(12 * 8);
        const tallest = await bars.evaluateAll((tds) => Math.max(...tds.map((td) => td.getBoundingClientRect().height)));
        expect(tallest).toBeGreaterThanOrEqual(24);
        const button = page.getByRole('link', { name: 'Compare the two roles' }).first();
        expect(await button.isVisible()).toBe(true);
        await page.screenshot({ path: path.join(SHOTS, `digest-mail-${width}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }

  it('the archive list and the web version load, styled, with no errors', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems = watch(page);
    try {
      const res = await page.goto(`${server.url}/issues`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.locator('h1').textContent()).toBe('Past issues');
      expect(await seriousAxe(page)).toEqual([]);
      const [issueRes] = await Promise.all([
        page.waitForResponse((r) => /\/issues\/2026-W47$/.test(r.url())),
        page.waitForURL(/\/issues\/2026-W47$/),
        page.getByRole('link', { name: /2026-W47/ }).click(),
      ]);
      expect(issueRes.headers()['content-security-policy']).toBe(ARCHIVE_ISSUE_CSP);
      expect(await page.getByText('Data Engineer median pay rose $18K').isVisible()).toBe(true);
      // Inline styles applied under the policy: the header band is dark.
      const bg = await page.getByText('Track AI Salary Trends', { exact: true }).evaluate((el) => {
        let n: Element | null = el;
        while (n && getComputedStyle(n).backgroundColor === 'rgba(0, 0, 0, 0)') n = n.parentElement;
        return n ? getComputedStyle(n).backgroundColor : '';
      });
      expect(bg).toBe('rgb(15, 23, 42)');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await page.locator('a[href*="/l/"], a[href*="/unsubscribe/"]').count()).toBe(0);
      await page.screenshot({ path: path.join(SHOTS, 'digest-archive-390.png'), fullPage: true });
      expect(await seriousAxe(page)).toEqual([]);
      expect(problems).toEqual([]);
      expect((await page.goto(`${server.url}/issues/2026-W01`))?.status()).toBe(404);
    } finally {
      await context.close();
    }
  });
});
