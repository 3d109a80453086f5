// Prometheus metrics for /metrics: process defaults, counters the web layer
// bumps, request latency, and gauges read from the database at scrape time
// (the ledger and the queue are shared by every process, so any process can
// report them). The SQL lives in ops-queries.ts, shared with /healthz and /admin.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/database.ts';
import { readIssueCounts } from '../digest/analytics.ts';
import { listEnqueuedIssues } from '../digest/store.ts';
import { JOB_STATES, readLedgerTotals, readQueueDepth, readSubscribersByStatus, SEND_RATE_WINDOWS } from './ops-queries.ts';

export interface Metrics {
  registry: Registry;
  clicks: Counter;
  webhooks: Counter<'status'>;
  postingsIngested: Counter;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  refresh(pool: Db): Promise<void>;
}

/** Seconds; a page served from the cache takes about a millisecond, a cold comparison tens. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Issues with per-issue series: the newest enqueued ones (bounded, so the series do not grow forever). */
const ISSUES_IN_METRICS = 8;

export function createMetrics(opts: { trackOpens?: boolean } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const clicks = new Counter({ name: 'digest_clicks_recorded_total', help: 'First clicks recorded per (issue, reader, link) by this process', registers });
  const webhooks = new Counter({ name: 'digest_webhooks_total', help: 'Provider webhook requests by answer status', labelNames: ['status'] as const, registers });
  const postingsIngested = new Counter({ name: 'digest_postings_ingested_total', help: 'Postings stored through POST /api/postings', registers });
  const httpDuration = new Histogram({
    name: 'digest_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });

  const deliveries = new Gauge({ name: 'digest_deliveries', help: 'Ledger rows of the latest enqueued issue by status', labelNames: ['status'] as const, registers });
  const deliveriesAll = new Gauge({ name: 'digest_deliveries_all_issues', help: 'Ledger rows of every issue by status', labelNames: ['status'] as const, registers });
  const sendRate = new Gauge({
    name: 'digest_send_rate_per_second',
    help: 'Issue mails sent per second over the window, from the ledger sent timestamps',
    labelNames: ['window'] as const,
    registers,
  });
  const queueJobs = new Gauge({ name: 'digest_queue_jobs', help: 'pg-boss jobs by queue and state (created, retry, active, failed)', labelNames: ['queue', 'state'] as const, registers });
  const queueDepth = new Gauge({ name: 'digest_queue_depth', help: 'pg-boss jobs waiting or running over all queues (created + retry + active)', registers });
  const batchesOpen = new Gauge({ name: 'digest_delivery_batches_open', help: 'Delivery batches not done by status', labelNames: ['status'] as const, registers });
  const oldestBatch = new Gauge({ name: 'digest_delivery_batch_oldest_age_seconds', help: 'Age of the oldest delivery batch not done (0 when none)', registers });
  const transactional = new Gauge({ name: 'digest_transactional_mails_open', help: 'Transactional mails not sent yet by status', labelNames: ['status'] as const, registers });
  const webhookEvents = new Gauge({ name: 'digest_webhook_events', help: 'Stored provider webhook events by type', labelNames: ['type'] as const, registers });
  const subscribers = new Gauge({ name: 'digest_subscribers', help: 'Readers by status', labelNames: ['status'] as const, registers });
  const clicksStored = new Gauge({ name: 'digest_clicks', help: 'First clicks stored, every issue', registers });
  const lastSnapshot = new Gauge({ name: 'digest_last_snapshot_timestamp_seconds', help: 'When the latest week was snapshotted', registers });
  const issueMails = new Gauge({ name: 'digest_issue_mails', help: 'Ledger rows per issue (newest issues) by status: queued, sending, sent, failed, suppressed', labelNames: ['week', 'status'] as const, registers });
  const issueEvents = new Gauge({ name: 'digest_issue_provider_events', help: 'Mails per issue the provider reported as delivered, bounced_hard, bounced_soft or complained', labelNames: ['week', 'event'] as const, registers });
  const issueClickers = new Gauge({ name: 'digest_issue_unique_clickers', help: 'Readers who clicked any link of the issue', labelNames: ['week'] as const, registers });
  const issueClickRate = new Gauge({ name: 'digest_issue_click_rate', help: 'Unique clickers divided by mails sent for the issue', labelNames: ['week'] as const, registers });
  const issueLinkClicks = new Gauge({ name: 'digest_issue_link_clicks', help: 'First clicks per link of the issue', labelNames: ['week', 'link'] as const, registers });
  const issueUnsubscribes = new Gauge({ name: 'digest_issue_unsubscribes', help: 'Readers who unsubscribed through the issue\'s link', labelNames: ['week'] as const, registers });
  const issueFollowers = new Gauge({ name: 'digest_issue_role_followers', help: 'Recipients of the issue following each role when it was enqueued', labelNames: ['week', 'role'] as const, registers });
  const issueOpens = opts.trackOpens
    ? new Gauge({
        name: 'digest_issue_opens_inflated',
        help: 'Opens the provider reported (TRACK_OPENS=true). Inflated: mail privacy proxies (Apple Mail Privacy Protection and others) fetch every image, so an open does not mean a reader',
        labelNames: ['week'] as const,
        registers,
      })
    : undefined;

  return {
    registry,
    clicks,
    webhooks,
    postingsIngested,
    httpDuration,
    async refresh(pool) {
      const [ledger, queue, readers, recent] = await Promise.all([
        readLedgerTotals(pool),
        readQueueDepth(pool),
        readSubscribersByStatus(pool),
        listEnqueuedIssues(pool, ISSUES_IN_METRICS),
      ]);
      const perIssue = await readIssueCounts(pool, recent.map((r) => r.id));
      for (const g of [issueMails, issueEvents, issueClickers, issueClickRate, issueLinkClicks, issueUnsubscribes, issueFollowers, issueOpens]) g?.reset();
      for (const { id, week } of recent) {
        const c = perIssue.get(Number(id))!;
        for (const status of ['queued', 'sending', 'sent', 'failed', 'suppressed'] as const) issueMails.set({ week, status }, c[status]);
        issueEvents.set({ week, event: 'delivered' }, c.delivered);
        issueEvents.set({ week, event: 'bounced_hard' }, c.bouncedHard);
        issueEvents.set({ week, event: 'bounced_soft' }, c.bouncedSoft);
        issueEvents.set({ week, event: 'complained' }, c.complained);
        issueClickers.set({ week }, c.clickers);
        issueClickRate.set({ week }, c.sent > 0 ? c.clickers / c.sent : 0);
        for (const [link, n] of Object.entries(c.links)) issueLinkClicks.set({ week, link }, n);
        issueUnsubscribes.set({ week }, c.unsubscribed);
        for (const [role, n] of Object.entries(c.followers)) issueFollowers.set({ week, role }, n);
        issueOpens?.set({ week }, c.opened);
      }
      // Reset before setting: a status that has no rows any more must not keep its last value.
      deliveries.reset();
      for (const r of ledger.latestIssueDeliveries) deliveries.set({ status: r.status }, r.n);
      deliveriesAll.reset();
      for (const r of ledger.deliveries) deliveriesAll.set({ status: r.status }, r.n);
      sendRate.set({ window: '1m' }, ledger.sentLastMinute / SEND_RATE_WINDOWS['1m']);
      sendRate.set({ window: '5m' }, ledger.sentLastFiveMinutes / SEND_RATE_WINDOWS['5m']);
      queueJobs.reset();
      for (const [name, counts] of Object.entries(queue.jobs ?? {})) {
        for (const state of JOB_STATES) queueJobs.set({ queue: name, state }, counts[state]);
      }
      queueDepth.set(queue.depth);
      batchesOpen.set({ status: 'queued' }, queue.batches.queued);
      batchesOpen.set({ status: 'sending' }, queue.batches.sending);
      oldestBatch.set(queue.batches.oldestAgeSeconds ?? 0);
      transactional.set({ status: 'queued' }, queue.transactional.queued);
      transactional.set({ status: 'sending' }, queue.transactional.sending);
      webhookEvents.reset();
      for (const r of ledger.webhookEvents) webhookEvents.set({ type: r.type }, r.n);
      subscribers.reset();
      for (const r of readers) subscribers.set({ status: r.status }, r.n);
      clicksStored.set(ledger.clicks);
      if (ledger.lastSnapshotSeconds != null) lastSnapshot.set(ledger.lastSnapshotSeconds);
    },
  };
}

/**
 * Times every request into `digest_http_request_duration_seconds`. Register
 * it first so it wraps the other middleware too. The route label is the
 * matched pattern (`/compare/:pair`), never the raw path, so addresses cannot
 * grow the series without bound; a request no route matched is `unmatched`.
 */
export function requestTimer(metrics: Pick<Metrics, 'httpDuration'>): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      // After next() the route index is the last handler that ran; only the
      // catch-all middleware ran when nothing matched.
      const pattern = routePath(c);
      const route = pattern === '' || pattern === '*' || pattern === '/*' ? 'unmatched' : pattern;
      metrics.httpDuration.observe({ method: c.req.method, route, status: String(status) }, (performance.now() - started) / 1000);
    }
  };
}
