// The weekly schedule across real processes (`digest start` on one
// PostgreSQL, mail through the real resend SDK to our fake Resend):
//   - two processes started together, with the cron firing every minute for
//     three minutes, produce one issue for the week and one message per reader;
//   - a process started after the scheduled time, with no issue for the week,
//     catches it up once, and restarting it sends nothing again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo/load.ts';
import { lastCompleteWeek } from '../../src/stats/week.ts';
import { address, seedSubscribers } from '../support/delivery-fixtures.ts';
import { spawnDigest, type DigestProcess, type LogEvent } from '../support/digest-process.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';

const READERS = 40;
const running: DigestProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop(10_000);
});

async function seededDatabase(week: string): Promise<TestDatabase> {
  const db = await freshPostgres();
  await loadDemoData(db.pool, { weeks: 2, endWeek: week, tz: 'UTC' });
  await seedSubscribers(db.pool, READERS);
  return db;
}

function env(db: TestDatabase, fake: FakeResend, cron: string, name: string): Record<string, string> {
  return {
    DATABASE_URL: db.url!,
    PORT: '0',
    PUBLIC_URL: 'https://digest.example.test',
    SECRET: 'schedule-processes-secret-0123456789abcdef',
    MAIL_FROM: 'Salary Trends Digest <digest@example.test>',
    RESEND_API_KEY: 're_test_schedule_processes',
    RESEND_BASE_URL: fake.url,
    RESEND_RATE_LIMIT: '20',
    RESEND_USER_AGENT: name,
    DIGEST_CRON: cron,
    DIGEST_TZ: 'UTC',
    LOG_LEVEL: 'info',
  };
}

const start = (e: Record<string, string>) => {
  const p = spawnDigest(['start'], e);
  running.push(p);
  return p;
};

async function weekRows(db: TestDatabase, week: string) {
  const { rows } = await db.pool.query(
    `SELECT (SELECT count(*) FROM issues WHERE week = $1)::int AS issues,
            (SELECT count(*) FROM deliveries d JOIN issues i ON i.id = d.issue_id WHERE i.week = $1)::int AS deliveries,
            (SELECT count(*) FROM deliveries d JOIN issues i ON i.id = d.issue_id WHERE i.week = $1 AND d.status = 'sent')::int AS sent,
            (SELECT count(*) FROM pgboss.job WHERE name = 'weekly-digest')::int AS week_jobs`,
    [week],
  );
  return rows[0];
}

function expectOneMessagePerReader(fake: FakeResend) {
  const counts = fake.countsByRecipient();
  expect(counts.size).toBe(READERS);
  for (let i = 1; i <= READERS; i++) expect(counts.get(address(i)), address(i)).toBe(1);
}

const named = (events: LogEvent[], name: string) => events.filter((e) => e.event === name);

describe('the weekly schedule across processes', () => {
  let fake: FakeResend;
  beforeAll(async () => {
    fake = await startFakeResend();
  });
  afterAll(async () => fake?.close());

  it('two processes, a cron firing every minute for three minutes: one issue, one message per reader', async () => {
    const week = lastCompleteWeek(new Date(), 'UTC');
    const db = await seededDatabase(week);
    try {
      const a = start(env(db, fake, '* * * * *', 'process-a'));
      const b = start(env(db, fake, '* * * * *', 'process-b'));
      await Promise.all([a.ready, b.ready]);

      // Three minute boundaries, whichever process took each.
      const fired = () => [...named(a.events(), 'digest.schedule.fired'), ...named(b.events(), 'digest.schedule.fired')].map((e) => e.at as string);
      await expect.poll(() => new Set(fired()).size, { timeout: 200_000, interval: 1000 }).toBeGreaterThanOrEqual(3);
      await expect.poll(async () => (await weekRows(db, week)).sent, { timeout: 30_000 }).toBe(READERS);
      expect(await a.stop()).toBe(0);
      expect(await b.stop()).toBe(0);

      expect(await weekRows(db, week)).toEqual({ issues: 1, deliveries: READERS, sent: READERS, week_jobs: 1 });
      expectOneMessagePerReader(fake);
      // Each fire ran in exactly one process; the other was told so.
      const slots = fired();
      expect(new Set(slots).size).toBe(slots.length);
      const skipped = [...named(a.events(), 'digest.schedule.not-elected'), ...named(b.events(), 'digest.schedule.not-elected')].map((e) => e.at as string);
      expect(skipped.sort()).toEqual([...slots].sort());
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n, count(DISTINCT key)::int AS keys FROM cron_fires`);
      expect(rows[0]).toEqual({ n: slots.length, keys: slots.length });
    } finally {
      await db.close();
    }
  }, 280_000);

  it('a process started after the scheduled time catches the week up once; a restart sends nothing again', async () => {
    fake.accepted.length = 0;
    const week = lastCompleteWeek(new Date(), 'UTC');
    const db = await seededDatabase(week);
    // Monday 00:00: the very moment a week ends, so it has always passed.
    const e = env(db, fake, '0 0 * * 1', 'catch-up');
    try {
      const first = start(e);
      await first.ready;
      await expect.poll(async () => (await weekRows(db, week)).sent, { timeout: 60_000 }).toBe(READERS);
      expect(named(first.events(), 'digest.weekly.requested')).toEqual([expect.objectContaining({ week, reason: 'catch-up' })]);
      expect(await first.stop()).toBe(0);
      expectOneMessagePerReader(fake);

      const again = start(e);
      await again.ready;
      // The restarted process looked, found the week out, and asked for nothing.
      await expect.poll(() => named(again.events(), 'digest.weekly.already-sent').length, { message: again.output().slice(-3000) }).toBe(1);
      expect(named(again.events(), 'digest.weekly.already-sent')).toEqual([expect.objectContaining({ week, reason: 'catch-up' })]);
      await new Promise((r) => setTimeout(r, 3000));
      expect(await again.stop()).toBe(0);
      expect(await weekRows(db, week)).toEqual({ issues: 1, deliveries: READERS, sent: READERS, week_jobs: 1 });
      expectOneMessagePerReader(fake);
    } finally {
      await db.close();
    }
  }, 180_000);
});
