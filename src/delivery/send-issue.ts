// `digest send`: enqueue the issue (idempotent), work the queue in this
// process until no batch of the issue is open, reporting progress. Other
// `digest worker` processes may share the work meanwhile.
import { enqueueIssue, type EnqueueResult } from './enqueue.ts';
import { issueProgress, type IssueProgress } from './ledger.ts';
import { sleep } from './rate-limit.ts';
import { startWorker, type WorkerDeps } from './worker.ts';
import type { ProgressReporter } from './progress.ts';

export interface SendIssueOptions {
  batchSize?: number;
  progress?: ProgressReporter;
  /** How often progress is read (default 1000 ms). */
  intervalMs?: number;
}

export interface SendIssueResult {
  enqueue: EnqueueResult;
  progress: IssueProgress;
}

export async function sendIssue(deps: WorkerDeps, issueId: number, opts: SendIssueOptions = {}): Promise<SendIssueResult> {
  const enqueue = await enqueueIssue(deps.pool, deps.boss, issueId, opts.batchSize ? { batchSize: opts.batchSize } : {});
  const worker = startWorker(deps);
  let progress: IssueProgress;
  try {
    for (;;) {
      progress = await issueProgress(deps.pool, issueId);
      opts.progress?.update(progress);
      if (progress.queued + progress.sending === 0) break;
      await sleep(opts.intervalMs ?? 1000);
    }
  } finally {
    await worker.stop();
  }
  opts.progress?.done(progress);
  return { enqueue, progress };
}
