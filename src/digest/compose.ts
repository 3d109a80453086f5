// Compose a week's issue from its stats, the week before and the history:
// the frozen content every renderer reads. Pure: no I/O, no clock.
import { comparePath } from '../compare/canonical-pair.ts';
import { roleBySlug, ROLES } from '../roles/catalog.ts';
import { diffWeeks, headlineMoves, type RoleDiff, type WeekDiff } from '../stats/diff.ts';
import type { RoleWeekStats, WeekStats } from '../stats/types.ts';
import { weeksEndingAt } from '../stats/week.ts';
import { METHOD } from '../stats/method.ts';
import {
  CONTENT_VERSION,
  LINK_COMPARE_INDEX,
  LINK_HOME,
  LINK_METHODOLOGY,
  LINK_WEB_VERSION,
  roleLinkId,
  TREND_LEVELS,
  type Headline,
  type IssueContent,
  type IssueLink,
  type Mover,
  type PayMove,
  type RisingSkills,
  type ShiftRow,
  type TrendBar,
} from './content.ts';
import { chooseFeatured, comparisonCards } from './featured.ts';
import { count, countChange, MAIL_TREND_WEEKS, money, moneyChange, moneySize, nLabel, NOT_ENOUGH, pctChange, pctRange, pctSize, signedCount, signedPct, weekDates } from '../stats/figures.ts';

export interface ComposeInput {
  week: string;
  current: WeekStats;
  /** The week before, when it was snapshotted. */
  previous?: WeekStats | undefined;
  /** Snapshotted weeks, any order; those up to `week` feed the 8-week trends. */
  history: readonly WeekStats[];
  publicUrl: string;
  /** The week's figures include generated demo postings (src/demo/status.ts): every output says so. */
  demo?: boolean;
}

/** A week that cannot be composed; the message says why and what to do. */
export class ComposeError extends Error {
  override name = 'ComposeError';
}

/** Movers shown at most. */
const MOVERS_MAX = 5;
/** A positions mover needs this many open positions in both weeks (the small-sample line), so a jump from 2 to 4 is not news. */
const MOVER_MIN_POSITIONS = METHOD.smallSampleN;

/** How a role's median moved, by the headline rule of src/stats/diff.ts. */
function payMoveOf(d: RoleDiff | undefined): PayMove {
  if (!d || d.first) return 'first';
  if (!d.median || !d.pay) return 'unknown';
  return d.pay.headline ? 'headline' : 'noise';
}

function trendFor(role: string, weeks: string[], byWeek: Map<string, WeekStats>): TrendBar[] {
  const medians = weeks.map((w) => byWeek.get(w)?.roles.find((r) => r.role === role)?.median ?? null);
  const known = medians.filter((m): m is number => m !== null);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return weeks.map((week, i) => {
    const m = medians[i]!;
    let level = 0;
    // A truncated axis: the lowest week sits at 2 of 8, the highest at 8, so
    // a few percent of movement is visible; a flat line sits in the middle.
    if (m !== null) level = hi === lo ? TREND_LEVELS / 2 : 2 + Math.round(((m - lo) / (hi - lo)) * (TREND_LEVELS - 2));
    return { week, median: m, level };
  });
}

const BLOCKS = '▁▂▃▄▅▆▇█';
function trendText(bars: readonly TrendBar[]): string {
  return bars.map((b) => (b.level === 0 ? '·' : BLOCKS[b.level - 1])).join('');
}

function shiftRow(cur: RoleWeekStats, d: RoleDiff | undefined, prev: RoleWeekStats | undefined, trend: TrendBar[]): ShiftRow {
  const name = roleBySlug(cur.role)?.name ?? cur.role;
  const move = payMoveOf(d);
  const firstWeek = move === 'first';
  const pay = { change: d?.median?.change ?? null, changePct: d?.median?.pct ?? null };
  const posChange = d?.positions?.change ?? null;
  const posPct = d?.positions?.pct ?? null;
  let positionsChangeText = '–';
  if (posChange !== null) positionsChangeText = countChange(posChange, posPct);
  let medianChangeText = '–';
  if (pay.change !== null && pay.changePct !== null) medianChangeText = moneyChange(pay.change, pay.changePct);
  const n = nLabel(cur.disclosed, prev && !firstWeek ? prev.disclosed : null);
  const lfl = d?.pay?.likeForLike;
  const lflText = lfl ? `like for like ${signedPct(lfl.change)} (${pctRange(lfl.ci)})` : null;
  const noteText =
    move === 'headline'
      ? `beyond noise, ${lflText}, ${n}`
      : move === 'noise'
        ? d?.pay?.smallSample
          ? `small sample, ${n}`
          : `within noise${lflText ? `, ${lflText}` : ''}, ${n}${d?.pay?.mixSentence ? `. ${d.pay.mixSentence}` : ''}`
        : move === 'first'
          ? `first week, ${n}`
          : cur.median == null
            ? `${NOT_ENOUGH}, ${n}`
            : `no pay figure last week, ${n}`;
  return {
    role: cur.role,
    name,
    linkId: roleLinkId(cur.role),
    positions: cur.positions,
    positionsText: count(cur.positions),
    positionsChange: posChange,
    positionsChangePct: posPct,
    positionsChangeText,
    disclosed: cur.disclosed,
    previousDisclosed: prev && !firstWeek ? prev.disclosed : null,
    median: cur.median,
    medianText: money(cur.median),
    medianChange: pay.change,
    medianChangePct: pay.changePct,
    medianChangeText,
    payMove: move,
    noteText,
    trend,
    trendText: trendText(trend),
  };
}

function payMover(row: ShiftRow, prev: RoleWeekStats): Mover {
  const up = row.medianChange! > 0;
  return {
    role: row.role,
    name: row.name,
    linkId: row.linkId,
    kind: 'pay',
    figure: `Median ${row.medianText}, ${up ? 'up' : 'down'} ${moneySize(row.medianChange!)} (${signedPct(row.medianChangePct!)})`,
    nText: `n = ${count(row.disclosed)} disclosed salaries this week, ${count(prev.disclosed)} last week`,
    context: `Comparing like with like (the same seniority and work mode in both weeks), advertised pay for the role ${up ? 'rose' : 'fell'}: ${row.noteText.replace(/^beyond noise, /, '').replace(/, n = .*$/, '')}, a range that excludes no change.`,
  };
}

function positionsMover(row: ShiftRow, cur: RoleWeekStats, prev: RoleWeekStats): Mover {
  const up = row.positionsChange! > 0;
  const top = cur.topCompanies[0];
  return {
    role: row.role,
    name: row.name,
    linkId: row.linkId,
    kind: 'positions',
    figure: `${row.positionsText} open positions, ${up ? 'up' : 'down'} ${count(Math.abs(row.positionsChange!))} (${signedPct(row.positionsChangePct!)})`,
    nText: `n = ${row.positionsText} open positions this week, ${count(prev.positions)} last week`,
    context:
      (up
        ? `Hiring for the role picked up: ${count(row.positionsChange!)} more openings than a week ago.`
        : `Fewer openings than a week ago: ${count(-row.positionsChange!)} postings closed or were not renewed.`) +
      (top ? ` Most postings this week: ${top.name} (${count(top.count)}).` : ''),
  };
}

function headlineOf(diff: WeekDiff, rows: ShiftRow[]): Headline | undefined {
  // The largest headline move by percent (src/stats/diff.ts decides which moves pass the rule).
  const top = headlineMoves(diff)[0];
  const best = top && rows.find((r) => r.role === top.role);
  if (!top || !best || !top.median || !top.pay) return undefined;
  const up = top.median.change > 0;
  return {
    kind: 'pay-move',
    role: best.role,
    name: best.name,
    linkId: best.linkId,
    from: top.median.previous,
    to: top.median.current,
    change: top.median.change,
    changePct: top.median.pct,
    n: { current: top.pay.n.current, previous: top.pay.n.previous },
    text: `${best.name} median pay ${up ? 'rose' : 'fell'} ${moneySize(top.median.change)} (${signedPct(top.median.pct)}) to ${best.medianText}, and like for like ${up ? 'up' : 'down'} ${pctSize(top.pay.likeForLike!.change)}: a move beyond week-to-week noise (n = ${count(top.pay.n.current)} and ${count(top.pay.n.previous)} disclosed salaries).`,
  };
}

export function composeIssue(input: ComposeInput): IssueContent {
  const { week, current, previous } = input;
  if (current.week !== week) throw new ComposeError(`stats are for ${current.week}, not ${week}`);
  if (current.total === 0) {
    throw new ComposeError(`no open postings in ${week}: ingest postings and run \`digest snapshot --week ${week}\` first`);
  }
  const firstWeek = previous === undefined || previous.total === 0;
  const prevByRole = new Map((firstWeek ? [] : previous!.roles).map((r) => [r.role, r]));
  const byWeek = new Map(input.history.filter((h) => h.week <= week).map((h) => [h.week, h]));
  byWeek.set(week, current);
  const trendWeeks = weeksEndingAt(week, MAIL_TREND_WEEKS);
  const curByRole = new Map(current.roles.map((r) => [r.role, r]));
  const tracked = ROLES.map((r) => curByRole.get(r.slug)).filter((r): r is RoleWeekStats => r !== undefined);

  const diff = diffWeeks(current, firstWeek ? undefined : previous, [...byWeek.values()]);
  const diffByRole = new Map(diff.roles.map((d) => [d.role, d]));
  const shifts = tracked.map((r) => shiftRow(r, diffByRole.get(r.role), prevByRole.get(r.role), trendFor(r.role, trendWeeks, byWeek)));
  const headline = headlineOf(diff, shifts);

  const totalChange = firstWeek ? null : current.total - previous!.total;
  const totalPct = firstWeek ? null : pctChange(previous!.total, current.total);
  const totalText = count(current.total);
  const totalChangeText = totalChange === null ? '–' : totalPct === null ? signedCount(totalChange) : countChange(totalChange, totalPct);
  const openRoles = tracked.filter((r) => r.positions > 0).length;

  const movers: Mover[] = [];
  for (const row of shifts.filter((r) => r.payMove === 'headline').sort((x, y) => Math.abs(y.medianChangePct!) - Math.abs(x.medianChangePct!))) {
    movers.push(payMover(row, prevByRole.get(row.role)!));
  }
  const posMovers = shifts
    .filter((r) => r.positionsChangePct !== null && r.positionsChange !== 0)
    .filter((r) => r.positions >= MOVER_MIN_POSITIONS && (prevByRole.get(r.role)?.positions ?? 0) >= MOVER_MIN_POSITIONS)
    .sort((x, y) => Math.abs(y.positionsChangePct!) - Math.abs(x.positionsChangePct!));
  for (const row of posMovers) if (movers.length < MOVERS_MAX) movers.push(positionsMover(row, curByRole.get(row.role)!, prevByRole.get(row.role)!));

  const risingSkills: RisingSkills[] = [];
  if (!firstWeek) {
    for (const r of tracked) {
      const before = prevByRole.get(r.role);
      // A skill entering the top 8 of a few postings is noise, as a mover would be: the same gate.
      if (!before || before.positions < MOVER_MIN_POSITIONS || r.positions < MOVER_MIN_POSITIONS) continue;
      const entered = diffByRole.get(r.role)?.skillsEntered ?? [];
      const listing = (skill: string) => r.topSkills.find((k) => k.name === skill)?.count ?? 0;
      if (entered.length > 0) {
        risingSkills.push({
          role: r.role,
          name: shifts.find((s) => s.role === r.role)!.name,
          linkId: roleLinkId(r.role),
          skills: entered,
          labels: entered.map((k) => `${k} (${count(listing(k))} of ${count(r.positions)} postings)`),
        });
      }
    }
  }

  const headlineRoles = new Set(shifts.filter((r) => r.payMove === 'headline').map((r) => r.role));
  const comparisons = comparisonCards(tracked, firstWeek ? undefined : previous!.roles, current.total, headlineRoles);
  const featured = chooseFeatured(comparisons);

  const label = weekDates(current.start, current.end, current.tz);
  const prefix = `AI salary trends ${week}`;
  let subject: string;
  let headlineOut: Headline;
  if (headline && headline.kind === 'pay-move') {
    subject = `${prefix}: ${headline.name} median pay ${headline.change > 0 ? 'up' : 'down'} ${pctSize(headline.changePct)} to ${money(headline.to)}`;
    headlineOut = headline;
  } else if (firstWeek) {
    subject = `${prefix}: ${totalText} open AI roles in our first tracked week`;
    headlineOut = {
      kind: 'total',
      text: `This is our first tracked week, so there is no prior week to compare with yet: ${totalText} open positions, ${openRoles} of ${ROLES.length} tracked roles hiring.`,
    };
  } else {
    const dir = totalChange! > 0 ? 'up' : totalChange! < 0 ? 'down' : 'level';
    subject = `${prefix}: ${totalText} open AI roles, ${dir}${totalChange === 0 ? '' : ` ${pctSize(totalPct ?? 0)}`}`;
    headlineOut = {
      kind: 'total',
      text: `No role’s median pay moved beyond week-to-week noise this week. Open positions: ${totalText}, ${totalChangeText} on last week.`,
    };
  }
  const moveCount = headlineRoles.size;
  const summary = firstWeek
    ? `${label}. Week-over-week changes start with next week’s issue.`
    : `${label}. ${totalText} open positions, ${totalChangeText} on last week; ${moveCount === 0 ? 'no pay move' : moveCount === 1 ? 'one pay move' : `${moveCount} pay moves`} beyond noise.`;
  const firstFeatured = comparisons.find((c) => c.linkId === featured[0]);
  const preheader = [
    `${ROLES.length} AI roles tracked, ${totalText} open positions`,
    firstWeek ? 'first tracked week' : `${moveCount === 0 ? 'no' : moveCount} pay ${moveCount === 1 ? 'move' : 'moves'} beyond noise`,
    firstFeatured ? `featured: ${firstFeatured.title}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');

  const links: IssueLink[] = [
    { id: LINK_WEB_VERSION, path: `/issues/${week}`, label: 'View this issue in your browser' },
    { id: LINK_COMPARE_INDEX, path: '/compare', label: 'All comparisons' },
    { id: LINK_HOME, path: '/', label: 'Salary Trends Digest' },
    { id: LINK_METHODOLOGY, path: '/methodology', label: 'How we compute these figures' },
    // Role and comparison links carry the issue's week, so an old issue opens the figures it quoted.
    ...shifts.map((r) => ({ id: r.linkId, path: `/roles/${r.role}?week=${week}`, label: r.name })),
    ...comparisons.map((c) => ({ id: c.linkId, path: `${comparePath(c.a, c.b)}?week=${week}`, label: c.title })),
  ];

  return {
    version: CONTENT_VERSION,
    week,
    weekLabel: label,
    previousWeek: firstWeek ? null : previous!.week,
    firstWeek,
    subject,
    preheader,
    headline: headlineOut,
    summary,
    total: { positions: current.total, change: totalChange, changePct: totalPct, text: totalText, changeText: totalChangeText },
    shifts,
    trendWeeks,
    movers,
    risingSkills,
    comparisons,
    featured,
    links,
    ...(input.demo ? { demo: true } : {}),
  };
}
