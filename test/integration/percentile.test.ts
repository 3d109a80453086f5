// src/stats/percentile.ts must give the very doubles PostgreSQL's
// percentile_cont gives (the snapshot stores the JS result in place of the
// SQL one), for the scalar and the array form, on numeric values that
// PostgreSQL rounds to float8 (the snapshot reads numeric[] into doubles).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { mergeSorted, percentileCont, sortedSample } from '../../src/stats/percentile.ts';

const PS = [0.25, 0.5, 0.75];

function samples(): string[][] {
  let s = 7;
  const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const out: string[][] = [];
  for (let n = 1; n <= 60; n++) {
    // Cents and thirds make values that are not exact doubles; repeats make ties.
    out.push(Array.from({ length: n }, () => (rnd() < 0.2 ? '150000' : (50_000 + rnd() * 250_000).toFixed(n % 3 === 0 ? 0 : 2))));
  }
  out.push(Array.from({ length: 997 }, (_, i) => `${100_000 + ((i * 7919) % 1009)}.${i % 100}`));
  out.push(['0.1', '0.2', '0.30000000000000004', '1e-7', '123456789.123456789']);
  return out;
}

describe.each(DB_KINDS)('percentileCont on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind, { migrate: false });
  });
  afterAll(() => db?.close());

  it('matches percentile_cont WITHIN GROUP (ORDER BY x::float8) and reads numeric[] into the same doubles', async () => {
    const all = samples();
    const { rows } = await db.pool.query<{ i: number; xs: number[]; q: number[]; m: number }>(
      `SELECT s.i, array_agg(x) AS xs,
              percentile_cont($2::float8[]) WITHIN GROUP (ORDER BY x::float8) AS q,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY x::float8) AS m
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS s(v, i),
              LATERAL (SELECT e::numeric AS x FROM jsonb_array_elements_text(s.v) AS e) x
        GROUP BY s.i ORDER BY s.i`,
      [JSON.stringify(all), PS],
    );
    expect(rows).toHaveLength(all.length);
    for (const r of rows) {
      const sorted = sortedSample(r.xs.slice(0, Math.ceil(r.xs.length / 2)), r.xs.slice(Math.ceil(r.xs.length / 2)));
      expect(PS.map((p) => percentileCont(sorted, p))).toEqual(r.q);
      expect(percentileCont(sorted, 0.5)).toBe(r.m);
    }
  });

  it('is null for an empty sample', () => {
    expect(percentileCont(sortedSample([], null), 0.5)).toBeNull();
    expect(percentileCont(mergeSorted([sortedSample(null), sortedSample([])]), 0.5)).toBeNull();
  });

  it('merges sorted samples into the order of sorting them together (NaN last)', () => {
    let s = 3;
    const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let t = 0; t < 200; t++) {
      const parts = [0, 1, 2].map(() => Array.from({ length: Math.floor(rnd() * 20) }, () => (rnd() < 0.05 ? NaN : Math.round(rnd() * 50))));
      expect(mergeSorted(parts.map((p) => sortedSample(p)))).toEqual(sortedSample(...parts));
    }
  });
});
