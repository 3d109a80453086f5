// A `digest worker`-like child process for the crash and fault tests: opens
// the database named by DATABASE_URL, points the Resend SDK at FAKE_RESEND_URL
// and drains the queues until it is killed. Prints "ready" once working, and
// its peak memory when stopped with SIGTERM. RATE=Infinity: no rate limit.
import { openDatabase } from '../../src/db/database.ts';
import { startWorker } from '../../src/delivery/worker.ts';
import { makeDeps } from './delivery-fixtures.ts';

const env = process.env;
const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: '', max: 12 });
const deps = await makeDeps({
  pool: db.pool,
  kind: 'postgres',
  fakeUrl: env.FAKE_RESEND_URL!,
  rate: Number(env.RATE ?? 50),
  concurrency: Number(env.CONCURRENCY ?? 6),
  policy: {
    leaseSeconds: Number(env.LEASE_SECONDS ?? 2),
    requestTimeoutMs: Number(env.TIMEOUT_MS ?? 1000),
    maxAttempts: Number(env.MAX_ATTEMPTS ?? 30),
  },
});
const worker = startWorker(deps);
process.stdout.write(`ready (rss ${process.memoryUsage().rss})\n`);
process.on('SIGTERM', () => {
  void worker.stop({ abort: true }).then(() => {
    // Peak resident memory of this process, for the benchmark.
    process.stdout.write(`maxrss ${process.resourceUsage().maxRSS}\n`);
    process.exit(0);
  });
});
