// Per-issue figures from `issue_counters`, which statement triggers on
// deliveries, clicks and webhook events keep as the rows change (migration
// 0013), so reading them costs a few rows per issue however large the ledger
// is. Definitions: docs/issue-analytics.md.
import type { DbClient } from '../db/database.ts';
import type { IssueLink } from './content.ts';

type Queryable = Pick<DbClient, 'query'>;

export interface IssueCounts {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
  delivered: number;
  bouncedHard: number;
  bouncedSoft: number;
  complained: number;
  opened: number;
  /** First clicks: one per (reader, link). */
  clicks: number;
  /** Readers who clicked anything. */
  clickers: number;
  /** Readers who unsubscribed through this issue's link. */
  unsubscribed: number;
  /** First clicks per link id. */
  links: Record<string, number>;
  /** Recipients following each role when the issue was enqueued. */
  followers: Record<string, number>;
}

function emptyCounts(): IssueCounts {
  return {
    queued: 0, sending: 0, sent: 0, failed: 0, suppressed: 0, delivered: 0, bouncedHard: 0, bouncedSoft: 0,
    complained: 0, opened: 0, clicks: 0, clickers: 0, unsubscribed: 0, links: {}, followers: {},
  };
}

const SCALARS: Record<string, keyof Omit<IssueCounts, 'links' | 'followers'>> = {
  'status:queued': 'queued',
  'status:sending': 'sending',
  'status:sent': 'sent',
  'status:failed': 'failed',
  'status:suppressed': 'suppressed',
  delivered: 'delivered',
  bounced_hard: 'bouncedHard',
  bounced_soft: 'bouncedSoft',
  complained: 'complained',
  opened: 'opened',
  clicks: 'clicks',
  clickers: 'clickers',
  unsubscribed: 'unsubscribed',
};

/** The counters of each issue asked for (every id gets an entry). */
export async function readIssueCounts(db: Queryable, issueIds: readonly number[]): Promise<Map<number, IssueCounts>> {
  const out = new Map<number, IssueCounts>(issueIds.map((id) => [id, emptyCounts()]));
  if (issueIds.length === 0) return out;
  const { rows } = await db.query<{ issue_id: number; name: string; n: number }>(
    `SELECT issue_id, name, n::float8 AS n FROM issue_counters WHERE issue_id = ANY ($1::bigint[])`,
    [issueIds],
  );
  for (const r of rows) {
    const c = out.get(Number(r.issue_id));
    if (!c) continue;
    const scalar = SCALARS[r.name];
    if (scalar) c[scalar] = r.n;
    else if (r.name.startsWith('link:')) c.links[r.name.slice(5)] = r.n;
    else if (r.name.startsWith('followers:')) c.followers[r.name.slice(10)] = r.n;
  }
  return out;
}

/**
 * Share of the mails that left (sent) whose reader clicked anything, with its
 * n; null before anything was sent. Sent, not delivered: delivery events need
 * the provider's webhooks, which not every installation has.
 */
export function clickRate(c: Pick<IssueCounts, 'clickers' | 'sent'>): { rate: number; of: number } | null {
  return c.sent > 0 ? { rate: c.clickers / c.sent, of: c.sent } : null;
}

export interface LinkFigure {
  id: string;
  label: string;
  path: string;
  clicks: number;
}

/** Every link of the issue with its first clicks, most clicked first (ids the list lacks are kept, unlabelled). */
export function linkFigures(links: readonly IssueLink[], counts: Record<string, number>): LinkFigure[] {
  const known = new Set(links.map((l) => l.id));
  const out = links.map((l) => ({ id: l.id, label: l.label, path: l.path, clicks: counts[l.id] ?? 0 }));
  for (const [id, n] of Object.entries(counts)) if (!known.has(id)) out.push({ id, label: id, path: '', clicks: n });
  return out.sort((a, b) => b.clicks - a.clicks || a.id.localeCompare(b.id));
}

export interface ServiceTotals {
  /** Ledger rows of every issue by status. */
  deliveries: Record<string, number>;
  clicks: number;
  webhookEvents: { type: string; n: number }[];
  /** Mails that became sent in the last 60 s and 300 s. */
  sentLastMinute: number;
  sentLastFiveMinutes: number;
}

/** Totals for /metrics from the counter tables: no ledger, click or webhook table is read. */
export async function readServiceTotals(db: Queryable): Promise<ServiceTotals> {
  const [counters, hooks, rate] = await Promise.all([
    db.query<{ name: string; n: number }>(
      `SELECT name, sum(n)::float8 AS n FROM issue_counters WHERE name LIKE 'status:%' OR name = 'clicks' GROUP BY name`,
    ),
    db.query<{ name: string; n: number }>(`SELECT name, n::float8 AS n FROM service_counters WHERE name LIKE 'webhook:%' ORDER BY name`),
    db.query<{ m1: number; m5: number }>(
      `SELECT COALESCE(sum(n) FILTER (WHERE at >= now() - interval '60 seconds'), 0)::float8 AS m1, COALESCE(sum(n), 0)::float8 AS m5
         FROM sent_per_second WHERE at >= now() - interval '300 seconds'`,
    ),
  ]);
  const deliveries: Record<string, number> = {};
  let clicks = 0;
  for (const r of counters.rows) {
    if (r.name === 'clicks') clicks = r.n;
    else deliveries[r.name.slice('status:'.length)] = r.n;
  }
  return {
    deliveries,
    clicks,
    webhookEvents: hooks.rows.map((r) => ({ type: r.name.slice('webhook:'.length), n: r.n })),
    sentLastMinute: rate.rows[0]?.m1 ?? 0,
    sentLastFiveMinutes: rate.rows[0]?.m5 ?? 0,
  };
}
