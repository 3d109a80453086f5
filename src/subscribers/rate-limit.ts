// Fixed-window request counters in PostgreSQL, so every web process shares
// them: one upsert per hit, answered with the count and the seconds left in
// the window. Rows older than a day are swept by the same statement.
import type { Db, DbClient } from '../db/database.ts';

export interface Hit {
  count: number;
  retryAfterSeconds: number;
}

export async function hit(db: Db | DbClient, key: string, windowSeconds: number): Promise<Hit> {
  const { rows } = await db.query<{ hits: number; retry_after: number }>(
    `WITH swept AS (
       DELETE FROM rate_limit_hits WHERE window_start < now() - interval '1 day'
     )
     INSERT INTO rate_limit_hits AS r (key, window_start, hits)
     VALUES ($1, date_bin(make_interval(secs => $2), now(), TIMESTAMPTZ '2000-01-01 00:00:00+00'), 1)
     ON CONFLICT (key, window_start) DO UPDATE SET hits = r.hits + 1
     RETURNING r.hits,
               ceil(EXTRACT(EPOCH FROM r.window_start + make_interval(secs => $2) - now()))::int AS retry_after`,
    [key, windowSeconds],
  );
  const row = rows[0]!;
  return { count: row.hits, retryAfterSeconds: Math.max(1, row.retry_after) };
}

/** Erasure: the counters kept under these keys go. */
export async function forgetKeys(db: Db | DbClient, keys: string[]): Promise<void> {
  await db.query(`DELETE FROM rate_limit_hits WHERE key = ANY ($1::text[])`, [keys]);
}
