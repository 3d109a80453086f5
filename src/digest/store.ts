// The digest's rows: frozen issues in `issues` and first clicks in `clicks`.
// Plain parameterised SQL next to its owner.
import { demoInWeek } from '../demo/status.ts';
import type pg from 'pg';
import { readHistory, readWeek } from '../stats/snapshot.ts';
import { previousWeek } from '../stats/week.ts';
import { ComposeError, composeIssue } from './compose.ts';
import type { IssueContent } from './content.ts';
import { isSitePath, parseClickToken } from './links.ts';

type Queryable = Pick<pg.Pool, 'query'>;

export type IssueStatus = 'draft' | 'sending' | 'sent';

export interface StoredIssue {
  id: number;
  week: string;
  subject: string;
  status: IssueStatus;
  content: IssueContent;
  composedAt: Date;
  sentAt: Date | null;
}

interface IssueRow {
  id: number;
  week: string;
  subject: string;
  status: IssueStatus;
  content: IssueContent;
  composed_at: Date;
  sent_at: Date | null;
}

const COLUMNS = 'id, week, subject, status, content, composed_at, sent_at';
const toIssue = (r: IssueRow): StoredIssue => ({
  id: r.id,
  week: r.week,
  subject: r.subject,
  status: r.status,
  content: r.content,
  composedAt: r.composed_at,
  sentAt: r.sent_at,
});

export interface SaveResult {
  issue: StoredIssue;
  /** False when the issue had already started sending: its content stays as it was. */
  written: boolean;
}

/**
 * Store a composed issue for its week. A draft is overwritten (composing twice
 * from the same stats leaves the same row); once sending has started, or the
 * issue was held for review (its proof is what reviewers judge), the content
 * is frozen and the stored issue is returned unchanged.
 */
export async function saveIssue(db: Queryable, content: IssueContent): Promise<SaveResult> {
  const { rows } = await db.query<IssueRow>(
    `INSERT INTO issues (week, subject, content, composed_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (week) DO UPDATE SET subject = EXCLUDED.subject, content = EXCLUDED.content, composed_at = now()
       WHERE issues.status = 'draft' AND issues.approval = 'auto'
     RETURNING ${COLUMNS}`,
    [content.week, content.subject, JSON.stringify(content)],
  );
  if (rows[0]) return { issue: toIssue(rows[0]), written: true };
  const existing = await readIssueByWeek(db, content.week);
  if (!existing) throw new Error(`issue ${content.week} vanished while composing`);
  return { issue: existing, written: false };
}

export async function readIssue(db: Queryable, id: number): Promise<StoredIssue | undefined> {
  const { rows } = await db.query<IssueRow>(`SELECT ${COLUMNS} FROM issues WHERE id = $1`, [id]);
  return rows[0] ? toIssue(rows[0]) : undefined;
}

export async function readIssueByWeek(db: Queryable, week: string): Promise<StoredIssue | undefined> {
  const { rows } = await db.query<IssueRow>(`SELECT ${COLUMNS} FROM issues WHERE week = $1`, [week]);
  return rows[0] ? toIssue(rows[0]) : undefined;
}

export interface ArchiveEntry {
  week: string;
  subject: string;
  weekLabel: string;
  headline: string;
  sentAt: Date | null;
  /** Composed from demo weeks (frozen in the issue). */
  demo: boolean;
}

/** Issues that have gone out (sending or sent), newest first: the archive. */
export async function listArchive(db: Queryable, limit = 200): Promise<ArchiveEntry[]> {
  const { rows } = await db.query<{ week: string; subject: string; week_label: string | null; headline: string | null; sent_at: Date | null; demo: boolean }>(
    `SELECT week, subject, content->>'weekLabel' AS week_label, content->'headline'->>'text' AS headline, sent_at,
            coalesce((content->>'demo')::boolean, false) AS demo
       FROM issues WHERE status <> 'draft' ORDER BY week DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ week: r.week, subject: r.subject, weekLabel: r.week_label ?? r.week, headline: r.headline ?? '', sentAt: r.sent_at, demo: r.demo }));
}

/** An issue the archive may show: it has gone out. Drafts stay private. */
export async function readArchivedIssue(db: Queryable, week: string): Promise<StoredIssue | undefined> {
  const issue = await readIssueByWeek(db, week);
  return issue && issue.status !== 'draft' ? issue : undefined;
}

/**
 * Compose `week` from the snapshot (the week, the one before, and the weeks
 * up to it) and store it. Throws ComposeError when the week has no postings
 * or no snapshot.
 */
export async function composeWeek(db: Queryable, week: string, publicUrl: string): Promise<SaveResult> {
  const current = await readWeek(db, week);
  if (!current) throw new ComposeError(`week ${week} has no snapshot: run \`digest snapshot --week ${week}\` first`);
  const previous = await readWeek(db, previousWeek(week));
  const history = (await readHistory(db)).filter((h) => h.week <= week);
  const demo = await demoInWeek(db, week);
  return saveIssue(db, composeIssue({ week, current, previous, history, publicUrl, demo }));
}

/** The comparison index: where a bad or unknown click token lands. */
export const CLICK_FALLBACK = '/compare';

export interface ClickOutcome {
  /** A site path to redirect to (302). */
  location: string;
  /** True when this request stored the first click of (issue, subscriber, link). */
  recorded: boolean;
  /** Why the fallback was used, for logs. */
  reason?: 'bad-token' | 'unknown-link';
}

/**
 * The logic of `GET /l/:token`: verify the token, look the target up in the
 * issue's frozen link list, record the first click per (issue, subscriber,
 * link) and say where to redirect. Never throws for a bad token.
 */
export async function resolveClick(db: Queryable, secret: string, token: string): Promise<ClickOutcome> {
  const ref = parseClickToken(secret, token);
  if (!ref) return { location: CLICK_FALLBACK, recorded: false, reason: 'bad-token' };
  const { rows } = await db.query<{ path: unknown }>(
    `SELECT l->>'path' AS path
       FROM issues, jsonb_array_elements(issues.content->'links') AS l
      WHERE issues.id = $1 AND l->>'id' = $2`,
    [ref.issueId, ref.linkId],
  );
  const path = rows[0]?.path;
  if (!isSitePath(path)) return { location: CLICK_FALLBACK, recorded: false, reason: 'unknown-link' };
  // The subscriber may have been erased since the mail went out: redirect anyway, record nothing.
  const ins = await db.query(
    `INSERT INTO clicks (issue_id, subscriber_id, link_id)
     SELECT $1, id, $3 FROM subscribers WHERE id = $2
     ON CONFLICT DO NOTHING`,
    [ref.issueId, ref.subscriberId, ref.linkId],
  );
  return { location: path, recorded: ins.rowCount === 1 };
}

export interface FeedIssue {
  id: number;
  week: string;
  content: IssueContent;
  composedAt: Date;
  /** When it went out: sent, else enqueued (still sending). */
  publishedAt: Date;
}

/**
 * Every issue that has gone out, newest first: the feeds. Without
 * `withContent` only the fields that tell whether anything changed are read.
 */
export async function listFeedIssues(db: Queryable, opts: { withContent?: boolean } = {}): Promise<FeedIssue[]> {
  const { rows } = await db.query<{ id: number; week: string; content: IssueContent | null; composed_at: Date; published_at: Date }>(
    `SELECT id, week, ${opts.withContent ? 'content' : 'NULL::jsonb AS content'}, composed_at, COALESCE(sent_at, enqueued_at, composed_at) AS published_at
       FROM issues WHERE status <> 'draft' ORDER BY week DESC`,
  );
  return rows.map((r) => ({ id: r.id, week: r.week, content: r.content as IssueContent, composedAt: r.composed_at, publishedAt: r.published_at }));
}

export type ApprovalState = 'auto' | 'pending' | 'approved' | 'discarded';

/** Where a week's issue stands for the weekly job and the review: status, enqueued yet, approval. */
export async function readIssueState(
  db: Queryable,
  week: string,
): Promise<{ id: number; status: IssueStatus; enqueued: boolean; approval: ApprovalState } | undefined> {
  const { rows } = await db.query<{ id: number; status: IssueStatus; enqueued: boolean; approval: ApprovalState }>(
    `SELECT id, status, enqueued_at IS NOT NULL AS enqueued, approval FROM issues WHERE week = $1`,
    [week],
  );
  const r = rows[0];
  return r ? { id: Number(r.id), status: r.status, enqueued: r.enqueued, approval: r.approval } : undefined;
}

/** auto -> pending (held for review, proofs sent now), while it is not enqueued. True when this call held it. */
export async function markHeldForReview(db: Queryable, issueId: number): Promise<boolean> {
  const res = await db.query(
    `UPDATE issues SET approval = 'pending', proof_sent_at = now() WHERE id = $1 AND approval = 'auto' AND enqueued_at IS NULL`,
    [issueId],
  );
  return (res.rowCount ?? 0) > 0;
}

/** The one reminder of a held issue. True when this call took it. */
export async function markReminded(db: Queryable, issueId: number): Promise<boolean> {
  const res = await db.query(`UPDATE issues SET reminded_at = now() WHERE id = $1 AND approval = 'pending' AND reminded_at IS NULL`, [issueId]);
  return (res.rowCount ?? 0) > 0;
}

/** pending -> approved or discarded, by whom. Answers the issue id, or undefined when it was not pending. */
export async function decideIssue(db: Queryable, week: string, decision: 'approved' | 'discarded', by: string): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE issues SET approval = $3, decided_at = now(), decided_by = $2 WHERE week = $1 AND approval = 'pending' RETURNING id`,
    [week, by, decision],
  );
  return rows[0] ? Number(rows[0].id) : undefined;
}

/** The newest issue that went out and has the shifts the welcome mail quotes. */
export async function latestIssueWithShifts(db: Queryable): Promise<IssueContent | undefined> {
  const { rows } = await db.query<{ content: IssueContent }>(
    `SELECT content FROM issues WHERE status <> 'draft' AND content ? 'shifts' ORDER BY week DESC LIMIT 1`,
  );
  return rows[0]?.content;
}

export interface ReviewedIssue {
  id: number;
  week: string;
  subject: string;
  status: string;
  approval: ApprovalState;
  decidedAt: Date | null;
  decidedBy: string | null;
  proofSentAt: Date | null;
  remindedAt: Date | null;
  content: IssueContent;
}

/** An issue with its review fields (/admin/issues/:week). */
export async function readReviewedIssue(db: Queryable, week: string): Promise<ReviewedIssue | undefined> {
  const { rows } = await db.query<{
    id: number; week: string; subject: string; status: string; approval: ApprovalState; decided_at: Date | null; decided_by: string | null;
    proof_sent_at: Date | null; reminded_at: Date | null; content: IssueContent;
  }>(
    `SELECT id, week, subject, status, approval, decided_at, decided_by, proof_sent_at, reminded_at, content FROM issues WHERE week = $1`,
    [week],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id), week: r.week, subject: r.subject, status: r.status, approval: r.approval, decidedAt: r.decided_at,
    decidedBy: r.decided_by, proofSentAt: r.proof_sent_at, remindedAt: r.reminded_at, content: r.content,
  };
}

/** The newest `limit` issues that were enqueued, by week (/metrics). */
export async function listEnqueuedIssues(db: Queryable, limit: number): Promise<{ id: number; week: string }[]> {
  const { rows } = await db.query<{ id: number; week: string }>(
    `SELECT id, week FROM issues WHERE enqueued_at IS NOT NULL ORDER BY week DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ id: Number(r.id), week: r.week }));
}
