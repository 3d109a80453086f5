// Order statistics of a sorted sample, bit for bit as PostgreSQL computes
// them: percentile_cont(p) interpolates between rows floor(p*(n-1)) and
// ceil(p*(n-1)) (0-based) as `lo + frac * (hi - lo)` in float8, which is the
// same IEEE-754 double arithmetic here. Pure.

/** A sample sorted ascending, from values PostgreSQL returned as float8. */
export function sortedSample(...parts: readonly (ArrayLike<number> | null | undefined)[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p?.length ?? 0;
  const out = new Float64Array(n);
  let i = 0;
  for (const p of parts) {
    if (!p) continue;
    out.set(p, i);
    i += p.length;
  }
  return out.sort(); // Float64Array sort: numeric, -0 before +0, NaN last
}

/** Sorted samples merged into one, sorted as sortedSample sorts (NaN last, as PostgreSQL orders it). */
export function mergeSorted(parts: readonly Float64Array[]): Float64Array {
  const live = parts.filter((p) => p.length > 0);
  if (live.length === 1) return live[0]!;
  const out = new Float64Array(live.reduce((n, p) => n + p.length, 0));
  const at = live.map(() => 0);
  const before = (x: number, y: number) => x < y || (y !== y && x === x);
  for (let o = 0; o < out.length; o++) {
    let k = -1;
    for (let j = 0; j < live.length; j++) {
      if (at[j]! < live[j]!.length && (k < 0 || before(live[j]![at[j]!]!, live[k]![at[k]!]!))) k = j;
    }
    out[o] = live[k]![at[k]!++]!;
  }
  return out;
}

/** percentile_cont(p) WITHIN GROUP (ORDER BY x) over `sorted`; null for an empty sample. */
export function percentileCont(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = p * (n - 1);
  const first = Math.floor(pos);
  const second = Math.ceil(pos);
  const lo = sorted[first]!;
  if (first === second) return lo;
  const hi = sorted[second]!;
  return lo + (pos - first) * (hi - lo);
}
