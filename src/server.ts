// The long-running service, wired in one place:
// config -> database -> secret -> delivery (queue, transport, rate limit)
// -> digest renderer and archive -> web app (site, subscriptions, operator
// routes) -> worker and scheduler. What `digest worker` and `digest send`
// build too (delivery, review, subscriptions) is in src/wiring.ts.
import { configWarnings, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger, type Logger } from './log.ts';
import { loadDemoData } from './demo/load.ts';
import { removeDemoData } from './demo/remove.ts';
import { DEMO_SOURCE } from './demo/generate.ts';
import { postingsPresent } from './postings/upsert.ts';
import { anyWeekStored } from './stats/read-stats.ts';
import { openDeliveriesOfWeek } from './delivery/ledger.ts';
import { lastCompleteWeek } from './stats/week.ts';
import { createApp } from './web/app.ts';
import { startServer, type RunningServer } from './web/serve.ts';
import { startEarlyFront, type EarlyFront } from './web/early-front.ts';
import { existsSync } from 'node:fs';
import { mountOperatorRoutes } from './web/operator-routes.ts';
import { createMetrics } from './web/metrics.ts';
import { mountSubscriptionRoutes } from './subscribers/routes.ts';
import { clientAddress } from './web/client-address.ts';
import { addSubscriber } from './subscribers/import-export.ts';
import { startWorker, type RunningWorker, type WorkerDeps } from './delivery/worker.ts';
import type { RunningRequestWorker } from './subscribers/request-worker.ts';
import { openDelivery, startRequestWorker, subscriptionDeps } from './wiring.ts';
import { createArchive } from './digest/archive-pages.tsx';
import { createFeeds } from './digest/feeds.ts';
import path from 'node:path';
import { requestWeeklyDigest, waitForWeek, workWeeklyDigests, type WeeklyDigestDeps, type WeeklyJobWorker } from '../jobs/weekly-digest.ts';
import { startScheduler, type Scheduler } from '../jobs/scheduler.ts';
import { startCrawlSchedule, workCrawls, type CrawlSchedule, type CrawlWorker } from '../jobs/crawl.ts';

export interface Service {
  url: string;
  /** Resolves once background demo loading (if any) has finished or failed. */
  demoLoaded: Promise<void>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Load demo data, a demo reader and the first digest when the database is empty (`npm start`). */
  demoOnEmpty: boolean;
  /** Send in this process too (`start`); `serve` leaves sending to `digest worker` processes. */
  worker: boolean;
  scheduler: boolean;
}

const DEMO_READER = 'reader@example.com';

export async function startService(config: Config, opts: ServiceOptions): Promise<Service> {
  const log = createLogger(config);
  for (const warning of configWarnings(config)) log.warn({ event: 'config.warning' }, warning);
  // A fresh embedded database (first `npm start`) takes a while to create: the site listens at once and says so.
  const fresh = opts.demoOnEmpty && !config.databaseUrl && !existsSync(path.join(path.resolve(config.dataDir), 'pgdata'));
  let loading: string | undefined = fresh ? 'Creating the embedded database.' : undefined;
  // The embedded lock is taken synchronously here, so a second process is refused before anything listens.
  const opening = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: opts.worker ? 'digest start' : 'digest serve' });
  let front: EarlyFront | undefined;
  if (fresh) {
    try {
      front = await startEarlyFront(config.port, () => loading ?? 'Starting.', { https: config.publicUrl.startsWith('https://') });
    } catch (err) {
      await opening.then((d) => d.close(), () => {});
      throw err;
    }
    log.info({ event: 'web.listening', url: front.url, publicUrl: config.publicUrl, database: 'pglite', starting: true }, `listening on port ${config.port}: open ${config.publicUrl}`);
    console.log(readyLine(config, front.url, 'pglite', opts.worker ? 'loading' : 'loading-no-send'));
  }
  let db: Database;
  try {
    db = await opening;
  } catch (err) {
    await front?.close();
    throw err;
  }
  let worker: RunningWorker | undefined;
  let requestWorker: RunningRequestWorker | undefined;
  let weeklyWorker: WeeklyJobWorker | undefined;
  let scheduler: Scheduler | undefined;
  let crawlSchedule: CrawlSchedule | undefined;
  let crawlWorker: CrawlWorker | undefined;
  let delivery: WorkerDeps | undefined;
  const stopDemo = new AbortController();
  let demoLoad: Promise<void> | undefined;
  try {
    const applied = await migrate(db.pool);
    if (applied.length) log.info({ event: 'db.migrated', applied }, 'migrations applied');
    const opened = await openDelivery(config, db, log);
    delivery = opened.deps;
    const { secret } = opened;
    const weekly: WeeklyDigestDeps & { log: Logger } = { pool: db.pool, boss: delivery.boss, tz: config.digestTz, publicUrl: config.publicUrl, log, review: opened.review };

    // The site is served at once; demo data (about a minute on the embedded
    // database) loads behind it, and every page says how far it got meanwhile.
    const demoPlan = opts.demoOnEmpty ? await demoNeeded(db) : undefined;
    loading = demoPlan ? 'Loading demo data: starting.' : undefined;

    const metrics = createMetrics({ trackOpens: config.trackOpens });
    const archive = createArchive({ pool: db.pool, publicUrl: config.publicUrl, postalAddress: config.postalAddress });
    const boss = delivery.boss;
    const app = createApp({
      pool: db.pool,
      config,
      log,
      metrics,
      loading: () => loading,
      mount: (app) => {
        mountSubscriptionRoutes(app, { ...subscriptionDeps(config, db, boss, secret), clientIp: clientAddress(config.trustProxy) });
        mountOperatorRoutes(app, {
          pool: db.pool,
          secret,
          archive,
          feeds: createFeeds({ pool: db.pool, publicUrl: config.publicUrl, postalAddress: config.postalAddress }),
          adminToken: config.adminToken,
          webhookSecret: config.resendWebhookSecret,
          bouncePolicy: { softBounceLimit: config.bounceSoftLimit },
          review: opened.review,
          trackOpens: config.trackOpens,
          publicUrl: config.publicUrl,
          metrics,
          log,
        });
      },
    });
    let server: RunningServer;
    if (front) {
      front.attach(app);
      server = front;
    } else {
      server = await startServer(app, config.port);
      log.info({ event: 'web.listening', url: server.url, publicUrl: config.publicUrl, database: db.kind }, `listening on port ${config.port}: open ${config.publicUrl}`);
    }
    if (opts.worker) {
      worker = startWorker(delivery);
      requestWorker = startRequestWorker(config, db, delivery, secret, log);
      weeklyWorker = await workWeeklyDigests(weekly);
      crawlWorker = await workCrawls({ pool: db.pool, boss: delivery.boss, config, log });
    }
    else if (db.kind === 'pglite') {
      // No other process can open the embedded database, so no `digest worker` can send for this one.
      log.warn({ event: 'service.no-sender' }, 'serve on the embedded database sends nothing: use `digest start`, or PostgreSQL with `digest worker` processes');
    }
    // The schedule's catch-up would digest an empty week: it starts once the demo weeks are in.
    const startSchedule = async () => {
      if (!opts.scheduler) return;
      scheduler = startScheduler({ ...weekly, cron: config.digestCron, log });
      await scheduler.started;
      crawlSchedule = startCrawlSchedule({ pool: db.pool, boss, cron: config.crawlCron, tz: config.digestTz, log });
    };
    if (!demoPlan) await startSchedule();
    if (!front) console.log(readyLine(config, server.url, db.kind, demoPlan ? (opts.worker ? 'loading' : 'loading-no-send') : 'none'));
    if (demoPlan) {
      demoLoad = (async () => {
        const endWeek = await loadDemo(config, db, log, demoPlan, stopDemo.signal, (msg) => (loading = `Loading demo data: ${msg}.`));
        loading = undefined;
        await startSchedule();
        // The first digest goes through the same singleton job as a scheduled one.
        log.info({ event: 'demo.digest.composing', week: endWeek }, `composing the ${endWeek} digest for ${DEMO_READER}`);
        await requestWeeklyDigest(weekly, endWeek, 'demo');
        // Held for review (DIGEST_APPROVAL=manual), it goes out when approved: nothing to wait for.
        if (opts.worker && config.digestApproval === 'auto' && (await waitForDemoDigest(db, endWeek, log))) {
          const where = config.resendApiKey ? 'it went out through Resend' : `it is in ${path.resolve(config.outboxDir)}`;
          log.info({ event: 'demo.digest.ready', week: endWeek }, `the ${endWeek} digest was sent to ${DEMO_READER}: ${where}`);
        }
      })().catch((err: unknown) => {
        loading = undefined;
        if (stopDemo.signal.aborted) return;
        log.error({ event: 'demo.failed', err: (err as Error).message }, `loading demo data failed: ${(err as Error).message}`);
      });
    }
    const running = delivery;
    return {
      url: server.url,
      /** Resolves once background demo loading (if any) has finished or failed. */
      demoLoaded: demoLoad ?? Promise.resolve(),
      async close() {
        // Stop taking new work first, then let work in hand finish (or hand it back), then close the database.
        log.info({ event: 'service.stopping' }, 'stopping: finishing work in hand');
        stopDemo.abort();
        await demoLoad;
        await scheduler?.stop();
        await crawlSchedule?.stop();
        await server.close();
        await weeklyWorker?.stop();
        await requestWorker?.stop();
        await crawlWorker?.stop();
        await worker?.stop();
        await running.boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
        await db.close();
        log.info({ event: 'service.stopped' }, 'stopped');
      },
    };
  } catch (err) {
    stopDemo.abort();
    await demoLoad?.catch(() => {});
    await scheduler?.stop().catch(() => {});
    await crawlSchedule?.stop().catch(() => {});
    await weeklyWorker?.stop().catch(() => {});
    await requestWorker?.stop().catch(() => {});
    await crawlWorker?.stop().catch(() => {});
    await worker?.stop().catch(() => {});
    await delivery?.boss.stop({ graceful: false, close: false }).catch(() => {});
    await front?.close().catch(() => {});
    await db.close();
    throw err;
  }
}

/**
 * Whether `npm start` loads demo data: the database has no postings at all
 * (first run), or only demo postings from a load that was cut short (no demo
 * week snapshotted yet), which are removed and loaded again.
 */
async function demoNeeded(db: Database): Promise<'fresh' | 'retry' | undefined> {
  const postings = await postingsPresent(db.pool, DEMO_SOURCE);
  if (!postings.any) return 'fresh';
  return !postings.otherSource && !(await anyWeekStored(db.pool)) ? 'retry' : undefined;
}

/** Eight weeks of demo data and one confirmed demo reader. Answers the week whose digest is owed. */
async function loadDemo(config: Config, db: Database, log: Logger, plan: 'fresh' | 'retry', signal: AbortSignal, onStatus: (msg: string) => void): Promise<string> {
  if (plan === 'retry') {
    log.info({ event: 'demo.retry' }, 'an earlier demo load was cut short: removing it and loading again');
    await removeDemoData(db.pool, { tz: config.digestTz });
  }
  const endWeek = lastCompleteWeek(new Date(), config.digestTz);
  const started = performance.now();
  log.info({ event: 'demo.loading', endWeek }, `loading 8 weeks of demo data ending ${endWeek} in the background (about a minute on the embedded database)`);
  const res = await loadDemoData(db.pool, {
    weeks: 8,
    endWeek,
    tz: config.digestTz,
    signal,
    onProgress: (msg: string) => {
      onStatus(msg);
      log.info({ event: 'demo.progress' }, `loading demo data: ${msg}`);
    },
  });
  await addSubscriber(db.pool, { email: DEMO_READER, source: 'demo' });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  log.info(
    { event: 'demo.loaded', endWeek, postings: res.postings, reader: DEMO_READER },
    `demo data loaded: ${res.weeks.length} weeks, ${res.postings.toLocaleString('en-US')} postings, ${seconds} s; the ${endWeek} digest goes to ${DEMO_READER}`,
  );
  return endWeek;
}

/** Waits (bounded) until the demo week's digest has left, so the line after it can point at it. */
async function waitForDemoDigest(db: Database, week: string, log: Logger): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  if (await waitForWeek(db.pool, week, 120_000)) {
    for (;;) {
      if ((await openDeliveriesOfWeek(db.pool, week)) === 0) return true;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  log.warn({ event: 'demo.digest.slow', week }, 'the demo digest is still on its way; it will land shortly');
  return false;
}

/** The one line `npm start` prints for people: where the site is and where mail goes. */
function readyLine(config: Config, url: string, kind: string, demo: 'none' | 'loading' | 'loading-no-send'): string {
  // PUBLIC_URL defaults to http://localhost:$PORT; with PORT=0 only the server knows the real port.
  const site = /^http:\/\/localhost:\d+$/.test(config.publicUrl) ? `http://localhost:${new URL(url).port}` : config.publicUrl;
  const first = demo === 'loading' ? ' (the first digest lands there once the demo data is loaded, in about a minute)' : '';
  const mail = config.resendApiKey ? 'mail goes out through Resend' : `mail is written to ${path.resolve(config.outboxDir)}${first}`;
  const loading = demo === 'none' ? '' : ' · demo data is loading in the background; pages say so until it is in';
  return `Salary Trends Digest is ready: open ${site} · ${mail} · database: ${kind === 'pglite' ? `embedded in ${path.resolve(config.dataDir)}` : 'PostgreSQL'}${loading}`;
}
