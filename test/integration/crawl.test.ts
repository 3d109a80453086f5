// Crawling the fake job-board server with the real HTTP client into real
// PostgreSQL: mapping (roles, pay, remote), politeness (User-Agent, one
// request a second per host, 429 with Retry-After), failing boards reported
// and never stopping the others, open / closed / reopened postings, the same
// job on two sources counted once, and two processes crawling one board.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { startFakeJobBoards, greenhouseJob, leverPosting, type FakeJobBoards } from '../support/fake-job-boards.ts';
import { GREENHOUSE_JOBS, serveBoards } from '../support/job-board-fixtures.ts';
import { runCli } from '../support/run-cli.ts';
import { crawlSources, type CrawlResult } from '../../src/sources/crawl.ts';
import { PoliteFetcher } from '../../src/sources/http.ts';
import { addSource, getSource, listSources, removeSource } from '../../src/sources/store.ts';
import { snapshotWeek } from '../../src/stats/snapshot.ts';
import { weekKeyOf, weekRange } from '../../src/stats/week.ts';
import { exportLines } from '../../src/postings/classified.ts';

const PUBLIC_URL = 'https://digest.example.org';
const log = pino({ level: 'silent' });
let db: TestDatabase;
let fake: FakeJobBoards;
let fetcher: PoliteFetcher;

beforeAll(async () => {
  db = await freshPostgres();
  fake = await startFakeJobBoards();
  for (const s of serveBoards(fake, { slowMs: 3_000 })) await addSource(db.pool, s);
  fetcher = new PoliteFetcher({ publicUrl: PUBLIC_URL, timeoutMs: 1_000 });
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await db?.close();
});

async function posting(source: string, id: string) {
  const { rows } = await db.pool.query(
    `SELECT title, company, location, metro, remote, role, seniority, salary_min::float8 AS min, salary_max::float8 AS max, currency, period,
            annual_min::float8 AS annual_min, annual_max::float8 AS annual_max, pay_from, skills, description, closed_at, last_seen_at, duplicate_of, id
       FROM postings WHERE source = $1 AND external_id = $2`,
    [source, id],
  );
  return rows[0];
}
const crawl = (only?: string) => crawlSources(db.pool, { fetcher, log, only });
const byName = (rs: CrawlResult[]) => Object.fromEntries(rs.map((r) => [r.source, r]));

describe('crawling public job boards', () => {
  it('maps every board, reports the failing ones and keeps going, politely', async () => {
    const started = fake.requests.length;
    const r = byName(await crawl());
    expect(r['greenhouse:acme']).toMatchObject({ outcome: 'ok', complete: true, listed: 4, new: 4, closed: 0, open: 4 });
    expect(r['lever:leverco']).toMatchObject({ outcome: 'ok', listed: 3, new: 3, open: 3 });
    expect(r['ashby:ashco']).toMatchObject({ outcome: 'ok', listed: 3, new: 3, open: 3 });
    expect(r['lever:busy']).toMatchObject({ outcome: 'ok', listed: 1, new: 1 });
    expect(r['greenhouse:gone']).toMatchObject({ outcome: 'failed' });
    expect(r['greenhouse:gone']!.error).toContain('404');
    expect(r['ashby:broken']).toMatchObject({ outcome: 'failed', error: 'HTTP 500 after 4 attempts' });
    expect(r['greenhouse:slow']).toMatchObject({ outcome: 'failed', error: 'no answer within 1 s' });

    // Greenhouse: two pay zones -> the lowest minimum and the highest maximum; HTML-escaped content decoded to text.
    const ml = await posting('greenhouse:acme', '101');
    expect(ml).toMatchObject({ company: 'Acme AI', metro: 'San Francisco', remote: false, role: 'ai-ml-engineer', seniority: 'senior', min: 180_000 - 30_000, max: 240_000, currency: 'USD', period: 'year', pay_from: 'fields' });
    expect(ml.description).toContain("At Acme & friends we train LLMs.");
    expect(ml.description).toContain("What you'll do");
    expect(ml.description).not.toMatch(/[<>]|&amp;|&lt;|&#39;/);
    expect(ml.skills).toEqual(expect.arrayContaining(['PyTorch', 'Kubernetes']));
    // Pay read from the description when there is no structured pay (entities and a dash between figures).
    expect(await posting('greenhouse:acme', '102')).toMatchObject({ role: 'data-scientist', remote: true, metro: null, min: 130_000, max: 160_000, currency: 'USD', period: 'year', pay_from: 'text' });
    expect(await posting('greenhouse:acme', '103')).toMatchObject({ seniority: 'entry', min: 50, max: 70, period: 'hour', annual_min: 104_000, annual_max: 145_600, pay_from: 'fields' });
    // Funding is not pay.
    expect(await posting('greenhouse:acme', '104')).toMatchObject({ role: 'prompt-engineer', min: null, max: null, currency: null, period: null, pay_from: null });

    // Lever: salaryRange per year / per month, workplaceType remote, pay from text (stipend ignored).
    expect(await posting('lever:leverco', 'a1b2c3d4-0001')).toMatchObject({ company: 'Lever Co', remote: true, role: 'ai-ml-engineer', seniority: 'senior', min: 200_000, max: 260_000, period: 'year', pay_from: 'fields' });
    expect(await posting('lever:leverco', 'a1b2c3d4-0002')).toMatchObject({ remote: false, metro: 'Austin', min: 10_000, max: 12_000, period: 'month', annual_min: 120_000, annual_max: 144_000 });
    expect(await posting('lever:leverco', 'a1b2c3d4-0003')).toMatchObject({ role: 'data-engineer', remote: false, min: 50, max: 70, period: 'hour', pay_from: 'text' });

    // Ashby: only Salary components are pay, across tiers; equity alone is no pay; isRemote; the board names the company.
    expect(await posting('ashby:ashco', 'ash-1')).toMatchObject({ company: 'ashco', remote: true, role: 'ai-ml-engineer', min: 170_000, max: 220_000, currency: 'USD', period: 'year' });
    expect(await posting('ashby:ashco', 'ash-2')).toMatchObject({ role: 'ml-research-scientist', metro: 'Seattle', min: 60, max: 80, period: 'hour' });
    expect(await posting('ashby:ashco', 'ash-3')).toMatchObject({ role: 'mlops-engineer', remote: false, min: null, max: null, pay_from: null });

    // Politeness: the service's User-Agent with its public URL; one request a second to the one host; Retry-After honoured.
    const mine = fake.requests.slice(started);
    expect(mine.length).toBeGreaterThanOrEqual(7 + 1 + 3);
    for (const q of mine) expect(q.userAgent).toContain(PUBLIC_URL);
    // The client starts requests to one host 1,000 ms apart; arrival times on a loaded machine jitter (one
    // recorded late shortens the next gap), so each gap has slack and the whole run none to speak of.
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(750);
    expect(mine.at(-1)!.at - mine[0]!.at).toBeGreaterThanOrEqual((mine.length - 1) * 1000 - 100);
    const busy = mine.filter((q) => q.path.startsWith('/v0/postings/busy'));
    expect(busy.map((q) => q.status)).toEqual([429, 200]);
    expect(busy[1]!.at - busy[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(mine.filter((q) => q.path.startsWith('/posting-api/job-board/broken')).map((q) => q.status)).toEqual([500, 500, 500, 500]);

    // `sources list` shows the outcome, counts and the last error.
    const gone = await getSource(db.pool, 'greenhouse:gone');
    expect(gone).toMatchObject({ outcome: 'failed', okAt: null });
    expect(gone!.lastError).toContain('404');
    expect(await getSource(db.pool, 'greenhouse:acme')).toMatchObject({ outcome: 'ok', open: 4, new: 4, closed: 0, lastError: null });
  }, 90_000);

  it('closes a job removed between two crawls, closes nothing after a failed or partial crawl, and reopens one that comes back', async () => {
    const acme = fake.boards.get('greenhouse:acme')!;
    acme.jobs = GREENHOUSE_JOBS.filter((j) => j.id !== 104);
    const first = (await crawl('greenhouse:acme'))[0]!;
    expect(first).toMatchObject({ outcome: 'ok', complete: true, closed: 1, open: 3, new: 0 });
    const closed = await posting('greenhouse:acme', '104');
    expect(closed.closed_at).not.toBeNull();
    expect((await posting('greenhouse:acme', '101')).closed_at).toBeNull();

    // A failed crawl (the board answers 404 for a while) closes nothing.
    acme.behaviour = { kind: '404' };
    acme.jobs = [];
    expect((await crawl('greenhouse:acme'))[0]).toMatchObject({ outcome: 'failed', closed: 0 });
    expect((await posting('greenhouse:acme', '101')).closed_at).toBeNull();

    // A partial crawl (one job cannot be read: no title) stores what it read and closes nothing.
    acme.behaviour = { kind: 'ok' };
    acme.jobs = [GREENHOUSE_JOBS[0], { ...GREENHOUSE_JOBS[1], title: null }];
    expect((await crawl('greenhouse:acme'))[0]).toMatchObject({ outcome: 'ok', complete: false, rejected: 1, closed: 0 });
    expect((await posting('greenhouse:acme', '103')).closed_at).toBeNull();
    expect((await getSource(db.pool, 'greenhouse:acme'))!.lastError).toMatch(/^partial: 1 job/);

    // Back in full: the closed job reopens.
    acme.jobs = GREENHOUSE_JOBS;
    expect((await crawl('greenhouse:acme'))[0]).toMatchObject({ outcome: 'ok', complete: true, reopened: 1, closed: 0, open: 4 });
    expect((await posting('greenhouse:acme', '104')).closed_at).toBeNull();
  }, 60_000);

  it('counts the same job on two sources once in the statistics, keeping both sightings', async () => {
    const week = weekKeyOf(new Date());
    const before = await snapshotWeek(db.pool, week, 'UTC');
    fake.boards.set('lever:acme-careers', {
      jobs: [
        leverPosting({ id: 'dup-1', text: 'Senior  Machine-Learning Engineer', location: 'San Francisco, CA', salary: { min: 180_000, max: 240_000, interval: 'per-year-salary' } }),
        leverPosting({ id: 'own-1', text: 'Applied Scientist', location: 'San Francisco, CA' }),
      ],
    });
    await addSource(db.pool, { kind: 'lever', board: 'acme-careers', company: 'acme ai', baseUrl: fake.url });
    expect((await crawl('lever:acme-careers'))[0]).toMatchObject({ outcome: 'ok', new: 2 });
    const original = await posting('greenhouse:acme', '101');
    const sighting = await posting('lever:acme-careers', 'dup-1');
    expect(sighting.duplicate_of).toBe(original.id);
    expect(original.duplicate_of).toBeNull();
    expect((await posting('lever:acme-careers', 'own-1')).duplicate_of).toBeNull();
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM posting_facts WHERE posting_id = ANY($1)', [[original.id, sighting.id]]);
    expect(rows[0].n).toBe(1);
    const after = await snapshotWeek(db.pool, week, 'UTC');
    expect(after.total).toBe(before.total + 1); // Applied Scientist only
  }, 60_000);

  it('stores each posting once when two processes crawl one board at once', async () => {
    const jobs = Array.from({ length: 60 }, (_, i) => greenhouseJob({ id: 5000 + i, title: `Machine Learning Engineer ${i}`, location: 'Boston, MA', html: `<p>Salary: $${140 + i},000 - $${180 + i},000</p>` }));
    fake.boards.set('greenhouse:twice', { jobs });
    await addSource(db.pool, { kind: 'greenhouse', board: 'twice', baseUrl: fake.url });
    const env = { DATABASE_URL: db.url!, PUBLIC_URL, LOG_LEVEL: 'warn' };
    const crawlCli = () => runCli(['crawl', '--source', 'greenhouse:twice'], env, { timeoutMs: 200_000 });
    const [a, b] = await Promise.all([crawlCli(), crawlCli()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toMatch(/^greenhouse:twice: 60 listed, \d+ new, 0 reopened, 0 closed, 60 open/);
    const news = [a, b].map((r) => Number(/(\d+) new/.exec(r.stdout)![1]));
    expect(news.sort()).toEqual([0, 60]);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n, count(DISTINCT external_id)::int AS d FROM postings WHERE source = 'greenhouse:twice'`);
    expect(rows[0]).toEqual({ n: 60, d: 60 });
    const { rows: facts } = await db.pool.query(`SELECT count(*)::int AS n FROM posting_facts f JOIN postings p ON p.id = f.posting_id WHERE p.source = 'greenhouse:twice'`);
    expect(facts[0].n).toBe(60);
  }, 240_000); // two command-line processes; each takes seconds to start on a loaded machine

  it('lists and exports from the command line, and removes sources', async () => {
    const env = { DATABASE_URL: db.url!, PUBLIC_URL };
    const list = await runCli(['sources', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/greenhouse:gone: last crawl \S+ failed; no successful crawl yet[^\n]*\n {2}last error \(\S+\): board not found \(404\)/);
    expect(list.stdout).toMatch(/greenhouse:acme \(Acme AI\): last crawl \S+ ok; 4 open, 0 new, 0 closed/);
    const json = JSON.parse((await runCli(['sources', 'list', '--json'], env)).stdout);
    expect(json.find((s: { name: string }) => s.name === 'ashby:broken')).toMatchObject({ outcome: 'failed', last_error: 'HTTP 500 after 4 attempts' });

    const exported = await runCli(['postings', 'export', '--source', 'greenhouse:acme', '--open'], env);
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.external_id === '103')).toMatchObject({
      title: 'AI Research Intern', role: 'other', seniority: 'entry', remote: false, metro: 'New York', source: 'greenhouse:acme', closed_at: null,
      pay: { min: 50, max: 70, currency: 'USD', period: 'hour', annual_min: 104_000, annual_max: 145_600, from: 'fields' },
    });
    expect(Object.keys(lines[0]).sort()).toEqual(['closed_at', 'external_id', 'first_seen_at', 'last_seen_at', 'metro', 'pay', 'remote', 'role', 'seniority', 'skills', 'source', 'title'].sort());

    // --week: the snapshot's open-in-week rule.
    const collect = async (it: AsyncIterable<string>) => {
      const out: { external_id: string; source: string }[] = [];
      for await (const l of it) out.push(JSON.parse(l));
      return out;
    };
    const thisWeek = await collect(exportLines(db.pool, { source: 'greenhouse:acme', week: weekRange(weekKeyOf(new Date())) }));
    expect(thisWeek.map((l) => l.external_id).sort()).toEqual(['101', '102', '103', '104']);
    expect(await collect(exportLines(db.pool, { week: weekRange('2026-W01') }))).toEqual([]);

    expect(await removeSource(db.pool, 'lever:busy')).toEqual({ closed: 1 });
    expect((await posting('lever:busy', 'a1b2c3d4-0001')).closed_at).not.toBeNull();
    expect((await listSources(db.pool)).map((s) => s.name)).not.toContain('lever:busy');
    await expect(addSource(db.pool, { kind: 'workday', board: 'acme' })).rejects.toThrow('unknown board kind "workday"; use one of greenhouse, lever, ashby');
    await expect(addSource(db.pool, { kind: 'lever', board: 'https://jobs.lever.co/acme' })).rejects.toThrow(/must be the board's name on lever/);
  }, 300_000); // three command-line processes; each takes seconds to start on a loaded machine
});
