// Tracked links: every link in a digest is `/l/:token`, and the token names
// (issue, subscriber, link id), signed. The redirect looks the target up in
// the issue's frozen link list, never in the URL, so no token can send a
// reader off the site.
//
// Token: `{issueId}.{subscriberId}.{mac}.{linkId}.{linkTag}`
//   mac      HMAC-SHA256(secret, "click.{issue}.{subscriber}"), 16 bytes: one per recipient;
//   linkTag  HMAC-SHA256(secret, "click-link.{issue}.{linkId}"), 16 bytes: one per
//            (issue, link), the same for every reader.
// Both must verify. A reader who edits the link id can only reach a link whose
// tag they hold, i.e. a link already in their own mail. Signing once per
// recipient (not per link) keeps personalising fast (test/bench/personalise.ts).
// The purpose ("click") is inside every signed message, so no other token of
// the product verifies here.
import { timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from '../crypto/hmac-key.ts';

export interface ClickRef {
  issueId: number;
  subscriberId: number;
  linkId: string;
}

const LINK_ID = /^[a-z0-9-]{1,120}$/;
const MAC = /^[A-Za-z0-9_-]{22}$/;
const ID = /^[1-9][0-9]{0,15}$/;

function mac16(secret: string, message: string): Buffer {
  if (secret.length < 16) throw new Error('click-link secret is too short');
  return hmacSha256(secret, message).subarray(0, 16);
}
const recipientMac = (secret: string, issueId: number, subscriberId: number) => mac16(secret, `click.${issueId}.${subscriberId}`);
const linkTag = (secret: string, issueId: number, linkId: string) => mac16(secret, `click-link.${issueId}.${linkId}`);

/** `{linkId}.{linkTag}` for every link of an issue, computed once per issue and baked into each compiled segment. */
export function linkSuffixer(secret: string, issueId: number): (linkId: string) => string {
  const memo = new Map<string, string>();
  return (linkId) => {
    if (!LINK_ID.test(linkId)) throw new Error(`invalid link id ${JSON.stringify(linkId)}`);
    let s = memo.get(linkId);
    if (s === undefined) {
      s = `${linkId}.${linkTag(secret, issueId, linkId).toString('base64url')}`;
      memo.set(linkId, s);
    }
    return s;
  };
}

/** The per-recipient start of every tracked URL: `${publicUrl}/l/{issue}.{subscriber}.{mac}.` (the link suffix follows). */
export function clickPrefix(publicUrl: string, secret: string, issueId: number, subscriberId: number): string {
  const mac = recipientMac(secret, issueId, subscriberId).toString('base64url');
  return `${publicUrl}/l/${issueId}.${subscriberId}.${mac}.`;
}

/** A whole click token (tests, one-off links). */
export function clickToken(secret: string, ref: ClickRef): string {
  const mac = recipientMac(secret, ref.issueId, ref.subscriberId).toString('base64url');
  return `${ref.issueId}.${ref.subscriberId}.${mac}.${linkSuffixer(secret, ref.issueId)(ref.linkId)}`;
}

function sameBytes(given: string, expected: Buffer): boolean {
  const g = Buffer.from(given, 'base64url');
  return g.length === expected.length && timingSafeEqual(g, expected);
}

/** The (issue, subscriber, link) a token names, or undefined when any part is malformed, forged or altered. */
export function parseClickToken(secret: string, token: string): ClickRef | undefined {
  if (typeof token !== 'string' || token.length > 512) return undefined;
  const parts = token.split('.');
  if (parts.length !== 5) return undefined;
  const [issue, subscriber, mac, linkId, tag] = parts as [string, string, string, string, string];
  if (!ID.test(issue) || !ID.test(subscriber) || !MAC.test(mac) || !LINK_ID.test(linkId) || !MAC.test(tag)) return undefined;
  const issueId = Number(issue);
  const subscriberId = Number(subscriber);
  if (!Number.isSafeInteger(issueId) || !Number.isSafeInteger(subscriberId)) return undefined;
  if (!sameBytes(mac, recipientMac(secret, issueId, subscriberId))) return undefined;
  if (!sameBytes(tag, linkTag(secret, issueId, linkId))) return undefined;
  return { issueId, subscriberId, linkId };
}

/** A stored link path is used only when it is a plain site path: `/x`, never `//host` or `/\host`. */
export function isSitePath(p: unknown): p is string {
  return typeof p === 'string' && /^\/(?![/\\])[^\s]*$/.test(p) && !p.includes('\\');
}
