import { describe, expect, it } from 'vitest';
import { sortDoubles } from '../../src/stats/percentile.ts';

function sample(n: number, seed: number): Float64Array {
  let s = seed;
  const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const special = [0, -0, NaN, -NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, 150_000, 0.1];
  return Float64Array.from({ length: n }, () => {
    const r = rnd();
    if (r < 0.05) return special[Math.floor(rnd() * special.length)]!;
    if (r < 0.3) return Math.round(rnd() * 300) * 1000; // ties
    return (rnd() - 0.2) * 10 ** Math.floor(rnd() * 12 - 4);
  });
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer)).map((w, i, all) => (a[i >> 1] !== a[i >> 1] ? 'NaN' : w));

describe('sortDoubles', () => {
  it('orders exactly as Float64Array.prototype.sort (-0 before +0, NaN last), small and large', () => {
    for (const [n, seed] of [[10, 1], [4095, 2], [4096, 3], [50_000, 4], [200_001, 5]] as const) {
      const a = sample(n, seed);
      const want = a.slice().sort();
      const got = sortDoubles(a.slice());
      expect(got.length).toBe(want.length);
      expect(bits(got)).toEqual(bits(want));
    }
  });

  it('sorts whole numbers (passes with a single digit skipped) and negatives alike', () => {
    let s = 9;
    const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (const sign of [1, -1]) {
      const a = Float64Array.from({ length: 30_000 }, () => sign * (90_000 + Math.floor(rnd() * 200_000)));
      expect(bits(sortDoubles(a.slice()))).toEqual(bits(a.slice().sort()));
    }
    const same = new Float64Array(5000).fill(150_000);
    expect(Array.from(sortDoubles(same.slice()))).toEqual(Array.from(same));
  });
});
