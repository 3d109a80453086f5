// Like-for-like pay change end to end: postings ingested into a real
// database, two weeks snapshotted (the change and its bootstrap interval are
// stored with the snapshot), the digest composed from what was stored.
// Constructed mix shifts in both directions (issue 14's acceptance).
import { afterEach, describe, expect, it } from 'vitest';
import { composeIssue } from '../../src/digest/compose.ts';
import { ingestRecords } from '../../src/postings/ingest.ts';
import { readWeek, snapshotWeek } from '../../src/stats/snapshot.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';

const PREV = '2026-W46'; // 9-15 Nov 2026
const CUR = '2026-W47'; // 16-22 Nov 2026

/** n pays evenly spread over [lo, hi]. */
const grid = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => Math.round(lo + ((hi - lo) * (i + 0.5)) / n));

interface Batch {
  week: 'prev' | 'cur';
  seniority: 'mid' | 'senior';
  pays: number[];
}

function records(batches: Batch[]) {
  let id = 0;
  return batches.flatMap((b) =>
    b.pays.map((pay) => ({
      external_id: String(++id),
      title: b.seniority === 'senior' ? 'Senior Data Engineer' : 'Data Engineer',
      seniority: b.seniority,
      company: `Company ${id % 17}`,
      location: 'Austin, TX',
      salary_max: pay,
      currency: 'USD',
      // Seen on one day of its week only: open in that week, not the other.
      seen_at: b.week === 'prev' ? '2026-11-11T10:00:00Z' : '2026-11-18T10:00:00Z',
    })),
  );
}

const MID: [number, number] = [140_000, 170_000];
const SENIOR: [number, number] = [165_000, 230_000];
const up = (r: [number, number], f: number): [number, number] => [r[0] * f, r[1] * f];

for (const kind of DB_KINDS) {
  // PGlite opens and migrates slowly on a busy machine: a generous timeout per test.
  describe(`like-for-like pay change on ${kind}`, { timeout: 240_000 }, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.close();
      db = undefined;
    });

    async function run(batches: Batch[]) {
      db = await freshDatabase(kind);
      await ingestRecords(db.pool, records(batches), { source: 'lfl' });
      await snapshotWeek(db.pool, PREV, 'UTC');
      await snapshotWeek(db.pool, CUR, 'UTC');
      const previous = (await readWeek(db.pool, PREV))!;
      const current = (await readWeek(db.pool, CUR))!;
      const issue = composeIssue({ week: CUR, current, previous, history: [previous, current], publicUrl: 'https://digest.example' });
      const role = (w: typeof current) => w.roles.find((r) => r.role === 'data-engineer')!;
      return { issue, cur: role(current), prev: role(previous) };
    }

    it('a median up ~5% only from a shift to senior postings: no headline, and the mix sentence says so', async () => {
      const { issue, cur, prev } = await run([
        { week: 'prev', seniority: 'mid', pays: grid(140, ...MID) },
        { week: 'prev', seniority: 'senior', pays: grid(60, ...SENIOR) },
        { week: 'cur', seniority: 'mid', pays: grid(100, ...MID) },
        { week: 'cur', seniority: 'senior', pays: grid(100, ...SENIOR) },
      ]);
      const raw = (cur.median! / prev.median! - 1) * 100;
      expect(raw).toBeGreaterThan(4);
      expect(raw).toBeLessThan(7);
      const lfl = cur.likeForLike!;
      expect(lfl).toMatchObject({ cells: 2, excludedCells: 0, n: { current: 200, previous: 200 }, draws: 1000 });
      expect(lfl.ci![0]).toBeLessThanOrEqual(0);
      expect(lfl.ci![1]).toBeGreaterThanOrEqual(0);
      expect(issue.headline.kind).toBe('total');
      const row = issue.shifts.find((r) => r.role === 'data-engineer')!;
      expect(row.payMove).toBe('noise');
      // The sentence prints the raw change as the change column does (+4.4%).
      expect(row.medianChangeText).toMatch(/\(\+4\.4%\)$/);
      expect(row.noteText).toContain('The median rose 4.4%, but like for like there is no clear change: this week’s postings were more senior (senior 50% of postings with pay, against 30%).');
      expect(issue.movers.filter((m) => m.kind === 'pay')).toEqual([]);
    });

    it('pay up in every cell with the mix shifted down (raw median flat): a like-for-like headline', async () => {
      const { issue, cur, prev } = await run([
        { week: 'prev', seniority: 'mid', pays: grid(100, ...MID) },
        { week: 'prev', seniority: 'senior', pays: grid(100, ...SENIOR) },
        { week: 'cur', seniority: 'mid', pays: grid(150, ...up(MID, 1.06)) },
        { week: 'cur', seniority: 'senior', pays: grid(50, ...up(SENIOR, 1.06)) },
      ]);
      const raw = (cur.median! / prev.median! - 1) * 100;
      expect(Math.abs(raw)).toBeLessThan(2);
      expect(raw).not.toBe(0);
      const lfl = cur.likeForLike!;
      expect(lfl.change!).toBeCloseTo(6, 0);
      expect(lfl.ci![0]).toBeGreaterThan(0);
      expect(issue.headline.kind).toBe('pay-move');
      if (issue.headline.kind !== 'pay-move') return;
      expect(issue.headline.role).toBe('data-engineer');
      expect(issue.headline.text).toMatch(/like for like up 6(\.\d)?%/);
    });

    it('stores the same interval for the same postings (seeded), and leaves out thin cells with a count', async () => {
      const batches: Batch[] = [
        { week: 'prev', seniority: 'mid', pays: grid(40, ...MID) },
        { week: 'prev', seniority: 'senior', pays: grid(4, ...SENIOR) },
        { week: 'cur', seniority: 'mid', pays: grid(45, ...up(MID, 1.02)) },
        { week: 'cur', seniority: 'senior', pays: grid(9, ...SENIOR) },
      ];
      const first = (await run(batches)).cur.likeForLike;
      await db!.close();
      const again = (await run(batches)).cur.likeForLike;
      expect(again).toEqual(first);
      expect(first).toMatchObject({ cells: 1, excludedCells: 1, excluded: { current: 9, previous: 4 }, n: { current: 45, previous: 40 } });
      const resnap = await snapshotWeek(db!.pool, CUR, 'UTC');
      expect(resnap.stats.roles.find((r) => r.role === 'data-engineer')!.likeForLike).toEqual(first);
    });
  });
}
