// The frozen content of one digest issue: what compose writes to
// `issues.content` and what every renderer (email HTML, plain text, archive
// page) reads. Figures are stored both as numbers and as the text a reader
// sees, so all three outputs print the same strings.

export const CONTENT_VERSION = 1;

/** A page of the site a digest links to. Tracked links name the id; the path is looked up at click time. */
export interface IssueLink {
  /** `[a-z0-9-]+`, unique within the issue (no dots: tokens use them as separators). */
  id: string;
  /** A path on the site, always starting with a single `/`: redirects never leave the site. */
  path: string;
  label: string;
}

/** One bar of a row's 8-week trend. */
export interface TrendBar {
  week: string;
  median: number | null;
  /** 0 when the week has no median; 1..TREND_LEVELS otherwise. */
  level: number;
}

export const TREND_LEVELS = 8;

/**
 * How a role's median pay moved: `headline` passes the rule (src/stats/headline-rule.ts:
 * like-for-like interval excludes zero, raw median moved the same way, 30+ disclosed
 * both weeks); `noise` is a move that does not (small samples included);
 * `unknown` lacks pay figures in one of the weeks; `first` has no prior week.
 */
export type PayMove = 'headline' | 'noise' | 'unknown' | 'first';

export interface ShiftRow {
  role: string;
  name: string;
  /** Link id of the role page. */
  linkId: string;
  positions: number;
  positionsText: string;
  positionsChange: number | null;
  positionsChangePct: number | null;
  positionsChangeText: string;
  disclosed: number;
  previousDisclosed: number | null;
  median: number | null;
  medianText: string;
  medianChange: number | null;
  medianChangePct: number | null;
  medianChangeText: string;
  payMove: PayMove;
  /** The pay note on its own line under the role (mail) or after the change (text): beyond noise, within noise with n, not enough data. */
  noteText: string;
  trend: TrendBar[];
  /** The trend as text (▁▂▃▄▅▆▇█, · for a week without a median). */
  trendText: string;
}

export interface Mover {
  role: string;
  name: string;
  linkId: string;
  kind: 'pay' | 'positions';
  /** The figure line, e.g. "Median $180K, up $12K (+7.1%)". */
  figure: string;
  /** Sample sizes, e.g. "n = 40 this week, 38 last week". */
  nText: string;
  /** What it means, in a sentence. */
  context: string;
}

export interface RisingSkills {
  role: string;
  name: string;
  linkId: string;
  skills: string[];
  /** Each skill with its n: "dbt (34 of 220 postings)". */
  labels: string[];
}

export interface ComparisonCard {
  a: string;
  b: string;
  linkId: string;
  title: string;
  /** One-line verdict from the comparison wording. */
  verdict: string;
  /** Why it is featured this week. */
  reason: string;
  /** Change since last week of the gap between the two medians, dollars (null: not comparable or first week). */
  payGapChange: number | null;
  /** Change since last week of the gap in open positions, as a share of the pair's positions. */
  positionGapChange: number | null;
  includesHeadline: boolean;
}

export type Headline =
  | {
      kind: 'pay-move';
      role: string;
      name: string;
      linkId: string;
      from: number;
      to: number;
      change: number;
      changePct: number;
      n: { current: number; previous: number };
      text: string;
    }
  | { kind: 'total'; text: string };

export interface IssueContent {
  version: typeof CONTENT_VERSION;
  week: string;
  /** "17–23 Nov 2026". */
  weekLabel: string;
  previousWeek: string | null;
  firstWeek: boolean;
  subject: string;
  preheader: string;
  headline: Headline;
  /** One or two sentences under the headline: the week's total and its change. */
  summary: string;
  total: { positions: number; change: number | null; changePct: number | null; text: string; changeText: string };
  /** Every tracked role, catalog order. */
  shifts: ShiftRow[];
  trendWeeks: string[];
  movers: Mover[];
  risingSkills: RisingSkills[];
  /** Every pair with data, best first; the reader's featured cards are chosen from these. */
  comparisons: ComparisonCard[];
  /** Link ids of the week's featured comparisons (up to 3) for readers who follow no role. */
  featured: string[];
  links: IssueLink[];
  /** Set when the week's figures came from generated demo postings; frozen, so the archive keeps saying so. */
  demo?: boolean;
}

/** Link ids that are not per-role or per-pair. */
export const LINK_WEB_VERSION = 'web';
export const LINK_COMPARE_INDEX = 'compare';
export const LINK_HOME = 'home';
/** The method page; issues composed before it existed lack it and link the page untracked. */
export const LINK_METHODOLOGY = 'methodology';

export const roleLinkId = (slug: string) => `role-${slug}`;
export const pairLinkId = (a: string, b: string) => `cmp-${a}-vs-${b}`;
