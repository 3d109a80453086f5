// posting_facts (migrations/0007) must follow `postings` through every kind of
// write: inserts, ingest upserts, updates, deletes and truncates. Checked
// against the postings themselves, read back and derived here in JS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { ingestRecords } from '../../src/postings/ingest.ts';

const trim = (s: string | null) => (s === null ? null : s.replace(/^ +| +$/g, '')) || null;

async function expectInStep(db: TestDatabase): Promise<number> {
  const names = new Map(
    (await db.pool.query<{ id: number; name: string }>('SELECT id, name FROM fact_names')).rows.map((r) => [r.id, r.name]),
  );
  const postings = (
    await db.pool.query(
      `SELECT id::int, role, seniority, remote, company, metro, currency, annual_min::text, annual_max::text, skills,
              first_seen_at, last_seen_at, closed_at FROM postings ORDER BY id`,
    )
  ).rows;
  const facts = (
    await db.pool.query(
      `SELECT posting_id::int, role_id, metro_id, seniority, remote, pay_max::text, pay_min::text, pay_bin, name_ids,
              first_seen_at, last_seen_at, nullif(open_until, 'infinity') AS closed_at FROM posting_facts ORDER BY posting_id`,
    )
  ).rows;
  const name = (id: number) => (id === 0 ? null : names.get(id));
  expect(
    facts.map((f) => {
      const ids = (f.name_ids as string).split(',').map(Number);
      return {
        id: f.posting_id,
        role: name(f.role_id),
        seniority: ['entry', 'mid', 'senior'][f.seniority],
        remote: f.remote,
        metro: name(f.metro_id),
        company: name(ids[0]!),
        skills: ids.slice(1).map(name),
        payMax: f.pay_max,
        payMin: f.pay_min,
        payDouble: f.pay_bin === null ? null : (f.pay_bin as Buffer).readDoubleBE(0),
        seen: [f.first_seen_at, f.last_seen_at, f.closed_at],
      };
    }),
  ).toEqual(
    postings.map((p) => {
      const usd = p.currency === 'USD' ? p.annual_max : null;
      return {
        id: p.id,
        role: p.role,
        seniority: p.seniority,
        remote: p.remote,
        metro: p.remote ? 'Remote' : trim(p.metro),
        company: trim(p.company),
        skills: (p.skills as string[]).filter((s) => s !== ''),
        payMax: usd,
        payMin: usd === null ? null : (p.annual_min ?? usd),
        payDouble: usd === null ? null : Number(usd),
        seen: [p.first_seen_at, p.last_seen_at, p.closed_at],
      };
    }),
  );
  return facts.length;
}

describe.each(DB_KINDS)('posting_facts on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(() => db?.close());

  it('follows inserts, ingest upserts, updates, deletes and truncates', async () => {
    await db.pool.query(
      `INSERT INTO postings (source, external_id, title, company, metro, remote, role, seniority, currency, period,
                            annual_min, annual_max, skills, first_seen_at, last_seen_at, closed_at)
       VALUES ('t', '1', 'ML Engineer', '  Acme ', ' Austin, TX ', false, 'ai-ml-engineer', 'senior', 'USD', 'year',
               100000.5, 150000.10, '{Python,"",Python,RAG}', '2026-11-16', '2026-11-18', NULL),
              ('t', '2', 'Data Scientist', '   ', 'Austin, TX', true, 'data-scientist', 'entry', 'EUR', 'year',
               NULL, 90000, '{}', '2026-11-16', '2026-11-17', '2026-11-19'),
              ('t', '3', 'Prompt Engineer', 'acme', NULL, false, 'prompt-engineer', 'mid', 'USD', 'hour',
               NULL, 0.1, '{rag}', '2026-11-10', '2026-11-20', NULL)`,
    );
    expect(await expectInStep(db)).toBe(3);

    const res = await ingestRecords(db.pool, [
      { source: 't', external_id: '1', title: 'Senior ML Engineer', company: 'Beta', location: 'Remote', remote: 'true',
        salary_min: '', salary_max: '', currency: '', period: '', skills: 'Go;Rust', seen_at: '2026-11-19T10:00:00Z' },
      { source: 't', external_id: '4', title: 'NLP Engineer', company: 'Gamma', location: 'Seattle, WA', remote: 'false',
        salary_min: '120000', salary_max: '180000', currency: 'USD', period: 'year', skills: 'Python', seen_at: '2026-11-19T10:00:00Z' },
    ]);
    expect(res.rejected).toBe(0);
    expect(await expectInStep(db)).toBe(4);

    await db.pool.query(`UPDATE postings SET company = 'Zeta', skills = '{SQL}', currency = 'USD', closed_at = '2026-11-21' WHERE external_id = '2'`);
    await db.pool.query(`UPDATE postings SET id = id + 100 WHERE external_id = '3'`);
    expect(await expectInStep(db)).toBe(4);

    await db.pool.query(`DELETE FROM postings WHERE external_id IN ('1', '4')`);
    expect(await expectInStep(db)).toBe(2);

    await db.pool.query('TRUNCATE postings');
    expect(await expectInStep(db)).toBe(0);
  });
});
