// The scheduled crawl with real PostgreSQL and pg-boss: one singleton job per
// source however many processes ask, the CRAWL_CRON schedule firing in every
// process, and no board ever crawled by two workers at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { requestCrawls, startCrawlSchedule, workCrawls, type CrawlSchedule, type CrawlWorker } from '../../jobs/crawl.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { addSource } from '../../src/sources/store.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { startFakeJobBoards, type FakeJobBoards } from '../support/fake-job-boards.ts';
import { GREENHOUSE_JOBS, LEVER_JOBS } from '../support/job-board-fixtures.ts';

const log = pino({ level: 'silent' });
const config = { publicUrl: 'https://digest.example.org', crawlTimeoutMs: 10_000 };
let db: TestDatabase;
let fake: FakeJobBoards;
let bossA: Boss;
let bossB: Boss;

beforeAll(async () => {
  db = await freshPostgres();
  fake = await startFakeJobBoards();
  // Slow enough that a second crawl of the same board would overlap the first.
  fake.boards.set('greenhouse:acme', { jobs: GREENHOUSE_JOBS, behaviour: { kind: 'slow', ms: 1_500 } });
  fake.boards.set('lever:leverco', { jobs: LEVER_JOBS, behaviour: { kind: 'slow', ms: 1_500 } });
  await addSource(db.pool, { kind: 'greenhouse', board: 'acme', baseUrl: fake.url });
  await addSource(db.pool, { kind: 'lever', board: 'leverco', baseUrl: fake.url });
  bossA = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
  bossB = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
}, 60_000);
afterAll(async () => {
  await bossA?.stop({ graceful: false, close: false }).catch(() => {});
  await bossB?.stop({ graceful: false, close: false }).catch(() => {});
  await fake?.close();
  await db?.close();
});

describe('scheduled crawls', () => {
  it('queues one job per source however many processes ask at once', async () => {
    const [a, b] = await Promise.all([requestCrawls({ pool: db.pool, boss: bossA, log }, 'manual'), requestCrawls({ pool: db.pool, boss: bossB, log }, 'manual')]);
    expect([...a.queued, ...b.queued].sort()).toEqual(['greenhouse:acme', 'lever:leverco']);
    expect([...a.already, ...b.already].sort()).toEqual(['greenhouse:acme', 'lever:leverco']);
    const { rows } = await db.pool.query(`SELECT singleton_key AS k, count(*)::int AS n FROM pgboss.job WHERE name = 'crawl-source' GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([{ k: 'greenhouse:acme', n: 1 }, { k: 'lever:leverco', n: 1 }]);
  });

  it('fires in every process, and each board is crawled by one worker at a time', async () => {
    const schedules: CrawlSchedule[] = [];
    const workers: CrawlWorker[] = [];
    for (const [boss, holder] of [[bossA, 'a:1'], [bossB, 'b:2']] as const) {
      schedules.push(startCrawlSchedule({ pool: db.pool, boss, log, cron: '* * * * * *', tz: 'UTC', holder }));
      workers.push(await workCrawls({ pool: db.pool, boss, log, config }));
    }
    await new Promise((r) => setTimeout(r, 8_000));
    for (const s of schedules) await s.stop();
    for (const w of workers) await w.stop();

    const { rows: sources } = await db.pool.query(`SELECT name, outcome, open_count FROM sources ORDER BY name`);
    expect(sources).toEqual([
      { name: 'greenhouse:acme', outcome: 'ok', open_count: 4 },
      { name: 'lever:leverco', outcome: 'ok', open_count: 3 },
    ]);
    // Asked every second by two processes, each board still saw one request at a time.
    expect(fake.requests.filter((q) => q.path.startsWith('/v1/boards/acme')).length).toBeGreaterThanOrEqual(2);
    expect(fake.maxInFlight.get('greenhouse:acme')).toBe(1);
    expect(fake.maxInFlight.get('lever:leverco')).toBe(1);
    // Each fire was acted on by one process.
    const { rows: fires } = await db.pool.query(`SELECT count(*)::int AS n, count(DISTINCT key)::int AS keys FROM cron_fires WHERE key LIKE 'crawl-sources%'`);
    expect(fires[0].n).toBeGreaterThanOrEqual(3);
    expect(fires[0].n).toBe(fires[0].keys);
    const { rows: postings } = await db.pool.query(`SELECT count(*)::int AS n FROM postings`);
    expect(postings[0].n).toBe(7);
  }, 60_000);

  it('refuses a CRAWL_CRON that is not a cron expression', () => {
    expect(() => startCrawlSchedule({ pool: db.pool, boss: bossA, log, cron: 'every six hours', tz: 'UTC' })).toThrow(/CRAWL_CRON is not a valid cron expression/);
  });
});
