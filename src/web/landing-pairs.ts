// Which comparisons the landing page features: a handful of pairs that each
// answer a different question a reader tends to ask. Pure.
import { allPairs } from '../compare/canonical-pair.ts';
import { pairFacts, type PairFacts } from '../compare/pair-facts.ts';
import type { WeekStats } from '../stats/types.ts';

export interface FeaturedPair {
  reason: string;
  facts: PairFacts;
}

export function landingPairs(week: WeekStats, max = 4): FeaturedPair[] {
  const bySlug = new Map(week.roles.map((r) => [r.role, r]));
  const live = week.roles.filter((r) => r.positions > 0).map((r) => r.role);
  const facts = allPairs(live).map((p) => pairFacts(bySlug.get(p.a)!, bySlug.get(p.b)!, week.total));
  const pct = (f: PairFacts) => (f.pay.kind === 'higher' ? f.pay.pct : 0);
  const volume = (f: PairFacts) => f.positions.a + f.positions.b;
  const picks: FeaturedPair[] = [];
  const seen = new Set<string>();
  const take = (reason: string, candidates: PairFacts[], score: (f: PairFacts) => number) => {
    const best = candidates
      .filter((f) => !seen.has(`${f.a}/${f.b}`))
      .sort((x, y) => score(y) - score(x) || `${x.a}/${x.b}`.localeCompare(`${y.a}/${y.b}`))[0];
    if (!best || picks.length >= max) return;
    seen.add(`${best.a}/${best.b}`);
    picks.push({ reason, facts: best });
  };
  take('The most openings', facts, volume);
  take('A short hop to higher pay', facts.filter((f) => f.skills.overlap >= 5 && f.pay.kind === 'higher'), pct);
  take('The widest pay gap', facts.filter((f) => f.pay.kind === 'higher'), pct);
  take('Level pay, different work', facts.filter((f) => f.pay.kind === 'similar'), volume);
  return picks;
}
