// Skill premium end to end on PostgreSQL: constructed postings ingested, the
// week snapshotted (premiums stored with it), read back equal to medians
// PostgreSQL computes itself, shown on the role page with n on both sides and
// the 95% range, small samples marked, and served in /data/{week}.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRecords } from '../../src/postings/ingest.ts';
import { readWeek, snapshotWeek } from '../../src/stats/snapshot.ts';
import type { RoleWeekStats } from '../../src/stats/types.ts';
import { createApp } from '../../src/web/app.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';

const WEEK = '2026-W47'; // 16-22 Nov 2026

/** 300 Data Engineer postings: Python on every third, paid ~$25K more; Rust on 20; a quarter without pay. */
function records() {
  return Array.from({ length: 300 }, (_, i) => {
    const python = i % 3 === 0;
    const skills = [python ? 'Python' : null, 'SQL', i < 20 ? 'Rust' : null].filter(Boolean);
    return {
      external_id: String(i + 1),
      title: 'Data Engineer',
      company: `Company ${i % 23}`,
      location: 'Austin, TX',
      skills: skills.join('; '),
      salary_max: i % 4 === 3 ? null : (python ? 165_000 : 140_000) + ((i * 7919) % 20_000),
      currency: 'USD',
      seen_at: '2026-11-18T10:00:00Z',
    };
  });
}

describe('skill premium (PostgreSQL)', { timeout: 240_000 }, () => {
  let db: TestDatabase;
  let role: RoleWeekStats;
  beforeAll(async () => {
    db = await freshPostgres();
    await ingestRecords(db.pool, records(), { source: 'premium' });
    await snapshotWeek(db.pool, WEEK, 'UTC');
    role = (await readWeek(db.pool, WEEK))!.roles.find((r) => r.role === 'data-engineer')!;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores each top skill with n on both sides and medians equal to PostgreSQL percentile_cont', async () => {
    const premiums = role.skillPremium!;
    expect(premiums.map((p) => p.skill).sort()).toEqual(['Python', 'Rust', 'SQL']);
    for (const p of premiums) {
      const { rows } = await db.pool.query<{ listing: boolean; n: number; median: number }>(
        `SELECT $1 = ANY (skills) AS listing, count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY annual_max) AS median
           FROM postings WHERE role = 'data-engineer' AND annual_max IS NOT NULL GROUP BY 1`,
        [p.skill],
      );
      const side = (listing: boolean) => rows.find((r) => r.listing === listing);
      expect(p.with.n, p.skill).toBe(side(true)?.n ?? 0);
      expect(p.without.n, p.skill).toBe(side(false)?.n ?? 0);
      if (p.with.median !== null) expect(p.with.median).toBeCloseTo(side(true)!.median, 6);
      if (p.without.median !== null) expect(p.without.median).toBeCloseTo(side(false)!.median, 6);
    }
    const python = premiums.find((p) => p.skill === 'Python')!;
    expect(python.with.n + python.without.n).toBe(role.disclosed);
    expect(python.premium!).toBeGreaterThan(20_000);
    expect(python.ci![0]).toBeGreaterThan(0);
    expect(python.ci![0]).toBeLessThanOrEqual(python.premium!);
    expect(python.ci![1]).toBeGreaterThanOrEqual(python.premium!);
    // SQL is on every posting: nothing to compare with.
    expect(premiums.find((p) => p.skill === 'SQL')!.without.n).toBe(0);
    expect(premiums.find((p) => p.skill === 'SQL')!.premium).toBeNull();
  });

  it('shows it on the role page with n, the range and small samples marked, worded as postings not effects', async () => {
    const app = createApp({ pool: db.pool, config: { publicUrl: 'http://site.test' }, freshnessMs: 0 });
    const res = await app.request(`/roles/data-engineer?week=${WEEK}`);
    expect(res.status).toBe(200);
    const html = (await res.text()).replace(/<!-- -->/g, '');
    const section = html.slice(html.indexOf('id="skill-premium"'));
    const python = role.skillPremium!.find((p) => p.skill === 'Python')!;
    const rust = role.skillPremium!.find((p) => p.skill === 'Rust')!;
    const row = (skill: string) => new RegExp(`<th scope="row">${skill}</th>(.*?)</tr>`).exec(section)![1]!;
    expect(row('Python')).toContain(`(n = ${python.with.n})`);
    expect(row('Python')).toContain(`(n = ${python.without.n})`);
    expect(row('Python')).toMatch(/95% range \+\$\d+K to \+\$\d+K; higher/);
    expect(row('Python')).not.toContain('small sample');
    expect(rust.with.n).toBeLessThan(30);
    expect(row('Rust')).toContain(`(n = ${rust.with.n})`);
    expect(row('Rust')).toContain('small sample');
    expect(row('Rust')).not.toMatch(/\) \(/); // one parenthesis, not "(too few postings for a range) (small sample)"
    expect(section).toContain('not the effect of a skill');
    expect(section).not.toMatch(/raises pay|adds \$|boosts/i);

    const data = await app.request(`/data/${WEEK}.json`);
    const json = (await data.json()) as { roles: RoleWeekStats[] };
    expect(json.roles.find((r) => r.role === 'data-engineer')!.skillPremium).toEqual(role.skillPremium);
  });
});
