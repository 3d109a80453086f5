// The words of a comparison: short sentences built from PairFacts. Plain
// text (the page escapes it); every sentence is our own wording.
import { roleBySlug } from '../roles/catalog.ts';
import type { PairFacts, Switching } from './pair-facts.ts';

export function roleName(slug: string): string {
  return roleBySlug(slug)?.name ?? slug;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Who pays more and by how much, or that pay is about level, or that we cannot tell. */
export function payVerdict(f: PairFacts): string {
  const p = f.pay;
  if (p.kind === 'higher') {
    return `${roleName(p.higher)} pays more: its average advertised top of range is ${p.pct}% higher than ${roleName(p.lower)}'s, a ceiling gap of $${p.ceilingGapK}K.`;
  }
  if (p.kind === 'similar') {
    return `Pay is roughly level: the two roles' average advertised tops of range sit within $5K of each other.`;
  }
  const names = p.missing.map(roleName).join(' and ');
  return `Too few ${names} postings disclose a salary this week to say which role pays more.`;
}

/** Which role has more openings, with both counts. */
export function demandVerdict(f: PairFacts): string {
  const { a, b, more } = f.positions;
  if (more === null) return `Both roles have the same number of open positions this week: ${count(a)} each.`;
  const [mine, theirs] = more === f.a ? [a, b] : [b, a];
  const other = more === f.a ? f.b : f.a;
  return `${roleName(more)} has more openings right now: ${count(mine)} open positions against ${count(theirs)} for ${roleName(other)}.`;
}

/** A remote pick, or undefined when the remote shares are within 10 points. */
export function remoteVerdict(f: PairFacts): string | undefined {
  const pick = f.remote.pick;
  if (pick === null) return undefined;
  const [mine, theirs] = pick === f.a ? [f.remote.a, f.remote.b] : [f.remote.b, f.remote.a];
  return `Looking for remote work? ${roleName(pick)} is the better bet, with ${mine}% of postings remote against ${theirs}%.`;
}

const switchingText: Record<Switching, (n: number, pct: number) => string> = {
  feasible: (n, pct) =>
    `${n} of the 8 most requested skills are common to both (${pct}%), so moving from one role to the other is realistic with focused learning on the rest.`,
  stretch: (n, pct) =>
    `${n} of the 8 most requested skills are common to both (${pct}%): a switch is possible but means picking up several new core skills.`,
  retrain: (n, pct) =>
    `Only ${n} of the 8 most requested skills ${n === 1 ? 'is' : 'are'} common to both (${pct}%): switching means building a largely new toolkit.`,
};

/** What the skill overlap means for someone moving between the roles. */
export function switchingVerdict(f: PairFacts): string {
  return switchingText[f.skills.switching](f.skills.overlap, f.skills.overlapPct);
}

/** The comparison's verdict lines in reading order. */
export function verdictLines(f: PairFacts): string[] {
  const lines = [payVerdict(f), demandVerdict(f)];
  const remote = remoteVerdict(f);
  if (remote) lines.push(remote);
  return lines;
}

/** One short sentence for a digest card or link title. */
export function oneLineSummary(f: PairFacts): string {
  const p = f.pay;
  const pay =
    p.kind === 'higher'
      ? `${roleName(p.higher)} pays ${p.pct}% more`
      : p.kind === 'similar'
        ? 'similar pay'
        : 'pay not comparable yet';
  return `${roleName(f.a)} vs ${roleName(f.b)}: ${pay}, ${f.skills.overlap}/8 skills shared.`;
}
