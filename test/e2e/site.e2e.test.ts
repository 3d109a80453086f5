// The site in Debian's Chromium: the landing page, a comparison page and a
// role page load without console errors, show their chart, pass axe with no
// serious or critical violations, and fit a 390px-wide phone screen.
// Screenshots go to test/e2e/__screenshots__/ (ignored by git).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser } from 'playwright-core';
import { launchChromium, SHOTS } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo/load.ts';
import { createApp } from '../../src/web/app.ts';
import { startServer, type RunningServer } from '../../src/web/serve.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';


const PAGES = [
  { name: 'landing', path: '/', heading: 'Track AI Salary Trends' },
  { name: 'compare', path: '/compare/mlops-engineer-vs-ai-software-engineer', heading: 'MLOps Engineer vs AI Software Engineer' },
  { name: 'role', path: '/roles/mlops-engineer', heading: 'MLOps Engineer' },
];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

describe('the site in Chromium', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: 8, endWeek: '2026-W47', tz: 'UTC' });
    server = await startServer(createApp({ pool: db.pool, config: { publicUrl: 'http://127.0.0.1' } }), 0, '127.0.0.1');
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  for (const vp of VIEWPORTS) {
    for (const p of PAGES) {
      it(`${p.name} page at ${vp.width}px`, async () => {
        const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, deviceScaleFactor: 1 });
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (msg) => {
          if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
        });
        page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
        page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
        page.on('response', (res) => {
          if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
        });
        try {
          const res = await page.goto(`${server.url}${p.path}`, { waitUntil: 'load' });
          expect(res?.status()).toBe(200);
          await expect.poll(() => page.locator('h1').first().textContent()).toBe(p.heading);

          // The chart is drawn and on screen, with a real size (of its wide and
          // narrow drawings, the one this screen shows).
          const chart = page.locator('svg[data-chart="trend"]:visible').first();
          expect(await chart.isVisible()).toBe(true);
          const box = (await chart.boundingBox())!;
          expect(box.width).toBeGreaterThan(Math.min(300, vp.width - 80));
          expect(box.height).toBeGreaterThan(100);
          expect(await chart.locator('polyline, circle').count()).toBeGreaterThan(0);

          // Nothing wider than the screen except inside scrollable tables.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow).toBeLessThanOrEqual(0);

          await page.screenshot({ path: path.join(SHOTS, `${p.name}-${vp.name}.png`), fullPage: true });

          const axe = await new AxeBuilder({ page }).analyze();
          const bad = axe.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          expect(bad).toEqual([]);
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('the comparison page works from the keyboard: the week form changes the week', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/compare/mlops-engineer-vs-ai-software-engineer`);
      await page.selectOption('select[name="week"]', '2026-W45');
      await Promise.all([page.waitForURL(/week=2026-W45/), page.getByRole('button', { name: 'Show week' }).click()]);
      expect(await page.locator('.lede').textContent()).toContain('week 45 of 2026');
    } finally {
      await context.close();
    }
  });
});
