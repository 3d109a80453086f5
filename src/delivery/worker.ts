// A worker process's send loops: `concurrency` loops fetch digest batch jobs
// from pg-boss (SKIP LOCKED, so any number of processes share the queue), one
// loop fetches transactional mails. When a queue is empty a loop looks in the
// ledger for work no job will bring (its worker died: lease run out, or job
// taken but never claimed) and does it, so a killed process delays its
// batches by one lease, never loses them.
//
// Stopping (SIGTERM) is graceful and bounded: no loop fetches again and no
// batch starts another request; requests already on the wire get `graceMs`
// to be answered and recorded, then they are cut off. Every batch not
// finished by then is released (its lease ended now) and gets a job at the
// head of the queue, so the other workers take it at once, not a lease later.
//
// The jobs it runs (jobs/send-batch.ts, jobs/send-transactional.ts) come in
// `deps.jobs` from the entry point: src/ does not import jobs/.
import type { BatchJob, TransactionalJob } from './enqueue.ts';
import { nextOpenTransactional } from './transactional-mails.ts';
import { orphanedBatches } from './ledger.ts';
import { QUEUES, type Boss } from './queue.ts';
import { sleep } from './rate-limit.ts';
import { silentLog, type SendDeps } from './deps.ts';
import type { SendOutcome, Transport } from './transport.ts';

/** How long requests on the wire may take after stop(): well inside the 10 s a container runtime allows before SIGKILL. */
export const STOP_GRACE_MS = 5000;

/** The send jobs a worker runs: `sendBatch` of jobs/send-batch.ts and `sendTransactional` of jobs/send-transactional.ts. */
export interface SendJobs {
  /** `released`: the worker stopped (deps.signal) and the batch's lease was ended for another worker. */
  sendBatch(job: BatchJob, deps: SendDeps): Promise<{ outcome: 'skipped' | 'done' | 'released' }>;
  sendTransactional(job: TransactionalJob, deps: SendDeps): Promise<'skipped' | 'sent' | 'failed' | 'suppressed'>;
}

export interface WorkerDeps extends Omit<SendDeps, 'signal'> {
  boss: Boss;
  jobs: SendJobs;
  /** Batches in flight in this process (default 4). */
  concurrency?: number;
  /** Wait between looks at an empty queue (default 500 ms). */
  idlePollMs?: number;
}

export interface RunningWorker {
  /**
   * Stop fetching and wind down (see the top of this file); resolves when no
   * job is in hand. `graceMs`: how long requests on the wire may still take
   * (default STOP_GRACE_MS); `abort`: cut them off at once.
   */
  stop(opts?: { abort?: boolean; graceMs?: number }): Promise<void>;
}

export function startWorker(deps: WorkerDeps): RunningWorker {
  const log = deps.log ?? silentLog;
  const idle = new AbortController(); // stop: ends idle sleeps between fetches
  const winding = new AbortController(); // stop: no new request (rate-limit and backoff waits end)
  const cutoff = new AbortController(); // grace over: requests on the wire are cancelled
  const transport = cancellable(deps.transport, cutoff.signal);
  // A digest batch stops at `winding` and is released (jobs/send-batch.ts).
  const batchDeps: SendDeps = { ...deps, transport, signal: winding.signal };
  // A transactional mail has no release: it keeps trying until the cutoff,
  // after which its lease has to run out before another worker sends it.
  const mailDeps: SendDeps = { ...deps, transport, signal: cutoff.signal };
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
        const r = await deps.jobs.sendBatch(job.data, batchDeps);
        if (r.outcome === 'released') await handBack(job.data);
        await deps.boss.complete(QUEUES.batch, job.id);
      } catch (err) {
        // Also when handBack failed: pg-boss retries the job (and the orphan scan finds the batch).
        await deps.boss.fail(QUEUES.batch, job.id, { error: (err as Error).message }).catch(() => {});
        throw err;
      }
      return true;
    }
    const [orphan] = await orphanedBatches(deps.pool, 1);
    if (!orphan) return false;
    const r = await deps.jobs.sendBatch(orphan, batchDeps);
    if (r.outcome === 'done') log.warn({ event: 'digest.batch.takeover', ...orphan }, 'finished a batch no job brought');
    if (r.outcome === 'released') await handBack(orphan);
    return r.outcome === 'done';
  }

  /**
   * A batch released on stop gets a new job with a higher priority than the
   * queued ones, so it is the next job another worker fetches. (A second job
   * for one batch is harmless: the claim is a compare-and-set, one of them skips.)
   */
  async function handBack(job: BatchJob): Promise<void> {
    await deps.boss.send(QUEUES.batch, job, { priority: 1 });
    log.info({ event: 'delivery.worker.released', ...job }, 'stopping: batch handed back to the other workers');
  }

  async function transactionalOnce(): Promise<boolean> {
    const [job] = await deps.boss.fetch<TransactionalJob>(QUEUES.transactional, { batchSize: 1 });
    if (job) {
      try {
        await deps.jobs.sendTransactional(job.data, mailDeps);
        await deps.boss.complete(QUEUES.transactional, job.id);
      } catch (err) {
        await deps.boss.fail(QUEUES.transactional, job.id, { error: (err as Error).message }).catch(() => {});
        throw err;
      }
      return true;
    }
    const open = await nextOpenTransactional(deps.pool);
    if (open === null) return false;
    return (await deps.jobs.sendTransactional({ mailId: open }, mailDeps)) !== 'skipped';
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
      winding.abort();
      const settled = Promise.allSettled(loops);
      const graceMs = opts.abort ? 0 : (opts.graceMs ?? STOP_GRACE_MS);
      const grace = new AbortController();
      const inTime = await Promise.race([settled.then(() => true), sleep(graceMs, grace.signal).then(() => false)]);
      grace.abort();
      if (!inTime) {
        log.warn({ event: 'delivery.worker.cutoff', graceMs }, 'stopping: cutting off requests still unanswered');
        cutoff.abort();
      }
      await settled;
      log.info({ event: 'delivery.worker.stopped' }, 'delivery worker stopped');
    },
  };
}

/**
 * The provider adapter with one more way for a request to end: the cutoff.
 * A request cut off got no answer from the provider, and reporting it as
 * `retryable` would count a failed attempt (and fail the rows at the last
 * one), so it throws instead: the batch job then releases its batch, a
 * transactional job fails and is retried.
 */
function cancellable(transport: Transport, cutoff: AbortSignal): Transport {
  async function call(signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<SendOutcome>): Promise<SendOutcome> {
    const outcome = await run(signal ? AbortSignal.any([signal, cutoff]) : cutoff);
    if (cutoff.aborted && outcome.kind === 'retryable') throw new Error('worker stopping: request cut off');
    return outcome;
  }
  return {
    name: transport.name,
    sendBatch: (messages, opts) => call(opts.signal, (signal) => transport.sendBatch(messages, { ...opts, signal })),
    send: (message, opts) => call(opts.signal, (signal) => transport.send(message, { ...opts, signal })),
  };
}
