// A reader's whole path in Chromium, against the real app, delivery worker
// and outbox: subscribe on `/` choosing two roles, read the confirmation
// .eml from the outbox, open its link and press its one button (a GET alone
// confirms nothing), see the welcome page, change roles on the preferences
// page, unsubscribe with the button (no mail follows). The database is
// checked after every step; screenshots go to test/e2e/__screenshots__/.
import { mkdirSync, mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, SHOTS } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/web/app.ts';
import { startServer, type RunningServer } from '../../src/web/serve.ts';
import { enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { startWorker, type RunningWorker } from '../../src/delivery/worker.ts';
import { mountSubscriptionRoutes, type SubscriptionRouteDeps } from '../../src/subscribers/routes.ts';
import { startSubscribeRequestWorker, wakeWith, type RunningRequestWorker } from '../../src/subscribers/request-worker.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { makeDeps } from '../support/delivery-fixtures.ts';

const EMAIL = 'e2e.reader@example.com';

interface OutboxLine {
  file: string;
  to: string;
  subject: string;
  kind: string;
}

describe('subscribing in Chromium', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let worker: RunningWorker;
  let requests: RunningRequestWorker;
  let outbox: string;
  let stopBoss: () => Promise<void>;

  beforeAll(async () => {
    db = await freshPostgres();
    outbox = mkdtempSync(path.join(tmpdir(), 'std-outbox-'));
    const workerDeps = await makeDeps({ pool: db.pool, kind: 'postgres', outboxDir: outbox });
    workerDeps.log = { info() {}, warn: (o, m) => console.warn(m, o), error: (o, m) => console.error(m, o) };
    const boss = workerDeps.boss;
    stopBoss = () => boss.stop({ graceful: false, close: false });
    worker = startWorker(workerDeps);
    const deps: SubscriptionRouteDeps = {
      pool: db.pool,
      enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
      wake: wakeWith(boss),
      secret: 'e2e-secret-0123456789abcdef0123456789',
      publicUrl: 'http://127.0.0.1', // set to the server's address below
      postalAddress: 'Salary Trends Digest, 1 Test Street, Testville',
    };
    server = await startServer(createApp({ pool: db.pool, config: { publicUrl: 'http://127.0.0.1' }, mount: (app) => mountSubscriptionRoutes(app, deps) }), 0, '127.0.0.1');
    deps.publicUrl = server.url;
    requests = startSubscribeRequestWorker({ ...deps, boss, idlePollMs: 100 });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await requests?.stop();
    await worker?.stop({ abort: true });
    await stopBoss?.().catch(() => {});
    await db?.close();
    if (outbox) rmSync(outbox, { recursive: true, force: true });
  });

  async function row() {
    const { rows } = await db.pool.query(`SELECT status, roles, confirmed_at, unsubscribed_at FROM subscribers WHERE email = $1`, [EMAIL]);
    return rows[0];
  }

  /** Wait for the outbox to hold a mail of `kind` to the reader; returns its parsed text. */
  async function mailOf(kind: string): Promise<{ text: string; headers: Map<string, unknown> }> {
    const index = path.join(outbox, 'index.jsonl');
    let line: OutboxLine | undefined;
    await expect
      .poll(
        () => {
          if (!existsSync(index)) return undefined;
          const lines = readFileSync(index, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as OutboxLine);
          line = lines.find((l) => l.kind === kind && l.to === EMAIL);
          return line?.kind;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(kind);
    const parsed = await simpleParser(readFileSync(path.join(outbox, line!.file)));
    return { text: parsed.text ?? '', headers: parsed.headers as Map<string, unknown> };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `subscribe-${name}.png`), fullPage: true });

  it('subscribes, confirms from the mail, changes roles and unsubscribes', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });

    // 1. Subscribe on the landing page with two roles.
    await page.goto(`${server.url}/`);
    await page.locator('#email').fill(EMAIL);
    await page.locator('input[name="roles[]"][value="mlops-engineer"]').check();
    await page.locator('input[name="roles[]"][value="data-scientist"]').check();
    await shot(page, '1-form');
    await page.locator('form.subscribe button[type="submit"]').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    await shot(page, '2-check-inbox');
    // The form's answer comes before the request worker stores the reader (every address gets the same answer at the same speed).
    await expect.poll(row).toMatchObject({ status: 'pending', roles: ['mlops-engineer', 'data-scientist'], confirmed_at: null });

    // 2. The confirmation mail in the outbox; open its link.
    const confirm = await mailOf('confirm');
    const confirmUrl = /(http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_.-]+)/.exec(confirm.text)?.[1];
    expect(confirmUrl).toBeDefined();
    await page.goto(confirmUrl!);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Confirm your subscription');
    expect(await row()).toMatchObject({ status: 'pending', confirmed_at: null });
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are subscribed');
    expect(await page.locator('#following').textContent()).toContain('MLOps Engineer, Data Scientist');
    await shot(page, '3-welcome');
    expect(await row()).toMatchObject({ status: 'active', confirmed_at: expect.any(Date) });
    const welcome = await mailOf('welcome');

    // 3. Preferences: follow Data Engineer instead of MLOps Engineer.
    await page.getByRole('link', { name: 'Change my preferences' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Your preferences');
    await page.locator('input[name="roles[]"][value="mlops-engineer"]').uncheck();
    await page.locator('input[name="roles[]"][value="data-engineer"]').check();
    await page.getByRole('button', { name: 'Save my roles' }).click();
    await expect.poll(() => page.locator('[role="status"]').textContent()).toContain('Saved');
    await shot(page, '4-preferences');
    expect(await row()).toMatchObject({ status: 'active', roles: ['data-scientist', 'data-engineer'] });

    // 4. Unsubscribe from the welcome mail's link: the page alone changes nothing, the button does.
    const unsubscribeUrl = /(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[A-Za-z0-9_.-]+)/.exec(welcome.text)?.[1];
    expect(unsubscribeUrl).toBeDefined();
    await page.goto(unsubscribeUrl!);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Unsubscribe from the digest?');
    await shot(page, '5-unsubscribe-page');
    expect(await row()).toMatchObject({ status: 'active' });
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are unsubscribed');
    await shot(page, '6-unsubscribed');
    expect(await row()).toMatchObject({ status: 'unsubscribed', unsubscribed_at: expect.any(Date) });
    // Nothing is mailed after an unsubscribe: the outbox holds the confirmation and the welcome only.
    await new Promise((r) => setTimeout(r, 1500));
    const sent = readFileSync(path.join(outbox, 'index.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as OutboxLine).kind);
    expect(sent).toEqual(['confirm', 'welcome']);

    expect(problems).toEqual([]);
    await context.close();
  });
});
