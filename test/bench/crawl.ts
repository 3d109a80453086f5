// Crawling one 5,000-job Greenhouse board from the fake job-board server into
// PostgreSQL (fetch, decode, classify, pay from text, store, close, dedup),
// against the same 5,000 postings ingested from a JSONL file (the feed path:
// parse, classify, store). And the cost of pay-from-text per row, against the
// rest of classifying a row (normalizeRecord with structured pay).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Db } from '../../src/db/database.ts';
import { ingestFiles } from '../../src/postings/ingest.ts';
import { normalizeRecord } from '../../src/postings/normalize.ts';
import { payFromText } from '../../src/postings/pay-text.ts';
import { crawlSource } from '../../src/sources/crawl.ts';
import { PoliteFetcher } from '../../src/sources/http.ts';
import { addSource } from '../../src/sources/store.ts';
import { greenhouseJob, startFakeJobBoards } from '../support/fake-job-boards.ts';

export interface CrawlBenchResult {
  jobs: number;
  crawlSeconds: number;
  postingsPerSecond: number;
  feedSeconds: number;
  payTextMicros: number;
  normalizeMicros: number;
}

const TITLES = ['Machine Learning Engineer', 'Senior AI Engineer', 'MLOps Engineer', 'Data Scientist', 'Prompt Engineer', 'Research Scientist'];
const PLACES = ['San Francisco, CA', 'New York, NY', 'Remote - US', 'Austin, TX', 'Seattle, WA'];

function description(i: number): string {
  const pay = i % 3 === 0 ? '' : `<p>The base salary range for this role is $${120 + (i % 80)},000 &mdash; $${180 + (i % 80)},000 USD. We raised $200M.</p>`;
  return `<div><h3>About the role</h3><p>Train and ship models with PyTorch, Python and Kubernetes. Job ${i}.</p><ul><li>RAG pipelines</li><li>Evaluation</li></ul>${pay}<p>Benefits: 401(k), a $2,000 learning stipend.</p></div>`;
}

export async function benchCrawl(pool: Db, jobs = 5_000, log: (s: string) => void = () => {}): Promise<CrawlBenchResult> {
  const fake = await startFakeJobBoards();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'std-crawl-bench-'));
  try {
    const list = Array.from({ length: jobs }, (_, i) =>
      greenhouseJob({
        id: 900_000 + i,
        title: TITLES[i % TITLES.length]!,
        location: PLACES[i % PLACES.length]!,
        html: description(i),
        pay: i % 4 === 0 ? [{ min: 150_000, max: 200_000 }, { min: 130_000, max: 170_000, title: 'Zone 2' }] : [],
      }),
    );
    fake.boards.set('greenhouse:bench', { jobs: list });
    const source = (await addSource(pool, { kind: 'greenhouse', board: 'bench', baseUrl: fake.url })).source;
    log(`crawling a ${jobs.toLocaleString('en-US')}-job board`);
    const fetcher = new PoliteFetcher({ publicUrl: 'https://bench.example.org', timeoutMs: 60_000 });
    const t0 = performance.now();
    const res = await crawlSource(pool, source, { fetcher, log: pino({ level: 'silent' }) });
    const crawlSeconds = (performance.now() - t0) / 1000;
    if (res.outcome !== 'ok' || res.new !== jobs) throw new Error(`bench crawl: ${JSON.stringify(res)}`);

    // Baseline: the same postings as a JSONL feed (decoded text, no HTTP), through the real ingest.
    const file = path.join(dir, 'feed.jsonl');
    writeFileSync(file, list.map((j, i) => JSON.stringify({ source: 'feed-bench', external_id: String(j.id), title: j.title, company: 'bench', location: j.location.name, description: description(i), seen_at: new Date().toISOString() })).join('\n'));
    log('ingesting the same postings from a file');
    const t1 = performance.now();
    await ingestFiles(pool, [file]);
    const feedSeconds = (performance.now() - t1) / 1000;

    // Pay from text per row, against classifying a row whose pay is structured (the text is not read).
    const texts = list.map((_, i) => description(i).replace(/<[^>]+>/g, ' ').replace(/&mdash;/g, '—'));
    const rounds = 20;
    let found = 0;
    const t2 = performance.now();
    for (let r = 0; r < rounds; r++) for (const t of texts) if (payFromText(`${t} ${r}`)) found++;
    const payTextMicros = ((performance.now() - t2) * 1000) / (rounds * texts.length);
    if (found === 0) throw new Error('bench: no pay found in text');
    const t3 = performance.now();
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < texts.length; i++) {
        normalizeRecord({ external_id: `${r}-${i}`, title: `${TITLES[i % TITLES.length]} ${r}`, company: 'bench', location: PLACES[i % PLACES.length], salary_min: 100_000, salary_max: 150_000, description: texts[i], seen_at: '2026-11-20' });
      }
    }
    const normalizeMicros = ((performance.now() - t3) * 1000) / (rounds * texts.length);
    return { jobs, crawlSeconds, postingsPerSecond: jobs / crawlSeconds, feedSeconds, payTextMicros, normalizeMicros };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
