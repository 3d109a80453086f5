// The stored weekly figures as the rest of the code reads them (defined in
// docs/methodology.md). Money is USD per year, in dollars.
import type { SkillPremium } from './skill-premium.ts';
import type { LikeForLike } from './like-for-like.ts';
import type { WeekKey } from './week.ts';

export type Seniority = 'entry' | 'mid' | 'senior';
export const SENIORITIES: readonly Seniority[] = ['entry', 'mid', 'senior'];

export interface NameCount {
  name: string;
  count: number;
}

export interface SeniorityPay {
  /** Postings of this level with disclosed USD pay. */
  n: number;
  /** Median annual maximum; null when n < 5. */
  median: number | null;
}

export interface SeniorityMix {
  entry: number;
  mid: number;
  senior: number;
}

export interface RoleWeekStats {
  week: WeekKey;
  role: string;
  /** Open postings of the role in the week (0: no postings this week). */
  positions: number;
  /** positions / the week's total (all roles, `other` included); 0 when total is 0. */
  share: number;
  /** Postings with a disclosed annual USD maximum. */
  disclosed: number;
  /** Pay figures are null when disclosed < 5. */
  avgMin: number | null;
  avgMax: number | null;
  p25: number | null;
  median: number | null;
  mean: number | null;
  p75: number | null;
  /** 95% interval of the median from order statistics; null when disclosed < 15. */
  medianCi: [number, number] | null;
  remote: number;
  /** remote / positions, 0..1; null when positions is 0 ("no postings", not 0% remote). */
  remotePct: number | null;
  /** Counts per seniority level. */
  mix: SeniorityMix;
  bySeniority: Record<Seniority, SeniorityPay>;
  /** Up to 8, by count then name. */
  topSkills: NameCount[];
  /** Up to 5, by count then name. */
  topCompanies: NameCount[];
  /** Up to 3, by count then name; remote postings count as "Remote". */
  topMetros: NameCount[];
  // Added by issue 14 (docs/methodology.md); absent in rows built by hand and in snapshots taken before it.
  /** Like-for-like pay change against the week before (like-for-like.ts); null when not computed. */
  likeForLike?: LikeForLike | null;
  /** Median pay of remote and of on-site postings. */
  workMode?: { remote: PaySummary; onsite: PaySummary };
  /** Median pay by metro, on-site postings of metros with >= 15 disclosed, most disclosed first (up to 5). */
  metroPay?: MetroPay[];
  /** Roles with fewer than METHOD.windowMinDisclosed disclosed this week: pay over the rolling window ending with it. */
  payWindow?: PayWindow | null;
  /** Per top skill, median pay of postings listing it against those not (skill-premium.ts); null when not computed. */
  skillPremium?: SkillPremium[] | null;
}

export interface PayWindow extends PaySummary {
  /** Weeks in the window, ending with this one. */
  weeks: number;
  /** The window's first week. */
  from: WeekKey;
  p25: number | null;
  p75: number | null;
}

/** A median with its n and 95% interval (median null when n < 5, interval null when n < 15). */
export interface PaySummary {
  n: number;
  median: number | null;
  ci: [number, number] | null;
}

export interface MetroPay extends PaySummary {
  name: string;
}

export interface WeekStats {
  week: WeekKey;
  tz: string;
  start: Date;
  end: Date;
  /** Open postings of all roles, `other` included. */
  total: number;
  /** One row per catalog role, in catalog order. */
  roles: RoleWeekStats[];
}

/** Fewer disclosed postings than this: no pay figures ("not enough data"). */
export const MIN_DISCLOSED_FOR_PAY = 5;
/** Fewer than this: no median interval, so no headline pay move. */
export const MIN_DISCLOSED_FOR_CI = 15;
export const TOP_SKILLS = 8;
export const TOP_COMPANIES = 5;
export const TOP_METROS = 3;
export const REMOTE_METRO = 'Remote';
