// Sending HTML pages: conditional requests (ETag, Last-Modified), content
// negotiation for gzip and brotli, caching headers; and the security headers
// every response carries.
import type { Context, MiddlewareHandler } from 'hono';
import { brotliOf, gzipOf, rawOf, type Page } from './page-cache.ts';
import { CONTENT_SECURITY_POLICY } from '../ui/styles.ts';

/** Weekly pages: browsers and proxies may keep them briefly, then revalidate with the ETag. */
const PAGE_CACHE_CONTROL = 'public, max-age=300, must-revalidate';

function notModified(c: Context, page: Page): boolean {
  const inm = c.req.header('if-none-match');
  if (inm !== undefined) {
    return inm
      .split(',')
      .map((t) => t.trim())
      .some((t) => t === '*' || t === page.etag || `W/${t}` === page.etag);
  }
  const ims = c.req.header('if-modified-since');
  if (ims && page.lastModified) {
    const since = Date.parse(ims);
    // HTTP dates have whole seconds.
    return !Number.isNaN(since) && Math.floor(page.lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

// A view, not a copy, of a cached buffer.
const bytes = (b: Buffer) => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

export function sendPage(c: Context, page: Page, opts: { cache?: boolean; contentType?: string } = {}): Response {
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'text/html; charset=utf-8',
    vary: 'Accept-Encoding',
  };
  if (opts.cache !== false && page.status === 200) {
    headers['cache-control'] = PAGE_CACHE_CONTROL;
    headers.etag = page.etag;
    if (page.lastModified) headers['last-modified'] = page.lastModified.toUTCString();
    if (notModified(c, page)) return c.body(null, 304, headers);
  } else {
    headers['cache-control'] = 'no-store';
  }
  const accept = c.req.header('accept-encoding') ?? '';
  if (/\bbr\b/.test(accept)) {
    headers['content-encoding'] = 'br';
    return c.body(bytes(brotliOf(page)), page.status as 200, headers);
  }
  if (/\bgzip\b/.test(accept)) {
    headers['content-encoding'] = 'gzip';
    return c.body(bytes(gzipOf(page)), page.status as 200, headers);
  }
  return c.body(bytes(rawOf(page)), page.status as 200, headers);
}

export function securityHeaders(opts: { https: boolean }): MiddlewareHandler {
  const fixed: [string, string][] = [
    ['content-security-policy', CONTENT_SECURITY_POLICY],
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['referrer-policy', 'strict-origin-when-cross-origin'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-resource-policy', 'same-origin'],
    ['permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()'],
  ];
  if (opts.https) fixed.push(['strict-transport-security', 'max-age=31536000; includeSubDomains']);
  return async (c, next) => {
    await next();
    for (const [k, v] of fixed) {
      // A route with a policy of its own (the archive's mail-like web version) keeps it.
      if (k === 'content-security-policy' && c.res.headers.has(k)) continue;
      c.res.headers.set(k, v);
    }
  };
}
