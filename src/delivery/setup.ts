// Wiring for src/cli.ts and src/server.ts: from the Config and the open
// database to everything the send jobs and the worker need. Resend when
// RESEND_API_KEY is set, the outbox otherwise; one rate limit of
// RESEND_RATE_LIMIT requests/s shared by every process through PostgreSQL.
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { DeliveryLog, RenderFor, Recipient } from './deps.ts';
import { createOutboxTransport } from './outbox-transport.ts';
import { startBoss } from './queue.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createResendTransport } from './resend-transport.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
import type { Transport } from './transport.ts';
import type { SendJobs, WorkerDeps } from './worker.ts';

export interface DeliverySetupOptions {
  /** The send jobs the worker runs, from the entry point (src/ does not import jobs/). */
  jobs: SendJobs;
  renderFor: RenderFor;
  unsubscribeToken: (recipient: Recipient, issueId?: number) => string;
  log?: DeliveryLog;
  /** Batches in flight in this process (default 4). */
  concurrency?: number;
  policy?: Partial<RetryPolicy>;
  /** Run pg-boss maintenance here (default true). */
  supervise?: boolean;
}

export type DeliveryConfig = Pick<Config, 'resendApiKey' | 'resendBaseUrl' | 'resendRateLimit' | 'outboxDir' | 'mailFrom' | 'publicUrl'>;

function createTransport(config: DeliveryConfig): Transport {
  return config.resendApiKey
    ? createResendTransport({ apiKey: config.resendApiKey, baseUrl: config.resendBaseUrl })
    : createOutboxTransport({ dir: config.outboxDir });
}

/** Starts pg-boss (creating its schema and the two queues); stop it with `deps.boss.stop()`. */
export async function createDeliveryDeps(
  config: DeliveryConfig,
  database: Pick<Database, 'pool' | 'kind'>,
  opts: DeliverySetupOptions,
): Promise<WorkerDeps> {
  const boss = await startBoss(database, {
    supervise: opts.supervise ?? true,
    onError: (err) => opts.log?.error({ event: 'delivery.queue.error', err: err.message }, 'pg-boss error'),
  });
  return {
    pool: database.pool,
    boss,
    transport: createTransport(config),
    // The limit is the provider's; writing files needs none.
    limiter: createRateLimiter(database.pool, { perSecond: config.resendApiKey ? config.resendRateLimit : Infinity }),
    policy: { ...DEFAULT_RETRY_POLICY, ...opts.policy },
    mailFrom: config.mailFrom,
    publicUrl: config.publicUrl,
    renderFor: opts.renderFor,
    unsubscribeToken: opts.unsubscribeToken,
    jobs: opts.jobs,
    ...(opts.log ? { log: opts.log } : {}),
    concurrency: opts.concurrency ?? 4,
  };
}
