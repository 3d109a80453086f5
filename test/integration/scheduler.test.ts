// The weekly schedule's claim row (schedule_runs): of two processes claiming
// the same week at once exactly one runs it; a failed run can be retried
// (by one process), a finished one is never rerun; a tick that fails is
// logged and recorded, and never crashes the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onePerWeek, startScheduler } from '../../jobs/scheduler.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { lastCompleteWeek } from '../../src/stats/week.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe.each(DB_KINDS)('weekly schedule claims on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  const row = async (week: string) =>
    (await db.pool.query(`SELECT finished_at IS NOT NULL AS finished, failed FROM schedule_runs WHERE week = $1`, [week])).rows[0];

  it('runs a week in exactly one of two concurrent claims', async () => {
    let runs = 0;
    const g = gate();
    const work = async () => {
      runs++;
      await g.wait;
    };
    const a = onePerWeek(db.pool, '2026-W10', work);
    const b = onePerWeek(db.pool, '2026-W10', work);
    // The loser answers while the winner is still running.
    const loser = await Promise.race([a, b]);
    expect(loser).toBe(false);
    expect(await row('2026-W10')).toEqual({ finished: false, failed: false });
    g.open();
    expect((await Promise.all([a, b])).sort()).toEqual([false, true]);
    expect(runs).toBe(1);
    expect(await row('2026-W10')).toEqual({ finished: true, failed: false });
  });

  it('does not rerun a finished week', async () => {
    let runs = 0;
    expect(await onePerWeek(db.pool, '2026-W11', async () => void runs++)).toBe(true);
    expect(await onePerWeek(db.pool, '2026-W11', async () => void runs++)).toBe(false);
    expect(runs).toBe(1);
  });

  it('retries a failed week, in one process only, and then leaves it alone', async () => {
    await expect(onePerWeek(db.pool, '2026-W12', async () => Promise.reject(new Error('database went away')))).rejects.toThrow(
      'database went away',
    );
    expect(await row('2026-W12')).toEqual({ finished: true, failed: true });

    let runs = 0;
    const g = gate();
    const retry = onePerWeek(db.pool, '2026-W12', async () => {
      runs++;
      await g.wait;
    });
    // While the retry runs, the claim is open again: nobody else takes it.
    await expect.poll(() => runs).toBe(1);
    expect(await row('2026-W12')).toEqual({ finished: false, failed: false });
    expect(await onePerWeek(db.pool, '2026-W12', async () => void runs++)).toBe(false);
    g.open();
    expect(await retry).toBe(true);
    expect(runs).toBe(1);
    expect(await row('2026-W12')).toEqual({ finished: true, failed: false });
    expect(await onePerWeek(db.pool, '2026-W12', async () => void runs++)).toBe(false);
    expect(runs).toBe(1);
  });

  it('takes over a claim left unfinished for over an hour, but not a fresh one', async () => {
    await db.pool.query(`INSERT INTO schedule_runs (week, started_at) VALUES ('2026-W13', now() - interval '2 hours'), ('2026-W14', now() - interval '5 minutes')`);
    let runs = 0;
    expect(await onePerWeek(db.pool, '2026-W14', async () => void runs++)).toBe(false);
    expect(await onePerWeek(db.pool, '2026-W13', async () => void runs++)).toBe(true);
    expect(runs).toBe(1);
    expect(await row('2026-W13')).toEqual({ finished: true, failed: false });
  });
});

describe('startScheduler on PostgreSQL', () => {
  let db: TestDatabase;
  let boss: Boss;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
    boss = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: false });
    await db?.close();
  });

  it('refuses a bad cron expression', () => {
    const log = { info() {}, warn() {}, error() {} };
    expect(() => startScheduler({ pool: db.pool, boss, tz: 'UTC', publicUrl: 'http://x.test', log, cron: 'every monday' })).toThrow(
      /DIGEST_CRON is not a valid cron expression/,
    );
  });

  it('logs and records a tick that fails (no postings yet) without throwing', async () => {
    const events: { event: string; week?: string }[] = [];
    const log = {
      info: (o: object) => void events.push(o as { event: string }),
      warn: (o: object) => void events.push(o as { event: string }),
      error: (o: object) => void events.push(o as { event: string }),
    };
    const now = new Date('2026-11-25T12:00:00Z');
    const scheduler = startScheduler({ pool: db.pool, boss, tz: 'UTC', publicUrl: 'http://x.test', log, cron: '* * * * * *', now: () => now });
    try {
      await expect.poll(() => events.some((e) => e.event === 'digest.schedule.failed'), { timeout: 10_000 }).toBe(true);
    } finally {
      scheduler.stop();
    }
    const week = lastCompleteWeek(now, 'UTC');
    expect(week).toBe('2026-W47');
    expect(events.find((e) => e.event === 'digest.schedule.failed')).toMatchObject({ week });
    const { rows } = await db.pool.query(`SELECT week, failed, finished_at IS NOT NULL AS finished FROM schedule_runs`);
    expect(rows).toEqual([{ week, failed: true, finished: true }]);
  });
});
