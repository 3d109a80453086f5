// What the pages read, cached per snapshot version. Requests check the
// version (one small query on `weeks`, at most once per `freshnessMs`, shared
// by concurrent requests); week figures are read once per version and kept.
// A new or re-run snapshot changes the version and drops everything cached.
import type { Db } from '../db/database.ts';
import { demoLoaded } from '../demo/status.ts';
import { readWeek } from '../stats/snapshot.ts';
import { PAGE_TREND_WEEKS } from '../stats/figures.ts';
import type { RoleWeekStats, WeekStats } from '../stats/types.ts';

export interface SnapshotVersion {
  /** Changes whenever any week is snapshotted (again); part of every cache key and ETag. */
  stamp: string;
  /** Tracked weeks, oldest first. */
  weeks: string[];
  latest: string | undefined;
  /** The newest snapshot time, for Last-Modified. */
  lastModified: Date | undefined;
  /** Demo postings are loaded (src/demo/status.ts): every page says so. Part of the stamp. */
  demo: boolean;
}

export interface TrendPoint {
  week: string;
  median: number | null;
  p75: number | null;
  positions: number;
  disclosed: number;
}

export interface SiteData {
  version(): Promise<SnapshotVersion>;
  week(v: SnapshotVersion, week: string): Promise<WeekStats | undefined>;
  /** One role's figures over the tracked weeks ending at `week` (at most PAGE_TREND_WEEKS). */
  trend(v: SnapshotVersion, role: string, week: string): Promise<TrendPoint[]>;
}

// Why one query for the version and the week list: `weeks` has one row per
// week (52 a year), so reading it whole costs about as much as max().
const VERSION_SQL = `SELECT week, snapshot_at FROM weeks ORDER BY week`;

export function createSiteData(pool: Db, opts: { freshnessMs?: number; now?: () => number } = {}): SiteData {
  const freshnessMs = opts.freshnessMs ?? 2_000;
  const now = opts.now ?? Date.now;
  let current: { v: SnapshotVersion; checkedAt: number } | undefined;
  let pending: Promise<SnapshotVersion> | undefined;
  let weeks = new Map<string, Promise<WeekStats | undefined>>();
  let weeksStamp = '';

  async function check(): Promise<SnapshotVersion> {
    const { rows } = await pool.query<{ week: string; snapshot_at: Date }>(VERSION_SQL);
    const demo = await demoLoaded(pool);
    let last: Date | undefined;
    for (const r of rows) if (!last || r.snapshot_at > last) last = r.snapshot_at;
    const v: SnapshotVersion = {
      stamp: `${demo ? 'demo;' : ''}${rows.map((r) => `${r.week}@${r.snapshot_at.getTime()}`).join(',')}`,
      weeks: rows.map((r) => r.week),
      latest: rows.at(-1)?.week,
      lastModified: last,
      demo,
    };
    current = { v: current?.v.stamp === v.stamp ? current.v : v, checkedAt: now() };
    return current.v;
  }

  function weekOf(v: SnapshotVersion, week: string): Promise<WeekStats | undefined> {
    if (weeksStamp !== v.stamp) {
      weeks = new Map();
      weeksStamp = v.stamp;
    }
    if (!v.weeks.includes(week)) return Promise.resolve(undefined);
    let p = weeks.get(week);
    if (!p) {
      p = readWeek(pool, week);
      // A failed read must not stay cached.
      p.catch(() => weeks.delete(week));
      weeks.set(week, p);
    }
    return p;
  }

  return {
    async version() {
      if (current && now() - current.checkedAt < freshnessMs) return current.v;
      pending ??= check().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    week: weekOf,
    async trend(v, role, week) {
      const end = v.weeks.indexOf(week);
      if (end < 0) return [];
      const keys = v.weeks.slice(Math.max(0, end - PAGE_TREND_WEEKS + 1), end + 1);
      const stats = await Promise.all(keys.map((k) => weekOf(v, k)));
      const out: TrendPoint[] = [];
      for (const s of stats) {
        const r: RoleWeekStats | undefined = s?.roles.find((x) => x.role === role);
        if (!s || !r) continue;
        out.push({ week: s.week, median: r.median, p75: r.p75, positions: r.positions, disclosed: r.disclosed });
      }
      return out;
    },
  };
}
