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
  /** Progress lines, e.g. "52,000 of 221,829 postings stored", then "2026-W41 snapshot taken". */
  onProgress?: (message: string) => void;
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
  const expected = keys.reduce((s, _, i) => s + profileForWeek(i).roles.reduce((t, r) => t + r.positions, 0), 0);
  const fmt = (n: number) => n.toLocaleString('en-US');

  // One ingest over all weeks: generating the next chunk overlaps the database storing the last one.
  const records = generateDemo({ weeks, endWeek, tz, ...(opts.seed === undefined ? {} : { seed: opts.seed }) });
  const res = await ingestRecords(pool, records, {
    source: DEMO_SOURCE,
    label: 'demo data',
    onProgress: (p) => opts.onProgress?.(`${fmt(p.stored)} of ${fmt(expected)} postings stored`),
  });
  if (res.rejected > 0) {
    const first = res.errors[0];
    throw new Error(`demo data: ${res.rejected} record(s) rejected${first ? ` (record ${first.line}: ${first.reason})` : ''}`);
  }
  // Each week's postings are seen only inside that week, so the weeks can be snapshotted in any order.
  for (const week of keys) {
    await snapshotWeek(pool, week, tz);
    opts.onProgress?.(`${week} snapshot taken`);
  }
  return { weeks: keys, postings: res.stored, rejected: res.rejected, ms: Math.round(performance.now() - started) };
}
