// Job-board APIs -> feed records (the keys of normalize.ts), one per job.
// Each connector knows its endpoint and its documented response shape
// (docs/sources.md); everything after the record (role, seniority, metro,
// skills, pay read from text when no structured pay) is normalizeRecord's.
import he from 'he';
import { compile } from 'html-to-text';
import { z } from 'zod';
import type { Period } from '../postings/normalize.ts';

export const KINDS = ['greenhouse', 'lever', 'ashby'] as const;
export type Kind = (typeof KINDS)[number];

interface BoardRecord {
  external_id: string;
  title: unknown;
  location?: string | null;
  remote?: boolean;
  description?: string | null;
  salary_min?: number | null;
  salary_max?: number | null;
  currency?: string | null;
  period?: Period | null;
  posted_at?: string | null;
}

export interface Connector {
  kind: Kind;
  origin: string;
  /** The board's jobs endpoint under `origin` (the API's, or --base-url). */
  url(origin: string, board: string): string;
  /** Records of the answer, or per job the reason it could not be read; throws when the answer is not this API's shape. */
  parse(body: unknown): (BoardRecord | { error: string })[];
}

// Compiled once: html-to-text's convert() compiles its options on every call (a millisecond a job).
const toText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable' },
  ],
});

/** HTML (already unescaped) -> plain text, paragraphs and list items on their own lines. */
function htmlText(html: string): string {
  return toText(html).trim();
}

/** One job at a time: a job the API describes oddly is reported, not the whole board. */
function eachJob<T>(jobs: unknown[], read: (raw: unknown) => T[]): (T | { error: string })[] {
  return jobs.flatMap((raw, i): (T | { error: string })[] => {
    try {
      return read(raw);
    } catch (err) {
      const msg = err instanceof z.ZodError ? err.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') : (err as Error).message;
      return [{ error: `job ${i + 1}: ${msg}` }];
    }
  });
}

const str = z.string().nullish();
const num = z.number().nullish();

/** Structured ranges (zones, tiers) of one currency and period -> the lowest minimum and the highest maximum. */
function widest(ranges: { min: number | null; max: number | null; currency: string | null; period: Period }[]) {
  const usable = ranges.filter((r) => (r.min ?? 0) > 0 || (r.max ?? 0) > 0);
  const first = usable[0];
  if (!first) return {};
  const same = usable.filter((r) => r.currency === first.currency && r.period === first.period);
  const mins = same.map((r) => r.min).filter((v): v is number => v !== null && v > 0);
  const maxs = same.map((r) => r.max).filter((v): v is number => v !== null && v > 0);
  return {
    salary_min: mins.length ? Math.min(...mins) : null,
    salary_max: maxs.length ? Math.max(...maxs) : null,
    currency: first.currency,
    period: first.period,
  };
}

// ---- Greenhouse: GET /v1/boards/{board}/jobs?content=true&pay_transparency=true
const greenhouseJob = z.object({
  id: z.union([z.number(), z.string()]),
  title: z.unknown(),
  updated_at: str,
  first_published: str,
  location: z.object({ name: str }).nullish(),
  content: str,
  pay_input_ranges: z
    .array(z.object({ min_cents: num, max_cents: num, currency_type: str, title: str, blurb: str }))
    .nullish(),
});

function greenhousePeriod(title: string, max: number): Period {
  if (/hour/i.test(title)) return 'hour';
  if (/month/i.test(title)) return 'month';
  if (/year|annual/i.test(title)) return 'year';
  return max < 1000 ? 'hour' : max < 10_000 ? 'month' : 'year';
}

const greenhouse: Connector = {
  kind: 'greenhouse',
  origin: 'https://boards-api.greenhouse.io',
  url: (origin, board) => `${origin}/v1/boards/${encodeURIComponent(board)}/jobs?content=true&pay_transparency=true`,
  parse(body) {
    const jobs = z.object({ jobs: z.array(z.unknown()) }).parse(body).jobs;
    return eachJob(jobs, (raw) => {
      const j = greenhouseJob.parse(raw);
      const pay = widest(
        (j.pay_input_ranges ?? []).map((r) => {
          const min = r.min_cents == null ? null : r.min_cents / 100;
          const max = r.max_cents == null ? null : r.max_cents / 100;
          return { min, max, currency: r.currency_type?.toUpperCase() ?? 'USD', period: greenhousePeriod(`${r.title ?? ''} ${r.blurb ?? ''}`, max ?? min ?? 0) };
        }),
      );
      // `content` is HTML with its markup escaped (&lt;p&gt;): unescape, then read as HTML.
      const description = j.content ? htmlText(he.decode(j.content)) : null;
      return [{
        external_id: String(j.id),
        title: j.title,
        location: j.location?.name ?? null,
        description,
        posted_at: j.first_published ?? j.updated_at ?? null,
        ...pay,
      }];
    });
  },
};

// ---- Lever: GET /v0/postings/{site}?mode=json
const LEVER_INTERVAL: Record<string, Period> = { 'per-year-salary': 'year', 'per-month-salary': 'month', 'per-hour-wage': 'hour' };
const leverJob = z.object({
  id: z.string(),
  text: z.unknown(),
  categories: z.object({ location: str, commitment: str, team: str, allLocations: z.array(z.string()).nullish() }).nullish(),
  workplaceType: str,
  salaryRange: z.object({ min: num, max: num, currency: str, interval: str }).nullish(),
  descriptionPlain: str,
  description: str,
  lists: z.array(z.object({ text: str, content: str })).nullish(),
  additionalPlain: str,
  additional: str,
  salaryDescriptionPlain: str,
  createdAt: num,
});

const lever: Connector = {
  kind: 'lever',
  origin: 'https://api.lever.co',
  url: (origin, site) => `${origin}/v0/postings/${encodeURIComponent(site)}?mode=json`,
  parse(body) {
    return eachJob(z.array(z.unknown()).parse(body), (raw) => {
      const j = leverJob.parse(raw);
      const s = j.salaryRange;
      // Weekly, daily and one-time amounts are not a salary the digest can annualise; the text may still state one.
      const period = s?.interval ? LEVER_INTERVAL[s.interval] : undefined;
      const pay = s && period ? widest([{ min: s.min ?? null, max: s.max ?? null, currency: s.currency?.toUpperCase() ?? 'USD', period }]) : {};
      const parts = [
        j.descriptionPlain ?? (j.description ? htmlText(j.description) : ''),
        ...(j.lists ?? []).map((l) => `${l.text ?? ''}\n${l.content ? htmlText(l.content) : ''}`),
        j.additionalPlain ?? (j.additional ? htmlText(j.additional) : ''),
        j.salaryDescriptionPlain ?? '',
      ];
      return [{
        external_id: j.id,
        title: j.text,
        location: j.categories?.location ?? j.categories?.allLocations?.[0] ?? null,
        remote: j.workplaceType === 'remote',
        description: parts.filter((p) => p.trim() !== '').join('\n\n') || null,
        posted_at: j.createdAt ? new Date(j.createdAt).toISOString() : null,
        ...pay,
      }];
    });
  },
};

// ---- Ashby: GET /posting-api/job-board/{board}?includeCompensation=true
const ASHBY_INTERVAL: Record<string, Period> = { '1 YEAR': 'year', '1 MONTH': 'month', '1 HOUR': 'hour' };
const ashbyComponent = z.object({ compensationType: str, interval: str, currencyCode: str, minValue: num, maxValue: num });
const ashbyJob = z.object({
  id: z.string(),
  title: z.unknown(),
  location: str,
  isRemote: z.boolean().nullish(),
  workplaceType: str,
  publishedAt: str,
  descriptionHtml: str,
  descriptionPlain: str,
  isListed: z.boolean().nullish(),
  compensation: z
    .object({
      compensationTierSummary: str,
      summaryComponents: z.array(ashbyComponent).nullish(),
      compensationTiers: z.array(z.object({ components: z.array(ashbyComponent).nullish() })).nullish(),
    })
    .nullish(),
});

const ashby: Connector = {
  kind: 'ashby',
  origin: 'https://api.ashbyhq.com',
  url: (origin, board) => `${origin}/posting-api/job-board/${encodeURIComponent(board)}?includeCompensation=true`,
  parse(body) {
    const jobs = z.object({ jobs: z.array(z.unknown()) }).parse(body).jobs;
    return eachJob(jobs, (raw) => {
      const j = ashbyJob.parse(raw);
      if (j.isListed === false) return [];
      const tiers = (j.compensation?.compensationTiers ?? []).flatMap((t) => t.components ?? []);
      const components = tiers.length > 0 ? tiers : (j.compensation?.summaryComponents ?? []);
      // Only Salary components are pay: equity, bonus and commission are not.
      const salaries = components.filter((c) => c.compensationType === 'Salary' && c.interval && ASHBY_INTERVAL[c.interval]);
      const pay = widest(salaries.map((c) => ({ min: c.minValue ?? null, max: c.maxValue ?? null, currency: c.currencyCode?.toUpperCase() ?? 'USD', period: ASHBY_INTERVAL[c.interval!]! })));
      return [{
        external_id: j.id,
        title: j.title,
        location: j.location ?? null,
        remote: j.isRemote === true || j.workplaceType === 'Remote',
        description: j.descriptionPlain ?? (j.descriptionHtml ? htmlText(j.descriptionHtml) : null),
        posted_at: j.publishedAt ?? null,
        ...pay,
      }];
    });
  },
};

export const CONNECTORS: Record<Kind, Connector> = { greenhouse, lever, ashby };

export function isKind(s: string): s is Kind {
  return (KINDS as readonly string[]).includes(s);
}
