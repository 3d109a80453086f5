// The facts of a role-vs-role comparison for one week, computed from two
// roles' snapshot rows. Pure: no wording here (see verdict.ts), no I/O.
// Rules: docs/methodology.md, "Comparisons" (the reference week's observed_rules
// in test/fixtures/reference-week.json hold them).
import { TOP_SKILLS, type RoleWeekStats } from '../stats/types.ts';

/** Means of the posted maximum at most this far apart (dollars, inclusive) read as "similar pay" (docs/methodology.md). */
export const SIMILAR_PAY_DOLLARS = 5_000;
/** A remote pick needs the two exact remote shares (not the printed, rounded ones) at least this many points apart. */
export const REMOTE_PICK_POINTS = 10;
/** Unique skills named per role. */
const UNIQUE_SHOWN = 4;

export type Switching = 'feasible' | 'stretch' | 'retrain';

type PayFact =
  /** One role's mean posted maximum is more than $5K above the other's. */
  | { kind: 'higher'; higher: string; lower: string; pct: number; ceilingGapK: number }
  /** Means within $5K of each other, $5K included. */
  | { kind: 'similar'; gapK: number }
  /** At least one side has fewer than 5 disclosed salaries. */
  | { kind: 'unknown'; missing: string[] };

export interface PairFacts {
  a: string;
  b: string;
  week: string;
  pay: PayFact;
  positions: { a: number; b: number; more: string | null };
  disclosed: { a: number; b: number };
  /**
   * Remote shares in whole percents as printed (null: no postings); `pick` only when
   * the exact shares differ by >= 10 points (so the printed ones differ by >= 10 too).
   */
  remote: { a: number | null; b: number | null; pick: string | null };
  /** Each role's share of all tracked open positions (fractions, 0..1). */
  share: { a: number; b: number };
  skills: {
    shared: string[];
    overlap: number;
    /** shared / 8, in whole percents. */
    overlapPct: number;
    switching: Switching;
    uniqueA: string[];
    uniqueB: string[];
  };
}

/** Whole-percent remote share of a role, the number a reader sees; null when it has no postings. */
function remotePercent(s: Pick<RoleWeekStats, 'remote' | 'positions'>): number | null {
  return s.positions > 0 ? Math.round((s.remote / s.positions) * 100) : null;
}

/**
 * The role with the larger remote share when the exact shares remote/positions
 * are REMOTE_PICK_POINTS or more points apart, else null (also when either role
 * has no postings). Compared in whole numbers, so 20/100 against 10/100 is exactly
 * 10 points, and 107/594 (18.01%) against 48/598 (8.03%) is not.
 */
function remotePick(a: Pick<RoleWeekStats, 'role' | 'remote' | 'positions'>, b: Pick<RoleWeekStats, 'role' | 'remote' | 'positions'>): string | null {
  if (a.positions <= 0 || b.positions <= 0) return null;
  // a.remote/a.positions - b.remote/b.positions, times both position counts.
  const cross = a.remote * b.positions - b.remote * a.positions;
  if (100 * Math.abs(cross) < REMOTE_PICK_POINTS * a.positions * b.positions) return null;
  return cross > 0 ? a.role : b.role;
}

/** How realistic a move between the two roles is, from the number of shared top-8 skills. */
export function switchingFrom(overlap: number): Switching {
  if (overlap >= 5) return 'feasible';
  if (overlap >= 3) return 'stretch';
  return 'retrain';
}

function payFact(a: RoleWeekStats, b: RoleWeekStats): PayFact {
  if (a.mean == null || b.mean == null) {
    return { kind: 'unknown', missing: [a, b].filter((s) => s.mean == null).map((s) => s.role) };
  }
  const gap = Math.abs(a.mean - b.mean);
  if (gap <= SIMILAR_PAY_DOLLARS) return { kind: 'similar', gapK: Math.round(gap / 1000) };
  const [hi, lo] = a.mean > b.mean ? [a, b] : [b, a];
  return {
    kind: 'higher',
    higher: hi.role,
    lower: lo.role,
    // Ratio of the means of the posted maximum, as the reference pages do.
    pct: Math.round((hi.mean! / lo.mean! - 1) * 100),
    ceilingGapK: Math.round(gap / 1000),
  };
}

export function pairFacts(a: RoleWeekStats, b: RoleWeekStats, total: number): PairFacts {
  const namesA = a.topSkills.slice(0, TOP_SKILLS).map((s) => s.name);
  const namesB = b.topSkills.slice(0, TOP_SKILLS).map((s) => s.name);
  const inA = new Set(namesA);
  const inB = new Set(namesB);
  const shared = namesA.filter((n) => inB.has(n)).sort((x, y) => x.localeCompare(y, 'en'));
  return {
    a: a.role,
    b: b.role,
    week: a.week,
    pay: payFact(a, b),
    positions: {
      a: a.positions,
      b: b.positions,
      more: a.positions === b.positions ? null : a.positions > b.positions ? a.role : b.role,
    },
    disclosed: { a: a.disclosed, b: b.disclosed },
    remote: { a: remotePercent(a), b: remotePercent(b), pick: remotePick(a, b) },
    share: { a: total > 0 ? a.positions / total : 0, b: total > 0 ? b.positions / total : 0 },
    skills: {
      shared,
      overlap: shared.length,
      overlapPct: Math.round((shared.length / TOP_SKILLS) * 100),
      switching: switchingFrom(shared.length),
      uniqueA: namesA.filter((n) => !inB.has(n)).slice(0, UNIQUE_SHOWN),
      uniqueB: namesB.filter((n) => !inA.has(n)).slice(0, UNIQUE_SHOWN),
    },
  };
}
