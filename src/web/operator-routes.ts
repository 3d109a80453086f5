// Routes that belong to the running service rather than the public pages:
// tracked clicks, the issue archive, provider webhooks, the postings API, the
// operator's admin page and metrics. Each handler is thin: the logic lives in
// its capability (digest, delivery, postings).
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { siteNoticeOf } from '../ui/site-notice.ts';
import { ARCHIVE_ISSUE_CSP, type Archive } from '../digest/archive-pages.tsx';
import { FEED_PATHS, FEED_TYPES, type FeedFormat, type Feeds } from '../digest/feeds.ts';
import { makePage } from './page-cache.ts';
import { sendPage } from './respond.ts';
import { resolveClick } from '../digest/store.ts';
import { handleResendWebhook, type BouncePolicy } from '../delivery/webhooks.ts';
import { readerSuppression } from '../subscribers/store.ts';
import { readSignedHeaders, TOLERANCE_SECONDS } from '../delivery/webhook-signature.ts';
import { ingestItems } from '../postings/ingest.ts';
import { FeedFormatError, parseJsonl, sniffFeed } from '../postings/parse-feed.ts';
import { renderAdminPage, readAdminOverview } from './admin-page.tsx';
import { readAdminIssue, renderAdminIssuePage } from './admin-issue-page.tsx';
import { approveIssue, discardIssue, renderProof, type ReviewDeps } from '../digest/approval.ts';
import { readIssueByWeek } from '../digest/store.ts';
import type { Metrics } from './metrics.ts';

export interface OperatorRouteDeps {
  pool: Db;
  secret: string;
  archive: Archive;
  /** The archive's feeds; left out, /issues.rss, .atom and .json are not served. */
  feeds?: Feeds;
  adminToken: string | undefined;
  webhookSecret: string | undefined;
  /** Approve, discard and proofs on /admin/issues/:week; without it the page shows figures only. */
  review?: ReviewDeps;
  /** TRACK_OPENS: show opens (labelled as inflated). */
  trackOpens?: boolean;
  /** BOUNCE_SOFT_LIMIT; default 3. */
  bouncePolicy?: BouncePolicy;
  metrics: Metrics;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** PUBLIC_URL: a form posted from it is same-site even behind a proxy. */
  publicUrl?: string;
  /** Largest accepted POST /api/postings body (default 50 MiB, README: HTTP). */
  maxPostingsBytes?: number;
}

/** A Resend event is a few KiB; anything past this is not one (README: HTTP). */
const MAX_WEBHOOK_BYTES = 256 * 1024;
const MAX_POSTINGS_BYTES = 50 * 1024 * 1024;

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

  // Registered before /issues/:week, which would otherwise take `issues.rss`.
  const feedPages = new Map<string, ReturnType<typeof makePage>>();
  for (const format of Object.keys(FEED_PATHS) as FeedFormat[]) {
    app.get(FEED_PATHS[format], async (c) => {
      if (!deps.feeds) return c.notFound();
      const built = await deps.feeds.current();
      const cacheKey = `${format}:${built.key}`;
      let page = feedPages.get(cacheKey);
      if (!page) {
        for (const k of feedPages.keys()) if (k.startsWith(`${format}:`)) feedPages.delete(k);
        page = makePage(200, built.bodies[format], built.lastModified);
        feedPages.set(cacheKey, page);
      }
      return sendPage(c, page, { contentType: FEED_TYPES[format] });
    });
  }

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
    const r = await handleResendWebhook(deps.pool, readerSuppression, deps.webhookSecret, raw, c.req.raw.headers, undefined, deps.bouncePolicy);
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
    return c.body(renderAdminPage(overview, c.req.query('token') ? deps.adminToken : undefined, siteNoticeOf(c)), 200, { ...HTML, 'cache-control': 'no-store' });
  });

  app.get('/admin/issues/:week', async (c) => {
    const denied = checkBearer(c, deps.adminToken, { allowQuery: true });
    if (denied) return denied;
    const issue = await readAdminIssue(deps.pool, c.req.param('week'));
    if (!issue) return c.notFound();
    const done = c.req.query('done');
    const notice = done === 'approved' ? 'Approved: the issue is queued for every reader.' : done === 'discarded' ? 'Discarded: nobody receives it.' : done === 'unchanged' ? 'Nothing changed: it had been decided already.' : undefined;
    return c.body(renderAdminIssuePage({ issue, token: deps.adminToken!, trackOpens: deps.trackOpens ?? false, notice }), 200, { ...HTML, 'cache-control': 'no-store' });
  });

  app.get('/admin/issues/:week/proof', async (c) => {
    const denied = checkBearer(c, deps.adminToken, { allowQuery: true });
    if (denied) return denied;
    const issue = await readIssueByWeek(deps.pool, c.req.param('week'));
    if (!issue || !deps.review) return c.notFound();
    const roles = (c.req.query('roles') ?? '').split(',').filter(Boolean);
    const proof = await renderProof(deps.review, issue, roles);
    return c.body(proof.html, 200, { ...HTML, 'content-security-policy': ARCHIVE_ISSUE_CSP, 'cache-control': 'no-store' });
  });

  for (const action of ['approve', 'discard'] as const) {
    app.post(`/admin/issues/:week/${action}`, async (c) => {
      // CSRF: a browser on another site sends its own origin (or cross-site),
      // and cannot know the token the form carries; both are checked.
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      if ((site && site !== 'same-origin' && site !== 'none') || (origin && origin !== 'null' && origin !== new URL(c.req.url).origin && !(deps.publicUrl && origin === new URL(deps.publicUrl).origin))) {
        return c.json({ error: 'cross-site request refused' }, 403);
      }
      const form = (c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded') ? await c.req.parseBody() : {};
      const denied = checkBearer(c, deps.adminToken, { fromForm: typeof form.token === 'string' ? form.token : undefined });
      if (denied) return denied;
      if (!deps.review) return c.json({ error: 'review is not wired in this process' }, 503);
      const week = c.req.param('week');
      const r = action === 'approve' ? await approveIssue(deps.review, week, 'admin') : await discardIssue(deps.review, week, 'admin');
      if (r.kind === 'unknown') return c.notFound();
      deps.log.info({ event: `digest.review.${r.kind}`, week, by: 'admin' }, `${week}: ${r.kind}`);
      return c.redirect(`/admin/issues/${week}?done=${r.kind}&token=${encodeURIComponent(deps.adminToken!)}`, 303);
    });
  }

  app.get('/metrics', async (c) => {
    // Closed like /admin when ADMIN_TOKEN is unset: the figures name readers' counts and the queue.
    const denied = checkBearer(c, deps.adminToken, { allowQuery: true });
    if (denied) return denied;
    await deps.metrics.refresh(deps.pool);
    return c.body(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType });
  });
}

/** Bearer `ADMIN_TOKEN` (or `?token=` where allowed); a missing token in config closes the route. */
function checkBearer(c: Context, token: string | undefined, opts: { allowQuery?: boolean; fromForm?: string | undefined } = {}): Response | undefined {
  if (!token) return c.json({ error: 'ADMIN_TOKEN is not set on the server: operator routes are closed' }, 503);
  const header = c.req.header('authorization') ?? '';
  // RFC 9110: the scheme is case-insensitive (`bearer`, `BEARER`).
  const bearer = /^bearer +(.*)$/i.exec(header);
  const given = bearer ? bearer[1]!.trim() : opts.fromForm !== undefined ? opts.fromForm : opts.allowQuery ? (c.req.query('token') ?? '') : '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length === b.length && timingSafeEqual(a, b)) return undefined;
  c.header('www-authenticate', 'Bearer');
  return c.json({ error: 'a valid bearer token (ADMIN_TOKEN) is required' }, 401);
}
