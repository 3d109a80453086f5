// The preferences page's actions, each taking a subscriber id that a signed
// preferences token proved: roles followed, resubscribe, export my data,
// erase me. Erasure removes the address from every table and keeps only
// anonymous rows: the subscriber row (status 'deleted', no address) that
// per-issue delivery counts point at, and the daily counts.
import { withTransaction, type Db } from '../db/database.ts';
import { subscriberIdOf, verifyToken } from './tokens.ts';
import { countEvent } from './counts.ts';
import { mailboxKey } from './subscribe.ts';
import { nowOf, type SubscriptionDeps } from './deps.ts';

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

export type PreferencesAccess = { kind: 'ok'; subscriber: SubscriberView } | { kind: 'expired' } | { kind: 'invalid' };

export async function openPreferences(deps: SubscriptionDeps, token: string): Promise<PreferencesAccess> {
  const v = verifyToken(deps.secret, 'preferences', token, nowOf(deps));
  if (!v.ok) return { kind: v.reason === 'expired' ? 'expired' : 'invalid' };
  const id = subscriberIdOf(v.payload);
  if (id === undefined) return { kind: 'invalid' };
  const subscriber = await loadSubscriber(deps.pool, id);
  return subscriber ? { kind: 'ok', subscriber } : { kind: 'invalid' };
}

export async function loadSubscriber(pool: Db, id: number): Promise<SubscriberView | undefined> {
  const { rows } = await pool.query<{
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

/** Replace the roles followed (already validated slugs). Works in every status but deleted. */
export async function setRoles(pool: Db, id: number, roles: string[]): Promise<boolean> {
  const res = await pool.query(
    `UPDATE subscribers SET roles = $2, preferences_updated_at = now() WHERE id = $1 AND status <> 'deleted'`,
    [id, roles],
  );
  return (res.rowCount ?? 0) > 0;
}

/**
 * Back in after unsubscribing: the token came by mail to the address, so no
 * new confirmation is needed. Bounced or complained addresses stay out.
 */
export async function resubscribe(pool: Db, id: number): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const res = await client.query(
      `UPDATE subscribers SET status = 'active', unsubscribed_at = NULL, confirmed_at = COALESCE(confirmed_at, now())
        WHERE id = $1 AND status = 'unsubscribed' AND suppressed_at IS NULL`,
      [id],
    );
    const changed = (res.rowCount ?? 0) > 0;
    if (changed) await countEvent(client, 'resubscribed');
    return changed;
  });
}

export interface ExportedData {
  exportedAt: string;
  subscriber: Omit<SubscriberView, 'id'>;
  digests: { week: string; status: string; sentAt: Date | null; deliveredAt: Date | null; openedAt: Date | null; clickedAt: Date | null; bouncedAt: Date | null; complainedAt: Date | null }[];
  mails: { kind: string; subject: string; status: string; createdAt: Date; sentAt: Date | null }[];
  clicks: { week: string; linkId: string; clickedAt: Date }[];
}

/** Everything we keep about one reader, for "download my data". */
export async function exportData(pool: Db, id: number): Promise<ExportedData | undefined> {
  const sub = await loadSubscriber(pool, id);
  if (!sub) return undefined;
  const digests = await pool.query<ExportedData['digests'][number]>(
    `SELECT i.week, d.status, d.sent_at AS "sentAt", d.delivered_at AS "deliveredAt", d.opened_at AS "openedAt",
            d.clicked_at AS "clickedAt", d.bounced_at AS "bouncedAt", d.complained_at AS "complainedAt"
       FROM deliveries d JOIN issues i ON i.id = d.issue_id
      WHERE d.subscriber_id = $1 ORDER BY i.week`,
    [id],
  );
  const mails = await pool.query<ExportedData['mails'][number]>(
    `SELECT kind, subject, status, created_at AS "createdAt", sent_at AS "sentAt"
       FROM transactional_mails WHERE subscriber_id = $1 ORDER BY id`,
    [id],
  );
  const clicks = await pool.query<ExportedData['clicks'][number]>(
    `SELECT i.week, c.link_id AS "linkId", c.clicked_at AS "clickedAt"
       FROM clicks c JOIN issues i ON i.id = c.issue_id
      WHERE c.subscriber_id = $1 ORDER BY c.clicked_at`,
    [id],
  );
  const { id: _id, ...subscriber } = sub;
  return { exportedAt: new Date().toISOString(), subscriber, digests: digests.rows, mails: mails.rows, clicks: clicks.rows };
}

/**
 * Erase a reader: the address leaves every table (subscriber row, deliveries,
 * transactional mails, provider events, rate-limit keys); an anonymous
 * subscriber row stays so that issues keep their delivery counts, and the
 * day's `erased` count goes up by one.
 */
export async function eraseSubscriber(pool: Db, id: number): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ email: string | null }>(
      `SELECT email FROM subscribers WHERE id = $1 AND status <> 'deleted' FOR UPDATE`,
      [id],
    );
    const email = rows[0]?.email;
    if (!email) return false;
    await client.query(
      `DELETE FROM webhook_events
        WHERE lower(recipient) = lower($2)
           OR provider_message_id IN (SELECT provider_message_id FROM deliveries WHERE subscriber_id = $1 AND provider_message_id IS NOT NULL
                                      UNION ALL
                                      SELECT provider_message_id FROM transactional_mails WHERE (subscriber_id = $1 OR lower(to_email) = lower($2))
                                         AND provider_message_id IS NOT NULL)`,
      [id, email],
    );
    await client.query(`DELETE FROM transactional_mails WHERE subscriber_id = $1 OR lower(to_email) = lower($2)`, [id, email]);
    // Queued rows are left out of their batch at claim time (status 'deleted').
    await client.query(
      `UPDATE deliveries SET email = '', provider_message_id = NULL, last_error = NULL WHERE subscriber_id = $1`,
      [id],
    );
    await client.query(`DELETE FROM rate_limit_hits WHERE key = ANY ($1::text[])`, [
      [`subscribe-email:${email.toLowerCase()}`, `subscribe-email:${mailboxKey(email)}`],
    ]);
    await client.query(`DELETE FROM subscribe_requests WHERE lower(email) = lower($1)`, [email]);
    await client.query(
      `UPDATE subscribers
          SET email = NULL, status = 'deleted', roles = '{}', source = NULL, confirmed_at = NULL, unsubscribed_at = NULL,
              suppressed_at = NULL, suppressed_reason = NULL, confirm_sent_at = NULL, confirm_window_at = NULL,
              confirm_sends = 0, preferences_updated_at = NULL, opted_out_at = NULL, deleted_at = now()
        WHERE id = $1`,
      [id],
    );
    await countEvent(client, 'erased');
    return true;
  });
}
