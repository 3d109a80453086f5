// Prometheus metrics for /metrics: process defaults, counters the web layer
// bumps, and ledger gauges read from the database at scrape time (the ledger
// is shared by every process, so any process can report it).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/database.ts';

export interface Metrics {
  registry: Registry;
  clicks: Counter;
  webhooks: Counter<'status'>;
  postingsIngested: Counter;
  refresh(pool: Db): Promise<void>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const clicks = new Counter({ name: 'digest_clicks_recorded_total', help: 'First clicks recorded per (issue, reader, link)', registers: [registry] });
  const webhooks = new Counter({ name: 'digest_webhooks_total', help: 'Provider webhook requests by answer status', labelNames: ['status'] as const, registers: [registry] });
  const postingsIngested = new Counter({ name: 'digest_postings_ingested_total', help: 'Postings stored through POST /api/postings', registers: [registry] });
  const deliveries = new Gauge({ name: 'digest_deliveries', help: 'Ledger rows of the latest issue by status', labelNames: ['status'] as const, registers: [registry] });
  const subscribers = new Gauge({ name: 'digest_subscribers', help: 'Readers by status', labelNames: ['status'] as const, registers: [registry] });
  const lastSnapshot = new Gauge({ name: 'digest_last_snapshot_timestamp_seconds', help: 'When the latest week was snapshotted', registers: [registry] });
  return {
    registry,
    clicks,
    webhooks,
    postingsIngested,
    async refresh(pool) {
      const [d, s, w] = await Promise.all([
        pool.query<{ status: string; n: number }>(
          `SELECT status, count(*)::int AS n FROM deliveries
            WHERE issue_id = (SELECT max(id) FROM issues WHERE enqueued_at IS NOT NULL) GROUP BY status`,
        ),
        pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM subscribers GROUP BY status'),
        pool.query<{ t: number | null }>('SELECT extract(epoch FROM max(snapshot_at))::float8 AS t FROM weeks'),
      ]);
      deliveries.reset();
      for (const r of d.rows) deliveries.set({ status: r.status }, r.n);
      subscribers.reset();
      for (const r of s.rows) subscribers.set({ status: r.status }, r.n);
      if (w.rows[0]?.t != null) lastSnapshot.set(w.rows[0].t);
    },
  };
}
