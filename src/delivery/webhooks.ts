// POST /webhooks/resend. The signature is checked on the raw body before
// anything else; each event id is recorded once (a re-sent request with the
// same id and timestamp is a replay: 401; the provider's own redelivery, same
// id with a new timestamp, is acknowledged and ignored). Events are written
// to the delivery (or transactional mail) they name; a hard bounce or a
// complaint suppresses the address at once.
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

export async function handleResendWebhook(
  pool: Db,
  secret: string | undefined,
  rawBody: string | Buffer,
  headers: HeaderSource,
  nowSeconds = Math.floor(Date.now() / 1000),
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
    await applyEvent(client, event, messageId, recipients);
    return { status: 200, body: { ok: true, type: event.type } };
  });
}

async function applyEvent(client: DbClient, event: ResendEvent, messageId: string | null, recipients: string[]): Promise<void> {
  const cols = COLUMNS[event.type];
  if (cols && messageId) {
    if (cols.deliveries) {
      await client.query(
        `UPDATE deliveries SET ${cols.deliveries} = COALESCE(${cols.deliveries}, now()) WHERE provider_message_id = $1`,
        [messageId],
      );
    }
    if (cols.mails) {
      await client.query(
        `UPDATE transactional_mails SET ${cols.mails} = COALESCE(${cols.mails}, now()) WHERE provider_message_id = $1`,
        [messageId],
      );
    }
  }
  const hardBounce = event.type === 'email.bounced' && (event.data.bounce?.type ?? 'Permanent') === 'Permanent';
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
  // Deliveries not yet claimed for a batch are closed now, not at their claim.
  await client.query(
    `UPDATE deliveries SET status = 'suppressed'
      WHERE status = 'queued' AND subscriber_id IN (SELECT id FROM subscribers WHERE suppressed_at IS NOT NULL AND lower(email) = ANY ($1::text[]))`,
    [recipients],
  );
}
