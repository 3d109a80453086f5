// How the digest prints figures: dollars in $K, signed changes, counts with
// separators. One place, so the email, its text part and the archive say the
// same thing.

import { formatMoney, formatSignedMoney, formatSignedPct } from '../stats/format.ts';

export const NOT_ENOUGH = 'not enough data';
const MINUS = '−';

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** $194K ($1.2M from a million), or "not enough data": the pages' and `digest stats`' format. */
export function money(dollars: number | null | undefined): string {
  if (dollars == null) return NOT_ENOUGH;
  return formatMoney(dollars);
}

function sign(n: number): string {
  return n > 0 ? '+' : n < 0 ? MINUS : '±';
}

/** +$12K, −$3.5K, +$400, ±$0. */
export const signedMoney = formatSignedMoney;

/** +3.1%, −0.4%, ±0%. */
export const signedPct = formatSignedPct;

/** +12, −3, ±0. */
export function signedCount(n: number): string {
  return `${sign(n)}${count(Math.abs(n))}`;
}

/** Percent change from `from` to `to`, or null when `from` is 0. */
export function pctChange(from: number, to: number): number | null {
  return from === 0 ? null : ((to - from) / from) * 100;
}

/** "17–23 Nov 2026" for the week's first instant to its last day, in the week's time zone. */
export function weekLabel(start: Date, end: Date, tz: string): string {
  const last = new Date(end.getTime() - 1);
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric' });
  const full = new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short', year: 'numeric' });
  const month = new Intl.DateTimeFormat('en-GB', { timeZone: tz, month: 'short' });
  if (month.format(start) === month.format(last)) return `${day.format(start)}–${full.format(last)}`;
  const dm = new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short' });
  return `${dm.format(start)} – ${full.format(last)}`;
}
