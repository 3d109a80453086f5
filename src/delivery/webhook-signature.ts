// Svix / Standard Webhooks signatures: HMAC-SHA256 over `${id}.${timestamp}.${body}`
// with the secret after its `whsec_` prefix (base64), sent as space-separated
// `v1,<base64>` entries. Checked on the raw body, in constant time, with the
// timestamp no more than five minutes from now.
import { createHmac, timingSafeEqual } from 'node:crypto';

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

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function sign(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secretKey(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return `v1,${mac.digest('base64')}`;
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
  const expected = Buffer.from(sign(secret, signed.id, signed.timestamp, rawBody).slice(3), 'base64');
  for (const entry of signed.signatures) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const got = Buffer.from(value, 'base64');
    if (got.length === expected.length && timingSafeEqual(got, expected)) return { ok: true, signed };
  }
  return { ok: false, reason: 'bad signature' };
}
