// GET /admin/issues/:week: one issue for its operator. Its figures from the
// counters (src/digest/analytics.ts), clicks per link, followers per role,
// and, while it waits for review, the proof as each segment of readers would
// get it with Approve and Discard (POST, admin token in the form: a page on
// another site cannot know it). Read-only otherwise, no script.
import type { Db } from '../db/database.ts';
import { clickRate, linkFigures, readIssueCounts, type IssueCounts, type LinkFigure } from '../digest/analytics.ts';
import type { IssueContent } from '../digest/content.ts';
import { readReviewedIssue, type ReviewedIssue } from '../digest/store.ts';
import { roleBySlug } from '../roles/catalog.ts';
import { readerSegments } from '../subscribers/store.ts';
import { count as n } from '../stats/figures.ts';
import { Layout, renderDocument, ScrollTable } from '../ui/layout.tsx';

/** The issue as its review left it (without its content), with what was sent and clicked. */
export interface AdminIssue extends Omit<ReviewedIssue, 'content'> {
  counts: IssueCounts;
  links: LinkFigure[];
  /** Readers by the set of roles they follow (the segments a proof is shown for), largest first. */
  segments: { roles: string[]; readers: number }[];
}

const SEGMENTS_SHOWN = 20;

export async function readAdminIssue(pool: Pick<Db, 'query'>, week: string): Promise<AdminIssue | undefined> {
  const r = await readReviewedIssue(pool, week);
  if (!r) return undefined;
  const id = Number(r.id);
  const [counts, segments] = await Promise.all([
    readIssueCounts(pool, [id]),
    readerSegments(pool, SEGMENTS_SHOWN),
  ]);
  const c = counts.get(id)!;
  return {
    id, week: r.week, subject: r.subject, status: r.status, approval: r.approval, decidedAt: r.decidedAt, decidedBy: r.decidedBy,
    proofSentAt: r.proofSentAt, remindedAt: r.remindedAt, counts: c,
    links: linkFigures(Array.isArray(r.content?.links) ? r.content.links : [], c.links),
    segments: segments.map((s) => ({ roles: s.roles, readers: s.readers })),
  };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '');
const segmentName = (roles: string[]) => (roles.length === 0 ? 'All roles (follows none in particular)' : roles.map((r) => roleBySlug(r)?.name ?? r).join(', '));

export interface AdminIssueView {
  issue: AdminIssue;
  /** The admin token, for the Approve and Discard forms and the proof links. */
  token: string;
  trackOpens: boolean;
  /** A notice after a decision (from the redirect). */
  notice?: string | undefined;
}

function Figures({ c, trackOpens }: { c: IssueCounts; trackOpens: boolean }) {
  const rate = clickRate(c);
  const rows: [string, string][] = [
    ['Queued or sending', n(c.queued + c.sending)],
    ['Sent', n(c.sent)],
    ['Delivered (provider)', n(c.delivered)],
    ['Hard bounces', n(c.bouncedHard)],
    ['Soft bounces', n(c.bouncedSoft)],
    ['Complaints', n(c.complained)],
    ['Failed', n(c.failed)],
    ['Left out (address suppressed or gone before its batch)', n(c.suppressed)],
    ['Readers who clicked', rate ? `${n(c.clickers)} of ${n(rate.of)} sent (${pct(rate.rate)})` : n(c.clickers)],
    ['First clicks, all links', n(c.clicks)],
    ['Unsubscribes through this issue', n(c.unsubscribed)],
  ];
  if (trackOpens) rows.push(['Opens (inflated: mail privacy proxies open every mail they fetch)', n(c.opened)]);
  return (
    <ScrollTable label="Figures of the issue">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="num">{v}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

function Review({ issue, token }: { issue: AdminIssue; token: string }) {
  const base = `/admin/issues/${issue.week}`;
  return (
    <>
      <h2>Waiting for review</h2>
      <p>
        Proofs went to the reviewers {when(issue.proofSentAt)}
        {issue.remindedAt ? `; reminded ${when(issue.remindedAt)}` : ''}. Nothing has gone to readers. Look at the issue as each
        group of readers gets it, then approve or discard.
      </p>
      <ul>
        {issue.segments.map((s) => (
          <li key={s.roles.join(',')}>
            <a href={`${base}/proof?roles=${encodeURIComponent(s.roles.join(','))}&token=${encodeURIComponent(token)}`}>{segmentName(s.roles)}</a>: {n(s.readers)}{' '}
            {s.readers === 1 ? 'reader' : 'readers'}
          </li>
        ))}
      </ul>
      <form method="post" action={`${base}/approve`}>
        <input type="hidden" name="token" value={token} />
        <button type="submit">Approve and send to readers</button>
      </form>
      <form method="post" action={`${base}/discard`}>
        <input type="hidden" name="token" value={token} />
        <button type="submit">Discard (nobody receives it)</button>
      </form>
    </>
  );
}

export function renderAdminIssuePage({ issue, token, trackOpens, notice }: AdminIssueView): string {
  const clicked = issue.links.filter((l) => l.clicks > 0);
  const followers = Object.entries(issue.counts.followers).sort(([, a], [, b]) => b - a);
  return renderDocument(
    <Layout title={`Issue ${issue.week}`} description={`Operator view of the ${issue.week} issue.`}>
      <h1>Issue {issue.week}</h1>
      {notice ? <p role="status"><b>{notice}</b></p> : null}
      <p>
        {issue.subject}
        <br />
        Status: {issue.status}; review: {issue.approval}
        {issue.decidedAt ? ` (${when(issue.decidedAt)} by ${issue.decidedBy ?? 'unknown'})` : ''}.
      </p>
      {issue.approval === 'pending' ? <Review issue={issue} token={token} /> : null}
      <h2>Figures</h2>
      <Figures c={issue.counts} trackOpens={trackOpens} />
      <h2>Clicks per link</h2>
      <p className="muted">First clicks: one per reader and link. {n(issue.links.length - clicked.length)} other links have none.</p>
      {clicked.length > 0 ? (
        <ScrollTable label="Clicks per link">
          <thead>
            <tr><th scope="col">Link</th><th scope="col" className="num">Clicks</th><th scope="col">Page</th></tr>
          </thead>
          <tbody>
            {clicked.map((l) => (
              <tr key={l.id}><th scope="row">{l.label}</th><td className="num">{n(l.clicks)}</td><td>{l.path || 'not in the issue'}</td></tr>
            ))}
          </tbody>
        </ScrollTable>
      ) : null}
      <h2>Followers per role</h2>
      <p className="muted">Recipients of this issue following each role when it was queued; a reader may follow several.</p>
      {followers.length === 0 ? (
        <p>Not queued yet, or no recipient follows a particular role.</p>
      ) : (
        <ScrollTable label="Followers per role">
          <tbody>
            {followers.map(([role, count]) => (
              <tr key={role}><th scope="row">{roleBySlug(role)?.name ?? role}</th><td className="num">{n(count)}</td></tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </Layout>,
  );
}
