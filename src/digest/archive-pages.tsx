// The archive: `GET /issues` lists every issue that went out; `GET
// /issues/:week` shows one as its web version ("view in browser"): the same
// compiled template as the mail, with plain site links and no personal ones
// (no tracking token, no unsubscribe or preferences link).
import type pg from 'pg';
import { Layout, NO_NOTICE, renderDocument, type SiteNotice } from '../ui/layout.tsx';
import type { IssueContent } from './content.ts';
import { renderWebVersion, type RenderOptions } from './render.ts';
import { listArchive, readArchivedIssue, type ArchiveEntry } from './store.ts';

/**
 * The web version carries the mail's inline styles, which the site's strict
 * CSP (style hashes only) would block. Styles only: scripts, frames and
 * everything else stay forbidden.
 */
export const ARCHIVE_ISSUE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function ArchiveIndexPage({ publicUrl, issues }: { publicUrl: string; issues: readonly ArchiveEntry[] }) {
  return (
    <Layout
      title="Past issues of the AI salary trends digest"
      description="Every weekly issue of the Track AI Salary Trends digest: pay shifts, movers and featured role comparisons."
      canonical={`${publicUrl}/issues`}
    >
      <h1>Past issues</h1>
      <p className="lede">Each weekly digest as it was sent, with the figures of its week.</p>
      {issues.length === 0 ? (
        <p>No issue has gone out yet. The first one is sent after the first full tracked week.</p>
      ) : (
        <ol className="issues" reversed>
          {issues.map((i) => (
            <li key={i.week}>
              <a href={`/issues/${i.week}`}>
                <strong>{i.week}</strong> · {i.weekLabel}
              </a>
              <br />
              {i.subject}
              {i.sentAt ? <small> (sent {dateFmt.format(i.sentAt)})</small> : null}
              {i.demo ? <small> · demo data: generated postings, not real openings</small> : null}
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}

function renderArchiveIndex(publicUrl: string, issues: readonly ArchiveEntry[], notice: SiteNotice = NO_NOTICE): string {
  return renderDocument(<ArchiveIndexPage publicUrl={publicUrl} issues={issues} />, notice);
}

/** One issue's web version, a whole HTML document. */
export function renderArchiveIssue(content: IssueContent, opts: RenderOptions): Promise<string> {
  return renderWebVersion(content, opts);
}

export interface Archive {
  /** HTML of `GET /issues`. */
  index(notice?: SiteNotice): Promise<string>;
  /**
   * HTML of `GET /issues/:week`, or undefined (404) for an unknown week or an issue that has not gone out.
   * An issue composed from demo weeks says so from its frozen content; while the site shows demo data, every issue does.
   */
  issue(week: string, notice?: SiteNotice): Promise<string | undefined>;
}

/** Handlers' logic for the archive routes; compiled web versions are kept per issue (content is frozen once sent). */
export function createArchive(deps: { pool: Pick<pg.Pool, 'query'>; publicUrl: string; postalAddress: string; templatesDir?: string }): Archive {
  const compiled = new Map<string, Promise<string>>();
  return {
    async index(notice) {
      return renderArchiveIndex(deps.publicUrl, await listArchive(deps.pool), notice);
    },
    async issue(week, notice) {
      if (!/^\d{4}-W\d{2}$/.test(week)) return undefined;
      const issue = await readArchivedIssue(deps.pool, week);
      if (!issue) return undefined;
      const demo = issue.content.demo === true || notice?.demo !== undefined;
      const key = `${issue.id}:${issue.composedAt.toISOString()}:${demo}`;
      let html = compiled.get(key);
      if (!html) {
        html = renderArchiveIssue(demo ? { ...issue.content, demo } : issue.content, deps);
        html.catch(() => compiled.delete(key));
        compiled.set(key, html);
        while (compiled.size > 50) compiled.delete(compiled.keys().next().value!);
      }
      return html;
    },
  };
}
