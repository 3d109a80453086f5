// How the digest prints figures: dollars in $K, signed changes, counts with
// separators. One place, so the email, its text part and the archive say the
// same thing.

export const NOT_ENOUGH = 'not enough data';
const MINUS = '−';

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** $194K, or "not enough data". */
export function money(dollars: number | null | undefined): string {
  if (dollars == null) return NOT_ENOUGH;
  return `$${count(Math.round(dollars / 1000))}K`;
}

function sign(n: number): string {
  return n > 0 ? '+' : n < 0 ? MINUS : '±';
}

/** +$12K, −$3.5K, +$400, ±$0. */
export function signedMoney(dollars: number): string {
  const a = Math.abs(dollars);
  let body: string;
  if (a < 1000) body = `$${Math.round(a)}`;
  else if (a < 10_000) body = `$${(a / 1000).toFixed(1).replace(/\.0$/, '')}K`;
  else body = `$${count(Math.round(a / 1000))}K`;
  return `${sign(Math.round(dollars))}${body}`;
}

/** +3.1%, −0.4%, ±0%. */
export function signedPct(pct: number): string {
  const r = Math.round(pct * 10) / 10;
  if (r === 0) return '±0%';
  return `${sign(r)}${Math.abs(r).toFixed(1).replace(/\.0$/, '')}%`;
}

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
