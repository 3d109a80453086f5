// Load demo data: generate N weeks of postings, store them through the real
// ingest, and snapshot every week, so the database looks like a tracker that
// has been running for N weeks.
import type { Db } from '../db/database.ts';
import { ingestRecords } from '../postings/ingest.ts';
import { snapshotWeek } from '../stats/snapshot.ts';
import { lastCompleteWeek, weeksEndingAt, type WeekKey } from '../stats/week.ts';
import { DEMO_SOURCE, generateDemo } from './generate.ts';
import { profileForWeek } from './profile.ts';

export interface LoadDemoOptions {
  weeks?: number;
  /** The last demo week; default the last complete week at `now` in `tz`. */
  endWeek?: WeekKey;
  tz?: string;
  seed?: string;
  now?: Date;
  /** Progress lines, e.g. "week 2 of 8: 52,000 of 221,829 postings stored", then "2026-W41 snapshot taken". */
  onProgress?: (message: string) => void;
  /** Stops generating when aborted; the load then rejects (the service stops while loading in the background). */
  signal?: AbortSignal;
}

export interface LoadDemoResult {
  weeks: WeekKey[];
  /** Feed records stored (a re-run stores the same records again: it updates, never duplicates). */
  postings: number;
  rejected: number;
  ms: number;
}

export async function loadDemoData(pool: Db, opts: LoadDemoOptions = {}): Promise<LoadDemoResult> {
  const started = performance.now();
  const tz = opts.tz ?? 'UTC';
  const weeks = opts.weeks ?? 8;
  const endWeek = opts.endWeek ?? lastCompleteWeek(opts.now ?? new Date(), tz);
  const keys = weeksEndingAt(endWeek, weeks);
  // Postings per week, oldest first (generateDemoWeeks gives the oldest week the profile of index weeks-1).
  const perWeek = keys.map((_, i) => profileForWeek(keys.length - 1 - i).roles.reduce((t, r) => t + r.positions, 0));
  const expected = perWeek.reduce((a, b) => a + b, 0);
  const fmt = (n: number) => n.toLocaleString('en-US');
  /** The week being stored when `stored` postings are in: 1-based, for "week 3 of 8". */
  const weekAt = (stored: number) => {
    let sum = 0;
    for (const [i, n] of perWeek.entries()) if ((sum += n) > stored) return i + 1;
    return keys.length;
  };

  // One ingest over all weeks: generating the next chunk overlaps the database storing the last one.
  const generated = generateDemo({ weeks, endWeek, tz, ...(opts.seed === undefined ? {} : { seed: opts.seed }) });
  const signal = opts.signal;
  const records = signal
    ? (function* () {
        for (const r of generated) {
          signal.throwIfAborted();
          yield r;
        }
      })()
    : generated;
  const res = await ingestRecords(pool, records, {
    source: DEMO_SOURCE,
    label: 'demo data',
    onProgress: (p) => opts.onProgress?.(`week ${weekAt(p.stored)} of ${keys.length}: ${fmt(p.stored)} of ${fmt(expected)} postings stored`),
  });
  if (res.rejected > 0) {
    const first = res.errors[0];
    throw new Error(`demo data: ${res.rejected} record(s) rejected${first ? ` (record ${first.line}: ${first.reason})` : ''}`);
  }
  // Each week's postings are seen only inside that week, so the weeks can be snapshotted in any order.
  for (const week of keys) {
    signal?.throwIfAborted();
    await snapshotWeek(pool, week, tz);
    opts.onProgress?.(`${week} snapshot taken`);
  }
  return { weeks: keys, postings: res.stored, rejected: res.rejected, ms: Math.round(performance.now() - started) };
}
