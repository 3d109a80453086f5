// The demo generator, checked without a database: its records go through the
// real feed normalisation, and the week's figures are computed here in memory
// by docs/methodology.md's definitions (the integration test checks the stored snapshot).
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoWeeks, type DemoWeek, type FeedRecord } from '../../src/demo/generate.ts';
import { LAST_WEEK, profileForWeek } from '../../src/demo/profile.ts';
import { ENTRY_WORDS, SENIOR_WORDS } from '../../src/demo/vocabulary.ts';
import { normalizeRecord, type PostingRow } from '../../src/postings/normalize.ts';
import { extractSkills } from '../../src/postings/skills.ts';
import { classifyTitle } from '../../src/roles/catalog.ts';
import { medianCi } from '../../src/stats/median-ci.ts';
import type { NameCount } from '../../src/stats/types.ts';
import { checkWeekAgainstSeed, isHeadlineMove, type Figures } from '../support/seed-checks.ts';

const END = '2026-W47';
const WEEKS = 8;

function percentileCont(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function top(names: Iterable<string>, k: number): NameCount[] {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const key = (s: string) => s.toLowerCase();
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (key(a[0]) < key(b[0]) ? -1 : key(a[0]) > key(b[0]) ? 1 : a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([name, count]) => ({ name, count }));
}

type Row = Pick<PostingRow, 'role' | 'currency' | 'annualMin' | 'annualMax' | 'remote' | 'metro' | 'seniority' | 'skills' | 'company'>;

const roleOfTitle = new Map<string, string>();
/** A feed record read the way ingest reads it, cheaply (for the earlier weeks; the last week goes through normalizeRecord). */
function quickRow(r: FeedRecord): Row {
  let role = roleOfTitle.get(r.title);
  if (role === undefined) roleOfTitle.set(r.title, (role = classifyTitle(r.title)));
  const f = r.period === 'hour' ? 2080 : 1;
  return {
    role,
    currency: r.currency,
    annualMin: r.salary_min === null ? null : r.salary_min * f,
    annualMax: r.salary_max === null ? null : r.salary_max * f,
    remote: r.remote,
    metro: r.metro,
    seniority: r.seniority,
    skills: r.skills,
    company: r.company,
  };
}

/** Figures of one week's postings by docs/methodology.md's definitions. */
function figuresOf(rows: readonly Row[]): { total: number; roles: Map<string, Figures> } {
  const byRole = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byRole.get(r.role);
    if (list) list.push(r);
    else byRole.set(r.role, [r]);
  }
  const roles = new Map<string, Figures>();
  for (const [role, list] of byRole) {
    const paid = list.filter((r) => r.currency === 'USD' && r.annualMax !== null);
    const maxima = paid.map((r) => r.annualMax!).sort((a, b) => a - b);
    const minima = paid.map((r) => r.annualMin ?? r.annualMax!);
    const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const pay = maxima.length >= 5;
    roles.set(role, {
      positions: list.length,
      disclosed: paid.length,
      avgMin: pay ? avg(minima) : null,
      avgMax: pay ? avg(maxima) : null,
      p25: pay ? percentileCont(maxima, 0.25) : null,
      median: pay ? percentileCont(maxima, 0.5) : null,
      mean: pay ? avg(maxima) : null,
      p75: pay ? percentileCont(maxima, 0.75) : null,
      medianCi: medianCi(maxima) ?? null,
      remote: list.filter((r) => r.remote).length,
      mix: {
        entry: list.filter((r) => r.seniority === 'entry').length,
        mid: list.filter((r) => r.seniority === 'mid').length,
        senior: list.filter((r) => r.seniority === 'senior').length,
      },
      topSkills: top(list.flatMap((r) => r.skills), 8),
      topCompanies: top(list.map((r) => r.company), 5),
      topMetros: top(list.map((r) => (r.remote ? 'Remote' : r.metro ?? '')).filter((m) => m !== ''), 3),
    });
  }
  return { total: rows.length, roles };
}

function normalizeAll(week: DemoWeek): PostingRow[] {
  return week.records.map((rec, i) => {
    const res = normalizeRecord(rec);
    if (!res.ok) throw new Error(`${week.week} record ${i + 1} rejected: ${res.reason}`);
    return res.row;
  });
}

function digest(weeks: Iterable<DemoWeek>): string {
  const h = createHash('sha256');
  for (const w of weeks) for (const r of w.records) h.update(JSON.stringify(r)).update('\n');
  return h.digest('hex');
}

describe('demo titles', () => {
  it('every title, at every level, classifies to the role it was written for', () => {
    for (const p of LAST_WEEK.roles) {
      for (const base of p.titles) {
        for (const title of [base, ...SENIOR_WORDS.map((w) => `${w} ${base}`), ...ENTRY_WORDS.map((w) => `${w} ${base}`)]) {
          expect(`${title} -> ${classifyTitle(title)}`).toBe(`${title} -> ${p.role}`);
        }
      }
    }
  });
});

describe('demo data generator', () => {
  let weeks: DemoWeek[];
  let lastRows: PostingRow[];
  let figures: Array<{ week: string; total: number; roles: Map<string, Figures> }>;

  beforeAll(() => {
    weeks = [...generateDemoWeeks({ weeks: WEEKS, endWeek: END, tz: 'UTC' })];
    lastRows = normalizeAll(weeks[weeks.length - 1]!);
    figures = weeks.map((w, i) => ({ week: w.week, ...figuresOf(i === weeks.length - 1 ? lastRows : w.records.map(quickRow)) }));
  });

  it('covers the asked weeks, oldest first, each posting seen inside its week and nowhere else', () => {
    expect(weeks.map((w) => w.week)).toEqual(['2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47']);
    const ids = new Set<string>();
    for (const w of weeks) {
      const [start, end] = [weekStart(w.week), weekStart(nextWeek(w.week))];
      const outside = w.records.filter((r) => !(r.seen_at >= start && r.seen_at < end));
      expect(outside).toEqual([]);
      for (const r of w.records) ids.add(`${r.source}/${r.external_id}`);
    }
    expect(ids.size).toBe(weeks.reduce((s, w) => s + w.records.length, 0));
  });

  it('reproduces every figure of the reference week in its last week', () => {
    const last = figures[figures.length - 1]!;
    expect(checkWeekAgainstSeed(last.total, last.roles)).toEqual([]);
  });

  it('keeps feed values as sent: role, seniority and skills survive normalisation; descriptions name only the posting\'s skills', () => {
    const w = weeks[weeks.length - 1]!;
    const wrong: string[] = [];
    for (const [i, rec] of w.records.entries()) {
      const row = lastRows[i]!;
      const id = rec.external_id;
      if (row.seniority !== rec.seniority) wrong.push(`${id} seniority ${row.seniority}`);
      if (row.skills.join('|') !== rec.skills.join('|') || rec.skills.length === 0) wrong.push(`${id} skills ${row.skills.join(',')}`);
      if (row.role !== quickRow(rec).role) wrong.push(`${id} role ${row.role}`);
      // Titles may name a skill ("MLOps Engineer"); ingest reads text only when the skills list is empty, which it never is here.
      for (const s of extractSkills(rec.description)) if (!rec.skills.includes(s)) wrong.push(`${id} mentions ${s}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    const hourly = w.records.filter((r) => r.period === 'hour');
    expect(hourly.length).toBeGreaterThan(100);
    const foreign = w.records.filter((r) => r.currency !== null && r.currency !== 'USD');
    expect(foreign.length).toBeGreaterThan(50);
  });

  it('drifts: AI/ML median moves that pass the headline rule and moves that do not', () => {
    const moves = figures.slice(1).map((f, i) => isHeadlineMove(figures[i]!.roles.get('ai-ml-engineer')!, f.roles.get('ai-ml-engineer')!));
    expect(moves).toContain(true);
    expect(moves).toContain(false);
    // Last week vs the one before is the headline (3%).
    expect(moves[moves.length - 1]).toBe(true);
    // MLOps has ~34 disclosed postings: its pay moves stay within noise.
    const mlops = figures.slice(1).map((f, i) => isHeadlineMove(figures[i]!.roles.get('mlops-engineer')!, f.roles.get('mlops-engineer')!));
    expect(mlops.every((m) => !m)).toBe(true);
  });

  it('drifts: positions move by a few percent a week, and some skill enters or leaves a top 8', () => {
    let entered = 0;
    for (let i = 1; i < figures.length; i++) {
      for (const [role, f] of figures[i]!.roles) {
        const prev = figures[i - 1]!.roles.get(role)!;
        if (f.positions >= 500) expect(Math.abs(f.positions / prev.positions - 1)).toBeLessThan(0.07);
        const before = new Set(prev.topSkills.map((s) => s.name));
        entered += f.topSkills.filter((s) => !before.has(s.name)).length;
      }
    }
    expect(entered).toBeGreaterThan(0);
    const totals = figures.map((f) => f.total);
    expect(new Set(totals).size).toBe(totals.length);
  });

  it('is deterministic: the same arguments give byte-identical records, another seed other records', () => {
    const again = digest(generateDemoWeeks({ weeks: 2, endWeek: END, tz: 'UTC' }));
    expect(again).toBe(digest(weeks.slice(-2)));
    expect(digest(generateDemoWeeks({ weeks: 2, endWeek: END, tz: 'UTC', seed: 'other' }))).not.toBe(again);
  });

  it('has a drift path for every week back, also beyond eight', () => {
    for (let k = 0; k < 30; k++) expect(profileForWeek(k).roles.length).toBe(LAST_WEEK.roles.length);
    const far = [...generateDemoWeeks({ weeks: 1, endWeek: '2026-W10', tz: 'Europe/Berlin' })];
    expect(far[0]!.records.length).toBe(26_159);
  });
});

function weekStart(key: string): string {
  // ISO week start in UTC, via the shared week helpers' definition: Monday 00:00.
  return weekRangeUtc(key).toISOString();
}
function nextWeek(key: string): string {
  return addWeeksKey(key, 1);
}
import { addWeeks as addWeeksKey, weekRange } from '../../src/stats/week.ts';
function weekRangeUtc(key: string): Date {
  return weekRange(key, 'UTC').start;
}
