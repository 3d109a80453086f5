// The operator's figures, read with plain SQL: one module so /healthz,
// /metrics and /admin say the same thing. Everything here is read-only and
// runs on PostgreSQL and on PGlite alike.
import type { Db, DbClient } from '../db/database.ts';
import { readIssueCounts, readServiceTotals } from '../digest/analytics.ts';
import { readJobCounts, type JobCounts } from '../delivery/queue.ts';

// The job states counted, re-exported for /metrics and /admin.
export { JOB_STATES } from '../delivery/queue.ts';

type Queryable = Pick<Db | DbClient, 'query'>;

export interface QueueDepth {
  /**
   * Jobs per pg-boss queue by state, for every queue pg-boss knows; null while
   * its schema does not exist (no service or worker has started on this database).
   */
  jobs: Record<string, JobCounts> | null;
  /** Jobs waiting or running over all queues (created + retry + active); 0 without the schema. */
  depth: number;
  /** Our own ledger: batches not done yet, and the age of the oldest of them. */
  batches: { queued: number; sending: number; oldestAgeSeconds: number | null };
  /** Transactional mails (confirm, welcome, ...) not sent yet. */
  transactional: { queued: number; sending: number };
}

export async function readQueueDepth(db: Queryable): Promise<QueueDepth> {
  const [jobs, ledger] = await Promise.all([readJobCounts(db), readLedgerQueue(db)]);
  const depth = jobs ? Object.values(jobs).reduce((sum, j) => sum + j.created + j.retry + j.active, 0) : 0;
  return { jobs, depth, ...ledger };
}

async function readLedgerQueue(db: Queryable): Promise<Pick<QueueDepth, 'batches' | 'transactional'>> {
  const { rows } = await db.query<{ b_queued: number; b_sending: number; oldest: number | null; t_queued: number; t_sending: number }>(
    `SELECT b.queued AS b_queued, b.sending AS b_sending, b.oldest, t.queued AS t_queued, t.sending AS t_sending
       FROM (SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued,
                    count(*) FILTER (WHERE status = 'sending')::int AS sending,
                    floor(extract(epoch FROM now() - min(created_at)))::float8 AS oldest
               FROM delivery_batches WHERE status <> 'done') b,
            (SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued,
                    count(*) FILTER (WHERE status = 'sending')::int AS sending
               FROM transactional_mails WHERE status IN ('queued', 'sending')) t`,
  );
  const r = rows[0]!;
  return {
    batches: { queued: r.b_queued, sending: r.b_sending, oldestAgeSeconds: r.oldest == null ? null : Math.max(0, r.oldest) },
    transactional: { queued: r.t_queued, sending: r.t_sending },
  };
}

interface IssueCounts {
  /** Ledger rows not sent yet (queued or being sent). */
  queued: number;
  sent: number;
  failed: number;
  suppressed: number;
  /** From the provider's webhooks. */
  delivered: number;
  bounced: number;
  complained: number;
  /** First clicks (one per reader and link), and the readers who clicked at all. */
  clicks: number;
  clickers: number;
}

export interface IssueSummary {
  id: number;
  week: string;
  subject: string;
  status: string;
  composedAt: Date;
  enqueuedAt: Date | null;
  sentAt: Date | null;
  counts: IssueCounts;
}

/** The newest `limit` issues by week, each with its ledger and click counts (from the counters, not the ledger). */
export async function readIssueSummaries(db: Queryable, limit: number): Promise<IssueSummary[]> {
  const { rows } = await db.query<{
    id: number; week: string; subject: string; status: string; composed_at: Date; enqueued_at: Date | null; sent_at: Date | null;
  }>(`SELECT id, week, subject, status, composed_at, enqueued_at, sent_at FROM issues ORDER BY week DESC LIMIT $1`, [limit]);
  const counts = await readIssueCounts(db, rows.map((r) => Number(r.id)));
  return rows.map((r) => {
    const c = counts.get(Number(r.id))!;
    return {
      id: r.id,
      week: r.week,
      subject: r.subject,
      status: r.status,
      composedAt: r.composed_at,
      enqueuedAt: r.enqueued_at,
      sentAt: r.sent_at,
      counts: {
        queued: c.queued + c.sending,
        sent: c.sent,
        failed: c.failed,
        suppressed: c.suppressed,
        delivered: c.delivered,
        bounced: c.bouncedHard + c.bouncedSoft,
        complained: c.complained,
        clicks: c.clicks,
        clickers: c.clickers,
      },
    };
  });
}

export interface LinkClicks {
  linkId: string;
  /** From the issue's frozen link list; null for a click on an id the list lacks. */
  label: string | null;
  path: string | null;
  clicks: number;
}

/**
 * First clicks per link of each issue: every link of the issue's frozen list
 * (content->'links', see src/digest/content.ts), clicked or not, most clicked first.
 */
export async function readLinkClicks(db: Queryable, issueIds: number[]): Promise<Map<number, LinkClicks[]>> {
  const out = new Map<number, LinkClicks[]>(issueIds.map((id) => [id, []]));
  if (issueIds.length === 0) return out;
  const { rows } = await db.query<{ issue_id: number; link_id: string; label: string | null; path: string | null; clicks: number }>(
    `WITH links AS (
       SELECT i.id AS issue_id, l->>'id' AS link_id, l->>'label' AS label, l->>'path' AS path
         FROM issues i
        CROSS JOIN LATERAL jsonb_array_elements(
          CASE WHEN jsonb_typeof(i.content->'links') = 'array' THEN i.content->'links' ELSE '[]'::jsonb END) AS l
        WHERE i.id = ANY ($1::bigint[])
     ), counts AS (
       SELECT issue_id, link_id, count(*)::int AS n FROM clicks WHERE issue_id = ANY ($1::bigint[]) GROUP BY issue_id, link_id
     )
     SELECT COALESCE(l.issue_id, c.issue_id) AS issue_id, COALESCE(l.link_id, c.link_id) AS link_id,
            l.label, l.path, COALESCE(c.n, 0)::int AS clicks
       FROM links l FULL JOIN counts c ON c.issue_id = l.issue_id AND c.link_id = l.link_id
      ORDER BY 1, clicks DESC, 2`,
    [issueIds],
  );
  for (const r of rows) out.get(r.issue_id)?.push({ linkId: r.link_id, label: r.label, path: r.path, clicks: r.clicks });
  return out;
}

export interface GrowthWeek {
  /** ISO week of UTC time, `2026-W47`. */
  week: string;
  /** Readers whose confirmation falls in the week. */
  confirmed: number;
  /** Readers active at the end of the week: confirmed by then and not unsubscribed or suppressed by then. */
  active: number;
}

/**
 * Reader growth for the last `weeks` ISO weeks up to the current one. Built
 * from each reader's timestamps (confirmed, unsubscribed, suppressed), so it
 * is today's best reconstruction: an erased reader keeps no dates and drops
 * out of every week, and a reader who came back counts from the first confirmation.
 */
export async function readSubscriberGrowth(db: Queryable, weeks: number): Promise<GrowthWeek[]> {
  // One pass over subscribers: +1 in the week of confirmation, -1 in the week
  // of leaving; a running sum over every week gives the active count.
  const { rows } = await db.query<GrowthWeek>(
    `WITH ev AS (
       SELECT date_trunc('week', confirmed_at AT TIME ZONE 'UTC') AS wk, 1 AS joined, 1 AS delta
         FROM subscribers WHERE confirmed_at IS NOT NULL
       UNION ALL
       SELECT date_trunc('week', least(unsubscribed_at, suppressed_at) AT TIME ZONE 'UTC'), 0, -1
         FROM subscribers
        WHERE confirmed_at IS NOT NULL AND least(unsubscribed_at, suppressed_at) >= confirmed_at
     ), span AS (
       SELECT generate_series(min(wk), greatest(max(wk), date_trunc('week', now() AT TIME ZONE 'UTC')), interval '1 week') AS wk FROM ev
     ), per AS (
       SELECT s.wk, COALESCE(sum(ev.joined), 0)::int AS confirmed, COALESCE(sum(ev.delta), 0)::int AS delta
         FROM span s LEFT JOIN ev ON ev.wk = s.wk GROUP BY s.wk
     )
     SELECT week, confirmed, active FROM (
       SELECT wk, to_char(wk, 'IYYY-"W"IW') AS week, confirmed, (sum(delta) OVER (ORDER BY wk))::int AS active FROM per
     ) t ORDER BY wk DESC LIMIT $1`,
    [weeks],
  );
  return rows.reverse();
}

/** Readers by status, from the counter a trigger keeps (migration 0013): no scan of subscribers. */
export async function readSubscribersByStatus(db: Queryable): Promise<{ status: string; n: number }[]> {
  const { rows } = await db.query<{ status: string; n: number }>(
    `SELECT substr(name, 13) AS status, n::int AS n FROM service_counters WHERE name LIKE 'subscribers:%' AND n > 0 ORDER BY 1`,
  );
  return rows;
}

export async function readLatestWeek(db: Queryable): Promise<string | null> {
  const { rows } = await db.query<{ week: string | null }>('SELECT max(week) AS week FROM weeks');
  return rows[0]?.week ?? null;
}

/** Scrape-time figures for /metrics that only it shows. */
export interface LedgerTotals {
  /** Ledger rows of the latest enqueued issue, by status. */
  latestIssueDeliveries: { status: string; n: number }[];
  /** Ledger rows of every issue, by status. */
  deliveries: { status: string; n: number }[];
  /** Deliveries whose sent timestamp falls in the last 60 s and 300 s. */
  sentLastMinute: number;
  sentLastFiveMinutes: number;
  webhookEvents: { type: string; n: number }[];
  clicks: number;
  lastSnapshotSeconds: number | null;
}

/** The windows of the send rate, in seconds. */
export const SEND_RATE_WINDOWS = { '1m': 60, '5m': 300 } as const;

export async function readLedgerTotals(db: Queryable): Promise<LedgerTotals> {
  // Counters, not the ledger: a scrape reads a few dozen rows however many
  // deliveries, clicks and webhook events are stored (src/digest/analytics.ts).
  const [totals, latest, other] = await Promise.all([
    readServiceTotals(db),
    db.query<{ id: number | null }>(`SELECT max(id) AS id FROM issues WHERE enqueued_at IS NOT NULL`),
    db.query<{ snapshot: number | null }>(`SELECT extract(epoch FROM max(snapshot_at))::float8 AS snapshot FROM weeks`),
  ]);
  const latestId = latest.rows[0]?.id;
  const latestCounts = latestId == null ? undefined : (await readIssueCounts(db, [Number(latestId)])).get(Number(latestId));
  const byStatus = (c: Record<string, number>) =>
    Object.entries(c)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, n]) => ({ status, n }));
  return {
    latestIssueDeliveries: latestCounts
      ? byStatus({ queued: latestCounts.queued, sending: latestCounts.sending, sent: latestCounts.sent, failed: latestCounts.failed, suppressed: latestCounts.suppressed })
      : [],
    deliveries: byStatus(totals.deliveries),
    sentLastMinute: totals.sentLastMinute,
    sentLastFiveMinutes: totals.sentLastFiveMinutes,
    webhookEvents: totals.webhookEvents,
    clicks: totals.clicks,
    lastSnapshotSeconds: other.rows[0]?.snapshot ?? null,
  };
}
