// Snapshot one week: compute every figure of DESIGN.md's Stats section for
// every catalog role (plus the week's total) in three set-based statements, and store
// them in `weeks` and `role_weeks`, replacing that week's earlier snapshot in
// one transaction. Every catalog role gets a row, also with 0 positions, so
// pages can say "no postings this week" instead of guessing.
import { withTransaction, type Db, type DbClient } from '../db/database.ts';
import { ROLES } from '../roles/catalog.ts';
import { medianCiRanks } from './median-ci.ts';
import { mergeSorted, percentileCont, sortedSample } from './percentile.ts';
import {
  DELETE_WEEK_SQL,
  INSERT_ROLE_WEEKS_SQL,
  INSERT_WEEK_SQL,
  SNAPSHOT_ROLE_FIGURES_SQL,
  SNAPSHOT_TOP_COMPANIES_SQL,
  SNAPSHOT_TOP_SKILLS_SQL,
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

type Level = 'entry' | 'mid' | 'senior';

/** A row of SNAPSHOT_ROLE_FIGURES_SQL: one (role, seniority, remote, metro). */
interface RoleLevelRow {
  role: string;
  seniority: Level;
  top_metros: NameCount[] | null;
  positions: number;
  remote: number;
  disclosed: number;
  pays: number[] | null;
  avg_min: number | null;
  avg_max: number | null;
}

interface TopRow {
  role: string;
  top: NameCount[];
}

interface Figures {
  levels: RoleLevelRow[];
  skills: TopRow[];
  companies: TopRow[];
}

// Transaction-scoped settings (SET LOCAL does not leak, also on PGlite): on 1M postings JIT
// compilation alone took 1.2 s of a 7 s pass, and the 4 MB default work_mem spilled to disk.
const SETTINGS_SQL = `SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)`;
const SERIAL_SQL = `SELECT set_config('max_parallel_workers_per_gather', '0', true)`;

export async function snapshotWeek(pool: Db, week: WeekKey, tz: string, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const range = weekRange(week, tz);
  const roles = [...(opts.roles ?? ROLES.map((r) => r.slug))];
  const params = [range.start, range.end, roles];

  // One REPEATABLE READ transaction: every statement sees the same postings.
  return withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await client.query(SETTINGS_SQL);
    const { total, rows } = assemble(roles, await readFigures(pool, client, params));

    const stats: WeekStats = {
      week,
      tz,
      start: range.start,
      end: range.end,
      total,
      roles: rows.map((r) => toRoleStats(week, total, r.figures, r.ci)),
    };

    const deleted = await client.query(DELETE_WEEK_SQL, [week]);
    await client.query(INSERT_WEEK_SQL, [week, tz, range.start, range.end, total]);
    await client.query(INSERT_ROLE_WEEKS_SQL, [week, JSON.stringify(stats.roles.map(toColumns))]);
    return { week, tz, total, roles: stats.roles.length, stats, replaced: (deleted.rowCount ?? 0) > 0 };
  });
}

/**
 * The three statements of the snapshot, each one CPU-bound scan of the week's
 * postings. On PostgreSQL they run at the same time on up to three sessions
 * (as many as the pool has free), the others each inside a transaction that
 * imports this one's snapshot (pg_export_snapshot / SET TRANSACTION SNAPSHOT),
 * so every statement sees exactly the same postings; on PGlite (one session)
 * they run one after the other on `client`.
 */
async function readFigures(pool: Db, client: DbClient, params: unknown[]): Promise<Figures> {
  const out: Partial<Figures> = {};
  // Longest first (on the benches).
  const tasks: ((c: DbClient) => Promise<void>)[] = [
    async (c) => void (out.levels = (await c.query<RoleLevelRow>(SNAPSHOT_ROLE_FIGURES_SQL, params)).rows),
    async (c) => void (out.skills = (await c.query<TopRow>(SNAPSHOT_TOP_SKILLS_SQL, params)).rows),
    async (c) => void (out.companies = (await c.query<TopRow>(SNAPSHOT_TOP_COMPANIES_SQL, params)).rows),
  ];
  const drain = async (c: DbClient) => {
    for (let t = tasks.shift(); t; t = tasks.shift()) await t(c);
  };
  const free = (pool.options.max ?? 1) - pool.totalCount + pool.idleCount;
  const extra = Math.min(tasks.length - 1, free);
  if (extra <= 0) {
    await drain(client);
    return out as Figures;
  }
  const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
  const id = rows[0]!.id;
  if (!/^[0-9A-F-]+$/i.test(id)) throw new Error(`unexpected snapshot id ${JSON.stringify(id)}`);
  // The sessions already keep both cores busy: parallel workers on top only add
  // their partial aggregates and merges (about 15% slower on 2 cores).
  await client.query(SERIAL_SQL);
  const others: DbClient[] = [];
  let failed = false;
  try {
    for (let i = 0; i < extra; i++) others.push(await pool.connect());
    await Promise.all(
      others.map(async (o) => {
        await o.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await o.query(`SET TRANSACTION SNAPSHOT '${id}'`);
        await o.query(SETTINGS_SQL);
        await o.query(SERIAL_SQL);
      }),
    );
    const done = await Promise.allSettled([client, ...others].map(drain));
    for (const d of done) if (d.status === 'rejected') throw d.reason;
    await Promise.all(others.map((o) => o.query('COMMIT')));
    return out as Figures;
  } catch (err) {
    failed = true;
    tasks.length = 0;
    await Promise.all(others.map((o) => o.query('ROLLBACK').catch(() => {})));
    throw err;
  } finally {
    for (const o of others) o.release(failed);
  }
}

/** Per tracked role (in `roles` order) its figures and median interval, and the week's total. */
function assemble(roles: readonly string[], figures: Figures): { total: number; rows: { figures: FigureRow; ci: [number, number] | null }[] } {
  let total = 0;
  const byRole = new Map<string, RoleLevelRow[]>();
  for (const l of figures.levels) {
    total += l.positions;
    let list = byRole.get(l.role);
    if (!list) byRole.set(l.role, (list = []));
    list.push(l);
  }
  const skills = new Map(figures.skills.map((r) => [r.role, r.top]));
  const companies = new Map(figures.companies.map((r) => [r.role, r.top]));
  const rows = roles.map((role) => {
    const f: FigureRow = {
      role,
      positions: 0,
      disclosed: 0,
      avg_min: null,
      avg_max: null,
      p25: null,
      median: null,
      p75: null,
      mean: null,
      remote: 0,
      entry: 0,
      mid: 0,
      senior: 0,
      entry_n: 0,
      mid_n: 0,
      senior_n: 0,
      entry_median: null,
      mid_median: null,
      senior_median: null,
      top_skills: skills.get(role) ?? [],
      top_companies: companies.get(role) ?? [],
      top_metros: [],
    };
    const levelPays: Record<Level, (number[] | null)[]> = { entry: [], mid: [], senior: [] };
    for (const l of byRole.get(role) ?? []) {
      f.positions += l.positions;
      f.disclosed += l.disclosed;
      f.remote += l.remote;
      f.avg_min = l.avg_min;
      f.avg_max = l.avg_max;
      f.top_metros = l.top_metros ?? [];
      f[l.seniority] += l.positions;
      f[`${l.seniority}_n`] += l.disclosed;
      levelPays[l.seniority].push(l.pays);
    }
    const levels = (['entry', 'mid', 'senior'] as const).map((level) => {
      const sorted = sortedSample(...levelPays[level]);
      f[`${level}_median`] = percentileCont(sorted, 0.5);
      return sorted;
    });
    f.mean = f.avg_max;
    const sample = mergeSorted(levels);
    f.p25 = percentileCont(sample, 0.25);
    f.median = percentileCont(sample, 0.5);
    f.p75 = percentileCont(sample, 0.75);
    const ranks = f.disclosed >= MIN_DISCLOSED_FOR_CI ? medianCiRanks(f.disclosed) : undefined;
    const ci: [number, number] | null = ranks ? [sample[ranks.lower - 1]!, sample[ranks.upper - 1]!] : null;
    return { figures: f, ci };
  });
  return { total, rows };
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
