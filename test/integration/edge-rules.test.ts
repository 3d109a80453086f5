// The rules at the edges (docs/methodology.md, "Rules at the edges"), one
// table per rule with cases on both sides of each boundary, from feed records
// through ingest, the posting_facts triggers and the snapshot to the figures,
// words and pages, on PostgreSQL and PGlite. Every case has a week of its own
// (three weeks apart, so no case's postings reach another's week).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { ingestRecords } from '../../src/postings/ingest.ts';
import { readWeek, snapshotWeek } from '../../src/stats/snapshot.ts';
import { addWeeks, weekRange, type WeekKey } from '../../src/stats/week.ts';
import { diffWeeks } from '../../src/stats/diff.ts';
import { medianCiRanks } from '../../src/stats/median-ci.ts';
import { formatStatsTable } from '../../src/stats/format-table.ts';
import type { RoleWeekStats, WeekStats } from '../../src/stats/types.ts';
import { pairFacts } from '../../src/compare/pair-facts.ts';
import { averageTopLine } from '../../src/compare/claims.ts';
import { classifyTitle } from '../../src/roles/catalog.ts';
import { remoteShare } from '../../src/stats/figures.ts';
import { createApp } from '../../src/web/app.ts';

type Rec = Record<string, unknown>;
const TITLES = { pm: 'AI Product Manager', mlops: 'MLOps Engineer', prompt: 'Prompt Engineer' } as const;
const SLUG = { pm: 'ai-product-manager', mlops: 'mlops-engineer', prompt: 'prompt-engineer' } as const;

let nextWeek: WeekKey = '2024-W02';
const records: Rec[] = [];
const weeks: WeekKey[] = [];
let serial = 0;

/** A week of its own for one case. */
function claimWeek(): { week: WeekKey; start: number; end: number; mid: string } {
  const week = nextWeek;
  nextWeek = addWeeks(nextWeek, 3);
  weeks.push(week);
  const r = weekRange(week, 'UTC');
  return { week, start: r.start.getTime(), end: r.end.getTime(), mid: new Date(r.start.getTime() + 3 * 86_400_000).toISOString() };
}

/** A feed record seen once (or at each of `seen`), with the fields given. */
function post(role: keyof typeof TITLES, at: string | string[], extra: Rec = {}): void {
  const id = `e${++serial}`;
  for (const seen_at of Array.isArray(at) ? at : [at]) records.push({ external_id: id, title: TITLES[role], company: 'Acme', seen_at, ...extra });
}
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

// ---- 1. Remote pick on exact shares (REMOTE_PICK_POINTS) -------------------
const remoteCases = [
  { remote: [20, 100, 10, 100], pick: SLUG.pm, printed: [20, 10] }, // exactly 10 points
  { remote: [20, 100, 11, 100], pick: null, printed: [20, 11] },
  { remote: [107, 594, 48, 598], pick: null, printed: [18, 8] }, // 9.987 points, printed 10 apart
  { remote: [108, 594, 48, 598], pick: SLUG.pm, printed: [18, 8] }, // 10.155 points
].map((c) => {
  const w = claimWeek();
  const [ra, pa, rb, pb] = c.remote as [number, number, number, number];
  for (let i = 0; i < pa; i++) post('pm', w.mid, { remote: i < ra });
  for (let i = 0; i < pb; i++) post('mlops', w.mid, { remote: i < rb });
  return { ...c, week: w.week };
});

// ---- 2. Similar pay within $5,000, inclusive (SIMILAR_PAY_DOLLARS) ---------
const payCases = [
  { means: [200_000, 195_000], kind: 'similar' },
  { means: [200_000, 195_001], kind: 'similar' },
  { means: [200_000, 194_999], kind: 'higher' },
  { means: [194_000, 200_000], kind: 'higher' },
].map((c) => {
  const w = claimWeek();
  // Five disclosed salaries each (the minimum for pay figures), centred on the mean.
  for (const [role, mean] of [['pm', c.means[0]!], ['mlops', c.means[1]!]] as const) {
    for (const d of [-2_000, -1_000, 0, 1_000, 2_000]) post(role, w.mid, { salary_max: mean + d });
  }
  return { ...c, week: w.week };
});

// ---- 3. Ties by name and one spelling per name (TOP_LIMITS) ----------------
const tieCases = [
  // All tied: case-insensitive order keeps austin, Boston, chicago; code point order would keep Boston, Denver, austin.
  { field: 'metro', spellings: { austin: 2, Boston: 2, chicago: 2, Denver: 2 }, top: [['austin', 2], ['Boston', 2], ['chicago', 2]] },
  // The example: "boston" and "Chicago" kept, "Remote" (the remote postings) dropped at the cut;
  // code point order would keep Chicago and Remote and drop boston.
  { field: 'metro', spellings: { Austin: 4, boston: 3, Chicago: 3, Remote: 3 }, top: [['Austin', 4], ['boston', 3], ['Chicago', 3]] },
  // One metro whatever the case: the spelling most postings use, ties by exact code point ("Boston" < "boston").
  { field: 'metro', spellings: { boston: 2, Boston: 2, Austin: 3 }, top: [['Boston', 4], ['Austin', 3]] },
  { field: 'metro', spellings: { boston: 3, Boston: 1, BOSTON: 1, Austin: 4 }, top: [['boston', 5], ['Austin', 4]] },
  // Employers too: runs of spaces count as one, a missing space does not ("openkyber" is another name).
  { field: 'company', spellings: { 'Open  Kyber': 1, 'open kyber': 2, openkyber: 1, Acme: 3 }, top: [['Acme', 3], ['open kyber', 3], ['openkyber', 1]] },
].map((c) => {
  const w = claimWeek();
  for (const [name, n] of Object.entries(c.spellings)) {
    for (let i = 0; i < n; i++) post('prompt', w.mid, c.field === 'metro' && name === 'Remote' ? { remote: true } : { [c.field]: name });
  }
  return { ...c, week: w.week };
});

// ---- 4. Open in a week: half-open on both ends -----------------------------
type Bounds = { start: number; end: number };
type OpenCase = { name: string; seen: (w: Bounds) => number[]; closed?: (w: Bounds) => number; open: boolean };
const openCases = (<OpenCase[]>[
  { name: 'closed exactly at W start', seen: (w) => [w.start - DAY, w.start + DAY], closed: (w) => w.start, open: false },
  { name: 'closed 1 ms after W start', seen: (w) => [w.start - DAY, w.start + DAY], closed: (w) => w.start + 1, open: true },
  { name: 'closed 1 s before W start', seen: (w) => [w.start - DAY, w.start], closed: (w) => w.start - 1_000, open: false },
  { name: 'last seen exactly at W start', seen: (w) => [w.start - DAY, w.start], open: true },
  { name: 'last seen 1 ms before W start', seen: (w) => [w.start - DAY, w.start - 1], open: false },
  { name: 'first seen exactly at W end', seen: (w) => [w.end, w.end + DAY], open: false },
  { name: 'first seen 1 ms before W end', seen: (w) => [w.end - 1], open: true },
  { name: 'closed at W end, seen in W', seen: (w) => [w.start + DAY], closed: (w) => w.end, open: true },
]).map((c) => {
  const w = claimWeek();
  post('prompt', c.seen(w).map(iso), c.closed ? { closed_at: iso(c.closed(w)) } : {});
  return { ...c, week: w.week };
});

// ---- 5. Touching median intervals overlap (never "apart") ------------------
const N = 15;
const ranks = medianCiRanks(N)!;
const paysWithFloor = (floor: number, top: number) => Array.from({ length: N }, (_, i) => (i < ranks.lower ? floor : top));
const intervalCases = [
  // Last week every salary 100K: interval [100K, 100K]. This week the interval starts at the lower rank's value.
  { name: 'touching: this week starts where last week ends', prev: Array(N).fill(100_000), cur: paysWithFloor(100_000, 150_000), headline: false },
  { name: 'apart by one dollar', prev: Array(N).fill(100_000), cur: paysWithFloor(100_001, 150_000), headline: true },
  { name: 'overlapping', prev: Array(N).fill(120_000), cur: paysWithFloor(100_000, 150_000), headline: false },
].map((c) => {
  const prev = claimWeek();
  const cur = claimWeek();
  for (const pay of c.prev) post('prompt', prev.mid, { salary_max: pay });
  for (const pay of c.cur) post('prompt', cur.mid, { salary_max: pay });
  return { ...c, prevWeek: prev.week, week: cur.week };
});

// ---- 6. Skill display names ------------------------------------------------
const skillCases = [
  { lists: [['DBT'], ['dbt'], ['Dbt']], shown: 'dbt', count: 3 },
  { lists: [['Spacy'], ['SPACY']], shown: 'spaCy', count: 2 },
  { lists: [['weaviate'], ['weaviate'], ['Weaviate']], shown: 'weaviate', count: 3 },
  { lists: [['Weaviate'], ['weaviate']], shown: 'Weaviate', count: 2 },
  { lists: [['gRPC'], ['grpc'], ['gRPC']], shown: 'gRPC', count: 3 },
].map((c) => {
  const w = claimWeek();
  for (const skills of c.lists) post('prompt', w.mid, { skills });
  return { ...c, week: w.week };
});

// ---- 7. A role with no postings shows "no postings" ------------------------
const emptyCase = (() => {
  const w = claimWeek();
  post('mlops', w.mid, { remote: false }); // MLOps: one posting, none remote: 0%, a real share
  return { week: w.week };
})();

describe.each(DB_KINDS)('rules at the edges on %s', (kind) => {
  let db: TestDatabase;
  const stats = new Map<WeekKey, WeekStats>();
  const role = (week: WeekKey, slug: string): RoleWeekStats => stats.get(week)!.roles.find((r) => r.role === slug)!;

  beforeAll(async () => {
    for (const [k, title] of Object.entries(TITLES)) expect(classifyTitle(title)).toBe(SLUG[k as keyof typeof SLUG]);
    db = await freshDatabase(kind);
    const res = await ingestRecords(db.pool, records);
    expect(res.rejected).toBe(0);
    for (const w of weeks) {
      await snapshotWeek(db.pool, w, 'UTC');
      stats.set(w, (await readWeek(db.pool, w))!);
    }
  }, 120_000);
  afterAll(async () => db?.close());

  it.each(remoteCases)('remote pick: $remote -> $pick', (c) => {
    const f = pairFacts(role(c.week, SLUG.pm), role(c.week, SLUG.mlops), stats.get(c.week)!.total);
    expect(f.remote.pick).toBe(c.pick);
    expect([f.remote.a, f.remote.b]).toEqual(c.printed);
  });

  it.each(payCases)('similar pay: means $means -> $kind', (c) => {
    const a = role(c.week, SLUG.pm);
    const b = role(c.week, SLUG.mlops);
    expect([a.mean, b.mean]).toEqual(c.means);
    const f = pairFacts(a, b, stats.get(c.week)!.total);
    expect(f.pay.kind).toBe(c.kind);
    expect(averageTopLine(f, a, b)).toMatch(c.kind === 'similar' ? /within \$5K/ : /% higher, \$\d+K above /);
  });

  it.each(tieCases)('top $field list of $spellings', (c) => {
    const r = role(c.week, SLUG.prompt);
    const list = c.field === 'metro' ? r.topMetros : r.topCompanies;
    expect(list.map((x) => [x.name, x.count]).slice(0, c.top.length)).toEqual(c.top);
  });

  it.each(openCases)('open in week: $name -> $open', (c) => {
    expect(role(c.week, SLUG.prompt).positions).toBe(c.open ? 1 : 0);
    expect(stats.get(c.week)!.total).toBe(c.open ? 1 : 0);
  });

  it.each(intervalCases)('median intervals, $name -> apart $headline', (c) => {
    const cur = role(c.week, SLUG.prompt);
    const prev = role(c.prevWeek, SLUG.prompt);
    expect([cur.disclosed, prev.disclosed]).toEqual([N, N]);
    if (c.name.startsWith('touching')) expect(cur.medianCi![0]).toBe(prev.medianCi![1]);
    const d = diffWeeks(stats.get(c.week)!, stats.get(c.prevWeek)!).roles.find((x) => x.role === SLUG.prompt)!;
    // The headline now rests on the like-for-like change (headline-rule.ts); the intervals decide "apart".
    expect(d.pay!.intervalsApart).toBe(c.headline);
  });

  it.each(skillCases)('skill spelled $lists shows as $shown', async (c) => {
    expect(role(c.week, SLUG.prompt).topSkills).toEqual([{ name: c.shown, count: c.count }]);
  });

  it('stores and shows "no postings" for a role without postings, 0% for one with postings but none remote', async () => {
    const empty = role(emptyCase.week, SLUG.pm);
    const some = role(emptyCase.week, SLUG.mlops);
    expect(empty).toMatchObject({ positions: 0, remote: 0, remotePct: null });
    expect(some).toMatchObject({ positions: 1, remote: 0, remotePct: 0 });
    const { rows } = await db.pool.query(`SELECT role, remote_pct FROM role_weeks WHERE week = $1 AND role = ANY($2) ORDER BY role`, [emptyCase.week, [SLUG.pm, SLUG.mlops]]);
    expect(rows).toEqual([{ role: SLUG.pm, remote_pct: null }, { role: SLUG.mlops, remote_pct: 0 }]);
    expect([remoteShare(empty), remoteShare(some)]).toEqual(['no postings', '0%']);
    expect(pairFacts(empty, some, 1).remote).toEqual({ a: null, b: 0, pick: null });
    const table = formatStatsTable(stats.get(emptyCase.week)!, diffWeeks(stats.get(emptyCase.week)!, undefined));
    const line = (name: string) => table.split('\n').find((l) => l.startsWith(name))!;
    // The empty role: its 0% share of the week's total, no remote share, "no postings this week"; MLOps: 0% remote.
    expect(line('AI Product Manager')).toMatch(/^AI Product Manager +0 +0% +no postings this week$/);
    expect(line('MLOps Engineer')).toMatch(/ 100% .* 0% +0\/100\/0 /);
    const app = createApp({ pool: db.pool, config: { publicUrl: 'http://digest.test' }, freshnessMs: 0 });
    const page = await (await app.request(`/roles/${SLUG.pm}?week=${emptyCase.week}`)).text();
    expect(page).toContain('remote share: <b>no postings</b>');
    expect(page).toMatch(/<th scope="row">Remote<\/th>\s*<td class="num">no postings<\/td>/);
  });

  // ---- 8. Canonical pair order: catalog order, the other order redirects ----
  it.each([
    [SLUG.prompt, SLUG.mlops, null],
    [SLUG.mlops, SLUG.prompt, `/compare/${SLUG.prompt}-vs-${SLUG.mlops}`],
    [SLUG.mlops, SLUG.pm, null],
    [SLUG.pm, SLUG.mlops, `/compare/${SLUG.mlops}-vs-${SLUG.pm}`],
  ])('/compare/%s-vs-%s redirects to %s', async (a, b, location) => {
    const app = createApp({ pool: db.pool, config: { publicUrl: 'http://digest.test' }, freshnessMs: 0 });
    const res = await app.request(`/compare/${a}-vs-${b}?week=${emptyCase.week}`);
    if (location === null) expect(res.status).toBe(200);
    else {
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(`${location}?week=${emptyCase.week}`);
    }
  });
});
