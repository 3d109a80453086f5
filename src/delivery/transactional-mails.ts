// The owner of `transactional_mails` (confirm, reminder, welcome and proof
// mails): every statement on the table is here. A mail is recorded with its
// job inside the caller's transaction, claimed by compare-and-set in database
// time (queued -> sending | suppressed, a lapsed lease is taken over), and
// answered once (sending -> sent | failed); provider webhooks stamp its
// delivered / bounced / complained times, and erasure removes a reader's mails.
import { randomUUID } from 'node:crypto';
import type { Db, DbClient } from '../db/database.ts';
import { QUEUES, clientDb, type Boss } from './queue.ts';
import type { MailKind } from './transport.ts';

type Queryable = Pick<Db | DbClient, 'query'>;

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

export interface ClaimedMail {
  kind: MailKind;
  to_email: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  idempotency_key: string;
}

/**
 * Take the mail if it is queued (and due), or sending with a lapsed lease.
 * An address suppressed by a bounce or complaint is only checked before the
 * first request: once a request went out, the same body must be resent to
 * learn its answer. Run inside the caller's transaction.
 */
export async function claimTransactional(client: DbClient, mailId: number, leaseSeconds: number): Promise<ClaimedMail | 'suppressed' | null> {
  // The suppression check reads `subscribers` in the claim itself (one
  // statement, so no window between check and claim); delivery sits below
  // subscribers and cannot call src/subscribers/store.ts (docs/architecture.md).
  const { rows } = await client.query<ClaimedMail & { suppressed: boolean }>(
    `UPDATE transactional_mails m
        SET status = 'sending', claimed_until = clock_timestamp() + make_interval(secs => $2)
      WHERE m.id = $1
        AND (m.status = 'queued' OR (m.status = 'sending' AND m.claimed_until < clock_timestamp()))
        AND (m.send_after IS NULL OR m.send_after <= clock_timestamp())
     RETURNING m.kind, m.to_email, m.subject, m.html, m.text, m.headers, m.idempotency_key,
               EXISTS (SELECT 1 FROM subscribers s WHERE lower(s.email) = lower(m.to_email) AND s.suppressed_at IS NOT NULL) AS suppressed`,
    [mailId, leaseSeconds],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.suppressed) {
    const first = await client.query(
      `UPDATE transactional_mails SET status = 'suppressed', claimed_until = NULL WHERE id = $1 AND attempts = 0`,
      [mailId],
    );
    if ((first.rowCount ?? 0) > 0) return 'suppressed';
  }
  const { suppressed: _suppressed, ...mail } = row;
  return mail;
}

/** Right before a request: count the attempt and extend the lease. False when the mail is not ours to send any more. */
export async function startTransactionalAttempt(pool: Db, mailId: number, leaseSeconds: number): Promise<boolean> {
  const res = await pool.query(
    `UPDATE transactional_mails SET attempts = attempts + 1, claimed_until = clock_timestamp() + make_interval(secs => $2)
      WHERE id = $1 AND status = 'sending'`,
    [mailId, leaseSeconds],
  );
  return (res.rowCount ?? 0) > 0;
}

/** The provider's final answer: sent (with its message id) or failed (with the error). */
export async function recordTransactional(pool: Db, mailId: number, answer: { ok: true; messageId: string } | { ok: false; error: string | null }): Promise<void> {
  await pool.query(
    `UPDATE transactional_mails
        SET status = $2, provider_message_id = $3, last_error = $4, claimed_until = NULL,
            sent_at = CASE WHEN $2 = 'sent' THEN clock_timestamp() END
      WHERE id = $1 AND status = 'sending'`,
    [mailId, answer.ok ? 'sent' : 'failed', answer.ok ? answer.messageId : null, answer.ok ? null : answer.error],
  );
}

/** The oldest mail that is due and has no live claim (its job was lost or its worker died), or null. */
export async function nextOpenTransactional(pool: Db): Promise<number | null> {
  const { rows } = await pool.query<{ id: number }>(
    `SELECT id FROM transactional_mails
      WHERE ((status = 'sending' AND claimed_until < clock_timestamp()) OR status = 'queued')
        AND (send_after IS NULL OR send_after <= clock_timestamp())
      ORDER BY id LIMIT 1`,
  );
  return rows[0]?.id ?? null;
}

/** Where one mail stands (`digest send --to` waits on it). */
export async function transactionalStatus(db: Queryable, mailId: number): Promise<{ status: string; lastError: string | null } | null> {
  const { rows } = await db.query<{ status: string; last_error: string | null }>('SELECT status, last_error FROM transactional_mails WHERE id = $1', [mailId]);
  return rows[0] ? { status: rows[0].status, lastError: rows[0].last_error } : null;
}

/** Event time columns a provider webhook may fill. */
export type MailEventColumn = 'delivered_at' | 'bounced_at' | 'complained_at';

/**
 * Stamp a provider event on the mails that carry its message id (the first
 * time only). Returns each mail's subscriber and whether this is its first bounce.
 */
export async function stampTransactionalEvent(client: DbClient, messageId: string, column: MailEventColumn): Promise<{ subscriberId: number | null; first: boolean }[]> {
  const { rows } = await client.query<{ subscriber_id: number | null; first: boolean }>(
    `UPDATE transactional_mails m SET ${column} = COALESCE(m.${column}, now())
       FROM (SELECT id, bounced_at IS NULL AS first FROM transactional_mails WHERE provider_message_id = $1 FOR UPDATE) o
      WHERE m.id = o.id
     RETURNING m.subscriber_id, o.first`,
    [messageId],
  );
  return rows.map((r) => ({ subscriberId: r.subscriber_id, first: r.first }));
}

/** A reader's mails for "download my data". */
export async function mailsOfSubscriber(db: Queryable, subscriberId: number): Promise<{ kind: string; subject: string; status: string; createdAt: Date; sentAt: Date | null }[]> {
  const { rows } = await db.query<{ kind: string; subject: string; status: string; createdAt: Date; sentAt: Date | null }>(
    `SELECT kind, subject, status, created_at AS "createdAt", sent_at AS "sentAt"
       FROM transactional_mails WHERE subscriber_id = $1 ORDER BY id`,
    [subscriberId],
  );
  return rows;
}

/** Erasure: every mail to the reader (by id, or sent to the address before it had one). */
export async function eraseTransactionalMails(client: DbClient, subscriberId: number, email: string): Promise<void> {
  await client.query(`DELETE FROM transactional_mails WHERE subscriber_id = $1 OR lower(to_email) = lower($2)`, [subscriberId, email]);
}
