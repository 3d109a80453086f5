// Which role-vs-role comparisons a digest features (docs/methodology.md, "Featured comparisons"):
// up to 3 pairs, chosen for the largest change of pay gap or position gap
// since last week and for including a headline mover; per reader, pairs with
// the roles the reader follows come first. Pure.
import { allPairs } from '../compare/canonical-pair.ts';
import { roleName } from '../compare/verdict.ts';
import { medianPayVerdict } from '../compare/claims.ts';
import { isSmallSample } from '../stats/method.ts';
import type { RoleWeekStats } from '../stats/types.ts';
import { pairLinkId, type ComparisonCard, type IssueContent } from './content.ts';
import { count, moneySize } from '../stats/figures.ts';

const FEATURED_MAX = 3;

/**
 * One number to order pairs by: the pay-gap change in $K plus the
 * position-gap change in points of the pair's positions (a $5K swing weighs
 * like a 5-point swing in the share of openings). First week: the pair's
 * share of all positions, in points.
 */
function cardScore(c: ComparisonCard, firstWeekShare?: number): number {
  if (c.payGapChange === null && c.positionGapChange === null) return firstWeekShare ?? 0;
  return Math.abs(c.payGapChange ?? 0) / 1000 + Math.abs(c.positionGapChange ?? 0) * 100;
}

/** The gap between two roles' medians: the statistic the card's verdict and the digest's table print, so a reader can check it. */
function gap(a: RoleWeekStats, b: RoleWeekStats): number | null {
  return a.median == null || b.median == null ? null : a.median - b.median;
}

/** A card per pair of roles that both have open positions this week, best first. */
export function comparisonCards(
  current: RoleWeekStats[],
  previous: RoleWeekStats[] | undefined,
  total: number,
  headlineRoles: ReadonlySet<string>,
): ComparisonCard[] {
  const now = new Map(current.map((r) => [r.role, r]));
  const before = new Map((previous ?? []).map((r) => [r.role, r]));
  const open = current.filter((r) => r.positions > 0).map((r) => r.role);
  const scored: { card: ComparisonCard; score: number }[] = [];
  for (const { a, b } of allPairs(open)) {
    const ra = now.get(a)!;
    const rb = now.get(b)!;
    const pa = before.get(a);
    const pb = before.get(b);
    const gNow = gap(ra, rb);
    const gPrev = pa && pb ? gap(pa, pb) : null;
    // A change resting on a small sample (either role, either week) neither picks a pair nor explains it.
    const thinPay = isSmallSample(ra.disclosed, rb.disclosed, pa?.disclosed ?? 0, pb?.disclosed ?? 0);
    const thinPositions = isSmallSample(ra.positions, rb.positions, pa?.positions ?? 0, pb?.positions ?? 0);
    const payGapChange = gNow !== null && gPrev !== null && !thinPay ? Math.abs(gNow) - Math.abs(gPrev) : null;
    const size = ra.positions + rb.positions;
    const positionGapChange =
      pa && pb && previous && !thinPositions ? (Math.abs(ra.positions - rb.positions) - Math.abs(pa.positions - pb.positions)) / size : null;
    const includesHeadline = headlineRoles.has(a) || headlineRoles.has(b);
    const card: ComparisonCard = {
      a,
      b,
      linkId: pairLinkId(a, b),
      title: `${roleName(a)} vs ${roleName(b)}`,
      verdict: medianPayVerdict(ra, rb),
      reason: '',
      payGapChange,
      positionGapChange,
      includesHeadline,
    };
    card.reason = reasonFor(card, ra, rb, previous === undefined, pa, pb);
    scored.push({ card, score: cardScore(card, total > 0 ? (size / total) * 100 : 0) });
  }
  scored.sort((x, y) => y.score - x.score || x.card.linkId.localeCompare(y.card.linkId));
  return scored.map((s) => s.card);
}

/** Why a pair is featured; a reason never rests on a small sample (fewer than 30 postings on a side, either week). */
function reasonFor(c: ComparisonCard, a: RoleWeekStats, b: RoleWeekStats, first: boolean, pa?: RoleWeekStats, pb?: RoleWeekStats): string {
  if (first) return `Together ${count(a.positions + b.positions)} open positions this week, our first tracked week.`;
  const parts: string[] = [];
  if (c.includesHeadline) parts.push('Includes one of this week’s headline movers.');
  const disclosed = [a, b, pa, pb].map((s) => s?.disclosed ?? 0);
  const positions = [a, b, pa, pb].map((s) => s?.positions ?? 0);
  if (c.payGapChange !== null && Math.abs(c.payGapChange) >= 1000 && !isSmallSample(...disclosed)) {
    parts.push(
      `The gap between their median tops of range ${c.payGapChange > 0 ? 'widened' : 'narrowed'} by ${moneySize(c.payGapChange)} since last week (n = ${count(a.disclosed)} and ${count(b.disclosed)}).`,
    );
  }
  if (c.positionGapChange !== null && Math.abs(c.positionGapChange) >= 0.01 && !isSmallSample(...positions)) {
    parts.push(
      `The gap in open positions ${c.positionGapChange > 0 ? 'grew' : 'shrank'} since last week (${count(a.positions)} and ${count(b.positions)} now, ${count(pa!.positions)} and ${count(pb!.positions)} then).`,
    );
  }
  if (parts.length === 0) parts.push('Little changed between these two since last week.');
  return parts.join(' ');
}

/**
 * The week's featured pairs for a reader who follows no role: the best pair
 * with a headline mover, the largest pay-gap change, the largest
 * position-gap change, then the best of the rest; never the same pair twice.
 */
export function chooseFeatured(cards: readonly ComparisonCard[], max = FEATURED_MAX): string[] {
  const chosen: string[] = [];
  const take = (c: ComparisonCard | undefined) => {
    if (c && chosen.length < max && !chosen.includes(c.linkId)) chosen.push(c.linkId);
  };
  take(cards.find((c) => c.includesHeadline));
  const byPay = cards.filter((c) => c.payGapChange !== null).sort((x, y) => Math.abs(y.payGapChange!) - Math.abs(x.payGapChange!));
  take(byPay.find((c) => !chosen.includes(c.linkId)));
  const byPos = cards
    .filter((c) => c.positionGapChange !== null)
    .sort((x, y) => Math.abs(y.positionGapChange!) - Math.abs(x.positionGapChange!));
  take(byPos.find((c) => !chosen.includes(c.linkId)));
  for (const c of cards) take(c);
  return chosen;
}

/**
 * The featured cards one reader sees: pairs of two followed roles, then pairs
 * with one followed role (each in the issue's order), then the week's
 * featured pairs; up to 3.
 */
export function featuredFor(content: Pick<IssueContent, 'comparisons' | 'featured'>, followed: readonly string[]): ComparisonCard[] {
  const f = new Set(followed);
  const byId = new Map(content.comparisons.map((c) => [c.linkId, c]));
  const out: ComparisonCard[] = [];
  const add = (c: ComparisonCard | undefined) => {
    if (c && out.length < FEATURED_MAX && !out.includes(c)) out.push(c);
  };
  if (f.size > 0) {
    for (const c of content.comparisons) if (f.has(c.a) && f.has(c.b)) add(c);
    for (const c of content.comparisons) if (f.has(c.a) || f.has(c.b)) add(c);
  }
  for (const id of content.featured) add(byId.get(id));
  return out;
}
