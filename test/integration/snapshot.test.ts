import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { listWeeks, readHistory, readWeek, snapshotWeek } from '../../src/stats/snapshot.ts';
import type { RoleWeekStats } from '../../src/stats/types.ts';
import { weekRange } from '../../src/stats/week.ts';
import { ROLES } from '../../src/roles/catalog.ts';

// Week 2026-W47 in UTC: Monday 2026-11-16 00:00Z .. Monday 2026-11-23 00:00Z.
const W = '2026-W47';
const START = '2026-11-16T00:00:00Z';
const END = '2026-11-23T00:00:00Z';
const MID_WEEK = '2026-11-18T12:00:00Z';

interface P {
  role: string;
  company?: string;
  metro?: string | null;
  remote?: boolean;
  seniority?: 'entry' | 'mid' | 'senior';
  currency?: string | null;
  annual_min?: number | null;
  annual_max?: number | null;
  skills?: string[];
  first_seen_at?: string;
  last_seen_at?: string;
  closed_at?: string | null;
}

// A deterministic spread of pay values with ties, for the quartile checks.
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

function fixture(): P[] {
  const out: P[] = [];
  // MLOps: 20 disclosed (max 100K..195K step 5K), 2 in EUR, 1 without a maximum.
  for (let i = 0; i < 20; i++) {
    const max = 100_000 + 5_000 * i;
    out.push({
      role: 'mlops-engineer',
      annual_max: max,
      annual_min: i % 4 === 0 ? null : max - 30_000, // null minimum falls back to the maximum
      seniority: i < 3 ? 'entry' : i >= 15 ? 'senior' : 'mid',
      remote: i % 5 === 0,
      metro: ['Austin', 'San Francisco', 'Seattle'][i % 3]!,
      company: i < 8 ? 'Openkyber' : i < 11 ? 'Apple' : i < 13 ? 'Worldpay' : ['zeta', 'Beta', 'alpha', 'Gamma', 'delta', 'Eta', 'theta'][i - 13]!,
      // python 20, aws 10, Rust 10 (tie with aws: case-insensitive name order), Docker 7, k8s 7, Gcp 5, azure 5, Ray 4, mlflow 4, Spark 1
      skills: [
        'python',
        ...(i % 2 === 0 ? ['aws'] : ['Rust']),
        ...(i < 7 ? ['Docker', 'k8s'] : []),
        ...(i >= 15 ? ['Gcp', 'azure'] : []),
        ...(i >= 6 && i < 10 ? ['mlflow', 'Ray'] : []),
        ...(i === 19 ? ['Spark'] : []),
      ],
    });
  }
  out.push({ role: 'mlops-engineer', currency: 'EUR', annual_max: 500_000, annual_min: 400_000, metro: 'Berlin', company: 'Zalando' });
  out.push({ role: 'mlops-engineer', currency: 'EUR', annual_max: 450_000, metro: 'Berlin', company: 'Zalando' });
  out.push({ role: 'mlops-engineer', annual_min: 50_000, annual_max: null, metro: 'Austin', company: 'Openkyber', remote: true });

  // Prompt engineers: only 4 disclosed -> no pay figures.
  for (let i = 0; i < 4; i++) out.push({ role: 'prompt-engineer', annual_max: 120_000 + i * 1_000, remote: i === 0 });

  // AI software engineers: 37 disclosed with ties, for quartiles and the interval.
  const rnd = lcg(7);
  for (let i = 0; i < 37; i++) {
    const max = 150_000 + Math.floor(rnd() * 30) * 5_000;
    out.push({ role: 'ai-software-engineer', annual_max: max, annual_min: max - 60_000, seniority: i % 3 === 0 ? 'senior' : 'mid', metro: 'New York' });
  }

  // Other: in the total only.
  for (let i = 0; i < 3; i++) out.push({ role: 'other', annual_max: 90_000, skills: ['python'] });

  // Week edges (NLP engineers).
  out.push({ role: 'nlp-engineer', first_seen_at: END, last_seen_at: '2026-11-25T00:00:00Z' }); // first seen at W.end: not open
  out.push({ role: 'nlp-engineer', first_seen_at: '2026-11-10T00:00:00Z', last_seen_at: START }); // last seen at W.start: open
  out.push({ role: 'nlp-engineer', first_seen_at: '2026-11-10T00:00:00Z', last_seen_at: START, closed_at: '2026-11-15T23:59:00Z' }); // closed before start: not
  out.push({ role: 'nlp-engineer', first_seen_at: '2026-11-10T00:00:00Z', last_seen_at: '2026-11-20T00:00:00Z', closed_at: START }); // closed at start: never open in W
  out.push({ role: 'nlp-engineer', first_seen_at: '2026-11-01T00:00:00Z', last_seen_at: '2026-11-15T23:59:59Z' }); // all last week: not
  out.push({ role: 'nlp-engineer', first_seen_at: '2026-11-22T23:59:59Z', last_seen_at: '2026-11-30T00:00:00Z' }); // last second: open

  // Time zones (AI architects): Sunday 23:30 in New York is Monday 04:30Z (next UTC week);
  // Monday 02:00Z is still Sunday in New York (previous local week).
  out.push({ role: 'ai-architect', first_seen_at: '2026-11-23T04:30:00Z', last_seen_at: '2026-11-23T04:30:00Z', company: 'NY late' });
  out.push({ role: 'ai-architect', first_seen_at: '2026-11-16T02:00:00Z', last_seen_at: '2026-11-16T02:00:00Z', company: 'UTC early' });
  return out;
}

async function insertPostings(db: TestDatabase, ps: P[]): Promise<void> {
  const rows = ps.map((p, i) => ({
    source: 'test',
    external_id: `p${i}`,
    title: p.role,
    company: p.company ?? 'Acme',
    metro: p.metro === undefined ? 'Chicago' : p.metro,
    remote: p.remote ?? false,
    role: p.role,
    seniority: p.seniority ?? 'mid',
    currency: p.currency === undefined ? 'USD' : p.currency,
    period: 'year',
    annual_min: p.annual_min ?? null,
    annual_max: p.annual_max ?? null,
    skills: p.skills ?? [],
    first_seen_at: p.first_seen_at ?? '2026-11-17T09:00:00Z',
    last_seen_at: p.last_seen_at ?? MID_WEEK,
    closed_at: p.closed_at ?? null,
  }));
  await db.pool.query(
    `INSERT INTO postings (source, external_id, title, company, metro, remote, role, seniority, currency, period,
                           annual_min, annual_max, skills, first_seen_at, last_seen_at, closed_at)
     SELECT source, external_id, title, company, metro, remote, role, seniority, currency, period,
            annual_min, annual_max, skills, first_seen_at, last_seen_at, closed_at
       FROM jsonb_to_recordset($1::jsonb) AS r(source text, external_id text, title text, company text, metro text,
            remote boolean, role text, seniority text, currency text, period text, annual_min numeric,
            annual_max numeric, skills text[], first_seen_at timestamptz, last_seen_at timestamptz, closed_at timestamptz)`,
    [JSON.stringify(rows.map((r) => ({ ...r, skills: `{${r.skills.map((s) => `"${s}"`).join(',')}}` })))],
  );
}

// Reference computations, independent of the SQL.
function percentileCont(sorted: number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
function isOpen(p: P, start: string, end: string): boolean {
  const f = p.first_seen_at ?? '2026-11-17T09:00:00Z';
  const l = p.last_seen_at ?? MID_WEEK;
  const s = Date.parse(start);
  return Date.parse(f) < Date.parse(end) && Date.parse(l) >= s && (p.closed_at == null || Date.parse(p.closed_at) > s);
}
const disclosedOf = (ps: P[]) => ps.filter((p) => (p.currency === undefined || p.currency === 'USD') && p.annual_max != null);

describe.each(DB_KINDS)('snapshotWeek on %s', (kind) => {
  let db: TestDatabase;
  const all = fixture();
  const open = all.filter((p) => isOpen(p, START, END));
  const role = (slug: string): RoleWeekStats => {
    const r = stats.roles.find((x) => x.role === slug);
    if (!r) throw new Error(`no row for ${slug}`);
    return r;
  };
  let stats: Awaited<ReturnType<typeof snapshotWeek>>['stats'];

  beforeAll(async () => {
    db = await freshDatabase(kind);
    await insertPostings(db, all);
    stats = (await snapshotWeek(db.pool, W, 'UTC')).stats;
  });
  afterAll(async () => db?.close());

  it('stores a row for every catalog role, in catalog order, zero-position roles included', async () => {
    expect(stats.roles.map((r) => r.role)).toEqual(ROLES.map((r) => r.slug));
    const ds = role('data-scientist');
    expect(ds).toMatchObject({ positions: 0, share: 0, disclosed: 0, median: null, medianCi: null, remote: 0, remotePct: null, topSkills: [] });
    expect(stats.roles.some((r) => r.role === 'other')).toBe(false);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM role_weeks WHERE week = $1`, [W]);
    expect(rows[0].n).toBe(ROLES.length);
  });

  it('counts positions, the total (other included) and the share', () => {
    expect(stats.total).toBe(open.length);
    expect(stats.total).toBe(23 + 4 + 37 + 3 + 2 + 1);
    expect(role('mlops-engineer').positions).toBe(23);
    expect(role('mlops-engineer').share).toBeCloseTo(23 / stats.total, 12);
    const sum = stats.roles.reduce((a, r) => a + r.positions, 0);
    expect(stats.total - sum).toBe(3); // the three `other` postings
  });

  it('applies the open-in-week rule at the week edges', () => {
    // last seen exactly at W.start, first seen in the last second: open.
    // First seen exactly at W.end, closed before or exactly at W.start, seen only last week: not open.
    expect(role('nlp-engineer').positions).toBe(2);
    expect(role('ai-architect').positions).toBe(1);
    expect(role('ai-architect').topCompanies).toEqual([{ name: 'UTC early', count: 1 }]);
  });

  it('counts disclosed pay: USD with a maximum only', () => {
    const m = role('mlops-engineer');
    expect(m.disclosed).toBe(20);
    expect(m.disclosed).toBe(disclosedOf(open.filter((p) => p.role === 'mlops-engineer')).length);
  });

  it('computes avg range (minimum falls back to maximum), quartiles with percentile_cont and the mean', () => {
    const m = role('mlops-engineer');
    const maxes = Array.from({ length: 20 }, (_, i) => 100_000 + 5_000 * i);
    const mins = maxes.map((x, i) => (i % 4 === 0 ? x : x - 30_000));
    expect(m.avgMax).toBe(147_500);
    expect(m.mean).toBe(147_500);
    expect(m.avgMin).toBe(mins.reduce((a, b) => a + b, 0) / 20); // 125,000: 15 of 20 are 30K below
    expect(m.avgMin).toBe(125_000);
    expect(m.p25).toBe(123_750);
    expect(m.median).toBe(147_500);
    expect(m.p75).toBe(171_250);

    const a = role('ai-software-engineer');
    const sorted = disclosedOf(open.filter((p) => p.role === 'ai-software-engineer'))
      .map((p) => p.annual_max!)
      .sort((x, y) => x - y);
    expect(a.disclosed).toBe(37);
    expect(a.p25).toBe(percentileCont(sorted, 0.25));
    expect(a.median).toBe(percentileCont(sorted, 0.5));
    expect(a.p75).toBe(percentileCont(sorted, 0.75));
    expect(a.mean).toBeCloseTo(sorted.reduce((x, y) => x + y, 0) / 37, 6);
    expect(a.avgMin).toBeCloseTo(sorted.reduce((x, y) => x + y, 0) / 37 - 60_000, 6);
  });

  it('stores the median interval from the binomial ranks (n=20: 6th and 15th; n=37: 13th and 25th)', () => {
    expect(role('mlops-engineer').medianCi).toEqual([125_000, 170_000]);
    const sorted = disclosedOf(open.filter((p) => p.role === 'ai-software-engineer'))
      .map((p) => p.annual_max!)
      .sort((x, y) => x - y);
    expect(role('ai-software-engineer').medianCi).toEqual([sorted[12], sorted[24]]);
  });

  it('leaves pay figures and the interval out below 5 disclosed', () => {
    const p = role('prompt-engineer');
    expect(p).toMatchObject({ positions: 4, disclosed: 4, avgMin: null, avgMax: null, p25: null, median: null, mean: null, p75: null, medianCi: null });
  });

  it('computes remote share, seniority mix and pay by seniority', () => {
    const m = role('mlops-engineer');
    expect(m.remote).toBe(5); // i = 0, 5, 10, 15 and the undisclosed one
    expect(m.remotePct).toBeCloseTo(5 / 23, 12);
    expect(role('prompt-engineer').remotePct).toBe(0.25);
    expect(m.mix).toEqual({ entry: 3, mid: 12 + 3, senior: 5 });
    expect(m.bySeniority.entry).toEqual({ n: 3, median: null }); // fewer than 5
    expect(m.bySeniority.mid).toEqual({ n: 12, median: (140_000 + 145_000) / 2 }); // i = 3..14: 115K..170K
    expect(m.bySeniority.senior).toEqual({ n: 5, median: 185_000 }); // i = 15..19
  });

  it('ranks top skills, companies and metros by count, ties by name regardless of case', () => {
    const m = role('mlops-engineer');
    // Stored spellings of dictionary skills show as the dictionary spells them (python -> Python, k8s -> Kubernetes).
    expect(m.topSkills).toEqual([
      { name: 'Python', count: 20 },
      { name: 'AWS', count: 10 },
      { name: 'Rust', count: 10 },
      { name: 'Docker', count: 7 },
      { name: 'Kubernetes', count: 7 },
      { name: 'Azure', count: 5 },
      { name: 'GCP', count: 5 },
      { name: 'MLflow', count: 4 },
    ]);
    expect(m.topCompanies).toEqual([
      { name: 'Openkyber', count: 9 },
      { name: 'Apple', count: 3 },
      { name: 'Worldpay', count: 2 },
      { name: 'Zalando', count: 2 },
      { name: 'alpha', count: 1 },
    ]);
    // Remote postings count as "Remote" whatever their metro: San Francisco 7 - 1 remote, Austin 7 - 2,
    // Seattle 6 - 1, Remote 4 + the undisclosed one; ties at 5 by name: Austin, Remote, (Seattle).
    const metros = new Map<string, number>();
    for (const p of open.filter((x) => x.role === 'mlops-engineer')) {
      const k = p.remote ? 'Remote' : (p.metro ?? 'Chicago');
      metros.set(k, (metros.get(k) ?? 0) + 1);
    }
    expect(metros.get('Remote')).toBe(5);
    expect(m.topMetros).toEqual([
      { name: 'San Francisco', count: 6 },
      { name: 'Austin', count: 5 },
      { name: 'Remote', count: 5 },
    ]);
    expect(role('ai-software-engineer').topMetros).toEqual([{ name: 'New York', count: 37 }]);
  });

  it('reads the stored week back exactly as computed', async () => {
    const back = await readWeek(db.pool, W);
    expect(back).toEqual(stats);
    expect(await readWeek(db.pool, '2026-W10')).toBeUndefined();
  });

  it('replaces the week on re-snapshot with the same rows (idempotent)', async () => {
    const before = await db.pool.query(`SELECT * FROM role_weeks WHERE week = $1 ORDER BY role`, [W]);
    const again = await snapshotWeek(db.pool, W, 'UTC');
    expect(again.replaced).toBe(true);
    const after = await db.pool.query(`SELECT * FROM role_weeks WHERE week = $1 ORDER BY role`, [W]);
    expect(after.rows).toEqual(before.rows);
    const weeks = await db.pool.query(`SELECT count(*)::int AS n FROM weeks`);
    expect(weeks.rows[0].n).toBe(1);
  });

  it('uses the configured time zone for the week bounds', async () => {
    const ny = await snapshotWeek(db.pool, W, 'America/New_York');
    const range = weekRange(W, 'America/New_York');
    expect(ny.stats.start).toEqual(range.start);
    expect(ny.stats.tz).toBe('America/New_York');
    const arch = ny.stats.roles.find((r) => r.role === 'ai-architect')!;
    expect(arch.positions).toBe(1);
    expect(arch.topCompanies).toEqual([{ name: 'NY late', count: 1 }]); // Sunday 23:30 local belongs to W47 there
    const back = await readWeek(db.pool, W);
    expect(back?.tz).toBe('America/New_York');
    await snapshotWeek(db.pool, W, 'UTC');
  });

  it('lists snapshotted weeks and reads history per role', async () => {
    await snapshotWeek(db.pool, '2026-W46', 'UTC');
    await snapshotWeek(db.pool, '2026-W48', 'UTC');
    expect(await listWeeks(db.pool)).toEqual(['2026-W46', '2026-W47', '2026-W48']);
    const hist = await readHistory(db.pool, 'mlops-engineer', 2);
    expect(hist.map((w) => w.week)).toEqual(['2026-W47', '2026-W48']);
    expect(hist.every((w) => w.roles.length === 1 && w.roles[0]!.role === 'mlops-engineer')).toBe(true);
    expect(hist[0]!.roles[0]!.positions).toBe(23);
    const allWeeks = await readHistory(db.pool);
    expect(allWeeks).toHaveLength(3);
    expect(allWeeks[0]!.roles).toHaveLength(ROLES.length);
    // W48 (UTC) holds the Monday 04:30Z architect posting and the edge postings still seen then.
    expect(allWeeks[2]!.roles.find((r) => r.role === 'ai-architect')!.positions).toBe(1);
  });
});
