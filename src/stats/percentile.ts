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

/**
 * Sorted samples merged into one, exactly as sortedSample would sort their
 * concatenation (-0 before +0, NaN last, as PostgreSQL orders them): merged in
 * pairs, so k parts of n values cost n log k, not n k. The snapshot sorts each
 * scan row's pays once (sortedOnce) and merges them into every sample it needs.
 */
export function mergeSorted(parts: readonly Float64Array[]): Float64Array {
  let live = parts.filter((p) => p.length > 0);
  if (live.length === 0) return new Float64Array(0);
  while (live.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i < live.length; i += 2) next.push(i + 1 < live.length ? mergeTwo(live[i]!, live[i + 1]!) : live[i]!);
    live = next;
  }
  return live[0]!;
}

/** Two sorted samples merged; ties (and ±0, NaN) resolved as Float64Array sort orders them. */
function mergeTwo(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) out[o++] = (i++, x);
    else if (y < x) out[o++] = (j++, y);
    // Equal, or a NaN: b's value goes first only when it sorts strictly before a's (-0 before +0, a number before NaN).
    else if ((y === 0 && x === 0 && 1 / y < 1 / x) || (x !== x && y === y)) out[o++] = (j++, y);
    else out[o++] = (i++, x);
  }
  if (i < a.length) out.set(a.subarray(i), o);
  else if (j < b.length) out.set(b.subarray(j), o);
  return out;
}

/** A scan row's pays sorted, sorted the first time and kept on the row (`sorted`). */
export function sortedOnce(row: { values?: Float64Array | null; sorted?: Float64Array }): Float64Array {
  return (row.sorted ??= sortedSample(row.values));
}

/** percentile_cont(p) WITHIN GROUP (ORDER BY x) over `sorted`; null for an empty sample. */
export function percentileCont(sorted: ArrayLike<number>, p: number): number | null {
  return interpolate(sorted.length, p, (k) => sorted[k]!);
}

/** percentile_cont(p) of n values whose k-th smallest (0-based) is at(k). */
function interpolate(n: number, p: number, at: (k: number) => number): number | null {
  if (n === 0) return null;
  const pos = p * (n - 1);
  const first = Math.floor(pos);
  const second = Math.ceil(pos);
  const lo = at(first);
  if (first === second) return lo;
  const hi = at(second);
  return lo + (pos - first) * (hi - lo);
}

/**
 * The k-th smallest value (0-based) of sorted samples taken together, as
 * mergeSorted(parts)[k] but without merging them: the snapshot reads a few
 * order statistics (medians, interval ends) of many unions of the scan's
 * cells, and merging each one cost it more than the rest of those figures.
 * A pivot from the widest remaining range splits every part by binary search
 * until the k-th falls on it. Ties and order as `<` sees them, so parts that
 * could hold 0, a negative or NaN (never a stored pay) are merged instead.
 */
export function kthOfSorted(parts: readonly Float64Array[], k: number): number {
  const live = parts.filter((p) => p.length > 0);
  const total = live.reduce((n, p) => n + p.length, 0);
  if (!Number.isInteger(k) || k < 0 || k >= total) throw new RangeError(`rank ${k} of ${total} values`);
  if (live.length === 1) return live[0]![k]!;
  if (!live.every((p) => p[0]! > 0 && !Number.isNaN(p[p.length - 1]!))) return mergeSorted(live)[k]!;
  const m = live.length;
  const lo = new Int32Array(m);
  const hi = Int32Array.from(live, (p) => p.length);
  const lt = new Int32Array(m);
  const le = new Int32Array(m);
  let below = 0; // values left of every lo: all before the k-th
  for (;;) {
    let j = 0;
    for (let i = 1; i < m; i++) if (hi[i]! - lo[i]! > hi[j]! - lo[j]!) j = i;
    const pivot = live[j]![(lo[j]! + hi[j]!) >> 1]!;
    let less = 0;
    let notMore = 0;
    for (let i = 0; i < m; i++) {
      lt[i] = firstAtLeast(live[i]!, pivot, lo[i]!, hi[i]!);
      le[i] = firstAbove(live[i]!, pivot, lt[i]!, hi[i]!);
      less += lt[i]! - lo[i]!;
      notMore += le[i]! - lo[i]!;
    }
    if (k < below + less) hi.set(lt);
    else if (k < below + notMore) return pivot;
    else {
      below += notMore;
      lo.set(le);
    }
  }
}

/** percentileCont(mergeSorted(parts), p), read with kthOfSorted; null for no values. */
export function percentileContOf(parts: readonly Float64Array[], p: number): number | null {
  return interpolate(parts.reduce((s, x) => s + x.length, 0), p, (k) => kthOfSorted(parts, k));
}

/**
 * The first index in [lo, hi) of sorted `a` whose value is not below x (hi if none). Halving without a
 * branch on the comparison (a select), which the CPU cannot mispredict: the skill premium ranks every pay so.
 */
export function firstAtLeast(a: Float64Array, x: number, lo = 0, hi = a.length): number {
  let base = lo;
  let len = hi - lo;
  while (len > 1) {
    const half = len >> 1;
    base = a[base + half - 1]! < x ? base + half : base;
    len -= half;
  }
  return len === 1 && a[base]! < x ? base + 1 : base;
}

/** The first index in [lo, hi) of sorted `a` whose value is above x (hi if none); as firstAtLeast. */
function firstAbove(a: Float64Array, x: number, lo: number, hi: number): number {
  let base = lo;
  let len = hi - lo;
  while (len > 1) {
    const half = len >> 1;
    base = a[base + half - 1]! <= x ? base + half : base;
    len -= half;
  }
  return len === 1 && a[base]! <= x ? base + 1 : base;
}
