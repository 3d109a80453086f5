// When a pay move is a headline (docs/methodology.md, "Headlines and small
// samples"): the like-for-like interval excludes zero AND the raw median
// moved the same way, with at least METHOD.smallSampleN disclosed pays in
// both weeks. When the raw median moved by METHOD.rawMoveMinPct or more but
// like for like pay did not, one sentence names the mix shift behind it. Pure.
import { pctSize, wholePct } from './figures.ts';
import { excludesZero } from './like-for-like.ts';
import { isSmallSample, METHOD } from './method.ts';
import { SENIORITIES, type RoleWeekStats, type Seniority } from './types.ts';

export interface HeadlineVerdict {
  headline: boolean;
  /** Fewer than METHOD.smallSampleN disclosed pays in either week. */
  smallSample: boolean;
  /** The like-for-like change (percent) and its interval, when computed. */
  likeForLike: { change: number; ci: [number, number] } | null;
  /** Why the raw median moved when like for like pay did not; null otherwise. */
  mixSentence: string | null;
}

/** The rule for one role, from this week's row (which carries the like-for-like change) and last week's. */
export function headlineVerdict(cur: RoleWeekStats, prev: RoleWeekStats, medianPct: number | null): HeadlineVerdict {
  const smallSample = isSmallSample(cur.disclosed, prev.disclosed);
  const l = cur.likeForLike;
  const likeForLike = l && l.change !== null && l.ci ? { change: l.change, ci: l.ci } : null;
  const sameWay = likeForLike !== null && medianPct !== null && medianPct !== 0 && Math.sign(medianPct) === Math.sign(likeForLike.change);
  const headline = !smallSample && likeForLike !== null && excludesZero(likeForLike.ci) && sameWay;
  const rawMoved = medianPct !== null && Math.abs(medianPct) >= METHOD.rawMoveMinPct;
  const held = likeForLike !== null && !excludesZero(likeForLike.ci);
  const mixSentence = !smallSample && rawMoved && held ? mixShiftSentence(cur, prev, medianPct!) : null;
  return { headline, smallSample, likeForLike, mixSentence };
}

/**
 * "The median rose 5%, but like for like there is no clear change: this week's postings were
 * more senior (senior 50% of postings with pay, against 30%)." The shift
 * named is the one (seniority or work mode) whose change of mix, priced at
 * last week's medians, moves pay most in the direction the median moved.
 */
function mixShiftSentence(cur: RoleWeekStats, prev: RoleWeekStats, medianPct: number): string {
  const up = medianPct > 0;
  const opening = `The median ${up ? 'rose' : 'fell'} ${pctSize(medianPct)}, but like for like there is no clear change`;
  const candidates = [seniorityShift(cur, prev), workModeShift(cur, prev)].filter(
    (c): c is Shift => c !== null && Math.sign(c.effect) === Math.sign(medianPct),
  );
  candidates.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  const best = candidates[0];
  if (!best) return `${opening}: the change comes from which postings were open this week, not from pay within comparable postings.`;
  return `${opening}: ${best.words}.`;
}

interface Shift {
  /** Mix change priced at last week's medians, dollars. */
  effect: number;
  words: string;
}

const pct = wholePct;

function seniorityShift(cur: RoleWeekStats, prev: RoleWeekStats): Shift | null {
  const n = (s: RoleWeekStats) => SENIORITIES.reduce((sum, l) => sum + (s.bySeniority[l]?.n ?? 0), 0);
  const nc = n(cur);
  const np = n(prev);
  if (nc === 0 || np === 0) return null;
  let effect = 0;
  let moved: { level: Seniority; now: number; before: number } | null = null;
  for (const l of SENIORITIES) {
    const now = (cur.bySeniority[l]?.n ?? 0) / nc;
    const before = (prev.bySeniority[l]?.n ?? 0) / np;
    const median = prev.bySeniority[l]?.median;
    if (median == null) continue;
    effect += (now - before) * median;
    if (!moved || Math.abs(now - before) > Math.abs(moved.now - moved.before)) moved = { level: l, now, before };
  }
  if (!moved) return null;
  const senior = effect > 0;
  return {
    effect,
    words: `this week’s postings were more ${senior ? 'senior' : 'junior'} (${moved.level} ${pct(moved.now)} of postings with pay, against ${pct(moved.before)})`,
  };
}

function workModeShift(cur: RoleWeekStats, prev: RoleWeekStats): Shift | null {
  const c = cur.workMode;
  const p = prev.workMode;
  if (!c || !p || p.remote.median == null || p.onsite.median == null) return null;
  const nc = c.remote.n + c.onsite.n;
  const np = p.remote.n + p.onsite.n;
  if (nc === 0 || np === 0) return null;
  const now = c.remote.n / nc;
  const before = p.remote.n / np;
  const effect = (now - before) * (p.remote.median - p.onsite.median);
  const more = now > before ? 'remote' : 'on-site';
  return {
    effect,
    words: `more of this week’s postings were ${more} (remote ${pct(now)} of postings with pay, against ${pct(before)})`,
  };
}
