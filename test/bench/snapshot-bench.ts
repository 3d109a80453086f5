// Snapshot speed against a bare per-role count on the same table, in the same
// run: `npx tsx test/bench/snapshot-bench.ts [rows] [postgres|pglite]`
// (default 1,000,000 rows on the local PostgreSQL). Target: snapshot <= 3x the count.
import { freshDatabase, type DbKind } from '../support/db.ts';
import { snapshotWeek } from '../../src/stats/snapshot.ts';
import { ROLES } from '../../src/roles/catalog.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const kind = (process.argv[3] ?? 'postgres') as DbKind;
const WEEK = '2026-W47'; // 2026-11-16 .. 2026-11-23 UTC

const SKILLS = ['Python', 'AWS', 'Rust', 'Kubernetes', 'Docker', 'GCP', 'Azure', 'RAG', 'PyTorch', 'TensorFlow', 'SQL', 'Spark',
  'LangChain', 'OpenAI', 'Claude', 'Gemini', 'Embeddings', 'MLflow', 'Airflow', 'Go', 'Java', 'Scala', 'Terraform', 'CUDA',
  'Prompt Engineering', 'Ray', 'dbt', 'Snowflake', 'Databricks', 'Kafka'];
const METROS = ['San Francisco', 'New York', 'Los Angeles', 'Seattle', 'Austin', 'Boston', 'Chicago', 'Denver', 'Atlanta',
  'Washington', 'San Diego', 'Dallas', 'Miami', 'Portland', 'Pittsburgh', 'Raleigh', 'Phoenix', 'Toronto', 'London', 'Berlin'];

async function main(): Promise<void> {
  const db = await freshDatabase(kind);
  try {
    const roles = ['other', ...ROLES.map((r) => r.slug)]; // the last (AI/ML engineer) gets most rows, as in the seed week
    let t = performance.now();
    // Postings first seen over 8 weeks before 2026-11-30, seen for 0..6 weeks; ~60% disclose USD pay.
    await db.pool.query(
      `INSERT INTO postings (source, external_id, title, company, metro, remote, role, seniority, currency, period,
                             annual_min, annual_max, skills, description, first_seen_at, last_seen_at, closed_at)
       SELECT 'bench', g::text, 'Title ' || g, 'Company ' || (hashint % 5000),
              ($2::text[])[1 + (hashint / 7) % 20], (hashint % 100) < 8,
              ($1::text[])[1 + least((hashint / 13) % 40, array_length($1::text[], 1) - 1)],
              (ARRAY['entry','mid','mid','mid','senior'])[1 + (hashint / 17) % 5],
              CASE WHEN (hashint / 19) % 10 < 9 THEN 'USD' ELSE 'EUR' END, 'year',
              CASE WHEN (hashint / 23) % 10 < 6 THEN 60000 + (hashint / 29) % 120000 END,
              CASE WHEN (hashint / 23) % 10 < 6 THEN 100000 + (hashint / 29) % 200000 END,
              ARRAY(SELECT ($3::text[])[1 + (hashint / (31 + k)) % 30] FROM generate_series(1, 3 + hashint % 4) k),
              repeat(md5(g::text), 6),
              fs, fs + ((hashint / 37) % 43) * interval '1 day', NULL
         FROM (SELECT g, abs(hashtext(g::text)) AS hashint,
                      timestamptz '2026-10-05' + (abs(hashtext('f' || g::text)) % (56 * 24)) * interval '1 hour' AS fs
                 FROM generate_series(1, $4::int) g) s`,
      [roles, METROS, SKILLS, rows],
    );
    if (kind === 'postgres') await db.pool.query('VACUUM ANALYZE postings');
    else await db.pool.query('ANALYZE postings');
    console.log(`${kind}: inserted ${rows.toLocaleString("en-US")} postings in ${Math.round(performance.now() - t)} ms${db.url ? ` (${db.url})` : ""}`);

    const time = async (label: string, fn: () => Promise<unknown>): Promise<number> => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        t = performance.now();
        await fn();
        runs.push(performance.now() - t);
      }
      const best = Math.min(...runs);
      console.log(`${label}: best ${Math.round(best)} ms (runs ${runs.map((r) => Math.round(r)).join(', ')})`);
      return best;
    };
    const bare = await time('bare count  ', () => db.pool.query('SELECT role, count(*) FROM postings GROUP BY role'));
    const snap = await time('snapshot    ', () => snapshotWeek(db.pool, WEEK, 'UTC'));
    const { rows: open } = await db.pool.query(`SELECT total FROM weeks WHERE week = $1`, [WEEK]);
    console.log(`open in ${WEEK}: ${open[0].total.toLocaleString('en-US')}; ratio snapshot / count = ${(snap / bare).toFixed(2)}`);
    // Worst case: every posting open in the week.
    await db.pool.query(`UPDATE postings SET first_seen_at = '2026-11-17', last_seen_at = '2026-11-18'`);
    if (kind === 'postgres') await db.pool.query('VACUUM ANALYZE postings');
    const bare2 = await time('bare count (all open)', () => db.pool.query('SELECT role, count(*) FROM postings GROUP BY role'));
    const snap2 = await time('snapshot (all open)  ', () => snapshotWeek(db.pool, WEEK, 'UTC'));
    console.log(`all open: ratio snapshot / count = ${(snap2 / bare2).toFixed(2)}`);
  } finally {
    await db.close();
  }
}

await main();
