// Loads 1,000,000 synthetic postings through the real ingest (CSV file ->
// parse -> classify -> bulk upsert) and snapshots a week over them.
// Baselines, measured in the same run on the same table:
//  - ingest: a server-side copy of the stored rows (CREATE TABLE AS), the
//    floor that any client-side load is compared with; and the same rows
//    inserted server-side into an emptied postings table (its indexes and
//    the posting_facts triggers), the floor that the table itself sets;
//  - snapshot: a bare `SELECT role, count(*) FROM postings GROUP BY role`.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { ingestFiles } from '../../src/postings/ingest.ts';
import { snapshotWeek } from '../../src/stats/snapshot.ts';
import { weekRange } from '../../src/stats/week.ts';
import type { Db } from '../../src/db/database.ts';

export interface IngestSnapshotResult {
  rows: number;
  ingestSeconds: number;
  ingestRowsPerSecond: number;
  copySeconds: number;
  /** The same rows inserted back into postings from that copy, on the server. */
  serverInsertSeconds: number;
  snapshotSeconds: number;
  groupBySeconds: number;
}

const TITLES = [
  'Machine Learning Engineer', 'Senior AI Engineer', 'MLOps Engineer', 'AI Software Engineer', 'AI Product Manager',
  'Prompt Engineer', 'Data Scientist', 'Data Engineer', 'Research Scientist, LLMs', 'Computer Vision Engineer',
  'NLP Engineer', 'Principal AI Architect', 'DevOps Engineer', 'Account Executive',
];
const SKILLS = ['Python', 'RAG', 'AWS', 'Kubernetes', 'Docker', 'GCP', 'Azure', 'Rust', 'PyTorch', 'SQL', 'OpenAI', 'LangChain'];
const METROS = ['San Francisco, CA', 'New York, NY', 'Los Angeles, CA', 'Austin, TX', 'Seattle, WA', 'Remote'];

/** Writes `rows` CSV postings, all open in `week`. */
async function writeSyntheticCsv(file: string, rows: number, week: string): Promise<void> {
  const { start } = weekRange(week);
  const out = createWriteStream(file);
  out.write('source,external_id,title,company,location,remote,salary_min,salary_max,currency,period,skills,seen_at\n');
  let x = 123456789;
  const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < rows; i++) {
    const title = TITLES[Math.floor(rnd() * TITLES.length)]!;
    const loc = METROS[Math.floor(rnd() * METROS.length)]!;
    const max = 90_000 + Math.floor(rnd() * 200_000);
    const disclosed = rnd() < 0.6;
    const s1 = SKILLS[Math.floor(rnd() * SKILLS.length)]!;
    const s2 = SKILLS[Math.floor(rnd() * SKILLS.length)]!;
    const seen = new Date(start.getTime() + Math.floor(rnd() * 6 * 86_400_000)).toISOString();
    const line = `bench,${i},"${title}",Company ${i % 5000},"${loc}",${loc === 'Remote'},${disclosed ? Math.round(max * 0.7) : ''},${disclosed ? max : ''},USD,year,${s1};${s2},${seen}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, (performance.now() - t) / 1000];
}

export async function benchIngestSnapshot(pool: Db, rows = 1_000_000, log: (s: string) => void = () => {}): Promise<IngestSnapshotResult> {
  const week = '2026-W47';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'std-bench-'));
  try {
    const file = path.join(dir, 'postings.csv');
    log(`writing ${rows.toLocaleString('en-US')} synthetic postings`);
    await writeSyntheticCsv(file, rows, week);
    log('ingesting');
    const [summary, ingestSeconds] = await timed(() => ingestFiles(pool, [file], { source: 'bench' }));
    if (summary.stored !== rows || summary.rejected !== 0) throw new Error(`bench ingest stored ${summary.stored}, rejected ${summary.rejected}`);
    const [, copySeconds] = await timed(() => pool.query('CREATE TABLE bench_copy AS SELECT * FROM postings'));
    await pool.query('DROP TABLE bench_copy');
    await pool.query('VACUUM ANALYZE postings');
    await pool.query('VACUUM ANALYZE posting_facts');
    // Warm both once, then the better of three runs of each, interleaved so that load hits both alike.
    log('snapshot vs GROUP BY');
    const groupBy = () => pool.query('SELECT role, count(*) FROM postings GROUP BY role');
    const snapshot = () => snapshotWeek(pool, week, 'UTC');
    await groupBy();
    await snapshot();
    let groupBySeconds = Infinity;
    let snapshotSeconds = Infinity;
    for (let i = 0; i < 3; i++) {
      groupBySeconds = Math.min(groupBySeconds, (await timed(groupBy))[1]);
      snapshotSeconds = Math.min(snapshotSeconds, (await timed(snapshot))[1]);
    }
    // Last, so that the snapshot above reads the table as the ingest left it.
    log('the same rows inserted server-side into postings');
    await pool.query('CREATE TABLE bench_copy AS SELECT * FROM postings');
    await pool.query('TRUNCATE postings CASCADE');
    const [, serverInsertSeconds] = await timed(() => pool.query('INSERT INTO postings SELECT * FROM bench_copy'));
    await pool.query('DROP TABLE bench_copy');
    return { rows, ingestSeconds, ingestRowsPerSecond: rows / ingestSeconds, copySeconds, serverInsertSeconds, snapshotSeconds, groupBySeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
