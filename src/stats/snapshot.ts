// Snapshot one week: compute every figure of docs/methodology.md for
// every catalog role (plus the week's total) from one grouped scan of
// posting_facts (shared between sessions by page ranges), and store
// them in `weeks` and `role_weeks`, replacing that week's earlier snapshot in
// one transaction. Every catalog role gets a row, also with 0 positions, so
// pages can say "no postings this week" instead of guessing.
import { withTransaction, type Db, type DbClient } from '../db/database.ts';
import { ROLES } from '../roles/catalog.ts';
import { medianCiRanks } from './median-ci.ts';
import { mergeSorted, percentileCont, percentileContOf, sortedOnce } from './percentile.ts';
import { addNames, IdTally } from './name-tally.ts';
import { TOP_LIMITS, topLists, type ListKind } from './top-names.ts';
import {
  DELETE_WEEK_SQL,
  INSERT_ROLE_WEEKS_SQL,
  INSERT_WEEK_SQL,
  SNAPSHOT_MEANS_SQL,
  SNAPSHOT_NAMES_SQL,
  snapshotPartSql,
  INSERT_CELLS_SQL,
} from './snapshot-sql.ts';
import { METHOD } from './method.ts';
import { splitScan } from './snapshot-scan.ts';
import { cellColumns, cellParams, payWindows, readFloat8s, storedCells, type CellRow } from './snapshot-cells.ts';
import { MIN_DISCLOSED_FOR_CI, MIN_DISCLOSED_FOR_PAY, type NameCount, type RoleWeekStats, type WeekStats } from './types.ts';
import { previousWeek, weekRange, type WeekKey } from './week.ts';
import { roleExtras, type ExtraRow, type RoleExtras } from './snapshot-extras.ts';
import { addNamesAndSkills, DisclosedSkills, roleSkillPremiums } from './skill-premium.ts';

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
  /**
   * Also read the week before in the same scan and compute each role's
   * like-for-like change and its top skills' premiums, each with its
   * bootstrap interval (default true; false leaves `likeForLike` and
   * `skillPremium` null, which is what the benchmark compares with).
   */
  likeForLike?: boolean;
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

/** A median's 95% interval, as RoleWeekStats.medianCi holds it. */
type Interval = [low: number, high: number];

/** A tracked role's figures before they become RoleWeekStats. */
interface AssembledRole {
  figures: FigureRow;
  ci: Interval | null;
  /** The role's disclosed pays this week, sorted. */
  sample: Float64Array;
}

/** A row of snapshotPartSql: one (role, seniority, remote, metro) of one part of the table. */
type PartRow = CellRow;

interface Figures {
  levels: PartRow[];
  means: Map<string, { avg_min: number | null; avg_max: number | null }>;
  /** Top lists by kind ('skills', 'companies', 'metros'), then role. */
  tops: Map<string, Map<string, NameCount[]>>;
  /** The name ids behind each listed skill. */
  skillIds: Map<string, number[]>;
  /** Per tracked role, its disclosed postings' pays and skill ids (only when asked: the skill premium). */
  disclosedSkills: Map<string, DisclosedSkills>;
}

// Transaction-scoped settings (SET LOCAL does not leak, also on PGlite): on 1M postings JIT
// compilation alone took 1.2 s of a 7 s pass, and the 4 MB default work_mem spilled to disk.
const SETTINGS_SQL = `SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)`;
const SERIAL_SQL = `SELECT set_config('max_parallel_workers_per_gather', '0', true)`;
// The access path snapshot-scan.ts chose, held while the scan runs (`on` false), then released: a
// split by pages reads them in order, not the index; a split by last seen reads the index, even where
// stale or missing statistics would lead the planner to the other. Either way the groups are hashed,
// never sorted: on the index path the planner's estimate of the open-in-week rows (first seen before
// the end, last seen after the start: two ranges it takes as independent) could be 20x too low from
// one ANALYZE sample to the next, and it then sorted 1,000,000 rows to group them (a quarter more time).
const PATH_SQL = (kind: 'pages' | 'seen', on: boolean) => {
  const off = [...(kind === 'pages' ? ['enable_bitmapscan', 'enable_indexscan'] : ['enable_seqscan', 'enable_tidscan']), 'enable_sort'];
  return `SELECT ${off.map((k) => `set_config('${k}', '${on ? 'on' : 'off'}', true)`).join(', ')}`;
};

export async function snapshotWeek(pool: Db, week: WeekKey, tz: string, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const range = weekRange(week, tz);
  const roles = [...(opts.roles ?? ROLES.map((r) => r.slug))];
  const lfl = opts.likeForLike ?? true;

  // One REPEATABLE READ transaction: every statement sees the same postings.
  return withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await client.query(SETTINGS_SQL);
    // Last week's pays per cell as its snapshot stored them; when it has none, the scan reads last week too.
    const stored = lfl ? await storedCells(client, previousWeek(week)) : undefined;
    const scanPrevious = lfl && stored === undefined;
    const params = scanPrevious ? [range.start, range.end, weekRange(previousWeek(week), tz).start] : [range.start, range.end];
    // In one order whatever the scan's plan and split, so that the figures drawn from it in order (the bootstraps) are too.
    const all = (await readParts(pool, client, params, scanPrevious)).sort(byCell);
    for (const l of all) l.values = l.pays ? readFloat8s(l.pays) : null;
    const levels = all.filter((l) => l.in_cur);
    const figures = await nameFigures(client, roles, levels, lfl);
    const { total, rows } = assemble(roles, figures);
    const samples = new Map(rows.map((r) => [r.figures.role, r.sample]));
    const premiums = lfl ? roleSkillPremiums(week, figures.tops.get('skills')!, figures.disclosedSkills, figures.skillIds, samples) : undefined;
    const extras = await roleExtras(client, week, roles, [...all, ...(stored ?? [])] as ExtraRow[], lfl);
    const small = rows.filter((r) => r.figures.disclosed < METHOD.windowMinDisclosed).map((r) => r.figures.role);
    const windows = await payWindows(client, week, tz, small);

    const stats: WeekStats = {
      week,
      tz,
      start: range.start,
      end: range.end,
      total,
      roles: rows.map((r) => ({ ...toRoleStats(week, total, r.figures, r.ci), ...extras.get(r.figures.role)!,
        payWindow: windows.get(r.figures.role) ?? null,
        skillPremium: premiums?.get(r.figures.role) ?? null,
      })),
    };

    const deleted = await client.query(DELETE_WEEK_SQL, [week]);
    // cells_stored: this week's cell pays go in below, in the same transaction.
    await client.query(INSERT_WEEK_SQL, [week, tz, range.start, range.end, total, lfl]);
    await client.query(INSERT_ROLE_WEEKS_SQL, [week, JSON.stringify(stats.roles.map(toColumns))]);
    if (lfl) {
      await client.query(INSERT_CELLS_SQL, [week, ...cellParams(cellColumns(levels, new Set(roles)))]);
    }
    return { week, tz, total, roles: stats.roles.length, stats, replaced: (deleted.rowCount ?? 0) > 0 };
  });
}

/**
 * The snapshot's scan: on PostgreSQL the table's pages are split into up to
 * three parts (as many sessions as the pool has free), each scanned at the
 * same time inside a transaction that imports this one's snapshot
 * (pg_export_snapshot / SET TRANSACTION SNAPSHOT), so every part sees exactly
 * the same postings; on PGlite (one session) one statement on `client` scans it all.
 */
async function readParts(pool: Db, client: DbClient, params: unknown[], previous: boolean): Promise<PartRow[]> {
  const free = (pool.options.max ?? 1) - pool.totalCount + pool.idleCount;
  const extra = Math.max(0, Math.min(2, free));
  // Pages of the table, or ranges of last_seen_at over its index when few rows are that recent (snapshot-scan.ts).
  const { kind, cuts } = await splitScan(client, params[previous ? 2 : 0] as Date, extra + 1);
  if (cuts.length === 0) {
    await client.query(PATH_SQL(kind, false));
    const { rows } = await client.query<PartRow>(snapshotPartSql(false, false, previous), params);
    await client.query(PATH_SQL(kind, true));
    return rows;
  }
  const part = (from: boolean, to: boolean) => snapshotPartSql(from, to, previous, kind);
  const parts = [
    (c: DbClient) => c.query<PartRow>(part(false, true), [...params, cuts[0]]),
    ...cuts.slice(1).map((cut, i) => (c: DbClient) => c.query<PartRow>(part(true, true), [...params, cuts[i], cut])),
    (c: DbClient) => c.query<PartRow>(part(true, false), [...params, cuts[cuts.length - 1]]),
  ];
  const sessions = cuts.length;
  const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
  const id = rows[0]!.id;
  if (!/^[0-9A-F-]+$/i.test(id)) throw new Error(`unexpected snapshot id ${JSON.stringify(id)}`);
  // The sessions already keep the cores busy: parallel workers on top only add their merges.
  await client.query(SERIAL_SQL);
  const others: DbClient[] = [];
  let failed = false;
  try {
    for (let i = 0; i < sessions; i++) others.push(await pool.connect());
    await Promise.all(
      others.map(async (o) => {
        await o.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await o.query(`SET TRANSACTION SNAPSHOT '${id}'`);
        await o.query(SETTINGS_SQL);
        await o.query(SERIAL_SQL);
        await o.query(PATH_SQL(kind, false));
      }),
    );
    await client.query(PATH_SQL(kind, false));
    const done = await Promise.allSettled([client, ...others].map((c, i) => parts[i]!(c)));
    await client.query(PATH_SQL(kind, true));
    for (const d of done) if (d.status === 'rejected') throw d.reason;
    await Promise.all(others.map((o) => o.query('COMMIT')));
    return done.flatMap((d) => (d.status === 'fulfilled' ? d.value.rows : []));
  } catch (err) {
    failed = true;
    await Promise.all(others.map((o) => o.query('ROLLBACK').catch(() => {})));
    throw err;
  } finally {
    for (const o of others) o.release(failed);
  }
}

function byCell(a: PartRow, b: PartRow): number {
  const ka = [a.role, a.seniority, a.remote, a.metro_id, a.in_cur, a.in_prev];
  const kb = [b.role, b.seniority, b.remote, b.metro_id, b.in_cur, b.in_prev];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** The roles' means (PostgreSQL) and top lists (counted, named and ordered here: top-names.ts) from the parts' rows. */
async function nameFigures(client: DbClient, roles: readonly string[], levels: PartRow[], withSkills: boolean): Promise<Figures> {
  const tracked = new Set(roles);
  const tallies: Record<ListKind, Map<string, IdTally>> = { skills: new Map(), companies: new Map(), metros: new Map() };
  const tally = (kind: ListKind, role: string): IdTally => {
    let t = tallies[kind].get(role);
    if (!t) tallies[kind].set(role, (t = new IdTally()));
    return t;
  };
  // Per part row, its role, pay sums and disclosed count: the columns of SNAPSHOT_MEANS_SQL.
  const sums = { roles: [] as string[], sumMin: [] as (string | null)[], sumMax: [] as (string | null)[], disclosed: [] as number[] };
  const disclosedSkills = new Map<string, DisclosedSkills>();
  for (const l of levels) {
    sums.roles.push(l.role);
    sums.sumMin.push(l.sum_min);
    sums.sumMax.push(l.sum_max);
    sums.disclosed.push(l.disclosed);
    if (!tracked.has(l.role)) continue;
    if (withSkills) {
      let d = disclosedSkills.get(l.role);
      if (!d) disclosedSkills.set(l.role, (d = new DisclosedSkills()));
      addNamesAndSkills(l.names, l.values, tally('companies', l.role), tally('skills', l.role), d);
    } else addNames(l.names, tally('companies', l.role), tally('skills', l.role));
    if (l.metro_id !== 0) tally('metros', l.role).add(l.metro_id, l.positions);
  }
  const ids = new Set<number>();
  for (const byRole of Object.values(tallies)) for (const t of byRole.values()) t.forEach((id) => ids.add(id));
  const means = (await client.query<{ role: string; avg_min: number | null; avg_max: number | null }>(SNAPSHOT_MEANS_SQL, [sums.roles, sums.sumMin, sums.sumMax, sums.disclosed])).rows;
  const names = new Map<number, string>();
  if (ids.size > 0) {
    const named = await client.query<{ id: number; name: string }>(SNAPSHOT_NAMES_SQL, [[...ids]]);
    for (const r of named.rows) names.set(r.id, r.name);
  }
  const tops = new Map<string, Map<string, NameCount[]>>();
  const skillIds = new Map<string, number[]>();
  for (const kind of Object.keys(TOP_LIMITS) as ListKind[]) tops.set(kind, topLists(kind, tallies[kind], names, kind === 'skills' ? skillIds : undefined));
  return { levels, means: new Map(means.map((m) => [m.role, m])), tops, skillIds, disclosedSkills };
}

/** Per tracked role (in `roles` order) its figures and median interval, and the week's total. */
function assemble(roles: readonly string[], figures: Figures): { total: number; rows: AssembledRole[] } {
  let total = 0;
  const byRole = new Map<string, PartRow[]>();
  for (const l of figures.levels) {
    total += l.positions;
    let list = byRole.get(l.role);
    if (!list) byRole.set(l.role, (list = []));
    list.push(l);
  }
  const skills = figures.tops.get('skills')!;
  const companies = figures.tops.get('companies')!;
  const metros = figures.tops.get('metros')!;
  const rows = roles.map((role): AssembledRole => {
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
      top_metros: metros.get(role) ?? [],
    };
    const mean = figures.means.get(role);
    f.avg_min = mean?.avg_min ?? null;
    f.avg_max = mean?.avg_max ?? null;
    const levelPays: Record<Level, Float64Array[]> = { entry: [], mid: [], senior: [] };
    for (const l of byRole.get(role) ?? []) {
      f.positions += l.positions;
      f.disclosed += l.disclosed;
      if (l.remote) f.remote += l.positions;
      f[l.seniority] += l.positions;
      f[`${l.seniority}_n`] += l.disclosed;
      if (l.values) levelPays[l.seniority].push(sortedOnce(l));
    }
    for (const level of ['entry', 'mid', 'senior'] as const) f[`${level}_median`] = percentileContOf(levelPays[level], 0.5);
    f.mean = f.avg_max;
    const sample = mergeSorted([...levelPays.entry, ...levelPays.mid, ...levelPays.senior]);
    f.p25 = percentileCont(sample, 0.25);
    f.median = percentileCont(sample, 0.5);
    f.p75 = percentileCont(sample, 0.75);
    const ranks = medianCiRanks(f.disclosed);
    const ci: Interval | null = ranks ? [sample[ranks.lower - 1]!, sample[ranks.upper - 1]!] : null;
    return { figures: f, ci, sample };
  });
  return { total, rows };
}

function toRoleStats(week: WeekKey, total: number, r: FigureRow, ci: Interval | null): Omit<RoleWeekStats, keyof RoleExtras> {
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
    remotePct: r.positions > 0 ? r.remote / r.positions : null,
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
    like_for_like: s.likeForLike,
    work_mode: s.workMode,
    metro_pay: s.metroPay,
    pay_window: s.payWindow ?? null,
    skill_premium: s.skillPremium ?? null,
  };
}

/** A week's snapshot goes (its role_weeks and cells follow by ON DELETE CASCADE); for a week no posting is open in any more. */
export async function deleteWeekSnapshot(pool: Db, week: string): Promise<void> {
  await pool.query('DELETE FROM weeks WHERE week = $1', [week]);
}
