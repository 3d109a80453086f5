// The subscription flow's SQL on the embedded database too (PGlite: one
// session, so nothing may await the pool inside a transaction).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshPglite, type TestDatabase } from '../support/db.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { enqueueTransactional } from '../../src/delivery/enqueue.ts';
import type { SubscriptionDeps } from '../../src/subscribers/deps.ts';
import { drainSubscribeRequests, subscribe } from '../../src/subscribers/subscribe.ts';
import { wakeWith } from '../../src/subscribers/request-worker.ts';
import { confirmSubscription } from '../../src/subscribers/confirm.ts';
import { unsubscribeByToken } from '../../src/subscribers/unsubscribe.ts';
import { eraseSubscriber, exportData } from '../../src/subscribers/preferences.ts';
import { importSubscribers } from '../../src/subscribers/import-export.ts';
import { subscriberToken } from '../../src/subscribers/tokens.ts';

let db: TestDatabase;
let boss: Boss;
let deps: SubscriptionDeps;

beforeAll(async () => {
  db = await freshPglite();
  boss = await startBoss(db, { supervise: false });
  deps = {
    pool: db.pool,
    enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
    wake: wakeWith(boss),
    secret: 'pglite-test-secret-0123456789abcdef',
    publicUrl: 'https://digest.test',
    postalAddress: 'Test Street 1',
    limits: { perIp: 3 },
  };
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: false }).catch(() => {});
  await db?.close();
});

it('subscribes, confirms, unsubscribes, erases and imports on PGlite', async () => {
  expect(await subscribe(deps, { email: 'p@example.com', roles: ['nlp-engineer'], ip: '1.1.1.1' })).toEqual({ kind: 'accepted' });
  expect(await subscribe(deps, { email: 'P@example.com', ip: '1.1.1.1' })).toEqual({ kind: 'accepted' });
  expect(await subscribe(deps, { email: 'q@example.com', ip: '1.1.1.1' })).toEqual({ kind: 'accepted' });
  expect(await subscribe(deps, { email: 'r@example.com', ip: '1.1.1.1' })).toMatchObject({ kind: 'rate-limited' });
  expect(await drainSubscribeRequests(deps)).toBe(3);
  const { rows } = await db.pool.query<{ id: number }>(`SELECT id FROM subscribers WHERE email = 'p@example.com'`);
  const id = rows[0]!.id;
  expect(await confirmSubscription(deps, subscriberToken(deps.secret, 'confirm', id))).toMatchObject({ kind: 'confirmed', first: true });
  expect(await unsubscribeByToken(deps, subscriberToken(deps.secret, 'unsubscribe', id))).toMatchObject({ changed: true });
  const kinds = await db.pool.query(`SELECT kind FROM transactional_mails WHERE subscriber_id = $1 ORDER BY id`, [id]);
  expect(kinds.rows.map((r) => r.kind)).toEqual(['confirm', 'welcome']);
  expect((await exportData(db.pool, id))?.mails.length).toBe(2);
  expect(await eraseSubscriber(db.pool, id)).toBe(true);
  const left = await db.pool.query(`SELECT count(*)::int AS n FROM transactional_mails WHERE to_email = 'p@example.com'`);
  expect(left.rows[0].n).toBe(0);
  const report = await importSubscribers(db.pool, 'email,roles\nq@example.com,ai-architect\nnew@example.com,\nbad\n', { source: 'import:t.csv' });
  expect(report).toMatchObject({ added: 1, activated: 1, problems: [{ line: 4 }] });
});
