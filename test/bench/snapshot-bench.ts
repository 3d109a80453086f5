// Snapshot speed against a bare per-role count on the same table, in the same
// run: `npx tsx test/bench/snapshot-bench.ts [rows] [postgres|pglite]`
// (default 1,000,000 rows on the local PostgreSQL). Target: snapshot <= 3x the count.
// benchLikeForLike (`npm run bench -- snapshot`): the snapshot with the
// like-for-like change, the top-skill premiums and their bootstraps against
// the same snapshot without them, on the same postings. Target: <= 2x.
import { pathToFileURL } from 'node:url';
import type { Db } from '../../src/db/database.ts';
import { freshDatabase, type DbKind } from '../support/db.ts';
import { snapshotWeek } from '../../src/stats/snapshot.ts';
import { ROLES } from '../../src/roles/catalog.ts';

const WEEK = '2026-W47'; // 2026-11-16 .. 2026-11-23 UTC
const PREVIOUS_WEEK = '2026-W46';

const SKILLS = ['Python', 'AWS', 'Rust', 'Kubernetes', 'Docker', 'GCP', 'Azure', 'RAG', 'PyTorch', 'TensorFlow', 'SQL', 'Spark',
  'LangChain', 'OpenAI', 'Claude', 'Gemini', 'Embeddings', 'MLflow', 'Airflow', 'Go', 'Java', 'Scala', 'Terraform', 'CUDA',
  'Prompt Engineering', 'Ray', 'dbt', 'Snowflake', 'Databricks', 'Kafka'];
const METROS = ['San Francisco', 'New York', 'Los Angeles', 'Seattle', 'Austin', 'Boston', 'Chicago', 'Denver', 'Atlanta',
  'Washington', 'San Diego', 'Dallas', 'Miami', 'Portland', 'Pittsburgh', 'Raleigh', 'Phoenix', 'Toronto', 'London', 'Berlin'];

/**
 * Postings first seen over 8 weeks before 2026-11-30, seen for 0..6 weeks; ~60% disclose USD pay.
 * `allOpen`: every posting open in WEEK instead (first seen over the 6 weeks before it ends, last
 * seen from its start to 2026-11-30), none closed.
 */
async function fillPostings(pool: Db, rows: number, allOpen = false): Promise<void> {
    const roles = ['other', ...ROLES.map((r) => r.slug)]; // the last (AI/ML engineer) gets most rows, as in the seed week
    // Postings first seen over 8 weeks before 2026-11-30, seen for 0..6 weeks; ~60% disclose USD pay.
    await pool.query(
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
              fs, ${allOpen ? `greatest(fs, timestamptz '2026-11-16' + (abs(hashtext('l' || g::text)) % (14 * 24)) * interval '1 hour')` : `fs + ((hashint / 37) % 43) * interval '1 day'`}, NULL
         FROM (SELECT g, abs(hashtext(g::text)) AS hashint,
                      ${allOpen ? `timestamptz '2026-10-12' + (abs(hashtext('f' || g::text)) % (42 * 24)) * interval '1 hour'` : `timestamptz '2026-10-05' + (abs(hashtext('f' || g::text)) % (56 * 24)) * interval '1 hour'`} AS fs
                 FROM generate_series(1, $4::int) g) s`,
      [roles, METROS, SKILLS, rows],
    );
}

export interface LikeForLikeBench {
  rows: number;
  withSeconds: number;
  withoutSeconds: number;
}

/** Best of three snapshots of one week with and without the like-for-like change, on `rows` postings spread over 8 weeks. */
export async function benchLikeForLike(pool: Db, rows: number, log: (s: string) => void = () => {}): Promise<LikeForLikeBench> {
  log(`inserting ${rows.toLocaleString('en-US')} postings over 8 weeks`);
  await fillPostings(pool, rows);
  await pool.query('VACUUM ANALYZE postings');
  await pool.query('VACUUM ANALYZE posting_facts');
  // Interleaved (without, with) x 3 after one warm-up of each, best of each: load and caches hit both alike.
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return (performance.now() - t) / 1000;
  };
  const without = () => snapshotWeek(pool, WEEK, 'UTC', { likeForLike: false });
  const withLfl = () => snapshotWeek(pool, WEEK, 'UTC');
  // The week before is snapshotted first, as the weekly schedule does: its stored cells are what like for like compares with.
  log('snapshot of the week before');
  await snapshotWeek(pool, PREVIOUS_WEEK, 'UTC');
  log('snapshot without and with like for like');
  await without();
  await withLfl();
  let withoutSeconds = Infinity;
  let withSeconds = Infinity;
  for (let i = 0; i < 3; i++) {
    withoutSeconds = Math.min(withoutSeconds, await time(without));
    withSeconds = Math.min(withSeconds, await time(withLfl));
  }
  return { rows, withSeconds, withoutSeconds };
}

export interface HistoryBench {
  open: number;
  closed: number;
  aloneSeconds: number;
  withHistorySeconds: number;
}

/**
 * The same week's snapshot with `open` postings all open in it, alone and then with `closed`
 * postings closed in earlier weeks added (`npm run bench -- snapshot`). The closed ones are
 * written straight into posting_facts (what the snapshot reads; through the postings triggers
 * 9M wide rows would take gigabytes and many minutes): copies of the open ones' facts moved
 * back 10, 20, ... weeks and closed the day after they were last seen. Target: <= 1.3x.
 */
export async function benchHistory(pool: Db, open: number, closed: number, log: (s: string) => void = () => {}): Promise<HistoryBench> {
  log(`inserting ${open.toLocaleString('en-US')} postings open in ${WEEK}`);
  await fillPostings(pool, open, true);
  await pool.query('VACUUM ANALYZE postings');
  await pool.query('VACUUM ANALYZE posting_facts');
  const time = async () => {
    const t = performance.now();
    await snapshotWeek(pool, WEEK, 'UTC');
    return (performance.now() - t) / 1000;
  };
  const best = async () => {
    await snapshotWeek(pool, PREVIOUS_WEEK, 'UTC'); // as the weekly schedule does
    await time();
    let min = Infinity;
    for (let i = 0; i < 3; i++) min = Math.min(min, await time());
    return min;
  };
  log(`snapshot of ${WEEK} alone`);
  const aloneSeconds = await best();
  log(`adding ${closed.toLocaleString('en-US')} closed postings from earlier weeks`);
  const copies = Math.ceil(closed / open);
  await pool.query(
    `INSERT INTO posting_facts (posting_id, first_seen_at, last_seen_at, open_until, role_id, metro_id, seniority, remote,
                                pay_max, pay_min, pay_bin, name_ids)
     SELECT f.posting_id + k * $1::bigint, f.first_seen_at - k * interval '10 weeks', f.last_seen_at - k * interval '10 weeks',
            f.last_seen_at - k * interval '10 weeks' + interval '1 day', f.role_id, f.metro_id, f.seniority, f.remote,
            f.pay_max, f.pay_min, f.pay_bin, f.name_ids
       FROM generate_series(1, $2::int) k CROSS JOIN posting_facts f
      WHERE f.posting_id <= $1::bigint
        AND (k - 1) * $1::bigint + f.posting_id <= $3::bigint`,
    [open, copies, closed],
  );
  await pool.query('VACUUM ANALYZE posting_facts');
  log(`snapshot of ${WEEK} with them`);
  const withHistorySeconds = await best();
  return { open, closed, aloneSeconds, withHistorySeconds };
}

async function main(rows: number, kind: DbKind): Promise<void> {
  const db = await freshDatabase(kind);
  try {
    let t = performance.now();
    await fillPostings(db.pool, rows);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(Number(process.argv[2] ?? 1_000_000), (process.argv[3] ?? 'postgres') as DbKind);
}
