// Signed, purpose-bound tokens for the links we mail: confirm, unsubscribe
// and preferences (click links sign their own way: digest/links.ts). A token is `body.mac`, both base64url: the body is
// JSON {p: purpose, d: payload, x: expiry in epoch seconds (optional)} and the
// mac is HMAC-SHA256 over the body with SECRET. The purpose sits inside the
// signed body, so a valid token of one purpose is told apart from a forged one
// ("wrong-purpose" vs "tampered"). Pure: no I/O, the clock is passed in.
import { timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from '../crypto/hmac-key.ts';

export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences';

/** How long each purpose's links live, in seconds; undefined: no expiry. */
export const TOKEN_TTL: Record<TokenPurpose, number | undefined> = {
  // A confirmation link is a fresh promise: a week is enough to find it.
  confirm: 7 * 24 * 3600,
  // RFC 8058: an unsubscribe link in an old mail must still work.
  unsubscribe: undefined,
  // Every digest carries a fresh preferences link; old ones fade out.
  preferences: 180 * 24 * 3600,
};

type TokenFailure = 'malformed' | 'tampered' | 'wrong-purpose' | 'expired';

export type VerifyResult<T> =
  | { ok: true; payload: T; expiresAt: Date | undefined }
  /** For `expired` the signature was valid, so the payload is given (e.g. to offer a fresh link). */
  | { ok: false; reason: 'expired'; payload: T; expiredAt: Date }
  | { ok: false; reason: Exclude<TokenFailure, 'expired'> };

interface Body {
  p: string;
  d: unknown;
  x?: number;
}

function mac(secret: string, body: string): Buffer {
  return hmacSha256(secret, `digest-token-v1.${body}`);
}

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString('base64url');
}

/**
 * Sign `payload` (any JSON value) for `purpose`. `ttlSeconds` defaults to the
 * purpose's TOKEN_TTL; pass `null` for no expiry.
 */
export function signToken(
  secret: string,
  purpose: TokenPurpose,
  payload: unknown,
  ttlSeconds: number | null = TOKEN_TTL[purpose] ?? null,
  now: Date = new Date(),
): string {
  if (secret.length < 16) throw new Error('token secret is too short');
  const body: Body = { p: purpose, d: payload };
  if (ttlSeconds !== null) body.x = Math.floor(now.getTime() / 1000) + Math.floor(ttlSeconds);
  const encoded = b64url(JSON.stringify(body));
  return `${encoded}.${b64url(mac(secret, encoded))}`;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const canonical = (s: string): boolean => Buffer.from(s, 'base64url').toString('base64url') === s;

export function verifyToken<T = unknown>(
  secret: string,
  purpose: TokenPurpose,
  token: string,
  now: Date = new Date(),
): VerifyResult<T> {
  if (typeof token !== 'string' || token.length > 2048) return { ok: false, reason: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const encoded = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  if (!B64URL.test(encoded) || !B64URL.test(sig)) return { ok: false, reason: 'malformed' };
  // Only the canonical spelling: a last character whose unused low bits are
  // set decodes to the same bytes, and would give one link many valid forms.
  if (!canonical(encoded) || !canonical(sig)) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(secret, encoded);
  // Compare in constant time; lengths differ only for garbage, which is not secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'tampered' };
  let body: Body;
  try {
    body = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Body;
  } catch {
    // Signed by us but unreadable: cannot happen unless the secret leaked.
    return { ok: false, reason: 'tampered' };
  }
  if (body === null || typeof body !== 'object' || typeof body.p !== 'string') return { ok: false, reason: 'tampered' };
  if (body.p !== purpose) return { ok: false, reason: 'wrong-purpose' };
  const expiresAt = typeof body.x === 'number' ? new Date(body.x * 1000) : undefined;
  if (expiresAt && now.getTime() >= expiresAt.getTime()) {
    return { ok: false, reason: 'expired', payload: body.d as T, expiredAt: expiresAt };
  }
  return { ok: true, payload: body.d as T, expiresAt };
}

/** The payload of subscriber links: the subscriber's id (never the address: links end up in logs). */
interface SubscriberTokenPayload {
  s: number;
}

export function subscriberToken(secret: string, purpose: 'confirm' | 'unsubscribe' | 'preferences', subscriberId: number, now?: Date): string {
  const payload: SubscriberTokenPayload = { s: subscriberId };
  return signToken(secret, purpose, payload, TOKEN_TTL[purpose] ?? null, now);
}

/**
 * The unsubscribe link of one issue's mail: it also names the issue, so the
 * unsubscribes an issue caused can be counted (never expires, as any unsubscribe link).
 */
export function issueUnsubscribeToken(secret: string, subscriberId: number, issueId: number | undefined): string {
  const payload: SubscriberTokenPayload & { i?: number } = issueId === undefined ? { s: subscriberId } : { s: subscriberId, i: issueId };
  return signToken(secret, 'unsubscribe', payload, null);
}

/** The issue an unsubscribe payload names, when it came from an issue's mail. */
export function issueIdOf(payload: unknown): number | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const i = (payload as { i?: unknown }).i;
  return typeof i === 'number' && Number.isSafeInteger(i) && i > 0 ? i : undefined;
}

/** Read a subscriber id from a verified payload, or undefined when it is not one. */
export function subscriberIdOf(payload: unknown): number | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const s = (payload as { s?: unknown }).s;
  return typeof s === 'number' && Number.isSafeInteger(s) && s > 0 ? s : undefined;
}

/** Absolute links for a subscriber, as mails and the digest footer use them (`base`: config.publicUrl, no trailing slash). */
export function subscriberLinks(base: string, secret: string, subscriberId: number, now?: Date) {
  return {
    confirmUrl: `${base}/confirm/${subscriberToken(secret, 'confirm', subscriberId, now)}`,
    unsubscribeUrl: `${base}/unsubscribe/${subscriberToken(secret, 'unsubscribe', subscriberId, now)}`,
    preferencesUrl: `${base}/preferences/${subscriberToken(secret, 'preferences', subscriberId, now)}`,
  };
}
