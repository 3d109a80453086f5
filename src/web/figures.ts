// How the pages print figures. Dollars in $K, shares with enough precision
// to stay non-zero (80 of 26,159 is 0.3%, not 0%), counts with separators.
import type { RoleWeekStats } from '../stats/types.ts';

export const NOT_ENOUGH = 'not enough data';

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** $194K; null prints as "not enough data". */
export function money(dollars: number | null | undefined): string {
  if (dollars == null) return NOT_ENOUGH;
  return `$${count(Math.round(dollars / 1000))}K`;
}

export function moneyRange(min: number | null, max: number | null): string {
  if (min == null || max == null) return NOT_ENOUGH;
  return `${money(min)}–${money(max)}`;
}

/** A fraction (0..1) as a percentage that is only 0% when the fraction is 0. */
export function share(fraction: number): string {
  const p = fraction * 100;
  if (p <= 0) return '0%';
  if (p >= 10) return `${Math.round(p)}%`;
  if (p >= 1) return `${Number(p.toFixed(1))}%`;
  return `${Number(p.toPrecision(1))}%`;
}

/**
 * Whole-percent shares of senior, mid and entry postings that add up to 100
 * (largest remainder: 18/59/3 of 80 is 22/74/4, not 23/74/4).
 */
export function mixPercents(s: Pick<RoleWeekStats, 'mix' | 'positions'>): { senior: number; mid: number; entry: number } {
  const levels = ['senior', 'mid', 'entry'] as const;
  const total = s.mix.senior + s.mix.mid + s.mix.entry;
  if (total === 0) return { senior: 0, mid: 0, entry: 0 };
  const exact = levels.map((l) => (s.mix[l] / total) * 100);
  const out = exact.map(Math.floor);
  let left = 100 - out.reduce((x, y) => x + y, 0);
  const order = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left--;
  }
  return { senior: out[0]!, mid: out[1]!, entry: out[2]! };
}

/** Remote share as printed: whole percents (the remote pick compares these), finer only below 1%. */
export function remoteShare(s: Pick<RoleWeekStats, 'remote' | 'positions'>): string {
  if (s.positions === 0) return '0%';
  const p = (s.remote / s.positions) * 100;
  return p >= 0.5 ? `${Math.round(p)}%` : share(s.remote / s.positions);
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
