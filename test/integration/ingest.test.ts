import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { FeedFormatError, ingestFiles, ingestRecords, type IngestProgress } from '../../src/postings/ingest.ts';
import { formatIngestSummary } from '../../src/postings/ingest-report.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'std-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const HEADER = 'external_id,title,company,location,remote,seniority,salary_min,salary_max,currency,period,skills,description,seen_at';
const mixed = write('mixed.csv', [
  HEADER,
  'a1,Senior MLOps Engineer,Openkyber,"San Francisco, CA",false,,150000,220000,USD,year,aws;python;k8s,,2026-11-17',
  'a2,Prompt Engineer,Acme,Remote,,,50,65,USD,hourly,,"Prompt design with Claude and RAG",2026-11-18',
  'a3,Data Scientist,Acme,"New York, NY",no,junior,150000,120000,USD,year,,,2026-11-18', // min > max
  'a4,"AI Product Manager","Big, Co",Austin,,,,,,,,,2026-11-19',
  ',No Id Engineer,Acme,,,,,,,,,,2026-11-19', // missing external_id
  'a6,AI Engineer,Acme,,,,,,,,,,19/11/2026', // bad date
  'a7,Sales Manager,Acme,"Los Angeles, CA",,,,,,,,,2026-11-20',
  'a8,"Multi-line, description",Acme,,,,,,,,,"first', // embedded newline: next row starts on line 11
  'second",2026-11-20',
  'a9,ML Engineer,Acme,,,,abc,,,,,,2026-11-20', // bad salary, on line 11
]);

async function rows(db: TestDatabase) {
  const { rows: out } = await db.pool.query(
    `SELECT source, external_id, title, company, location, metro, remote, role, seniority, salary_min, salary_max, currency, period,
            annual_min, annual_max, skills, description, first_seen_at, last_seen_at, closed_at
       FROM postings ORDER BY external_id`,
  );
  return out;
}

describe.each(DB_KINDS)('ingest on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  it('stores every good row and reports each bad one with file, line and reason', async () => {
    await db.pool.query('TRUNCATE postings');
    const progress: IngestProgress[] = [];
    const s = await ingestFiles(db.pool, [mixed], { source: 'board', onProgress: (p) => progress.push(p), chunkRows: 2 });
    expect({ files: s.files, read: s.read, stored: s.stored, inserted: s.inserted, updated: s.updated, rejected: s.rejected }).toEqual({
      files: 1, read: 9, stored: 5, inserted: 5, updated: 0, rejected: 4,
    });
    expect(s.errors).toEqual([
      { file: mixed, line: 4, reason: 'salary_min (150000) is greater than salary_max (120000)' },
      { file: mixed, line: 6, reason: 'external_id is required' },
      { file: mixed, line: 7, reason: expect.stringMatching(/^seen_at "19\/11\/2026" is not an ISO-8601 date/) },
      { file: mixed, line: 11, reason: expect.stringMatching(/^salary_min "abc" is not an amount/) },
    ]);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toEqual({ file: mixed, read: 9, stored: 5, rejected: 4 });

    const stored = await rows(db);
    expect(stored.map((r) => r.external_id)).toEqual(['a1', 'a2', 'a4', 'a7', 'a8']);
    const [a1, a2, a4, a7, a8] = stored;
    expect(a1).toMatchObject({
      source: 'board', role: 'mlops-engineer', seniority: 'senior', metro: 'San Francisco', remote: false,
      salary_min: 150000, salary_max: 220000, annual_max: 220000, currency: 'USD', period: 'year', skills: ['AWS', 'Python', 'Kubernetes'],
    });
    expect(a1.first_seen_at.toISOString()).toBe('2026-11-17T00:00:00.000Z');
    expect(a1.last_seen_at.toISOString()).toBe('2026-11-17T00:00:00.000Z');
    expect(a2).toMatchObject({ role: 'prompt-engineer', remote: true, metro: null, period: 'hour', annual_min: 104000, annual_max: 135200 });
    expect(a2.skills).toEqual(['Prompt Engineering', 'Claude', 'RAG']);
    expect(a4).toMatchObject({ role: 'ai-product-manager', company: 'Big, Co', metro: 'Austin', salary_max: null, currency: null, skills: [] });
    expect(a7).toMatchObject({ role: 'other', metro: 'Los Angeles' });
    expect(a8).toMatchObject({ title: 'Multi-line, description', description: 'first\nsecond' });

    const report = formatIngestSummary(s);
    expect(report).toContain('9 rows read, 5 stored (5 new, 0 already known), 4 rejected');
    expect(report).toContain(`${mixed}:4: salary_min (150000) is greater than salary_max (120000)`);
  });

  it('is idempotent: the same file again adds nothing and changes nothing', async () => {
    const before = await rows(db);
    const { rows: [t0] } = await db.pool.query('SELECT max(updated_at) AS u, count(*)::int AS n FROM postings');
    const s = await ingestFiles(db.pool, [mixed], { source: 'board' });
    expect({ stored: s.stored, inserted: s.inserted, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected }).toEqual({
      stored: 5, inserted: 0, updated: 5, unchanged: 5, rejected: 4,
    });
    expect(await rows(db)).toEqual(before);
    const { rows: [t1] } = await db.pool.query('SELECT max(updated_at) AS u, count(*)::int AS n FROM postings');
    expect(t1).toEqual(t0);
  });

  it('moves last_seen_at forward, never back, and widens first_seen_at only backward', async () => {
    await db.pool.query('TRUNCATE postings');
    const rec = (seen: string, title: string) => ({ source: 'b', external_id: 'p1', title, company: 'Acme', seen_at: seen });
    await ingestRecords(db.pool, [rec('2026-11-10', 'ML Engineer')]);
    const later = await ingestRecords(db.pool, [rec('2026-11-24', 'Senior ML Engineer')]);
    expect([later.inserted, later.updated, later.unchanged]).toEqual([0, 1, 0]);
    let [p] = await rows(db);
    expect([p.first_seen_at.toISOString(), p.last_seen_at.toISOString(), p.title, p.seniority]).toEqual([
      '2026-11-10T00:00:00.000Z', '2026-11-24T00:00:00.000Z', 'Senior ML Engineer', 'senior',
    ]);

    // An older sighting loaded later: last_seen_at and the description stay; first_seen_at moves back.
    await ingestRecords(db.pool, [rec('2026-11-03', 'Old Title Engineer')]);
    [p] = await rows(db);
    expect([p.first_seen_at.toISOString(), p.last_seen_at.toISOString(), p.title]).toEqual([
      '2026-11-03T00:00:00.000Z', '2026-11-24T00:00:00.000Z', 'Senior ML Engineer',
    ]);

    // Duplicates inside one chunk merge their seen range; the newest describes the posting.
    await ingestRecords(db.pool, [rec('2026-12-01', 'Staff ML Engineer'), rec('2026-10-27', 'Ancient'), rec('2026-11-30', 'Lead ML Engineer')]);
    const { rows: all } = await db.pool.query('SELECT first_seen_at, last_seen_at, title FROM postings');
    expect(all).toHaveLength(1);
    expect([all[0].first_seen_at.toISOString(), all[0].last_seen_at.toISOString(), all[0].title]).toEqual([
      '2026-10-27T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 'Staff ML Engineer',
    ]);
  });

  it('merges the same postings arriving in concurrent chunks into one row each with the widest seen range', async () => {
    await db.pool.query('TRUNCATE postings');
    const records = Array.from({ length: 60 }, (_, i) => ({
      source: 'b', external_id: `p${i % 5}`, title: 'AI Engineer', company: 'Acme',
      seen_at: new Date(Date.UTC(2026, 10, 1 + (i % 12))).toISOString(),
    }));
    const s = await ingestRecords(db.pool, records, { chunkRows: 4, concurrency: 3 });
    expect([s.stored, s.inserted, s.updated]).toEqual([60, 5, 55]);
    const { rows: out } = await db.pool.query('SELECT external_id, first_seen_at, last_seen_at FROM postings ORDER BY external_id');
    // Each id is seen on every day from Nov 1 to Nov 12 (i % 5 and i % 12 cover all pairs), spread over 15 chunks.
    expect(out.map((r) => [r.external_id, r.first_seen_at.toISOString().slice(0, 10), r.last_seen_at.toISOString().slice(0, 10)])).toEqual(
      ['p0', 'p1', 'p2', 'p3', 'p4'].map((id) => [id, '2026-11-01', '2026-11-12']),
    );
  });

  it('writes nothing when any file is not a feed', async () => {
    await db.pool.query('TRUNCATE postings');
    const good = write('good.jsonl', ['{"external_id":"g1","title":"AI Engineer","company":"Acme","seen_at":"2026-11-20"}']);
    const html = path.join(dir, 'page.csv');
    writeFileSync(html, '<html><body>Not found</body></html>');
    const headerless = write('headerless.csv', ['g2,AI Engineer,Acme,2026-11-20']);
    await expect(ingestFiles(db.pool, [good, html], {})).rejects.toBeInstanceOf(FeedFormatError);
    await expect(ingestFiles(db.pool, [good, headerless], {})).rejects.toThrow(/headerless\.csv: not a postings CSV/);
    const { rows: [c] } = await db.pool.query('SELECT count(*)::int AS n FROM postings');
    expect(c.n).toBe(0);
  });

  it('reads JSONL with arrays, numbers and booleans, and keeps the row source over --source', async () => {
    await db.pool.query('TRUNCATE postings');
    const file = write('feed.ndjson', [
      JSON.stringify({ source: 'api', external_id: 7, title: 'Computer Vision Engineer', company: 'Eye', remote: true, salary_max: 180000, skills: ['pytorch', 'Docker'], posted_at: '2026-11-16T08:00:00Z' }),
      '{not json',
    ]);
    const s = await ingestFiles(db.pool, [file], { source: 'cli' });
    expect([s.stored, s.rejected, s.errors[0]?.line]).toEqual([1, 1, 2]);
    const [p] = await rows(db);
    expect(p).toMatchObject({ source: 'api', external_id: '7', role: 'computer-vision-engineer', remote: true, salary_max: 180000, skills: ['PyTorch', 'Docker'] });
    expect(p.first_seen_at.toISOString()).toBe('2026-11-16T08:00:00.000Z');
  });
});
