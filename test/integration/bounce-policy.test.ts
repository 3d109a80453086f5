// The bounce policy through signed webhooks: BOUNCE_SOFT_LIMIT soft bounces
// in a row, across issues, suppress an address; a delivered mail between them
// starts the count again; a complaint suppresses at once and is listed apart;
// the export (`digest subscribers export --status ...`) names each address
// with its reason and date.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendIssue } from '../../src/delivery/send-issue.ts';
import { sign } from '../../src/delivery/webhook-signature.ts';
import { handleResendWebhook } from '../../src/delivery/webhooks.ts';
import { readerSuppression } from '../../src/subscribers/store.ts';
import type { WorkerDeps } from '../../src/delivery/worker.ts';
import { formatSuppressionCsv, readSuppressionList } from '../../src/subscribers/suppression.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { address, createIssue, makeDeps, seedSubscribers } from '../support/delivery-fixtures.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';
import { runCli } from '../support/run-cli.ts';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const POLICY = { softBounceLimit: 3 };

function signed(body: object) {
  const raw = JSON.stringify(body);
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return { raw, headers: { 'svix-id': id, 'svix-timestamp': String(timestamp), 'svix-signature': sign(SECRET, id, timestamp, raw) } };
}

describe.each(DB_KINDS)('bounce policy on %s', (kind) => {
  let db: TestDatabase;
  let fake: FakeResend;
  let deps: WorkerDeps;
  let week = 40;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    fake = await startFakeResend();
    deps = await makeDeps({ pool: db.pool, kind, fakeUrl: fake.url, rate: 200 });
    await seedSubscribers(db.pool, 4);
  });
  afterAll(async () => {
    await deps?.boss.stop({ graceful: false, close: false });
    await fake?.close();
    await db?.close();
  });

  /** Sends a new issue; answers each reader's provider message id. */
  async function sendNext(): Promise<Map<string, string>> {
    const id = await createIssue(db.pool, `2026-W${week++}`);
    await sendIssue(deps, id, { intervalMs: 100 });
    const { rows } = await db.pool.query<{ email: string; provider_message_id: string }>(
      `SELECT email, provider_message_id FROM deliveries WHERE issue_id = $1 AND status = 'sent'`,
      [id],
    );
    return new Map(rows.map((r) => [r.email, r.provider_message_id]));
  }

  async function post(type: string, messageId: string, to: string, extra: object = {}): Promise<void> {
    const r = signed({ type, created_at: new Date().toISOString(), data: { email_id: messageId, to: [to], ...extra } });
    const res = await handleResendWebhook(db.pool, readerSuppression, SECRET, r.raw, r.headers, undefined, POLICY);
    expect(res.status).toBe(200);
  }
  const soft = (id: string, to: string) => post('email.bounced', id, to, { bounce: { type: 'Transient', subType: 'MailboxFull', message: 'mailbox full' } });

  const state = async (n: number) =>
    (await db.pool.query(`SELECT status, soft_bounces, suppressed_reason FROM subscribers WHERE email = $1`, [address(n)])).rows[0];

  it('three soft bounces in a row suppress; a delivery between them resets; a complaint suppresses at once', async () => {
    // Issue 1: reader 1 and 2 bounce softly, reader 3 complains.
    let ids = await sendNext();
    await soft(ids.get(address(1))!, address(1));
    await soft(ids.get(address(2))!, address(2));
    // A second event about the same message counts nothing more.
    await soft(ids.get(address(1))!, address(1));
    await post('email.complained', ids.get(address(3))!, address(3));
    expect(await state(1)).toMatchObject({ status: 'active', soft_bounces: 1 });
    expect(await state(3)).toMatchObject({ status: 'complained', suppressed_reason: 'complaint' });

    // Issue 2: both bounce softly again.
    ids = await sendNext();
    expect(ids.has(address(3))).toBe(false);
    await soft(ids.get(address(1))!, address(1));
    await soft(ids.get(address(2))!, address(2));
    expect(await state(2)).toMatchObject({ status: 'active', soft_bounces: 2 });

    // Issue 3: reader 2's mail is delivered (count back to 0), reader 1 bounces a third time.
    ids = await sendNext();
    await post('email.delivered', ids.get(address(2))!, address(2));
    await soft(ids.get(address(1))!, address(1));
    expect(await state(1)).toMatchObject({ status: 'bounced', soft_bounces: 3, suppressed_reason: '3 soft bounces in a row (last: MailboxFull)' });
    expect(await state(2)).toMatchObject({ status: 'active', soft_bounces: 0 });

    // Issue 4: reader 2 bounces once more (1 of 3: still a reader); reader 1 and 3 get nothing.
    const before = fake.accepted.filter((m) => m.to === address(1)).length;
    ids = await sendNext();
    expect([...ids.keys()].sort()).toEqual([address(2), address(4)]);
    expect(fake.accepted.filter((m) => m.to === address(1)).length).toBe(before);
    await soft(ids.get(address(2))!, address(2));
    expect(await state(2)).toMatchObject({ status: 'active', soft_bounces: 1 });
  });

  it('lists the suppression list with reason and date, complaints apart from bounces', async () => {
    const suppressed = await readSuppressionList(db.pool, 'suppressed');
    expect(suppressed.map((r) => [r.email, r.status, r.reason])).toEqual(
      expect.arrayContaining([
        [address(1), 'bounced', '3 soft bounces in a row (last: MailboxFull)'],
        [address(3), 'complained', 'complaint'],
      ]),
    );
    expect(suppressed).toHaveLength(2);
    const csv = formatSuppressionCsv(suppressed).split('\n');
    expect(csv[0]).toBe('email,status,reason,date');
    const line = csv.find((l) => l.startsWith(address(1)))!;
    expect(line).toMatch(new RegExp(`^${address(1).replace(/\./g, '\\.')},bounced,3 soft bounces in a row \\(last: MailboxFull\\),\\d{4}-\\d{2}-\\d{2}T`));

    await db.pool.query(`UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = now() WHERE email = $1`, [address(4)]);
    expect((await readSuppressionList(db.pool, 'unsubscribed')).map((r) => [r.email, r.reason])).toEqual([[address(4), 'unsubscribed']]);
    expect(await readSuppressionList(db.pool, 'all')).toHaveLength(3);

    if (kind === 'postgres') {
      const out = await runCli(['subscribers', 'export', '--status', 'suppressed'], { DATABASE_URL: db.url!, LOG_LEVEL: 'silent' });
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain(`${address(3)},complained,complaint,`);
      expect(out.stdout).toContain(`${address(1)},bounced,3 soft bounces in a row (last: MailboxFull),`);
      const bad = await runCli(['subscribers', 'export', '--status', 'gone'], { DATABASE_URL: db.url!, LOG_LEVEL: 'silent' });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--status must be suppressed, unsubscribed or all');
    }
  });
});
