import { describe, expect, it } from 'vitest';
import { metroFrom, normalizeRecord, type PostingRow } from '../../src/postings/normalize.ts';
import { classifyTitle } from '../../src/roles/catalog.ts';

const base = { external_id: 'x1', title: 'Machine Learning Engineer', company: 'Acme', seen_at: '2026-11-20' };

function ok(raw: Record<string, unknown>, defaults: { source?: string } = {}): PostingRow {
  const res = normalizeRecord(raw, defaults);
  if (!res.ok) throw new Error(`expected ok, got: ${res.reason}`);
  return res.row;
}
function reason(raw: Record<string, unknown>): string {
  const res = normalizeRecord(raw, {});
  if (res.ok) throw new Error('expected a rejection');
  return res.reason;
}

describe('normalizeRecord: pay', () => {
  it('annualises hourly pay x 2080 and monthly x 12, keeping the posted figures', () => {
    const h = ok({ ...base, salary_min: '50', salary_max: '62.5', period: 'hourly' });
    expect([h.salaryMin, h.salaryMax, h.period, h.annualMin, h.annualMax]).toEqual([50, 62.5, 'hour', 104_000, 130_000]);
    const m = ok({ ...base, salary_min: 10_000, salary_max: 12_000, period: 'Monthly' });
    expect([m.period, m.annualMin, m.annualMax]).toEqual(['month', 120_000, 144_000]);
  });

  it('reads plain numbers, thousands separators, a currency sign and a k suffix; defaults to USD per year', () => {
    const r = ok({ ...base, salary_min: '$120k', salary_max: '150,000' });
    expect([r.salaryMin, r.salaryMax, r.currency, r.period, r.annualMax]).toEqual([120_000, 150_000, 'USD', 'year', 150_000]);
    expect(ok({ ...base, salary_max: '95.5K', currency: 'eur' }).salaryMax).toBe(95_500);
    expect(ok({ ...base, salary_max: '95.5K', currency: 'eur' }).currency).toBe('EUR');
  });

  it('leaves pay, currency and period empty when no salary is given; zero means not disclosed', () => {
    const r = ok({ ...base, salary_min: '', salary_max: '0', currency: 'USD', period: 'year' });
    expect([r.salaryMin, r.salaryMax, r.currency, r.period, r.annualMin, r.annualMax]).toEqual([null, null, null, null, null, null]);
  });

  it('rejects a minimum above the maximum, naming both', () => {
    expect(reason({ ...base, salary_min: '150000', salary_max: '120000' })).toBe('salary_min (150000) is greater than salary_max (120000)');
  });

  it('rejects unreadable amounts, currencies and periods, naming the field', () => {
    expect(reason({ ...base, salary_max: 'lots' })).toMatch(/^salary_max "lots" is not an amount/);
    expect(reason({ ...base, salary_max: -5 })).toMatch(/^salary_max .*non-negative/);
    expect(reason({ ...base, salary_max: '100', currency: 'dollars' })).toMatch(/^currency "dollars" is not a 3-letter currency code/);
    expect(reason({ ...base, salary_max: '100', period: 'fortnight' })).toMatch(/^period "fortnight" is not a pay period/);
  });
});

describe('normalizeRecord: required fields and dates', () => {
  it('names every missing required field', () => {
    expect(reason({ title: ' ', seen_at: '2026-11-20' })).toBe('external_id is required; title is required; company is required');
  });

  it('needs seen_at or posted_at, and seen_at defaults to posted_at', () => {
    expect(reason({ external_id: 'a', title: 't', company: 'c' })).toMatch(/^seen_at is required/);
    const r = ok({ external_id: 'a', title: 't', company: 'c', posted_at: '2026-11-18T09:30:00+02:00' });
    expect(r.seenAt.toISOString()).toBe('2026-11-18T07:30:00.000Z');
    expect(r.postedAt?.toISOString()).toBe('2026-11-18T07:30:00.000Z');
  });

  it('reads dates as ISO-8601 (a bare date is midnight UTC) and rejects others by field', () => {
    expect(ok(base).seenAt.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(ok({ ...base, seen_at: '2026-11-20 10:15:00' }).seenAt.toISOString()).toBe('2026-11-20T10:15:00.000Z');
    expect(reason({ ...base, seen_at: '20/11/2026' })).toMatch(/^seen_at "20\/11\/2026" is not an ISO-8601 date/);
    expect(reason({ ...base, seen_at: '2026-02-30' })).toMatch(/^seen_at "2026-02-30" is not an ISO-8601 date/);
    expect(reason({ ...base, closed_at: 'soon' })).toMatch(/^closed_at /);
  });

  it('accepts numeric ids from JSONL and forgiving header spellings', () => {
    const r = ok({ 'External ID': 42, Title: 'Data Engineer', COMPANY: 'Acme', 'seen-at': '2026-11-20' });
    expect([r.externalId, r.title, r.company, r.role]).toEqual(['42', 'Data Engineer', 'Acme', 'data-engineer']);
  });

  it('takes the source from the row, then the default, then "feed"', () => {
    expect(ok({ ...base, source: 'board-a' }, { source: 'cli' }).source).toBe('board-a');
    expect(ok(base, { source: 'cli' }).source).toBe('cli');
    expect(ok(base).source).toBe('feed');
  });

  it('rejects a remote value it cannot read', () => {
    expect(reason({ ...base, remote: 'sometimes' })).toMatch(/^remote "sometimes" is not true\/false/);
  });
});

describe('normalizeRecord: location, remote, skills, seniority', () => {
  it('reads remote flags in several spellings', () => {
    for (const v of [true, 'true', 'yes', '1', 1, 'Remote']) expect(ok({ ...base, remote: v }).remote).toBe(true);
    for (const v of [false, 'false', 'no', '0', 0, '']) expect(ok({ ...base, remote: v }).remote).toBe(false);
  });

  it('derives the metro from the location, and a Remote location means remote with no metro', () => {
    const sf = ok({ ...base, location: 'San Francisco, CA' });
    expect([sf.metro, sf.remote]).toEqual(['San Francisco', false]);
    const rem = ok({ ...base, location: 'Remote' });
    expect([rem.metro, rem.remote]).toEqual([null, true]);
    const ny = ok({ ...base, location: 'New York, NY (Remote)' });
    expect([ny.metro, ny.remote]).toEqual(['New York', true]);
    expect(ok({ ...base, location: 'Austin, TX', metro: 'Austin-Round Rock' }).metro).toBe('Austin-Round Rock');
    expect(ok({ ...base, metro: '  San \t Francisco ' }).metro).toBe('San Francisco');
    expect(metroFrom('Remote - US')).toBeNull();
  });

  it('reads skills from a JSON array or a ;/| separated cell, and extracts them when empty', () => {
    expect(ok({ ...base, skills: ['python', 'k8s', 'Python'] }).skills).toEqual(['Python', 'Kubernetes']);
    expect(ok({ ...base, skills: 'aws; rag | Docker' }).skills).toEqual(['AWS', 'RAG', 'Docker']);
    expect(ok({ ...base, skills: 'aws, gcp' }).skills).toEqual(['AWS', 'GCP']);
    expect(ok({ ...base, title: 'RAG Engineer', skills: '', description: 'Python and Kubernetes on Google Cloud' }).skills).toEqual(['RAG', 'Python', 'Kubernetes', 'GCP']);
  });

  it('takes seniority from the feed, else from the title', () => {
    expect(ok({ ...base, seniority: 'junior', title: 'Senior ML Engineer' }).seniority).toBe('entry');
    expect(ok({ ...base, title: 'Senior ML Engineer' }).seniority).toBe('senior');
    expect(ok({ ...base, title: 'Lead Generation Specialist' }).seniority).toBe('mid');
  });

  it('rejects a record that is not an object', () => {
    expect(normalizeRecord([] as unknown as Record<string, unknown>, {})).toEqual({ ok: false, reason: 'record is not an object' });
  });
});

describe('role from the title (classifyTitle)', () => {
  const cases: [string, string][] = [
    ['Senior MLOps Engineer', 'mlops-engineer'],
    ['Machine Learning Platform Engineer', 'mlops-engineer'],
    ['AI Product Manager', 'ai-product-manager'],
    ['Product Manager, Generative AI', 'ai-product-manager'],
    ['Staff Software Engineer, AI Agents', 'ai-software-engineer'],
    ['Prompt Engineer', 'prompt-engineer'],
    ['Research Scientist, LLMs', 'ml-research-scientist'],
    ['Computer Vision Engineer', 'computer-vision-engineer'],
    ['NLP Engineer', 'nlp-engineer'],
    ['Data Engineer', 'data-engineer'],
    ['Data Scientist', 'data-scientist'],
    ['Principal AI Architect', 'ai-architect'],
    ['Machine Learning Engineer', 'ai-ml-engineer'],
    ['AI Engineer', 'ai-ml-engineer'],
    ['Sales Manager', 'other'],
  ];
  it.each(cases)('%s -> %s', (title, role) => {
    expect(classifyTitle(title)).toBe(role);
    expect(ok({ ...base, title }).role).toBe(role);
  });
});
