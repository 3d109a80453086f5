// The preferences page's actions, each taking a subscriber id that a signed
// preferences token proved: roles followed, resubscribe, export my data,
// erase me. Erasure removes the address from every table and keeps only
// anonymous rows: the subscriber row (status 'deleted', no address) that
// per-issue delivery counts point at, and the daily counts.
import { withTransaction, type Db } from '../db/database.ts';
import { subscriberIdOf, verifyToken } from './tokens.ts';
import { countEvent } from './counts.ts';
import { forgetKeys } from './rate-limit.ts';
import { anonymizeSubscriber, loadSubscriber, lockSubscriber, markResubscribed, saveRoles, type SubscriberView } from './store.ts';
import { anonymizeDeliveries, deliveriesOfSubscriber } from '../delivery/ledger.ts';
import { eraseTransactionalMails, mailsOfSubscriber } from '../delivery/transactional-mails.ts';
import { eraseWebhookEvents } from '../delivery/webhooks.ts';

export { type SubscriberView } from './store.ts';
import { forgetSubscribeRequests, mailboxKey } from './subscribe.ts';
import { nowOf, type SubscriptionDeps } from './deps.ts';

export type PreferencesAccess = { kind: 'ok'; subscriber: SubscriberView } | { kind: 'expired' } | { kind: 'invalid' };

export async function openPreferences(deps: SubscriptionDeps, token: string): Promise<PreferencesAccess> {
  const v = verifyToken(deps.secret, 'preferences', token, nowOf(deps));
  if (!v.ok) return { kind: v.reason === 'expired' ? 'expired' : 'invalid' };
  const id = subscriberIdOf(v.payload);
  if (id === undefined) return { kind: 'invalid' };
  const subscriber = await loadSubscriber(deps.pool, id);
  return subscriber ? { kind: 'ok', subscriber } : { kind: 'invalid' };
}

/** Replace the roles followed (already validated slugs). Works in every status but deleted. */
export async function setRoles(pool: Db, id: number, roles: string[]): Promise<boolean> {
  return saveRoles(pool, id, roles);
}

/**
 * Back in after unsubscribing: the token came by mail to the address, so no
 * new confirmation is needed. Bounced or complained addresses stay out.
 */
export async function resubscribe(pool: Db, id: number): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const changed = await markResubscribed(client, id);
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
  const digests = await deliveriesOfSubscriber(pool, id);
  const mails = await mailsOfSubscriber(pool, id);
  const clicks = await pool.query<ExportedData['clicks'][number]>(
    `SELECT i.week, c.link_id AS "linkId", c.clicked_at AS "clickedAt"
       FROM clicks c JOIN issues i ON i.id = c.issue_id
      WHERE c.subscriber_id = $1 ORDER BY c.clicked_at`,
    [id],
  );
  const { id: _id, ...subscriber } = sub;
  return { exportedAt: new Date().toISOString(), subscriber, digests, mails, clicks: clicks.rows };
}

/**
 * Erase a reader: the address leaves every table (subscriber row, deliveries,
 * transactional mails, provider events, rate-limit keys); an anonymous
 * subscriber row stays so that issues keep their delivery counts, and the
 * day's `erased` count goes up by one.
 */
export async function eraseSubscriber(pool: Db, id: number): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const row = await lockSubscriber(client, id);
    const email = row?.status === 'deleted' ? null : row?.email;
    if (!email) return false;
    // Each table's owner removes the address (events first: they are found through the mails).
    await eraseWebhookEvents(client, id, email);
    await eraseTransactionalMails(client, id, email);
    // Queued rows are left out of their batch at claim time (status 'deleted').
    await anonymizeDeliveries(client, id);
    await forgetKeys(client, [`subscribe-email:${email.toLowerCase()}`, `subscribe-email:${mailboxKey(email)}`]);
    await forgetSubscribeRequests(client, email);
    await anonymizeSubscriber(client, id);
    await countEvent(client, 'erased');
    return true;
  });
}
