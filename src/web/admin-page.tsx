// GET /admin: the operator's view of sending. The queue (pg-boss jobs and our
// ledger, the same figures as /healthz), readers by status and their growth
// by week, and per issue: sent, delivered, bounced, complained, failed, and
// first clicks per link. Read-only, server-rendered, no script.
import type { Db } from '../db/database.ts';
import { count as n } from '../stats/figures.ts';
import { TrendChart } from './chart.tsx';
import {
  JOB_STATES,
  readIssueSummaries,
  readLatestWeek,
  readLinkClicks,
  readQueueDepth,
  readSubscriberGrowth,
  readSubscribersByStatus,
  type GrowthWeek,
  type IssueSummary,
  type LinkClicks,
  type QueueDepth,
} from './ops-queries.ts';
import { Layout, renderDocument, ScrollTable, type SiteNotice } from '../ui/layout.tsx';
import { readSuppressionList, type SuppressedReader } from '../subscribers/suppression.ts';

/** Suppressed addresses listed on the page (the export has them all). */
const SUPPRESSED_SHOWN = 100;

/** Issues shown, newest first: half a year of weekly issues. */
const ISSUES_SHOWN = 26;
/** Weeks of reader growth in the chart. */
const GROWTH_WEEKS = 26;

export interface AdminOverview {
  issues: (IssueSummary & { links: LinkClicks[] })[];
  readers: { status: string; n: number }[];
  growth: GrowthWeek[];
  queue: QueueDepth;
  latestWeek: string | null;
  suppressed: SuppressedReader[];
}

export async function readAdminOverview(pool: Db): Promise<AdminOverview> {
  const [issues, readers, growth, queue, latestWeek, suppressed] = await Promise.all([
    readIssueSummaries(pool, ISSUES_SHOWN),
    readSubscribersByStatus(pool),
    readSubscriberGrowth(pool, GROWTH_WEEKS),
    readQueueDepth(pool),
    readLatestWeek(pool),
    readSuppressionList(pool, 'suppressed', SUPPRESSED_SHOWN),
  ]);
  const links = await readLinkClicks(pool, issues.map((i) => i.id));
  return { issues: issues.map((i) => ({ ...i, links: links.get(i.id) ?? [] })), readers, growth, queue, latestWeek, suppressed };
}


/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": an age a person reads at a glance. */
function formatAge(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

const STATE_LABELS: Record<(typeof JOB_STATES)[number], string> = {
  created: 'Waiting',
  retry: 'Retrying',
  active: 'Running',
  failed: 'Failed',
};

function QueueSection({ q }: { q: QueueDepth }) {
  return (
    <>
      <h2>Queue</h2>
      <p>
        Jobs waiting or running: <b>{n(q.depth)}</b>. Delivery batches not done: {n(q.batches.queued)} queued,{' '}
        {n(q.batches.sending)} sending; oldest {q.batches.oldestAgeSeconds == null ? 'none' : formatAge(q.batches.oldestAgeSeconds)}.
        Transactional mails not sent: {n(q.transactional.queued)} queued, {n(q.transactional.sending)} sending.
      </p>
      {q.jobs === null ? (
        <p className="muted">The job queue has no tables yet: they appear when the service or a worker first starts.</p>
      ) : (
        <ScrollTable label="Jobs by queue">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              {JOB_STATES.map((s) => (
                <th scope="col" className="num" key={s}>{STATE_LABELS[s]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Object.entries(q.jobs).map(([name, counts]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                {JOB_STATES.map((s) => (
                  <td className="num" key={s} data-label={STATE_LABELS[s]}>{n(counts[s])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </>
  );
}

function ReadersSection({ readers, growth }: { readers: AdminOverview['readers']; growth: GrowthWeek[] }) {
  return (
    <>
      <h2>Readers</h2>
      <ul>
        {readers.length === 0 ? <li>No readers yet.</li> : readers.map((r) => <li key={r.status}>{r.status}: {n(r.n)}</li>)}
      </ul>
      <h3>Growth by week</h3>
      {growth.length === 0 ? (
        <p>No reader has confirmed yet.</p>
      ) : (
        <>
          <p className="muted">
            Weeks are ISO weeks in UTC. Active readers are those confirmed by the end of the week and not unsubscribed
            or suppressed by then; erased readers keep no dates and are left out.
          </p>
          <TrendChart
            id="growth"
            title="Readers by week"
            weeks={growth.map((g) => g.week)}
            series={[
              { label: 'Active readers', values: growth.map((g) => g.active) },
              { label: 'Confirmed that week', values: growth.map((g) => g.confirmed) },
            ]}
            format={n}
          />
        </>
      )}
    </>
  );
}

function IssuesSection({ issues, token }: { issues: AdminOverview['issues']; token: string | undefined }) {
  if (issues.length === 0) {
    return (
      <>
        <h2>Issues</h2>
        <p>No issue composed yet. Run <code>digest compose</code> or wait for the schedule.</p>
      </>
    );
  }
  return (
    <>
      <h2>Issues</h2>
      {/* Counts only, the ones people look for first: on a phone they are what fits. Subjects are under Clicks per link. */}
      <ScrollTable label="Issues and their deliveries">
        <thead>
          <tr>
            <th scope="col">Week</th><th scope="col">Status</th><th scope="col" className="num">Sent</th>
            <th scope="col" className="num">Delivered</th><th scope="col" className="num">Bounced</th><th scope="col" className="num">Complaints</th>
            <th scope="col" className="num">Failed</th><th scope="col" className="num">Clicks</th><th scope="col" className="num">Readers who clicked</th>
            <th scope="col" className="num">Queued</th><th scope="col" className="num">Suppressed</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((i) => (
            <tr key={i.week}>
              <th scope="row"><a href={`/admin/issues/${i.week}${token ? `?token=${encodeURIComponent(token)}` : ''}`}>{i.week}</a></th><td data-label="Status">{i.status}</td><td className="num" data-label="Sent">{n(i.counts.sent)}</td>
              <td className="num" data-label="Delivered">{n(i.counts.delivered)}</td><td className="num" data-label="Bounced">{n(i.counts.bounced)}</td>
              <td className="num" data-label="Complaints">{n(i.counts.complained)}</td><td className="num" data-label="Failed">{n(i.counts.failed)}</td>
              <td className="num" data-label="Clicks">{n(i.counts.clicks)}</td><td className="num" data-label="Readers who clicked">{n(i.counts.clickers)}</td>
              <td className="num" data-label="Queued">{n(i.counts.queued)}</td><td className="num" data-label="Suppressed">{n(i.counts.suppressed)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <h3>Subjects and clicks per link</h3>
      <p className="muted">First clicks: one per reader and link, however often the reader came back.</p>
      {issues.map((i, at) => {
        // An issue links every role and many pairs (80 or so): list the clicked
        // ones and count the rest, so the table stays about what readers chose.
        const clicked = i.links.filter((l) => l.clicks > 0);
        const unclicked = i.links.length - clicked.length;
        return (
          // The newest issue is open; older ones fold away so the page stays short.
          <details key={i.week} open={at === 0} id={`links-${i.week}`}>
            <summary>
              {i.week}: {n(i.counts.clicks)} {i.counts.clicks === 1 ? 'click' : 'clicks'} on {n(clicked.length)} of {n(i.links.length)}{' '}
              {i.links.length === 1 ? 'link' : 'links'}
            </summary>
            <p>Subject: {i.subject}</p>
            {clicked.length > 0 ? (
              <ScrollTable label={`Clicks per link, ${i.week}`}>
                <thead>
                  <tr>
                    <th scope="col">Link</th><th scope="col" className="num">Clicks</th><th scope="col">Page</th>
                  </tr>
                </thead>
                <tbody>
                  {clicked.map((l) => (
                    <tr key={l.linkId}>
                      <th scope="row">{l.label ?? l.linkId}</th><td className="num" data-label="Clicks">{n(l.clicks)}</td>
                      <td data-label="Page">{l.path ?? 'not in the issue'}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            ) : null}
            <p className="muted">
              {i.links.length === 0
                ? 'This issue has no tracked links.'
                : clicked.length === 0
                  ? `No clicks yet on any of its ${n(i.links.length)} ${i.links.length === 1 ? 'link' : 'links'}.`
                  : unclicked > 0
                    ? `No clicks yet on the other ${n(unclicked)} ${unclicked === 1 ? 'link' : 'links'}.`
                    : 'Every link has been clicked.'}
            </p>
          </details>
        );
      })}
    </>
  );
}

function SuppressedSection({ rows }: { rows: SuppressedReader[] }) {
  const complaints = rows.filter((r) => r.status === 'complained');
  const bounces = rows.filter((r) => r.status !== 'complained');
  const table = (label: string, list: SuppressedReader[]) =>
    list.length === 0 ? (
      <p>None.</p>
    ) : (
      <ScrollTable label={label}>
        <thead>
          <tr><th scope="col">Address</th><th scope="col">Reason</th><th scope="col">Since</th></tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.email}><th scope="row">{r.email}</th><td>{r.reason}</td><td>{r.since.toISOString().slice(0, 10)}</td></tr>
          ))}
        </tbody>
      </ScrollTable>
    );
  return (
    <>
      <h2>Suppression list</h2>
      <p className="muted">
        Addresses that get nothing more, newest first (up to {SUPPRESSED_SHOWN}; <code>digest subscribers export --status suppressed</code> lists them all).
      </p>
      <h3>Complaints</h3>
      {table('Suppressed after a complaint', complaints)}
      <h3>Bounces</h3>
      {table('Suppressed after bounces', bounces)}
    </>
  );
}

/** `token`: carried in the links to each issue's page, for an operator who came with `?token=`. */
export function renderAdminPage(o: AdminOverview, token?: string, notice?: SiteNotice): string {
  return renderDocument(
    <Layout title="Sending overview" description="Operator view of the queue, issues, deliveries and readers.">
      <h1>Sending overview</h1>
      <p>Latest snapshotted week: {o.latestWeek ?? 'none yet'}.</p>
      <QueueSection q={o.queue} />
      <ReadersSection readers={o.readers} growth={o.growth} />
      <IssuesSection issues={o.issues} token={token} />
      <SuppressedSection rows={o.suppressed} />
    </Layout>,
    notice,
  );
}
