// A worker process's send loops: `concurrency` loops fetch digest batch jobs
// from pg-boss (SKIP LOCKED, so any number of processes share the queue), one
// loop fetches transactional mails. When a queue is empty a loop looks in the
// ledger for work no job will bring (its worker died: lease run out, or job
// taken but never claimed) and does it, so a killed process delays its
// batches by one lease, never loses them.
import { sendBatch } from '../../jobs/send-batch.ts';
import { sendTransactional } from '../../jobs/send-transactional.ts';
import type { BatchJob, TransactionalJob } from './enqueue.ts';
import { orphanedBatches } from './ledger.ts';
import { QUEUES, type Boss } from './queue.ts';
import { sleep } from './rate-limit.ts';
import { silentLog, type SendDeps } from './deps.ts';

export interface WorkerDeps extends Omit<SendDeps, 'signal'> {
  boss: Boss;
  /** Batches in flight in this process (default 4). */
  concurrency?: number;
  /** Wait between looks at an empty queue (default 500 ms). */
  idlePollMs?: number;
}

export interface RunningWorker {
  /** Stop fetching; wait for the jobs in hand (or abort their waits with `abort`). */
  stop(opts?: { abort?: boolean }): Promise<void>;
}

export function startWorker(deps: WorkerDeps): RunningWorker {
  const log = deps.log ?? silentLog;
  const controller = new AbortController(); // ends waits inside jobs (stop with abort)
  const idle = new AbortController(); // ends idle sleeps between fetches
  const sendDeps: SendDeps = { ...deps, signal: controller.signal };
  let stopping = false;
  const idleMs = deps.idlePollMs ?? 500;

  async function loop(name: string, once: () => Promise<boolean>): Promise<void> {
    while (!stopping) {
      let worked = false;
      try {
        worked = await once();
      } catch (err) {
        // Never crash the process: log the named event, back off, carry on.
        log.error({ event: 'delivery.worker.error', loop: name, err: (err as Error).message }, 'worker loop error');
      }
      if (!worked && !stopping) await sleep(idleMs, idle.signal);
    }
  }

  async function batchOnce(): Promise<boolean> {
    const [job] = await deps.boss.fetch<BatchJob>(QUEUES.batch, { batchSize: 1 });
    if (job) {
      try {
        await sendBatch(job.data, sendDeps);
        await deps.boss.complete(QUEUES.batch, job.id);
      } catch (err) {
        await deps.boss.fail(QUEUES.batch, job.id, { error: (err as Error).message }).catch(() => {});
        throw err;
      }
      return true;
    }
    const [orphan] = await orphanedBatches(deps.pool, 1);
    if (!orphan) return false;
    const r = await sendBatch(orphan, sendDeps);
    if (r.outcome === 'done') log.warn({ event: 'digest.batch.takeover', ...orphan }, 'finished a batch no job brought');
    return r.outcome === 'done';
  }

  async function transactionalOnce(): Promise<boolean> {
    const [job] = await deps.boss.fetch<TransactionalJob>(QUEUES.transactional, { batchSize: 1 });
    if (job) {
      try {
        await sendTransactional(job.data, sendDeps);
        await deps.boss.complete(QUEUES.transactional, job.id);
      } catch (err) {
        await deps.boss.fail(QUEUES.transactional, job.id, { error: (err as Error).message }).catch(() => {});
        throw err;
      }
      return true;
    }
    const { rows } = await deps.pool.query<{ id: number }>(
      `SELECT id FROM transactional_mails
        WHERE (status = 'sending' AND claimed_until < clock_timestamp()) OR status = 'queued'
        ORDER BY id LIMIT 1`,
    );
    if (!rows[0]) return false;
    return (await sendTransactional({ mailId: rows[0].id }, sendDeps)) !== 'skipped';
  }

  const loops = [
    ...Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, (_, i) => loop(`batch-${i}`, batchOnce)),
    loop('transactional', transactionalOnce),
  ];
  log.info({ event: 'delivery.worker.started', transport: deps.transport.name }, 'delivery worker started');

  return {
    async stop(opts = {}) {
      stopping = true;
      idle.abort();
      // Without abort the jobs in hand run to their end; with it their waits end and
      // their batches stay claimed until the lease runs out, for another worker to take over.
      if (opts.abort) controller.abort();
      await Promise.allSettled(loops);
      log.info({ event: 'delivery.worker.stopped' }, 'delivery worker stopped');
    },
  };
}
