// The long-running service, wired in one place:
// config -> database -> secret -> delivery (queue, transport, rate limit)
// -> digest renderer and archive -> web app (site, subscriptions, operator
// routes) -> worker and scheduler.
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger, type Logger } from './log.ts';
import { loadDemoData } from './demo/load.ts';
import { lastCompleteWeek } from './stats/week.ts';
import { createApp } from './web/app.ts';
import { startServer } from './web/serve.ts';
import { mountOperatorRoutes } from './web/operator-routes.ts';
import { createMetrics } from './web/metrics.ts';
import { resolveSecret } from './subscribers/dev-secret.ts';
import { issueUnsubscribeToken } from './subscribers/tokens.ts';
import { mountSubscriptionRoutes } from './subscribers/routes.ts';
import { addSubscriber } from './subscribers/import-export.ts';
import { enqueueTransactional } from './delivery/enqueue.ts';
import { createDeliveryDeps } from './delivery/setup.ts';
import { startWorker, type RunningWorker, type WorkerDeps } from './delivery/worker.ts';
import { createDigestRenderer } from './digest/renderer.ts';
import { createArchive } from './digest/archive-pages.tsx';
import { createFeeds } from './digest/feeds.ts';
import type { ReviewDeps } from './digest/approval.ts';
import path from 'node:path';
import { requestWeeklyDigest, waitForWeek, workWeeklyDigests, type WeeklyDigestDeps, type WeeklyJobWorker } from '../jobs/weekly-digest.ts';
import { startScheduler, type Scheduler } from '../jobs/scheduler.ts';

export interface Service {
  url: string;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Load demo data, a demo reader and the first digest when the database is empty (`npm start`). */
  demoOnEmpty: boolean;
  /** Send in this process too (`start`); `serve` leaves sending to `digest worker` processes. */
  worker: boolean;
  scheduler: boolean;
}

export const DEMO_READER = 'reader@example.com';

/** The delivery engine and what it renders with, for the CLI and the service. */
export async function openDelivery(config: Config, db: Database, log: Logger): Promise<{ deps: WorkerDeps; secret: string; review: ReviewDeps }> {
  const secret = resolveSecret(config);
  const renderer = createDigestRenderer({ pool: db.pool, secret, publicUrl: config.publicUrl, postalAddress: config.postalAddress });
  const deps = await createDeliveryDeps(config, db, {
    renderFor: renderer.renderFor,
    unsubscribeToken: (r, issueId) => issueUnsubscribeToken(secret, r.id, issueId),
    log,
  });
  const review: ReviewDeps = {
    pool: db.pool,
    boss: deps.boss,
    renderer,
    secret,
    publicUrl: config.publicUrl,
    mode: config.digestApproval,
    reviewers: config.digestReviewers,
    remindSeconds: config.digestApprovalRemindSeconds,
  };
  return { deps, secret, review };
}

export async function startService(config: Config, opts: ServiceOptions): Promise<Service> {
  const log = createLogger(config);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'digest serve' });
  let worker: RunningWorker | undefined;
  let weeklyWorker: WeeklyJobWorker | undefined;
  let scheduler: Scheduler | undefined;
  let delivery: WorkerDeps | undefined;
  try {
    const applied = await migrate(db.pool);
    if (applied.length) log.info({ event: 'db.migrated', applied }, 'migrations applied');
    const opened = await openDelivery(config, db, log);
    delivery = opened.deps;
    const { secret } = opened;
    const weekly: WeeklyDigestDeps & { log: Logger } = { pool: db.pool, boss: delivery.boss, tz: config.digestTz, publicUrl: config.publicUrl, log, review: opened.review };

    const demoWeek = opts.demoOnEmpty ? await loadDemoIfEmpty(config, db, log) : undefined;

    const metrics = createMetrics({ trackOpens: config.trackOpens });
    const archive = createArchive({ pool: db.pool, publicUrl: config.publicUrl, postalAddress: config.postalAddress });
    const boss = delivery.boss;
    const app = createApp({
      pool: db.pool,
      config,
      log,
      metrics,
      mount: (app) => {
        mountSubscriptionRoutes(app, {
          pool: db.pool,
          secret,
          publicUrl: config.publicUrl,
          postalAddress: config.postalAddress,
          enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
        });
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
    const server = await startServer(app, config.port);
    log.info({ event: 'web.listening', url: server.url, publicUrl: config.publicUrl, database: db.kind }, `listening on port ${config.port}: open ${config.publicUrl}`);
    if (opts.worker) {
      worker = startWorker(delivery);
      weeklyWorker = await workWeeklyDigests(weekly);
    }
    else if (db.kind === 'pglite') {
      // No other process can open the embedded database, so no `digest worker` can send for this one.
      log.warn({ event: 'service.no-sender' }, 'serve on the embedded database sends nothing: use `digest start`, or PostgreSQL with `digest worker` processes');
    }
    if (opts.scheduler) scheduler = startScheduler({ ...weekly, cron: config.digestCron, log });
    if (demoWeek) {
      // The first digest goes through the same singleton job as a scheduled one.
      await requestWeeklyDigest(weekly, demoWeek, 'demo');
      // Held for review (DIGEST_APPROVAL=manual), it goes out when approved: nothing to wait for.
      if (opts.worker && config.digestApproval === 'auto') await waitForDemoDigest(db, demoWeek, log);
    }
    await scheduler?.started;
    console.log(readyLine(config, server.url, db.kind, Boolean(demoWeek && opts.worker)));
    const running = delivery;
    return {
      url: server.url,
      async close() {
        // Stop taking new work first, then let work in hand finish (or hand it back), then close the database.
        log.info({ event: 'service.stopping' }, 'stopping: finishing work in hand');
        await scheduler?.stop();
        await server.close();
        await weeklyWorker?.stop();
        await worker?.stop();
        await running.boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
        await db.close();
        log.info({ event: 'service.stopped' }, 'stopped');
      },
    };
  } catch (err) {
    await scheduler?.stop().catch(() => {});
    await weeklyWorker?.stop().catch(() => {});
    await worker?.stop().catch(() => {});
    await delivery?.boss.stop({ graceful: false, close: false }).catch(() => {});
    await db.close();
    throw err;
  }
}

/** First run of `npm start`: eight weeks of demo data and one confirmed demo reader. Answers the week whose digest is owed. */
async function loadDemoIfEmpty(config: Config, db: Database, log: Logger): Promise<string | undefined> {
  const { rows } = await db.pool.query('SELECT EXISTS (SELECT 1 FROM postings) AS any');
  if (rows[0].any) return undefined;
  const endWeek = lastCompleteWeek(new Date(), config.digestTz);
  log.info({ event: 'demo.loading', endWeek }, 'empty database: loading 8 weeks of demo data (about a minute on the embedded database)');
  await loadDemoData(db.pool, {
    weeks: 8,
    endWeek,
    tz: config.digestTz,
    onProgress: (msg: string) => log.info({ event: 'demo.progress' }, msg),
  });
  await addSubscriber(db.pool, { email: DEMO_READER, source: 'demo' });
  log.info({ event: 'demo.loaded', endWeek, reader: DEMO_READER }, `demo data loaded; the ${endWeek} digest goes to ${DEMO_READER}`);
  return endWeek;
}

/** Waits (bounded) until the demo week's digest has left, so the ready line can point at it. */
async function waitForDemoDigest(db: Database, week: string, log: Logger): Promise<void> {
  const deadline = Date.now() + 120_000;
  if (await waitForWeek(db.pool, week, 120_000)) {
    for (;;) {
      const { rows } = await db.pool.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM deliveries d JOIN issues i ON i.id = d.issue_id WHERE i.week = $1 AND d.status IN ('queued', 'sending')`,
        [week],
      );
      if (rows[0]!.open === 0) return;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  log.warn({ event: 'demo.digest.slow', week }, 'the demo digest is still on its way; it will land shortly');
}

/** The one line `npm start` prints for people: where the site is and where mail goes. */
function readyLine(config: Config, url: string, kind: string, demo: boolean): string {
  // PUBLIC_URL defaults to http://localhost:$PORT; with PORT=0 only the server knows the real port.
  const site = /^http:\/\/localhost:\d+$/.test(config.publicUrl) ? `http://localhost:${new URL(url).port}` : config.publicUrl;
  const mail = config.resendApiKey ? 'mail goes out through Resend' : `mail is written to ${path.resolve(config.outboxDir)}${demo ? ' (the first digest is there now)' : ''}`;
  return `Salary Trends Digest is ready: open ${site} · ${mail} · database: ${kind === 'pglite' ? `embedded in ${path.resolve(config.dataDir)}` : 'PostgreSQL'}`;
}
