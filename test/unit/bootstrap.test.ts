// The bootstrap median draws: literal resampling and the order-statistic
// draw (used above 64 postings a cell) agree in distribution; quickselect finds the k-th smallest.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/stats/rng.ts';
import { literalMedian, orderStatMedian, percentileInterval, quickselect } from '../../src/stats/bootstrap.ts';

describe('quickselect', () => {
  it('puts the k-th smallest at k for random, sorted and constant arrays', () => {
    const rng = createRng('qs');
    for (const make of [(i: number) => rng.int(0, 50), (i: number) => i, () => 7, (i: number) => -i]) {
      for (const n of [1, 2, 3, 10, 101]) {
        const a = Float64Array.from({ length: n }, (_, i) => make(i));
        const sorted = Float64Array.from(a).sort();
        for (const k of [0, (n - 1) >> 1, n - 1]) {
          const b = Float64Array.from(a);
          quickselect(b, n, k);
          expect(b[k]).toBe(sorted[k]);
        }
      }
    }
  });
});

describe('median draws', () => {
  for (const n of [65, 66, 101, 1000]) {
    it(`literal resampling and the order-statistic draw agree in distribution (n = ${n})`, () => {
      const rng = createRng(`dist-${n}`);
      const sample = Float64Array.from({ length: n }, () => Math.round(100_000 + 50_000 * rng.next())).sort();
      const draws = 20_000;
      const lit = new Float64Array(draws);
      const ord = new Float64Array(draws);
      const scratch = new Float64Array(n);
      for (let i = 0; i < draws; i++) {
        lit[i] = literalMedian(sample, rng, scratch);
        ord[i] = orderStatMedian(sample, rng);
      }
      lit.sort();
      ord.sort();
      // Two-sample Kolmogorov-Smirnov distance over the pooled values; 1.63 sqrt(2/m) is the 1% critical value.
      let d = 0;
      let i = 0;
      let j = 0;
      while (i < draws && j < draws) {
        const x = Math.min(lit[i]!, ord[j]!);
        while (i < draws && lit[i]! <= x) i++;
        while (j < draws && ord[j]! <= x) j++;
        d = Math.max(d, Math.abs(i - j) / draws);
      }
      expect(d).toBeLessThan(1.63 * Math.sqrt(2 / draws));
      const [lo, hi] = percentileInterval(lit, 0.95);
      const [lo2, hi2] = percentileInterval(ord, 0.95);
      expect(Math.abs(lo - lo2)).toBeLessThan(0.02 * lo);
      expect(Math.abs(hi - hi2)).toBeLessThan(0.02 * hi);
    });
  }
});
