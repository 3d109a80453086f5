// Posted pay for one role-week of demo data, built so that the snapshot's
// figures come out exactly: a sorted list of annual maxima whose elements at
// percentile_cont's interpolation indices ((n-1)q, floor and ceil) equal the
// target quartiles, filled monotonically in between, with one tail stretched
// so that the mean hits its target; then minima whose mean hits theirs. Pure.
import type { Rng } from '../stats/rng.ts';

export interface PayTargets {
  /** Postings with disclosed annual USD pay. */
  n: number;
  /** Quartiles of the maximum, dollars. p25 is dropped when n is too small to place it apart from the median. */
  p25: number;
  median: number;
  p75: number;
  /** Mean of the maximum, dollars. */
  mean: number;
  /** Mean of the minimum, dollars. */
  minMean: number;
  /** Lowest maximum; solved for when solve = 'bottom'. */
  lo: number;
  /** Highest maximum; solved for when solve = 'top'. */
  hi: number;
  /** Which tail moves to hit the mean: the top (mean above the median) or the bottom (a left-skewed set). */
  solve: 'top' | 'bottom';
  /** Share of disclosed postings paid by the hour. */
  hourlyShare: number;
}

export interface PayValue {
  /** Annual maximum, dollars. */
  max: number;
  /** Annual minimum, dollars. */
  min: number;
  /** Paid by the hour: max and min are multiples of 520 (a quarter dollar x 2080). */
  hourly: boolean;
}

export const HOURS_PER_YEAR = 2080;
const GRID = 100;
const QUARTER_HOUR_YEAR = HOURS_PER_YEAR / 4;
/** Hourly values stay this far from every quartile value, so rounding them never reorders the quartile elements. */
const HOURLY_MARGIN = 600;
const HOURLY_RANGE: [number, number] = [40 * HOURS_PER_YEAR, 130 * HOURS_PER_YEAR];

type Shape = (u: number) => number;
const linearOut = (e: number): Shape => (u) => 1 - (1 - u) ** e; // steep at the start, flat into the end
const slowStart = (e: number): Shape => (u) => u ** e; // flat out of the start, steep at the end

interface Knot {
  index: number;
  value: number;
}

/** Sorted annual maxima (ascending) meeting the targets; throws when the targets cannot be met with a monotone set. */
function buildMaxima(t: PayTargets): { values: number[]; anchors: Set<number>; topFrom: number } {
  const n = t.n;
  if (n < 5) throw new RangeError(`demo pay needs at least 5 disclosed postings, got ${n}`);
  if (!(t.p25 <= t.median && t.median <= t.p75)) throw new RangeError(`demo pay quartiles out of order: ${t.p25}, ${t.median}, ${t.p75}`);
  const knots: Knot[] = [];
  const anchors = new Set<number>();
  const place = (q: number, value: number): boolean => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    if (knots.some((k) => k.index >= lo)) return false;
    knots.push({ index: lo, value });
    if (hi !== lo) knots.push({ index: hi, value });
    anchors.add(lo).add(hi);
    return true;
  };
  // p25 is optional: with few postings its indices may touch the median's.
  const h25 = Math.ceil((n - 1) * 0.25);
  if (h25 < Math.floor((n - 1) * 0.5) && h25 > 0) place(0.25, t.p25);
  place(0.5, t.median);
  if (!place(0.75, t.p75)) {
    // Too few postings to hold p75 apart from the median exactly: put it on the next element (p75 comes out close, not exact).
    const i = Math.ceil((n - 1) * 0.75);
    if (i <= knots[knots.length - 1]!.index) throw new RangeError(`demo pay: ${n} postings cannot place p75 apart from the median`);
    knots.push({ index: i, value: t.p75 });
    anchors.add(i);
  }

  const first = knots[0]!;
  const last = knots[knots.length - 1]!;
  const values = new Array<number>(n).fill(0);
  for (const k of knots) values[k.index] = k.value;
  // Interior segments are dense near the median, as real pay is.
  for (let i = 0; i + 1 < knots.length; i++) {
    const a = knots[i]!;
    const b = knots[i + 1]!;
    const shape = b.value === t.median && a.value !== t.median ? linearOut(1.5) : a.value === t.median ? slowStart(1.5) : (u: number) => u;
    fill(values, a, b, shape);
  }
  const bottomShape = linearOut(1.4);
  const topShape = slowStart(2);
  const target = Math.round(t.mean) * n;

  let lo = t.lo;
  let hi = t.hi;
  if (t.solve === 'top') {
    fill(values, { index: 0, value: lo }, first, bottomShape);
    fill(values, last, { index: n - 1, value: last.value }, () => 0);
    const base = sum(values);
    let coef = 0;
    for (let i = last.index + 1; i < n; i++) coef += topShape((i - last.index) / (n - 1 - last.index));
    hi = last.value + (target - base) / coef;
    if (!(hi >= last.value)) throw new RangeError(`demo pay: mean ${t.mean} is too low for a top tail above p75 ${t.p75} (lo ${lo})`);
  } else {
    fill(values, last, { index: n - 1, value: hi }, topShape);
    fill(values, { index: 0, value: first.value }, first, () => 0);
    const base = sum(values);
    let coef = 0;
    for (let i = 0; i < first.index; i++) coef += 1 - bottomShape(i / first.index);
    lo = first.value - (base - target) / coef;
    if (!(lo > 0 && lo <= first.value)) throw new RangeError(`demo pay: mean ${t.mean} needs a bottom tail starting at ${Math.round(lo)}`);
  }
  fill(values, { index: 0, value: lo }, first, bottomShape);
  fill(values, last, { index: n - 1, value: hi }, topShape);

  // A grid of $100 keeps the list sorted and the quartile elements (multiples of $500) in place.
  for (let i = 0; i < n; i++) if (!anchors.has(i)) values[i] = Math.round(values[i]! / GRID) * GRID;
  return { values, anchors, topFrom: last.index + 1 };
}

function fill(values: number[], a: Knot, b: Knot, shape: Shape): void {
  const span = b.index - a.index;
  values[a.index] = a.value;
  for (let i = a.index + 1; i < b.index; i++) values[i] = a.value + (b.value - a.value) * shape((i - a.index) / span);
  if (b.index > a.index) values[b.index] = b.value;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * The maxima and minima of one role-week, sorted by maximum, with some
 * postings hourly. The sum of maxima is exactly round(mean) * n and the sum of
 * minima round(minMean) * n.
 */
export function buildPay(t: PayTargets, rng: Rng): PayValue[] {
  const { values, anchors, topFrom } = buildMaxima(t);
  const n = values.length;
  const quartileValues = [...anchors].map((i) => values[i]!);
  const hourly = new Array<boolean>(n).fill(false);

  // Hourly postings: away from the quartile elements and below the top tail.
  const candidates: number[] = [];
  for (let i = 0; i < topFrom; i++) {
    const v = values[i]!;
    if (anchors.has(i) || v < HOURLY_RANGE[0] || v > HOURLY_RANGE[1]) continue;
    if (quartileValues.some((q) => Math.abs(q - v) < HOURLY_MARGIN)) continue;
    candidates.push(i);
  }
  let want = Math.round(t.hourlyShare * n);
  while (want > 0 && candidates.length > 0) {
    const i = candidates.splice(Math.floor(rng.next() * candidates.length), 1)[0]!;
    hourly[i] = true;
    values[i] = Math.round(values[i]! / QUARTER_HOUR_YEAR) * QUARTER_HOUR_YEAR;
    want--;
  }

  // The rounding residue goes onto the upper half of the top tail, largest last.
  const residue = Math.round(t.mean) * n - sum(values);
  const from = Math.max(topFrom, Math.floor((topFrom + n) / 2));
  const k = n - from;
  if (k <= 0) throw new RangeError('demo pay: no top tail to carry the rounding residue');
  const each = Math.trunc(residue / k);
  for (let i = from; i < n; i++) values[i] = values[i]! + each;
  values[n - 1] = values[n - 1]! + (residue - each * k);

  const mins = buildMinima(values, hourly, t.minMean, rng);
  return values.map((max, i) => ({ max, min: mins[i]!, hourly: hourly[i]! }));
}

/** Minima at a random share of each maximum, scaled so their mean is the target. */
function buildMinima(maxima: readonly number[], hourly: readonly boolean[], minMean: number, rng: Rng): number[] {
  const n = maxima.length;
  const target = Math.round(minMean) * n;
  const ratio = maxima.map(() => 0.55 + rng.next() * 0.4);
  let mins = maxima.map((m, i) => m * ratio[i]!);
  // Scale toward the target; shares are capped at 0.97 of the maximum.
  for (let round = 0; round < 6; round++) {
    const s = target / sum(mins);
    mins = mins.map((v, i) => Math.min(v * s, maxima[i]! * 0.97));
  }
  const out = mins.map((v, i) =>
    hourly[i] ? Math.round(v / QUARTER_HOUR_YEAR) * QUARTER_HOUR_YEAR : Math.round(v / GRID) * GRID,
  );
  for (let i = 0; i < n; i++) if (out[i]! > maxima[i]!) out[i] = maxima[i]!;
  // Residue in whole dollars onto salaried postings with room below their maximum.
  let residue = target - sum(out);
  for (let pass = 0; pass < 3 && residue !== 0; pass++) {
    const order = [...out.keys()].filter((i) => !hourly[i]).sort((a, b) => maxima[b]! - out[b]! - (maxima[a]! - out[a]!));
    const k = Math.max(1, Math.min(order.length, Math.ceil(Math.abs(residue) / 2000)));
    for (let j = 0; j < k && residue !== 0; j++) {
      const i = order[j]!;
      const share = Math.trunc(residue / (k - j));
      const step = Math.max(-out[i]! + 1, Math.min(share, maxima[i]! - out[i]!));
      out[i] = out[i]! + step;
      residue -= step;
    }
  }
  return out;
}
