// HMAC-SHA256 for the links we mail (tokens, click links): node:crypto's
// createHmac, with one cache of imported keys shared by every caller, so a
// secret is turned into a KeyObject once per process, not once per message.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

// A process has one or two secrets; the bound only guards against a caller
// that passes a fresh one each time.
const MAX_KEYS = 16;
const keys = new Map<string, KeyObject>();

function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** HMAC-SHA256(secret, message), message as UTF-8. */
export function hmacSha256(secret: string, message: string): Buffer {
  return createHmac('sha256', keyFor(secret)).update(message, 'utf8').digest();
}
