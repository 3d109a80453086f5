// One transactional mail (confirm, reminder, welcome): claimed by
// compare-and-set, sent with its fixed idempotency key under the shared rate
// limit, answered into transactional_mails. An address suppressed by a
// bounce or complaint gets nothing.
import { withTransaction } from '../src/db/database.ts';
import { sendWithRetries } from '../src/delivery/retry.ts';
import type { TransactionalJob } from '../src/delivery/enqueue.ts';
import { silentLog, type SendDeps } from '../src/delivery/deps.ts';
import type { MailKind, OutgoingMessage } from '../src/delivery/transport.ts';

export type TransactionalDeps = Pick<SendDeps, 'pool' | 'transport' | 'limiter' | 'policy' | 'mailFrom' | 'log' | 'signal'>;

export type TransactionalResult = 'skipped' | 'sent' | 'failed' | 'suppressed';

interface MailRow {
  kind: MailKind;
  to_email: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  idempotency_key: string;
  suppressed: boolean;
}

export async function sendTransactional(job: TransactionalJob, deps: TransactionalDeps): Promise<TransactionalResult> {
  const log = deps.log ?? silentLog;
  const { pool, policy } = deps;
  const mail = await withTransaction(pool, async (client) => {
    const { rows } = await client.query<MailRow>(
      `UPDATE transactional_mails m
          SET status = 'sending', claimed_until = clock_timestamp() + make_interval(secs => $2)
        WHERE m.id = $1
          AND (m.status = 'queued' OR (m.status = 'sending' AND m.claimed_until < clock_timestamp()))
          AND (m.send_after IS NULL OR m.send_after <= clock_timestamp())
       RETURNING m.kind, m.to_email, m.subject, m.html, m.text, m.headers, m.idempotency_key,
                 EXISTS (SELECT 1 FROM subscribers s WHERE lower(s.email) = lower(m.to_email) AND s.suppressed_at IS NOT NULL) AS suppressed`,
      [job.mailId, policy.leaseSeconds],
    );
    const row = rows[0];
    // A suppressed address is only checked before the first request: once a
    // request went out, the same body must be resent to learn its answer.
    if (row?.suppressed) {
      const first = await client.query(
        `UPDATE transactional_mails SET status = 'suppressed', claimed_until = NULL WHERE id = $1 AND attempts = 0`,
        [job.mailId],
      );
      if ((first.rowCount ?? 0) > 0) return 'suppressed' as const;
    }
    return row ?? null;
  });
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
    beforeAttempt: async () => {
      const res = await pool.query(
        `UPDATE transactional_mails SET attempts = attempts + 1, claimed_until = clock_timestamp() + make_interval(secs => $2)
          WHERE id = $1 AND status = 'sending'`,
        [job.mailId, policy.leaseSeconds],
      );
      return (res.rowCount ?? 0) > 0;
    },
    onRetry: (outcome, delayMs) =>
      log.warn({ event: 'mail.retry', mailId: job.mailId, kind: outcome.kind, delayMs }, 'transactional mail retry'),
  });
  if (final.kind === 'gone') return 'skipped';
  const result = final.kind === 'accepted' ? final.results[0] : undefined;
  const ok = result?.ok === true;
  const error = final.kind === 'failed' ? final.error : result && !result.ok ? result.error : null;
  await pool.query(
    `UPDATE transactional_mails
        SET status = $2, provider_message_id = $3, last_error = $4, claimed_until = NULL,
            sent_at = CASE WHEN $2 = 'sent' THEN clock_timestamp() END
      WHERE id = $1 AND status = 'sending'`,
    [job.mailId, ok ? 'sent' : 'failed', result?.ok ? result.id : null, error],
  );
  if (!ok) log.error({ event: 'mail.failed', mailId: job.mailId, error }, 'transactional mail failed');
  return ok ? 'sent' : 'failed';
}
