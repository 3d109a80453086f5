// The weekly schedule (node-cron, DIGEST_CRON in DIGEST_TZ). It may run in
// every process: the pipeline is idempotent per week, and a claim row per week
// (schedule_runs) lets only one process work a given week at a time.
import cron from 'node-cron';
import type { Db } from '../src/db/database.ts';
import type { Logger } from '../src/log.ts';
import { lastCompleteWeek } from '../src/stats/week.ts';
import { runWeeklyDigest, type WeeklyDigestDeps } from './weekly-digest.ts';

export interface Scheduler {
  stop(): void;
}

export interface SchedulerDeps extends WeeklyDigestDeps {
  cron: string;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => Date;
}

export function startScheduler(deps: SchedulerDeps): Scheduler {
  if (!cron.validate(deps.cron)) throw new Error(`DIGEST_CRON is not a valid cron expression: ${JSON.stringify(deps.cron)}`);
  const task = cron.schedule(
    deps.cron,
    async () => {
      const week = lastCompleteWeek(deps.now?.() ?? new Date(), deps.tz);
      try {
        const ran = await onePerWeek(deps.pool, week, () => runWeeklyDigest({ week }, deps));
        if (!ran) deps.log.info({ event: 'digest.schedule.skipped', week }, 'another process is running this week');
      } catch (err) {
        // Never crash the process: log the named event; the next tick or a manual run retries.
        deps.log.error({ event: 'digest.schedule.failed', week, err: (err as Error).message }, 'weekly digest failed');
      }
    },
    { timezone: deps.tz, name: 'weekly-digest', noOverlap: true },
  );
  deps.log.info({ event: 'digest.schedule.started', cron: deps.cron, tz: deps.tz }, 'weekly schedule started');
  return { stop: () => void task.stop() };
}

/**
 * Runs `fn` only if this process wins the week's claim row: one INSERT .. ON
 * CONFLICT decides atomically (session advisory locks would not exclude each
 * other on PGlite), and a claim stale for an hour or a failed run can be taken over.
 * Taking a claim over reopens it (so nobody else takes it meanwhile), and the
 * outcome is written only to the claim this call holds.
 */
export async function onePerWeek(pool: Db, week: string, fn: () => Promise<unknown>): Promise<boolean> {
  const { rows } = await pool.query<{ claim: string }>(
    `INSERT INTO schedule_runs (week, started_at) VALUES ($1, clock_timestamp())
     ON CONFLICT (week) DO UPDATE SET started_at = clock_timestamp(), finished_at = NULL, failed = false
       WHERE schedule_runs.finished_at IS NULL AND schedule_runs.started_at < now() - interval '1 hour'
          OR schedule_runs.finished_at IS NOT NULL AND schedule_runs.failed
     RETURNING started_at::text AS claim`,
    [week],
  );
  const claim = rows[0]?.claim;
  if (claim === undefined) return false;
  const finish = (failed: boolean) =>
    pool.query('UPDATE schedule_runs SET finished_at = now(), failed = $3 WHERE week = $1 AND started_at = $2::timestamptz', [week, claim, failed]);
  try {
    await fn();
  } catch (err) {
    await finish(true);
    throw err;
  }
  await finish(false);
  return true;
}
