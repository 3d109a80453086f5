// The owner of `subscribers`: every statement that writes the table, and the
// reads other modules need, is here; the capability's modules (subscribe,
// confirm, unsubscribe, preferences, import-export, suppression) and the
// layers above (digest, web) call these functions. Functions taking a
// `DbClient` run inside the caller's transaction.
//
// Delivery sits below subscribers (docs/architecture.md) and cannot import
// this module: what a provider webhook does to a reader (suppression, the
// soft-bounce count) is `readerSuppression` below, which the web layer hands
// to src/delivery/webhooks.ts.
import type { Db, DbClient } from '../db/database.ts';
import type { ReaderSuppression } from '../delivery/webhooks.ts';

type Queryable = Pick<Db | DbClient, 'query'>;

export interface SubscriberView {
  id: number;
  email: string;
  status: 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained';
  roles: string[];
  source: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  suppressedAt: Date | null;
  suppressedReason: string | null;
}

/** One reader as the preferences page and the data export show it; undefined when missing or erased. */
export async function loadSubscriber(db: Queryable, id: number): Promise<SubscriberView | undefined> {
  const { rows } = await db.query<{
    id: number;
    email: string | null;
    status: SubscriberView['status'] | 'deleted';
    roles: string[];
    source: string | null;
    created_at: Date;
    confirmed_at: Date | null;
    unsubscribed_at: Date | null;
    suppressed_at: Date | null;
    suppressed_reason: string | null;
  }>(
    `SELECT id, email, status, roles, source, created_at, confirmed_at, unsubscribed_at, suppressed_at, suppressed_reason
       FROM subscribers WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r || r.email === null || r.status === 'deleted') return undefined;
  return {
    id: r.id,
    email: r.email,
    status: r.status,
    roles: r.roles,
    source: r.source,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    unsubscribedAt: r.unsubscribed_at,
    suppressedAt: r.suppressed_at,
    suppressedReason: r.suppressed_reason,
  };
}

/** A reader's status ('deleted' once erased), or undefined for an unknown id. */
export async function subscriberStatus(db: Queryable, id: number): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM subscribers WHERE id = $1', [id]);
  return rows[0]?.status;
}

/** A reader by address, whatever the status (`digest preview --email`). */
export async function findSubscriberByEmail(db: Queryable, email: string): Promise<{ id: number; email: string; roles: string[]; status: string } | undefined> {
  const { rows } = await db.query<{ id: number; email: string; roles: string[]; status: string }>(
    `SELECT id, email, roles, status FROM subscribers WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0];
}

/** Lock a reader's row for a change of status; `email` is null once erased. */
export async function lockSubscriber(client: DbClient, id: number): Promise<{ email: string | null; status: string; roles: string[] } | undefined> {
  const { rows } = await client.query<{ email: string | null; status: string; roles: string[] }>(
    'SELECT email, status, roles FROM subscribers WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0];
}

/** Lock a reader's row by address (an insert found it there already). */
export async function lockSubscriberByEmail(client: DbClient, email: string): Promise<{ id: number; status: string; optedOutAt: Date | null } | undefined> {
  const { rows } = await client.query<{ id: number; status: string; opted_out_at: Date | null }>(
    'SELECT id, status, opted_out_at FROM subscribers WHERE lower(email) = lower($1) FOR UPDATE',
    [email],
  );
  const r = rows[0];
  return r ? { id: r.id, status: r.status, optedOutAt: r.opted_out_at } : undefined;
}

/** A new address from the public form: pending. Undefined when the address is there already. */
export async function insertPending(client: DbClient, email: string, roles: string[], source: string): Promise<number | undefined> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO subscribers (email, status, roles, source) VALUES ($1, 'pending', $2, $3)
     ON CONFLICT DO NOTHING RETURNING id`,
    [email, roles, source],
  );
  return rows[0]?.id;
}

/** Not confirmed yet: the roles of the latest request count. */
export async function setPendingRoles(client: DbClient, id: number, roles: string[]): Promise<void> {
  await client.query(`UPDATE subscribers SET roles = $2 WHERE id = $1`, [id, roles]);
}

export interface ConfirmationLimits {
  resendSeconds: number;
  windowDays: number;
  maxPerWindow: number;
}

/**
 * The right to send a confirmation, by compare-and-set on the reader's row:
 * pending, not suppressed or opted out, the gap since the last one passed,
 * and under the per-window cap. Returns the address, roles, sends in this
 * window and a key (database milliseconds), or undefined.
 */
export async function takeConfirmationSend(
  client: DbClient,
  id: number,
  limits: ConfirmationLimits,
): Promise<{ email: string; roles: string[]; sends: number; key: string } | undefined> {
  const { rows } = await client.query<{ email: string; roles: string[]; sends: number; key: string }>(
    `UPDATE subscribers
        SET confirm_window_at = CASE WHEN fresh THEN now() ELSE confirm_window_at END,
            confirm_sends = CASE WHEN fresh THEN 1 ELSE confirm_sends + 1 END,
            confirm_sent_at = now()
       FROM (SELECT confirm_window_at IS NULL OR confirm_window_at <= now() - make_interval(days => $3) AS fresh
               FROM subscribers WHERE id = $1) w
      WHERE id = $1 AND status = 'pending' AND suppressed_at IS NULL AND opted_out_at IS NULL
        AND (confirm_sent_at IS NULL OR confirm_sent_at <= now() - make_interval(secs => $2))
        AND (w.fresh OR confirm_sends < $4)
      RETURNING email, roles, confirm_sends AS sends, (EXTRACT(EPOCH FROM now()) * 1000)::bigint::text AS key`,
    [id, limits.resendSeconds, limits.windowDays, limits.maxPerWindow],
  );
  return rows[0];
}

/** pending -> active. Returns the confirmation time as a key (database milliseconds), or undefined when it was not pending. */
export async function activatePending(client: DbClient, id: number): Promise<string | undefined> {
  const { rows } = await client.query<{ key: string }>(
    `UPDATE subscribers
        SET status = 'active', confirmed_at = now(), unsubscribed_at = NULL
      WHERE id = $1 AND status = 'pending'
      RETURNING (EXTRACT(EPOCH FROM confirmed_at) * 1000)::bigint::text AS key`,
    [id],
  );
  return rows[0]?.key;
}

/** active or pending -> unsubscribed. */
export async function markUnsubscribed(client: DbClient, id: number): Promise<boolean> {
  const res = await client.query(
    `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = now() WHERE id = $1 AND status IN ('active', 'pending')`,
    [id],
  );
  return (res.rowCount ?? 0) > 0;
}

/** Back in after unsubscribing (not when bounced or complained). */
export async function markResubscribed(client: DbClient, id: number): Promise<boolean> {
  const res = await client.query(
    `UPDATE subscribers SET status = 'active', unsubscribed_at = NULL, confirmed_at = COALESCE(confirmed_at, now())
      WHERE id = $1 AND status = 'unsubscribed' AND suppressed_at IS NULL`,
    [id],
  );
  return (res.rowCount ?? 0) > 0;
}

/** Replace the roles followed (already validated slugs). Works in every status but deleted. */
export async function saveRoles(db: Queryable, id: number, roles: string[]): Promise<boolean> {
  const res = await db.query(
    `UPDATE subscribers SET roles = $2, preferences_updated_at = now() WHERE id = $1 AND status <> 'deleted'`,
    [id, roles],
  );
  return (res.rowCount ?? 0) > 0;
}

/** An operator vouches for a new address: active at once. False when the address is there already. */
export async function insertVouched(client: DbClient, email: string, roles: string[], source: string): Promise<boolean> {
  const res = await client.query(
    `INSERT INTO subscribers (email, status, roles, source, confirmed_at) VALUES ($1, 'active', $2, $3, now())
     ON CONFLICT DO NOTHING`,
    [email, roles, source],
  );
  return (res.rowCount ?? 0) > 0;
}

/** An operator vouches for a pending address: active, with the roles and source given. */
export async function activateVouched(client: DbClient, id: number, roles: string[], source: string): Promise<void> {
  await client.query(
    `UPDATE subscribers SET status = 'active', confirmed_at = now(), roles = $2, source = $3 WHERE id = $1 AND status = 'pending'`,
    [id, roles, source],
  );
}

/** Erasure: an anonymous row stays (issues keep their delivery counts), with no address and no dates. */
export async function anonymizeSubscriber(client: DbClient, id: number): Promise<void> {
  await client.query(
    `UPDATE subscribers
        SET email = NULL, status = 'deleted', roles = '{}', source = NULL, confirmed_at = NULL, unsubscribed_at = NULL,
            suppressed_at = NULL, suppressed_reason = NULL, confirm_sent_at = NULL, confirm_window_at = NULL,
            confirm_sends = 0, preferences_updated_at = NULL, opted_out_at = NULL, deleted_at = now()
      WHERE id = $1`,
    [id],
  );
}

/** The active readers as `email, roles`, oldest first (`digest subscribers export`). */
export async function activeReaders(db: Queryable): Promise<{ email: string; roles: string[] }[]> {
  const { rows } = await db.query<{ email: string; roles: string[] }>(`SELECT email, roles FROM subscribers WHERE status = 'active' ORDER BY id`);
  return rows;
}

/** Active, unsuppressed readers per set of roles followed, largest first: the segments an issue goes out in. */
export async function readerSegments(db: Queryable, limit: number): Promise<{ roles: string[]; readers: number }[]> {
  const { rows } = await db.query<{ roles: string[]; readers: number }>(
    `SELECT roles, count(*)::int AS readers FROM subscribers WHERE status = 'active' AND suppressed_at IS NULL
      GROUP BY roles ORDER BY readers DESC, roles LIMIT $1`,
    [limit],
  );
  return rows;
}

export type ExportStatus = 'suppressed' | 'unsubscribed' | 'all';

export interface SuppressedReader {
  email: string;
  /** bounced, complained or unsubscribed. */
  status: string;
  reason: string;
  since: Date;
}

const SUPPRESSION_WHERE: Record<ExportStatus, string> = {
  suppressed: `suppressed_at IS NOT NULL`,
  unsubscribed: `status = 'unsubscribed' AND suppressed_at IS NULL`,
  all: `(suppressed_at IS NOT NULL OR status = 'unsubscribed')`,
};

/** Readers who get nothing, newest first. Erased readers have no address and are left out. */
export async function readSuppressionList(db: Queryable, status: ExportStatus, limit = 100_000): Promise<SuppressedReader[]> {
  const { rows } = await db.query<SuppressedReader>(
    `SELECT email,
            CASE WHEN suppressed_at IS NOT NULL AND status = 'unsubscribed' THEN 'bounced' ELSE status END AS status,
            COALESCE(suppressed_reason, CASE WHEN status = 'unsubscribed' THEN 'unsubscribed' END, status) AS reason,
            COALESCE(suppressed_at, unsubscribed_at, created_at) AS since
       FROM subscribers
      WHERE email IS NOT NULL AND status <> 'deleted' AND ${SUPPRESSION_WHERE[status]}
      ORDER BY since DESC, id DESC
      LIMIT $1`,
    [limit],
  );
  return rows;
}

/**
 * What provider events do to readers (src/delivery/webhooks.ts calls it in
 * the event's transaction): a delivered mail ends a run of soft bounces; a
 * hard bounce or complaint suppresses the address at once; soft bounces count
 * and `limit` of them in a row suppress it. An erased reader keeps status 'deleted'.
 */
export const readerSuppression: ReaderSuppression = {
  async delivered(client, subscriberIds) {
    if (subscriberIds.length === 0) return;
    await client.query(`UPDATE subscribers SET soft_bounces = 0 WHERE soft_bounces > 0 AND id = ANY ($1::bigint[])`, [subscriberIds]);
  },

  async suppress(client, who, status, reason) {
    const { rows } = await client.query<{ id: number }>(
      `UPDATE subscribers
          SET status = CASE WHEN status = 'deleted' THEN status ELSE $3 END,
              suppressed_at = COALESCE(suppressed_at, now()), suppressed_reason = COALESCE(suppressed_reason, $4)
        WHERE lower(email) = ANY ($1::text[]) OR id = ANY ($2::bigint[])
       RETURNING id`,
      [who.emails, who.subscriberIds, status, reason],
    );
    return rows.map((r) => Number(r.id));
  },

  async softBounced(client, subscriberIds, limit, detail) {
    if (subscriberIds.length === 0) return [];
    const { rows } = await client.query<{ id: number; suppressed: boolean }>(
      `UPDATE subscribers
          SET soft_bounces = soft_bounces + 1,
              status = CASE WHEN soft_bounces + 1 >= $2 AND status <> 'deleted' THEN 'bounced' ELSE status END,
              suppressed_at = CASE WHEN soft_bounces + 1 >= $2 THEN COALESCE(suppressed_at, now()) ELSE suppressed_at END,
              suppressed_reason = CASE WHEN soft_bounces + 1 >= $2
                                       THEN COALESCE(suppressed_reason, (soft_bounces + 1) || ' soft bounces in a row' || $3)
                                       ELSE suppressed_reason END
        WHERE id = ANY ($1::bigint[]) AND suppressed_at IS NULL
       RETURNING id, suppressed_at IS NOT NULL AS suppressed`,
      [subscriberIds, limit, detail ? ` (last: ${detail})` : ''],
    );
    return rows.filter((r) => r.suppressed).map((r) => Number(r.id));
  },
};
