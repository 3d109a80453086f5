// POST /webhooks/resend, below the HTTP layer: forged, stale and replayed
// requests are refused (401) and change nothing; events are recorded once
// against their delivery; a hard bounce or a complaint suppresses the
// address, and the next issue sends it nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueIssue } from '../../src/delivery/enqueue.ts';
import { sendIssue } from '../../src/delivery/send-issue.ts';
import { sign } from '../../src/delivery/webhook-signature.ts';
import { handleResendWebhook } from '../../src/delivery/webhooks.ts';
import { readerSuppression } from '../../src/subscribers/store.ts';
import type { WorkerDeps } from '../../src/delivery/worker.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { address, createIssue, makeDeps, seedSubscribers } from '../support/delivery-fixtures.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const now = () => Math.floor(Date.now() / 1000);

function signed(body: object, opts: { id?: string; timestamp?: number; secret?: string } = {}) {
  const raw = JSON.stringify(body);
  const id = opts.id ?? `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = opts.timestamp ?? now();
  return {
    raw,
    headers: { 'svix-id': id, 'svix-timestamp': String(timestamp), 'svix-signature': sign(opts.secret ?? SECRET, id, timestamp, raw) },
  };
}

function event(type: string, emailId: string, to: string, extra: object = {}) {
  return { type, created_at: new Date().toISOString(), data: { email_id: emailId, to: [to], subject: 'x', ...extra } };
}

describe.each(DB_KINDS)('resend webhooks on %s', (kind) => {
  let db: TestDatabase;
  let fake: FakeResend;
  let deps: WorkerDeps;
  let firstIssue: number;

  const count = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0].n as number;
  const messageIdOf = async (n: number) =>
    (await db.pool.query(`SELECT provider_message_id FROM deliveries WHERE issue_id = $1 AND email = $2`, [firstIssue, address(n)]))
      .rows[0].provider_message_id as string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    fake = await startFakeResend();
    deps = await makeDeps({ pool: db.pool, kind, fakeUrl: fake.url, rate: 200 });
    await seedSubscribers(db.pool, 20);
    firstIssue = await createIssue(db.pool, '2026-W45');
    await sendIssue(deps, firstIssue, { intervalMs: 100 });
  });
  afterAll(async () => {
    await deps?.boss.stop({ graceful: false, close: false });
    await fake?.close();
    await db?.close();
  });

  it('refuses forged, unsigned, stale and replayed requests without changing anything', async () => {
    const body = event('email.bounced', await messageIdOf(1), address(1), { bounce: { type: 'Permanent', subType: 'General' } });
    const forged = signed(body, { secret: `whsec_${randomBytes(24).toString('base64')}` });
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, forged.raw, forged.headers)).status).toBe(401);

    const good = signed(body);
    const tampered = good.raw.replace('Permanent', 'Transient');
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, tampered, good.headers)).status).toBe(401);
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, good.raw, {})).status).toBe(401);

    const stale = signed(body, { timestamp: now() - 600 });
    expect(await handleResendWebhook(db.pool, readerSuppression, SECRET, stale.raw, stale.headers)).toEqual({
      status: 401,
      body: { ok: false, error: 'stale timestamp' },
    });
    expect(await count(`SELECT count(*)::int AS n FROM webhook_events`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM subscribers WHERE suppressed_at IS NOT NULL`)).toBe(0);

    // Delivered, once; the same request again is a replay; the provider's redelivery (same id, new signature) is ignored.
    const delivered = signed(event('email.delivered', await messageIdOf(2), address(2)), { id: 'msg_delivered_2' });
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, delivered.raw, delivered.headers)).status).toBe(200);
    const at = await db.pool.query(`SELECT delivered_at FROM deliveries WHERE email = $1`, [address(2)]);
    expect(at.rows[0].delivered_at).toBeInstanceOf(Date);
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, delivered.raw, delivered.headers)).status).toBe(401);
    const redelivered = signed(event('email.delivered', await messageIdOf(2), address(2)), { id: 'msg_delivered_2', timestamp: now() + 1 });
    expect(await handleResendWebhook(db.pool, readerSuppression, SECRET, redelivered.raw, redelivered.headers)).toMatchObject({
      status: 200,
      body: { duplicate: true },
    });
    expect(await count(`SELECT count(*)::int AS n FROM webhook_events`)).toBe(1);

    const notJson = { raw: '{nope', headers: signed({}).headers };
    notJson.headers['svix-signature'] = sign(SECRET, notJson.headers['svix-id'], Number(notJson.headers['svix-timestamp']), '{nope');
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, notJson.raw, notJson.headers)).status).toBe(400);
    expect((await handleResendWebhook(db.pool, readerSuppression, undefined, good.raw, good.headers)).status).toBe(503);
  });

  it('records opens, clicks and delays; a soft bounce does not suppress', async () => {
    for (const type of ['email.opened', 'email.clicked', 'email.delivery_delayed']) {
      const r = signed(event(type, await messageIdOf(3), address(3)));
      expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, r.raw, r.headers)).status).toBe(200);
    }
    const row = await db.pool.query(`SELECT opened_at, clicked_at, delayed_at FROM deliveries WHERE email = $1`, [address(3)]);
    expect(Object.values(row.rows[0]).every((v) => v instanceof Date)).toBe(true);
    const soft = signed(event('email.bounced', await messageIdOf(4), address(4), { bounce: { type: 'Transient', subType: 'MailboxFull' } }));
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, soft.raw, soft.headers)).status).toBe(200);
    expect(await count(`SELECT count(*)::int AS n FROM subscribers WHERE suppressed_at IS NOT NULL`)).toBe(0);
  });

  it('a hard bounce and a complaint suppress their addresses at once; the next issue skips them', async () => {
    const bounce = signed(event('email.bounced', await messageIdOf(5), address(5), { bounce: { type: 'Permanent', subType: 'General', message: 'no such user' } }));
    // The webhook-* header names (Standard Webhooks) work as well.
    const stdHeaders = {
      'webhook-id': bounce.headers['svix-id'],
      'webhook-timestamp': bounce.headers['svix-timestamp'],
      'webhook-signature': bounce.headers['svix-signature'],
    };
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, Buffer.from(bounce.raw), stdHeaders)).status).toBe(200);
    const complaint = signed(event('email.complained', await messageIdOf(6), address(6)));
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, complaint.raw, complaint.headers)).status).toBe(200);

    const subs = await db.pool.query(`SELECT email, status, suppressed_reason FROM subscribers WHERE suppressed_at IS NOT NULL ORDER BY email`);
    expect(subs.rows).toEqual([
      { email: address(5), status: 'bounced', suppressed_reason: 'hard bounce (General): no such user' },
      { email: address(6), status: 'complained', suppressed_reason: 'complaint' },
    ]);
    const bounced = await db.pool.query(`SELECT bounced_at FROM deliveries WHERE email = $1`, [address(5)]);
    expect(bounced.rows[0].bounced_at).toBeInstanceOf(Date);

    const next = await createIssue(db.pool, '2026-W46');
    const { progress } = await sendIssue(deps, next, { intervalMs: 100 });
    expect(progress).toMatchObject({ total: 18, sent: 18 });
    const toFive = fake.accepted.filter((m) => m.to === address(5)).length;
    const toSeven = fake.accepted.filter((m) => m.to === address(7)).length;
    expect([toFive, toSeven]).toEqual([1, 2]);
  });

  it('a bounce that arrives after the issue was enqueued still stops the queued message', async () => {
    const issueId = await createIssue(db.pool, '2026-W47');
    await enqueueIssue(db.pool, deps.boss, issueId);
    const bounce = signed(event('email.bounced', await messageIdOf(7), address(7), { bounce: { type: 'Permanent' } }));
    expect((await handleResendWebhook(db.pool, readerSuppression, SECRET, bounce.raw, bounce.headers)).status).toBe(200);
    const before = fake.accepted.filter((m) => m.to === address(7)).length;
    const { progress } = await sendIssue(deps, issueId, { intervalMs: 100 });
    expect(progress).toMatchObject({ total: 18, sent: 17, suppressed: 1 });
    expect(fake.accepted.filter((m) => m.to === address(7)).length).toBe(before);
  });
});
