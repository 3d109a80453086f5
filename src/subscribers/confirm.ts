// POST /confirm/:token: pending -> active, once; a second click shows the same
// page and sends nothing. The welcome mail is queued in the same transaction.
// GET only looks (`apply: false`): a mail scanner that follows the link
// must not opt anyone in, so the page asks for a press of its button.
import { withTransaction } from '../db/database.ts';
import { subscriberIdOf, verifyToken } from './tokens.ts';
import { countEvent } from './counts.ts';
import { activatePending, lockSubscriber } from './store.ts';
import { queueSequence } from './sequence.ts';
import { nowOf, type SubscriptionDeps } from './deps.ts';

export type ConfirmOutcome =
  /** GET: the link is good and the address pending: show the button. */
  | { kind: 'ready' }
  /** `first`: this request activated the address. */
  | { kind: 'confirmed'; subscriberId: number; first: boolean; roles: string[] }
  /** The link ran out while the address is still pending: offer a fresh one. */
  | { kind: 'expired'; email: string }
  /** The reader left since; confirming an old link does not bring them back. */
  | { kind: 'unsubscribed'; subscriberId: number }
  /** Bounced or complained: we do not write to it. */
  | { kind: 'suppressed' }
  /** Tampered, wrong purpose, malformed, or the address was erased. */
  | { kind: 'invalid' };

export async function confirmSubscription(deps: SubscriptionDeps, token: string, opts: { apply?: boolean } = {}): Promise<ConfirmOutcome> {
  const v = verifyToken(deps.secret, 'confirm', token, nowOf(deps));
  if (!v.ok && v.reason !== 'expired') return { kind: 'invalid' };
  const id = subscriberIdOf(v.payload);
  if (id === undefined) return { kind: 'invalid' };

  return withTransaction(deps.pool, async (client): Promise<ConfirmOutcome> => {
    const row = await lockSubscriber(client, id);
    if (!row || row.email === null || row.status === 'deleted') return { kind: 'invalid' };
    switch (row.status) {
      case 'active':
        return { kind: 'confirmed', subscriberId: id, first: false, roles: row.roles };
      case 'unsubscribed':
        return { kind: 'unsubscribed', subscriberId: id };
      case 'bounced':
      case 'complained':
        return { kind: 'suppressed' };
    }
    // pending
    if (!v.ok) return { kind: 'expired', email: row.email };
    if (opts.apply === false) return { kind: 'ready' };
    const key = await activatePending(client, id);
    await countEvent(client, 'confirmed');
    await queueSequence(client, deps, { id, email: row.email, roles: row.roles }, key!);
    return { kind: 'confirmed', subscriberId: id, first: true, roles: row.roles };
  });
}
