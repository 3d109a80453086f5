// How every figure prints: the `digest stats` table, the pages and the mail
// (HTML, text and archive) all format through this one module, so the same
// figure reads the same everywhere (test/integration/figures-agree.test.ts
// checks it over the demo weeks). One function per shape (a count, a dollar
// figure, a signed change, a share, an n, a week), never one per place.
// Negative changes carry a true minus sign (U+2212), zero ones "±". Pure.
import type { RoleWeekStats, SeniorityMix } from './types.ts';

/** What a pay figure prints as when fewer than MIN_DISCLOSED_FOR_PAY postings disclose pay (docs/methodology.md). */
export const NOT_ENOUGH = 'not enough data';
/** What a role with no open postings shows instead of a share (0 of 0 is not 0%; docs/methodology.md). */
export const NO_POSTINGS = 'no postings';
/** The minus sign of every negative change (U+2212), not the hyphen. */
const MINUS = '\u2212';

/** Weeks in a page's trend chart and the landing page's totals, counting back from the week shown. */
export const PAGE_TREND_WEEKS = 26;
/** Weeks in a digest row's trend bars, counting back from the issue's week. */
export const MAIL_TREND_WEEKS = 8;

const EN = 'en-US';
const whole = new Intl.NumberFormat(EN, { maximumFractionDigits: 0 });

// ---- counts -----------------------------------------------------------------

/** 1,234: a count with thousands separators. */
export function count(n: number): string {
  return whole.format(n);
}

const signOf = (n: number) => (n > 0 ? '+' : n < 0 ? MINUS : '±');

/** +12, −3, ±0. */
export function signedCount(n: number): string {
  return `${signOf(Math.round(n))}${count(Math.abs(n))}`;
}

/** "n = 40", or with last week's "n = 40 vs 38": the sample behind a figure. */
export function nLabel(current: number, previous?: number | null): string {
  return `n = ${count(current)}${previous == null ? '' : ` vs ${count(previous)}`}`;
}

// ---- money --------------------------------------------------------------------

/** $173K (thousands), $1.2M from a million, $950 below a thousand; null prints NOT_ENOUGH. */
export function money(dollars: number | null | undefined): string {
  if (dollars == null) return NOT_ENOUGH;
  const sign = dollars < 0 ? MINUS : '';
  const abs = Math.abs(dollars);
  if (Math.round(abs / 1000) >= 1000) return `${sign}$${trimZero((abs / 1_000_000).toFixed(1))}M`;
  if (abs >= 999.5 || abs === 0) return `${sign}$${Math.round(abs / 1000)}K`;
  return `${sign}$${Math.round(abs)}`;
}

/** $128K–$194K; NOT_ENOUGH when either end is missing. */
export function moneyRange(min: number | null | undefined, max: number | null | undefined): string {
  if (min == null || max == null) return NOT_ENOUGH;
  return `${money(min)}–${money(max)}`;
}

/**
 * The size of a dollar change, unsigned: $12K, $3.5K, $400 (a change under
 * $10K keeps one decimal, so a $3,500 move is not shown as $4K).
 */
export function moneySize(dollars: number): string {
  const a = Math.abs(dollars);
  if (a < 1000) return `$${Math.round(a)}`;
  if (a < 10_000) return `$${trimZero((a / 1000).toFixed(1))}K`;
  return `$${count(Math.round(a / 1000))}K`;
}

/** A dollar change: +$12K, −$3.5K, +$400, ±$0. */
export function signedMoney(dollars: number): string {
  return `${signOf(Math.round(dollars))}${moneySize(dollars)}`;
}

/** A median's change with its percent: "+$3.5K (+2.1%)". */
export function moneyChange(dollars: number, pct: number): string {
  return `${signedMoney(dollars)} (${signedPct(pct)})`;
}

// ---- percents -------------------------------------------------------------------

/** The size of a percent change, unsigned, one decimal at most: 3.1%, 0.4%, 3%. */
export function pctSize(pct: number): string {
  return `${trimZero(Math.abs(Math.round(pct * 10) / 10).toFixed(1))}%`;
}

/** A percent change: +3.1%, −0.4%, ±0% (one that rounds to nothing has no sign). */
export function signedPct(pct: number): string {
  const r = Math.round(pct * 10) / 10;
  return r === 0 ? '±0%' : `${signOf(r)}${pctSize(r)}`;
}

/** An interval of percent changes: "95% range −1.5% to +3%". */
export function pctRange(ci: readonly [number, number]): string {
  return `95% range ${signedPct(ci[0])} to ${signedPct(ci[1])}`;
}

/** Percent change from `from` to `to`, or null when `from` is 0. */
export function pctChange(from: number, to: number): number | null {
  return from === 0 ? null : ((to - from) / from) * 100;
}

/** A count's change with its percent: "+12 (+5.3%)", or "+12 (new)" from 0. */
export function countChange(change: number, pct: number | null): string {
  return `${signedCount(change)} (${pct === null ? 'new' : signedPct(pct)})`;
}

/** A fraction as a whole percent: 0.95 -> "95%" (shares of a mix, a confidence level). */
export function wholePct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/**
 * part / total as a percentage with enough decimals to be truthful:
 * one decimal, more while a non-zero share would print as 0% (80 of 26,159
 * is "0.3%", 1 of 26,159 is "0.004%") or a partial one as 100%.
 */
export function share(part: number, total: number): string {
  if (total <= 0 || part <= 0) return '0%';
  if (part >= total) return '100%';
  const pct = (part / total) * 100;
  let digits = 1;
  while (digits < 8) {
    const shown = Number(pct.toFixed(digits));
    if (shown > 0 && shown < 100) break;
    digits += 1;
  }
  return `${pct.toFixed(digits)}%`;
}

/** Remote share: whole percents, finer only below half a percent; NO_POSTINGS for a role without any. */
export function remoteShare(s: Pick<RoleWeekStats, 'remote' | 'positions'>): string {
  if (s.positions === 0) return NO_POSTINGS;
  const p = (s.remote / s.positions) * 100;
  return p >= 0.5 ? `${Math.round(p)}%` : share(s.remote, s.positions);
}

/**
 * Entry / mid / senior shares in whole percent that add up to 100, by the
 * largest-remainder method (ties to the earlier level): 3/59/18 of 80 -> 4/74/22.
 * All zero when there are no postings.
 */
export function mixPercents(mix: SeniorityMix): SeniorityMix {
  const levels = ['entry', 'mid', 'senior'] as const;
  const total = mix.entry + mix.mid + mix.senior;
  if (total <= 0) return { entry: 0, mid: 0, senior: 0 };
  const exact = levels.map((l) => (mix[l] * 100) / total);
  const out = exact.map((x) => Math.floor(x));
  let left = 100 - out.reduce((a, b) => a + b, 0);
  const order = [0, 1, 2].sort((a, b) => exact[b]! - out[b]! - (exact[a]! - out[a]!) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return { entry: out[0]!, mid: out[1]!, senior: out[2]! };
}

/** "Senior 22%, Mid 74%, Entry 4%", or "no open positions". */
export function mixLine(s: Pick<RoleWeekStats, 'mix' | 'positions'>): string {
  if (s.positions === 0) return 'no open positions';
  const m = mixPercents(s.mix);
  return `Senior ${m.senior}%, Mid ${m.mid}%, Entry ${m.entry}%`;
}

// ---- weeks --------------------------------------------------------------------

/** "16–22 Nov 2026" (or "30 Nov – 6 Dec 2026") from the week's first instant to its last day, in the week's time zone. */
export function weekDates(start: Date, end: Date, tz: string): string {
  const last = new Date(end.getTime() - 1);
  const fmt = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...o });
  const full = fmt({ day: 'numeric', month: 'short', year: 'numeric' }).format(last);
  const month = fmt({ month: 'short' });
  if (month.format(start) === month.format(last)) return `${fmt({ day: 'numeric' }).format(start)}–${full}`;
  return `${fmt({ day: 'numeric', month: 'short' }).format(start)} – ${full}`;
}

/** "week 47 of 2026", with its dates when given: "week 47 of 2026 (16–22 Nov 2026)". */
export function weekLabel(week: string, start?: Date, end?: Date, tz = 'UTC'): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  const base = m ? `week ${Number(m[2])} of ${m[1]}` : week;
  return start && end ? `${base} (${weekDates(start, end, tz)})` : base;
}

/** weekLabel at the start of a line or heading: "Week 47 of 2026". */
export function weekHeading(week: string): string {
  const label = weekLabel(week);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}
