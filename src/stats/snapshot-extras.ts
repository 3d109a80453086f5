// The figures the snapshot adds per role beyond DESIGN's quartiles
// (docs/methodology.md): the like-for-like change against the week before,
// the median of remote and of on-site postings, and the median by metro for
// metros with enough disclosed pays; each with its n and 95% interval.
// Reads the snapshot scan's rows (snapshot-sql.ts); names metros in one query.
import type { DbClient } from '../db/database.ts';
import { likeForLike, type CellPays } from './like-for-like.ts';
import { medianCiRanks } from './median-ci.ts';
import { METHOD } from './method.ts';
import { kthOfSorted, mergeSorted, percentileContOf, sortedOnce } from './percentile.ts';
import { MIN_DISCLOSED_FOR_PAY, type MetroPay, type PaySummary, type RoleWeekStats, type Seniority } from './types.ts';

/** The fields of a scan row read here. */
export interface ExtraRow {
  role: string;
  seniority: Seniority;
  remote: boolean;
  metro_id: number;
  in_cur: boolean;
  in_prev: boolean;
  values?: Float64Array | null;
  sorted?: Float64Array;
}

export type RoleExtras = Pick<RoleWeekStats, 'likeForLike' | 'workMode' | 'metroPay'>;

/** Metros listed per role at most. */
const METRO_PAY_MAX = 5;

const METRO_NAMES_SQL = `SELECT id, name FROM fact_names WHERE id = ANY($1::int[])`;

export async function roleExtras(
  client: DbClient,
  week: string,
  roles: readonly string[],
  rows: readonly ExtraRow[],
  withPrevious: boolean,
): Promise<Map<string, RoleExtras>> {
  const byRole = new Map<string, ExtraRow[]>();
  for (const r of rows) {
    let list = byRole.get(r.role);
    if (!list) byRole.set(r.role, (list = []));
    list.push(r);
  }
  const out = new Map<string, RoleExtras>();
  const metroIds = new Set<number>();
  const metroSamples = new Map<string, { id: number; parts: Float64Array[] }[]>();
  for (const role of roles) {
    const list = byRole.get(role) ?? [];
    const cur = list.filter((r) => r.in_cur);
    const workMode = {
      remote: summaryOf(cur.filter((r) => r.remote).map(sortedOnce)),
      onsite: summaryOf(cur.filter((r) => !r.remote).map(sortedOnce)),
    };
    const metros = new Map<number, Float64Array[]>();
    for (const r of cur) {
      if (r.remote || r.metro_id === 0 || !r.values) continue;
      let m = metros.get(r.metro_id);
      if (!m) metros.set(r.metro_id, (m = []));
      m.push(sortedOnce(r));
    }
    const top = [...metros]
      .map(([id, parts]) => ({ id, n: parts.reduce((n, p) => n + p.length, 0), parts }))
      .filter((m) => m.n >= METHOD.metroMedianMinN)
      .sort((a, b) => b.n - a.n || a.id - b.id)
      .slice(0, METRO_PAY_MAX)
      .map((m) => ({ id: m.id, parts: m.parts }));
    for (const m of top) metroIds.add(m.id);
    metroSamples.set(role, top);
    out.set(role, { likeForLike: withPrevious ? likeForLike(cellsOf(list), `${week}/${role}`) : null, workMode, metroPay: [] });
  }
  if (metroIds.size > 0) {
    const { rows: named } = await client.query<{ id: number; name: string }>(METRO_NAMES_SQL, [[...metroIds]]);
    const names = new Map(named.map((n) => [n.id, n.name]));
    for (const [role, top] of metroSamples) {
      const metroPay: MetroPay[] = top.map((m) => ({ name: names.get(m.id) ?? String(m.id), ...summaryOf(m.parts) }));
      // Ties in n by name, so the order does not depend on ids.
      metroPay.sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      out.get(role)!.metroPay = metroPay;
    }
  }
  return out;
}

/** The role's pays per (seniority, remote, metro), this week's and last week's. */
function cellsOf(rows: readonly ExtraRow[]): CellPays[] {
  const cells = new Map<string, { seniority: Seniority; remote: boolean; metro: number; cur: Float64Array[]; prev: Float64Array[] }>();
  for (const r of rows) {
    if (!r.values) continue;
    const key = `${r.seniority}|${r.remote}|${r.metro_id}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { seniority: r.seniority, remote: r.remote, metro: r.metro_id, cur: [], prev: [] }));
    if (r.in_cur) c.cur.push(sortedOnce(r));
    if (r.in_prev) c.prev.push(sortedOnce(r));
  }
  return [...cells.values()].map((c) => ({
    seniority: c.seniority,
    remote: c.remote,
    metro: c.metro,
    current: mergeSorted(c.cur),
    previous: mergeSorted(c.prev),
  }));
}

/** n, median (n >= 5) and the order-statistic 95% interval (n >= 15) of sorted samples taken together. */
export function summaryOf(parts: readonly Float64Array[]): PaySummary {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const ranks = medianCiRanks(n);
  return {
    n,
    median: n >= MIN_DISCLOSED_FOR_PAY ? percentileContOf(parts, 0.5) : null,
    ci: ranks ? [kthOfSorted(parts, ranks.lower - 1), kthOfSorted(parts, ranks.upper - 1)] : null,
  };
}
