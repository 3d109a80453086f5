// The weekly pipeline: snapshot the week, compose its issue (frozen JSON),
// enqueue it for every active reader. Every step is restartable: running it
// again for the same week leaves the same rows (the snapshot is replaced by
// identical figures, a sent issue stays frozen, enqueueing adds nothing).
import type { Db } from '../src/db/database.ts';
import type { Logger } from '../src/log.ts';
import { snapshotWeek } from '../src/stats/snapshot.ts';
import { composeWeek } from '../src/digest/store.ts';
import { enqueueIssue, type EnqueueResult } from '../src/delivery/enqueue.ts';
import type { Boss } from '../src/delivery/queue.ts';
import type { WeekKey } from '../src/stats/week.ts';

export interface WeeklyDigestPayload {
  week: WeekKey;
}

export interface WeeklyDigestDeps {
  pool: Db;
  boss: Boss;
  tz: string;
  publicUrl: string;
  log: Pick<Logger, 'info' | 'warn'>;
}

export interface WeeklyDigestResult {
  week: WeekKey;
  total: number;
  issueId: number;
  composed: boolean;
  enqueue: EnqueueResult;
}

export async function runWeeklyDigest(payload: WeeklyDigestPayload, deps: WeeklyDigestDeps): Promise<WeeklyDigestResult> {
  const { week } = payload;
  // A week that already went out keeps the figures it was sent with.
  const { rows } = await deps.pool.query<{ status: string }>('SELECT status FROM issues WHERE week = $1', [week]);
  const frozen = rows[0] !== undefined && rows[0].status !== 'draft';
  let total = 0;
  if (!frozen) {
    const snap = await snapshotWeek(deps.pool, week, deps.tz);
    total = snap.total;
    deps.log.info({ event: 'digest.weekly.snapshot', week, total }, 'week snapshotted');
  }
  const saved = await composeWeek(deps.pool, week, deps.publicUrl);
  deps.log.info({ event: 'digest.weekly.composed', week, issueId: saved.issue.id, written: saved.written }, 'issue composed');
  const enqueue = await enqueueIssue(deps.pool, deps.boss, saved.issue.id);
  deps.log.info({ event: 'digest.weekly.enqueued', week, ...enqueue }, 'issue enqueued');
  return { week, total, issueId: saved.issue.id, composed: saved.written, enqueue };
}
