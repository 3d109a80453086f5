// Svix / Standard Webhooks signatures (Resend sends them): HMAC-SHA256 over
// `${id}.${timestamp}.${body}`, space-separated `v1,<base64>` entries, checked
// on the raw body by the `standardwebhooks` library. The replay check (the
// timestamp no more than five minutes from now) is ours too, first, so a stale
// delivery is told apart from a forged one and the route can refuse it before
// reading the body (src/web/operator-routes.ts); the library checks it again.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export const TOLERANCE_SECONDS = 5 * 60;

export interface SignedHeaders {
  id: string;
  timestamp: number;
  signatures: string[];
}

export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v[0] : v;
}

/** The three headers, under either the svix-* or the webhook-* names. */
export function readSignedHeaders(headers: HeaderSource): SignedHeaders | null {
  const id = header(headers, 'svix-id') ?? header(headers, 'webhook-id');
  const ts = header(headers, 'svix-timestamp') ?? header(headers, 'webhook-timestamp');
  const sig = header(headers, 'svix-signature') ?? header(headers, 'webhook-signature');
  if (!id || !ts || !sig || !/^\d+$/.test(ts)) return null;
  return { id, timestamp: Number(ts), signatures: sig.split(' ').filter(Boolean) };
}

/** A `v1,<base64>` signature, as the sender computes it (tests sign with this). */
export function sign(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  return new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
}

export type Verdict = { ok: true; signed: SignedHeaders } | { ok: false; reason: 'missing headers' | 'stale timestamp' | 'bad signature' };

export function verifySignature(
  secret: string,
  rawBody: string | Buffer,
  headers: HeaderSource,
  nowSeconds = Math.floor(Date.now() / 1000),
): Verdict {
  const signed = readSignedHeaders(headers);
  if (!signed) return { ok: false, reason: 'missing headers' };
  if (Math.abs(nowSeconds - signed.timestamp) > TOLERANCE_SECONDS) return { ok: false, reason: 'stale timestamp' };
  const standard = { 'webhook-id': signed.id, 'webhook-timestamp': String(signed.timestamp), 'webhook-signature': signed.signatures.join(' ') };
  try {
    new Webhook(secret).verify(rawBody, standard, { jsonParse: false });
    return { ok: true, signed };
  } catch (e) {
    if (!(e instanceof WebhookVerificationError)) throw e;
    return { ok: false, reason: /timestamp/.test(e.message) ? 'stale timestamp' : 'bad signature' };
  }
}
