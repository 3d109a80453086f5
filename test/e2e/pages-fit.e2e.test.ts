// Every page type in Chromium on 360px and 390px phones and a 1280px desktop: no table
// scrolls sideways, no text is cut, chart labels render at >= 11px, data
// tables keep their table semantics (Chromium's accessibility tree), axe finds
// nothing serious, and a full-page screenshot goes to test/e2e/__screenshots__/
// (ignored by git) as fit-<page>-<width>.png. The pages: landing, comparison
// index and several pairs (long names, thin samples, an older week), role
// pages, the archive and one issue's web version, the subscribe answers
// (check your inbox, the form with an error), confirm (welcome), preferences,
// unsubscribe (prompt and done), the 404 page and the operator's admin page.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../src/digest/archive-pages.tsx';
import { composeIssue } from '../../src/digest/compose.ts';
import { saveIssue } from '../../src/digest/store.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import type { TransactionalMail } from '../../src/delivery/enqueue.ts';
import { createLogger } from '../../src/log.ts';
import { mountSubscriptionRoutes } from '../../src/subscribers/routes.ts';
import { drainSubscribeRequests } from '../../src/subscribers/subscribe.ts';
import type { SubscriptionDeps } from '../../src/subscribers/deps.ts';
import { subscriberLinks } from '../../src/subscribers/tokens.ts';
import { createApp } from '../../src/web/app.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import { startServer, type RunningServer } from '../../src/web/serve.ts';
import { launchChromium, SHOTS } from '../support/browser.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { digestWeeks } from '../support/digest-weeks.ts';
import { fitReport, tableSemantics } from '../support/page-fit.ts';

const SECRET = 'e2e-fit-secret-0123456789abcdef0123';
const ADMIN_TOKEN = 'e2e-fit-admin-token';
const POSTAL = 'Salary Trends Digest, 1 Example Street, Springfield';
const VIEWPORTS = [360, 390, 1280];

/**
 * Pages reached by URL; `status` when it is not 200. Axe runs once per page
 * type and width (`axe: false` on further pages of a type: same markup).
 */
const PAGES: { name: string; path: string; status?: number; axe?: false }[] = [
  { name: 'landing', path: '/' },
  { name: 'compare-index', path: '/compare' },
  { name: 'compare-cv-mlrs', path: '/compare/ml-research-scientist-vs-computer-vision-engineer' },
  { name: 'compare-aipm-prompt', path: '/compare/prompt-engineer-vs-ai-product-manager', axe: false },
  { name: 'compare-aiml-devops-w44', path: '/compare/devops-engineer-vs-ai-ml-engineer?week=2026-W44', axe: false },
  { name: 'role-mlops', path: '/roles/mlops-engineer' },
  { name: 'role-cv', path: '/roles/computer-vision-engineer', axe: false },
  { name: 'archive', path: '/issues' },
  { name: 'issue', path: '/issues/2026-W47' },
  { name: 'not-found', path: '/roles/no-such-role', status: 404 },
  { name: 'admin', path: `/admin?token=${ADMIN_TOKEN}` },
];

describe('every page fits a phone and a desktop', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  const mails: TransactionalMail[] = [];
  // The subscription code's dependencies; a subscribe request is decided by a job, drained here after each POST.
  const subDeps = (): SubscriptionDeps => ({
    pool: db.pool,
    enqueueMail: async (_client, mail) => mails.push(mail),
    secret: SECRET,
    publicUrl: 'http://127.0.0.1',
    postalAddress: POSTAL,
  });

  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: 8, endWeek: '2026-W47', tz: 'UTC' });
    const weeks = digestWeeks();
    const content = composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: 'http://127.0.0.1' });
    const { issue } = await saveIssue(db.pool, content);
    await db.pool.query(`UPDATE issues SET status = 'sent', sent_at = now() WHERE id = $1`, [issue.id]);

    const log = createLogger({ logLevel: 'silent' });
    const archive = createArchive({ pool: db.pool, publicUrl: 'http://127.0.0.1', postalAddress: POSTAL });
    const app = createApp({
      pool: db.pool,
      config: { publicUrl: 'http://127.0.0.1' },
      log,
      mount: (a) => {
        // Mails are only recorded: this file looks at pages; subscribe.e2e delivers them.
        mountSubscriptionRoutes(a, subDeps());
        mountOperatorRoutes(a, { pool: db.pool, secret: SECRET, archive, adminToken: ADMIN_TOKEN, webhookSecret: undefined, metrics: createMetrics(), log });
      },
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

  /** Check the page as it stands and screenshot it; axe too unless told not to. */
  async function inspect(page: Page, name: string, width: number, opts: { axe?: boolean } = {}): Promise<void> {
    const report = await fitReport(page);
    await page.screenshot({ path: path.join(SHOTS, `fit-${name}-${width}.png`), fullPage: true });
    expect(report.checked.texts, 'text nodes checked').toBeGreaterThan(3);
    // Reflowed or not, data tables stay tables with column headers for screen readers.
    const sem = await tableSemantics(page);
    expect({ tables: sem.axTables, headers: sem.axColumnHeaders }, `${name} at ${width}px: tables in the accessibility tree`).toEqual({
      tables: sem.domTables,
      headers: sem.domColumnHeaders,
    });
    const serious: string[] = [];
    if (opts.axe !== false) {
      const axe = await new AxeBuilder({ page }).analyze();
      for (const v of axe.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          serious.push(`axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
    }
    expect([...report.problems, ...serious], `${name} at ${width}px`).toEqual([]);
  }

  async function withPage(width: number, run: (page: Page, errors: string[]) => Promise<void>): Promise<void> {
    const context = await browser.newContext({ viewport: { width, height: 844 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // A 400 or 404 page is expected where a test asks for one; Chromium logs its status.
      if (m.type() === 'error' && !/status of (400|404)\b/.test(m.text())) errors.push(`console: ${m.text()}`);
    });
    try {
      await run(page, errors);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }

  it('the checks catch a table that scrolls, cut text, a squeezed chart label and headers lost to screen readers', async () => {
    await withPage(390, async (page) => {
      await page.setContent(`<!doctype html><html><head><meta name="viewport" content="width=device-width"></head><body style="margin:0">
        <div id="scroll" style="overflow-x:auto;width:200px"><table><tr><td style="white-space:nowrap">a cell far wider than its 200px box</td></tr></table></div>
        <div style="overflow:hidden;width:100px"><p style="white-space:nowrap;margin:0">text cut by its clipping box</p></div>
        <p style="position:relative;left:300px;margin:0">past the edge</p>
        <svg viewBox="0 0 640 100" style="width:300px"><text x="10" y="50" font-size="12">W47</text></svg>
        <p style="position:absolute;left:-999px">an off-screen skip link is fine</p>
      </body></html>`);
      const { problems, checked } = await fitReport(page);
      expect(checked).toMatchObject({ tables: 1, svgTexts: 1 });
      const text = problems.join('\n');
      expect(text).toMatch(/<div#scroll> scrolls sideways: scrollWidth \d+ > clientWidth 200/);
      expect(text).toMatch(/text "a cell far wider than its 200px box" is cut by <div#scroll>/);
      expect(text).toMatch(/text "text cut by its clipping box" is cut by <div>/);
      expect(text).toMatch(/<div> hides content sideways/);
      expect(text).toMatch(/text "past the edge" spans x 300\.\.\d+, outside the 390px viewport/);
      expect(text).toMatch(/chart label "W47" renders at 5\.6px/);
      expect(text).not.toMatch(/skip link/);

      // Column headers hidden with display:none are gone for screen readers too.
      await page.setContent(`<table><thead style="display:none"><tr><th scope="col">Role</th><th scope="col">Median</th></tr></thead>
        <tbody><tr><th scope="row">Data Engineer</th><td>$198K</td></tr></tbody></table>`);
      expect(await tableSemantics(page)).toMatchObject({ domTables: 1, axTables: 1, domColumnHeaders: 2, axColumnHeaders: 0 });
    });
  });

  for (const width of VIEWPORTS) {
    for (const p of PAGES) {
      it(`${p.name} at ${width}px`, { timeout: 120_000 }, async () => {
        await withPage(width, async (page) => {
          const res = await page.goto(`${server.url}${p.path}`, { waitUntil: 'load' });
          expect(res?.status()).toBe(p.status ?? 200);
          await inspect(page, p.name, width, { axe: p.axe });
        });
      });
    }

    it(`the subscribe answers, confirm, preferences and unsubscribe pages at ${width}px`, { timeout: 240_000 }, async () => {
      const email = `fit-${width}@example.com`;
      await withPage(width, async (page) => {
        // The landing form with a bad address: the form comes back with the error.
        await page.goto(`${server.url}/#subscribe`);
        await page.locator('#email').fill('not-an-address');
        await page.locator('form.subscribe button[type="submit"]').click();
        await expect.poll(() => page.locator('h1').textContent()).toBe('Please check the form');
        await inspect(page, 'subscribe-error', width);

        await page.locator('#email').fill(email);
        await page.locator('input[name="roles[]"][value="computer-vision-engineer"]').check();
        await page.locator('form.subscribe button[type="submit"]').click();
        await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
        await inspect(page, 'subscribe-check-inbox', width);
        await drainSubscribeRequests(subDeps());

        const { rows } = await db.pool.query<{ id: number }>(`SELECT id FROM subscribers WHERE email = $1`, [email]);
        const links = subscriberLinks(server.url, SECRET, rows[0]!.id);
        await page.goto(links.confirmUrl);
        // A GET only shows the button (link scanners follow GETs); pressing it confirms.
        await expect.poll(() => page.locator('h1').textContent()).toBe('Confirm your subscription');
        await inspect(page, 'confirm-prompt', width);
        await page.getByRole('button', { name: 'Confirm my subscription' }).click();
        await expect.poll(() => page.locator('h1').textContent()).toBe('You are subscribed');
        await inspect(page, 'confirm', width);

        await page.goto(links.preferencesUrl);
        await page.getByRole('button', { name: 'Save my roles' }).click();
        await expect.poll(() => page.locator('[role="status"]').textContent()).toContain('Saved');
        await inspect(page, 'preferences', width);

        await page.goto(links.unsubscribeUrl);
        await expect.poll(() => page.locator('h1').textContent()).toBe('Unsubscribe from the digest?');
        await inspect(page, 'unsubscribe', width);
        await page.getByRole('button', { name: 'Unsubscribe' }).click();
        await expect.poll(() => page.locator('h1').textContent()).toBe('You are unsubscribed');
        await inspect(page, 'unsubscribed', width);
      });
      expect(mails.some((m) => m.to === email && m.kind === 'confirm')).toBe(true);
    });
  }
});
