// The send path on both databases: enqueue once into fixed batches, send
// through the real Resend SDK to the fake server, every active reader exactly
// once with the unsubscribe headers and tags; permissive rejections fail only
// the named messages; retries give up with the provider's reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/database.ts';
import { enqueueIssue, enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { issueProgress } from '../../src/delivery/ledger.ts';
import { sendIssue } from '../../src/delivery/send-issue.ts';
import { startWorker, type WorkerDeps } from '../../src/delivery/worker.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { address, createIssue, makeDeps, PUBLIC_URL, seedSubscribers } from '../support/delivery-fixtures.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';

describe.each(DB_KINDS)('delivery on %s', (kind) => {
  let db: TestDatabase;
  let fake: FakeResend;
  let deps: WorkerDeps;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    fake = await startFakeResend();
    deps = await makeDeps({ pool: db.pool, kind, fakeUrl: fake.url, rate: 200 });
  });
  afterAll(async () => {
    await deps?.boss.stop({ graceful: false, close: false });
    await fake?.close();
    await db?.close();
  });

  it('enqueues active readers once, in fixed batches of at most 100, with one job per batch', async () => {
    await seedSubscribers(db.pool, 250);
    await seedSubscribers(db.pool, 5, { from: 900, status: 'pending' });
    await seedSubscribers(db.pool, 5, { from: 950, status: 'unsubscribed' });
    const issueId = await createIssue(db.pool, '2026-W40');
    const first = await enqueueIssue(db.pool, deps.boss, issueId);
    expect(first).toEqual({ issueId, created: true, recipients: 250, batches: 3 });
    const again = await enqueueIssue(db.pool, deps.boss, issueId);
    expect(again).toEqual({ issueId, created: false, recipients: 250, batches: 3 });

    const sizes = await db.pool.query('SELECT batch, size FROM delivery_batches WHERE issue_id = $1 ORDER BY batch', [issueId]);
    expect(sizes.rows).toEqual([
      { batch: 0, size: 100 },
      { batch: 1, size: 100 },
      { batch: 2, size: 50 },
    ]);
    const jobs = await db.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'delivery-batch'`);
    expect(jobs.rows[0].n).toBe(3);

    const { progress } = await sendIssue(deps, issueId);
    expect(progress).toMatchObject({ total: 250, sent: 250, failed: 0, queued: 0, sending: 0 });
    const counts = fake.countsByRecipient();
    expect(counts.size).toBe(250);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.has(address(900))).toBe(false);

    const msg = fake.accepted.find((m) => m.to === address(7))!;
    const sub = await db.pool.query('SELECT id FROM subscribers WHERE email = $1', [address(7)]);
    expect(msg.headers['List-Unsubscribe']).toBe(`<${PUBLIC_URL}/unsubscribe/tok-${sub.rows[0].id}>`);
    expect(msg.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(msg.tags).toEqual([
      { name: 'kind', value: 'digest' },
      { name: 'issue', value: '2026-W40' },
    ]);
    const issue = await db.pool.query('SELECT status, sent_at FROM issues WHERE id = $1', [issueId]);
    expect(issue.rows[0].status).toBe('sent');
    const ids = await db.pool.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE issue_id = $1 AND provider_message_id IS NOT NULL AND sent_at IS NOT NULL`,
      [issueId],
    );
    expect(ids.rows[0].n).toBe(250);

    // Sending the issue again sends nothing.
    const before = fake.accepted.length;
    await sendIssue(deps, issueId);
    expect(fake.accepted.length).toBe(before);
  });

  it('fails only the messages a permissive batch rejects, without retrying them', async () => {
    await db.pool.query('TRUNCATE subscribers, issues, deliveries, delivery_batches CASCADE');
    await seedSubscribers(db.pool, 120, { from: 2000 });
    fake.setFaults({ invalid: new Set([address(2003), address(2110)]) });
    const issueId = await createIssue(db.pool, '2026-W41');
    const requestsBefore = fake.requests.length;
    const { progress } = await sendIssue(deps, issueId);
    fake.setFaults({ invalid: new Set() });
    expect(progress).toMatchObject({ total: 120, sent: 118, failed: 2 });
    expect(fake.requests.length - requestsBefore).toBe(2);
    const failed = await db.pool.query(`SELECT email, last_error FROM deliveries WHERE issue_id = $1 AND status = 'failed' ORDER BY email`, [
      issueId,
    ]);
    expect(failed.rows.map((r) => r.email)).toEqual([address(2003), address(2110)]);
    expect(failed.rows[0].last_error).toMatch(/Invalid `to` field/);
  });

  it('retries 5xx with backoff up to the limit, then fails the rows with the provider reason', async () => {
    await db.pool.query('TRUNCATE subscribers, issues, deliveries, delivery_batches CASCADE');
    await seedSubscribers(db.pool, 10, { from: 3000 });
    fake.setFaults({ rate500: 1 });
    const issueId = await createIssue(db.pool, '2026-W42');
    const before = fake.requests.length;
    const { progress } = await sendIssue({ ...deps, policy: { ...deps.policy, maxAttempts: 3 } }, issueId, { intervalMs: 100 });
    fake.setFaults({ rate500: 0 });
    expect(progress).toMatchObject({ total: 10, sent: 0, failed: 10 });
    expect(fake.requests.length - before).toBe(3);
    const row = await db.pool.query(`SELECT last_error, attempts FROM deliveries WHERE issue_id = $1 LIMIT 1`, [issueId]);
    expect(row.rows[0].last_error).toMatch(/gave up after 3 attempts: 500 internal_server_error/);
    expect(row.rows[0].attempts).toBe(3);
  });

  it('sends a transactional mail enqueued in the caller transaction once, and nothing to a suppressed address', async () => {
    await seedSubscribers(db.pool, 2, { from: 4000, status: 'pending' });
    await db.pool.query(`UPDATE subscribers SET suppressed_at = now(), status = 'bounced' WHERE email = $1`, [address(4001)]);
    const ids = await withTransaction(db.pool, async (client) => {
      const mail = (n: number) => ({
        dedupeKey: `confirm:${n}`,
        kind: 'confirm' as const,
        subscriberId: null,
        to: address(n),
        subject: 'Confirm your subscription',
        html: '<p>Confirm</p>',
        text: 'Confirm',
      });
      return [
        await enqueueTransactional(client, deps.boss, mail(4000)),
        await enqueueTransactional(client, deps.boss, mail(4000)),
        await enqueueTransactional(client, deps.boss, mail(4001)),
      ];
    });
    expect(ids[0]).toBeTypeOf('number');
    expect(ids[1]).toBeNull();
    const worker = startWorker(deps);
    try {
      for (let i = 0; i < 100; i++) {
        const open = await db.pool.query(`SELECT count(*)::int AS n FROM transactional_mails WHERE status IN ('queued', 'sending')`);
        if (open.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    const rows = await db.pool.query(`SELECT to_email, status, provider_message_id FROM transactional_mails ORDER BY id`);
    expect(rows.rows.map((r) => [r.to_email, r.status])).toEqual([
      [address(4000), 'sent'],
      [address(4001), 'suppressed'],
    ]);
    expect(fake.countsByRecipient().get(address(4000))).toBe(1);
    expect(fake.countsByRecipient().has(address(4001))).toBe(false);
    expect(await issueProgress(db.pool, 999999)).toMatchObject({ total: 0 });
  });
});
