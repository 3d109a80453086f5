// Review before send, end to end with two `digest worker` processes on one
// PostgreSQL and the fake Resend server (DIGEST_APPROVAL=manual): the week's
// job sends proofs to the reviewers and nothing to readers; a discarded week
// sends nothing; a reminder follows after the (shortened) delay; two
// concurrent `digest approve` runs send the issue exactly once; and
// `digest send --to` sends a proof to anyone without touching the ledger.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo/load.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { lastCompleteWeek, previousWeek } from '../../src/stats/week.ts';
import { requestWeeklyDigest } from '../../jobs/weekly-digest.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { address, seedSubscribers } from '../support/delivery-fixtures.ts';
import { spawnDigest, type DigestProcess } from '../support/digest-process.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';
import { runCli } from '../support/run-cli.ts';

const READERS = 30;
const REVIEWERS = ['editor@example.test', 'second-pair-of-eyes@example.test'];

describe('review before send across two worker processes', () => {
  let db: TestDatabase;
  let fake: FakeResend;
  let boss: Boss;
  let env: Record<string, string>;
  const workers: DigestProcess[] = [];
  const week = lastCompleteWeek(new Date(), 'UTC');
  const earlier = previousWeek(week);
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    db = await freshPostgres();
    fake = await startFakeResend();
    await loadDemoData(db.pool, { weeks: 2, endWeek: week, tz: 'UTC' });
    await seedSubscribers(db.pool, READERS);
    env = {
      DATABASE_URL: db.url!,
      PUBLIC_URL: 'https://digest.example.test',
      SECRET: 'review-before-send-secret-0123456789abcdef',
      MAIL_FROM: 'Salary Trends Digest <digest@example.test>',
      RESEND_API_KEY: 're_test_review',
      RESEND_BASE_URL: fake.url,
      RESEND_RATE_LIMIT: '50',
      DIGEST_TZ: 'UTC',
      DIGEST_APPROVAL: 'manual',
      DIGEST_REVIEWERS: REVIEWERS.join(','),
      DIGEST_APPROVAL_REMIND: '6s',
      LOG_LEVEL: 'info',
    };
    for (const name of ['a', 'b']) {
      const w = spawnDigest(['worker'], { ...env, RESEND_USER_AGENT: `worker-${name}` });
      workers.push(w);
      await w.logged('delivery.worker.started');
    }
    boss = await startBoss(db, { supervise: false });
  }, 400_000);
  afterAll(async () => {
    for (const w of workers) await w.stop(10_000);
    await boss?.stop({ graceful: false, close: false });
    await fake?.close();
    await db?.close();
  });

  const readerMails = () => fake.accepted.filter((m) => m.to.startsWith('reader'));
  const issueRow = async (w: string) =>
    (await db.pool.query(`SELECT status, approval, enqueued_at IS NOT NULL AS enqueued, reminded_at IS NOT NULL AS reminded FROM issues WHERE week = $1`, [w])).rows[0];

  it('proofs go to the reviewers and nothing to readers; a discarded week sends nothing', async () => {
    expect(await requestWeeklyDigest({ pool: db.pool, boss, log }, earlier, 'schedule')).toBe('queued');
    await expect.poll(() => fake.accepted.filter((m) => m.subject.startsWith('[Proof]')).length, { timeout: 90_000, interval: 250 }).toBe(2);
    const proofs = fake.accepted.filter((m) => m.subject.startsWith('[Proof]'));
    expect(proofs.map((m) => m.to).sort()).toEqual([...REVIEWERS].sort());
    expect(proofs[0]!.text).toMatch(/^PROOF for review, not sent to readers/);
    expect(proofs[0]!.html).toContain(`/admin/issues/${earlier}`);
    expect(await issueRow(earlier)).toMatchObject({ status: 'draft', approval: 'pending', enqueued: false });
    // Asking for the week again (the hourly catch-up) changes nothing while it waits.
    expect(await requestWeeklyDigest({ pool: db.pool, boss, log }, earlier, 'catch-up')).toBe('already-sent');

    const out = await runCli(['discard', earlier], env, { timeoutMs: 150_000 });
    expect(out.stdout.trim(), out.stderr).toBe(`${earlier}: discarded; nobody receives it`);
    // On a loaded machine the reminder may have gone out before the discard; none may follow it.
    const reminders = () => fake.accepted.filter((m) => m.subject.startsWith(`Reminder: ${earlier}`)).length;
    const remindedBefore = reminders();
    await new Promise((r) => setTimeout(r, 9000));
    expect(await issueRow(earlier)).toMatchObject({ status: 'draft', approval: 'discarded', enqueued: false });
    expect(reminders()).toBe(remindedBefore);
    expect(await runCli(['approve', earlier], env, { timeoutMs: 150_000 })).toMatchObject({ stdout: `${earlier}: nothing to decide (approval discarded, status draft)\n` });
    expect(readerMails()).toEqual([]);
    const ledger = await db.pool.query(`SELECT count(*)::int AS n FROM deliveries`);
    expect(ledger.rows[0].n).toBe(0);
  }, 400_000);

  it('a reminder after the delay; two concurrent approvals send the issue exactly once', async () => {
    expect(await requestWeeklyDigest({ pool: db.pool, boss, log }, week, 'schedule')).toBe('queued');
    await expect.poll(() => fake.accepted.filter((m) => m.subject.startsWith('[Proof]')).length, { timeout: 90_000, interval: 250 }).toBe(4);
    await expect
      .poll(() => fake.accepted.filter((m) => m.subject.startsWith(`Reminder: ${week} is waiting for review`)).map((m) => m.to).sort(), { timeout: 60_000, interval: 250 })
      .toEqual([...REVIEWERS].sort());
    expect(readerMails()).toEqual([]);

    const [one, two] = await Promise.all([runCli(['approve', week], env, { timeoutMs: 150_000 }), runCli(['approve', week], env, { timeoutMs: 150_000 })]);
    const lines = [one.stdout.trim(), two.stdout.trim()].sort();
    expect(lines, `${one.stderr}\n${two.stderr}`).toEqual([
      `${week}: approved; ${READERS} readers queued`,
      expect.stringMatching(new RegExp(`^${week}: nothing to decide \\(approval approved, status (sending|sent)\\)$`)),
    ]);
    await expect.poll(() => readerMails().length, { timeout: 90_000, interval: 250 }).toBe(READERS);
    await new Promise((r) => setTimeout(r, 3000));
    const counts = new Map<string, number>();
    for (const m of readerMails()) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    for (let i = 1; i <= READERS; i++) expect(counts.get(address(i)), address(i)).toBe(1);
    expect(await issueRow(week)).toMatchObject({ approval: 'approved', enqueued: true, reminded: true });
    // Both workers took part in the week's work (proofs, reminders or batches), and neither failed.
    for (const w of workers) expect(w.events('digest.weekly.failed')).toEqual([]);
  }, 400_000);

  it('`digest send --to` sends a proof to anyone and leaves the readers\' ledger alone', async () => {
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM deliveries`)).rows[0].n;
    const out = await runCli(['send', '--week', week, '--to', 'anyone@example.test'], env, { timeoutMs: 90_000 });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`${week}: proof sent to anyone@example.test`);
    const proof = fake.accepted.filter((m) => m.to === 'anyone@example.test');
    expect(proof).toHaveLength(1);
    expect(proof[0]!.subject).toMatch(/^\[Proof\] /);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM deliveries`)).rows[0].n).toBe(before);
  }, 120_000);
});
