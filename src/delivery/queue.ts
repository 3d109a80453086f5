// pg-boss over the application's own pool. On PGlite the pool is one session
// (size 1), and routing pg-boss through it is what keeps pg-boss's polling
// out of the middle of our transactions: PGlite's own query() and the pg
// adapter's protocol stream would otherwise interleave statements on the one
// session. Jobs are enqueued inside the caller's transaction with `clientDb`.
import { PgBoss } from 'pg-boss';
import type { Database, Db, DbClient } from '../db/database.ts';

export const QUEUES = {
  batch: 'delivery-batch',
  transactional: 'delivery-transactional',
  /** One job per week (singletonKey = the week): snapshot, compose, enqueue. */
  weekly: 'weekly-digest',
  /** One job per public subscribe request: decides and acts (src/subscribers/subscribe.ts). */
  subscribe: 'subscribe-request',
  /** One job per job-board source (singletonKey = the source): crawl it (jobs/crawl.ts). */
  crawl: 'crawl-source',
  /** One job per issue held for review: remind the reviewers when it is due (src/digest/approval.ts). */
  reviewReminder: 'review-reminder',
} as const;

export type Boss = PgBoss;

export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** pg-boss's one-method database interface over a pool or a checked-out client. */
export function clientDb(client: Db | DbClient): SqlExecutor {
  return {
    executeSql: async (text, values) => {
      const res = values && values.length > 0 ? await client.query(text, values) : await client.query(text);
      return res as unknown as { rows: any[] };
    },
  };
}

export interface BossOptions {
  /** Run pg-boss maintenance (expiry, retention) in this process. */
  supervise?: boolean;
  onError?: (err: Error) => void;
}

export async function startBoss(database: Pick<Database, 'pool' | 'kind'>, opts: BossOptions = {}): Promise<PgBoss> {
  const create = () => {
    const b = new PgBoss({
      db: clientDb(database.pool),
      backend: database.kind === 'pglite' ? 'pglite' : 'postgres',
      schema: 'pgboss',
      schedule: false,
      supervise: opts.supervise ?? true,
      registerInstance: false,
    });
    b.on('error', (err: Error) => opts.onError?.(err));
    return b;
  };
  let boss = create();
  // Two processes installing pg-boss into a fresh database at the same moment
  // can both run its `CREATE SCHEMA IF NOT EXISTS`, and PostgreSQL then fails
  // one with a unique violation on pg_namespace: the other won, so start again.
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.start();
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || attempt >= 3) throw err;
      await boss.stop({ graceful: false, close: false }).catch(() => {});
      await new Promise((r) => setTimeout(r, 100 * attempt));
      boss = create();
    }
  }
  // A job that throws (a database error, not a provider answer: those are handled
  // inside the job) is retried with backoff; the ledger makes a rerun harmless.
  const queueOptions = { retryLimit: 20, retryDelay: 2, retryBackoff: true, retryDelayMax: 120, expireInSeconds: 900 };
  await boss.createQueue(QUEUES.batch, queueOptions);
  await boss.createQueue(QUEUES.transactional, queueOptions);
  await boss.createQueue(QUEUES.subscribe, queueOptions);
  // `exclusive`: one job per singletonKey queued or active at a time, so two
  // processes asking for the same week at once leave one job.
  await boss.createQueue(QUEUES.weekly, { ...queueOptions, retryLimit: 5, retryDelay: 30, policy: 'exclusive' });
  // A crawl records its own failure on the source and the next fire tries again: no retries.
  await boss.createQueue(QUEUES.crawl, { ...queueOptions, retryLimit: 0, policy: 'exclusive' });
  await boss.createQueue(QUEUES.reviewReminder, queueOptions);
  return boss;
}
