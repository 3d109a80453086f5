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
// - metro: the metro column, else the first comma part of the location with
//   any "(...)" dropped; a location that starts with "Remote" has no metro.
// - skills: a JSON array, or a string split on ";" or "|" (on "," when it has
//   neither); when empty, extracted from the title and description.
import { z } from 'zod';
import { classifyTitle } from '../roles/catalog.ts';
import { extractSkills, normalizeSkills } from './skills.ts';
import { seniorityFrom, type Seniority } from './seniority.ts';

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
  skills: string[];
  description: string | null;
  postedAt: Date | null;
  seenAt: Date;
  closedAt: Date | null;
}

export type NormalizeResult = { ok: true; row: PostingRow } | { ok: false; reason: string };

export const FEED_COLUMNS = [
  'source', 'external_id', 'title', 'company', 'location', 'metro', 'remote', 'seniority', 'salary_min', 'salary_max',
  'currency', 'period', 'skills', 'description', 'posted_at', 'seen_at', 'closed_at',
] as const;

/** Header names every CSV feed must have; one of seen_at / posted_at is required too. */
export const REQUIRED_COLUMNS = ['external_id', 'title', 'company'] as const;
export const ONE_OF_DATE_COLUMNS = ['seen_at', 'posted_at'] as const;

export const HOURS_PER_YEAR = 2080;
const PERIOD_FACTOR: Record<Period, number> = { year: 1, month: 12, hour: HOURS_PER_YEAR };

/** "External ID" / "external-id" / "EXTERNAL_ID" -> "external_id". */
export function columnKey(name: string): string {
  return name.trim().toLowerCase().replace(/[\s\-]+/g, '_');
}

// ---- field parsers (zod) ---------------------------------------------------

/** Empty strings, whitespace and null mean "not given". */
const blank = (v: unknown): unknown => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);

const scalarText = (v: unknown): unknown => {
  const b = blank(v);
  return typeof b === 'number' && Number.isFinite(b) ? String(b) : typeof b === 'string' ? b.trim() : b;
};

const requiredText = (max: number) =>
  z.preprocess(
    scalarText,
    z.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be text') }).max(max, `is longer than ${max} characters`),
  );
const optionalText = (max: number) =>
  z.preprocess(scalarText, z.string({ error: 'must be text' }).max(max, `is longer than ${max} characters`).optional());

const TRUE = new Set(['true', 'yes', 'y', '1', 'remote', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'onsite', 'on-site', 'on site', 'office', 'f', 'hybrid']);
const remoteFlag = z.preprocess(
  blank,
  z
    .union([z.boolean(), z.number(), z.string()])
    .transform((v, ctx) => {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
      const s = String(v).trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not true/false/yes/no/1/0/remote` });
      return z.NEVER;
    })
    .optional(),
);

const MONEY = /^([$€£]|usd|eur|gbp)?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([km])?$/i;
const money = z.preprocess(
  blank,
  z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      let n: number;
      if (typeof v === 'number') n = v;
      else {
        const m = MONEY.exec(v.trim());
        if (!m) {
          ctx.addIssue({ code: 'custom', message: `"${v}" is not an amount (write 120000, 120,000 or 120k)` });
          return z.NEVER;
        }
        n = Number(m[2]!.replace(/,/g, '') + (m[3] ?? ''));
        const suffix = m[4]?.toLowerCase();
        if (suffix === 'k') n *= 1_000;
        if (suffix === 'm') n *= 1_000_000;
      }
      if (!Number.isFinite(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `${String(v)} is not a non-negative amount` });
        return z.NEVER;
      }
      return n === 0 ? undefined : Math.round(n * 100) / 100;
    })
    .optional(),
);

const SYMBOL_CURRENCY: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP' };
const currency = z.preprocess(
  blank,
  z
    .string({ error: 'must be a 3-letter code such as USD' })
    .transform((v, ctx) => {
      const s = SYMBOL_CURRENCY[v.trim()] ?? v.trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(s)) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a 3-letter currency code such as USD` });
        return z.NEVER;
      }
      return s;
    })
    .optional(),
);

const PERIODS: Record<string, Period> = {
  year: 'year', yearly: 'year', annual: 'year', annually: 'year', yr: 'year', peryear: 'year', annum: 'year', perannum: 'year',
  month: 'month', monthly: 'month', mo: 'month', permonth: 'month',
  hour: 'hour', hourly: 'hour', hr: 'hour', perhour: 'hour',
};
const period = z.preprocess(
  blank,
  z
    .string({ error: 'must be year, month or hour' })
    .transform((v, ctx) => {
      const p = PERIODS[v.trim().toLowerCase().replace(/[\s\-_/]+/g, '')];
      if (!p) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a pay period (year, month or hour)` });
        return z.NEVER;
      }
      return p;
    })
    .optional(),
);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;
/** new Date() rolls "2026-02-30" over to March; a real day reads back the same. */
function realDay(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const isoDate = z.preprocess(
  blank,
  z
    .string({ error: 'must be an ISO-8601 date such as 2026-11-20 or 2026-11-20T09:30:00Z' })
    .transform((v, ctx) => {
      const s = v.trim();
      let d: Date | undefined;
      if (ISO_DATE.test(s)) d = new Date(`${s}T00:00:00Z`);
      else {
        const m = ISO_DATETIME.exec(s);
        if (m) d = new Date(`${m[1]}T${m[2]}${m[5] ? m[5].toUpperCase() : 'Z'}`);
      }
      if (!d || Number.isNaN(d.getTime()) || !realDay(s.slice(0, 10))) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not an ISO-8601 date such as 2026-11-20 or 2026-11-20T09:30:00Z` });
        return z.NEVER;
      }
      return d;
    })
    .optional(),
);

const skillsField = z.preprocess(
  blank,
  z
    .union([z.array(z.union([z.string(), z.number()])), z.string()], { error: 'must be a list of skills (a JSON array or text separated by ;)' })
    .transform((v) => {
      if (Array.isArray(v)) return normalizeSkills(v.map(String));
      const sep = /[;|]/.test(v) ? /[;|]/ : /,/;
      return normalizeSkills(v.split(sep));
    })
    .optional(),
);

const recordSchema = z.object({
  source: optionalText(100),
  external_id: requiredText(200),
  title: requiredText(300),
  company: requiredText(200),
  location: optionalText(200),
  metro: optionalText(100),
  remote: remoteFlag,
  seniority: z.preprocess(scalarText, z.string({ error: 'must be text' }).optional()),
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

// ---- the record ------------------------------------------------------------

const REMOTE_WORD = /(?<![\p{L}])remote(?![\p{L}])/iu;

export function metroFrom(location: string | null): string | null {
  if (!location || /^\s*remote(?![\p{L}])/iu.test(location)) return null;
  const first = location.split(',')[0]!.replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  return first === '' ? null : first;
}

export function normalizeRecord(raw: Record<string, unknown>, defaults: { source?: string } = {}): NormalizeResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'record is not an object' };
  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) input[columnKey(k)] = v;

  const parsed = recordSchema.safeParse(input);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((iss) => `${iss.path.join('.') || 'record'} ${iss.message}`);
    return { ok: false, reason: reasons.join('; ') };
  }
  const r = parsed.data;

  const seenAt = r.seen_at ?? r.posted_at;
  if (!seenAt) return { ok: false, reason: 'seen_at is required (or posted_at, which it defaults to)' };

  const salaryMin = r.salary_min ?? null;
  const salaryMax = r.salary_max ?? null;
  if (salaryMin !== null && salaryMax !== null && salaryMin > salaryMax) {
    return { ok: false, reason: `salary_min (${salaryMin}) is greater than salary_max (${salaryMax})` };
  }
  const hasPay = salaryMin !== null || salaryMax !== null;
  const per: Period | null = hasPay ? (r.period ?? 'year') : null;
  const factor = per ? PERIOD_FACTOR[per] : 1;

  const title = r.title.replace(/\s+/g, ' ');
  const location = r.location ?? null;
  const remote = (r.remote ?? false) || (location !== null && REMOTE_WORD.test(location));
  const description = r.description ?? null;

  return {
    ok: true,
    row: {
      source: r.source ?? defaults.source ?? 'feed',
      externalId: r.external_id,
      title,
      company: r.company.replace(/\s+/g, ' '),
      location,
      metro: r.metro ?? metroFrom(location),
      remote,
      role: classifyTitle(title),
      seniority: seniorityFrom(r.seniority, title),
      salaryMin,
      salaryMax,
      currency: hasPay ? (r.currency ?? 'USD') : null,
      period: per,
      annualMin: salaryMin === null ? null : Math.round(salaryMin * factor * 100) / 100,
      annualMax: salaryMax === null ? null : Math.round(salaryMax * factor * 100) / 100,
      skills: r.skills && r.skills.length > 0 ? r.skills : extractSkills(description ? `${title}\n${description}` : title),
      description,
      postedAt: r.posted_at ?? null,
      seenAt,
      closedAt: r.closed_at ?? null,
    },
  };
}
