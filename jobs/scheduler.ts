// The weekly schedule: node-cron on DIGEST_CRON in DIGEST_TZ. Every process
// may run it. Three layers keep a week from going out twice:
//   1. node-cron's `distributed: true` with a run coordinator backed by
//      PostgreSQL: each fire has a key (task name and scheduled instant) and
//      only the process whose INSERT creates the `cron_fires` row acts on it;
//   2. the fire asks for the week's job, a pg-boss singleton per week on an
//      exclusive queue, so a clock-skewed or misconfigured process that fires
//      under another key adds no second job while one is queued or running;
//   3. an issue is unique per week and frozen once enqueued, and enqueueing
//      adds a delivery per (issue, reader) at most once, so even a job that
//      runs again sends nobody anything twice.
// On start (and every hour after), a week whose scheduled time has passed
// with no issue out is caught up.
import { hostname } from 'node:os';
import cron, { type RunCoordinator } from 'node-cron';
import type { Db } from '../src/db/database.ts';
import type { Logger } from '../src/log.ts';
import { lastCompleteWeek, weekRange, type WeekKey } from '../src/stats/week.ts';
import { requestWeeklyDigest, type WeeklyDigestDeps } from './weekly-digest.ts';

export const SCHEDULE_TASK = 'weekly-digest';
const CATCH_UP_EVERY_MS = 60 * 60 * 1000;

export interface Scheduler {
  /** The catch-up check made on start (resolved once it has asked for any missed week). */
  started: Promise<void>;
  stop(): Promise<void>;
}

export interface SchedulerDeps extends Pick<WeeklyDigestDeps, 'pool' | 'boss' | 'tz'> {
  cron: string;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => Date;
  /** Names this process in `cron_fires.holder` (default host:pid). */
  holder?: string;
}

/** A run coordinator for node-cron: one row per fire key; the INSERT that creates it wins. */
export function postgresRunCoordinator(pool: Db, holder: string): RunCoordinator {
  return {
    async shouldRun(key, ttlMs) {
      // A fire claimed but never completed (its process died) may be taken over once the lease has run out.
      const { rows } = await pool.query(
        `INSERT INTO cron_fires (key, holder) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, claimed_at = clock_timestamp()
           WHERE cron_fires.completed_at IS NULL AND cron_fires.claimed_at < clock_timestamp() - make_interval(secs => $3::float8 / 1000)
         RETURNING key`,
        [key, holder, ttlMs],
      );
      return rows.length === 1;
    },
    async onComplete(key) {
      await pool.query('UPDATE cron_fires SET completed_at = clock_timestamp() WHERE key = $1 AND holder = $2', [key, holder]);
    },
  };
}

export function startScheduler(deps: SchedulerDeps): Scheduler {
  const detailed = cron.validateDetailed(deps.cron);
  if (!detailed.valid) throw new Error(`DIGEST_CRON is not a valid cron expression: ${JSON.stringify(deps.cron)}`);
  const now = deps.now ?? (() => new Date());
  const holder = deps.holder ?? `${hostname()}:${process.pid}`;
  const task = cron.schedule(
    deps.cron,
    async (ctx) => {
      const week = lastCompleteWeek(deps.now ? now() : ctx.date, deps.tz);
      deps.log.info({ event: 'digest.schedule.fired', week, at: ctx.date.toISOString(), holder }, `schedule fired for ${week}`);
      await askFor(week, 'schedule');
    },
    {
      timezone: deps.tz,
      name: SCHEDULE_TASK,
      noOverlap: true,
      distributed: true,
      runCoordinator: postgresRunCoordinator(deps.pool, holder),
      distributedLease: 10 * 60 * 1000,
      logger: cronLogger(deps.log),
    },
  );
  task.on('execution:skipped', (ctx) => {
    const event = ctx.reason === 'not-elected' ? 'digest.schedule.not-elected' : 'digest.schedule.coordinator-failed';
    deps.log.info({ event, at: ctx.date.toISOString(), holder }, ctx.reason === 'not-elected' ? 'another process took this fire' : 'could not reach the run coordinator; fire skipped');
  });

  async function askFor(week: WeekKey, reason: 'schedule' | 'catch-up'): Promise<void> {
    try {
      await requestWeeklyDigest(deps, week, reason);
    } catch (err) {
      // Never crash the process: log the named event; the next fire or catch-up retries.
      deps.log.error({ event: 'digest.schedule.failed', week, reason, err: (err as Error).message }, `could not queue the ${week} digest`);
    }
  }

  /** The last complete week is owed if the schedule has fired since it ended and its issue is not out. */
  async function catchUp(): Promise<void> {
    const at = now();
    const week = lastCompleteWeek(at, deps.tz);
    const fired = firstFireBetween(task, detailed.fields!.second, weekRange(week, deps.tz).end, at);
    if (!fired) return;
    deps.log.info({ event: 'digest.schedule.catch-up-check', week, scheduledAt: fired.toISOString() }, `checking ${week} (due ${fired.toISOString()})`);
    await askFor(week, 'catch-up');
  }

  const started = catchUp();
  const timer = setInterval(() => void catchUp(), CATCH_UP_EVERY_MS);
  timer.unref();
  deps.log.info({ event: 'digest.schedule.started', cron: deps.cron, tz: deps.tz, next: task.getNextRun()?.toISOString() }, 'weekly schedule started');
  return {
    started,
    async stop() {
      clearInterval(timer);
      await task.destroy();
      await started;
    },
  };
}

/**
 * The first instant in [from, to] the cron matches, scanning minute by minute
 * at the first second the expression allows (at most a week: 10,080 checks).
 */
export function firstFireBetween(task: { match(d: Date): boolean }, seconds: number[], from: Date, to: Date): Date | undefined {
  const second = Math.min(...seconds);
  const start = Math.floor(from.getTime() / 60_000) * 60_000 + second * 1000;
  for (let t = start < from.getTime() ? start + 60_000 : start; t <= to.getTime(); t += 60_000) {
    const d = new Date(t);
    if (task.match(d)) return d;
  }
  return undefined;
}

function cronLogger(log: SchedulerDeps['log']) {
  return {
    info: (m: string) => log.info({ event: 'cron.info' }, m),
    warn: (m: string) => log.warn({ event: 'cron.warn' }, m),
    error: (m: string | Error, err?: Error) => log.error({ event: 'cron.error', err: (err ?? m) instanceof Error ? ((err ?? m) as Error).message : String(m) }, String(m instanceof Error ? m.message : m)),
    debug: () => {},
  };
}
