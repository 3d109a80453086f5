import { describe, expect, it } from 'vitest';
import { kthOfSorted, mergeSorted, percentileCont, percentileContOf, sortedOnce, sortedSample } from '../../src/stats/percentile.ts';
import { createRng } from '../../src/stats/rng.ts';

// The snapshot sorts each scan row's pays once and merges them into every sample it reads medians from:
// the merge must give the very array sorting the concatenation gives, bit for bit (-0 before +0, NaN last).
const bits = (a: Float64Array) => [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];

describe('mergeSorted', () => {
  it('equals sortedSample of the concatenation, ties, signed zeros and NaN included', () => {
    const rng = createRng('merge-sorted');
    for (let round = 0; round < 200; round++) {
      const parts = Array.from({ length: rng.int(0, 9) }, () =>
        Float64Array.from({ length: rng.int(0, 40) }, () => rng.pick([0, -0, NaN, 85_000, 120_000, rng.int(50_000, 60_000), rng.next()])),
      );
      const merged = mergeSorted(parts.map((p) => sortedSample(p)));
      expect(bits(merged)).toEqual(bits(sortedSample(...parts)));
    }
  });

  it('sorts a row once and keeps it', () => {
    const row = { values: Float64Array.of(3, 1, 2) as Float64Array | null, sorted: undefined as Float64Array | undefined };
    const first = sortedOnce(row);
    expect([...first]).toEqual([1, 2, 3]);
    expect(sortedOnce(row)).toBe(first);
    expect([...row.values!]).toEqual([3, 1, 2]);
  });

  it('reads every order statistic of the parts taken together without merging them, as their merge holds it', () => {
    const rng = createRng('kth-of-sorted');
    for (let round = 0; round < 300; round++) {
      // Pays with many ties (round numbers) and spread ones; now and then a part with 0, -0 or NaN (read from the merge).
      const odd = round % 10 === 0;
      const parts = Array.from({ length: rng.int(1, 12) }, () =>
        sortedSample(Float64Array.from({ length: rng.int(0, 60) }, () =>
          odd && rng.next() < 0.1 ? rng.pick([0, -0, NaN]) : rng.pick([85_000, 120_000, 150_000, rng.int(50_000, 300_000) + rng.next()]))),
      );
      const merged = mergeSorted(parts);
      for (let k = 0; k < merged.length; k++) expect(Object.is(kthOfSorted(parts, k), merged[k]), `round ${round}, rank ${k}`).toBe(true);
      for (const p of [0, 0.25, 0.5, 0.75, 1]) expect(Object.is(percentileContOf(parts, p), percentileCont(merged, p))).toBe(true);
    }
    expect(percentileContOf([new Float64Array(0)], 0.5)).toBeNull();
    expect(() => kthOfSorted([Float64Array.of(1, 2)], 2)).toThrow(RangeError);
  });
});
