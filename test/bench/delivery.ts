// Delivery throughput, end to end on real PostgreSQL: enqueue 100,000
// recipients (ledger rows, batches, pg-boss jobs), send every batch through
// the real Resend SDK to the fake server with no rate limit, record every
// answer in the ledger. Baseline in the same run: the same number of batch
// requests posted straight to the fake server with the SDK, no database.
// Second figure: with a limit of 5 requests/s, the achieved request rate as a
// share of the limit. The unlimited send runs in a worker process of its own
// (test/support/delivery-worker-child.ts); peak memory is that process's
// maximum resident set size.
import { Resend } from 'resend';
import type { Db } from '../../src/db/database.ts';
import { enqueueIssue } from '../../src/delivery/enqueue.ts';
import { issueProgress } from '../../src/delivery/ledger.ts';
import { startBoss } from '../../src/delivery/queue.ts';
import { createRateLimiter } from '../../src/delivery/rate-limit.ts';
import { startWorker } from '../../src/delivery/worker.ts';
import { createIssue, makeDeps, seedSubscribers } from '../support/delivery-fixtures.ts';
import { startFakeResend } from '../support/fake-resend.ts';
import { spawnWorker } from '../support/worker-process.ts';

export interface DeliveryBenchResult {
  recipients: number;
  seconds: number;
  messagesPerSecond: number;
  baselineMessagesPerSecond: number;
  peakRssMb: number;
  limit: number;
  limitedRequests: number;
  achievedRate: number;
}

export async function benchDelivery(pool: Db, databaseUrl: string, recipients: number, log: (s: string) => void): Promise<DeliveryBenchResult> {
  const fake = await startFakeResend({ lean: true });
  const boss = await startBoss({ pool, kind: 'postgres' }, { supervise: false });
  try {
    log(`seeding ${recipients.toLocaleString('en-US')} subscribers`);
    await seedSubscribers(pool, recipients);

    log('sending with no rate limit, in a worker process');
    const issueId = await createIssue(pool, '2026-W01');
    const child = spawnWorker({ DATABASE_URL: databaseUrl, FAKE_RESEND_URL: fake.url, RATE: 'Infinity', CONCURRENCY: '4', LEASE_SECONDS: '30', TIMEOUT_MS: '10000' });
    await child.ready;
    const started = performance.now();
    await enqueueIssue(pool, boss, issueId);
    for (;;) {
      const p = await issueProgress(pool, issueId);
      if (p.queued + p.sending === 0) {
        if (p.sent !== recipients) throw new Error(`expected ${recipients} sent, got ${JSON.stringify(p)}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    child.child.kill('SIGTERM');
    await child.exited;
    const maxRssKb = Number(/maxrss (\d+)/.exec(child.output())?.[1] ?? NaN);
    log(`worker resident at ready ${Math.round(Number(/rss (\d+)/.exec(child.output())?.[1]) / 2 ** 20)} MB, peak ${Math.round(maxRssKb / 1024)} MB`);
    if (fake.accepted.length !== recipients) throw new Error(`fake server accepted ${fake.accepted.length}`);

    const deps = await makeDeps({ pool, kind: 'postgres', boss, fakeUrl: fake.url, concurrency: 4 });

    log('baseline: the same batches straight to the fake server');
    const client = new Resend('re_bench', { baseUrl: fake.url });
    const batches = Math.ceil(recipients / 100);
    const baseStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches) {
          const b = next++;
          const emails = Array.from({ length: 100 }, (_, i) => ({
            from: deps.mailFrom,
            to: `base${b * 100 + i}@example.test`,
            subject: 'Salary shifts',
            html: `<p>Hello base${b * 100 + i}@example.test, here is issue 1.</p>`,
            text: `Hello base${b * 100 + i}@example.test, here is issue 1.`,
            headers: { 'List-Unsubscribe': '<https://x.test/unsubscribe/t>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
            tags: [{ name: 'kind', value: 'digest' }],
          }));
          const res = await client.batch.send(emails, { idempotencyKey: `base/${b}`, batchValidation: 'permissive' });
          if (res.error) throw new Error(res.error.message);
        }
      }),
    );
    const baseSeconds = (performance.now() - baseStart) / 1000;

    log('sending 40 batches with a limit of 5 requests/s');
    const limit = 5;
    await pool.query(`UPDATE subscribers SET status = 'unsubscribed' WHERE id > 4000`);
    const limitedIssue = await createIssue(pool, '2026-W02');
    const before = fake.requests.length;
    await enqueueIssue(pool, boss, limitedIssue);
    const limited = startWorker({ ...deps, limiter: createRateLimiter(pool, { perSecond: limit, name: 'bench-limited' }), idlePollMs: 50 });
    for (;;) {
      const p = await issueProgress(pool, limitedIssue);
      if (p.queued + p.sending === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await limited.stop();
    const times = fake.requests.slice(before).map((r) => r.at);
    const achievedRate = ((times.length - 1) * 1000) / (times.at(-1)! - times[0]!);

    return {
      recipients,
      seconds,
      messagesPerSecond: recipients / seconds,
      baselineMessagesPerSecond: recipients / baseSeconds,
      peakRssMb: maxRssKb / 1024,
      limit,
      limitedRequests: times.length,
      achievedRate,
    };
  } finally {
    await boss.stop({ graceful: false, close: false });
    await fake.close();
  }
}
