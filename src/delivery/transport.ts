// What the send engine needs from a mail provider: send up to 100 messages
// under one idempotency key, or one message. Adapters: resend-transport.ts
// (the Resend API) and outbox-transport.ts (.eml files in a folder).

export type MailKind = 'digest' | 'confirm' | 'welcome' | 'reminder' | 'proof' | 'review-reminder' | 'sequence';

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers: Record<string, string>;
  /** Provider tags; names and values use letters, digits, `_` and `-` only. */
  tags: { name: string; value: string }[];
  kind: MailKind;
  /** Issue week for digests, for the outbox index. */
  issue?: string | undefined;
}

export interface SendOptions {
  /** The same key for every retry of the same request. */
  idempotencyKey: string;
  /** Abort the request (timeouts). */
  signal?: AbortSignal | undefined;
}

/** One message's result inside an accepted request. */
export type MessageResult = { ok: true; id: string } | { ok: false; error: string };

/**
 * How a request ended:
 * - `accepted`: the provider answered; per-message results (a permissive batch can reject some);
 * - `rate_limited`: 429, try again after `retryAfterMs` (every worker waits);
 * - `retryable`: 5xx, network error, timeout, concurrent request with the same key;
 * - `rejected`: a 4xx that will not change on retry (validation, idempotency conflict, auth).
 */
export type SendOutcome =
  | { kind: 'accepted'; results: MessageResult[] }
  | { kind: 'rate_limited'; retryAfterMs: number; error: string }
  | { kind: 'retryable'; error: string }
  | { kind: 'rejected'; error: string };

export interface Transport {
  readonly name: 'resend' | 'outbox';
  /** Up to 100 messages in one request. */
  sendBatch(messages: OutgoingMessage[], opts: SendOptions): Promise<SendOutcome>;
  /** One message. */
  send(message: OutgoingMessage, opts: SendOptions): Promise<SendOutcome>;
}

export const MAX_BATCH = 100;
