// The facts of a role-vs-role comparison for one week, computed from two
// roles' snapshot rows. Pure: no wording here (see verdict.ts), no I/O.
// Rules: docs/methodology.md, "Comparisons" (the reference week's observed_rules
// in test/fixtures/reference-week.json hold them).
import { TOP_SKILLS, type RoleWeekStats } from '../stats/types.ts';

/** Means of the posted maximum closer than this (dollars) read as "similar pay". */
export const SIMILAR_PAY_DOLLARS = 5_000;
/** A remote pick needs the two remote shares (whole percents, as printed) this many points apart. */
export const REMOTE_PICK_POINTS = 10;
/** Unique skills named per role. */
export const UNIQUE_SHOWN = 4;

export type Switching = 'feasible' | 'stretch' | 'retrain';

export type PayFact =
  /** One role's mean posted maximum is at least $5K above the other's. */
  | { kind: 'higher'; higher: string; lower: string; pct: number; ceilingGapK: number }
  /** Means within $5K of each other. */
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
  /** Remote shares in whole percents as printed; `pick` only when they differ by >= 10 points. */
  remote: { a: number; b: number; pick: string | null };
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

/** Whole-percent remote share of a role, the number a reader sees. */
export function remotePercent(s: Pick<RoleWeekStats, 'remote' | 'positions'>): number {
  return s.positions > 0 ? Math.round((s.remote / s.positions) * 100) : 0;
}

/** How realistic a move between the two roles is, from the number of shared top-8 skills. */
export function switchingFrom(overlap: number): Switching {
  if (overlap >= 5) return 'feasible';
  if (overlap >= 3) return 'stretch';
  return 'retrain';
}

export function payFact(a: RoleWeekStats, b: RoleWeekStats): PayFact {
  if (a.mean == null || b.mean == null) {
    return { kind: 'unknown', missing: [a, b].filter((s) => s.mean == null).map((s) => s.role) };
  }
  const gap = Math.abs(a.mean - b.mean);
  if (gap < SIMILAR_PAY_DOLLARS) return { kind: 'similar', gapK: Math.round(gap / 1000) };
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
  const remoteA = remotePercent(a);
  const remoteB = remotePercent(b);
  let pick: string | null = null;
  if (Math.abs(remoteA - remoteB) >= REMOTE_PICK_POINTS) pick = remoteA > remoteB ? a.role : b.role;
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
    remote: { a: remoteA, b: remoteB, pick },
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
