// Scale test with the real command line: three `digest worker` processes,
// configured only by their environment as an operator would, share one
// PostgreSQL database and one issue. Every process sends a fair share, the
// provider gets no more than RESEND_RATE_LIMIT requests a second (give or take
// what scheduling jitter shifts between windows), every reader gets exactly
// one message, and SIGTERM stops each one cleanly. Then
// SIGTERM with requests on the wire: the worker finishes what is answered
// within its grace, cuts off the rest and releases those batches, which the
// other workers take at once (not a 90 s lease later) without sending anything
// twice.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { composeIssue } from '../../src/digest/compose.ts';
import { saveIssue } from '../../src/digest/store.ts';
import { enqueueIssue } from '../../src/delivery/enqueue.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { STOP_GRACE_MS } from '../../src/delivery/worker.ts';
import { spawnDigest, type DigestProcess } from '../support/digest-process.ts';
import { freshDatabase, type TestDatabase } from '../support/db.ts';
import { expectExactlyOnce, expectWithinRate, requestsByAgent } from '../support/delivery-assertions.ts';
import { address, PUBLIC_URL, seedSubscribers } from '../support/delivery-fixtures.ts';
import { digestWeeks } from '../support/digest-weeks.ts';
import { maxInWindow, startFakeResend, type FakeResend } from '../support/fake-resend.ts';
import { startHoldingProxy, type HoldingProxy } from '../support/holding-proxy.ts';

// Real digests are ~53 KB of HTML each; 10 to a request keeps the workers
// able to outpace the limit (so the limit is what paces them) on a busy machine.
const BATCH = 10;
/** The send loops of one worker process (`digest worker` runs createDeliveryDeps' default). */
const CONCURRENCY = 4;
// The limiter grants at most RATE slots in any second of database time (a
// request that wakes more than 25 ms after its slot takes a new one). Between
// the grant and the request there is a ledger update and a socket write in a
// process that is also rendering other batches, so the attempt times in the
// ledger and the arrivals at the fake may slip by a few tens of milliseconds
// (up to 100 ms allowed: at 20/s, two requests more in some one-second
// window; three limiters that were not shared would put 40 or more in one).
const JITTER_MS = 100;

let db: TestDatabase;
let fake: FakeResend;
let boss: Boss;
let proxy: HoldingProxy | undefined;
let spawned: DigestProcess[] = [];

beforeEach(async () => {
  db = await freshDatabase('postgres');
  fake = await startFakeResend({ lean: true });
  boss = await startBoss({ pool: db.pool, kind: 'postgres' }, { supervise: false });
});
afterEach(async () => {
  // A failed test leaves processes running: end them, frozen ones too.
  for (const w of spawned) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.all(spawned.map((w) => w.exited));
  spawned = [];
  await proxy?.close();
  proxy = undefined;
  await boss?.stop({ graceful: false, close: false });
  await fake?.close();
  await db?.close();
});

/** What an operator sets, and nothing else; RESEND_USER_AGENT tells the processes apart at the fake. */
function digestWorker(name: string, rate: number, resendUrl = fake.url): DigestProcess {
  const w = spawnDigest(['worker'], {
    DATABASE_URL: db.url!,
    RESEND_API_KEY: 're_scale_test_key',
    RESEND_BASE_URL: resendUrl,
    RESEND_RATE_LIMIT: String(rate),
    SECRET: 'scale-test-secret-0123456789abcdef0123',
    PUBLIC_URL,
    RESEND_USER_AGENT: name,
  });
  spawned.push(w);
  return w;
}

/** A real composed issue, so the workers render real mail (with the real renderer, in three processes). */
async function composeTestIssue(): Promise<number> {
  const weeks = digestWeeks();
  const content = composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL });
  return (await saveIssue(db.pool, content)).issue.id;
}

async function openBatches(): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM delivery_batches WHERE status <> 'done'`);
  return rows[0].n;
}

async function until(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number, workers: DigestProcess[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${workers.map((w) => w.output().slice(-2000)).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM, then the exit: code 0 and how long it took. */
async function terminate(w: DigestProcess): Promise<{ code: number | null; signal: string | null; ms: number }> {
  const t = performance.now();
  w.child.kill('SIGTERM');
  const exit = await w.exited;
  return { ...exit, ms: performance.now() - t };
}

async function expectLedgerAllSent(recipients: number): Promise<void> {
  const { rows } = await db.pool.query(`SELECT status, count(*)::int AS n FROM deliveries GROUP BY status`);
  expect(rows).toEqual([{ status: 'sent', n: recipients }]);
  const issues = await db.pool.query(`SELECT status FROM issues`);
  expect(issues.rows).toEqual([{ status: 'sent' }]);
  // The fake's recipients are exactly the readers.
  const counts = fake.countsByRecipient();
  expect(Array.from({ length: recipients }, (_, i) => counts.get(address(i + 1)))).toEqual(Array(recipients).fill(1));
}

it('three `digest worker` processes: each sends a share, one rate limit holds, every reader gets one message, SIGTERM exits 0', async () => {
  const RECIPIENTS = 2000;
  const RATE = 20;
  await seedSubscribers(db.pool, RECIPIENTS);
  const issueId = await composeTestIssue();
  const workers = ['scale-worker-1', 'scale-worker-2', 'scale-worker-3'].map((n) => digestWorker(n, RATE));
  await Promise.all(workers.map((w) => w.logged('delivery.worker.started')));

  // Enqueued while all three run, as the scheduler does: no process gets a head start.
  const { batches } = await enqueueIssue(db.pool, boss, issueId, { batchSize: BATCH });
  expect(batches).toBe(RECIPIENTS / BATCH);
  await until('every batch done', async () => (await openBatches()) === 0, 60_000, workers);

  const exits = await Promise.all(workers.map(terminate));
  expect(exits.map(({ code, signal }) => ({ code, signal }))).toEqual(Array(3).fill({ code: 0, signal: null }));
  for (const w of workers) expect(w.events('delivery.worker.stopped')).toHaveLength(1);
  // Nothing was in flight, so nothing waited for the grace period.
  expect(exits.every((e) => e.ms < STOP_GRACE_MS + 5000)).toBe(true);

  await expectLedgerAllSent(RECIPIENTS);
  expectExactlyOnce(fake, RECIPIENTS);
  expect(fake.requests.every((r) => r.outcome === 'accepted' && r.path === '/emails/batch')).toBe(true);
  expect(fake.requests).toHaveLength(batches);
  expectWithinRate(fake, RATE, { jitterMs: JITTER_MS });

  const share = requestsByAgent(fake);
  expect([...share.keys()].sort()).toEqual(['scale-worker-1', 'scale-worker-2', 'scale-worker-3']);
  for (const n of share.values()) expect(n / batches).toBeGreaterThanOrEqual(0.15);

  const times = fake.requests.map((r) => r.at).sort((a, b) => a - b);
  const seconds = (times.at(-1)! - times[0]!) / 1000;
  // By the database's clock, the limiter's own: when each batch's (only) attempt started, right before its request.
  const attempts = await db.pool.query<{ t: number }>(`SELECT (EXTRACT(EPOCH FROM first_attempt_at) * 1000)::float8 AS t FROM delivery_batches`);
  expect(attempts.rows).toHaveLength(batches);
  expect(maxInWindow(attempts.rows.map((r) => r.t))).toBeLessThanOrEqual(RATE + Math.ceil((RATE * JITTER_MS) / 1000));
  expect(maxInWindow(attempts.rows.map((r) => r.t), 5000)).toBeLessThanOrEqual(5 * RATE + Math.ceil((RATE * JITTER_MS) / 1000));
  console.info(
    `scale: ${batches} batch requests in ${seconds.toFixed(2)} s = ${((batches - 1) / seconds).toFixed(1)}/s (limit ${RATE}); ` +
      `most in any 1 s: ${maxInWindow(times)} at the provider, ${maxInWindow(attempts.rows.map((r) => r.t))} attempts by the database clock; ` +
      `most in any 5 s: ${maxInWindow(times, 5000)}; share ${[...share.entries()].map(([a, n]) => `${a} ${n}`).join(', ')}; ` +
      `SIGTERM exits ${exits.map((e) => `${Math.round(e.ms)} ms`).join(', ')}`,
  );
}, 90_000);

it('SIGTERM with requests on the wire: answered ones finish, the rest are released and taken over at once, nothing twice', async () => {
  const RECIPIENTS = 1200;
  const RATE = 20;
  await seedSubscribers(db.pool, RECIPIENTS);
  const issueId = await composeTestIssue();
  // The victim talks to the fake through a proxy that can keep its answers back.
  proxy = await startHoldingProxy(fake.url);
  const victim = digestWorker('victim', RATE, proxy.url);
  const peers = ['peer-1', 'peer-2'].map((n) => digestWorker(n, RATE));
  const all = [victim, ...peers];
  await Promise.all(all.map((w) => w.logged('delivery.worker.started')));
  await enqueueIssue(db.pool, boss, issueId, { batchSize: BATCH });
  const p = proxy;
  await until('the victim sending', () => p.passed.length >= 3, 30_000, all);

  // From now on the provider gets the victim's requests (and accepts them) but
  // the victim gets no answer: its send loops fill up with requests on the wire.
  p.holding = true;
  await until('three victim requests on the wire', () => p.held.length >= 3, 15_000, all);
  // Freeze the peers, so the ledger shows what the victim left behind before anyone takes it over.
  for (const w of peers) w.child.kill('SIGSTOP');
  const sentBefore = p.passed.length;
  const heldBefore = p.held.length;
  const stopping = terminate(victim);
  // One answer arrives within the grace period: that batch is finished, not released.
  const answered = p.held[0]!;
  setTimeout(() => answered.release(), 1000);
  const exit = await stopping;
  // The others never came (one may have been on its way when SIGTERM landed: it is held too).
  const lost = p.held.slice(1);

  expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
  expect(exit.ms).toBeLessThan(STOP_GRACE_MS + 5000);
  // No new request after SIGTERM beyond loops that were not waiting on an answer
  // yet (the loop whose answer came in the grace period fetched nothing more).
  expect(p.passed.length - sentBefore).toBeLessThanOrEqual(CONCURRENCY - heldBefore);
  // The unanswered ones were cut off at the end of the grace period.
  expect(victim.events('delivery.worker.cutoff')).toHaveLength(1);

  const batchOf = async (keys: (string | null)[]) =>
    (
      await db.pool.query<{ batch: number; status: string; live: boolean }>(
        `SELECT batch, status, claimed_until > clock_timestamp() AS live FROM delivery_batches
          WHERE idempotency_key = ANY ($1::text[]) ORDER BY batch`,
        [keys],
      )
    ).rows;
  expect(await batchOf([answered.key])).toEqual([{ batch: expect.any(Number), status: 'done', live: null }]);
  const lostBatches = await batchOf(lost.map((h) => h.key));
  expect(lostBatches).toHaveLength(lost.length);
  // Released: still sending (same recipients, same key), but the lease is over.
  expect(lostBatches.filter((b) => b.status !== 'sending' || b.live)).toEqual([]);
  const released = victim.events('delivery.worker.released').map((e) => e.batch as number);
  expect(released).toEqual(expect.arrayContaining(lostBatches.map((b) => b.batch)));
  expect(released.length).toBeLessThanOrEqual(CONCURRENCY);
  const releasedRows = await db.pool.query<{ status: string; live: boolean }>(
    `SELECT status, claimed_until > clock_timestamp() AS live FROM delivery_batches WHERE issue_id = $1 AND batch = ANY ($2::int[])`,
    [issueId, released],
  );
  expect(releasedRows.rows.filter((b) => b.status !== 'sending' || b.live)).toEqual([]);

  // The peers carry on and take the released batches first.
  const resumed = performance.now();
  for (const w of peers) w.child.kill('SIGCONT');
  await until(
    'the released batches done',
    async () => (await db.pool.query(`SELECT 1 FROM delivery_batches WHERE batch = ANY ($1::int[]) AND status <> 'done'`, [released])).rowCount === 0,
    15_000,
    all,
  );
  const takeoverMs = performance.now() - resumed;
  await until('every batch done', async () => (await openBatches()) === 0, 60_000, all);
  const exits = await Promise.all(peers.map(terminate));
  expect(exits.map(({ code, signal }) => ({ code, signal }))).toEqual([
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);

  await expectLedgerAllSent(RECIPIENTS);
  expectExactlyOnce(fake, RECIPIENTS);
  // The lost answers' messages had reached the provider: the peer's request
  // under the same key got the first answer back and created nothing.
  for (const h of lost) {
    const seen = fake.requests.filter((r) => r.key === h.key).map((r) => `${r.agent} ${r.outcome}`);
    expect(seen[0]).toBe('victim accepted');
    expect(seen.slice(1)).toContainEqual(expect.stringMatching(/^peer-\d replayed$/));
    expect(seen.filter((s) => s.endsWith('accepted'))).toHaveLength(1);
  }
  console.info(
    `sigterm: victim exit ${Math.round(exit.ms)} ms (grace ${STOP_GRACE_MS} ms), 1 answered in grace, ${lost.length} cut off, ` +
      `${released.length} released (batches ${released.join(', ')}), taken over and done ${Math.round(takeoverMs)} ms after the peers resumed`,
  );
}, 90_000);
