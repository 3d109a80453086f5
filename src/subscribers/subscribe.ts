// A subscribe request. The answer is the same whether the address is new,
// pending, active or suppressed (no enumeration); only the mail differs: a
// new or pending address gets a confirmation (not more than one per 10
// minutes, and the first mail plus at most one reminder per 7 days), an
// active one gets nothing new. A filled honeypot gets the same answer and no
// work. Rate limits per client IP and per address live in PostgreSQL.
import { withTransaction, type DbClient } from '../db/database.ts';
import { normalizeEmail } from './email.ts';
import { parseRoles } from './roles.ts';
import { hit } from './rate-limit.ts';
import { countEvent } from './counts.ts';
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
export const CONFIRM_RESEND_SECONDS = 600;
/** Confirmation mails per window: the first plus one reminder. */
export const CONFIRM_MAX_PER_WINDOW = 2;
export const CONFIRM_WINDOW_DAYS = 7;

export async function subscribe(deps: SubscriptionDeps, input: SubscribeInput): Promise<SubscribeOutcome> {
  if (typeof input.honeypot === 'string' && input.honeypot.trim() !== '') return { kind: 'accepted' };
  const limits = limitsOf(deps);

  const byIp = await hit(deps.pool, `subscribe-ip:${input.ip}`, limits.windowSeconds);
  if (byIp.count > limits.perIp) return { kind: 'rate-limited', retryAfterSeconds: byIp.retryAfterSeconds };

  const email = normalizeEmail(input.email);
  if (!email.ok) return { kind: 'invalid', field: 'email', message: email.message };
  const roles = parseRoles(input.roles);
  if (!roles.ok) return { kind: 'invalid', field: 'roles', message: roles.message };

  const byAddress = await hit(deps.pool, `subscribe-email:${email.email.toLowerCase()}`, limits.windowSeconds);
  if (byAddress.count > limits.perAddress) return { kind: 'rate-limited', retryAfterSeconds: byAddress.retryAfterSeconds };

  await withTransaction(deps.pool, async (client) => {
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO subscribers (email, status, roles, source) VALUES ($1, 'pending', $2, $3)
       ON CONFLICT DO NOTHING RETURNING id`,
      [email.email, roles.roles, input.source ?? 'form'],
    );
    let id = inserted.rows[0]?.id;
    if (id !== undefined) {
      await countEvent(client, 'subscribed');
    } else {
      const { rows } = await client.query<{ id: number; status: string }>(
        'SELECT id, status FROM subscribers WHERE lower(email) = lower($1) FOR UPDATE',
        [email.email],
      );
      const row = rows[0];
      if (!row) return; // erased between the two statements: nothing to do
      id = row.id;
      if (row.status === 'pending' || row.status === 'unsubscribed') {
        // Not confirmed (or left): the roles of the latest request count.
        // A former reader goes through double opt-in again.
        await client.query(`UPDATE subscribers SET status = 'pending', roles = $2 WHERE id = $1`, [id, roles.roles]);
        if (row.status === 'unsubscribed') await countEvent(client, 'subscribed');
      } else {
        // active: nothing new (and no change of roles by whoever knows the
        // address); bounced, complained: we do not write to it again.
        return;
      }
    }
    await sendConfirmation(client, deps, id, 'confirm');
  });
  return { kind: 'accepted' };
}

/**
 * Take the right to send a confirmation by compare-and-set on the
 * subscriber's row, then queue it. False when the 10-minute gap or the
 * per-window cap says no, or the address is not pending.
 */
export async function sendConfirmation(
  client: DbClient,
  deps: SubscriptionDeps,
  id: number,
  kind: 'confirm' | 'reminder',
): Promise<boolean> {
  const { rows } = await client.query<{ email: string; roles: string[]; sends: number; key: string }>(
    `UPDATE subscribers
        SET confirm_window_at = CASE WHEN fresh THEN now() ELSE confirm_window_at END,
            confirm_sends = CASE WHEN fresh THEN 1 ELSE confirm_sends + 1 END,
            confirm_sent_at = now()
       FROM (SELECT confirm_window_at IS NULL OR confirm_window_at <= now() - make_interval(days => $3) AS fresh
               FROM subscribers WHERE id = $1) w
      WHERE id = $1 AND status = 'pending' AND suppressed_at IS NULL
        AND (confirm_sent_at IS NULL OR confirm_sent_at <= now() - make_interval(secs => $2))
        AND (w.fresh OR confirm_sends < $4)
      RETURNING email, roles, confirm_sends AS sends, (EXTRACT(EPOCH FROM now()) * 1000)::bigint::text AS key`,
    [id, CONFIRM_RESEND_SECONDS, CONFIRM_WINDOW_DAYS, CONFIRM_MAX_PER_WINDOW],
  );
  const row = rows[0];
  if (!row) return false;
  // The second mail of a window is the reminder, whoever asked for it.
  const mailKind = kind === 'reminder' || row.sends > 1 ? 'reminder' : 'confirm';
  await queueMail(client, deps, mailKind, { id, email: row.email, roles: row.roles }, row.key);
  return true;
}

/**
 * The one reminder: pending addresses whose single confirmation went out more
 * than `afterHours` ago (and less than the token lifetime) get a second mail.
 * For a scheduler; returns how many reminders were queued.
 */
export async function sendConfirmReminders(deps: SubscriptionDeps, opts: { afterHours?: number; limit?: number } = {}): Promise<number> {
  const { rows } = await deps.pool.query<{ id: number }>(
    `SELECT id FROM subscribers
      WHERE status = 'pending' AND suppressed_at IS NULL AND confirm_sends = 1
        AND confirm_sent_at <= now() - make_interval(hours => $1)
        AND confirm_window_at > now() - make_interval(days => $2)
      ORDER BY id LIMIT $3`,
    [opts.afterHours ?? 48, CONFIRM_WINDOW_DAYS, opts.limit ?? 500],
  );
  let sent = 0;
  for (const { id } of rows) {
    const ok = await withTransaction(deps.pool, (client) => sendConfirmation(client, deps, id, 'reminder'));
    if (ok) sent += 1;
  }
  return sent;
}
