// Review before send (DIGEST_APPROVAL=manual). The week's job composes the
// issue and, instead of enqueueing it, holds it: approval 'pending', a proof
// (the real mail, marked as a proof) to every reviewer through the
// transactional path (never the readers' ledger), and a reminder job due
// after DIGEST_APPROVAL_REMIND. Approving enqueues the issue once (a
// compare-and-set on `approval`, and enqueueing is idempotent besides);
// discarding leaves it a draft that nobody receives. docs/review-before-send.md.
import { randomUUID } from 'node:crypto';
import { withTransaction, type Db, type DbClient } from '../db/database.ts';
import { enqueueIssueIn, enqueueTransactional, type EnqueueResult } from '../delivery/enqueue.ts';
import { QUEUES, clientDb, type Boss } from '../delivery/queue.ts';
import { fillRecipient } from './render.ts';
import { recipientUrls, type DigestRenderer } from './renderer.ts';
import { decideIssue, markHeldForReview, markReminded, readIssue, readIssueByWeek, readIssueState, type ApprovalState, type StoredIssue } from './store.ts';

export type { ApprovalState } from './store.ts';

export interface ReviewDeps {
  pool: Db;
  boss: Boss;
  renderer: Pick<DigestRenderer, 'compiledFor'>;
  secret: string;
  publicUrl: string;
  mode: 'auto' | 'manual';
  reviewers: string[];
  remindSeconds: number;
}

export interface ReminderJob {
  issueId: number;
}

/** The proof of an issue as readers following `roles` get it, marked as a proof; its links record nothing (reader 0 does not exist). */
export async function renderProof(deps: Pick<ReviewDeps, 'renderer' | 'secret' | 'publicUrl'>, issue: StoredIssue, roles: readonly string[] = []) {
  const compiled = await deps.renderer.compiledFor(issue.id, roles);
  const mail = fillRecipient(compiled, recipientUrls(deps.publicUrl, deps.secret, issue, 0));
  const review = `${deps.publicUrl}/admin/issues/${issue.week}`;
  const note = `PROOF for review, not sent to readers. ${issue.week}: approve or discard at ${review} or with \`digest approve ${issue.week}\` / \`digest discard ${issue.week}\`.`;
  const banner = `<div style="background:#fef3c7;color:#111827;font:14px/20px Arial,Helvetica,sans-serif;padding:12px 16px;text-align:center">${note
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')}</div>`;
  return {
    subject: `[Proof] ${mail.subject}`,
    html: mail.html.replace(/<body([^>]*)>/i, (m) => `${m}${banner}`),
    text: `${note}\n\n${mail.text}`,
  };
}

async function queueProof(client: DbClient, deps: ReviewDeps, issue: StoredIssue, to: string, dedupeKey: string, kind: 'proof' | 'review-reminder') {
  const proof = await renderProof(deps, issue);
  const subject = kind === 'review-reminder' ? `Reminder: ${issue.week} is waiting for review · ${proof.subject}` : proof.subject;
  return enqueueTransactional(client, deps.boss, { dedupeKey, kind, subscriberId: null, to, subject, html: proof.html, text: proof.text });
}

/**
 * Hold a composed, not yet enqueued issue for review: proofs to the
 * reviewers and the reminder job, once (a second call finds it pending).
 * True when this call held it.
 */
export async function holdForReview(deps: ReviewDeps, issueId: number): Promise<boolean> {
  const issue = await readIssue(deps.pool, issueId);
  if (!issue) throw new Error(`issue ${issueId} does not exist`);
  // Rendered before the transaction: on PGlite nothing may await the pool inside one.
  await deps.renderer.compiledFor(issue.id, []);
  return withTransaction(deps.pool, async (client) => {
    if (!(await markHeldForReview(client, issueId))) return false;
    for (const to of deps.reviewers) await queueProof(client, deps, issue, to, `proof:${issueId}:${to.toLowerCase()}`, 'proof');
    await deps.boss.send(QUEUES.reviewReminder, { issueId } satisfies ReminderJob, {
      startAfter: Math.max(1, Math.round(deps.remindSeconds)),
      singletonKey: String(issueId),
      db: clientDb(client),
    });
    return true;
  });
}

/** The reminder job: the reviewers once more, if the issue still waits. True when it sent. */
export async function remindReviewers(deps: ReviewDeps, issueId: number): Promise<boolean> {
  const issue = await readIssue(deps.pool, issueId);
  if (!issue) return false;
  await deps.renderer.compiledFor(issue.id, []);
  return withTransaction(deps.pool, async (client) => {
    if (!(await markReminded(client, issueId))) return false;
    for (const to of deps.reviewers) await queueProof(client, deps, issue, to, `review-reminder:${issueId}:${to.toLowerCase()}`, 'review-reminder');
    return true;
  });
}

export type DecisionOutcome =
  | { kind: 'approved'; enqueue: EnqueueResult }
  | { kind: 'discarded' }
  /** Nothing changed: it was decided before (or never waited). */
  | { kind: 'unchanged'; approval: ApprovalState; status: string }
  | { kind: 'unknown' };

/** Approve the week's issue: enqueue it for every reader, once however often (or concurrently) it is approved. */
export async function approveIssue(deps: Pick<ReviewDeps, 'pool' | 'boss'>, week: string, by: string): Promise<DecisionOutcome> {
  // One transaction: a concurrent approval waits on the row until this one
  // has enqueued, so it reports the issue sending, never a draft.
  const enqueue = await withTransaction(deps.pool, async (client) => {
    const id = await decideIssue(client, week, 'approved', by);
    return id === undefined ? undefined : enqueueIssueIn(client, deps.boss, id);
  });
  return enqueue ? { kind: 'approved', enqueue } : unchanged(deps.pool, week);
}

/** Discard the week's issue: it stays a draft, out of the archive, and nobody receives it. */
export async function discardIssue(deps: Pick<ReviewDeps, 'pool'>, week: string, by: string): Promise<DecisionOutcome> {
  return (await decideIssue(deps.pool, week, 'discarded', by)) !== undefined ? { kind: 'discarded' } : unchanged(deps.pool, week);
}

async function unchanged(pool: Db, week: string): Promise<DecisionOutcome> {
  const state = await readIssueState(pool, week);
  return state ? { kind: 'unchanged', approval: state.approval, status: state.status } : { kind: 'unknown' };
}

/** `digest send --week W --to ADDRESS`: a proof to anyone, any time; the readers' ledger is not touched. Answers the mail id. */
export async function sendProofTo(deps: ReviewDeps, week: string, to: string): Promise<number> {
  const issue = await readIssueByWeek(deps.pool, week);
  if (!issue) throw new Error(`no issue for ${week}: run \`digest compose --week ${week}\` first`);
  await deps.renderer.compiledFor(issue.id, []);
  const id = await withTransaction(deps.pool, (client) => queueProof(client, deps, issue, to, `proof:${issue.id}:${to.toLowerCase()}:${randomUUID()}`, 'proof'));
  return id!;
}

export async function readApproval(pool: Pick<Db, 'query'>, week: string): Promise<{ id: number; approval: ApprovalState; enqueued: boolean } | undefined> {
  const state = await readIssueState(pool, week);
  return state ? { id: state.id, approval: state.approval, enqueued: state.enqueued } : undefined;
}

/** What `digest approve|discard W` prints. */
export function decisionLine(week: string, r: DecisionOutcome): string {
  switch (r.kind) {
    case 'approved':
      return `${week}: approved; ${r.enqueue.recipients.toLocaleString('en-US')} readers queued${r.enqueue.created ? '' : ' (it had been queued before)'}`;
    case 'discarded':
      return `${week}: discarded; nobody receives it`;
    case 'unchanged':
      return `${week}: nothing to decide (approval ${r.approval}, status ${r.status})`;
    case 'unknown':
      return `${week}: no such issue`;
  }
}
