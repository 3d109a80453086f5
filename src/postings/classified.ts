// What the classifier made of postings, as JSON lines (README "See what the
// classifier did"): `digest ingest FILE... --dry-run` (nothing stored) and
// `digest postings export` (what is stored).
import type { Db } from '../db/database.ts';
import type { Period, PostingRow } from './normalize.ts';
import { normalizeRecord } from './normalize.ts';
import { inspectFeed, readFeed } from './read-feed-file.ts';

interface PayJson {
  min: number | null;
  max: number | null;
  currency: string;
  period: Period;
  annual_min: number | null;
  annual_max: number | null;
  from: 'fields' | 'text';
}

interface ClassifiedJson {
  external_id: string;
  title: string;
  role: string;
  seniority: string;
  remote: boolean;
  metro: string | null;
  skills: string[];
  pay: PayJson | null;
}

function payJson(r: Pick<PostingRow, 'salaryMin' | 'salaryMax' | 'currency' | 'period' | 'annualMin' | 'annualMax' | 'payFrom'>): PayJson | null {
  if (r.period === null || r.currency === null || (r.salaryMin === null && r.salaryMax === null)) return null;
  return { min: r.salaryMin, max: r.salaryMax, currency: r.currency, period: r.period, annual_min: r.annualMin, annual_max: r.annualMax, from: r.payFrom ?? 'fields' };
}

function classified(r: PostingRow): ClassifiedJson {
  return { external_id: r.externalId, title: r.title, role: r.role, seniority: r.seniority, remote: r.remote, metro: r.metro, skills: r.skills, pay: payJson(r) };
}

/** One JSON line per feed row of every file, in order; throws FeedFormatError (before any line) when a file is not a feed. */
export async function* dryRunLines(files: readonly string[], source?: string): AsyncGenerator<string> {
  for (const file of files) await inspectFeed(file);
  for (const file of files) {
    for await (const item of readFeed(file)) {
      if ('error' in item) {
        yield JSON.stringify({ line: item.line, error: item.error });
        continue;
      }
      const res = normalizeRecord(item.record, source === undefined ? {} : { source });
      yield JSON.stringify(res.ok ? { line: item.line, ...classified(res.row) } : { line: item.line, error: res.reason });
    }
  }
}

export interface ExportFilter {
  open?: boolean;
  source?: string;
  /** Postings open in the week [start, end): first seen before it ends, last seen and not closed before it starts. */
  week?: { start: Date; end: Date };
}

const PAGE = 5_000;
const num = (v: string | null) => (v === null ? null : Number(v));

/** Stored postings as JSON lines, in id order, a page at a time (a million postings never sit in memory). */
export async function* exportLines(pool: Db, f: ExportFilter = {}): AsyncGenerator<string> {
  const where: string[] = ['id > $1'];
  const params: unknown[] = [0];
  if (f.open) where.push('closed_at IS NULL');
  if (f.source !== undefined) {
    params.push(f.source);
    where.push(`source = $${params.length}`);
  }
  if (f.week) {
    params.push(f.week.start, f.week.end);
    // The snapshot's open-in-week rule (README "Feed format").
    where.push(`first_seen_at < $${params.length} AND last_seen_at >= $${params.length - 1} AND coalesce(closed_at, 'infinity') > $${params.length - 1}`);
  }
  for (;;) {
    const { rows } = await pool.query(
      `SELECT id, source, external_id, title, role, seniority, remote, metro, skills, salary_min, salary_max, currency, period,
              annual_min, annual_max, pay_from, first_seen_at, last_seen_at, closed_at
         FROM postings WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${PAGE}`,
      params,
    );
    for (const r of rows) {
      const pay = payJson({
        salaryMin: num(r.salary_min), salaryMax: num(r.salary_max), currency: r.currency, period: r.period,
        annualMin: num(r.annual_min), annualMax: num(r.annual_max), payFrom: r.pay_from,
      });
      yield JSON.stringify({
        external_id: r.external_id, title: r.title, role: r.role, seniority: r.seniority, remote: r.remote,
        metro: r.metro, skills: r.skills, pay, source: r.source,
        first_seen_at: r.first_seen_at.toISOString(), last_seen_at: r.last_seen_at.toISOString(), closed_at: r.closed_at?.toISOString() ?? null,
      });
    }
    if (rows.length < PAGE) return;
    params[0] = rows.at(-1).id;
  }
}
