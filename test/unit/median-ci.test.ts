import { describe, expect, it } from 'vitest';
import { exactLowerRank, logSpaceLowerRank, medianCi, medianCiRanks } from '../../src/stats/median-ci.ts';

// Reference: the binomial(n, 1/2) lower tail with exact integers.
function binomialTail(n: number, k: number): { num: bigint; den: bigint } {
  let c = 1n;
  let sum = 0n;
  for (let i = 0; i <= k; i++) {
    if (i > 0) c = (c * BigInt(n - i + 1)) / BigInt(i);
    sum += c;
  }
  return { num: sum, den: 1n << BigInt(n) };
}
/** Exact coverage 1 - 2 P(B <= l - 1) >= 0.95  <=>  40 * P(B <= l - 1) <= 1. */
function covers95(n: number, l: number): boolean {
  const t = binomialTail(n, l - 1);
  return 40n * t.num <= t.den;
}

describe('medianCiRanks', () => {
  it('matches the published table of ranks', () => {
    expect(medianCiRanks(15)).toEqual({ lower: 4, upper: 12 });
    expect(medianCiRanks(20)).toEqual({ lower: 6, upper: 15 });
    expect(medianCiRanks(30)).toEqual({ lower: 10, upper: 21 });
    expect(medianCiRanks(50)).toEqual({ lower: 18, upper: 33 });
    expect(medianCiRanks(100)).toEqual({ lower: 40, upper: 61 });
  });

  it('is undefined below 15 and for non-integers', () => {
    expect(medianCiRanks(14)).toBeUndefined();
    expect(medianCiRanks(0)).toBeUndefined();
    expect(medianCiRanks(15.5)).toBeUndefined();
  });

  it('is the narrowest symmetric interval with >= 95% coverage (exact integer sums, n = 15..400)', () => {
    for (let n = 15; n <= 400; n++) {
      const r = medianCiRanks(n)!;
      expect(r.upper).toBe(n + 1 - r.lower);
      expect(covers95(n, r.lower), `n=${n} l=${r.lower} covers`).toBe(true);
      expect(covers95(n, r.lower + 1), `n=${n} l=${r.lower + 1} would be too narrow`).toBe(false);
    }
  });

  it('stays exact in log space past where 2^-n underflows (n = 1,500 and 5,000)', () => {
    for (const n of [1_500, 5_000]) {
      const l = exactLowerRank(n);
      expect(covers95(n, l)).toBe(true);
      expect(covers95(n, l + 1)).toBe(false);
    }
  });

  it('gives the log-space sum\'s rank for every n to 3,000 and at large n (its fast sum only decides away from the line)', () => {
    const ns = [...Array.from({ length: 3_000 }, (_, i) => i + 1), 10_413, 10_940, 46_321, 123_457, 1_000_000];
    const differ = ns.filter((n) => exactLowerRank(n) !== logSpaceLowerRank(n));
    expect(differ).toEqual([]);
  });

  it('stays exact at large n, where a plain normal approximation is one rank off (n = 10,413 and 10,940)', () => {
    for (const n of [10_413, 10_940]) {
      const l = medianCiRanks(n)!.lower;
      expect(covers95(n, l)).toBe(true);
      expect(covers95(n, l + 1)).toBe(false);
    }
    // Checked against a continuity-corrected Edgeworth expansion of the same tail (too slow for exact integers here).
    expect(medianCiRanks(1_000_000)).toEqual({ lower: 499_020, upper: 500_981 });
  });
});

describe('medianCi', () => {
  it('returns the order statistics at the ranks', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 1000);
    expect(medianCi(values)).toEqual([6000, 15000]);
    expect(medianCi(values.slice(0, 14))).toBeUndefined();
  });
});
