// Like-for-like pay change: constructed mix shifts in both directions, the
// bootstrap's coverage by simulation, and seeded reproducibility.
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/stats/rng.ts';
import { excludesZero, likeForLike, type CellPays } from '../../src/stats/like-for-like.ts';
import { METHOD } from '../../src/stats/method.ts';
import { percentileCont, sortedSample } from '../../src/stats/percentile.ts';
import type { Seniority } from '../../src/stats/types.ts';

/** n lognormal pays around `median`. */
function pays(rng: Rng, n: number, median: number, sigma = 0.2): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(median * Math.exp(sigma * rng.normal()));
  return out;
}

const cell = (seniority: Seniority, remote: boolean, current: Float64Array, previous: Float64Array): CellPays => ({
  seniority,
  remote,
  metro: 0,
  current,
  previous,
});

const rawMedian = (cells: CellPays[], pick: 'current' | 'previous') => percentileCont(sortedSample(...cells.map((c) => c[pick])), 0.5)!;

describe('constructed mix shifts', () => {
  it('a raw median up ~5% only from more senior postings: like-for-like covers zero', () => {
    const rng = createRng('mix-up');
    // Same pay in every cell both weeks; senior postings go from 30% to 50% of the role.
    const cells = [
      cell('mid', false, pays(rng, 500, 150_000, 0.08), pays(rng, 700, 150_000, 0.08)),
      cell('senior', false, pays(rng, 500, 200_000, 0.08), pays(rng, 300, 200_000, 0.08)),
    ];
    const before = rawMedian(cells, 'previous');
    const after = rawMedian(cells, 'current');
    expect((after / before - 1) * 100).toBeGreaterThan(4);
    const r = likeForLike(cells, 'test/mix-up');
    expect(r.cells).toBe(2);
    expect(r.ci![0]).toBeLessThanOrEqual(0);
    expect(r.ci![1]).toBeGreaterThanOrEqual(0);
    expect(excludesZero(r.ci)).toBe(false);
  });

  it('pay up in every cell with the mix shifted down (raw median flat): like-for-like excludes zero', () => {
    const rng = createRng('mix-down');
    const cells = [
      cell('mid', false, pays(rng, 700, 156_000, 0.05), pays(rng, 300, 150_000, 0.05)),
      cell('senior', false, pays(rng, 300, 182_000, 0.05), pays(rng, 700, 175_000, 0.05)),
    ];
    const before = rawMedian(cells, 'previous');
    const after = rawMedian(cells, 'current');
    expect(Math.abs(after / before - 1) * 100).toBeLessThan(12);
    expect(after).toBeLessThan(before); // the raw median even fell
    const r = likeForLike(cells, 'test/mix-down');
    expect(r.change!).toBeGreaterThan(3);
    expect(excludesZero(r.ci)).toBe(true);
    expect(r.ci![0]).toBeGreaterThan(0);
  });

  it('leaves out and counts cells with fewer than 5 disclosed in either week', () => {
    const rng = createRng('thin');
    const r = likeForLike(
      [
        cell('mid', false, pays(rng, 40, 150_000), pays(rng, 40, 150_000)),
        cell('entry', false, pays(rng, 4, 90_000), pays(rng, 30, 90_000)),
        cell('senior', true, pays(rng, 20, 200_000), pays(rng, 3, 200_000)),
      ],
      'test/thin',
    );
    expect(r.cells).toBe(1);
    expect(r.excludedCells).toBe(2);
    expect(r.excluded).toEqual({ current: 24, previous: 33 });
    expect(r.n).toEqual({ current: 40, previous: 40 });
  });

  it('splits by metro only when every metro cell keeps 15 disclosed in both weeks', () => {
    const rng = createRng('metro');
    const m = (metro: number, n: number): CellPays => ({ ...cell('mid', false, pays(rng, n, 150_000), pays(rng, n, 150_000)), metro });
    expect(likeForLike([m(1, 15), m(2, 15)], 'x').byMetro).toBe(true);
    expect(likeForLike([m(1, 15), m(2, 14)], 'x').byMetro).toBe(false);
    expect(likeForLike([m(1, 40)], 'x').byMetro).toBe(false);
  });

  it('has no change when no cell has enough pays in both weeks', () => {
    const rng = createRng('none');
    const r = likeForLike([cell('mid', false, pays(rng, 4, 1), pays(rng, 9, 1))], 'x');
    expect(r.change).toBeNull();
    expect(r.ci).toBeNull();
  });
});

describe('the bootstrap', () => {
  it('gives identical results for the same seed and different ones for another', () => {
    const rng = createRng('seeded');
    const cells = [cell('mid', false, pays(rng, 80, 150_000), pays(rng, 90, 148_000)), cell('senior', true, pays(rng, 30, 190_000), pays(rng, 25, 185_000))];
    const a = likeForLike(cells, '2026-W47/mlops-engineer');
    const b = likeForLike(cells, '2026-W47/mlops-engineer');
    const c = likeForLike(cells, '2026-W47/prompt-engineer');
    expect(a).toEqual(b);
    expect(a.draws).toBe(METHOD.bootstrapDraws);
    expect(a.draws).toBeGreaterThanOrEqual(1000);
    expect(c.ci).not.toEqual(a.ci);
  });

  it('covers the known true change in 93-97% of 500 simulated week pairs', () => {
    const rng = createRng('coverage1');
    const levels: [Seniority, boolean, number][] = [
      ['entry', false, 110_000],
      ['mid', false, 150_000],
      ['senior', false, 190_000],
      ['mid', true, 160_000],
    ];
    let covered = 0;
    const pairs = 500;
    for (let i = 0; i < pairs; i++) {
      const common = 0.06 * (rng.next() - 0.5);
      const cells: CellPays[] = [];
      const ns: number[] = [];
      const trueChanges: number[] = [];
      for (const [s, remote, median] of levels) {
        const nPrev = rng.int(40, 200);
        const nCur = rng.int(40, 200);
        const d = common + 0.02 * (rng.next() - 0.5);
        cells.push(cell(s, remote, pays(rng, nCur, median * (1 + d), 0.25), pays(rng, nPrev, median, 0.25)));
        ns.push(nPrev);
        trueChanges.push(d);
      }
      // True like-for-like change: the same fixed basket (earlier week's counts) over the true medians.
      const total = ns.reduce((a, b) => a + b, 0);
      const truth = trueChanges.reduce((sum, d, j) => sum + (ns[j]! / total) * d, 0) * 100;
      const r = likeForLike(cells, `sim/${i}`);
      if (r.ci![0] <= truth && truth <= r.ci![1]) covered += 1;
    }
    const rate = covered / pairs;
    expect(rate).toBeGreaterThanOrEqual(0.93);
    expect(rate).toBeLessThanOrEqual(0.97);
  });
});

describe('year over year on the role page', () => {
  it('appears only when the week 52 weeks before is tracked, with both n', async () => {
    const { yearOverYearSentence } = await import('../../src/web/pages/role-extras.tsx');
    const now = { week: '2026-W47', role: 'x', median: 110_000, disclosed: 40 } as never;
    const before = { week: '2025-W47', role: 'x', median: 100_000, disclosed: 20 } as never;
    expect(yearOverYearSentence(now, undefined)).toBeUndefined();
    expect(yearOverYearSentence(now, before)).toBe(
      'Year over year: median top of range $110K (n = 40) against $100K (n = 20) in week 47 of 2025, +10% (small sample).',
    );
  });
});
