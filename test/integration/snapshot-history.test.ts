// Cost follows the week, not the history: once closed postings of earlier
// weeks outnumber the week's, the snapshot reads the open-interval index of
// posting_facts (migration 0016) in ranges of last_seen_at instead of every
// page (src/stats/snapshot-scan.ts). Either way the figures must be the same:
// checked here by snapshotting the same week before and after years of closed
// postings are added, with and without the week before read in the same scan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { snapshotWeek } from '../../src/stats/snapshot.ts';
import { splitScan } from '../../src/stats/snapshot-scan.ts';
import { weekRange } from '../../src/stats/week.ts';
import { ROLES } from '../../src/roles/catalog.ts';

const W = '2026-W47';
const PREVIOUS = '2026-W46';

/** `n` postings from id offset `from`, first seen at `firstSeen` plus up to `spreadHours`, seen for up to `seenHours`. */
async function insert(db: TestDatabase, from: number, n: number, firstSeen: string, spreadHours: number, seenHours: number, closed: boolean) {
  const roles = ['other', ...ROLES.map((r) => r.slug)];
  await db.pool.query(
    `INSERT INTO postings (source, external_id, title, company, metro, remote, role, seniority, currency, period,
                           annual_min, annual_max, skills, first_seen_at, last_seen_at, closed_at)
     SELECT 'test', g::text, 'Title ' || g, 'Company ' || (h % 40), 'Metro ' || (h / 7) % 9, h % 10 = 0,
            ($1::text[])[1 + (h / 13) % array_length($1::text[], 1)], (ARRAY['entry','mid','senior'])[1 + (h / 17) % 3],
            CASE WHEN (h / 19) % 10 < 8 THEN 'USD' ELSE 'EUR' END, 'year',
            CASE WHEN (h / 23) % 10 < 7 THEN 60000 + (h / 29) % 90000 END,
            CASE WHEN (h / 23) % 10 < 7 THEN 100000 + (h / 29) % 150000 END,
            ARRAY['Python', 'Skill ' || (h / 31) % 12],
            fs, fs + ((h / 37) % ($5::int + 1)) * interval '1 hour',
            CASE WHEN $6::bool THEN fs + ((h / 37) % ($5::int + 1)) * interval '1 hour' + interval '1 day' END
       FROM (SELECT g, abs(hashtext(g::text)) AS h,
                    $3::timestamptz + (abs(hashtext('f' || g::text)) % ($4::int + 1)) * interval '1 hour' AS fs
               FROM generate_series($2::int, $2::int + $7::int - 1) g) s`,
    [roles, from, firstSeen, spreadHours, seenHours, closed, n],
  );
}

describe.each(DB_KINDS)('the snapshot over a long history on %s', (kind) => {
  let db: TestDatabase;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const figures = async (likeForLike: boolean) => {
    // Without the week before stored, the like-for-like change reads it in the same scan.
    await db.pool.query('DELETE FROM weeks');
    return (await snapshotWeek(db.pool, W, 'UTC', { likeForLike })).stats.roles;
  };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    // 600 postings open in the week or the one before, seen over four weeks.
    await insert(db, 1, 600, '2026-10-26', 24 * 28, 24 * 21, false);
    await db.pool.query('ANALYZE posting_facts');
    before.plain = await figures(false);
    before.lfl = await figures(true);
    // Ten times as many closed in the year before.
    await insert(db, 100_000, 6_000, '2025-09-01', 24 * 300, 24 * 30, true);
    await db.pool.query('ANALYZE posting_facts');
    after.plain = await figures(false);
    after.lfl = await figures(true);
  });
  afterAll(async () => db?.close());

  it('has the week open and the history closed before it', async () => {
    const total = (before.plain as { positions: number }[]).reduce((s, r) => s + r.positions, 0);
    expect(total).toBeGreaterThan(100);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM posting_facts WHERE open_until < $1`, [weekRange(PREVIOUS).start]);
    expect(rows[0].n).toBe(6_000);
  });

  it.runIf(kind === 'postgres')('reads the pages while most rows are recent, the index in ranges of last seen once history dominates', async () => {
    const { start } = weekRange(W);
    const client = await db.pool.connect();
    try {
      const split = await splitScan(client, start, 3);
      expect(split.kind).toBe('seen');
      expect(split.cuts.length).toBe(2);
      for (const cut of split.cuts) expect((cut as Date).getTime()).toBeGreaterThan(start.getTime());
      await db.pool.query('DELETE FROM posting_facts WHERE open_until < $1', [weekRange(PREVIOUS).start]);
      await db.pool.query('ANALYZE posting_facts');
      expect((await splitScan(client, start, 3)).kind).toBe('pages');
    } finally {
      client.release();
    }
  });

  it('gives the same figures with the history as without it', () => {
    expect(after.plain).toEqual(before.plain);
    expect(after.lfl).toEqual(before.lfl);
  });
});
