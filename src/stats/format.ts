// Number formats shared by the terminal table, pages and the digest. Pure.
import type { SeniorityMix } from './types.ts';

/** What a role with no open postings shows instead of a share (0 of 0 is not 0%; docs/methodology.md). */
export const NO_POSTINGS = 'no postings';

/**
 * positions / total as a percentage with enough decimals to be truthful:
 * one decimal, more while a non-zero share would print as 0% (80 of 26,159
 * is "0.3%", 1 of 26,159 is "0.004%") or a partial one as 100%.
 */
export function formatShare(positions: number, total: number): string {
  if (total <= 0 || positions <= 0) return '0%';
  if (positions >= total) return '100%';
  const pct = (positions / total) * 100;
  let digits = 1;
  while (digits < 8) {
    const shown = Number(pct.toFixed(digits));
    if (shown > 0 && shown < 100) break;
    digits += 1;
  }
  return `${pct.toFixed(digits)}%`;
}

/** Dollars as "$173K" (thousands), "$1.2M" from a million, "$950" below a thousand. */
export function formatMoney(dollars: number): string {
  const sign = dollars < 0 ? '-' : '';
  const abs = Math.abs(dollars);
  if (Math.round(abs / 1000) >= 1000) return `${sign}$${trimZero((abs / 1_000_000).toFixed(1))}M`;
  if (abs >= 999.5 || abs === 0) return `${sign}$${Math.round(abs / 1000)}K`;
  return `${sign}$${Math.round(abs)}`;
}

const MINUS = '−';
const signOf = (n: number) => (n > 0 ? '+' : n < 0 ? MINUS : '±');

/**
 * A dollar change as the digest and the pages print it: +$12K, −$3.5K, +$400, ±$0
 * (a change under $10K keeps one decimal, so a $3,500 move is not shown as $4K).
 */
export function formatSignedMoney(dollars: number): string {
  const a = Math.abs(dollars);
  let body: string;
  if (a < 1000) body = `$${Math.round(a)}`;
  else if (a < 10_000) body = `$${(a / 1000).toFixed(1).replace(/\.0$/, '')}K`;
  else body = `$${Math.round(a / 1000).toLocaleString('en-US')}K`;
  return `${signOf(Math.round(dollars))}${body}`;
}

/** A percent change as the digest prints it: +3.1%, −0.4%, ±0%. */
export function formatSignedPct(pct: number): string {
  const r = Math.round(pct * 10) / 10;
  if (r === 0) return '±0%';
  return `${signOf(r)}${Math.abs(r).toFixed(1).replace(/\.0$/, '')}%`;
}

/** A dollar change with its sign: "+$4K", "-$12K", "$0K" when it rounds to nothing. */
export function formatMoneyChange(dollars: number): string {
  const text = formatMoney(Math.abs(dollars));
  if (text === '$0K' || text === '$0') return text;
  return `${dollars > 0 ? '+' : '-'}${text}`;
}

/**
 * A percentage (already x100): formatPct(2.44) -> "2%", with digits 1 -> "2.4%",
 * signed -> "+2.4%". Never "-0%": a value that rounds to zero has no sign.
 */
export function formatPct(pct: number, opts: { digits?: number; signed?: boolean } = {}): string {
  const digits = opts.digits ?? 0;
  const text = Math.abs(pct).toFixed(digits);
  const zero = Number(text) === 0;
  const sign = zero ? '' : pct < 0 ? '-' : opts.signed ? '+' : '';
  return `${sign}${text}%`;
}

/** A count change with its sign: "+12", "-3", "0". */
export function formatCountChange(n: number): string {
  return n > 0 ? `+${n.toLocaleString('en-US')}` : n < 0 ? `-${Math.abs(n).toLocaleString('en-US')}` : '0';
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

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}
