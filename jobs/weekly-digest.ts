// The weekly pipeline: snapshot the week, compose its issue (frozen JSON),
// enqueue it for every active reader; the delivery workers then send it.
// Every step is restartable: running it again for the same week leaves the
// same rows (the snapshot is replaced by identical figures, a sent issue
// stays frozen, enqueueing adds nothing).
//
// The scheduler does not run the pipeline itself: it asks for the week's job
// (`requestWeeklyDigest`), a pg-boss job whose singletonKey is the week on an
// `exclusive` queue, and whichever worker process fetches it runs it.
import type { Db } from '../src/db/database.ts';
import type { Logger } from '../src/log.ts';
import { snapshotWeek } from '../src/stats/snapshot.ts';
import { composeWeek, readIssueState } from '../src/digest/store.ts';
import { enqueueIssue, type EnqueueResult } from '../src/delivery/enqueue.ts';
import { QUEUES, type Boss } from '../src/delivery/queue.ts';
import type { WeekKey } from '../src/stats/week.ts';
import { holdForReview, readApproval, remindReviewers, type ReminderJob, type ReviewDeps } from '../src/digest/approval.ts';

export interface WeeklyDigestPayload {
  week: WeekKey;
}

export interface WeeklyDigestDeps {
  pool: Db;
  boss: Boss;
  tz: string;
  publicUrl: string;
  log: Pick<Logger, 'info' | 'warn'>;
  /** DIGEST_APPROVAL and what a proof needs; absent: every issue goes out at once (auto). */
  review?: ReviewDeps | undefined;
  /** Called as each step starts (`digest run-weekly` prints them). */
  onStep?: (step: 'snapshot' | 'compose' | 'enqueue', week: WeekKey) => void;
}

export interface WeeklyDigestResult {
  week: WeekKey;
  total: number;
  issueId: number;
  composed: boolean;
  enqueue: EnqueueResult;
  /** `held`: waiting for a reviewer (proofs sent); `discarded`: a reviewer discarded it. */
  review?: 'held' | 'waiting' | 'discarded';
}

export async function runWeeklyDigest(payload: WeeklyDigestPayload, deps: WeeklyDigestDeps): Promise<WeeklyDigestResult> {
  const { week } = payload;
  const held = await readApproval(deps.pool, week);
  if (held && !held.enqueued && held.approval !== 'auto') {
    // Decided or waiting: the reviewed content is never recomposed. An
    // approval whose enqueue did not happen (a crash between) is finished here.
    if (held.approval === 'approved') {
      return { week, total: 0, issueId: held.id, composed: false, enqueue: await enqueueIssue(deps.pool, deps.boss, held.id) };
    }
    deps.log.info({ event: 'digest.weekly.awaiting-review', week, approval: held.approval }, `the ${week} issue is ${held.approval === 'pending' ? 'waiting for review' : 'discarded'}`);
    return { week, total: 0, issueId: held.id, composed: false, enqueue: { issueId: held.id, created: false, recipients: 0, batches: 0 }, review: held.approval === 'pending' ? 'waiting' : 'discarded' };
  }
  // A week that already went out keeps the figures it was sent with.
  const frozen = (await weekIssueState(deps.pool, week)) === 'enqueued';
  let total = 0;
  if (!frozen) {
    deps.onStep?.('snapshot', week);
    const snap = await retryOnConflict(() => snapshotWeek(deps.pool, week, deps.tz));
    total = snap.total;
    deps.log.info({ event: 'digest.weekly.snapshot', week, total }, 'week snapshotted');
  }
  deps.onStep?.('compose', week);
  const saved = await composeWeek(deps.pool, week, deps.publicUrl);
  deps.log.info({ event: 'digest.weekly.composed', week, issueId: saved.issue.id, written: saved.written }, 'issue composed');
  if (deps.review?.mode === 'manual' && saved.issue.status === 'draft') {
    const first = await holdForReview(deps.review, saved.issue.id);
    deps.log.info({ event: 'digest.weekly.held', week, issueId: saved.issue.id, reviewers: deps.review.reviewers.length, first }, `the ${week} issue waits for review; proofs sent`);
    return { week, total, issueId: saved.issue.id, composed: saved.written, enqueue: { issueId: saved.issue.id, created: false, recipients: 0, batches: 0 }, review: 'held' };
  }
  deps.onStep?.('enqueue', week);
  const enqueue = await enqueueIssue(deps.pool, deps.boss, saved.issue.id);
  deps.log.info({ event: 'digest.weekly.enqueued', week, ...enqueue }, 'issue enqueued');
  return { week, total, issueId: saved.issue.id, composed: saved.written, enqueue };
}

/**
 * Two pipelines for one week at once (a stray manual run beside the scheduled
 * job) make PostgreSQL abort one snapshot transaction with a serialization
 * failure; the snapshot is a pure function of the postings, so running it
 * again is the whole remedy.
 */
async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (i >= attempts || (code !== '40001' && code !== '40P01')) throw err;
      await new Promise((r) => setTimeout(r, 50 * i + Math.random() * 50));
    }
  }
}

/** Where a week's issue stands: none yet, a draft (composed, not enqueued), or enqueued (sending or sent). */
export async function weekIssueState(pool: Db, week: WeekKey): Promise<'none' | 'draft' | 'held' | 'enqueued'> {
  const row = await readIssueState(pool, week);
  if (!row) return 'none';
  if (row.enqueued || row.status !== 'draft') return 'enqueued';
  return row.approval === 'pending' || row.approval === 'discarded' ? 'held' : 'draft';
}

/**
 * Asks for the week's pipeline to run once, unless its issue is already out.
 * The job is a singleton per week on an exclusive queue: a second request
 * while one is queued or running adds nothing (pg-boss answers null).
 */
export async function requestWeeklyDigest(
  deps: Pick<WeeklyDigestDeps, 'pool' | 'boss' | 'log'>,
  week: WeekKey,
  reason: 'schedule' | 'catch-up' | 'demo',
): Promise<'queued' | 'already-queued' | 'already-sent'> {
  const state = await weekIssueState(deps.pool, week);
  if (state === 'enqueued') {
    deps.log.info({ event: 'digest.weekly.already-sent', week, reason }, `the ${week} issue has already gone out`);
    return 'already-sent';
  }
  if (state === 'held') {
    // Waiting for a reviewer, or discarded by one: asking again would change nothing.
    deps.log.info({ event: 'digest.weekly.awaiting-review', week, reason }, `the ${week} issue waits for a reviewer's decision`);
    return 'already-sent';
  }
  const id = await deps.boss.send(QUEUES.weekly, { week } satisfies WeeklyDigestPayload, { singletonKey: week });
  deps.log.info({ event: id ? 'digest.weekly.requested' : 'digest.weekly.already-queued', week, reason, job: id }, id ? `the ${week} digest is queued` : `the ${week} digest was already queued`);
  return id ? 'queued' : 'already-queued';
}

export interface WeeklyJobWorker {
  stop(): Promise<void>;
}

/** Works the weekly queue in this process (alongside the delivery worker). A failed run is retried by pg-boss. */
export async function workWeeklyDigests(deps: WeeklyDigestDeps & { log: Pick<Logger, 'info' | 'warn' | 'error'> }): Promise<WeeklyJobWorker> {
  const id = await deps.boss.work<WeeklyDigestPayload>(QUEUES.weekly, { pollingIntervalSeconds: 1, batchSize: 1 }, async ([job]) => {
    if (!job) return;
    const started = Date.now();
    try {
      const r = await runWeeklyDigest(job.data, deps);
      deps.log.info(
        { event: 'digest.weekly.done', week: r.week, issueId: r.issueId, recipients: r.enqueue.recipients, created: r.enqueue.created, ms: Date.now() - started },
        `the ${r.week} digest is composed and queued for ${r.enqueue.recipients} readers`,
      );
    } catch (err) {
      deps.log.error({ event: 'digest.weekly.failed', week: job.data.week, err: (err as Error).message }, `the ${job.data.week} digest failed; it will be retried`);
      throw err;
    }
  });
  const review = deps.review;
  const reminders = review
    ? await deps.boss.work<ReminderJob>(QUEUES.reviewReminder, { pollingIntervalSeconds: 1, batchSize: 1 }, async ([job]) => {
        if (!job) return;
        const sent = await remindReviewers(review, job.data.issueId);
        deps.log.info({ event: sent ? 'digest.review.reminded' : 'digest.review.reminder-skipped', issueId: job.data.issueId }, sent ? 'reviewers reminded' : 'no reminder: the issue was decided');
      })
    : undefined;
  return {
    async stop() {
      await deps.boss.offWork(QUEUES.weekly, { id, wait: true });
      if (reminders) await deps.boss.offWork(QUEUES.reviewReminder, { id: reminders, wait: true });
    },
  };
}

/** Waits until the week's issue has been enqueued (the weekly job ran), or the timeout passes. */
export async function waitForWeek(pool: Db, week: WeekKey, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await weekIssueState(pool, week)) === 'enqueued') return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}
