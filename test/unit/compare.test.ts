// Pair facts and verdict wording against the reference comparisons of
// test/fixtures/reference-week.json, built from the reference roles' published figures.
import { describe, expect, it } from 'vitest';
import seed from '../fixtures/reference-week.json' with { type: 'json' };
import { pairFacts, REMOTE_PICK_POINTS, SIMILAR_PAY_DOLLARS, switchingFrom } from '../../src/compare/pair-facts.ts';
import { allPairs, canonicalPair, comparePath, isCanonical, parsePairParam } from '../../src/compare/canonical-pair.ts';
import { demandVerdict, switchingVerdict } from '../../src/compare/verdict.ts';
import { averageTopLine, remoteClaim } from '../../src/compare/claims.ts';
import type { RoleWeekStats } from '../../src/stats/types.ts';

type SeedRole = {
  positions: number;
  disclosed: number | null;
  avg_range: [number, number];
  p25: number | null;
  median: number;
  mean: number;
  p75: number;
  remote_pct: number;
  mix_pct: { senior: number; mid: number; entry: number };
  top_skills: string[];
};

function statsOf(slug: string, overrides: Partial<RoleWeekStats> = {}): RoleWeekStats {
  const r = (seed.roles as Record<string, unknown>)[slug] as SeedRole;
  const k = (v: number | null) => (v == null ? null : v * 1000);
  const remote = Math.round((r.remote_pct / 100) * r.positions);
  const base = {
    week: '2026-W47',
    role: slug,
    positions: r.positions,
    share: r.positions / seed.total_positions,
    disclosed: r.disclosed ?? 50,
    avgMin: k(r.avg_range[0]),
    avgMax: k(r.avg_range[1]),
    p25: k(r.p25),
    median: k(r.median),
    mean: k(r.mean),
    p75: k(r.p75),
    medianCi: null,
    remote,
    remotePct: remote / r.positions,
    mix: {
      entry: Math.round((r.mix_pct.entry / 100) * r.positions),
      mid: Math.round((r.mix_pct.mid / 100) * r.positions),
      senior: Math.round((r.mix_pct.senior / 100) * r.positions),
    },
    bySeniority: {},
    topSkills: r.top_skills.map((name, i) => ({ name, count: 100 - i })),
    topCompanies: [],
    topMetros: [],
  };
  return { ...base, ...overrides } as unknown as RoleWeekStats;
}

describe('pairFacts on the reference comparisons', () => {
  for (const c of seed.comparisons) {
    it(`${c.a} vs ${c.b}`, () => {
      const f = pairFacts(statsOf(c.a), statsOf(c.b), seed.total_positions);
      expect(f.positions).toEqual({ a: c.positions[0], b: c.positions[1], more: c.more_positions });
      if (c.higher_pay) {
        expect(f.pay.kind).toBe('higher');
        if (f.pay.kind !== 'higher') return;
        expect(f.pay.higher).toBe(c.higher_pay);
        // The pages used unrounded means; from the rounded inputs expect +-1 (observed_rules).
        expect(Math.abs(f.pay.pct - c.pays_more_pct!)).toBeLessThanOrEqual(1);
        expect(Math.abs(f.pay.ceilingGapK - c.ceiling_gap_k!)).toBeLessThanOrEqual(1);
      } else {
        expect(f.pay.kind).toBe('similar');
      }
      expect(f.remote.pick).toBe(c.remote_pick);
      expect(f.skills.shared).toEqual(c.shared_skills);
      expect(f.skills.overlap).toBe(c.overlap);
      if (c.overlap_pct !== undefined) expect(f.skills.overlapPct).toBe(c.overlap_pct);
      expect(f.skills.uniqueA).toEqual(c.unique_a_first4);
      expect(f.skills.uniqueB).toEqual(c.unique_b_first4);
    });
  }

  it('reads 6 shared skills as a feasible switch and 2 as a new toolkit', () => {
    const easy = pairFacts(statsOf('mlops-engineer'), statsOf('ai-software-engineer'), seed.total_positions);
    const hard = pairFacts(statsOf('prompt-engineer'), statsOf('mlops-engineer'), seed.total_positions);
    expect(easy.skills.switching).toBe('feasible');
    expect(hard.skills.switching).toBe('retrain');
    expect(switchingVerdict(easy)).toContain('75%');
    expect(switchingVerdict(hard)).toContain('Only 2 of the 8');
    expect(switchingFrom(3)).toBe('stretch');
  });

  it('keeps a small share non-zero as a fraction', () => {
    const f = pairFacts(statsOf('mlops-engineer'), statsOf('ai-ml-engineer'), seed.total_positions);
    expect(f.share.a).toBeCloseTo(80 / 26159, 8);
    expect(f.share.a).toBeGreaterThan(0);
  });
});

describe('pay rules', () => {
  // SIMILAR_PAY_DOLLARS (docs/methodology.md, "Similar pay"): a gap of at most $5,000, inclusive, is similar pay.
  const gaps: [meanA: number, meanB: number, kind: 'similar' | 'higher'][] = [
    [200_000, 195_001, 'similar'],
    [200_000, 195_000, 'similar'],
    [195_000, 200_000, 'similar'],
    [200_000, 194_999.99, 'higher'],
    [200_000, 194_999, 'higher'],
    [194_999, 200_000, 'higher'],
    [200_000, 200_000, 'similar'],
  ];
  it.each(gaps)('means %d and %d: %s', (meanA, meanB, kind) => {
    expect(SIMILAR_PAY_DOLLARS).toBe(5_000);
    const a = statsOf('mlops-engineer', { mean: meanA });
    const b = statsOf('ai-product-manager', { mean: meanB });
    const f = pairFacts(a, b, 1_000);
    expect(f.pay.kind).toBe(kind);
    if (kind === 'similar') expect(averageTopLine(f, a, b)).toContain('within $5K');
    else expect(f.pay).toMatchObject({ higher: meanA > meanB ? 'mlops-engineer' : 'ai-product-manager', ceilingGapK: 5 });
  });

  it('says pay is unknown when one side has no pay figures', () => {
    const a = statsOf('mlops-engineer');
    const b = statsOf('prompt-engineer', { mean: null, disclosed: 3 });
    const f = pairFacts(a, b, 100);
    expect(f.pay).toEqual({ kind: 'unknown', missing: ['prompt-engineer'] });
    expect(averageTopLine(f, a, b)).toBeUndefined();
  });

  // REMOTE_PICK_POINTS (docs/methodology.md, "Remote pick"): the exact shares, not the printed ones, 10 points or more apart.
  const remotes: [remoteA: number, positionsA: number, remoteB: number, positionsB: number, pick: 'a' | 'b' | null, printed: [number | null, number | null]][] = [
    [20, 100, 10, 100, 'a', [20, 10]], // exactly 10 points
    [20, 100, 11, 100, null, [20, 11]],
    [107, 594, 48, 598, null, [18, 8]], // 18.013% vs 8.027%: 9.987 points, printed 18 vs 8
    [108, 594, 48, 598, 'a', [18, 8]], // 18.182% vs 8.027%: 10.155 points
    [1, 10, 2, 10, 'b', [10, 20]],
    [19, 100, 2, 21, null, [19, 10]], // 19% vs 9.52%: 9.48 points, printed 19 vs 10
    [1, 3, 7, 30, 'a', [33, 23]], // 33.33% vs 23.33%: a third minus 7/30 is exactly 10 points
    [1, 3, 8, 30, null, [33, 27]], // 33.33% vs 26.67%
    [0, 5, 0, 0, null, [0, null]], // no postings on one side: no pick
  ];
  it.each(remotes)('%d of %d remote against %d of %d: pick %s', (ra, pa, rb, pb, pick, printed) => {
    expect(REMOTE_PICK_POINTS).toBe(10);
    const f = pairFacts(statsOf('mlops-engineer', { positions: pa, remote: ra }), statsOf('ai-product-manager', { positions: pb, remote: rb }), 1_000);
    expect(f.remote.pick).toBe(pick === 'a' ? 'mlops-engineer' : pick === 'b' ? 'ai-product-manager' : null);
    expect([f.remote.a, f.remote.b]).toEqual(printed);
  });
});

describe('verdict wording', () => {
  const pe = statsOf('prompt-engineer');
  const ml = statsOf('mlops-engineer');
  const f = pairFacts(pe, ml, seed.total_positions);
  it('names the better-paid role, the percentage and the ceiling gap', () => {
    expect(averageTopLine(f, pe, ml)).toMatch(/^MLOps Engineer, average posted top of range: 5[23]% higher, \$67K above Prompt Engineer \(means over /);
  });
  it('gives both position counts and the remote pick', () => {
    expect(demandVerdict(f)).toContain('80 open positions against 9');
    expect(remoteClaim(f, pe, ml)).toMatch(/^Looking for remote work\? Prompt Engineer is the better bet: 22% remote, .* against 9% remote, /);
  });
  it('omits the remote line when shares are close', () => {
    const a = statsOf('mlops-engineer');
    const b = statsOf('ai-product-manager');
    const g = pairFacts(a, b, seed.total_positions);
    expect(remoteClaim(g, a, b)).toBeUndefined();
    expect(averageTopLine(g, a, b)).toContain('within $5K');
  });
});

describe('canonical pair', () => {
  it('orders by catalog position and round-trips the URL', () => {
    expect(canonicalPair('ai-software-engineer', 'mlops-engineer')).toEqual({ a: 'mlops-engineer', b: 'ai-software-engineer' });
    expect(isCanonical('mlops-engineer', 'ai-software-engineer')).toBe(true);
    expect(isCanonical('ai-ml-engineer', 'mlops-engineer')).toBe(false);
    expect(comparePath('ai-ml-engineer', 'mlops-engineer')).toBe('/compare/mlops-engineer-vs-ai-ml-engineer');
    expect(parsePairParam('mlops-engineer-vs-ai-ml-engineer')).toEqual({ a: 'mlops-engineer', b: 'ai-ml-engineer' });
    expect(parsePairParam('mlops-engineer')).toBeUndefined();
    expect(parsePairParam('-vs-x')).toBeUndefined();
  });
  it('lists every pair once', () => {
    const pairs = allPairs(['ai-ml-engineer', 'prompt-engineer', 'mlops-engineer']);
    expect(pairs.map((p) => `${p.a}/${p.b}`)).toEqual([
      'prompt-engineer/mlops-engineer',
      'prompt-engineer/ai-ml-engineer',
      'mlops-engineer/ai-ml-engineer',
    ]);
  });
});
