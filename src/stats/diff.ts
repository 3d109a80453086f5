// Week over week (docs/methodology.md): per role, the change in positions, median, p75
// and remote share, the skills that entered or left the top 8, and whether
// the pay move is a headline (headline-rule.ts: the like-for-like interval
// excludes zero and the raw median moved the same way, 30+ disclosed in both
// weeks) or not. Pure: plain data in, plain data out.
import { headlineVerdict } from './headline-rule.ts';
import { foldName } from './top-names.ts';
import type { RoleWeekStats, WeekStats } from './types.ts';
import type { WeekKey } from './week.ts';

interface CountChange {
  current: number;
  previous: number;
  change: number;
  /** Percent change; null when the previous count is 0. */
  pct: number | null;
}

interface MoneyChange {
  current: number;
  previous: number;
  /** Dollars. */
  change: number;
  /** Percent of the previous value. */
  pct: number;
}

interface PayMove {
  /** The headline rule holds (headline-rule.ts). */
  headline: boolean;
  withinNoise: boolean;
  /** Fewer than 30 disclosed in either week: shown, marked, never a headline. */
  smallSample: boolean;
  /** Like-for-like change in percent and its 95% interval, when this week's snapshot has one. */
  likeForLike: { change: number; ci: [number, number] } | null;
  /** The raw median moved but like for like pay did not: one sentence naming the mix shift. */
  mixSentence: string | null;
  /** The two median intervals are apart (the noise rule before like for like; shown for reference). */
  intervalsApart: boolean;
  /** Disclosed counts behind the two medians. */
  n: { current: number; previous: number };
  currentCi: [number, number] | null;
  previousCi: [number, number] | null;
}

interface TrendPoint {
  week: WeekKey;
  median: number | null;
  positions: number;
}

export interface RoleDiff {
  role: string;
  /** No row for the role in the previous week (or no previous week): no deltas. */
  first: boolean;
  positions: CountChange | null;
  /** Null when either week has no median (fewer than 5 disclosed) or on the first week. */
  median: MoneyChange | null;
  p75: MoneyChange | null;
  /** Remote share change in percentage points (e.g. +2.5). */
  remotePoints: number | null;
  skillsEntered: string[];
  skillsLeft: string[];
  /** The median move and whether it stands out from noise; null when there is no median change. */
  pay: PayMove | null;
  /** Medians and positions over the history passed in (oldest first), ending with this week. */
  trend: TrendPoint[];
}

export interface WeekDiff {
  week: WeekKey;
  previousWeek: WeekKey | null;
  /** No previous week: the first tracked week, no deltas. */
  first: boolean;
  total: CountChange | null;
  roles: RoleDiff[];
}

export function diffWeeks(current: WeekStats, previous: WeekStats | undefined, history: WeekStats[] = []): WeekDiff {
  const prevRoles = new Map((previous?.roles ?? []).map((r) => [r.role, r]));
  const past = history.filter((w) => w.week < current.week).sort((a, b) => (a.week < b.week ? -1 : 1));
  return {
    week: current.week,
    previousWeek: previous?.week ?? null,
    first: previous === undefined,
    total: previous ? countChange(current.total, previous.total) : null,
    roles: current.roles.map((r) => diffRole(r, prevRoles.get(r.role), trendOf(r, past))),
  };
}

function diffRole(cur: RoleWeekStats, prev: RoleWeekStats | undefined, trend: TrendPoint[]): RoleDiff {
  if (!prev) {
    return {
      role: cur.role,
      first: true,
      positions: null,
      median: null,
      p75: null,
      remotePoints: null,
      skillsEntered: [],
      skillsLeft: [],
      pay: null,
      trend,
    };
  }
  const median = moneyChange(cur.median, prev.median);
  // By folded name: a skill whose most used spelling changed ("vector search" -> "Vector Search") neither entered nor left.
  const curSkills = new Set(cur.topSkills.map((s) => foldName(s.name)));
  const prevSkills = new Set(prev.topSkills.map((s) => foldName(s.name)));
  return {
    role: cur.role,
    first: false,
    positions: countChange(cur.positions, prev.positions),
    median,
    p75: moneyChange(cur.p75, prev.p75),
    remotePoints: cur.remotePct !== null && prev.remotePct !== null ? (cur.remotePct - prev.remotePct) * 100 : null,
    skillsEntered: cur.topSkills.map((s) => s.name).filter((s) => !prevSkills.has(foldName(s))),
    skillsLeft: prev.topSkills.map((s) => s.name).filter((s) => !curSkills.has(foldName(s))),
    pay: median ? payMove(cur, prev, median.pct) : null,
    trend,
  };
}

/** The pay move of a role whose raw median changed by `medianPct` percent (headline-rule.ts). */
function payMove(cur: RoleWeekStats, prev: RoleWeekStats, medianPct: number | null = null): PayMove {
  const apart = cur.medianCi !== null && prev.medianCi !== null && !intervalsOverlap(cur.medianCi, prev.medianCi);
  const rule = headlineVerdict(cur, prev, medianPct);
  return {
    headline: rule.headline,
    withinNoise: !rule.headline,
    smallSample: rule.smallSample,
    likeForLike: rule.likeForLike,
    mixSentence: rule.mixSentence,
    intervalsApart: apart,
    n: { current: cur.disclosed, previous: prev.disclosed },
    currentCi: cur.medianCi,
    previousCi: prev.medianCi,
  };
}

/** Closed intervals overlap when each starts no later than the other ends (touching counts). */
export function intervalsOverlap(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

/** Headline pay moves, largest absolute median % change first (ties by role). */
export function headlineMoves(diff: WeekDiff): RoleDiff[] {
  return diff.roles
    .filter((r) => r.pay?.headline && r.median)
    .sort((a, b) => Math.abs(b.median!.pct) - Math.abs(a.median!.pct) || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
}

function countChange(current: number, previous: number): CountChange {
  return { current, previous, change: current - previous, pct: previous > 0 ? ((current - previous) / previous) * 100 : null };
}

function moneyChange(current: number | null, previous: number | null): MoneyChange | null {
  if (current === null || previous === null || previous === 0) return null;
  return { current, previous, change: current - previous, pct: ((current - previous) / previous) * 100 };
}

function trendOf(cur: RoleWeekStats, past: WeekStats[]): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const w of past) {
    const r = w.roles.find((x) => x.role === cur.role);
    if (r) points.push({ week: w.week, median: r.median, positions: r.positions });
  }
  points.push({ week: cur.week, median: cur.median, positions: cur.positions });
  return points;
}
