// Which comparisons the landing page features: a handful of pairs that each
// answer a different question a reader tends to ask. A reason about pay rests
// on the medians' 95% intervals and never on a small sample
// (docs/methodology.md). Pure.
import { allPairs } from '../compare/canonical-pair.ts';
import { medianPay, medianPayVerdict, type MedianPay } from '../compare/claims.ts';
import { pairFacts, type PairFacts } from '../compare/pair-facts.ts';
import type { RoleWeekStats, WeekStats } from '../stats/types.ts';

export interface FeaturedPair {
  reason: string;
  facts: PairFacts;
  /** The pay verdict from the medians, with n. */
  verdict: string;
}

interface Candidate {
  facts: PairFacts;
  pay: MedianPay;
  a: RoleWeekStats;
  b: RoleWeekStats;
}

export function landingPairs(week: WeekStats, max = 4): FeaturedPair[] {
  const bySlug = new Map(week.roles.map((r) => [r.role, r]));
  const live = week.roles.filter((r) => r.positions > 0).map((r) => r.role);
  const all: Candidate[] = allPairs(live).map((p) => {
    const a = bySlug.get(p.a)!;
    const b = bySlug.get(p.b)!;
    return { facts: pairFacts(a, b, week.total), pay: medianPay(a, b), a, b };
  });
  const gap = (c: Candidate) => (c.pay.kind === 'likely-higher' ? Math.max(c.a.median!, c.b.median!) / Math.min(c.a.median!, c.b.median!) : 0);
  const volume = (c: Candidate) => c.facts.positions.a + c.facts.positions.b;
  const higher = all.filter((c) => c.pay.kind === 'likely-higher' && !c.pay.smallSample);
  const picks: FeaturedPair[] = [];
  const seen = new Set<string>();
  const take = (reason: string, candidates: Candidate[], score: (c: Candidate) => number) => {
    const best = candidates
      .filter((c) => !seen.has(`${c.facts.a}/${c.facts.b}`))
      .sort((x, y) => score(y) - score(x) || `${x.facts.a}/${x.facts.b}`.localeCompare(`${y.facts.a}/${y.facts.b}`))[0];
    if (!best || picks.length >= max) return;
    seen.add(`${best.facts.a}/${best.facts.b}`);
    picks.push({ reason, facts: best.facts, verdict: medianPayVerdict(best.a, best.b, best.pay) });
  };
  take('The most openings', all, volume);
  take('A short hop to higher pay', higher.filter((c) => c.facts.skills.overlap >= 5), gap);
  take('The widest pay gap', higher, gap);
  take('Level pay, different work', all.filter((c) => c.pay.kind === 'no-clear-difference' && !c.pay.smallSample), volume);
  return picks;
}
