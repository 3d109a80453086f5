// The ledger's state moves, each a compare-and-set in database time:
// batch queued -> sending (claim, or take over when the lease ran out, or was
// released by a stopping worker) -> done;
// delivery queued -> sending | suppressed (at the first claim) -> sent | failed.
import { withTransaction, type Db, type DbClient } from '../db/database.ts';
import type { MessageResult } from './transport.ts';

export interface BatchClaim {
  idempotencyKey: string;
  week: string;
  /** Seconds since the first request for this batch: the provider keeps keys for 24 h. */
  ageSeconds: number;
  /** The lease end this claim set (database text, exact to the microsecond): names the holder for releaseBatch. */
  lease: string;
}

export interface BatchRow {
  id: number;
  subscriberId: number;
  email: string;
  roles: string[];
}

/**
 * Take the batch if it is queued, or sending with a lapsed lease (its worker
 * died). The first claim also fixes the batch's recipients: addresses that
 * stopped being active are marked suppressed and left out. Every later claim
 * sees the same `sending` rows, so a retry sends the same request body.
 */
export async function claimBatch(pool: Db, issueId: number, batch: number, leaseSeconds: number): Promise<BatchClaim | null> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ idempotency_key: string; week: string; age_s: number | null; lease: string }>(
      `UPDATE delivery_batches b
          SET status = 'sending', claimed_until = clock_timestamp() + make_interval(secs => $3)
         FROM issues i
        WHERE i.id = b.issue_id AND b.issue_id = $1 AND b.batch = $2
          AND (b.status = 'queued' OR (b.status = 'sending' AND b.claimed_until < clock_timestamp()))
       RETURNING b.idempotency_key, i.week, EXTRACT(EPOCH FROM clock_timestamp() - b.first_attempt_at)::float8 AS age_s,
                 b.claimed_until::text AS lease`,
      [issueId, batch, leaseSeconds],
    );
    const row = rows[0];
    if (!row) return null;
    await client.query(
      `UPDATE deliveries d
          SET status = CASE WHEN s.status = 'active' AND s.suppressed_at IS NULL THEN 'sending' ELSE 'suppressed' END
         FROM subscribers s
        WHERE s.id = d.subscriber_id AND d.issue_id = $1 AND d.batch = $2 AND d.status = 'queued'`,
      [issueId, batch],
    );
    return { idempotencyKey: row.idempotency_key, week: row.week, ageSeconds: row.age_s ?? 0, lease: row.lease };
  });
}

export async function loadBatchRows(pool: Db, issueId: number, batch: number): Promise<BatchRow[]> {
  const { rows } = await pool.query<{ id: number; subscriber_id: number; email: string; roles: string[] }>(
    `SELECT d.id, d.subscriber_id, d.email, s.roles
       FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
      WHERE d.issue_id = $1 AND d.batch = $2 AND d.status = 'sending'
      ORDER BY d.id`,
    [issueId, batch],
  );
  return rows.map((r) => ({ id: r.id, subscriberId: r.subscriber_id, email: r.email, roles: r.roles }));
}

/**
 * Right before a request: extend the lease and count the attempt. Returns the
 * new lease end, or null when the batch is done already (another worker
 * finished it).
 */
export async function startBatchAttempt(pool: Db, issueId: number, batch: number, leaseSeconds: number): Promise<string | null> {
  const { rows } = await pool.query<{ lease: string }>(
    `UPDATE delivery_batches
        SET attempts = attempts + 1, claimed_until = clock_timestamp() + make_interval(secs => $3),
            first_attempt_at = COALESCE(first_attempt_at, clock_timestamp())
      WHERE issue_id = $1 AND batch = $2 AND status = 'sending'
     RETURNING claimed_until::text AS lease`,
    [issueId, batch, leaseSeconds],
  );
  return rows[0]?.lease ?? null;
}

/**
 * A stopping worker hands a batch back: the lease ends now, so the next
 * claim (or orphan scan) takes it at once instead of after `leaseSeconds`.
 * The batch stays `sending` with its recipients and key, so whoever takes it
 * sends the same body under the same key, and the provider answers a request
 * it had already accepted with that answer, creating nothing. Only the holder
 * of `lease` (the value its last claim or attempt set) releases: a worker
 * whose lease ran out meanwhile must not end a newer holder's. False when it
 * held nothing any more.
 */
export async function releaseBatch(pool: Db, issueId: number, batch: number, lease: string): Promise<boolean> {
  const res = await pool.query(
    `UPDATE delivery_batches SET claimed_until = clock_timestamp()
      WHERE issue_id = $1 AND batch = $2 AND status = 'sending' AND claimed_until = $3::timestamptz`,
    [issueId, batch, lease],
  );
  return (res.rowCount ?? 0) > 0;
}

export async function noteBatchError(pool: Db, issueId: number, batch: number, error: string): Promise<void> {
  await pool.query(`UPDATE delivery_batches SET last_error = $3 WHERE issue_id = $1 AND batch = $2`, [issueId, batch, error]);
}

/**
 * Write the provider's answer for every row of the batch and close it, in one
 * transaction. `results[i]` belongs to `rows[i]`; a missing result list means
 * every row failed with `error`.
 */
export async function recordBatch(
  pool: Db,
  issueId: number,
  batch: number,
  rows: BatchRow[],
  results: MessageResult[] | null,
  error: string | null,
): Promise<void> {
  const ids = rows.map((r) => r.id);
  const statuses = rows.map((_, i) => (results?.[i]?.ok ? 'sent' : 'failed'));
  const messageIds = rows.map((_, i) => {
    const r = results?.[i];
    return r?.ok ? r.id : null;
  });
  const errors = rows.map((_, i) => {
    const r = results?.[i];
    return r === undefined ? error : r.ok ? null : r.error;
  });
  await withTransaction(pool, async (client) => {
    await client.query(
      `UPDATE deliveries d
          SET status = v.status, provider_message_id = v.message_id, last_error = v.error,
              attempts = b.attempts,
              sent_at = CASE WHEN v.status = 'sent' THEN clock_timestamp() END,
              failed_at = CASE WHEN v.status = 'failed' THEN clock_timestamp() END
         FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS v (id, status, message_id, error),
              delivery_batches b
        WHERE d.id = v.id AND d.status = 'sending' AND b.issue_id = $1 AND b.batch = $2`,
      [issueId, batch, ids, statuses, messageIds, errors],
    );
    await client.query(
      `UPDATE delivery_batches
          SET status = 'done', done_at = clock_timestamp(), claimed_until = NULL, last_error = COALESCE($3, last_error)
        WHERE issue_id = $1 AND batch = $2 AND status = 'sending'`,
      [issueId, batch, error],
    );
  });
}

// The issue's sending state. `issues` belongs to src/digest/store.ts, but
// delivery sits below digest (docs/architecture.md, "Tables"): the columns
// that say how far sending got (enqueued_at, status sending -> sent,
// sent_at) move with the ledger, in the ledger's own transactions, here.

/** Lock the issue row while its ledger is built: its week, and whether it was enqueued before. */
export async function lockIssueForEnqueue(client: DbClient, issueId: number): Promise<{ week: string; enqueued: boolean } | undefined> {
  const { rows } = await client.query<{ week: string; enqueued: boolean }>(
    'SELECT week, enqueued_at IS NOT NULL AS enqueued FROM issues WHERE id = $1 FOR UPDATE',
    [issueId],
  );
  return rows[0];
}

/** The ledger is built: sending, or sent at once when there was nobody to send to. */
export async function markIssueEnqueued(client: DbClient, issueId: number, batches: number): Promise<void> {
  await client.query(
    `UPDATE issues SET enqueued_at = now(), status = CASE WHEN $2 > 0 THEN 'sending' ELSE 'sent' END,
            sent_at = CASE WHEN $2 > 0 THEN NULL ELSE now() END
      WHERE id = $1`,
    [issueId, batches],
  );
}

/** Mark the issue sent once no batch is open. Run after the batch's transaction committed. */
export async function finishIssueIfDone(pool: Db, issueId: number): Promise<boolean> {
  const res = await pool.query(
    `UPDATE issues SET status = 'sent', sent_at = now()
      WHERE id = $1 AND status = 'sending'
        AND NOT EXISTS (SELECT 1 FROM delivery_batches WHERE issue_id = $1 AND status <> 'done')`,
    [issueId],
  );
  return (res.rowCount ?? 0) > 0;
}

/**
 * Batches that need a worker although no job may bring one: sending with the
 * lease run out (the worker died mid-batch), or still queued while the queue
 * looks empty to the caller (a worker took the job and died before claiming;
 * pg-boss would hand the job out again only when it expires). Taking a queued
 * batch early is harmless: the claim is a compare-and-set, its job then skips.
 */
export async function orphanedBatches(pool: Db, limit: number): Promise<{ issueId: number; batch: number }[]> {
  const { rows } = await pool.query<{ issue_id: number; batch: number }>(
    `SELECT issue_id, batch FROM delivery_batches
      WHERE (status = 'sending' AND claimed_until < clock_timestamp()) OR status = 'queued'
      ORDER BY status DESC, issue_id, batch LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ issueId: r.issue_id, batch: r.batch }));
}

export interface IssueProgress {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
}

export async function issueProgress(pool: Db, issueId: number): Promise<IssueProgress> {
  const { rows } = await pool.query<{ status: keyof IssueProgress; n: number }>(
    `SELECT status, count(*)::int AS n FROM deliveries WHERE issue_id = $1 GROUP BY status`,
    [issueId],
  );
  const p: IssueProgress = { total: 0, queued: 0, sending: 0, sent: 0, failed: 0, suppressed: 0 };
  for (const r of rows) {
    p[r.status] = r.n;
    p.total += r.n;
  }
  return p;
}

/** Deliveries of the issue of `week` not sent yet (queued or sending); 0 when there is no such issue. */
export async function openDeliveriesOfWeek(pool: Db, week: string): Promise<number> {
  const { rows } = await pool.query<{ open: number }>(
    `SELECT count(*)::int AS open FROM deliveries d JOIN issues i ON i.id = d.issue_id WHERE i.week = $1 AND d.status IN ('queued', 'sending')`,
    [week],
  );
  return rows[0]!.open;
}

/** A reader's digests for "download my data", by week. */
export async function deliveriesOfSubscriber(pool: Db, subscriberId: number): Promise<
  { week: string; status: string; sentAt: Date | null; deliveredAt: Date | null; openedAt: Date | null; clickedAt: Date | null; bouncedAt: Date | null; complainedAt: Date | null }[]
> {
  const { rows } = await pool.query(
    `SELECT i.week, d.status, d.sent_at AS "sentAt", d.delivered_at AS "deliveredAt", d.opened_at AS "openedAt",
            d.clicked_at AS "clickedAt", d.bounced_at AS "bouncedAt", d.complained_at AS "complainedAt"
       FROM deliveries d JOIN issues i ON i.id = d.issue_id
      WHERE d.subscriber_id = $1 ORDER BY i.week`,
    [subscriberId],
  );
  return rows;
}

/** Erasure: the reader's ledger rows stay for the issues' counts, without the address or the provider's message id. */
export async function anonymizeDeliveries(client: DbClient, subscriberId: number): Promise<void> {
  await client.query(`UPDATE deliveries SET email = '', provider_message_id = NULL, last_error = NULL WHERE subscriber_id = $1`, [subscriberId]);
}

/** Event time columns of a delivery that a provider webhook may fill. */
export type DeliveryEventColumn = 'delivered_at' | 'delayed_at' | 'bounced_at' | 'complained_at' | 'opened_at' | 'clicked_at';

/**
 * Stamp a provider event on the deliveries that carry its message id (the
 * first time only); a bounce also records its kind (hard wins). Returns each
 * delivery's reader and whether this is its first bounce.
 */
export async function stampDeliveryEvent(
  client: DbClient,
  messageId: string,
  column: DeliveryEventColumn,
  bounceKind: 'hard' | 'soft' | null,
): Promise<{ subscriberId: number; first: boolean }[]> {
  const { rows } = await client.query<{ subscriber_id: number; first: boolean }>(
    `UPDATE deliveries d SET ${column} = COALESCE(d.${column}, now()),
            bounce_kind = CASE WHEN $2::text IS NULL THEN d.bounce_kind WHEN $2 = 'hard' OR d.bounce_kind = 'hard' THEN 'hard' ELSE 'soft' END
       FROM (SELECT id, bounced_at IS NULL AS first FROM deliveries WHERE provider_message_id = $1 FOR UPDATE) o
      WHERE d.id = o.id
     RETURNING d.subscriber_id, o.first`,
    [messageId, bounceKind],
  );
  return rows.map((r) => ({ subscriberId: Number(r.subscriber_id), first: r.first }));
}

/** Deliveries of readers suppressed just now that no batch has claimed yet are closed now, not at their claim. */
export async function closeQueuedDeliveries(client: DbClient, subscriberIds: number[]): Promise<void> {
  if (subscriberIds.length === 0) return;
  await client.query(`UPDATE deliveries SET status = 'suppressed' WHERE status = 'queued' AND subscriber_id = ANY ($1::bigint[])`, [subscriberIds]);
}
