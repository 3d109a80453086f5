// The delivery engine's `renderFor(issueId, recipient)`: the issue is read
// once, each segment compiled once, and every recipient filled by string
// substitution. Deterministic: a retried batch renders byte-identical mail
// (no clock: the preferences link's expiry counts from the issue's compose time).
import type { RenderFor, Recipient, RenderedDigest } from '../delivery/deps.ts';
import { issueUnsubscribeToken, subscriberToken } from '../subscribers/tokens.ts';
import { clickPrefix, linkSuffixer } from './links.ts';
import { fillRecipient, SegmentCache, type CompiledDigest } from './render.ts';
import { readIssue, type StoredIssue } from './store.ts';
import type pg from 'pg';

export interface DigestRendererDeps {
  pool: Pick<pg.Pool, 'query'>;
  secret: string;
  publicUrl: string;
  postalAddress: string;
  templatesDir?: string;
  /** Issues kept compiled in memory (each holds its segments). */
  maxIssues?: number;
}

interface Loaded {
  issue: StoredIssue;
  segments: SegmentCache;
}

export interface RecipientUrls {
  unsubscribeUrl: string;
  preferencesUrl: string;
  linkPrefix: string;
}

/** The per-recipient values of one issue's mail. */
export function recipientUrls(base: string, secret: string, issue: Pick<StoredIssue, 'id' | 'composedAt'>, subscriberId: number): RecipientUrls {
  return {
    unsubscribeUrl: `${base}/unsubscribe/${issueUnsubscribeToken(secret, subscriberId, issue.id)}`,
    preferencesUrl: `${base}/preferences/${subscriberToken(secret, 'preferences', subscriberId, issue.composedAt)}`,
    linkPrefix: clickPrefix(base, secret, issue.id, subscriberId),
  };
}

export interface DigestRenderer {
  renderFor: RenderFor;
  /** The compiled segment a recipient gets (preview, tests). */
  compiledFor(issueId: number, roles: readonly string[]): Promise<CompiledDigest>;
}

export function createDigestRenderer(deps: DigestRendererDeps): DigestRenderer {
  const max = deps.maxIssues ?? 4;
  const cache = new Map<number, Promise<Loaded>>();

  function load(issueId: number): Promise<Loaded> {
    let hit = cache.get(issueId);
    if (!hit) {
      hit = readIssue(deps.pool, issueId).then((issue) => {
        if (!issue) throw new Error(`issue ${issueId} does not exist`);
        const segments = new SegmentCache(issue.content, {
          publicUrl: deps.publicUrl,
          postalAddress: deps.postalAddress,
          templatesDir: deps.templatesDir,
          linkSuffix: linkSuffixer(deps.secret, issue.id),
        });
        return { issue, segments };
      });
      hit.catch(() => cache.delete(issueId));
      cache.set(issueId, hit);
      // Oldest issue out first (Map keeps insertion order).
      while (cache.size > max) cache.delete(cache.keys().next().value!);
    }
    return hit;
  }

  return {
    async renderFor(issueId: number, recipient: Recipient): Promise<RenderedDigest> {
      const { issue, segments } = await load(issueId);
      const compiled = await segments.get(recipient.roles);
      return fillRecipient(compiled, recipientUrls(deps.publicUrl, deps.secret, issue, recipient.id));
    },
    async compiledFor(issueId, roles) {
      return (await load(issueId)).segments.get(roles);
    },
  };
}
