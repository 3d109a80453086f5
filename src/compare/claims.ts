// The claims of a comparison as a reader sees them, each with its n
// (docs/methodology.md, "Verdicts"): the pay verdict rests on the medians and
// their 95% intervals; the mean-based figure of the reference pages stays,
// labelled "average posted top of range"; remote and skills claims name
// their counts. A claim resting on fewer than METHOD.smallSampleN postings on
// either side says "small sample". Plain text, pure.
import { intervalsOverlap } from '../stats/diff.ts';
import { isSmallSample } from '../stats/method.ts';
import type { RoleWeekStats } from '../stats/types.ts';
import { count, money, moneyRange, nLabel, remoteShare } from '../stats/figures.ts';
import type { PairFacts } from './pair-facts.ts';
import { demandVerdict, roleName } from './verdict.ts';

const SMALL_SAMPLE = 'small sample';

export type MedianPay =
  /** Both medians have intervals and they are apart. */
  | { kind: 'likely-higher'; higher: string; lower: string; smallSample: boolean }
  /** Intervals overlap, or one side has too few postings for an interval. */
  | { kind: 'no-clear-difference'; smallSample: boolean }
  /** A side has fewer than 5 disclosed salaries: no median. */
  | { kind: 'unknown'; missing: string[]; smallSample: true };

export function medianPay(a: RoleWeekStats, b: RoleWeekStats): MedianPay {
  const smallSample = isSmallSample(a.disclosed, b.disclosed);
  if (a.median == null || b.median == null) {
    return { kind: 'unknown', missing: [a, b].filter((s) => s.median == null).map((s) => s.role), smallSample: true };
  }
  if (a.medianCi && b.medianCi && !intervalsOverlap(a.medianCi, b.medianCi)) {
    const [hi, lo] = a.median > b.median ? [a, b] : [b, a];
    return { kind: 'likely-higher', higher: hi.role, lower: lo.role, smallSample };
  }
  return { kind: 'no-clear-difference', smallSample };
}

/** "$173K (95% range $160K–$185K, n = 34)". */
function medianWithN(s: RoleWeekStats): string {
  const range = s.medianCi ? `95% range ${moneyRange(s.medianCi[0], s.medianCi[1])}, ` : '';
  return `${money(s.median)} (${range}${nLabel(s.disclosed)})`;
}

const marked = (small: boolean) => (small ? ` (${SMALL_SAMPLE})` : '');

/** The pay verdict from the medians and their intervals. */
export function medianPayVerdict(a: RoleWeekStats, b: RoleWeekStats, p: MedianPay = medianPay(a, b)): string {
  if (p.kind === 'unknown') {
    const names = p.missing.map(roleName).join(' and ');
    const ns = [a, b].map((s) => `${roleName(s.role)} ${nLabel(s.disclosed)}`).join(', ');
    return `Too few ${names} postings disclose a salary this week to say which role pays more (${ns}).`;
  }
  if (p.kind === 'likely-higher') {
    const [hi, lo] = p.higher === a.role ? [a, b] : [b, a];
    return `${roleName(hi.role)} likely pays more: median top of range ${medianWithN(hi)} against ${medianWithN(lo)} for ${roleName(lo.role)}; the two ranges do not overlap${marked(p.smallSample)}.`;
  }
  // Name the side without a range: the other side's range is printed in the same sentence.
  const noRange = [a, b].filter((s) => !s.medianCi);
  const why =
    noRange.length === 0
      ? 'the two ranges overlap'
      : noRange.length === 2
        ? 'too few postings on either side for a 95% range'
        : `too few ${roleName(noRange[0]!.role)} postings for a 95% range`;
  return `No clear difference in pay: median top of range ${medianWithN(a)} for ${roleName(a.role)} and ${medianWithN(b)} for ${roleName(b.role)}; ${why}${marked(p.smallSample)}.`;
}

/** The reference pages' mean-based figure, labelled for what it is; undefined when a side has no pay figures. */
export function averageTopLine(f: PairFacts, a: RoleWeekStats, b: RoleWeekStats): string | undefined {
  const p = f.pay;
  const ns = `means over ${count(a.disclosed)} and ${count(b.disclosed)} disclosed salaries${marked(isSmallSample(a.disclosed, b.disclosed))}`;
  if (p.kind === 'higher') {
    return `${roleName(p.higher)}, average posted top of range: ${p.pct}% higher, $${p.ceilingGapK}K above ${roleName(p.lower)} (${ns}).`;
  }
  if (p.kind === 'similar') return `Average posted top of range: within $5K of each other (${ns}).`;
  return undefined;
}

/** Said when the medians and the averages point different ways. */
export function directionNote(f: PairFacts, a: RoleWeekStats, b: RoleWeekStats): string | undefined {
  if (f.pay.kind !== 'higher' || a.median == null || b.median == null || a.median === b.median) return undefined;
  const medianHigher = a.median > b.median ? a.role : b.role;
  if (medianHigher === f.pay.higher) return undefined;
  const [hi, lo] = medianHigher === a.role ? [a, b] : [b, a];
  return `The median and the average disagree: ${roleName(hi.role)} has the higher median (${money(hi.median)}, ${nLabel(hi.disclosed)}, against ${money(lo.median)}, ${nLabel(lo.disclosed)}), while a few high salaries lift ${roleName(f.pay.higher)}’s average.`;
}

/** "22% remote, 2 of 9 postings": the share as the side-by-side table prints it. */
function remoteWithN(s: Pick<RoleWeekStats, 'remote' | 'positions'>): string {
  return `${remoteShare(s)} remote, ${count(s.remote)} of ${count(s.positions)} ${s.positions === 1 ? 'posting' : 'postings'}`;
}

/** The remote pick with both counts, marked when either side is a small sample; undefined without a pick. */
export function remoteClaim(f: PairFacts, a: RoleWeekStats, b: RoleWeekStats): string | undefined {
  const pick = f.remote.pick;
  if (pick === null) return undefined;
  const [mine, theirs] = pick === a.role ? [a, b] : [b, a];
  // A pick needs postings on both sides (remotePick), so both shares exist.
  return `Looking for remote work? ${roleName(pick)} is the better bet: ${remoteWithN(mine)}, against ${remoteWithN(theirs)} for ${roleName(theirs.role)}${marked(isSmallSample(a.positions, b.positions))}.`;
}

/** The skills base of the overlap claim: "(top skills of 9 X and 80 Y postings, small sample)". */
export function skillsBase(a: RoleWeekStats, b: RoleWeekStats): string {
  return `(top skills of ${count(a.positions)} ${roleName(a.role)} and ${count(b.positions)} ${roleName(b.role)} postings${isSmallSample(a.positions, b.positions) ? `, ${SMALL_SAMPLE}` : ''})`;
}

/** The quick verdict of a comparison page, in reading order: pay (medians), the average figure, any disagreement, demand, remote. */
export function comparisonLines(f: PairFacts, a: RoleWeekStats, b: RoleWeekStats): string[] {
  return [medianPayVerdict(a, b), averageTopLine(f, a, b), directionNote(f, a, b), demandVerdict(f), remoteClaim(f, a, b)].filter(
    (l): l is string => l !== undefined,
  );
}
