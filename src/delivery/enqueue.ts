// Enqueue an issue: one INSERT..SELECT of the active subscribers into the
// ledger, batches of <= 100 numbered by subscriber id, one row per batch with
// its idempotency key, and one pg-boss job per batch, all in one transaction.
// Running it again for the same issue changes nothing.
import { randomUUID } from 'node:crypto';
import { withTransaction, type Db, type DbClient } from '../db/database.ts';
import { QUEUES, clientDb, type Boss } from './queue.ts';
import { MAX_BATCH } from './transport.ts';
import { lockIssueForEnqueue, markIssueEnqueued } from './ledger.ts';

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
  return withTransaction(pool, (client) => enqueueIssueIn(client, boss, issueId, opts));
}

/** The same inside the caller's transaction (approving an issue enqueues it in the approval's transaction). */
export async function enqueueIssueIn(
  client: DbClient,
  boss: Boss,
  issueId: number,
  opts: { batchSize?: number } = {},
): Promise<EnqueueResult> {
  const batchSize = opts.batchSize ?? MAX_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
    throw new DeliveryError(`batch size must be an integer from 1 to ${MAX_BATCH} (got ${batchSize})`);
  }
  const issue = await lockIssueForEnqueue(client, issueId);
  if (!issue) throw new DeliveryError(`issue ${issueId} does not exist`);
  if (issue.enqueued) {
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
    [issueId, issue.week, nonce],
  );
  if (batches.rows.length > 0) {
    await boss.insert(
      QUEUES.batch,
      batches.rows.map((r) => ({ data: { issueId, batch: r.batch } satisfies BatchJob })),
      { db: clientDb(client) },
    );
  }
  await markIssueEnqueued(client, issueId, batches.rows.length);
  return { issueId, created: true, recipients: inserted.rowCount ?? 0, batches: batches.rows.length };
}

// Transactional mails are enqueued by their table's owner; re-exported so
// callers find both kinds of enqueue here.
export { enqueueTransactional, type TransactionalJob, type TransactionalMail } from './transactional-mails.ts';
