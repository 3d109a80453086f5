// Issue 12's acceptance for the one-click flow, with real parts: the site
// app, the delivery worker and the subscribe-request worker sending through
// the resend SDK to the fake Resend server, on PostgreSQL. After
// POST /unsubscribe/:token the address receives nothing more: not a goodbye,
// not the next weekly issue, not after a stranger's subscribe request, not
// after the operator re-imports an old list.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';
import { createIssue, makeDeps } from '../support/delivery-fixtures.ts';
import { createApp } from '../../src/web/app.ts';
import { enqueueIssue, enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { startWorker, type RunningWorker, type WorkerDeps } from '../../src/delivery/worker.ts';
import { mountSubscriptionRoutes, type SubscriptionRouteDeps } from '../../src/subscribers/routes.ts';
import { subscriberToken } from '../../src/subscribers/tokens.ts';
import { addSubscriber, importSubscribers } from '../../src/subscribers/import-export.ts';
import { startSubscribeRequestWorker, wakeWith, type RunningRequestWorker } from '../../src/subscribers/request-worker.ts';

const SECRET = 'one-click-test-secret-0123456789abcdef';
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

let db: TestDatabase;
let fake: FakeResend;
let workerDeps: WorkerDeps;
let worker: RunningWorker;
let requests: RunningRequestWorker;
let app: Hono;

beforeAll(async () => {
  db = await freshPostgres();
  fake = await startFakeResend();
  workerDeps = await makeDeps({ pool: db.pool, kind: 'postgres', fakeUrl: fake.url });
  const subDeps: SubscriptionRouteDeps = {
    pool: db.pool,
    enqueueMail: (client, mail) => enqueueTransactional(client, workerDeps.boss, mail),
    wake: wakeWith(workerDeps.boss),
    secret: SECRET,
    publicUrl: 'https://digest.test',
    postalAddress: 'Test Street 1, Testville',
  };
  worker = startWorker(workerDeps);
  requests = startSubscribeRequestWorker({ ...subDeps, boss: workerDeps.boss, idlePollMs: 100 });
  app = createApp({ pool: db.pool, config: { publicUrl: 'https://digest.test' }, mount: (a) => mountSubscriptionRoutes(a, subDeps) });
});

afterAll(async () => {
  await requests?.stop();
  await worker?.stop({ abort: true });
  await workerDeps?.boss.stop({ graceful: false, close: false }).catch(() => {});
  await fake?.close();
  await db?.close();
});

const sentTo = (email: string) => fake.accepted.filter((m) => m.to.toLowerCase() === email).length;

/** Until nothing is queued anywhere: requests decided, mails and digests sent. */
async function settled(): Promise<void> {
  await expect
    .poll(
      async () => {
        const { rows } = await db.pool.query<{ open: number }>(
          `SELECT (SELECT count(*) FROM subscribe_requests) + (SELECT count(*) FROM transactional_mails WHERE status IN ('queued', 'sending'))
                + (SELECT count(*) FROM deliveries WHERE status IN ('queued', 'sending')) AS open`,
        );
        return Number(rows[0]!.open);
      },
      { timeout: 20_000, interval: 100 },
    )
    .toBe(0);
}

async function weeklySend(week: string): Promise<void> {
  await enqueueIssue(db.pool, workerDeps.boss, await createIssue(db.pool, week));
  await settled();
}

it('after a one-click unsubscribe the fake Resend gets nothing more for the address', async () => {
  for (const email of [ALICE, BOB]) await addSubscriber(db.pool, { email, source: 'test' });
  await weeklySend('2026-W40');
  expect([sentTo(ALICE), sentTo(BOB)]).toEqual([1, 1]);

  const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM subscribers WHERE email = $1', [ALICE]);
  const res = await app.request(`/unsubscribe/${subscriberToken(SECRET, 'unsubscribe', rows[0]!.id)}`, {
    method: 'POST',
    body: 'List-Unsubscribe=One-Click',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status).toBe(200);
  await settled();
  expect(sentTo(ALICE)).toBe(1); // no goodbye

  await weeklySend('2026-W41');
  expect([sentTo(ALICE), sentTo(BOB)]).toEqual([1, 2]);

  // A stranger subscribes alice again; nobody confirms.
  const again = await app.request('/subscribe', { method: 'POST', body: JSON.stringify({ email: ALICE }), headers: { 'content-type': 'application/json' } }, {
    incoming: { socket: { remoteAddress: '198.51.100.66' }, headers: {} },
  });
  expect(again.status).toBe(202);
  await settled();
  await weeklySend('2026-W42');
  expect([sentTo(ALICE), sentTo(BOB)]).toEqual([1, 3]);

  // The operator re-imports an old list with alice on it.
  const report = await importSubscribers(db.pool, `email\n${ALICE}\n${BOB}\n`, { source: 'import:old-list.csv' });
  expect(report).toMatchObject({ added: 0, activated: 0, keptOut: [{ line: 2, email: ALICE }] });
  await weeklySend('2026-W43');
  expect([sentTo(ALICE), sentTo(BOB)]).toEqual([1, 4]);
  const status = await db.pool.query('SELECT status FROM subscribers WHERE email = $1', [ALICE]);
  expect(status.rows[0].status).toBe('unsubscribed');
});
