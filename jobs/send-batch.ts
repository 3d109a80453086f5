// One batch of an issue: claim it, build its messages, send them as one
// Resend batch under the batch's idempotency key, write every answer to the
// ledger. Safe to run any number of times, by any number of workers. When the
// worker stops before the answer is in, the batch is released, not finished.
import {
  claimBatch,
  finishIssueIfDone,
  loadBatchRows,
  noteBatchError,
  recordBatch,
  releaseBatch,
  startBatchAttempt,
  type BatchRow,
} from '../src/delivery/ledger.ts';
import { sendWithRetries, type FinalOutcome } from '../src/delivery/retry.ts';
import type { BatchJob } from '../src/delivery/enqueue.ts';
import { silentLog, type SendDeps } from '../src/delivery/deps.ts';
import type { OutgoingMessage } from '../src/delivery/transport.ts';

export type BatchJobResult =
  | { outcome: 'skipped' }
  | { outcome: 'done'; sent: number; failed: number; error?: string | undefined }
  /** The worker is stopping (deps.signal): the batch's lease was ended for another worker to take now. */
  | { outcome: 'released' };

// The provider remembers keys for 24 hours; past 23 a retry could send twice, so it fails instead.
const KEY_WINDOW_SECONDS = 23 * 3600;

export async function sendBatch(job: BatchJob, deps: SendDeps): Promise<BatchJobResult> {
  const log = deps.log ?? silentLog;
  const { pool, policy } = deps;
  const { issueId, batch } = job;
  const claim = await claimBatch(pool, issueId, batch, policy.leaseSeconds);
  if (!claim) return { outcome: 'skipped' };
  const rows = await loadBatchRows(pool, issueId, batch);

  if (claim.ageSeconds > KEY_WINDOW_SECONDS) {
    const error = 'not retried: the first attempt is older than the provider keeps idempotency keys';
    await recordBatch(pool, issueId, batch, rows, null, error);
    log.error({ event: 'digest.batch.failed', issueId, batch, error }, 'batch failed');
    return { outcome: 'done', sent: 0, failed: rows.length, error };
  }

  let result: BatchJobResult;
  if (rows.length === 0) {
    await recordBatch(pool, issueId, batch, rows, [], null);
    result = { outcome: 'done', sent: 0, failed: 0 };
  } else {
    const messages = await Promise.all(rows.map((r) => digestMessage(deps, issueId, claim.week, r)));
    let lease = claim.lease;
    let final: FinalOutcome;
    try {
      final = await sendWithRetries(
        (signal) => deps.transport.sendBatch(messages, { idempotencyKey: claim.idempotencyKey, signal }),
        {
          limiter: deps.limiter,
          policy,
          signal: deps.signal,
          beforeAttempt: async () => {
            const next = await startBatchAttempt(pool, issueId, batch, policy.leaseSeconds);
            if (next !== null) lease = next;
            return next !== null;
          },
          onRetry: async (outcome, delayMs) => {
            log.warn({ event: 'digest.batch.retry', issueId, batch, kind: outcome.kind, delayMs, error: 'error' in outcome ? outcome.error : undefined }, 'batch retry');
            if ('error' in outcome) await noteBatchError(pool, issueId, batch, outcome.error);
          },
        },
      );
    } catch (err) {
      // Stopping: no further request starts (sendWithRetries throws at its next
      // wait), and one cut off on the wire throws too (the worker's transport).
      // Hand the batch back rather than hold it for a lease nobody will use;
      // if the cut-off request had reached the provider, the next holder's
      // request under the same key gets its answer and sends nothing twice.
      if (!deps.signal?.aborted) throw err;
      // False: the lease had run out and another worker holds the batch now.
      return (await releaseBatch(pool, issueId, batch, lease)) ? { outcome: 'released' } : { outcome: 'skipped' };
    }
    if (final.kind === 'gone') return { outcome: 'skipped' };
    if (final.kind === 'accepted') {
      await recordBatch(pool, issueId, batch, rows, final.results, null);
      const sent = final.results.filter((r) => r.ok).length;
      result = { outcome: 'done', sent, failed: rows.length - sent };
      if (sent < rows.length) log.warn({ event: 'digest.batch.partial', issueId, batch, failed: rows.length - sent }, 'some messages rejected');
    } else {
      await recordBatch(pool, issueId, batch, rows, null, final.error);
      log.error({ event: 'digest.batch.failed', issueId, batch, error: final.error }, 'batch failed');
      result = { outcome: 'done', sent: 0, failed: rows.length, error: final.error };
    }
  }
  if (await finishIssueIfDone(pool, issueId)) log.info({ event: 'digest.issue.sent', issueId }, 'issue sent');
  return result;
}

export async function digestMessage(deps: SendDeps, issueId: number, week: string, row: BatchRow): Promise<OutgoingMessage> {
  const recipient = { id: row.subscriberId, email: row.email, roles: row.roles };
  const rendered = await deps.renderFor(issueId, recipient);
  return {
    from: deps.mailFrom,
    to: row.email,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: {
      ...rendered.headers,
      'List-Unsubscribe': `<${deps.publicUrl}/unsubscribe/${deps.unsubscribeToken(recipient, issueId)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    tags: [
      { name: 'kind', value: 'digest' },
      { name: 'issue', value: week.replace(/[^A-Za-z0-9_-]/g, '_') },
    ],
    kind: 'digest',
    issue: week,
  };
}
