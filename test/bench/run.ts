// `npm run bench`: every benchmark prints its figure and a ratio against a
// baseline measured in the same run. Database benchmarks use a fresh database
// on the PostgreSQL server of TEST_DATABASE_URL (default the local one).
// `npm run bench -- ingest web` runs only the named ones
// (ingest, snapshot, web, personalise, delivery, subscribe, crawl, startup, metrics).
import { freshPostgres } from '../support/db.ts';
import { benchIngestSnapshot } from './ingest-snapshot.ts';
import { benchComparePage, COMPARE_PATH } from './compare-page.ts';
import { benchPersonalise } from './personalise.ts';
import { benchDelivery } from './delivery.ts';
import { benchSubscribeTiming, STATES } from './subscribe-timing.ts';
import { benchCrawl } from './crawl.ts';
import { benchStartup } from './startup.ts';
import { benchMetricsScrape } from './metrics-scrape.ts';
import { benchHistory, benchLikeForLike } from './snapshot-bench.ts';

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
      '>= 50,000 rows/s, <= 8x',
    ]);
    row([
      `the same ${f(r.rows)} rows inserted server-side into postings (its indexes and facts triggers)`,
      `${f(r.serverInsertSeconds, 1)} s`,
      `the server-side copy above: ${f(r.copySeconds, 2)} s`,
      `${f(r.serverInsertSeconds / r.copySeconds, 1)}x (the ingest at ${f(r.ingestSeconds / r.serverInsertSeconds, 2)}x of it)`,
      '-',
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
      `snapshot with like-for-like change, top-skill premiums and their 1,000-draw bootstraps over ${f(r.rows)} postings (8 weeks)`,
      `${f(r.withSeconds * 1000)} ms`,
      `the same snapshot without them: ${f(r.withoutSeconds * 1000)} ms`,
      `${f(r.withSeconds / r.withoutSeconds, 2)}x`,
      '<= 2x',
    ]);
  } finally {
    await db.close();
  }
  const h = await freshPostgres();
  try {
    const open = Number(process.env.BENCH_ROWS ?? 1_000_000);
    const r = await benchHistory(h.pool, open, Number(process.env.BENCH_CLOSED ?? 9 * open), log);
    row([
      `snapshot of one week with ${f(r.open)} open postings and ${f(r.closed)} closed ones from earlier weeks`,
      `${f(r.withHistorySeconds * 1000)} ms`,
      `the same week's ${f(r.open)} postings alone: ${f(r.aloneSeconds * 1000)} ms`,
      `${f(r.withHistorySeconds / r.aloneSeconds, 2)}x`,
      '<= 1.3x',
    ]);
  } finally {
    await h.close();
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
    '>= 20,000/s, >= 100x',
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

if (want('subscribe')) {
  const db = await freshPostgres();
  try {
    const r = await benchSubscribeTiming(db, 30);
    const medians = STATES.map((s) => r.medianMs[s]);
    row([
      `POST /subscribe median answer per address state (${r.rounds} interleaved requests each)`,
      STATES.map((s) => `${s} ${f(r.medianMs[s], 2)} ms`).join(', '),
      `fastest state's median: ${f(Math.min(...medians), 2)} ms`,
      `slowest at ${f(Math.max(...medians) / Math.min(...medians), 2)}x`,
      '<= 1.2x (no state answers measurably slower)',
    ]);
  } finally {
    await db.close();
  }
}

if (want('metrics')) {
  const db = await freshPostgres();
  try {
    const r = await benchMetricsScrape(db.pool, Number(process.env.BENCH_DELIVERIES ?? 1_000_000), log);
    row([
      `GET /metrics with ${f(r.deliveries)} delivery rows`,
      `p50 ${f(r.scrapeP50Ms, 1)} ms, p95 ${f(r.scrapeP95Ms, 1)} ms`,
      `count by status over the deliveries table: ${f(r.fullScanMs)} ms`,
      `${f(r.scrapeP50Ms / r.fullScanMs, 3)}x`,
      '< 50 ms',
    ]);
  } finally {
    await db.close();
  }
}

if (want('crawl')) {
  const db = await freshPostgres();
  try {
    const r = await benchCrawl(db.pool, Number(process.env.BENCH_JOBS ?? 5_000), log);
    row([
      `crawl a ${f(r.jobs)}-job Greenhouse board from the fake server into PostgreSQL`,
      `${f(r.postingsPerSecond)} postings/s (${f(r.crawlSeconds, 2)} s)`,
      `the same postings ingested from a JSONL file: ${f(r.feedSeconds, 2)} s`,
      `${f(r.crawlSeconds / r.feedSeconds, 2)}x`,
      '-',
    ]);
    row([
      'pay from text, per row (description of ~400 characters)',
      `${f(r.payTextMicros, 1)} µs`,
      `classifying a row with structured pay: ${f(r.normalizeMicros, 1)} µs`,
      `${f(r.payTextMicros / r.normalizeMicros, 2)}x`,
      '-',
    ]);
  } finally {
    await db.close();
  }
}

if (want('startup')) {
  const r = await benchStartup(log);
  row([
    '`npm start` on an empty `DATA_DIR` to the ready line (first digest in the outbox)',
    `${f(r.readySeconds, 1)} s (${f(r.firstDigestSeconds, 1)} s)`,
    `\`digest --version\`: ${f(r.baselineSeconds, 1)} s`,
    `${f(r.readySeconds / r.baselineSeconds, 1)}x`,
    '< 15 s',
  ]);
}

console.log('\n| Benchmark | Figure | Baseline in the same run | Ratio | Target |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
