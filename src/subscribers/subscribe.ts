// A subscribe request, in two halves so that the answer says nothing about
// the list (docs/subscriptions-abuse.md):
// - the web request validates, counts the request against the per-IP and
//   per-address limits, and queues it in `subscribe_requests` (plus a job to
//   wake a worker): the same statements and the same answer whatever the
//   address's state, and for a filled honeypot too;
// - the job decides, in one transaction with every row it writes: a new or
//   pending address gets a confirmation (not more than one per 10 minutes,
//   the first mail plus at most one reminder per 7 days, and no more than
//   the per-domain cap per hour); an active one gets nothing new; an address
//   that ever unsubscribed, bounced or complained is left as it is and gets
//   nothing: a reader who left comes back through a link mailed to them
//   (preferences), never through a stranger's request.
import validator from 'validator';
import { withTransaction, type DbClient } from '../db/database.ts';
import { normalizeEmail } from './email.ts';
import { parseRoles } from './roles.ts';
import { hit } from './rate-limit.ts';
import { countEvent } from './counts.ts';
import { insertPending, lockSubscriberByEmail, setPendingRoles, takeConfirmationSend } from './store.ts';
import { queueMail } from './outgoing.ts';
import { limitsOf, type SubscriptionDeps } from './deps.ts';

export interface SubscribeInput {
  email: unknown;
  roles?: unknown;
  /** The hidden form field people never fill in. */
  honeypot?: unknown;
  /** Client IP, for the per-IP limit. */
  ip: string;
  source?: string;
}

export type SubscribeOutcome =
  | { kind: 'accepted' }
  | { kind: 'invalid'; field: 'email' | 'roles'; message: string }
  | { kind: 'rate-limited'; retryAfterSeconds: number };

/** Seconds between two confirmation mails to one address. */
const CONFIRM_RESEND_SECONDS = 600;
/** Confirmation mails per window: the first plus one reminder. */
const CONFIRM_MAX_PER_WINDOW = 2;
const CONFIRM_WINDOW_DAYS = 7;

/**
 * The mailbox an address lands in, for per-address limits: Gmail ignores dots
 * and `+tags` (and googlemail.com is gmail.com), Outlook and iCloud ignore
 * `+tags`, so `a.b+1@gmail.com` and `ab@googlemail.com` share one limit.
 * validator.js keeps the list of providers and their rules.
 */
export function mailboxKey(email: string): string {
  const key = validator.normalizeEmail(email);
  return (key || email).toLowerCase();
}

export async function subscribe(deps: SubscriptionDeps, input: SubscribeInput): Promise<SubscribeOutcome> {
  // Validation first, for the honeypot too (it answers like a real request),
  // and only well-formed requests count against the limits.
  const email = normalizeEmail(input.email);
  if (!email.ok) return { kind: 'invalid', field: 'email', message: email.message };
  const roles = parseRoles(input.roles);
  if (!roles.ok) return { kind: 'invalid', field: 'roles', message: roles.message };
  const limits = limitsOf(deps);

  const byIp = await hit(deps.pool, `subscribe-ip:${input.ip}`, limits.windowSeconds);
  if (byIp.count > limits.perIp) return { kind: 'rate-limited', retryAfterSeconds: byIp.retryAfterSeconds };
  const byAddress = await hit(deps.pool, `subscribe-email:${mailboxKey(email.email)}`, limits.windowSeconds);
  if (byAddress.count > limits.perAddress) return { kind: 'rate-limited', retryAfterSeconds: byAddress.retryAfterSeconds };

  const honeypot = typeof input.honeypot === 'string' && input.honeypot.trim() !== '';
  await withTransaction(deps.pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO subscribe_requests (email, roles, source, honeypot) VALUES ($1, $2, $3, $4) RETURNING id`,
      [email.email, roles.roles, input.source ?? 'form', honeypot],
    );
    await deps.wake?.(client, Number(rows[0]!.id));
  });
  return { kind: 'accepted' };
}

/**
 * The job: take one queued request (`requestId`, or the oldest one no other
 * worker holds), decide and act in one transaction, and delete the request
 * in it. False when there was nothing to take.
 */
export async function runSubscribeRequest(deps: SubscriptionDeps, requestId?: number): Promise<boolean> {
  return withTransaction(deps.pool, async (client) => {
    const { rows } = await client.query<{ email: string; roles: string[]; source: string; honeypot: boolean }>(
      `DELETE FROM subscribe_requests
        WHERE id = (SELECT id FROM subscribe_requests WHERE ($1::bigint IS NULL OR id = $1)
                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING email, roles, source, honeypot`,
      [requestId ?? null],
    );
    const req = rows[0];
    if (!req) return false;
    if (!req.honeypot) await decide(client, deps, req);
    return true;
  });
}

/** Every queued request, oldest first (a worker's scan; tests). Returns how many were handled. */
export async function drainSubscribeRequests(deps: SubscriptionDeps, max = 10_000): Promise<number> {
  let n = 0;
  while (n < max && (await runSubscribeRequest(deps))) n += 1;
  return n;
}

async function decide(client: DbClient, deps: SubscriptionDeps, req: { email: string; roles: string[]; source: string }): Promise<void> {
  let id = await insertPending(client, req.email, req.roles, req.source);
  if (id !== undefined) {
    await countEvent(client, 'subscribed');
  } else {
    const row = await lockSubscriberByEmail(client, req.email);
    // Gone (erased since), active (nothing new, and no change of roles by
    // whoever knows the address), or it left once: nothing to do.
    if (!row || row.status !== 'pending' || row.optedOutAt !== null) return;
    id = row.id;
    // Not confirmed yet: the roles of the latest request count.
    await setPendingRoles(client, id, req.roles);
  }
  await sendConfirmation(client, deps, id, 'confirm');
}

/**
 * Take the right to send a confirmation by compare-and-set on the
 * subscriber's row, then queue it. False when the 10-minute gap or the
 * per-window cap says no, or the address is not pending.
 */
async function sendConfirmation(
  client: DbClient,
  deps: SubscriptionDeps,
  id: number,
  kind: 'confirm' | 'reminder',
): Promise<boolean> {
  await client.query('SAVEPOINT confirm_mail');
  const row = await takeConfirmationSend(client, id, {
    resendSeconds: CONFIRM_RESEND_SECONDS,
    windowDays: CONFIRM_WINDOW_DAYS,
    maxPerWindow: CONFIRM_MAX_PER_WINDOW,
  });
  if (!row) {
    await client.query('RELEASE SAVEPOINT confirm_mail');
    return false;
  }
  // One domain gets at most so many confirmation mails an hour, so the form
  // cannot be turned into a cannon against one company's mail server. Over
  // the cap the address stays pending and may ask again later.
  const domain = mailboxKey(row.email).slice(mailboxKey(row.email).lastIndexOf('@') + 1);
  const byDomain = await hit(client, `confirm-domain:${domain}`, 3600);
  if (byDomain.count > limitsOf(deps).perDomainConfirmations) {
    await client.query('ROLLBACK TO SAVEPOINT confirm_mail');
    return false;
  }
  await client.query('RELEASE SAVEPOINT confirm_mail');
  // The second mail of a window is the reminder, whoever asked for it.
  const mailKind = kind === 'reminder' || row.sends > 1 ? 'reminder' : 'confirm';
  await queueMail(client, deps, mailKind, { id, email: row.email, roles: row.roles }, row.key);
  return true;
}

/** Erasure: requests for the address still waiting for a worker go. */
export async function forgetSubscribeRequests(client: DbClient, email: string): Promise<void> {
  await client.query(`DELETE FROM subscribe_requests WHERE lower(email) = lower($1)`, [email]);
}
