// The welcome sequence hook: the mails after a confirmation are a list of
// (mail, delay) steps; a second step is one more entry, queued in the same
// transaction and not sent before its delay has passed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { startWorker, type WorkerDeps } from '../../src/delivery/worker.ts';
import { confirmSubscription } from '../../src/subscribers/confirm.ts';
import type { SubscriptionDeps } from '../../src/subscribers/deps.ts';
import { subscriberToken } from '../../src/subscribers/tokens.ts';
import { freshPglite, type TestDatabase } from '../support/db.ts';
import { makeDeps } from '../support/delivery-fixtures.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';

let db: TestDatabase;
let fake: FakeResend;
let deps: WorkerDeps;

beforeAll(async () => {
  db = await freshPglite();
  fake = await startFakeResend();
  deps = await makeDeps({ pool: db.pool, kind: 'pglite', fakeUrl: fake.url, rate: 200 });
});
afterAll(async () => {
  await deps?.boss.stop({ graceful: false, close: false });
  await fake?.close();
  await db?.close();
});

it('a configured second step goes out after its delay, once', async () => {
  const subs: SubscriptionDeps = {
    pool: db.pool,
    enqueueMail: (client, mail) => enqueueTransactional(client, deps.boss, mail),
    secret: 'sequence-test-secret-0123456789abcdef',
    publicUrl: 'https://digest.example.test',
    postalAddress: 'Test Street 1',
    welcomeSequence: [
      { mail: 'welcome', delaySeconds: 0 },
      { mail: 'welcome', delaySeconds: 4 },
    ],
  };
  const { rows } = await db.pool.query<{ id: number }>(`INSERT INTO subscribers (email, status) VALUES ('seq@example.test', 'pending') RETURNING id`);
  const token = subscriberToken(subs.secret, 'confirm', rows[0]!.id);
  await confirmSubscription(subs, token);
  await confirmSubscription(subs, token); // a second click queues nothing more
  const queued = await db.pool.query(`SELECT kind, send_after IS NOT NULL AS delayed FROM transactional_mails ORDER BY id`);
  expect(queued.rows).toEqual([{ kind: 'welcome', delayed: false }, { kind: 'welcome', delayed: true }]);

  const worker = startWorker(deps);
  try {
    await expect.poll(() => fake.accepted.length, { timeout: 20_000, interval: 100 }).toBe(1);
    const firstAt = Date.now();
    await expect.poll(() => fake.accepted.length, { timeout: 30_000, interval: 100 }).toBe(2);
    // Not before its delay (counted from the confirmation, which was earlier still).
    const { rows: sent } = await db.pool.query(`SELECT sent_at >= send_after AS on_time FROM transactional_mails WHERE send_after IS NOT NULL`);
    expect(sent[0].on_time).toBe(true);
    expect(Date.now() - firstAt).toBeGreaterThan(1000);
  } finally {
    await worker.stop();
  }
  expect(fake.accepted.map((m) => m.to)).toEqual(['seq@example.test', 'seq@example.test']);
});
