// Operations: /healthz, /metrics and /admin over seeded rows (readers in four
// weeks, two issues with deliveries, webhook outcomes and clicks, open batches,
// transactional mails, pg-boss jobs in several states), on PostgreSQL and
// PGlite. Each figure the three routes show is asserted against the rows
// seeded here; /metrics must pass the strict text-format parser.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, startBoss, type Boss } from '../../src/delivery/queue.ts';
import { createArchive } from '../../src/digest/archive-pages.tsx';
import { clickToken } from '../../src/digest/links.ts';
import { createLogger } from '../../src/log.ts';
import { weekLabel } from '../../src/stats/figures.ts';
import { addWeeks, weekKeyOf } from '../../src/stats/week.ts';
import { createApp } from '../../src/web/app.ts';
import { createMetrics, type Metrics } from '../../src/web/metrics.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/ui/styles.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { parsePrometheusText, sampleValue, samplesNamed, type MetricFamily } from '../support/prometheus-text.ts';

const PUBLIC_URL = 'https://digest.example.test';
const SECRET = 'operations-test-secret-0123456789abcdef';
const TOKEN = 'operations-admin-token-0123456789';
const log = createLogger({ logLevel: 'silent' });

function buildApp(db: TestDatabase, metrics: Metrics, opts: { freshnessMs?: number } = {}): Hono {
  const archive = createArchive({ pool: db.pool, publicUrl: PUBLIC_URL, postalAddress: 'Ops Street 1' });
  return createApp({
    pool: db.pool,
    config: { publicUrl: PUBLIC_URL },
    log,
    metrics,
    ...opts,
    mount: (app) => mountOperatorRoutes(app, { pool: db.pool, secret: SECRET, archive, adminToken: TOKEN, webhookSecret: undefined, metrics, log }),
  });
}

/** A timestamp `weeksAgo` ISO weeks (UTC) back, on that week's Wednesday; 0 is now. */
const weeksAgo = (n: number) =>
  n === 0 ? 'now()' : `(date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '${n} weeks' + interval '2 days')`;

const LINKS_A = [
  { id: 'role-mlops', path: '/roles/mlops-engineer', label: 'MLOps Engineer' },
  { id: 'pair-x', path: '/compare/ai-engineer-vs-mlops-engineer', label: 'AI Engineer vs MLOps Engineer' },
  { id: 'web', path: '/issues/2026-W40', label: 'Web version' },
];
const LINKS_B = [
  { id: 'home', path: '/', label: 'Home' },
  { id: 'compare', path: '/compare', label: 'All comparisons' },
];

/**
 * Readers: a1, a2, u1 confirmed three weeks ago (u1 unsubscribed last week),
 * a3 and b1 two weeks ago (b1 bounced last week), a4 this week; p1 pending;
 * one erased row. Issue A (2026-W40, sent): a1..a3 sent and delivered, a2
 * complained, b1 sent and bounced, u1 failed; 3 clicks here plus one through
 * /l/ in the test. Issue B (2026-W41, sending): a1 sent 2 s ago, a2 150 s ago,
 * a3 queued, a4 suppressed; 2 clicks, one on a link the issue lacks.
 */
async function seed(db: TestDatabase): Promise<Record<string, number>> {
  const p = db.pool;
  await p.query(
    `INSERT INTO subscribers (email, status, confirmed_at, unsubscribed_at, suppressed_at, suppressed_reason, deleted_at) VALUES
       ('a1@example.test', 'active', ${weeksAgo(3)}, NULL, NULL, NULL, NULL),
       ('a2@example.test', 'active', ${weeksAgo(3)}, NULL, NULL, NULL, NULL),
       ('u1@example.test', 'unsubscribed', ${weeksAgo(3)}, ${weeksAgo(1)}, NULL, NULL, NULL),
       ('a3@example.test', 'active', ${weeksAgo(2)}, NULL, NULL, NULL, NULL),
       ('b1@example.test', 'bounced', ${weeksAgo(2)}, NULL, ${weeksAgo(1)}, 'bounce', NULL),
       ('a4@example.test', 'active', ${weeksAgo(0)}, NULL, NULL, NULL, NULL),
       ('p1@example.test', 'pending', NULL, NULL, NULL, NULL, NULL),
       (NULL, 'deleted', NULL, NULL, NULL, NULL, now())`,
  );
  const ids = Object.fromEntries(
    (await p.query<{ email: string; id: number }>('SELECT email, id FROM subscribers WHERE email IS NOT NULL')).rows.map((r) => [r.email.slice(0, 2), r.id]),
  ) as Record<string, number>;

  const issue = async (week: string, status: string, links: object[], enqueued: string, sent: string) =>
    (
      await p.query<{ id: number }>(
        `INSERT INTO issues (week, subject, content, status, enqueued_at, sent_at) VALUES ($1, $2, $3, $4, ${enqueued}, ${sent}) RETURNING id`,
        [week, `Salary shifts, week ${week}`, JSON.stringify({ week, links }), status],
      )
    ).rows[0]!.id;
  const a = await issue('2026-W40', 'sent', LINKS_A, `now() - interval '10 days'`, `now() - interval '10 days'`);
  const b = await issue('2026-W41', 'sending', LINKS_B, `now() - interval '10 minutes'`, 'NULL');

  const delivery = (iss: number, who: string, batch: number, status: string, extra: Record<string, string> = {}) => {
    const cols = ['issue_id', 'subscriber_id', 'email', 'batch', 'status', ...Object.keys(extra)];
    const vals = [String(iss), String(ids[who]), `'${who}@example.test'`, String(batch), `'${status}'`, ...Object.values(extra)];
    return p.query(`INSERT INTO deliveries (${cols.join(', ')}) VALUES (${vals.join(', ')})`);
  };
  const longAgo = `now() - interval '10 days'`;
  await delivery(a, 'a1', 1, 'sent', { sent_at: longAgo, delivered_at: longAgo });
  await delivery(a, 'a2', 1, 'sent', { sent_at: longAgo, delivered_at: longAgo, complained_at: longAgo });
  await delivery(a, 'a3', 1, 'sent', { sent_at: longAgo, delivered_at: longAgo });
  await delivery(a, 'b1', 1, 'sent', { sent_at: longAgo, bounced_at: longAgo });
  await delivery(a, 'u1', 1, 'failed', { failed_at: longAgo });
  await delivery(b, 'a1', 1, 'sent', { sent_at: `now() - interval '2 seconds'` });
  await delivery(b, 'a2', 1, 'sent', { sent_at: `now() - interval '150 seconds'` });
  await delivery(b, 'a3', 2, 'queued');
  await delivery(b, 'a4', 3, 'suppressed');

  await p.query(
    `INSERT INTO delivery_batches (issue_id, batch, size, idempotency_key, status, created_at) VALUES
       ($1, 1, 5, 'a-1', 'done', now() - interval '10 days'),
       ($2, 1, 2, 'b-1', 'done', now() - interval '10 minutes'),
       ($2, 2, 1, 'b-2', 'queued', now() - interval '600 seconds'),
       ($2, 3, 1, 'b-3', 'sending', now() - interval '60 seconds')`,
    [a, b],
  );
  await p.query(
    `INSERT INTO transactional_mails (dedupe_key, kind, to_email, subject, html, text, idempotency_key, status)
     SELECT 't' || i, 'confirm', 'p1@example.test', 'Confirm', '<p>x</p>', 'x', 'tk' || i, s
       FROM unnest(ARRAY['queued', 'queued', 'sending', 'sent']) WITH ORDINALITY AS t (s, i)`,
  );
  await p.query(
    `INSERT INTO webhook_events (id, signed_at, type, payload)
     SELECT 'evt-' || i, 1700000000 + i, t, '{}' FROM unnest(ARRAY['email.delivered', 'email.delivered', 'email.delivered', 'email.bounced', 'email.complained'])
       WITH ORDINALITY AS e (t, i)`,
  );
  await p.query(
    `INSERT INTO clicks (issue_id, subscriber_id, link_id) VALUES ($1, $3, 'role-mlops'), ($1, $4, 'role-mlops'), ($1, $3, 'pair-x'),
                                                                   ($2, $3, 'home'), ($2, $3, 'gone')`,
    [a, b, ids.a1, ids.a2],
  );
  return { ...ids, issueA: a, issueB: b };
}

// --- reading the pages -------------------------------------------------------

const decode = (s: string) =>
  s.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();

/** The rows (cell texts) of the table in the scroll region labelled `label`. */
function tableRows(html: string, label: string): string[][] {
  const at = html.indexOf(`aria-label="${label}"`);
  expect(at, `a table labelled "${label}"`).toBeGreaterThan(-1);
  const table = html.slice(at, html.indexOf('</table>', at));
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!)));
}

const EXPECTED_GROWTH = () => {
  const now = weekKeyOf(new Date(), 'UTC');
  // [week, active at its end, confirmed in it]; the chart's table names weeks as readers read them
  return [
    [weekLabel(addWeeks(now, -3)), '3', '3'],
    [weekLabel(addWeeks(now, -2)), '5', '2'],
    [weekLabel(addWeeks(now, -1)), '3', '0'],
    [weekLabel(now), '4', '1'],
  ];
};

describe.each(DB_KINDS)('operations on %s', (kind) => {
  let db: TestDatabase;
  let boss: Boss | undefined;
  let metrics: Metrics;
  let app: Hono;
  let ids: Record<string, number>;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    ids = await seed(db);
    metrics = createMetrics();
    app = buildApp(db, metrics);
    // One click the real way: counted by the counter and stored as a row.
    const click = await app.request(`/l/${clickToken(SECRET, { issueId: ids.issueA!, subscriberId: ids.a3!, linkId: 'web' })}`);
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('/issues/2026-W40');
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: false });
    await db?.close();
  });

  const scrape = async (): Promise<Map<string, MetricFamily>> => {
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await res.text());
  };

  it('before pg-boss has made its tables, /healthz and /metrics report no jobs instead of failing', async () => {
    expect((await db.pool.query(`SELECT to_regclass('pgboss.job') AS t`)).rows[0].t).toBeNull();
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.queue).toMatchObject({ jobs: null, depth: 0, batches: { queued: 1, sending: 1 } });
    const m = await scrape();
    expect(samplesNamed(m, 'digest_queue_jobs')).toEqual([]);
    expect(sampleValue(m, 'digest_queue_depth')).toBe(0);
    const admin = await (await app.request(`/admin?token=${TOKEN}`)).text();
    expect(admin).toContain('The job queue has no tables yet');
  });

  it('/healthz: database up, queue depth per pg-boss queue and our ledger, and the last issue', async () => {
    boss = await startBoss({ pool: db.pool, kind }, { supervise: false });
    // delivery-batch: one waiting, one running; delivery-transactional: one waiting, one failed once (retry).
    await boss.send(QUEUES.batch, { n: 1 });
    await boss.send(QUEUES.batch, { n: 2 });
    expect(await boss.fetch(QUEUES.batch)).toHaveLength(1);
    await boss.send(QUEUES.transactional, { n: 3 });
    const [job] = await boss.fetch(QUEUES.transactional);
    await boss.send(QUEUES.transactional, { n: 4 });
    await boss.fail(QUEUES.transactional, job!.id, { error: 'test' });

    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    // Every queue pg-boss knows is listed; those we did not touch are all zero.
    const queues = (await db.pool.query<{ name: string }>('SELECT name FROM pgboss.queue ORDER BY name')).rows.map((r) => r.name);
    expect(Object.keys(body.queue.jobs).sort()).toEqual(queues);
    const zero = { created: 0, retry: 0, active: 0, failed: 0 };
    const jobs = Object.fromEntries(queues.map((q) => [q, zero]));
    jobs[QUEUES.batch] = { created: 1, retry: 0, active: 1, failed: 0 };
    jobs[QUEUES.transactional] = { created: 1, retry: 1, active: 0, failed: 0 };
    expect(body).toEqual({
      ok: true,
      database: 'up',
      latestWeek: null,
      queue: {
        jobs,
        depth: 4,
        batches: { queued: 1, sending: 1, oldestAgeSeconds: expect.any(Number) },
        transactional: { queued: 2, sending: 1 },
      },
      lastIssue: {
        week: '2026-W41',
        status: 'sending',
        composedAt: expect.any(String),
        enqueuedAt: expect.any(String),
        sentAt: null,
        counts: { queued: 1, sent: 2, failed: 0, suppressed: 1, delivered: 0, bounced: 0, complained: 0, clicks: 2, clickers: 1 },
      },
    });
    expect(body.queue.batches.oldestAgeSeconds).toBeGreaterThanOrEqual(600);
    expect(body.queue.batches.oldestAgeSeconds).toBeLessThan(700);
    expect(Date.now() - Date.parse(body.lastIssue.enqueuedAt)).toBeGreaterThanOrEqual(10 * 60_000 - 5_000);
  });

  it('/metrics parses strictly and shows the seeded ledger, queue, webhooks, readers and clicks', async () => {
    const m = await scrape();
    for (const fam of m.values()) expect(fam.help, `${fam.name} has HELP`).toBeTruthy();
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(m, name, labels);

    // The latest enqueued issue (B), and every issue.
    expect(samplesNamed(m, 'digest_deliveries').map((s) => [s.labels.status, s.value]).sort()).toEqual([['queued', 1], ['sent', 2], ['suppressed', 1]]);
    expect(samplesNamed(m, 'digest_deliveries_all_issues').map((s) => [s.labels.status, s.value]).sort()).toEqual([
      ['failed', 1], ['queued', 1], ['sent', 6], ['suppressed', 1],
    ]);
    // B sent one mail 2 s before the seed and one 150 s before; A's went out days ago.
    expect(v('digest_send_rate_per_second', { window: '1m' })).toBeCloseTo(1 / 60, 10);
    expect(v('digest_send_rate_per_second', { window: '5m' })).toBeCloseTo(2 / 300, 10);

    expect(v('digest_queue_jobs', { queue: QUEUES.batch, state: 'created' })).toBe(1);
    expect(v('digest_queue_jobs', { queue: QUEUES.batch, state: 'active' })).toBe(1);
    expect(v('digest_queue_jobs', { queue: QUEUES.batch, state: 'retry' })).toBe(0);
    expect(v('digest_queue_jobs', { queue: QUEUES.transactional, state: 'created' })).toBe(1);
    expect(v('digest_queue_jobs', { queue: QUEUES.transactional, state: 'retry' })).toBe(1);
    expect(v('digest_queue_jobs', { queue: QUEUES.transactional, state: 'failed' })).toBe(0);
    expect(v('digest_queue_depth')).toBe(4);
    expect(v('digest_delivery_batches_open', { status: 'queued' })).toBe(1);
    expect(v('digest_delivery_batches_open', { status: 'sending' })).toBe(1);
    expect(v('digest_delivery_batch_oldest_age_seconds')).toBeGreaterThanOrEqual(600);
    expect(v('digest_transactional_mails_open', { status: 'queued' })).toBe(2);
    expect(v('digest_transactional_mails_open', { status: 'sending' })).toBe(1);

    expect(samplesNamed(m, 'digest_webhook_events').map((s) => [s.labels.type, s.value]).sort()).toEqual([
      ['email.bounced', 1], ['email.complained', 1], ['email.delivered', 3],
    ]);
    expect(samplesNamed(m, 'digest_subscribers').map((s) => [s.labels.status, s.value]).sort()).toEqual([
      ['active', 4], ['bounced', 1], ['deleted', 1], ['pending', 1], ['unsubscribed', 1],
    ]);
    expect(v('digest_clicks')).toBe(6); // 5 seeded + 1 through /l/
    expect(v('digest_clicks_recorded_total')).toBe(1); // only the one through /l/
    expect(m.get('digest_http_request_duration_seconds')?.type).toBe('histogram');
    expect(m.get('process_cpu_user_seconds_total')?.type).toBe('counter');
  });

  it('times requests by route pattern, never by raw path', async () => {
    for (const path of ['/roles/no-such-role', '/roles/another-made-up-role', '/roles/a-third']) expect((await app.request(path)).status).toBe(404);
    expect((await app.request('/no/such/page-12345')).status).toBe(404);
    expect((await app.request('/admin')).status).toBe(401);
    const m = await scrape();
    const count = (labels: Record<string, string>) => sampleValue(m, 'digest_http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/roles/:slug', status: '404' })).toBe(3);
    expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(count({ method: 'GET', route: '/l/:token', status: '302' })).toBe(1);
    expect(count({ method: 'GET', route: '/admin', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(count({ method: 'GET', route: '/healthz', status: '200' })).toBe(2);
    const routes = new Set(samplesNamed(m, 'digest_http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].sort()).toEqual(['/admin', '/healthz', '/l/:token', '/metrics', '/roles/:slug', 'unmatched']);
    const bucket = (le: string) => sampleValue(m, 'digest_http_request_duration_seconds_bucket', { method: 'GET', route: '/roles/:slug', status: '404', le });
    expect(bucket('+Inf')).toBe(3);
  });

  it('/admin is closed without the token or with a wrong one', async () => {
    for (const res of [
      await app.request('/admin'),
      await app.request('/admin?token=wrong'),
      await app.request('/admin', { headers: { authorization: 'Bearer wrong' } }),
      await app.request('/admin', { headers: { authorization: `Basic ${TOKEN}` } }),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('Sending overview');
    }
  });

  it('/admin shows the queue, readers by status and week, and each issue with its counts and clicks per link', async () => {
    const res = await app.request('/admin', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await res.text();
    // The strict CSP allows no script and no inline style attribute.
    expect(html).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');

    // Queue: the same figures as /healthz, plus the age of the oldest open batch.
    const queue = tableRows(html, 'Jobs by queue');
    expect(queue.find((r) => r[0] === QUEUES.batch)).toEqual([QUEUES.batch, '1', '0', '1', '0']);
    expect(queue.find((r) => r[0] === QUEUES.transactional)).toEqual([QUEUES.transactional, '1', '1', '0', '0']);
    const text = decode(html).replace(/\s+/g, ' ');
    expect(text).toContain('Jobs waiting or running: 4.');
    expect(text).toContain('Delivery batches not done: 1 queued, 1 sending; oldest 10 min.');
    expect(text).toContain('Transactional mails not sent: 2 queued, 1 sending.');

    // Readers by status, and growth by ISO week as a chart with the same numbers in its table.
    expect(html).toMatch(/<li>active: (<!-- -->)?4<\/li>/);
    expect(html).toMatch(/<li>unsubscribed: (<!-- -->)?1<\/li>/);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*data-chart="trend"/);
    expect(tableRows(html, 'Readers by week: the numbers')).toEqual(EXPECTED_GROWTH());

    // Issues: status, sent, delivered, bounced, complaints, failed, clicks, readers who clicked, queued, suppressed.
    const issues = tableRows(html, 'Issues and their deliveries');
    expect(issues).toEqual([
      ['2026-W41', 'sending', '2', '0', '0', '0', '0', '2', '1', '1', '1'],
      ['2026-W40', 'sent', '4', '3', '1', '1', '1', '4', '3', '0', '0'],
    ]);
    // Clicks per clicked link of the issue's frozen list, most clicked first; the others counted.
    expect(tableRows(html, 'Clicks per link, 2026-W40')).toEqual([
      ['MLOps Engineer', '2', '/roles/mlops-engineer'],
      ['AI Engineer vs MLOps Engineer', '1', '/compare/ai-engineer-vs-mlops-engineer'],
      ['Web version', '1', '/issues/2026-W40'],
    ]);
    expect(text).toContain('2026-W40: 4 clicks on 3 of 3 links');
    expect(html).toMatch(/<p>Subject: (<!-- -->)?Salary shifts, week 2026-W40<\/p>/);
    expect(text).toContain('Every link has been clicked.');
    expect(tableRows(html, 'Clicks per link, 2026-W41')).toEqual([
      ['gone', '1', 'not in the issue'],
      ['Home', '1', '/'],
    ]);
    expect(text).toContain('2026-W41: 2 clicks on 2 of 3 links');
    expect(text).toContain('No clicks yet on the other 1 link.');
  });
});

describe('/healthz when the database is gone', () => {
  it('answers 503 with database down, also when the snapshot version is still cached', async () => {
    const db = await freshDatabase('pglite');
    const metrics = createMetrics();
    const cold = buildApp(db, metrics, { freshnessMs: 0 });
    const warm = buildApp(db, metrics, { freshnessMs: 3_600_000 });
    expect((await warm.request('/healthz')).status).toBe(200);
    await db.close();
    for (const app of [cold, warm]) {
      const res = await app.request('/healthz');
      expect(res.status).toBe(503);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toMatchObject({ ok: false, database: 'down' });
    }
    const m = parsePrometheusText(await metrics.registry.metrics());
    expect(sampleValue(m, 'digest_http_request_duration_seconds_count', { method: 'GET', route: '/healthz', status: '503' })).toBe(2);
  });
});
