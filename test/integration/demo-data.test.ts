// Demo data end to end on PostgreSQL: eight generated weeks go through the
// real ingest and snapshot, and the stored last week shows every figure of the
// reference week (test/fixtures/reference-week.json), while earlier weeks
// drift the way a live tracker does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData, type LoadDemoResult } from '../../src/demo/load.ts';
import { listWeeks, readHistory, readWeek } from '../../src/stats/snapshot.ts';
import type { RoleWeekStats, WeekStats } from '../../src/stats/types.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { checkWeekAgainstSeed, isHeadlineMove, seed } from '../support/seed-checks.ts';

const END = '2026-W47';
const WEEKS = 8;

const byRole = (w: WeekStats): Map<string, RoleWeekStats> => new Map(w.roles.map((r) => [r.role, r]));

describe('demo data on PostgreSQL', () => {
  let db: TestDatabase;
  let loaded: LoadDemoResult;
  let history: WeekStats[];
  const progress: string[] = [];

  beforeAll(async () => {
    db = await freshPostgres();
    loaded = await loadDemoData(db.pool, { weeks: WEEKS, endWeek: END, tz: 'UTC', onProgress: (m) => progress.push(m) });
    history = await readHistory(db.pool);
  }, 240_000);
  afterAll(async () => {
    await db?.close();
  });

  it('stores every generated posting and snapshots each of the weeks', async () => {
    expect(loaded.rejected).toBe(0);
    const { rows } = await db.pool.query<{ n: number; sources: string[] }>(
      `SELECT count(*)::int AS n, array_agg(DISTINCT source) AS sources FROM postings`,
    );
    expect(rows[0]!.n).toBe(loaded.postings);
    expect(rows[0]!.sources).toEqual(['demo']);
    expect(await listWeeks(db.pool)).toEqual(loaded.weeks);
    expect(loaded.weeks).toEqual(['2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', END]);
    expect(progress.filter((m) => m.includes('snapshot'))).toHaveLength(WEEKS);
  });

  it('shows every reference figure in the last week, the comparisons included', async () => {
    const last = (await readWeek(db.pool, END))!;
    expect(last.total).toBe(seed.total_positions);
    expect(checkWeekAgainstSeed(last.total, byRole(last))).toEqual([]);
    // Exact where the generator places values on percentile_cont's indices.
    const mlops = byRole(last).get('mlops-engineer')!;
    expect([mlops.p25, mlops.median, mlops.p75, mlops.mean]).toEqual([135_000, 173_000, 238_000, 193_700]);
    const aiSe = byRole(last).get('ai-software-engineer')!;
    expect([aiSe.p25, aiSe.median, aiSe.p75, aiSe.mean, aiSe.avgMin]).toEqual([203_000, 235_000, 300_000, 248_700, 140_000]);
  });

  it('drifts: AI/ML pay moves that make a headline and moves within noise; MLOps moves stay within noise', () => {
    const moves = (role: string) =>
      history.slice(1).map((w, i) => isHeadlineMove(byRole(history[i]!).get(role)!, byRole(w).get(role)!));
    expect(history).toHaveLength(WEEKS);
    const aiMl = moves('ai-ml-engineer');
    expect(aiMl[aiMl.length - 1]).toBe(true);
    expect(aiMl).toContain(false);
    expect(moves('mlops-engineer').every((m) => !m)).toBe(true);
  });

  it('drifts: positions change from week to week and some skill enters or leaves a top 8', () => {
    const changes: string[] = [];
    for (let i = 1; i < history.length; i++) {
      const prev = byRole(history[i - 1]!);
      for (const r of history[i]!.roles) {
        const before = new Set(prev.get(r.role)!.topSkills.map((s) => s.name));
        for (const s of r.topSkills) if (!before.has(s.name)) changes.push(`${history[i]!.week} ${r.role} +${s.name}`);
      }
    }
    expect(changes.length).toBeGreaterThan(0);
    const totals = history.map((w) => w.total);
    expect(new Set(totals).size).toBe(WEEKS);
    for (let i = 1; i < totals.length; i++) expect(Math.abs(totals[i]! / totals[i - 1]! - 1)).toBeLessThan(0.07);
  });

  it('loading the same week again stores nothing new and leaves its figures as they were', async () => {
    const before = await readWeek(db.pool, END);
    const again = await loadDemoData(db.pool, { weeks: 1, endWeek: END, tz: 'UTC' });
    expect(again.postings).toBe(seed.total_positions);
    const { rows } = await db.pool.query<{ n: number; changed: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE updated_at > created_at)::int AS changed FROM postings`,
    );
    expect(rows[0]).toEqual({ n: loaded.postings, changed: 0 });
    const after = await readWeek(db.pool, END);
    expect(after!.roles).toEqual(before!.roles);
  }, 60_000);
});
