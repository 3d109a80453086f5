// Order statistics of a sorted sample, bit for bit as PostgreSQL computes
// them: percentile_cont(p) interpolates between rows floor(p*(n-1)) and
// ceil(p*(n-1)) (0-based) as `lo + frac * (hi - lo)` in float8, which is the
// same IEEE-754 double arithmetic here. Pure.

/** A sample sorted ascending, from values PostgreSQL returned as float8. */
export function sortedSample(...parts: readonly (readonly number[] | null | undefined)[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p?.length ?? 0;
  const out = new Float64Array(n);
  let i = 0;
  for (const p of parts) {
    if (!p) continue;
    out.set(p, i);
    i += p.length;
  }
  return out.sort();
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
