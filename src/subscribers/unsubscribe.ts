// Unsubscribe by a signed link: effective at once, since every later send
// (digest batches, transactional mails) reads the subscriber's status when it
// is claimed. Nothing is mailed: the reader (or their mailbox provider, for
// RFC 8058) asked for no more mail, and the page confirms it. Repeating the
// request changes nothing.
import { withTransaction } from '../db/database.ts';
import { issueIdOf, subscriberIdOf, verifyToken } from './tokens.ts';
import { countEvent, countIssueUnsubscribe } from './counts.ts';
import { lockSubscriber, markUnsubscribed } from './store.ts';
import { nowOf, type SubscriptionDeps } from './deps.ts';

export type UnsubscribeOutcome =
  /** `changed`: this request unsubscribed the address. */
  | { kind: 'unsubscribed'; subscriberId: number; changed: boolean }
  | { kind: 'invalid' };

/** Read an unsubscribe token; the subscriber id or undefined. Unsubscribe links do not expire. */
export function unsubscribeTarget(deps: SubscriptionDeps, token: string): number | undefined {
  const v = verifyToken(deps.secret, 'unsubscribe', token, nowOf(deps));
  return v.ok ? subscriberIdOf(v.payload) : undefined;
}

/** The issue whose mail carried the link, when the token names one (counted as that issue's unsubscribe). */
export function unsubscribeIssue(deps: SubscriptionDeps, token: string): number | undefined {
  const v = verifyToken(deps.secret, 'unsubscribe', token, nowOf(deps));
  return v.ok ? issueIdOf(v.payload) : undefined;
}

export async function unsubscribeByToken(deps: SubscriptionDeps, token: string): Promise<UnsubscribeOutcome> {
  const id = unsubscribeTarget(deps, token);
  if (id === undefined) return { kind: 'invalid' };
  return unsubscribe(deps, id, unsubscribeIssue(deps, token));
}

export async function unsubscribe(deps: SubscriptionDeps, id: number, issueId?: number): Promise<UnsubscribeOutcome> {
  return withTransaction(deps.pool, async (client): Promise<UnsubscribeOutcome> => {
    const row = await lockSubscriber(client, id);
    if (!row || row.email === null || row.status === 'deleted') return { kind: 'invalid' };
    if (row.status !== 'active' && row.status !== 'pending') return { kind: 'unsubscribed', subscriberId: id, changed: false };
    await markUnsubscribed(client, id);
    await countEvent(client, 'unsubscribed');
    if (issueId !== undefined) await countIssueUnsubscribe(client, issueId);
    return { kind: 'unsubscribed', subscriberId: id, changed: true };
  });
}
