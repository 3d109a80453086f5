// One raw feed record (a CSV row or a JSONL object) -> one PostingRow, or a
// reason a person can act on, naming the field. Pure: no I/O.
//
// Feed columns (CSV header names = JSONL keys; header case, spaces and hyphens
// are forgiven: "External ID" = "external_id"): source, external_id, title,
// company, location, metro, remote, seniority, salary_min, salary_max,
// currency, period, skills, description, posted_at, seen_at, closed_at.
// Unknown columns are ignored.
//
// Decisions:
// - seen_at defaults to posted_at; one of them is required.
// - Dates are ISO-8601: a date ("2026-11-20") is midnight UTC; a date-time
//   without an offset is read as UTC.
// - Salaries: 120000, "120,000", "$120k", "120.5K", "1.2m". Zero means "not
//   disclosed" (feeds use 0 for blank). Negative is rejected.
// - currency and period apply only when a salary is given: they default to
//   USD and year then, and are null when no salary is given.
// - remote is true when the remote column says so or the location names
//   "Remote" ("Remote", "Remote - US", "New York (Remote)").
// - metro: the metro column (runs of spaces made one), else the first comma
//   part of the location with any "(...)" dropped; a location that starts
//   with "Remote" has no metro. Case is kept as written: the snapshot counts
//   "boston" and "Boston" as one metro (docs/methodology.md).
// - skills: a JSON array, or a string split on ";" or "|" (on "," when it has
//   neither); when empty, extracted from the title and description.
import { z } from 'zod';
import { classifyTitle } from '../roles/catalog.ts';
import { extractSkills, normalizeSkills } from './skills.ts';
import { seniorityFrom, seniorityFromFeed, type Seniority } from './seniority.ts';
import { HOURS_PER_YEAR, payFromText } from './pay-text.ts';

export type Period = 'year' | 'month' | 'hour';

export interface PostingRow {
  source: string;
  externalId: string;
  title: string;
  company: string;
  location: string | null;
  metro: string | null;
  remote: boolean;
  role: string;
  seniority: Seniority;
  salaryMin: number | null;
  salaryMax: number | null;
  currency: string | null;
  period: Period | null;
  /** Annualised in the posting's currency: hour x 2080, month x 12. */
  annualMin: number | null;
  annualMax: number | null;
  /** Where the pay came from: the salary fields, or read from the description; null without pay. */
  payFrom: 'fields' | 'text' | null;
  skills: string[];
  description: string | null;
  postedAt: Date | null;
  seenAt: Date;
  closedAt: Date | null;
}

/** `badPay`: the pay fields were not plausible and were left out; the rest of the row is kept. */
export type NormalizeResult = { ok: true; row: PostingRow; badPay?: string } | { ok: false; reason: string };

/** Annual USD pay outside this band is a typo or an attack, not a salary (README: Feed format). */
const PLAUSIBLE_ANNUAL_USD = { min: 10_000, max: 5_000_000 } as const;

/** Header names every CSV feed must have; one of seen_at / posted_at is required too. */
export const REQUIRED_COLUMNS = ['external_id', 'title', 'company'] as const;
export const ONE_OF_DATE_COLUMNS = ['seen_at', 'posted_at'] as const;

const PERIOD_FACTOR: Record<Period, number> = { year: 1, month: 12, hour: HOURS_PER_YEAR };

/**
 * Remember a pure function's answers for repeated inputs (feeds repeat titles,
 * locations, dates and header names thousands of times; this halves the cost
 * of a row). Forgets everything when full, so memory stays bounded.
 */
function memo<T>(fn: (key: string) => T, max = 20_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) {
      if (cache.size >= max) cache.clear();
      v = fn(key);
      cache.set(key, v);
    }
    return v as T;
  };
}

/** "External ID" / "external-id" / "EXTERNAL_ID" -> "external_id". */
export const columnKey = memo((name: string): string => name.trim().toLowerCase().replace(/[\s\-]+/g, '_'), 1_000);

// ---- field parsers (zod) ---------------------------------------------------
// Each field is one zod transform over a plain function: a bad value becomes
// a zod issue with our own message. (Nested preprocess/union schemas cost
// twice as much per row, which matters at a million rows.)

class Bad extends Error {}

/** A field's zod schema, keeping its plain parse function for the fast path below. */
function parsed<T>(parse: (v: unknown) => T) {
  const schema = z.unknown().transform((v, ctx): T => {
    try {
      return parse(v);
    } catch (err) {
      if (!(err instanceof Bad)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  });
  return Object.assign(schema, { plain: parse as (v: unknown) => T });
}
/** An optional field: missing, null or blank is undefined. */
const field = <T>(parse: (v: unknown) => T | undefined) => Object.assign(parsed(parse).optional(), { plain: parse });

/** Empty strings, whitespace and null mean "not given". */
function given(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

function text(v: unknown, max: number): string | undefined {
  if (!given(v)) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') throw new Bad('must be text');
  // PostgreSQL text cannot hold NUL; one would fail the whole chunk.
  const s = (v.includes('\u0000') ? v.replaceAll('\u0000', '') : v).trim();
  if (s.length > max) throw new Bad(`is longer than ${max} characters`);
  return s;
}
const requiredText = (max: number) =>
  parsed((v): string => {
    const s = text(v, max);
    if (s === undefined) throw new Bad('is required');
    return s;
  });
const optionalText = (max: number) => field((v) => text(v, max));

const TRUE = new Set(['true', 'yes', 'y', '1', 'remote', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'onsite', 'on-site', 'on site', 'office', 'f', 'hybrid']);
const remoteFlag = field((v) => {
  if (!given(v)) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  const s = String(v).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw new Bad(`"${String(v)}" is not true/false/yes/no/1/0/remote`);
});

const PLAIN_NUMBER = /^\d+(\.\d+)?$/;
const MONEY = /^([$€£]|usd|eur|gbp)?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([km])?$/i;
const money = field((v) => {
  if (!given(v)) return undefined;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v !== 'string') throw new Bad('must be an amount');
  else {
    const s = v.trim();
    if (PLAIN_NUMBER.test(s)) n = Number(s);
    else {
      const m = MONEY.exec(s);
      if (!m) throw new Bad(`"${v}" is not an amount (write 120000, 120,000 or 120k)`);
      n = Number(m[2]!.replace(/,/g, '') + (m[3] ?? ''));
      const suffix = m[4]?.toLowerCase();
      if (suffix === 'k') n *= 1_000;
      if (suffix === 'm') n *= 1_000_000;
    }
  }
  if (!Number.isFinite(n) || n < 0) throw new Bad(`${String(v)} is not a non-negative amount`);
  return n === 0 ? undefined : Math.round(n * 100) / 100;
});

const SYMBOL_CURRENCY: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP' };
const currency = field((v) => {
  if (!given(v)) return undefined;
  const raw = String(v).trim();
  const s = SYMBOL_CURRENCY[raw] ?? raw.toUpperCase();
  if (!/^[A-Z]{3}$/.test(s)) throw new Bad(`"${raw}" is not a 3-letter currency code such as USD`);
  return s;
});

const PERIODS: Record<string, Period> = {
  year: 'year', yearly: 'year', annual: 'year', annually: 'year', yr: 'year', peryear: 'year', annum: 'year', perannum: 'year',
  month: 'month', monthly: 'month', mo: 'month', permonth: 'month',
  hour: 'hour', hourly: 'hour', hr: 'hour', perhour: 'hour',
};
const period = field((v) => {
  if (!given(v)) return undefined;
  const p = PERIODS[String(v).trim().toLowerCase().replace(/[\s\-_/]+/g, '')];
  if (!p) throw new Bad(`"${String(v)}" is not a pay period (year, month or hour)`);
  return p;
});

/** new Date() rolls "2026-02-30" over to March; a real day reads back the same. */
const realDay = memo((ymd: string): boolean => {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
});

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;
const isoDate = field((v) => {
  if (!given(v)) return undefined;
  const s = String(v).trim();
  let d: Date | undefined;
  if (typeof v === 'string') {
    if (ISO_DATE.test(s)) d = new Date(`${s}T00:00:00Z`);
    else {
      const m = ISO_DATETIME.exec(s);
      if (m) d = new Date(`${m[1]}T${m[2]}${m[5] ? m[5].toUpperCase() : 'Z'}`);
    }
  }
  if (!d || Number.isNaN(d.getTime()) || !realDay(s.slice(0, 10))) {
    throw new Bad(`"${s}" is not an ISO-8601 date such as 2026-11-20 or 2026-11-20T09:30:00Z`);
  }
  return d;
});

const splitSkills = memo((v: string): string[] => normalizeSkills(v.split(/[;|]/.test(v) ? /[;|]/ : /,/)), 5_000);
const skillsField = field((v) => {
  if (!given(v)) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return normalizeSkills(v.map(String));
  if (typeof v === 'string') return splitSkills(v);
  throw new Bad('must be a list of skills (a JSON array or text separated by ;)');
});

const recordSchema = z.object({
  source: optionalText(100),
  external_id: requiredText(200),
  title: requiredText(300),
  company: requiredText(200),
  location: optionalText(200),
  metro: optionalText(100),
  remote: remoteFlag,
  seniority: optionalText(100),
  salary_min: money,
  salary_max: money,
  currency,
  period,
  skills: skillsField,
  description: optionalText(100_000),
  posted_at: isoDate,
  seen_at: isoDate,
  closed_at: isoDate,
});

type ParsedRecord = z.infer<typeof recordSchema>;
const SHAPE = recordSchema.shape;
const FIELDS = Object.keys(SHAPE) as (keyof typeof SHAPE)[];

/**
 * The same field parsers without zod's machinery, for the common case of a
 * row with nothing wrong (a third of the cost of a row at a million rows):
 * undefined as soon as any field is bad, and the row goes through the zod
 * schema, which names every bad field. Both run the very same functions.
 */
function parseFast(input: Record<string, unknown>): ParsedRecord | undefined {
  const out: Record<string, unknown> = {};
  try {
    for (const k of FIELDS) {
      const v = SHAPE[k].plain(input[k]);
      if (v !== undefined) out[k] = v;
    }
  } catch (err) {
    if (err instanceof Bad) return undefined;
    throw err;
  }
  return out as ParsedRecord;
}

// ---- the record ------------------------------------------------------------

const REMOTE_WORD = /(?<![\p{L}])remote(?![\p{L}])/iu;

const metroOf = memo((location: string): string | null => {
  if (/^\s*remote(?![\p{L}])/iu.test(location)) return null;
  const first = location.split(',')[0]!.replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  return first === '' ? null : first;
});
const remoteLocation = memo((location: string): boolean => REMOTE_WORD.test(location));

export function metroFrom(location: string | null): string | null {
  return location ? metroOf(location) : null;
}

// Role and title seniority depend on the title alone.
const titleFacts = memo((title: string) => ({ role: classifyTitle(title), seniority: seniorityFrom(undefined, title) }));

const MESSY_SPACE = /\s\s|[^\S ]/;
const oneLine = (s: string) => (MESSY_SPACE.test(s) ? s.replace(/\s+/g, ' ') : s);

export function normalizeRecord(raw: Record<string, unknown>, defaults: { source?: string } = {}): NormalizeResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'record is not an object' };
  // CSV headers arrive already keyed; only rebuild the object when a key needs respelling.
  let input = raw;
  for (const k in raw) {
    if (columnKey(k) !== k) {
      input = {};
      for (const [key, v] of Object.entries(raw)) input[columnKey(key)] = v;
      break;
    }
  }

  let r = parseFast(input);
  if (!r) {
    const parsed = recordSchema.safeParse(input);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((iss) => `${iss.path.join('.') || 'record'} ${iss.message}`);
      return { ok: false, reason: reasons.join('; ') };
    }
    r = parsed.data;
  }

  const seenAt = r.seen_at ?? r.posted_at;
  if (!seenAt) return { ok: false, reason: 'seen_at is required (or posted_at, which it defaults to)' };

  let salaryMin = r.salary_min ?? null;
  let salaryMax = r.salary_max ?? null;
  if (salaryMin !== null && salaryMax !== null && salaryMin > salaryMax) {
    return { ok: false, reason: `salary_min (${salaryMin}) is greater than salary_max (${salaryMax})` };
  }
  const fromFields = salaryMin !== null || salaryMax !== null;
  // No salary fields: the pay the description states, if any (pay-text.ts).
  const textPay = fromFields ? null : payFromText(r.description);
  if (textPay) {
    salaryMin = textPay.min;
    salaryMax = textPay.max;
  }
  let hasPay = fromFields || textPay !== null;
  let per: Period | null = textPay ? textPay.period : hasPay ? (r.period ?? 'year') : null;
  const factor = per ? PERIOD_FACTOR[per] : 1;
  const cur = textPay ? textPay.currency : hasPay ? (r.currency ?? 'USD') : null;
  let annualMin = salaryMin === null ? null : Math.round(salaryMin * factor * 100) / 100;
  let annualMax = salaryMax === null ? null : Math.round(salaryMax * factor * 100) / 100;
  // Checked after every conversion: a finite 1e308 overflows to Infinity once
  // rounded or annualised, and one Infinity blanks a role's mean and range.
  let badPay: string | undefined;
  for (const [name, v] of [['salary_min', salaryMin], ['salary_max', salaryMax], ['annual salary_min', annualMin], ['annual salary_max', annualMax]] as const) {
    if (v === null) continue;
    if (!Number.isFinite(v)) badPay ??= `${name} is not a finite amount`;
    else if (cur === 'USD' && name.startsWith('annual') && (v < PLAUSIBLE_ANNUAL_USD.min || v > PLAUSIBLE_ANNUAL_USD.max)) {
      badPay ??= `${name.slice(7)} is ${v} USD a year, outside the plausible ${PLAUSIBLE_ANNUAL_USD.min}..${PLAUSIBLE_ANNUAL_USD.max}`;
    }
  }
  if (badPay) {
    salaryMin = salaryMax = annualMin = annualMax = null;
    hasPay = false;
    per = null;
  }

  const title = oneLine(r.title);
  const facts = titleFacts(title);
  const location = r.location ?? null;
  const remote = (r.remote ?? false) || (location !== null && remoteLocation(location));
  const description = r.description ?? null;

  return {
    ok: true,
    row: {
      source: r.source ?? defaults.source ?? 'feed',
      externalId: r.external_id,
      title,
      company: oneLine(r.company),
      location,
      metro: r.metro === undefined ? metroFrom(location) : oneLine(r.metro),
      remote,
      role: facts.role,
      seniority: seniorityFromFeed(r.seniority) ?? facts.seniority,
      salaryMin,
      salaryMax,
      currency: hasPay ? cur : null,
      period: per,
      annualMin,
      annualMax,
      payFrom: !hasPay ? null : fromFields ? 'fields' : 'text',
      skills: r.skills && r.skills.length > 0 ? r.skills : extractSkills(description ? `${title}\n${description}` : title),
      description,
      postedAt: r.posted_at ?? null,
      seenAt,
      closedAt: r.closed_at ?? null,
    },
    ...(badPay ? { badPay } : {}),
  };
}
