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
import { subscriberToken } from './subscribers/tokens.ts';
import { mountSubscriptionRoutes } from './subscribers/routes.ts';
import { addSubscriber } from './subscribers/import-export.ts';
import { enqueueTransactional } from './delivery/enqueue.ts';
import { createDeliveryDeps } from './delivery/setup.ts';
import { startWorker, type RunningWorker, type WorkerDeps } from './delivery/worker.ts';
import { createDigestRenderer } from './digest/renderer.ts';
import { createArchive } from './digest/archive-pages.tsx';
import { runWeeklyDigest } from '../jobs/weekly-digest.ts';
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
export async function openDelivery(config: Config, db: Database, log: Logger): Promise<{ deps: WorkerDeps; secret: string }> {
  const secret = resolveSecret(config);
  const renderer = createDigestRenderer({ pool: db.pool, secret, publicUrl: config.publicUrl, postalAddress: config.postalAddress });
  const deps = await createDeliveryDeps(config, db, {
    renderFor: renderer.renderFor,
    unsubscribeToken: (r) => subscriberToken(secret, 'unsubscribe', r.id),
    log,
  });
  return { deps, secret };
}

export async function startService(config: Config, opts: ServiceOptions): Promise<Service> {
  const log = createLogger(config);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'digest serve' });
  let worker: RunningWorker | undefined;
  let scheduler: Scheduler | undefined;
  let delivery: WorkerDeps | undefined;
  try {
    const applied = await migrate(db.pool);
    if (applied.length) log.info({ event: 'db.migrated', applied }, 'migrations applied');
    const opened = await openDelivery(config, db, log);
    delivery = opened.deps;
    const { secret } = opened;
    const weekly = { pool: db.pool, boss: delivery.boss, tz: config.digestTz, publicUrl: config.publicUrl, log };

    if (opts.demoOnEmpty) await loadDemoIfEmpty(config, db, log, weekly);

    const metrics = createMetrics();
    const archive = createArchive({ pool: db.pool, publicUrl: config.publicUrl, postalAddress: config.postalAddress });
    const boss = delivery.boss;
    const app = createApp({
      pool: db.pool,
      config,
      log,
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
          adminToken: config.adminToken,
          webhookSecret: config.resendWebhookSecret,
          metrics,
          log,
        });
      },
    });
    const server = await startServer(app, config.port);
    log.info({ event: 'web.listening', url: server.url, publicUrl: config.publicUrl, database: db.kind }, `listening on port ${config.port}: open ${config.publicUrl}`);
    if (opts.worker) worker = startWorker(delivery);
    if (opts.scheduler) scheduler = startScheduler({ ...weekly, cron: config.digestCron, log });
    const running = delivery;
    return {
      url: server.url,
      async close() {
        scheduler?.stop();
        await server.close();
        await worker?.stop();
        await running.boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
        await db.close();
        log.info({ event: 'service.stopped' }, 'stopped');
      },
    };
  } catch (err) {
    scheduler?.stop();
    await worker?.stop().catch(() => {});
    await delivery?.boss.stop({ graceful: false, close: false }).catch(() => {});
    await db.close();
    throw err;
  }
}

/** First run of `npm start`: eight weeks of demo data, one confirmed demo reader, and the last week's digest queued for the outbox. */
async function loadDemoIfEmpty(
  config: Config,
  db: Database,
  log: Logger,
  weekly: Parameters<typeof runWeeklyDigest>[1],
): Promise<void> {
  const { rows } = await db.pool.query('SELECT EXISTS (SELECT 1 FROM postings) AS any');
  if (rows[0].any) return;
  const endWeek = lastCompleteWeek(new Date(), config.digestTz);
  log.info({ event: 'demo.loading', endWeek }, 'empty database: loading 8 weeks of demo data (about a minute on the embedded database)');
  await loadDemoData(db.pool, {
    weeks: 8,
    endWeek,
    tz: config.digestTz,
    onProgress: (msg: string) => log.info({ event: 'demo.progress' }, msg),
  });
  await addSubscriber(db.pool, { email: DEMO_READER, source: 'demo' });
  const res = await runWeeklyDigest({ week: endWeek }, weekly);
  log.info({ event: 'demo.loaded', endWeek, reader: DEMO_READER, issueId: res.issueId }, `demo data loaded; the ${endWeek} digest is queued for ${DEMO_READER}`);
}
