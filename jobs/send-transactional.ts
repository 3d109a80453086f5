// One transactional mail (confirm, reminder, welcome): claimed by
// compare-and-set, sent with its fixed idempotency key under the shared rate
// limit, answered into transactional_mails. An address suppressed by a
// bounce or complaint gets nothing.
import { withTransaction } from '../src/db/database.ts';
import { sendWithRetries } from '../src/delivery/retry.ts';
import { claimTransactional, recordTransactional, startTransactionalAttempt, type TransactionalJob } from '../src/delivery/transactional-mails.ts';
import { silentLog, type SendDeps } from '../src/delivery/deps.ts';
import type { MailKind, OutgoingMessage } from '../src/delivery/transport.ts';

export type TransactionalDeps = Pick<SendDeps, 'pool' | 'transport' | 'limiter' | 'policy' | 'mailFrom' | 'log' | 'signal'>;

export type TransactionalResult = 'skipped' | 'sent' | 'failed' | 'suppressed';

export async function sendTransactional(job: TransactionalJob, deps: TransactionalDeps): Promise<TransactionalResult> {
  const log = deps.log ?? silentLog;
  const { pool, policy } = deps;
  const mail = await withTransaction(pool, (client) => claimTransactional(client, job.mailId, policy.leaseSeconds));
  if (mail === null) return 'skipped';
  if (mail === 'suppressed') {
    log.info({ event: 'mail.suppressed', mailId: job.mailId }, 'transactional mail to a suppressed address not sent');
    return 'suppressed';
  }

  const message: OutgoingMessage = {
    from: deps.mailFrom,
    to: mail.to_email,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: mail.headers,
    tags: [{ name: 'kind', value: mail.kind }],
    kind: mail.kind,
  };
  const final = await sendWithRetries((signal) => deps.transport.send(message, { idempotencyKey: mail.idempotency_key, signal }), {
    limiter: deps.limiter,
    policy,
    signal: deps.signal,
    beforeAttempt: () => startTransactionalAttempt(pool, job.mailId, policy.leaseSeconds),
    onRetry: (outcome, delayMs) =>
      log.warn({ event: 'mail.retry', mailId: job.mailId, kind: outcome.kind, delayMs }, 'transactional mail retry'),
  });
  if (final.kind === 'gone') return 'skipped';
  const result = final.kind === 'accepted' ? final.results[0] : undefined;
  const ok = result?.ok === true;
  const error = final.kind === 'failed' ? final.error : result && !result.ok ? result.error : null;
  await recordTransactional(pool, job.mailId, result?.ok ? { ok: true, messageId: result.id } : { ok: false, error });
  if (!ok) log.error({ event: 'mail.failed', mailId: job.mailId, error }, 'transactional mail failed');
  return ok ? 'sent' : 'failed';
}
