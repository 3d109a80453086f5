// `digest demo-data --remove`: deletes the generated postings and what was
// computed from them, and keeps what was sent. See docs/demo-data.md.
//
// - postings of the `demo` source: deleted (their posting_facts follow by trigger);
// - snapshots of weeks where demo postings were open: taken again from the
//   postings left, or deleted when none are open in that week;
// - issues composed from demo weeks: drafts are deleted (nothing was sent);
//   an issue that went out is kept, because its deliveries, clicks and
//   webhook events are the record of what readers got; its frozen content
//   says it was demo, so the archive keeps saying so.
import type { Db } from '../db/database.ts';
import { deletePostingsOfSource } from '../postings/upsert.ts';
import { deleteWeekSnapshot, snapshotWeek } from '../stats/snapshot.ts';
import { DEMO_SOURCE } from './generate.ts';

export interface RemoveDemoResult {
  postings: number;
  /** Weeks snapshotted again from the postings that remain. */
  resnapshotted: string[];
  /** Weeks whose snapshot was deleted (no postings open in them any more). */
  deletedWeeks: string[];
  deletedDrafts: string[];
  /** Weeks whose demo issue went out and is kept. */
  keptIssues: string[];
}

export async function removeDemoData(pool: Db, opts: { tz: string }): Promise<RemoveDemoResult> {
  const { rows: weeks } = await pool.query<{ week: string }>(
    `SELECT w.week FROM weeks w
      WHERE EXISTS (SELECT 1 FROM postings p WHERE p.source = $1 AND p.first_seen_at < w.ends_at AND p.last_seen_at >= w.starts_at)
      ORDER BY w.week`,
    [DEMO_SOURCE],
  );
  const demoWeeks = weeks.map((r) => r.week);
  const deleted = await deletePostingsOfSource(pool, DEMO_SOURCE);
  const resnapshotted: string[] = [];
  const deletedWeeks: string[] = [];
  for (const week of demoWeeks) {
    const { rows } = await pool.query<{ open: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM weeks w JOIN postings p ON p.first_seen_at < w.ends_at AND p.last_seen_at >= w.starts_at WHERE w.week = $1) AS open`,
      [week],
    );
    if (rows[0]?.open) {
      await snapshotWeek(pool, week, opts.tz);
      resnapshotted.push(week);
    } else {
      await deleteWeekSnapshot(pool, week);
      deletedWeeks.push(week);
    }
  }
  const { rows: drafts } = await pool.query<{ week: string }>(
    `DELETE FROM issues WHERE status = 'draft' AND (week = ANY($1) OR content->>'demo' = 'true') RETURNING week`,
    [demoWeeks],
  );
  const { rows: kept } = await pool.query<{ week: string }>(`SELECT week FROM issues WHERE status <> 'draft' AND content->>'demo' = 'true' ORDER BY week`);
  return {
    postings: deleted,
    resnapshotted,
    deletedWeeks,
    deletedDrafts: drafts.map((r) => r.week).sort(),
    keptIssues: kept.map((r) => r.week),
  };
}
