// POST /webhooks/resend. The signature is checked on the raw body before
// anything else; each event id is recorded once (a re-sent request with the
// same id and timestamp is a replay: 401; the provider's own redelivery, same
// id with a new timestamp, is acknowledged and ignored). Events are written
// to the delivery (or transactional mail) they name; a hard bounce or a
// complaint suppresses the address at once; soft bounces count per address
// and `softBounceLimit` of them in a row (across issues) suppress it, while a
// delivered mail starts the count again (docs/issue-analytics.md).
import { withTransaction, type Db, type DbClient } from '../db/database.ts';
import { verifySignature, type HeaderSource } from './webhook-signature.ts';

export interface WebhookResponse {
  status: 200 | 400 | 401 | 503;
  body: { ok: boolean; error?: string; duplicate?: boolean; type?: string };
}

interface ResendEvent {
  type: string;
  created_at?: string;
  data: {
    email_id?: string;
    to?: string[] | string;
    bounce?: { type?: string; subType?: string; message?: string };
  };
}

// Event type -> the timestamp column it fills on deliveries / transactional_mails.
const COLUMNS: Record<string, { deliveries?: string; mails?: string }> = {
  'email.delivered': { deliveries: 'delivered_at', mails: 'delivered_at' },
  'email.delivery_delayed': { deliveries: 'delayed_at' },
  'email.bounced': { deliveries: 'bounced_at', mails: 'bounced_at' },
  'email.complained': { deliveries: 'complained_at', mails: 'complained_at' },
  'email.opened': { deliveries: 'opened_at' },
  'email.clicked': { deliveries: 'clicked_at' },
};

export interface BouncePolicy {
  /** Consecutive soft bounces (BOUNCE_SOFT_LIMIT) that suppress an address. */
  softBounceLimit: number;
}

const DEFAULT_BOUNCE_POLICY: BouncePolicy = { softBounceLimit: 3 };

export async function handleResendWebhook(
  pool: Db,
  secret: string | undefined,
  rawBody: string | Buffer,
  headers: HeaderSource,
  nowSeconds = Math.floor(Date.now() / 1000),
  policy: BouncePolicy = DEFAULT_BOUNCE_POLICY,
): Promise<WebhookResponse> {
  if (!secret) return { status: 503, body: { ok: false, error: 'webhooks are not configured (RESEND_WEBHOOK_SECRET)' } };
  const verdict = verifySignature(secret, rawBody, headers, nowSeconds);
  if (!verdict.ok) return { status: 401, body: { ok: false, error: verdict.reason } };

  let event: ResendEvent;
  try {
    event = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8')) as ResendEvent;
  } catch {
    return { status: 400, body: { ok: false, error: 'body is not JSON' } };
  }
  if (typeof event?.type !== 'string' || typeof event.data !== 'object' || event.data === null) {
    return { status: 400, body: { ok: false, error: 'body is not a Resend event (type, data)' } };
  }
  const { id, timestamp } = verdict.signed;
  const messageId = typeof event.data.email_id === 'string' ? event.data.email_id : null;
  const recipients = (Array.isArray(event.data.to) ? event.data.to : event.data.to ? [event.data.to] : [])
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.toLowerCase());

  return withTransaction(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO webhook_events (id, signed_at, type, provider_message_id, recipient, payload)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [id, timestamp, event.type, messageId, recipients[0] ?? null, JSON.stringify(event)],
    );
    if (inserted.rowCount === 0) {
      const earlier = await client.query<{ signed_at: number }>('SELECT signed_at FROM webhook_events WHERE id = $1', [id]);
      if (earlier.rows[0]?.signed_at === timestamp) return { status: 401, body: { ok: false, error: 'replayed request' } };
      return { status: 200, body: { ok: true, duplicate: true, type: event.type } };
    }
    await applyEvent(client, event, messageId, recipients, policy);
    return { status: 200, body: { ok: true, type: event.type } };
  });
}

async function applyEvent(client: DbClient, event: ResendEvent, messageId: string | null, recipients: string[], policy: BouncePolicy): Promise<void> {
  const cols = COLUMNS[event.type];
  const bounce = event.type === 'email.bounced';
  const hardBounce = bounce && (event.data.bounce?.type ?? 'Permanent') === 'Permanent';
  // Subscribers whose message this event names, once per message: a second
  // event for a message that had bounced already counts nothing more.
  let firstBounceOf: number[] = [];
  if (cols && messageId) {
    if (cols.deliveries) {
      const kind = bounce ? (hardBounce ? 'hard' : 'soft') : null;
      const { rows } = await client.query<{ subscriber_id: number; first: boolean }>(
        `UPDATE deliveries d SET ${cols.deliveries} = COALESCE(d.${cols.deliveries}, now()),
                bounce_kind = CASE WHEN $2::text IS NULL THEN d.bounce_kind WHEN $2 = 'hard' OR d.bounce_kind = 'hard' THEN 'hard' ELSE 'soft' END
           FROM (SELECT id, bounced_at IS NULL AS first FROM deliveries WHERE provider_message_id = $1 FOR UPDATE) o
          WHERE d.id = o.id
         RETURNING d.subscriber_id, o.first`,
        [messageId, kind],
      );
      if (bounce) firstBounceOf = rows.filter((r) => r.first).map((r) => r.subscriber_id);
    }
    if (cols.mails) {
      const { rows } = await client.query<{ subscriber_id: number | null; first: boolean }>(
        `UPDATE transactional_mails m SET ${cols.mails} = COALESCE(m.${cols.mails}, now())
           FROM (SELECT id, bounced_at IS NULL AS first FROM transactional_mails WHERE provider_message_id = $1 FOR UPDATE) o
          WHERE m.id = o.id
         RETURNING m.subscriber_id, o.first`,
        [messageId],
      );
      if (bounce) firstBounceOf.push(...rows.filter((r) => r.first && r.subscriber_id !== null).map((r) => r.subscriber_id!));
    }
  }
  if (event.type === 'email.delivered' && messageId) {
    // A mail that arrived ends a run of soft bounces.
    await client.query(
      `UPDATE subscribers SET soft_bounces = 0
        WHERE soft_bounces > 0
          AND (id IN (SELECT subscriber_id FROM deliveries WHERE provider_message_id = $1)
               OR id IN (SELECT subscriber_id FROM transactional_mails WHERE provider_message_id = $1))`,
      [messageId],
    );
    return;
  }
  if (bounce && !hardBounce) {
    await softBounce(client, event, firstBounceOf, policy);
    return;
  }
  const complaint = event.type === 'email.complained';
  if (!hardBounce && !complaint) return;
  const status = complaint ? 'complained' : 'bounced';
  const reason = complaint
    ? 'complaint'
    : `hard bounce${event.data.bounce?.subType ? ` (${event.data.bounce.subType})` : ''}${event.data.bounce?.message ? `: ${event.data.bounce.message}` : ''}`;
  await client.query(
    `UPDATE subscribers
        SET status = CASE WHEN status = 'deleted' THEN status ELSE $3 END,
            suppressed_at = COALESCE(suppressed_at, now()), suppressed_reason = COALESCE(suppressed_reason, $4)
      WHERE lower(email) = ANY ($1::text[])
         OR id IN (SELECT subscriber_id FROM deliveries WHERE provider_message_id = $2)
         OR id IN (SELECT subscriber_id FROM transactional_mails WHERE provider_message_id = $2)`,
    [recipients, messageId, status, reason],
  );
  await closeQueued(client, recipients, []);
}

/** One more soft bounce for each subscriber; at the limit the address is suppressed like a hard bounce. */
async function softBounce(client: DbClient, event: ResendEvent, subscriberIds: number[], policy: BouncePolicy): Promise<void> {
  if (subscriberIds.length === 0) return;
  const detail = event.data.bounce?.subType ?? event.data.bounce?.message;
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
    [subscriberIds, policy.softBounceLimit, detail ? ` (last: ${detail})` : ''],
  );
  const suppressed = rows.filter((r) => r.suppressed).map((r) => r.id);
  if (suppressed.length) await closeQueued(client, [], suppressed);
}

/** Deliveries not yet claimed for a batch are closed now, not at their claim. */
async function closeQueued(client: DbClient, recipients: string[], ids: number[]): Promise<void> {
  await client.query(
    `UPDATE deliveries SET status = 'suppressed'
      WHERE status = 'queued' AND subscriber_id IN (
        SELECT id FROM subscribers WHERE suppressed_at IS NOT NULL AND (lower(email) = ANY ($1::text[]) OR id = ANY ($2::bigint[])))`,
    [recipients, ids],
  );
}
