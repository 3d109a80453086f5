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
  return sortDoubles(out);
}

/**
 * `a` sorted in place as Float64Array.prototype.sort sorts it (ascending, -0
 * before +0, NaN last), by an LSD radix sort on the order-preserving bit
 * pattern (16 bits a pass, skipped when every value has the same digit)
 * once the sample is large: at half a million pays 2-4x faster than the
 * comparison sort.
 */
export function sortDoubles(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 4096) return a.sort();
  // Little-endian word pairs (lo, hi) of each double, flipped so that
  // unsigned order is numeric order: negatives all bits, the rest the sign bit.
  const words = new Uint32Array(a.buffer, a.byteOffset, n * 2);
  const little = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
  const LO = little ? 0 : 1;
  const HI = 1 - LO;
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = words[2 * i + HI]!;
    let l = words[2 * i + LO]!;
    if (a[i] !== a[i]) {
      h = 0x7ff80000; // every NaN as the positive quiet NaN: last
      l = 0;
    }
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const keys = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i]! >>> shift) & 0xffff]!++;
    // One digit for all (e.g. the low words of whole numbers): nothing to move.
    if (count[(keys[0]! >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const to = count[(keys[i]! >>> shift) & 0xffff]!++;
      lo2[to] = lo[i]!;
      hi2[to] = hi[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i]!;
    if (h & 0x80000000) {
      words[2 * i + HI] = (h & 0x7fffffff) >>> 0;
      words[2 * i + LO] = lo[i]!;
    } else {
      words[2 * i + HI] = ~h >>> 0;
      words[2 * i + LO] = ~lo[i]! >>> 0;
    }
  }
  return a;
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
