// How the snapshot's scan of posting_facts is split between sessions, chosen
// per snapshot so that its cost follows the week, not the table's history:
//  - 'pages': when most rows were last seen at or after the scan's first
//    instant (a young table, or the latest week of one), ranges of the
//    table's pages, each a sequential scan of its part (TID range scan);
//  - 'seen': when few are (years of closed postings below the week), ranges
//    of last_seen_at over the index of migration 0016, each a bitmap scan of
//    its part, so the closed history is never read.
// The estimate is the planner's own statistics of last_seen_at (pg_stats:
// the most common values and the equal-frequency histogram), read in well
// under a millisecond; the ranges of either kind are disjoint and cover the
// table, so the figures are the same whichever is chosen (a stale estimate
// only costs time). Without statistics (never analysed) the pages are read,
// as before the index existed. The path is also held for a scan in one
// statement (PGlite, or no free sessions): snapshot.ts sets the planner so.
import type { DbClient } from '../db/database.ts';
import { FACT_PAGES_SQL } from './snapshot-sql.ts';

/** Below this estimated share of rows at or after the scan's start, read the index. */
const INDEX_SCAN_MAX_SHARE = 0.3;

export type ScanSplit = { kind: 'pages'; cuts: string[] } | { kind: 'seen'; cuts: Date[] };

const STATS_SQL = `
SELECT null_frac::float8 AS null_frac,
       most_common_vals::text::timestamptz[] AS mcv, most_common_freqs::float8[] AS mcf,
       histogram_bounds::text::timestamptz[] AS hist
  FROM pg_stats
 WHERE schemaname = current_schema() AND tablename = 'posting_facts' AND attname = 'last_seen_at'`;

interface SeenStats {
  null_frac: number;
  mcv: Date[] | null;
  mcf: number[] | null;
  hist: Date[] | null;
}

/**
 * The estimated share of rows with last_seen_at < v (the cumulative
 * distribution the planner itself uses: most common values by their
 * frequency, the rest spread evenly over the histogram's buckets).
 */
function seenBelow(s: SeenStats, v: number): number {
  const mcv = s.mcv ?? [];
  const mcf = s.mcf ?? [];
  let share = 0;
  let common = 0;
  for (let i = 0; i < mcv.length; i++) {
    common += mcf[i]!;
    if (mcv[i]!.getTime() < v) share += mcf[i]!;
  }
  const hist = s.hist ?? [];
  const buckets = hist.length - 1;
  if (buckets > 0) {
    let below = 0;
    while (below < hist.length && hist[below]!.getTime() < v) below++;
    // `below` bounds lie under v: v falls in bucket below - 1 (taken as half filled).
    const filled = below === 0 ? 0 : below > buckets ? buckets : below - 0.5;
    share += (1 - s.null_frac - common) * (filled / buckets);
  }
  return share;
}

/**
 * The split of the scan into `parts` parts (1: the access path alone) for rows last seen at or
 * after `from` (the scan's first instant: the week's start, or the week
 * before's when it is read too).
 */
export async function splitScan(client: DbClient, from: Date, parts: number): Promise<ScanSplit> {
  const { rows } = await client.query<SeenStats>(STATS_SQL);
  const s = rows[0];
  const lo = from.getTime();
  if (s && (s.hist?.length || s.mcv?.length)) {
    const before = seenBelow(s, lo);
    const recent = 1 - s.null_frac - before;
    if (recent < INDEX_SCAN_MAX_SHARE) {
      // Cut where the estimated count of recent rows crosses 1/parts, 2/parts ...
      const candidates = [...(s.hist ?? []), ...(s.mcv ?? [])].map((d) => d.getTime()).filter((t) => t > lo);
      const sorted = [...new Set(candidates)].sort((a, b) => a - b);
      const cuts: Date[] = [];
      let k = 1;
      for (const t of sorted) {
        if (k >= parts) break;
        if (seenBelow(s, t) - before >= (recent * k) / parts) {
          cuts.push(new Date(t));
          k++;
        }
      }
      return { kind: 'seen', cuts };
    }
  }
  if (parts < 2) return { kind: 'pages', cuts: [] };
  const pages = (await client.query<{ pages: number }>(FACT_PAGES_SQL)).rows[0]!.pages;
  return { kind: 'pages', cuts: Array.from({ length: parts - 1 }, (_, i) => `(${Math.floor((pages * (i + 1)) / parts)},0)`) };
}
