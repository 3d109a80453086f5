// Pay read from free text (a posting's description), for every feed and
// crawl that carries no structured pay. Pure: no I/O. The rules are the
// README's "Pay from text" list:
// - amounts need a currency ($, US$, USD, CA$/C$/CAD, £/GBP, €/EUR) on at
//   least one end of a range, and a pay context nearby (salary, compensation,
//   pay, base, range, wage, rate, OTE, or an explicit period such as
//   "per hour"); a nearer funding / revenue / 401(k) / stipend / bonus /
//   budget word wins over it, and so does "million"/"M"/"B" after the figure;
// - ranges: "-", en/em dash, "to", "between X and Y"; "k"/"K" on either end
//   ("$120-150k"); "up to $X" -> max only, "starting at $X" -> min only;
// - period from words after (or just before) the figure, else from magnitude
//   (< 1,000 an hour, < 10,000 a month, else a year);
// - several ranges (zones, levels) -> the lowest minimum and the highest
//   maximum among those in the first range's currency and period;
// - an annualised figure outside 10,000-5,000,000 is not pay.
// Written by hand because no maintained library reads pay ranges out of job
// text; the table in test/unit/pay-text.test.ts pins every shape.
import type { Period } from './normalize.ts';

/** Hours in a working year: hourly pay x 2080 is its annual figure. */
export const HOURS_PER_YEAR = 2080;

export interface TextPay {
  min: number | null;
  max: number | null;
  currency: string;
  period: Period;
}

const FACTOR: Record<Period, number> = { year: 1, month: 12, hour: HOURS_PER_YEAR };
const ANNUAL_FLOOR = 10_000;
const ANNUAL_CEILING = 5_000_000;

// Currency before the number (longest first) or a code after it.
const CUR_BEFORE = String.raw`(US\$|USD\s*\$?|CA\$|C\$|CAD\s*\$?|\$|£|GBP\s*£?|€|EUR\s*€?)`;
// "5.000" (a European thousands separator) is not read: it would be 5.
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?!\d|[.,]\d)`;
const AMOUNT = String.raw`(?:${CUR_BEFORE}\s?)?${NUMBER}\s?([kK](?![a-zA-Z]))?(?:\s?(USD|CAD|GBP|EUR)\b)?`;
const SEP = String.raw`\s*(?:-|–|—|to|and)\s*`;
const FIGURE = new RegExp(String.raw`${AMOUNT}(?:${SEP}${AMOUNT})?`, 'g');

const CODE: Record<string, string> = { $: 'USD', US$: 'USD', USD: 'USD', CA$: 'CAD', C$: 'CAD', CAD: 'CAD', '£': 'GBP', GBP: 'GBP', '€': 'EUR', EUR: 'EUR' };

const POSITIVE = /\b(?:salary|salaries|compensation|pay|paid|base|range|wages?|rate|ote|earnings?|remuneration)\b/gi;
const NEGATIVE = /\b(?:raised?|raising|funding|funded|financing|investors?|investment|valuation|valued|revenue|arr|sales|series\s+[a-f]|401\s?\(?k\)?|stipends?|bonus(?:es)?|budget|allowance|reimburse(?:ment|d)?|relocation|sign(?:ing|-on)|equity|stock|grants?|donat\w*|customers?|contracts?|assets?|fund)\b/gi;
const PERIOD_WORDS: [RegExp, Period][] = [
  [/^\s*(?:\/\s?|per\s+|an?\s+|each\s+)(?:hour|hr)\b|^\s*(?:hourly|p\/?h)\b/i, 'hour'],
  [/^\s*(?:\/\s?|per\s+|an?\s+|each\s+)(?:month|mo|mth)\b|^\s*monthly\b/i, 'month'],
  [/^\s*(?:\/\s?|per\s+|an?\s+|each\s+)(?:year|yr|annum)\b|^\s*(?:annually|annual|yearly|p\.?a\.?(?![a-z]))/i, 'year'],
];
const PERIOD_BEFORE: [RegExp, Period][] = [
  [/\bhourly\b[^.\n$£€\d]{0,30}$/i, 'hour'],
  [/\bmonthly\b[^.\n$£€\d]{0,30}$/i, 'month'],
  [/\b(?:annual|yearly|annualized|annualised)\b[^.\n$£€\d]{0,30}$/i, 'year'],
];
const BIG_AFTER = /^\s*(?:m\b|mm\b|b\b|bn\b|million|billion|thousand\s+(?:users|customers))/i;
const NEGATIVE_DIRECT = new RegExp(String.raw`^\s*(?:(?!plus\b|and\b|with\b|or\b)[a-z-]+\s+){0,2}${NEGATIVE.source}`, 'i');
const OTHER_PERIOD = /^\s*(?:\/\s?|per\s+|an?\s+|each\s+)(?:day|week|shift|project|visit|session)\b|^\s*(?:daily|weekly)\b/i;
const UP_TO = /\b(?:maximum\s+(?:base\s+)?(?:salary|pay|compensation|rate)\s*(?:of|is)?|up\s+to|max(?:imum)?(?:\s+of)?|not\s+(?:to\s+)?exceed(?:ing)?|no\s+more\s+than|as\s+much\s+as)\s*:?\s*$/i;
const FROM = /\b(?:(?:minimum|starting)\s+(?:base\s+)?(?:salary|pay|compensation|rate)\s*(?:of|is|at)?|starting\s+(?:at|from)|starts?\s+at|from|min(?:imum)?(?:\s+of)?|at\s+least|no\s+less\s+than|upwards\s+of)\s*:?\s*$/i;
const BETWEEN = /\bbetween\s*$/i;

const BEFORE_WINDOW = 120;
const AFTER_WINDOW = 40;

interface Found {
  min: number | null;
  max: number | null;
  currency: string;
  period: Period;
}

function value(int: string, dec: string | undefined, k: string | undefined): number {
  const n = Number(int.replace(/,/g, '') + (dec ? `.${dec}` : ''));
  return k ? n * 1000 : n;
}

/** Distance from the end of `before` to the last match of `re` in it, or Infinity. */
function lastDistance(before: string, re: RegExp): number {
  re.lastIndex = 0;
  let best = Infinity;
  for (let m = re.exec(before); m; m = re.exec(before)) best = before.length - (m.index + m[0].length);
  return best;
}
function firstDistance(after: string, re: RegExp): number {
  re.lastIndex = 0;
  const m = re.exec(after);
  return m ? m.index : Infinity;
}

function periodAfter(after: string): Period | undefined {
  for (const [re, p] of PERIOD_WORDS) if (re.test(after)) return p;
  return undefined;
}

/** The text before a figure back to the previous sentence end or blank line (a heading line counts), at most BEFORE_WINDOW characters. */
function clauseBefore(text: string, from: number, at: number): string {
  const s = text.slice(Math.max(from, at - BEFORE_WINDOW), at);
  const cut = Math.max(s.search(/[.!?](?=\s)[^.!?]*$/), s.search(/\n\s*\n(?![\s\S]*\n\s*\n)/));
  return cut >= 0 ? s.slice(cut + 1) : s;
}
function clauseAfter(text: string, end: number): string {
  const s = text.slice(end, end + AFTER_WINDOW);
  const cut = s.search(/[.!?;](?=\s|$)|\n/);
  return cut >= 0 ? s.slice(0, cut) : s;
}

/** One figure or range at `m`, or undefined when it is not pay. */
function readFigure(text: string, m: RegExpExecArray, acceptedEnd: number): Found | undefined {
  const [whole, cur1, int1, dec1, k1, code1, cur2, int2, dec2, k2, code2] = m;
  const ranged = int2 !== undefined;
  const curRaw = cur1 ?? cur2 ?? code1 ?? code2;
  if (!curRaw) return undefined;
  const compact = curRaw.replace(/\s+/g, '');
  const currency = /^[A-Z]{3}/.test(compact) ? CODE[compact.slice(0, 3)] : CODE[compact];
  if (!currency) return undefined;
  // A sentence-word "and" between two figures only joins them after "between".
  const before = clauseBefore(text, 0, m.index);
  if (ranged && /\band\b/i.test(whole) && !BETWEEN.test(before)) return undefined;

  const endAt = m.index + whole.length;
  const after = clauseAfter(text, endAt);
  if (BIG_AFTER.test(after)) return undefined;
  // 401(k) and similar: the "k" belongs to a plan, not an amount.
  if (/^\(k\)/i.test(text.slice(endAt, endAt + 3)) || /401\s?\(?$/.test(text.slice(Math.max(0, m.index - 5), m.index))) return undefined;

  // "$2,000 learning stipend", "$300M Series C": the words right after say what the figure is.
  if (NEGATIVE_DIRECT.test(after) || OTHER_PERIOD.test(after)) return undefined;
  // A figure accepted just before (zones, levels listed one after another) carries its context on.
  const sinceAccepted = acceptedEnd >= 0 && m.index - acceptedEnd <= BEFORE_WINDOW ? clauseBefore(text, acceptedEnd, m.index).length : Infinity;
  const posBefore = Math.min(lastDistance(before, POSITIVE), sinceAccepted);
  const negBefore = lastDistance(before, NEGATIVE);
  const posAfter = firstDistance(after, POSITIVE);
  if (negBefore < posBefore && negBefore < posAfter) return undefined;
  if (posBefore === Infinity && posAfter > 25) return undefined;
  const wordPeriod = periodAfter(after) ?? PERIOD_BEFORE.find(([re]) => re.test(before))?.[1];

  let lo = value(int1!, dec1, k1);
  let hi = ranged ? value(int2, dec2, k2) : lo;
  // "$120-150k": the k on the upper end applies to a lower end written short.
  if (ranged && k2 && !k1 && lo < 1000 && lo * 1000 <= hi) lo *= 1000;
  if (ranged && k1 && !k2 && hi < 1000) hi *= 1000;
  if (lo > hi) return undefined;
  const period = wordPeriod ?? (hi < 1000 ? 'hour' : hi < 10_000 ? 'month' : 'year');
  const f = FACTOR[period];
  if (lo * f < ANNUAL_FLOOR || hi * f > ANNUAL_CEILING) return undefined;

  if (!ranged) {
    if (UP_TO.test(before)) return { min: null, max: hi, currency, period };
    if (FROM.test(before) || /^\s*(?:\+|or\s+more|and\s+(?:up|above))/i.test(after)) return { min: lo, max: null, currency, period };
  }
  return { min: lo, max: hi, currency, period };
}

/** Pay stated in `text`, or null when it states none (see the rules above). */
export function payFromText(text: string | null | undefined): TextPay | null {
  if (!text) return null;
  // Non-breaking and thin spaces as plain spaces; dashes kept (the figure pattern reads them).
  const t = text.replace(/[\u00a0\u2009\u202f]/g, ' ');
  if (!/[$£€]|USD|CAD|GBP|EUR/.test(t)) return null;
  let first: Found | undefined;
  let acceptedEnd = -1;
  let min: number | null = null;
  let max: number | null = null;
  FIGURE.lastIndex = 0;
  for (let m = FIGURE.exec(t); m; m = FIGURE.exec(t)) {
    // A digit run glued to a letter or digit before it ("H100", "v2") is not an amount.
    if (m.index > 0 && /[\p{L}\d.,]/u.test(t[m.index - 1]!) && !/^[$£€]|^(?:US|CA|C)\$|^[A-Z]{3}/.test(m[0])) continue;
    const f = readFigure(t, m, acceptedEnd);
    if (!f) continue;
    acceptedEnd = m.index + m[0].length;
    if (!first) first = f;
    else if (f.currency !== first.currency || f.period !== first.period) continue;
    if (f.min !== null) min = min === null ? f.min : Math.min(min, f.min);
    if (f.max !== null) max = max === null ? f.max : Math.max(max, f.max);
  }
  if (!first) return null;
  if (min !== null && max !== null && min > max) return null;
  return { min, max, currency: first.currency, period: first.period };
}

/** Annualised in the pay's currency (hour x 2080, month x 12). */
export function annualise(amount: number | null, period: Period): number | null {
  return amount === null ? null : Math.round(amount * FACTOR[period] * 100) / 100;
}
