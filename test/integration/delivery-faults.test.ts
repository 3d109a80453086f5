// Fault test: a fifth of the provider's answers are 429 (retry-after 1 s) or
// 500 and one request in twenty hangs. Every recipient still gets exactly one
// message, the provider never sees more than RESEND_RATE_LIMIT requests in any
// one-second window, and after a 429 nobody sends until retry-after has
// passed: with one worker process and with three.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { enqueueIssue } from '../../src/delivery/enqueue.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { sendIssue } from '../../src/delivery/send-issue.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { createIssue, makeDeps, seedSubscribers } from '../support/delivery-fixtures.ts';
import { expectExactlyOnce, expectRetryAfterHonoured, expectWithinRate } from '../support/delivery-assertions.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';
import { spawnWorker } from '../support/worker-process.ts';

const RATE = 40;
const FAULTS = { rate429: 0.1, retryAfterSeconds: 1, rate500: 0.1, rateHang: 0.05 };

let db: TestDatabase;
let fake: FakeResend;
let boss: Boss;

beforeEach(async () => {
  db = await freshPostgres();
  fake = await startFakeResend({ faults: FAULTS, seed: 7 });
  boss = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
});
afterEach(async () => {
  await boss?.stop({ graceful: false, close: false });
  await fake?.close();
  await db?.close();
});

function assertExactlyOnce(recipients: number): void {
  expectExactlyOnce(fake, recipients);
}

function assertRateAndRetryAfter(): void {
  expectWithinRate(fake, RATE);
  expectRetryAfterHonoured(fake, FAULTS.retryAfterSeconds);
}

function assertFaultsHappened(): void {
  const outcomes = new Set(fake.requests.map((r) => r.outcome));
  expect([...outcomes].sort()).toEqual(expect.arrayContaining(['429', '500', 'hang', 'accepted']));
}

it('one worker process: every recipient exactly once, within the rate limit', async () => {
  await seedSubscribers(db.pool, 2000);
  const issueId = await createIssue(db.pool);
  const deps = await makeDeps({
    pool: db.pool,
    kind: 'postgres',
    boss,
    fakeUrl: fake.url,
    rate: RATE,
    concurrency: 8,
    policy: { requestTimeoutMs: 800, maxAttempts: 30, leaseSeconds: 3 },
  });
  const { progress } = await sendIssue(deps, issueId, { batchSize: 25, intervalMs: 200 });
  expect(progress).toMatchObject({ total: 2000, sent: 2000, failed: 0 });
  assertExactlyOnce(2000);
  assertRateAndRetryAfter();
  assertFaultsHappened();
}, 90_000);

it('three worker processes: every recipient exactly once, within one shared rate limit', async () => {
  await seedSubscribers(db.pool, 5000);
  const issueId = await createIssue(db.pool);
  await enqueueIssue(db.pool, boss, issueId, { batchSize: 25 });
  const env = {
    DATABASE_URL: db.url!,
    FAKE_RESEND_URL: fake.url,
    RATE: String(RATE),
    CONCURRENCY: '4',
    LEASE_SECONDS: '3',
    TIMEOUT_MS: '800',
    MAX_ATTEMPTS: '30',
  };
  const workers = [1, 2, 3].map((n) => spawnWorker({ ...env, RESEND_USER_AGENT: `fault-test-worker-${n}` }));
  try {
    await Promise.all(workers.map((w) => w.ready));
    const deadline = Date.now() + 100_000;
    for (;;) {
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM delivery_batches WHERE status <> 'done'`);
      if (rows[0].n === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  }
  const { rows } = await db.pool.query(`SELECT status, count(*)::int AS n FROM deliveries GROUP BY status`);
  expect(rows).toEqual([{ status: 'sent', n: 5000 }]);
  assertExactlyOnce(5000);
  assertRateAndRetryAfter();
  assertFaultsHappened();
  // All three processes sent part of it.
  const agents = new Set(fake.requests.filter((r) => r.outcome === 'accepted').map((r) => r.agent));
  expect([...agents].sort()).toEqual(['fault-test-worker-1', 'fault-test-worker-2', 'fault-test-worker-3']);
}, 120_000);
