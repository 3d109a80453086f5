// The words of a comparison: short sentences built from PairFacts. Plain
// text (the page escapes it); every sentence is our own wording.
import { roleBySlug } from '../roles/catalog.ts';
import { count } from '../stats/figures.ts';
import type { PairFacts, Switching } from './pair-facts.ts';

export function roleName(slug: string): string {
  return roleBySlug(slug)?.name ?? slug;
}

/** Which role has more openings, with both counts. */
export function demandVerdict(f: PairFacts): string {
  const { a, b, more } = f.positions;
  if (more === null) return `Both roles have the same number of open positions this week: ${count(a)} each.`;
  const [mine, theirs] = more === f.a ? [a, b] : [b, a];
  const other = more === f.a ? f.b : f.a;
  return `${roleName(more)} has more openings right now: ${count(mine)} open positions against ${count(theirs)} for ${roleName(other)}.`;
}

const switchingText: Record<Switching, (n: number, pct: number) => string> = {
  feasible: (n, pct) =>
    `${n} of the 8 most requested skills are common to both (${pct}%), so moving from one role to the other is realistic with focused learning on the rest`,
  stretch: (n, pct) =>
    `${n} of the 8 most requested skills are common to both (${pct}%): a switch is possible but means picking up several new core skills`,
  retrain: (n, pct) =>
    `Only ${n} of the 8 most requested skills ${n === 1 ? 'is' : 'are'} common to both (${pct}%): switching means building a largely new toolkit`,
};

/** What the skill overlap means for someone moving between the roles, one sentence; `base` (what the figures rest on) goes before its full stop. */
export function switchingVerdict(f: PairFacts, base?: string): string {
  return `${switchingText[f.skills.switching](f.skills.overlap, f.skills.overlapPct)}${base ? ` ${base}` : ''}.`;
}
