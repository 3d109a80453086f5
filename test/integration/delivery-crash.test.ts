// Crash test: worker processes are SIGKILLed at random moments during
// 5,000-recipient sends (some right after the provider answered, before the
// ledger could record it) and restarted each time. At the end the provider
// has accepted exactly one message per recipient per issue.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueIssue } from '../../src/delivery/enqueue.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { address, createIssue, seedSubscribers } from '../support/delivery-fixtures.ts';
import { seeded, startFakeResend, type FakeResend } from '../support/fake-resend.ts';
import { spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

const RECIPIENTS = 5000;
const MIN_KILLS = 24;

let db: TestDatabase;
let fake: FakeResend;
let boss: Boss;

beforeAll(async () => {
  db = await freshPostgres();
  fake = await startFakeResend();
  boss = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
  await seedSubscribers(db.pool, RECIPIENTS);
});
afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
  await fake?.close();
  await db?.close();
});

async function openBatches(issueId: number): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM delivery_batches WHERE issue_id = $1 AND status <> 'done'`, [
    issueId,
  ]);
  return rows[0].n;
}

/** Batches the provider answered whose answer the ledger does not hold: the worker died in between. */
async function answeredButUnrecorded(): Promise<string[]> {
  const keys = [...new Set(fake.accepted.map((m) => m.key))];
  const { rows } = await db.pool.query<{ idempotency_key: string }>(
    `SELECT idempotency_key FROM delivery_batches WHERE status = 'sending' AND idempotency_key = ANY ($1::text[])`,
    [keys],
  );
  return rows.map((r) => r.idempotency_key);
}

it(
  'delivers exactly one message per recipient through at least 20 SIGKILLs',
  async () => {
    const random = seeded(20261126);
    const env = { DATABASE_URL: db.url!, FAKE_RESEND_URL: fake.url, RATE: '60', CONCURRENCY: '6', LEASE_SECONDS: '1', TIMEOUT_MS: '800' };
    const issues: number[] = [];
    let kills = 0;
    const killedBetweenAnswerAndLedger = new Set<string>();
    let week = 30;

    while (kills < MIN_KILLS) {
      const issueId = await createIssue(db.pool, `2026-W${week++}`);
      issues.push(issueId);
      await enqueueIssue(db.pool, boss, issueId, { batchSize: 50 });
      while (kills < MIN_KILLS && (await openBatches(issueId)) > 0) {
        const w: WorkerProcess = spawnWorker(env);
        await w.ready;
        if (kills % 2 === 0) {
          // Kill the moment the provider's answer has left the server.
          let countdown = 1 + Math.floor(random() * 6);
          fake.onAnswered = () => {
            if (--countdown === 0) w.child.kill('SIGKILL');
          };
          await Promise.race([w.exited, new Promise((r) => setTimeout(r, 5000))]);
          fake.onAnswered = undefined;
        } else {
          await new Promise((r) => setTimeout(r, 100 + random() * 700));
        }
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
        await w.exited;
        kills++;
        for (const key of await answeredButUnrecorded()) killedBetweenAnswerAndLedger.add(key);
      }
    }

    // One last worker, left to finish everything, including batches whose worker died.
    const last = spawnWorker(env);
    await last.ready;
    const deadline = Date.now() + 60_000;
    for (const issueId of issues) {
      while ((await openBatches(issueId)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    }
    last.child.kill('SIGTERM');
    await last.exited;

    expect(kills).toBeGreaterThanOrEqual(20);
    expect(killedBetweenAnswerAndLedger.size).toBeGreaterThan(0);
    for (const [i, issueId] of issues.entries()) {
      const week = `2026-W${30 + i}`;
      const perRecipient = new Map<string, number>();
      for (const m of fake.accepted) {
        if (m.tags.some((t) => t.name === 'issue' && t.value === week)) perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
      }
      expect(perRecipient.size, `issue ${week}: recipients reached`).toBe(RECIPIENTS);
      expect([...perRecipient.values()].filter((n) => n !== 1), `issue ${week}: recipients with more than one`).toEqual([]);
      expect(perRecipient.get(address(RECIPIENTS))).toBe(1);
      const { rows } = await db.pool.query(`SELECT status, count(*)::int AS n FROM deliveries WHERE issue_id = $1 GROUP BY status`, [
        issueId,
      ]);
      expect(rows).toEqual([{ status: 'sent', n: RECIPIENTS }]);
    }
    console.log(`crash test: ${kills} kills over ${issues.length} sends, ${killedBetweenAnswerAndLedger.size} batches answered but not yet recorded at a kill`);
  },
  150_000,
);
