// Snapshot one week: compute every figure of DESIGN.md's Stats section for
// every catalog role (plus the week's total) in one set-based pass, and store
// them in `weeks` and `role_weeks`, replacing that week's earlier snapshot in
// one transaction. Every catalog role gets a row, also with 0 positions, so
// pages can say "no postings this week" instead of guessing.
import { withTransaction, type Db } from '../db/database.ts';
import { ROLES } from '../roles/catalog.ts';
import { medianCiRanks } from './median-ci.ts';
import {
  DELETE_WEEK_SQL,
  INSERT_ROLE_WEEKS_SQL,
  INSERT_WEEK_SQL,
  SNAPSHOT_FIGURES_SQL,
  SNAPSHOT_MEDIAN_CI_SQL,
} from './snapshot-sql.ts';
import { MIN_DISCLOSED_FOR_CI, MIN_DISCLOSED_FOR_PAY, type NameCount, type RoleWeekStats, type WeekStats } from './types.ts';
import { weekRange, type WeekKey } from './week.ts';

export { listWeeks, readHistory, readWeek } from './read-stats.ts';

export interface SnapshotResult {
  week: WeekKey;
  tz: string;
  /** Open postings of all roles, `other` included. */
  total: number;
  /** Number of role rows stored (every catalog role). */
  roles: number;
  /** The stored figures, as readWeek would return them. */
  stats: WeekStats;
  /** True when the week had been snapshotted before and its rows were replaced. */
  replaced: boolean;
}

export interface SnapshotOptions {
  /** Tracked role slugs, in display order; default the catalog. */
  roles?: readonly string[];
}

interface FigureRow {
  role: string;
  total: number;
  positions: number;
  disclosed: number;
  avg_min: number | null;
  avg_max: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  mean: number | null;
  remote: number;
  entry: number;
  mid: number;
  senior: number;
  entry_n: number;
  mid_n: number;
  senior_n: number;
  entry_median: number | null;
  mid_median: number | null;
  senior_median: number | null;
  top_skills: NameCount[];
  top_companies: NameCount[];
  top_metros: NameCount[];
}

export async function snapshotWeek(pool: Db, week: WeekKey, tz: string, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const range = weekRange(week, tz);
  const roles = [...(opts.roles ?? ROLES.map((r) => r.slug))];
  const window = [range.start, range.end, roles];

  // Everything on one client in one REPEATABLE READ transaction: both passes
  // see the same postings, and no other pool query is awaited meanwhile (PGlite).
  return withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    // Transaction-scoped settings (SET LOCAL does not leak, also on PGlite): on 1M postings JIT
    // compilation alone took 1.2 s of a 7 s pass, and the 4 MB default work_mem spilled sorts to disk.
    await client.query(`SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)`);
    const { rows } = await client.query<FigureRow>(SNAPSHOT_FIGURES_SQL, window);
    const total = rows[0]?.total ?? 0;

    const ciRoles: string[] = [];
    const lows: number[] = [];
    const highs: number[] = [];
    for (const r of rows) {
      const ranks = r.disclosed >= MIN_DISCLOSED_FOR_CI ? medianCiRanks(r.disclosed) : undefined;
      if (!ranks) continue;
      ciRoles.push(r.role);
      lows.push(ranks.lower);
      highs.push(ranks.upper);
    }
    const ci = new Map<string, [number, number]>();
    if (ciRoles.length > 0) {
      const res = await client.query<{ role: string; low: number; high: number }>(SNAPSHOT_MEDIAN_CI_SQL, [
        range.start,
        range.end,
        ciRoles,
        lows,
        highs,
      ]);
      for (const r of res.rows) ci.set(r.role, [r.low, r.high]);
    }

    const stats: WeekStats = {
      week,
      tz,
      start: range.start,
      end: range.end,
      total,
      roles: rows.map((r) => toRoleStats(week, total, r, ci.get(r.role) ?? null)),
    };

    const deleted = await client.query(DELETE_WEEK_SQL, [week]);
    await client.query(INSERT_WEEK_SQL, [week, tz, range.start, range.end, total]);
    await client.query(INSERT_ROLE_WEEKS_SQL, [week, JSON.stringify(stats.roles.map(toColumns))]);
    return { week, tz, total, roles: stats.roles.length, stats, replaced: (deleted.rowCount ?? 0) > 0 };
  });
}

function toRoleStats(week: WeekKey, total: number, r: FigureRow, ci: [number, number] | null): RoleWeekStats {
  const pay = r.disclosed >= MIN_DISCLOSED_FOR_PAY;
  const money = (v: number | null): number | null => (pay && v !== null ? Number(v) : null);
  const levelMedian = (n: number, v: number | null): number | null => (n >= MIN_DISCLOSED_FOR_PAY && v !== null ? v : null);
  return {
    week,
    role: r.role,
    positions: r.positions,
    share: total > 0 ? r.positions / total : 0,
    disclosed: r.disclosed,
    avgMin: money(r.avg_min),
    avgMax: money(r.avg_max),
    p25: money(r.p25),
    median: money(r.median),
    mean: money(r.mean),
    p75: money(r.p75),
    medianCi: r.disclosed >= MIN_DISCLOSED_FOR_CI && ci ? ci : null,
    remote: r.remote,
    remotePct: r.positions > 0 ? r.remote / r.positions : 0,
    mix: { entry: r.entry, mid: r.mid, senior: r.senior },
    bySeniority: {
      entry: { n: r.entry_n, median: levelMedian(r.entry_n, r.entry_median) },
      mid: { n: r.mid_n, median: levelMedian(r.mid_n, r.mid_median) },
      senior: { n: r.senior_n, median: levelMedian(r.senior_n, r.senior_median) },
    },
    topSkills: r.top_skills,
    topCompanies: r.top_companies,
    topMetros: r.top_metros,
  };
}

function toColumns(s: RoleWeekStats): Record<string, unknown> {
  return {
    role: s.role,
    positions: s.positions,
    share: s.share,
    disclosed: s.disclosed,
    avg_min: s.avgMin,
    avg_max: s.avgMax,
    p25: s.p25,
    median: s.median,
    mean: s.mean,
    p75: s.p75,
    median_ci_low: s.medianCi?.[0] ?? null,
    median_ci_high: s.medianCi?.[1] ?? null,
    remote: s.remote,
    remote_pct: s.remotePct,
    entry: s.mix.entry,
    mid: s.mix.mid,
    senior: s.mix.senior,
    by_seniority: s.bySeniority,
    top_skills: s.topSkills,
    top_companies: s.topCompanies,
    top_metros: s.topMetros,
  };
}
