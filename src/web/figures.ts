// How the pages print figures, on top of the shared formats of stats/format.ts:
// dollars in $K, shares with enough precision to stay non-zero (80 of 26,159
// is 0.3%, not 0%), counts with separators, "not enough data" for missing pay.
import { formatMoney, formatShare, mixPercents as formatMix, NO_POSTINGS } from '../stats/format.ts';

export { NO_POSTINGS };
import type { RoleWeekStats } from '../stats/types.ts';

export const NOT_ENOUGH = 'not enough data';

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** $194K; null prints as "not enough data". */
export function money(dollars: number | null | undefined): string {
  if (dollars == null) return NOT_ENOUGH;
  return formatMoney(dollars);
}

export function moneyRange(min: number | null, max: number | null): string {
  if (min == null || max == null) return NOT_ENOUGH;
  return `${money(min)}–${money(max)}`;
}

/** A count's share of a total, never 0% unless the count is 0 (80 of 26,159 is 0.3%). Same format as the digest. */
export function share(part: number, total: number): string {
  return formatShare(part, total);
}

/** Whole-percent senior, mid and entry shares adding up to 100 (largest remainder, as the digest prints them). */
export function mixPercents(s: Pick<RoleWeekStats, 'mix'>): { senior: number; mid: number; entry: number } {
  return formatMix(s.mix);
}

/** Remote share as printed: whole percents, finer only below 1%; "no postings" for a role without any. */
export function remoteShare(s: Pick<RoleWeekStats, 'remote' | 'positions'>): string {
  if (s.positions === 0) return NO_POSTINGS;
  const p = (s.remote / s.positions) * 100;
  return p >= 0.5 ? `${Math.round(p)}%` : share(s.remote, s.positions);
}

export function mixLine(s: Pick<RoleWeekStats, 'mix' | 'positions'>): string {
  if (s.positions === 0) return 'no open positions';
  const m = mixPercents(s);
  return `Senior ${m.senior}%, Mid ${m.mid}%, Entry ${m.entry}%`;
}

/** "2026-W47" and its dates, e.g. "week 47 of 2026 (Nov 16–22)". */
export function weekLabel(week: string, start?: Date, end?: Date, tz = 'UTC'): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  const base = m ? `week ${Number(m[2])} of ${m[1]}` : week;
  if (!start || !end) return base;
  const fmt = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: tz });
  const last = new Date(end.getTime() - 1);
  return `${base} (${fmt.format(start)} – ${fmt.format(last)})`;
}
