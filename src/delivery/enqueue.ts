// Enqueue an issue: one INSERT..SELECT of the active subscribers into the
// ledger, batches of <= 100 numbered by subscriber id, one row per batch with
// its idempotency key, and one pg-boss job per batch, all in one transaction.
// Running it again for the same issue changes nothing.
import { randomUUID } from 'node:crypto';
import { withTransaction, type Db, type DbClient } from '../db/database.ts';
import { QUEUES, clientDb, type Boss } from './queue.ts';
import { MAX_BATCH, type MailKind } from './transport.ts';

export interface EnqueueResult {
  issueId: number;
  /** False when the issue had been enqueued before: nothing was added. */
  created: boolean;
  recipients: number;
  batches: number;
}

class DeliveryError extends Error {
  override name = 'DeliveryError';
}

export interface BatchJob {
  issueId: number;
  batch: number;
}

export async function enqueueIssue(
  pool: Db,
  boss: Boss,
  issueId: number,
  opts: { batchSize?: number } = {},
): Promise<EnqueueResult> {
  const batchSize = opts.batchSize ?? MAX_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
    throw new DeliveryError(`batch size must be an integer from 1 to ${MAX_BATCH} (got ${batchSize})`);
  }
  return withTransaction(pool, async (client) => {
    const issue = await client.query<{ week: string; enqueued_at: Date | null }>(
      'SELECT week, enqueued_at FROM issues WHERE id = $1 FOR UPDATE',
      [issueId],
    );
    if (issue.rowCount === 0) throw new DeliveryError(`issue ${issueId} does not exist`);
    if (issue.rows[0]!.enqueued_at !== null) {
      const counts = await client.query<{ recipients: number; batches: number }>(
        `SELECT (SELECT count(*) FROM deliveries WHERE issue_id = $1)::int AS recipients,
                (SELECT count(*) FROM delivery_batches WHERE issue_id = $1)::int AS batches`,
        [issueId],
      );
      return { issueId, created: false, ...counts.rows[0]! };
    }
    const inserted = await client.query(
      `INSERT INTO deliveries (issue_id, subscriber_id, email, batch)
       SELECT $1, id, email, ((row_number() OVER (ORDER BY id)) - 1) / $2
         FROM subscribers
        WHERE status = 'active' AND suppressed_at IS NULL
       ON CONFLICT (issue_id, subscriber_id) DO NOTHING`,
      [issueId, batchSize],
    );
    // The key names the issue and batch; the nonce keeps a rebuilt database
    // from colliding with keys the provider still remembers (24 hours).
    const nonce = randomUUID().slice(0, 8);
    const batches = await client.query<{ batch: number }>(
      `INSERT INTO delivery_batches (issue_id, batch, size, idempotency_key)
       SELECT issue_id, batch, count(*), 'digest/' || $2::text || '/' || issue_id || '/' || batch || '/' || $3::text
         FROM deliveries WHERE issue_id = $1
        GROUP BY issue_id, batch
       RETURNING batch`,
      [issueId, issue.rows[0]!.week, nonce],
    );
    if (batches.rows.length > 0) {
      await boss.insert(
        QUEUES.batch,
        batches.rows.map((r) => ({ data: { issueId, batch: r.batch } satisfies BatchJob })),
        { db: clientDb(client) },
      );
    }
    await client.query(
      `UPDATE issues SET enqueued_at = now(), status = CASE WHEN $2 > 0 THEN 'sending' ELSE 'sent' END,
              sent_at = CASE WHEN $2 > 0 THEN NULL ELSE now() END
        WHERE id = $1`,
      [issueId, batches.rows.length],
    );
    return { issueId, created: true, recipients: inserted.rowCount ?? 0, batches: batches.rows.length };
  });
}

export interface TransactionalMail {
  /** Same key twice: the second enqueue is a no-op (e.g. `confirm:42:1`). */
  dedupeKey: string;
  kind: Exclude<MailKind, 'digest'>;
  subscriberId: number | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** A later step of a sequence: not sent before this many seconds from now. */
  delaySeconds?: number;
}

export interface TransactionalJob {
  mailId: number;
}

/**
 * Record a transactional mail and its job inside the caller's transaction
 * (e.g. the subscribe request's). Returns the mail id, or null when a mail
 * with this dedupe key exists already.
 */
export async function enqueueTransactional(client: DbClient, boss: Boss, mail: TransactionalMail): Promise<number | null> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO transactional_mails (dedupe_key, kind, subscriber_id, to_email, subject, html, text, headers, idempotency_key, send_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10::float8 > 0 THEN now() + make_interval(secs => $10::float8) END)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [
      mail.dedupeKey,
      mail.kind,
      mail.subscriberId,
      mail.to,
      mail.subject,
      mail.html,
      mail.text,
      JSON.stringify(mail.headers ?? {}),
      `mail/${mail.kind}/${randomUUID()}`,
      mail.delaySeconds ?? 0,
    ],
  );
  const id = rows[0]?.id;
  if (id === undefined) return null;
  const startAfter = Math.ceil(mail.delaySeconds ?? 0);
  await boss.send(QUEUES.transactional, { mailId: id } satisfies TransactionalJob, { db: clientDb(client), ...(startAfter > 0 ? { startAfter } : {}) });
  return id;
}
