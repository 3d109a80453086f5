// The service's operator routes as startService mounts them (subscriptions +
// operator routes on the site app), over PostgreSQL with two demo weeks: the
// postings API and its token, admin and metrics, the weekly pipeline feeding
// the archive, and tracked-click fallbacks.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeeklyDigest, type WeeklyDigestDeps } from '../../jobs/weekly-digest.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import { enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { ARCHIVE_ISSUE_CSP, createArchive } from '../../src/digest/archive-pages.tsx';
import { createLogger } from '../../src/log.ts';
import { addSubscriber } from '../../src/subscribers/import-export.ts';
import { HONEYPOT_FIELD } from '../../src/subscribers/pages.tsx';
import { mountSubscriptionRoutes } from '../../src/subscribers/routes.ts';
import { createApp } from '../../src/web/app.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/ui/styles.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';

const PUBLIC_URL = 'https://digest.example.test';
const SECRET = 'service-routes-secret-0123456789abcdef';
const POSTAL = 'Salary Trends Digest, 1 Example Street, Springfield';
const TOKEN = 'admin-token-for-tests-0123456789';
const log = createLogger({ logLevel: 'silent' });

function buildApp(db: TestDatabase, boss: Boss, adminToken: string | undefined): Hono {
  const archive = createArchive({ pool: db.pool, publicUrl: PUBLIC_URL, postalAddress: POSTAL });
  const metrics = createMetrics();
  return createApp({
    pool: db.pool,
    config: { publicUrl: PUBLIC_URL },
    log,
    mount: (app) => {
      mountSubscriptionRoutes(app, {
        pool: db.pool,
        secret: SECRET,
        publicUrl: PUBLIC_URL,
        postalAddress: POSTAL,
        enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
      });
      mountOperatorRoutes(app, { pool: db.pool, secret: SECRET, archive, adminToken, webhookSecret: undefined, metrics, log });
    },
  });
}

const posting = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ external_id: id, title: 'Senior MLOps Engineer', company: 'Acme', location: 'Remote', seen_at: '2026-11-18', ...extra });

describe('service routes on PostgreSQL', () => {
  let db: TestDatabase;
  let boss: Boss;
  let app: Hono;
  let weekly: WeeklyDigestDeps;

  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: 2, endWeek: '2026-W47', tz: 'UTC' });
    boss = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
    app = buildApp(db, boss, TOKEN);
    weekly = { pool: db.pool, boss, tz: 'UTC', publicUrl: PUBLIC_URL, log };
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: false });
    await db?.close();
  });

  const apiPostings = (body: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    app.request('/api/postings', { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', ...headers } });
  const apiCount = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM postings WHERE source = 'api'`)).rows[0].n as number;

  it('POST /api/postings needs the bearer token, and it, /admin and /metrics are closed when ADMIN_TOKEN is unset', async () => {
    const body = posting('api-unauth');
    const none = await apiPostings(body, {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await apiPostings(body, { authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await apiPostings(body, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
    // The postings API takes no ?token=.
    const viaQuery = await app.request(`/api/postings?token=${TOKEN}`, { method: 'POST', body });
    expect(viaQuery.status).toBe(401);

    const closed = buildApp(db, boss, undefined);
    const res = await closed.request('/api/postings', { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatch(/ADMIN_TOKEN/);
    expect((await closed.request(`/admin?token=${TOKEN}`)).status).toBe(503);
    const metricsClosed = await closed.request(`/metrics?token=${TOKEN}`);
    expect(metricsClosed.status).toBe(503);
    expect(await metricsClosed.text()).not.toContain('digest_subscribers');
    expect(await apiCount()).toBe(0);
  });

  it('stores the good JSONL rows and reports the bad ones by line', async () => {
    const body = [
      posting('api-1'),
      posting('', { title: 'Prompt Engineer' }), // line 2: no external_id
      '{"external_id": "api-3", ', // line 3: not JSON
      '',
      posting('api-5', { title: 'Data Scientist', salary_min: 120000, salary_max: 160000, currency: 'USD', period: 'year' }),
    ].join('\n');
    const res = await apiPostings(body);
    expect(res.status).toBe(200);
    const summary = await res.json();
    expect(summary).toMatchObject({ read: 4, stored: 2, rejected: 2 });
    expect(summary.errors).toEqual([
      { file: 'request', line: 2, reason: 'external_id is required' },
      { file: 'request', line: 3, reason: expect.stringMatching(/^not valid JSON/) },
    ]);
    const { rows } = await db.pool.query(`SELECT external_id, role FROM postings WHERE source = 'api' ORDER BY external_id`);
    expect(rows).toEqual([
      { external_id: 'api-1', role: 'mlops-engineer' },
      { external_id: 'api-5', role: 'data-scientist' },
    ]);
  });

  it('refuses a body that is not JSONL with 400 and stores nothing', async () => {
    const before = await apiCount();
    const bodies = [
      'external_id,title,company,seen_at\napi-9,AI Engineer,Acme,2026-11-18\n', // CSV
      `[${posting('api-10')}]`, // a JSON array
      `{\n  "external_id": "api-11",\n  "title": "AI Engineer"\n}\n`, // pretty-printed JSON
      '',
    ];
    for (const body of bodies) {
      const res = await apiPostings(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toMatch(/JSONL/);
    }
    expect(await apiCount()).toBe(before);
  });

  it('runWeeklyDigest composes the week and enqueues one delivery per active reader, once', async () => {
    for (const email of ['one@example.test', 'two@example.test', 'three@example.test']) await addSubscriber(db.pool, { email, source: 'test' });
    await db.pool.query(`INSERT INTO subscribers (email, status, source) VALUES ('pending@example.test', 'pending', 'test')`);

    // Nothing has gone out yet: the archive does not show the week.
    expect(await (await app.request('/issues')).text()).not.toContain('2026-W47');
    expect((await app.request('/issues/2026-W47')).status).toBe(404);

    const first = await runWeeklyDigest({ week: '2026-W47' }, weekly);
    expect(first.week).toBe('2026-W47');
    expect(first.total).toBeGreaterThan(0);
    expect(first.composed).toBe(true);
    expect(first.enqueue).toMatchObject({ issueId: first.issueId, created: true, recipients: 3, batches: 1 });

    const counts = async () => {
      const { rows } = await db.pool.query(
        `SELECT (SELECT count(*) FROM issues)::int AS issues,
                (SELECT count(*) FROM deliveries WHERE issue_id = $1)::int AS deliveries,
                (SELECT count(DISTINCT subscriber_id) FROM deliveries WHERE issue_id = $1)::int AS readers,
                (SELECT count(*) FROM pgboss.job WHERE name = 'delivery-batch')::int AS jobs,
                (SELECT status FROM issues WHERE id = $1) AS status`,
        [first.issueId],
      );
      return rows[0];
    };
    const after1 = await counts();
    expect(after1).toEqual({ issues: 1, deliveries: 3, readers: 3, jobs: 1, status: 'sending' });
    const emails = await db.pool.query(`SELECT email FROM deliveries WHERE issue_id = $1 ORDER BY email`, [first.issueId]);
    expect(emails.rows.map((r) => r.email)).toEqual(['one@example.test', 'three@example.test', 'two@example.test']);

    const second = await runWeeklyDigest({ week: '2026-W47' }, weekly);
    expect(second.issueId).toBe(first.issueId);
    expect(second.composed).toBe(false);
    expect(second.enqueue).toMatchObject({ created: false, recipients: 3, batches: 1 });
    expect(await counts()).toEqual(after1);
  });

  it('the archive lists the issue once it is sending, and its web version carries the archive CSP', async () => {
    const index = await app.request('/issues');
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html.match(/href="\/issues\/2026-W47"/g)).toHaveLength(1);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    const issue = await app.request('/issues/2026-W47');
    expect(issue.status).toBe(200);
    expect(issue.headers.get('content-security-policy')).toBe(ARCHIVE_ISSUE_CSP);
    expect(issue.headers.get('content-security-policy')).not.toBe(CONTENT_SECURITY_POLICY);
    expect(issue.headers.get('x-frame-options')).toBe('DENY');
    const web = await issue.text();
    expect(web).toContain('2026-W47');
    expect(web).not.toMatch(/\/l\/|\/unsubscribe\//);

    expect((await app.request('/issues/2026-W46')).status).toBe(404);
    expect((await app.request('/issues/not-a-week')).status).toBe(404);
  });

  it('/admin with ?token= shows the issues and the readers; without it, 401', async () => {
    expect((await app.request('/admin')).status).toBe(401);
    expect((await app.request('/admin?token=nope')).status).toBe(401);
    const res = await app.request(`/admin?token=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Sending overview');
    expect(html).toContain('Latest snapshotted week: 2026-W47.');
    // Each week links to its own page (/admin/issues/:week), carrying the token it came with.
    expect(html).toMatch(/<th scope="row"><a href="\/admin\/issues\/2026-W47\?token=[^"]+">2026-W47<\/a><\/th>/);
    expect(html).toContain('sending');
    expect(html).toMatch(/<li>active: (<!-- -->)?3<\/li>/);
    expect(html).toMatch(/<li>pending: (<!-- -->)?1<\/li>/);
    const bearer = await app.request('/admin', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
  });

  it('/metrics exposes readers by status and the latest issue, behind the token', async () => {
    expect((await app.request('/metrics')).status).toBe(401);
    const res = await app.request(`/metrics?token=${TOKEN}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^digest_subscribers\{status="active"\} 3$/m);
    expect(text).toMatch(/^digest_subscribers\{status="pending"\} 1$/m);
    expect(text).toMatch(/^digest_deliveries\{status="queued"\} 3$/m);
    expect(text).toMatch(/^digest_postings_ingested_total 2$/m);
    expect(text).toMatch(/^digest_last_snapshot_timestamp_seconds \d+/m);
  });

  it('the landing form carries the hidden honeypot, and a filled one subscribes nobody', async () => {
    const html = await (await app.request('/')).text();
    const form = html.slice(html.indexOf('<form class="subscribe"'), html.indexOf('</form>'));
    const hidden = /<div hidden="" aria-hidden="true">(.*?)<\/div>/s.exec(form)?.[1] ?? '';
    expect(hidden).toMatch(new RegExp(`<input [^>]*name="${HONEYPOT_FIELD}"`));
    expect(hidden).toContain('tabindex="-1"');
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM subscribers')).rows[0].n;
    const res = await app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'bot@example.test', [HONEYPOT_FIELD]: 'https://spam.example' }).toString(),
    });
    expect(res.status).toBeLessThan(400);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM subscribers')).rows[0].n).toBe(before);
  });

  it('/l/<bad token> redirects to the comparison index and records nothing', async () => {
    for (const token of ['not-a-token', 'x'.repeat(80)]) {
      const res = await app.request(`/l/${token}`);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/compare');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect((await db.pool.query('SELECT count(*)::int AS n FROM clicks')).rows[0].n).toBe(0);
  });
});
