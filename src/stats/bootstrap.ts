// Bootstrap draws of a sample median, seeded (docs/methodology.md). A draw is
// the median of n postings resampled with replacement from the cell. Small
// cells are resampled literally (typed array, quickselect); in larger cells
// the resample's median is drawn from its distribution instead: the k-th
// smallest of n resampled values is x_(ceil(n U_(k))), where U_(k), the k-th
// smallest of n uniforms, is Beta(k, n + 1 - k), drawn from its normal
// approximation (k >= 33 here; test/unit/bootstrap.test.ts checks the draws
// against literal resampling). O(1) a draw is what keeps 1,000 draws over a
// million postings cheap. Pure.
import type { Rng } from './rng.ts';

/** Cells up to this size are resampled posting by posting. */
export const LITERAL_MAX_N = 64;

/** One bootstrap median of `sorted` (ascending, n >= 1), as percentile_cont(0.5) reads a sample. */
export function drawMedian(sorted: Float64Array, rng: Rng, scratch: Float64Array): number {
  return sorted.length <= LITERAL_MAX_N ? literalMedian(sorted, rng, scratch) : orderStatMedian(sorted, rng);
}

/** Resample n values with replacement and take their median (quickselect). */
export function literalMedian(sorted: Float64Array, rng: Rng, scratch: Float64Array): number {
  const n = sorted.length;
  for (let i = 0; i < n; i++) scratch[i] = sorted[Math.floor(rng.next() * n)]!;
  const k = (n - 1) >> 1;
  quickselect(scratch, n, k);
  const lo = scratch[k]!;
  if (n % 2 === 1) return lo;
  let hi = Infinity;
  for (let i = k + 1; i < n; i++) if (scratch[i]! < hi) hi = scratch[i]!;
  return lo + 0.5 * (hi - lo);
}

/** The resample's median from the order statistics of uniforms (see above). */
export function orderStatMedian(sorted: Float64Array, rng: Rng): number {
  const n = sorted.length;
  if (n % 2 === 1) {
    const k = (n + 1) / 2;
    return at(sorted, n, betaNormal(k, n + 1 - k, rng));
  }
  const k = n / 2;
  const uk = betaNormal(k, n + 1 - k, rng);
  // Given U_(k) = u, the next of the n uniforms is the least of the other n - k on (u, 1).
  const next = uk + (1 - uk) * (1 - Math.pow(1 - rng.next(), 1 / (n - k)));
  const lo = at(sorted, n, uk);
  return lo + 0.5 * (at(sorted, n, next) - lo);
}

// A module function, not a closure per draw: made per call, the closure cost more than the draw itself.
function at(sorted: Float64Array, n: number, u: number): number {
  return sorted[Math.min(n, Math.max(1, Math.ceil(n * u))) - 1]!;
}

/** Rearranges a[0..n) so that a[k] holds the k-th smallest, smaller ones before it, larger after. */
export function quickselect(a: Float64Array, n: number, k: number): void {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    const mid = (left + right) >> 1;
    // Median of three as the pivot, so sorted or constant runs stay linear.
    const x = a[left]!, y = a[mid]!, z = a[right]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** Beta(a, b) for large a and b (here both >= 33) from its normal approximation, kept inside (0, 1). */
function betaNormal(a: number, b: number, rng: Rng): number {
  const sum = a + b;
  const mean = a / sum;
  const sd = Math.sqrt((a * b) / (sum * sum * (sum + 1)));
  const x = mean + sd * rng.normal();
  return x <= 0 ? Number.MIN_VALUE : x >= 1 ? 1 - Number.EPSILON : x;
}

/** The central `confidence` interval of the draws (sorted in place), by percentile_cont. */
export function percentileInterval(draws: Float64Array, confidence: number): [number, number] {
  draws.sort();
  const q = (p: number) => {
    const pos = p * (draws.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return draws[lo]! + (pos - lo) * (draws[hi]! - draws[lo]!);
  };
  const tail = (1 - confidence) / 2;
  return [q(tail), q(1 - tail)];
}
