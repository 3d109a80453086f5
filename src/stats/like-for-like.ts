// Like-for-like pay change of one role between two weeks
// (docs/methodology.md, "Like-for-like pay change"): postings are split into
// cells of seniority x work mode (and metro, when every such cell keeps
// METHOD.lflMetroMinCellN disclosed pays in both weeks); each cell's median
// change is weighted by the cell's share of the earlier week's disclosed pays
// (a fixed basket, Laspeyres); cells with fewer than METHOD.lflMinCellN
// disclosed pays in either week are left out and counted. The 95% interval
// comes from a seeded bootstrap that resamples postings within cells. Pure.
import { createRng } from './rng.ts';
import { drawMedian, LITERAL_MAX_N, percentileInterval } from './bootstrap.ts';
import { METHOD, type Method } from './method.ts';
import { mergeSorted, percentileCont } from './percentile.ts';
import type { Seniority } from './types.ts';

/** One cell's disclosed pays in each week (any order; sorted here when not sorted already). */
export interface CellPays {
  seniority: Seniority;
  remote: boolean;
  /** Metro id (remote postings share one); only used when cells split by metro. */
  metro: number;
  current: Float64Array;
  previous: Float64Array;
}

export interface LikeForLike {
  /** Weighted mean of the cells' median changes, percent; null when no cell has enough pays in both weeks. */
  change: number | null;
  /** Bootstrap interval of `change`, percent. */
  ci: [number, number] | null;
  /** Cells that count. */
  cells: number;
  /** Cells left out for having fewer than METHOD.lflMinCellN disclosed pays in either week. */
  excludedCells: number;
  /** Disclosed pays in the cells that count, this week and last. */
  n: { current: number; previous: number };
  /** Disclosed pays in the cells left out. */
  excluded: { current: number; previous: number };
  /** True when cells are split by metro as well. */
  byMetro: boolean;
  draws: number;
}

interface Cell {
  cur: Float64Array;
  prev: Float64Array;
}

/** The like-for-like change of one role; `seed` (e.g. "2026-W47/mlops-engineer") fixes the draws with the method's seed. */
export function likeForLike(fine: readonly CellPays[], seed: string, method: Method = METHOD): LikeForLike {
  const byMetro = metroSplitHolds(fine, method);
  const cells = group(fine, byMetro);
  const used: Cell[] = [];
  const out: LikeForLike = {
    change: null,
    ci: null,
    cells: 0,
    excludedCells: 0,
    n: { current: 0, previous: 0 },
    excluded: { current: 0, previous: 0 },
    byMetro,
    draws: 0,
  };
  for (const c of cells) {
    if (c.cur.length === 0 && c.prev.length === 0) continue;
    if (c.cur.length < method.lflMinCellN || c.prev.length < method.lflMinCellN) {
      out.excludedCells += 1;
      out.excluded.current += c.cur.length;
      out.excluded.previous += c.prev.length;
      continue;
    }
    used.push({ cur: sorted(c.cur), prev: sorted(c.prev) });
    out.n.current += c.cur.length;
    out.n.previous += c.prev.length;
  }
  if (used.length === 0) return out;
  const weights = used.map((c) => c.prev.length / out.n.previous);
  out.cells = used.length;
  out.change = weighted(used, weights, (s) => percentileCont(s, 0.5)!);

  const rng = createRng(`${method.bootstrapSeed}:${seed}`);
  const scratch = new Float64Array(LITERAL_MAX_N);
  const draws = new Float64Array(method.bootstrapDraws);
  const draw = (s: Float64Array) => drawMedian(s, rng, scratch); // one closure, not one per draw
  for (let b = 0; b < draws.length; b++) draws[b] = weighted(used, weights, draw);
  out.ci = percentileInterval(draws, method.confidence);
  out.draws = draws.length;
  return out;
}

/** Σ w_c (median_cur / median_prev - 1), in percent; the previous week's median is drawn first in each cell. */
function weighted(cells: readonly Cell[], weights: readonly number[], median: (s: Float64Array) => number): number {
  let sum = 0;
  for (let i = 0; i < cells.length; i++) {
    const before = median(cells[i]!.prev);
    const now = median(cells[i]!.cur);
    sum += weights[i]! * (now / before - 1);
  }
  return sum * 100;
}

/** Cells by metro only when there is more than one metro and every cell keeps enough pays in both weeks. */
function metroSplitHolds(fine: readonly CellPays[], method: Method): boolean {
  const metros = new Set(fine.map((f) => f.metro));
  if (metros.size < 2) return false;
  const counts = new Map<string, [number, number]>();
  for (const f of fine) {
    const key = `${f.seniority}|${f.remote}|${f.metro}`;
    const c = counts.get(key) ?? [0, 0];
    c[0] += f.current.length;
    c[1] += f.previous.length;
    counts.set(key, c);
  }
  const min = method.lflMetroMinCellN;
  return [...counts.values()].every(([cur, prev]) => (cur === 0 && prev === 0) || (cur >= min && prev >= min));
}

function group(fine: readonly CellPays[], byMetro: boolean): Cell[] {
  const parts = new Map<string, { cur: Float64Array[]; prev: Float64Array[] }>();
  for (const f of fine) {
    const key = `${f.seniority}|${f.remote}${byMetro ? `|${f.metro}` : ''}`;
    let p = parts.get(key);
    if (!p) parts.set(key, (p = { cur: [], prev: [] }));
    p.cur.push(f.current);
    p.prev.push(f.previous);
  }
  return [...parts.values()].map((p) => ({ cur: join(p.cur), prev: join(p.prev) }));
}

/** Parts as one sample: merged when every part is sorted (as the snapshot passes them), else concatenated. */
function join(parts: Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0]!;
  if (parts.every(isSorted)) return mergeSorted(parts);
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

function isSorted(a: Float64Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1]! > a[i]!) return false;
  return true;
}

/** `a` sorted, copied first: the caller's arrays are not touched. */
function sorted(a: Float64Array): Float64Array {
  return isSorted(a) ? a : Float64Array.from(a).sort();
}

/** True when the interval lies wholly above or below zero. */
export function excludesZero(ci: readonly [number, number] | null): boolean {
  return ci !== null && (ci[0] > 0 || ci[1] < 0);
}
