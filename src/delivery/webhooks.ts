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
import { closeQueuedDeliveries, stampDeliveryEvent, type DeliveryEventColumn } from './ledger.ts';
import { stampTransactionalEvent, type MailEventColumn } from './transactional-mails.ts';

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
const COLUMNS: Record<string, { deliveries?: DeliveryEventColumn; mails?: MailEventColumn }> = {
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

/**
 * What provider events do to readers. The table `subscribers` belongs to
 * src/subscribers/store.ts (`readerSuppression`), which sits above delivery:
 * delivery may not import it (docs/architecture.md), so the caller (the web
 * layer's webhook route) hands it in. Every call runs in the event's
 * transaction (`client`); subscriber ids come from this module's tables.
 */
export interface ReaderSuppression {
  /** A mail to these readers arrived: their run of soft bounces ends. */
  delivered(client: DbClient, subscriberIds: number[]): Promise<void>;
  /** A hard bounce or complaint: the addresses and readers get nothing more. Returns the ids of the readers suppressed. */
  suppress(
    client: DbClient,
    who: { emails: string[]; subscriberIds: number[] },
    status: 'bounced' | 'complained',
    reason: string,
  ): Promise<number[]>;
  /** One more soft bounce each; returns the ids that reached `limit` and are suppressed now. */
  softBounced(client: DbClient, subscriberIds: number[], limit: number, detail: string | undefined): Promise<number[]>;
}

export async function handleResendWebhook(
  pool: Db,
  readers: ReaderSuppression,
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
    await applyEvent(client, readers, event, messageId, recipients, policy);
    return { status: 200, body: { ok: true, type: event.type } };
  });
}

async function applyEvent(
  client: DbClient,
  readers: ReaderSuppression,
  event: ResendEvent,
  messageId: string | null,
  recipients: string[],
  policy: BouncePolicy,
): Promise<void> {
  const cols = COLUMNS[event.type];
  const bounce = event.type === 'email.bounced';
  const hardBounce = bounce && (event.data.bounce?.type ?? 'Permanent') === 'Permanent';
  // The readers this event's message went to, and those of them for whom it
  // is the first bounce of the message: a second event for a message that
  // had bounced already counts nothing more.
  const ofMessage: number[] = [];
  const firstBounceOf: number[] = [];
  if (cols && messageId) {
    if (cols.deliveries) {
      const kind = bounce ? (hardBounce ? 'hard' : 'soft') : null;
      for (const r of await stampDeliveryEvent(client, messageId, cols.deliveries, kind)) {
        ofMessage.push(r.subscriberId);
        if (bounce && r.first) firstBounceOf.push(r.subscriberId);
      }
    }
    if (cols.mails) {
      for (const r of await stampTransactionalEvent(client, messageId, cols.mails)) {
        if (r.subscriberId === null) continue;
        ofMessage.push(Number(r.subscriberId));
        if (bounce && r.first) firstBounceOf.push(Number(r.subscriberId));
      }
    }
  }
  if (event.type === 'email.delivered') {
    // A mail that arrived ends a run of soft bounces.
    await readers.delivered(client, ofMessage);
    return;
  }
  if (bounce && !hardBounce) {
    const suppressed = await readers.softBounced(client, firstBounceOf, policy.softBounceLimit, event.data.bounce?.subType ?? event.data.bounce?.message);
    await closeQueuedDeliveries(client, suppressed);
    return;
  }
  const complaint = event.type === 'email.complained';
  if (!hardBounce && !complaint) return;
  const reason = complaint
    ? 'complaint'
    : `hard bounce${event.data.bounce?.subType ? ` (${event.data.bounce.subType})` : ''}${event.data.bounce?.message ? `: ${event.data.bounce.message}` : ''}`;
  const suppressed = await readers.suppress(client, { emails: recipients, subscriberIds: ofMessage }, complaint ? 'complained' : 'bounced', reason);
  await closeQueuedDeliveries(client, suppressed);
}

/**
 * Erasure: the provider events that name the address, or a message sent to
 * the reader (run before the reader's transactional mails are deleted).
 */
export async function eraseWebhookEvents(client: DbClient, subscriberId: number, email: string): Promise<void> {
  await client.query(
    `DELETE FROM webhook_events
      WHERE lower(recipient) = lower($2)
         OR provider_message_id IN (SELECT provider_message_id FROM deliveries WHERE subscriber_id = $1 AND provider_message_id IS NOT NULL
                                    UNION ALL
                                    SELECT provider_message_id FROM transactional_mails WHERE (subscriber_id = $1 OR lower(to_email) = lower($2))
                                       AND provider_message_id IS NOT NULL)`,
    [subscriberId, email],
  );
}
