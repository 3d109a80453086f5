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

/** pg-boss's schema. */
const BOSS_SCHEMA = 'pgboss';

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
      schema: BOSS_SCHEMA,
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

/** pg-boss job states that still count: waiting (created), waiting again after an error (retry), running (active), given up (failed). */
export const JOB_STATES = ['created', 'retry', 'active', 'failed'] as const;
type JobState = (typeof JOB_STATES)[number];
export type JobCounts = Record<JobState, number>;

/**
 * Jobs per queue by state, now, for every queue pg-boss knows (/healthz,
 * /metrics, /admin); null while pg-boss's schema does not exist (no service or
 * worker has started on this database). Needs no started boss: the web
 * process reads it with its pool.
 *
 * Read from pg-boss's tables rather than its API, here beside the boss:
 * pg-boss 12's getQueues() serves counts that its monitor caches on the queue
 * row, and getQueueStats() reuses a count up to an hour old (a minute with
 * `force`); neither tells `retry` from `created` (both are in queuedCount).
 * The operator's figures are live and per state.
 */
export async function readJobCounts(db: Pick<Db | DbClient, 'query'>): Promise<Record<string, JobCounts> | null> {
  // Naming a missing table fails the whole statement, so look first: pg-boss
  // creates its schema when the first service or worker starts.
  const present = await db.query<{ present: boolean }>(
    `SELECT to_regclass('${BOSS_SCHEMA}.job') IS NOT NULL AND to_regclass('${BOSS_SCHEMA}.queue') IS NOT NULL AS present`,
  );
  if (!present.rows[0]?.present) return null;
  // Two reads instead of a join: the job table is partitioned by queue name
  // and the count stays on pg-boss's own partial index of live states.
  const queues = await db.query<{ name: string }>(`SELECT name FROM ${BOSS_SCHEMA}.queue ORDER BY name`);
  const counts = await db.query<{ name: string; state: string; n: number }>(
    `SELECT name, state::text AS state, count(*)::int AS n FROM ${BOSS_SCHEMA}.job
      WHERE state IN (${JOB_STATES.map((s) => `'${s}'`).join(', ')})
      GROUP BY name, state`,
  );
  const out: Record<string, JobCounts> = {};
  const zero = (): JobCounts => ({ created: 0, retry: 0, active: 0, failed: 0 });
  for (const q of queues.rows) out[q.name] = zero();
  for (const r of counts.rows) (out[r.name] ??= zero())[r.state as JobState] = r.n;
  return out;
}
