// GET /metrics with 1,000,000 delivery rows on PostgreSQL: the scrape reads
// the counters the triggers keep (migration 0013), never the ledger, so its
// time does not grow with the ledger. Baseline in the same run: the query the
// scrape ran before, a count by status over the whole deliveries table.
// The rows go in through the triggers, as production's would.
import pino from 'pino';
import type { Db } from '../../src/db/database.ts';
import { startBoss } from '../../src/delivery/queue.ts';
import { createApp } from '../../src/web/app.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import type { Archive } from '../../src/digest/archive-pages.tsx';

export interface MetricsBenchResult {
  deliveries: number;
  scrapeP50Ms: number;
  scrapeP95Ms: number;
  fullScanMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

export async function benchMetricsScrape(pool: Db, deliveries: number, log: (s: string) => void): Promise<MetricsBenchResult> {
  const readers = 50_000;
  const issues = Math.ceil(deliveries / readers);
  log(`seeding ${readers.toLocaleString('en-US')} readers and ${issues} issues of ${readers.toLocaleString('en-US')} deliveries`);
  const boss = await startBoss({ pool, kind: 'postgres' }, { supervise: false });
  try {
    await pool.query(
      `INSERT INTO subscribers (email, status, roles, source, confirmed_at)
       SELECT 'reader' || i || '@example.test', 'active', CASE WHEN i % 3 = 0 THEN ARRAY['data-engineer'] ELSE ARRAY['mlops-engineer'] END, 'bench', now()
         FROM generate_series(1, $1::int) AS i`,
      [readers],
    );
    for (let k = 0; k < issues; k++) {
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO issues (week, subject, content, status, enqueued_at, sent_at) VALUES ($1, 'bench', '{"links":[]}', 'sent', now(), now()) RETURNING id`,
        [`2025-W${String(k + 1).padStart(2, '0')}`],
      );
      const n = Math.min(readers, deliveries - k * readers);
      await pool.query(
        `INSERT INTO deliveries (issue_id, subscriber_id, email, batch, status, provider_message_id, sent_at, delivered_at)
         SELECT $1::bigint, s.id, s.email, (s.id - 1) / 100, 'sent', 'msg-' || $1::bigint || '-' || s.id, now(), CASE WHEN s.id % 10 <> 0 THEN now() END
           FROM subscribers s WHERE s.id <= $2`,
        [rows[0]!.id, n],
      );
      await pool.query(
        `INSERT INTO clicks (issue_id, subscriber_id, link_id) SELECT $1, id, 'web' FROM subscribers WHERE id % 20 = 0 AND id <= $2`,
        [rows[0]!.id, n],
      );
      log(`issue ${k + 1} of ${issues}`);
    }
    await pool.query(
      `INSERT INTO webhook_events (id, signed_at, type, provider_message_id, payload)
       SELECT 'evt-' || i, 0, 'email.delivered', 'msg-' || i, '{}' FROM generate_series(1, $1::int) AS i`,
      [deliveries / 2],
    );
    await pool.query('ANALYZE');

    const metrics = createMetrics();
    const archive: Archive = { index: async () => '', issue: async () => undefined };
    const app = createApp({
      pool,
      config: { publicUrl: 'http://localhost' },
      mount: (a) => mountOperatorRoutes(a, { pool, secret: 'bench-secret-0123456789abcdef0123', archive, adminToken: 'bench-token', webhookSecret: undefined, metrics, log: pino({ level: 'silent' }) }),
    });
    const scrape = async () => {
      const t = performance.now();
      const res = await app.request('http://localhost/metrics', { headers: { authorization: 'Bearer bench-token' } });
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      const text = await res.text();
      if (!text.includes(`digest_deliveries_all_issues{status="sent"} ${deliveries}`)) throw new Error('the scrape did not report every delivery');
      return performance.now() - t;
    };
    for (let i = 0; i < 5; i++) await scrape();
    const times: number[] = [];
    for (let i = 0; i < 50; i++) times.push(await scrape());

    const scans: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await pool.query(`SELECT status, count(*)::int AS n FROM deliveries GROUP BY status`);
      scans.push(performance.now() - t);
    }
    return { deliveries, scrapeP50Ms: median(times), scrapeP95Ms: p95(times), fullScanMs: median(scans) };
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}
