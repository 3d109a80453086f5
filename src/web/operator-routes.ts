// Routes that belong to the running service rather than the public pages:
// tracked clicks, the issue archive, provider webhooks, the postings API, the
// operator's admin page and metrics. Each handler is thin: the logic lives in
// its capability (digest, delivery, postings).
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { siteNoticeOf } from './site-notice.ts';
import { ARCHIVE_ISSUE_CSP, type Archive } from '../digest/archive-pages.tsx';
import { resolveClick } from '../digest/store.ts';
import { handleResendWebhook } from '../delivery/webhooks.ts';
import { readSignedHeaders, TOLERANCE_SECONDS } from '../delivery/webhook-signature.ts';
import { ingestItems } from '../postings/ingest.ts';
import { FeedFormatError, parseJsonl, sniffFeed } from '../postings/parse-feed.ts';
import { renderAdminPage, readAdminOverview } from './admin-page.tsx';
import type { Metrics } from './metrics.ts';

export interface OperatorRouteDeps {
  pool: Db;
  secret: string;
  archive: Archive;
  adminToken: string | undefined;
  webhookSecret: string | undefined;
  metrics: Metrics;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Largest accepted POST /api/postings body (default 50 MiB, README: HTTP). */
  maxPostingsBytes?: number;
}

/** A Resend event is a few KiB; anything past this is not one (README: HTTP). */
export const MAX_WEBHOOK_BYTES = 256 * 1024;
export const MAX_POSTINGS_BYTES = 50 * 1024 * 1024;

/**
 * Refuse a body over `max` bytes with 413 before reading past it: at once on
 * its Content-Length, and for a chunked body as soon as the count passes the
 * cap (hono's bodyLimit stops reading there).
 */
function capBody(max: number, message: string): MiddlewareHandler {
  return bodyLimit({ maxSize: max, onError: (c) => c.json({ error: message }, 413, { connection: 'close' }) });
}

const HTML = { 'content-type': 'text/html; charset=utf-8' };

export function mountOperatorRoutes(app: Hono, deps: OperatorRouteDeps): void {
  app.get('/l/:token', async (c) => {
    const out = await resolveClick(deps.pool, deps.secret, c.req.param('token'));
    if (out.reason) deps.log.info({ event: 'digest.click.fallback', reason: out.reason }, 'click token fell back');
    if (out.recorded) deps.metrics.clicks.inc();
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(out.location, 302);
  });

  app.get('/issues', async (c) => c.body(await deps.archive.index(siteNoticeOf(c)), 200, { ...HTML, 'cache-control': 'public, max-age=300' }));

  app.get('/issues/:week', async (c) => {
    const html = await deps.archive.issue(c.req.param('week'), siteNoticeOf(c));
    if (html === undefined) return c.notFound();
    return c.body(html, 200, { ...HTML, 'content-security-policy': ARCHIVE_ISSUE_CSP, 'cache-control': 'public, max-age=3600' });
  });

  // The signature headers are checked before a byte of the body is read, so
  // an unsigned request costs nothing whatever it carries.
  const webhookHeaders: MiddlewareHandler = async (c, next) => {
    if (!deps.webhookSecret) return c.json({ ok: false, error: 'webhooks are not configured (RESEND_WEBHOOK_SECRET)' }, 503);
    const signed = readSignedHeaders(c.req.raw.headers);
    const error = !signed ? 'missing headers' : Math.abs(Date.now() / 1000 - signed.timestamp) > TOLERANCE_SECONDS ? 'stale timestamp' : undefined;
    if (error) {
      deps.metrics.webhooks.inc({ status: '401' });
      return c.json({ ok: false, error }, 401, { connection: 'close' });
    }
    return next();
  };
  app.post('/webhooks/resend', webhookHeaders, capBody(MAX_WEBHOOK_BYTES, `body larger than ${MAX_WEBHOOK_BYTES} bytes`), async (c) => {
    const raw = await c.req.text();
    const r = await handleResendWebhook(deps.pool, deps.webhookSecret, raw, c.req.raw.headers);
    deps.metrics.webhooks.inc({ status: String(r.status) });
    return c.json(r.body, r.status);
  });

  const maxPostings = deps.maxPostingsBytes ?? MAX_POSTINGS_BYTES;
  const postingsAuth: MiddlewareHandler = async (c, next) => checkBearer(c, deps.adminToken) ?? next();
  app.post('/api/postings', postingsAuth, capBody(maxPostings, `body larger than ${maxPostings} bytes; split the feed or use \`digest ingest\``), async (c) => {
    const text = await c.req.text();
    // The file check of `digest ingest`: refuses CSV, a JSON array, a pretty-printed document, binary or an empty body.
    const notJsonl = 'the body must be JSONL: one JSON object per line (content-type application/x-ndjson)';
    try {
      if (sniffFeed('request', new TextEncoder().encode(text.slice(0, 64 * 1024)), text.length <= 64 * 1024).format !== 'jsonl') {
        return c.json({ error: notJsonl }, 400);
      }
    } catch (err) {
      if (!(err instanceof FeedFormatError)) throw err;
      return c.json({ error: `${notJsonl}; ${err.message}` }, 400);
    }
    const summary = await ingestItems(deps.pool, parseJsonl([text]), { label: 'request', source: 'api' });
    deps.metrics.postingsIngested.inc(summary.stored);
    deps.log.info({ event: 'postings.api.ingested', stored: summary.stored, rejected: summary.rejected }, 'postings ingested');
    return c.json(summary, 200);
  });

  app.get('/admin', async (c) => {
    const denied = checkBearer(c, deps.adminToken, { allowQuery: true });
    if (denied) return denied;
    const overview = await readAdminOverview(deps.pool);
    return c.body(renderAdminPage(overview, siteNoticeOf(c)), 200, { ...HTML, 'cache-control': 'no-store' });
  });

  app.get('/metrics', async (c) => {
    // Closed like /admin when ADMIN_TOKEN is unset: the figures name readers' counts and the queue.
    const denied = checkBearer(c, deps.adminToken, { allowQuery: true });
    if (denied) return denied;
    await deps.metrics.refresh(deps.pool);
    return c.body(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType });
  });
}

/** Bearer `ADMIN_TOKEN` (or `?token=` where allowed); a missing token in config closes the route. */
function checkBearer(c: Context, token: string | undefined, opts: { allowQuery?: boolean } = {}): Response | undefined {
  if (!token) return c.json({ error: 'ADMIN_TOKEN is not set on the server: operator routes are closed' }, 503);
  const header = c.req.header('authorization') ?? '';
  // RFC 9110: the scheme is case-insensitive (`bearer`, `BEARER`).
  const bearer = /^bearer +(.*)$/i.exec(header);
  const given = bearer ? bearer[1]!.trim() : opts.allowQuery ? (c.req.query('token') ?? '') : '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length === b.length && timingSafeEqual(a, b)) return undefined;
  c.header('www-authenticate', 'Bearer');
  return c.json({ error: 'a valid bearer token (ADMIN_TOKEN) is required' }, 401);
}
