// What the entry points (src/cli.ts, src/server.ts) both build from the
// config and the open database: the delivery engine with the send jobs it
// runs, the digest review, the subscription deps. Part of the entry-point
// layer: the one place besides them that hands jobs/ to src/.
import { sendBatch } from '../jobs/send-batch.ts';
import { sendTransactional } from '../jobs/send-transactional.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './log.ts';
import { enqueueTransactional } from './delivery/enqueue.ts';
import { createDeliveryDeps } from './delivery/setup.ts';
import type { SendJobs, WorkerDeps } from './delivery/worker.ts';
import type { ReviewDeps } from './digest/approval.ts';
import { createDigestRenderer } from './digest/renderer.ts';
import { readWelcomeLatest } from './digest/welcome-figures.ts';
import type { SubscriptionDeps } from './subscribers/deps.ts';
import { resolveSecret } from './subscribers/dev-secret.ts';
import { startSubscribeRequestWorker, wakeWith, type RunningRequestWorker } from './subscribers/request-worker.ts';
import { issueUnsubscribeToken } from './subscribers/tokens.ts';

/** The send jobs every worker runs. */
export const SEND_JOBS: SendJobs = { sendBatch, sendTransactional };

/** The delivery engine and what it renders with, for the CLI and the service. */
export async function openDelivery(config: Config, db: Database, log: Logger): Promise<{ deps: WorkerDeps; secret: string; review: ReviewDeps }> {
  const secret = resolveSecret(config);
  const renderer = createDigestRenderer({ pool: db.pool, secret, publicUrl: config.publicUrl, postalAddress: config.postalAddress });
  const deps = await createDeliveryDeps(config, db, {
    renderFor: renderer.renderFor,
    unsubscribeToken: (r, issueId) => issueUnsubscribeToken(secret, r.id, issueId),
    jobs: SEND_JOBS,
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

/** What the subscription routes and the subscribe-request worker share. */
export function subscriptionDeps(config: Config, db: Pick<Database, 'pool'>, boss: WorkerDeps['boss'], secret: string): SubscriptionDeps {
  return {
    pool: db.pool,
    secret,
    publicUrl: config.publicUrl,
    postalAddress: config.postalAddress,
    welcomeLatest: (client, roles) => readWelcomeLatest(client, roles, config.publicUrl),
    enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
    wake: wakeWith(boss),
    limits: { perDomainConfirmations: config.confirmMailsPerDomain },
  };
}

/** A worker process's loops for the subscribe requests the web site queues. */
export function startRequestWorker(config: Config, db: Pick<Database, 'pool'>, deps: WorkerDeps, secret: string, log: Logger): RunningRequestWorker {
  return startSubscribeRequestWorker({ ...subscriptionDeps(config, db, deps.boss, secret), boss: deps.boss, log });
}
