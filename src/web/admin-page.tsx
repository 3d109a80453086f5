// GET /admin: the operator's view of sending. Per issue: readers queued,
// sent, failed, suppressed; bounces, complaints and clicks from webhooks and
// redirects; plus readers by status. Read-only.
import type { Db } from '../db/database.ts';
import { Layout, renderDocument, ScrollTable } from './pages/layout.tsx';

export interface AdminIssueRow {
  week: string;
  subject: string;
  status: string;
  queued: number;
  sent: number;
  failed: number;
  suppressed: number;
  delivered: number;
  bounced: number;
  complained: number;
  clicked: number;
}

export interface AdminOverview {
  issues: AdminIssueRow[];
  readers: { status: string; n: number }[];
  latestWeek: string | null;
}

export async function readAdminOverview(pool: Db): Promise<AdminOverview> {
  const issues = await pool.query<AdminIssueRow>(
    `SELECT i.week, i.subject, i.status,
            count(*) FILTER (WHERE d.status IN ('queued', 'sending'))::int AS queued,
            count(*) FILTER (WHERE d.status = 'sent')::int AS sent,
            count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
            count(*) FILTER (WHERE d.status = 'suppressed')::int AS suppressed,
            count(d.delivered_at)::int AS delivered,
            count(d.bounced_at)::int AS bounced,
            count(d.complained_at)::int AS complained,
            (SELECT count(DISTINCT c.subscriber_id)::int FROM clicks c WHERE c.issue_id = i.id) AS clicked
       FROM issues i LEFT JOIN deliveries d ON d.issue_id = i.id
      GROUP BY i.id ORDER BY i.week DESC LIMIT 26`,
  );
  const readers = await pool.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM subscribers GROUP BY status ORDER BY status',
  );
  const latest = await pool.query<{ week: string | null }>('SELECT max(week) AS week FROM weeks');
  return { issues: issues.rows, readers: readers.rows, latestWeek: latest.rows[0]?.week ?? null };
}

export function renderAdminPage(o: AdminOverview): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return renderDocument(
    <Layout title="Sending overview" description="Operator view of issues, deliveries and readers.">
      <h1>Sending overview</h1>
      <p>Latest snapshotted week: {o.latestWeek ?? 'none yet'}.</p>
      <h2>Readers</h2>
      <ul>
        {o.readers.length === 0 ? <li>No readers yet.</li> : o.readers.map((r) => <li key={r.status}>{r.status}: {n(r.n)}</li>)}
      </ul>
      <h2>Issues</h2>
      {o.issues.length === 0 ? (
        <p>No issue composed yet. Run <code>digest compose</code> or wait for the schedule.</p>
      ) : (
        <ScrollTable label="Issues and their deliveries">
          <thead>
            <tr>
              <th scope="col">Week</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Queued</th>
              <th scope="col">Sent</th><th scope="col">Failed</th><th scope="col">Suppressed</th><th scope="col">Delivered</th>
              <th scope="col">Bounced</th><th scope="col">Complaints</th><th scope="col">Readers who clicked</th>
            </tr>
          </thead>
          <tbody>
            {o.issues.map((i) => (
              <tr key={i.week}>
                <th scope="row">{i.week}</th><td>{i.subject}</td><td>{i.status}</td><td>{n(i.queued)}</td><td>{n(i.sent)}</td>
                <td>{n(i.failed)}</td><td>{n(i.suppressed)}</td><td>{n(i.delivered)}</td><td>{n(i.bounced)}</td>
                <td>{n(i.complained)}</td><td>{n(i.clicked)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </Layout>,
  );
}
