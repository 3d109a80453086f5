// The weekly schedule's guarantees, layer by layer, with real PostgreSQL and
// pg-boss: the run coordinator elects one process per fire; the week's job is
// a singleton; catch-up asks for a week only once its scheduled time has
// passed; and however many processes ask or run, one issue goes out per week
// with one delivery per reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresRunCoordinator, startScheduler, type Scheduler } from '../../jobs/scheduler.ts';
import { requestWeeklyDigest, runWeeklyDigest, waitForWeek, workWeeklyDigests } from '../../jobs/weekly-digest.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import { QUEUES, startBoss, type Boss } from '../../src/delivery/queue.ts';
import { addSubscriber } from '../../src/subscribers/import-export.ts';
import { DB_KINDS, freshDatabase, freshPostgres, type TestDatabase } from '../support/db.ts';

interface Logged {
  event: string;
  [k: string]: unknown;
}

function recordingLog() {
  const events: Logged[] = [];
  const push = (o: object) => void events.push(o as Logged);
  return { events, log: { info: push, warn: push, error: push } };
}

describe.each(DB_KINDS)('run coordinator on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  const holderOf = async (key: string) => (await db.pool.query(`SELECT holder FROM cron_fires WHERE key = $1`, [key])).rows[0]?.holder;

  it('elects exactly one of two processes for a fire, and records which', async () => {
    const a = postgresRunCoordinator(db.pool, 'host-a:1');
    const b = postgresRunCoordinator(db.pool, 'host-b:2');
    const key = 'weekly-digest:2026-11-30T13:00:00.000Z';
    const answers = await Promise.all([a.shouldRun(key, 600_000), b.shouldRun(key, 600_000)]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await holderOf(key)).toBe(answers[0] ? 'host-a:1' : 'host-b:2');
  });

  it('never hands a completed fire to anyone, even with no lease left', async () => {
    const a = postgresRunCoordinator(db.pool, 'host-a:1');
    const b = postgresRunCoordinator(db.pool, 'host-b:2');
    const key = 'weekly-digest:2026-12-07T13:00:00.000Z';
    expect(await a.shouldRun(key, 600_000)).toBe(true);
    await a.onComplete!(key);
    expect(await b.shouldRun(key, 0)).toBe(false);
    expect(await a.shouldRun(key, 0)).toBe(false);
  });

  it('lets a fire whose holder died be taken over once its lease has run out, not before', async () => {
    const a = postgresRunCoordinator(db.pool, 'host-a:1');
    const b = postgresRunCoordinator(db.pool, 'host-b:2');
    const key = 'weekly-digest:2026-12-14T13:00:00.000Z';
    expect(await a.shouldRun(key, 600_000)).toBe(true);
    expect(await b.shouldRun(key, 600_000)).toBe(false);
    await db.pool.query(`UPDATE cron_fires SET claimed_at = claimed_at - interval '11 minutes' WHERE key = $1`, [key]);
    expect(await b.shouldRun(key, 600_000)).toBe(true);
    expect(await holderOf(key)).toBe('host-b:2');
    // The old holder's late completion does not mark the new holder's run done.
    await a.onComplete!(key);
    expect((await db.pool.query(`SELECT completed_at FROM cron_fires WHERE key = $1`, [key])).rows[0].completed_at).toBeNull();
  });
});

describe('the week job and catch-up on PostgreSQL', () => {
  const WEEK = '2026-W47'; // Monday 2026-11-16 .. Sunday 2026-11-22 (UTC)
  let db: TestDatabase;
  let bossA: Boss;
  let bossB: Boss;
  const schedulers: Scheduler[] = [];
  const readers = ['ada@example.test', 'grace@example.test', 'alan@example.test'];

  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: 2, endWeek: WEEK, tz: 'UTC' });
    for (const email of readers) await addSubscriber(db.pool, { email, source: 'test' });
    bossA = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
    bossB = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
  }, 120_000);
  afterAll(async () => {
    for (const s of schedulers) await s.stop();
    await bossA?.stop({ graceful: false, close: false });
    await bossB?.stop({ graceful: false, close: false });
    await db?.close();
  });

  const weekJobs = async () =>
    (await db.pool.query(`SELECT state FROM pgboss.job WHERE name = $1 AND singleton_key = $2 ORDER BY created_on`, [QUEUES.weekly, WEEK])).rows.map(
      (r) => r.state,
    );

  const schedule = (boss: Boss, now: string, cron = '0 13 * * 1') => {
    const { events, log } = recordingLog();
    const s = startScheduler({ pool: db.pool, boss, tz: 'UTC', cron, log, now: () => new Date(now), holder: `test:${schedulers.length}` });
    schedulers.push(s);
    return { s, events };
  };

  it('refuses a bad cron expression', () => {
    const { log } = recordingLog();
    expect(() => startScheduler({ pool: db.pool, boss: bossA, tz: 'UTC', log, cron: 'every monday' })).toThrow(/DIGEST_CRON is not a valid cron expression/);
  });

  it('does not catch up a week before its scheduled time has come', async () => {
    // Monday 12:00, an hour before the Monday 13:00 send.
    const { s, events } = schedule(bossA, '2026-11-23T12:00:00Z');
    await s.started;
    await s.stop();
    expect(await weekJobs()).toEqual([]);
    expect(events.map((e) => e.event)).not.toContain('digest.weekly.requested');
  });

  it('catches up a week whose scheduled time has passed: two processes starting together queue one job', async () => {
    const one = schedule(bossA, '2026-11-23T14:00:00Z');
    const two = schedule(bossB, '2026-11-23T14:00:00Z');
    await Promise.all([one.s.started, two.s.started]);
    expect(await weekJobs()).toEqual(['created']);
    const asked = [...one.events, ...two.events].filter((e) => e.event === 'digest.weekly.requested' || e.event === 'digest.weekly.already-queued');
    expect(asked.map((e) => e.event).sort()).toEqual(['digest.weekly.already-queued', 'digest.weekly.requested']);
  });

  it('two workers and a stray direct run leave one issue and one delivery per reader; asking again adds nothing', async () => {
    const { log } = recordingLog();
    const deps = (boss: Boss) => ({ pool: db.pool, boss, tz: 'UTC', publicUrl: 'https://digest.example.test', log });
    const workers = [await workWeeklyDigests(deps(bossA)), await workWeeklyDigests(deps(bossB))];
    // A misconfigured process that skips the queue and runs the pipeline itself, at the same moment.
    const stray = runWeeklyDigest({ week: WEEK }, deps(bossB));
    try {
      expect(await waitForWeek(db.pool, WEEK, 30_000)).toBe(true);
      await stray;
      await expect.poll(weekJobs, { timeout: 15_000 }).toEqual(['completed']);
    } finally {
      for (const w of workers) await w.stop();
    }
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*) FROM issues WHERE week = $1)::int AS issues,
              (SELECT count(*) FROM deliveries d JOIN issues i ON i.id = d.issue_id WHERE i.week = $1)::int AS deliveries,
              (SELECT count(DISTINCT d.email) FROM deliveries d JOIN issues i ON i.id = d.issue_id WHERE i.week = $1)::int AS readers,
              (SELECT count(*) FROM pgboss.job WHERE name = $2)::int AS batch_jobs`,
      [WEEK, QUEUES.batch],
    );
    expect(rows[0]).toEqual({ issues: 1, deliveries: 3, readers: 3, batch_jobs: 1 });

    // The week is out: a schedule fire, a restarted process's catch-up, or a manual ask add no job.
    expect(await requestWeeklyDigest({ pool: db.pool, boss: bossA, log }, WEEK, 'schedule')).toBe('already-sent');
    const restarted = schedule(bossA, '2026-11-24T09:00:00Z');
    await restarted.s.started;
    expect(restarted.events.map((e) => e.event)).toContain('digest.weekly.already-sent');
    expect(await weekJobs()).toEqual(['completed']);
  });

  it('fires are elected once across two schedulers, and each election is recorded', async () => {
    await db.pool.query('DELETE FROM cron_fires');
    const one = schedule(bossA, '2026-11-24T09:00:00Z', '* * * * * *');
    const two = schedule(bossB, '2026-11-24T09:00:00Z', '* * * * * *');
    await new Promise((r) => setTimeout(r, 3500));
    await one.s.stop();
    await two.s.stop();
    const fired = [...one.events, ...two.events].filter((e) => e.event === 'digest.schedule.fired').map((e) => e.at as string);
    const skipped = [...one.events, ...two.events].filter((e) => e.event === 'digest.schedule.not-elected').map((e) => e.at as string);
    expect(fired.length).toBeGreaterThanOrEqual(2);
    // No fire ran twice, and every fire one scheduler skipped, the other ran.
    expect(new Set(fired).size).toBe(fired.length);
    for (const at of skipped) expect(fired).toContain(at);
    const { rows } = await db.pool.query(`SELECT key, holder, completed_at IS NOT NULL AS done FROM cron_fires ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual([...fired].sort().map((at) => `weekly-digest:${at}`));
    expect(rows.every((r) => r.done)).toBe(true);
    expect(await weekJobs()).toEqual(['completed']);
  });
});
