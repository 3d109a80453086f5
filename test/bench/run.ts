// `npm run bench`: every benchmark prints its figure and a ratio against a
// baseline measured in the same run. Database benchmarks use a fresh database
// on the PostgreSQL server of TEST_DATABASE_URL (default the local one).
// `npm run bench -- ingest web` runs only the named ones
// (ingest, snapshot, web, personalise, delivery).
import { freshPostgres } from '../support/db.ts';
import { benchIngestSnapshot } from './ingest-snapshot.ts';
import { benchComparePage, COMPARE_PATH } from './compare-page.ts';
import { benchPersonalise } from './personalise.ts';
import { benchDelivery } from './delivery.ts';
import { benchLikeForLike } from './snapshot-bench.ts';

const only = new Set(process.argv.slice(2));
const want = (name: string) => only.size === 0 || only.has(name);
const rows: string[][] = [];
const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const log = (s: string) => process.stderr.write(`  .. ${s}\n`);
const row = (r: string[]) => {
  rows.push(r);
  process.stderr.write(`  => ${r.join(' | ')}\n`);
};

if (want('ingest')) {
  const db = await freshPostgres();
  try {
    const r = await benchIngestSnapshot(db.pool, Number(process.env.BENCH_ROWS ?? 1_000_000), log);
    row([
      `ingest ${f(r.rows)} postings (CSV file, PostgreSQL)`,
      `${f(r.ingestRowsPerSecond)} rows/s (${f(r.ingestSeconds, 1)} s)`,
      `server-side copy of the stored rows: ${f(r.copySeconds, 2)} s`,
      `${f(r.ingestSeconds / r.copySeconds, 1)}x`,
      '>= 50,000 rows/s',
    ]);
    row([
      `snapshot of one week over ${f(r.rows)} postings`,
      `${f(r.snapshotSeconds * 1000)} ms`,
      `bare \`GROUP BY role\` count: ${f(r.groupBySeconds * 1000)} ms`,
      `${f(r.snapshotSeconds / r.groupBySeconds, 2)}x`,
      '<= 3x',
    ]);
  } finally {
    await db.close();
  }
}

if (want('snapshot')) {
  const db = await freshPostgres();
  try {
    const r = await benchLikeForLike(db.pool, Number(process.env.BENCH_ROWS ?? 1_000_000), log);
    row([
      `snapshot with like-for-like change and 1,000-draw bootstrap over ${f(r.rows)} postings (8 weeks)`,
      `${f(r.withSeconds * 1000)} ms`,
      `the same snapshot without it: ${f(r.withoutSeconds * 1000)} ms`,
      `${f(r.withSeconds / r.withoutSeconds, 2)}x`,
      '<= 2x',
    ]);
  } finally {
    await db.close();
  }
}

if (want('web')) {
  const r = await benchComparePage({ log });
  row([
    `GET ${COMPARE_PATH} (autocannon, 20 connections, 10 s)`,
    `${f(r.rps)} req/s, p99 ${f(r.p99Ms)} ms`,
    `p50 ${f(r.p50Ms)} ms`,
    `p99 ${f(r.p99Ms / 50, 2)}x of 50 ms`,
    '>= 1,000 req/s, p99 < 50 ms',
  ]);
}

if (want('personalise')) {
  const r = await benchPersonalise();
  row([
    `personalise ${f(r.recipients)} recipients in ${r.segments} segments`,
    `${f(r.recipientsPerSecond)} recipients/s`,
    `MJML compiled per recipient (sample of ${r.sample}): ${f(r.perRecipientCompilePerSecond, 1)}/s`,
    `${f(r.ratio)}x`,
    '>= 50,000/s, >= 500x',
  ]);
}

if (want('delivery')) {
  const db = await freshPostgres();
  try {
    const r = await benchDelivery(db.pool, db.url!, Number(process.env.BENCH_RECIPIENTS ?? 100_000), log);
    row([
      `send ${f(r.recipients)} digests through the ledger to the fake Resend server`,
      `${f(r.messagesPerSecond)} messages/s, peak RSS ${f(r.peakRssMb)} MB`,
      `same batches straight to the server: ${f(r.baselineMessagesPerSecond)}/s`,
      `${f(r.messagesPerSecond / r.baselineMessagesPerSecond, 2)}x`,
      `rate limit ${r.limit}/s held at ${f(r.achievedRate, 2)}/s`,
    ]);
  } finally {
    await db.close();
  }
}

console.log('\n| Benchmark | Figure | Baseline in the same run | Ratio | Target |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
