// Feeds of the archive: `/issues.rss` (RSS 2.0 with content:encoded),
// `/issues.atom` (Atom 1.0) and `/issues.json` (JSON Feed 1.1). Every issue
// that has gone out, newest first, with its web version as the content: the
// same page as `/issues/:week`, so no tracking token, unsubscribe or
// preferences link ever reaches a feed. Built with the `feed` library; the
// bodies are kept per archive state, so a poll costs one small query.
import { createHash } from 'node:crypto';
import { Feed } from 'feed';
import type pg from 'pg';
import { renderWebVersion, type RenderOptions } from './render.ts';
import { FEED_PATHS, type FeedFormat } from '../ui/feed-links.ts';
import { listFeedIssues, type FeedIssue } from './store.ts';

export { FEED_PATHS, FEED_TYPES, type FeedFormat } from '../ui/feed-links.ts';

interface BuiltFeeds {
  /** Changes whenever an issue goes out or is recomposed. */
  key: string;
  lastModified: Date | undefined;
  bodies: Record<FeedFormat, string>;
}

/** The content of the web version's `<body>`: a feed item holds an HTML fragment, not a whole document. */
function bodyOf(html: string): string {
  const open = html.search(/<body[^>]*>/i);
  const close = html.lastIndexOf('</body>');
  if (open < 0 || close < 0) return html;
  return html.slice(html.indexOf('>', open) + 1, close).trim();
}

async function buildFeeds(issues: FeedIssue[], opts: RenderOptions, webVersion: (i: FeedIssue) => Promise<string>): Promise<BuiltFeeds> {
  const base = opts.publicUrl;
  const lastModified = issues.reduce<Date | undefined>((m, i) => {
    const t = i.publishedAt > i.composedAt ? i.publishedAt : i.composedAt;
    return !m || t > m ? t : m;
  }, undefined);
  const feed = new Feed({
    id: `${base}/issues`,
    title: 'Track AI Salary Trends',
    description: 'The weekly digest of AI job postings: pay and demand per role, what moved, featured comparisons.',
    link: `${base}/issues`,
    language: 'en',
    updated: lastModified ?? new Date(0),
    generator: false,
    copyright: 'Salary Trends Digest',
    feedLinks: { rss: `${base}${FEED_PATHS.rss}`, atom: `${base}${FEED_PATHS.atom}`, json: `${base}${FEED_PATHS.json}` },
    author: { name: 'Salary Trends Digest', link: base },
  });
  for (const issue of issues) {
    const link = `${base}/issues/${issue.week}`;
    feed.addItem({
      id: link,
      guid: link,
      title: issue.content.subject,
      link,
      date: issue.publishedAt,
      published: issue.publishedAt,
      description: `${issue.content.headline.text} ${issue.content.summary}`.trim(),
      content: bodyOf(await webVersion(issue)),
    });
  }
  const bodies = { rss: feed.rss2(), atom: feed.atom1(), json: toJsonFeed11(feed.json1()) };
  const key = createHash('sha1')
    .update(issues.map((i) => `${i.id}:${i.composedAt.toISOString()}:${i.publishedAt.toISOString()}`).join('|'))
    .digest('base64url');
  return { key, lastModified, bodies };
}

/**
 * The library writes JSON Feed 1.0; 1.1 renamed `author` to `authors` (a
 * list) and added `language`. Readers that only know 1.1 ignore `author`, so
 * the document is lifted here rather than shipped one version behind.
 */
function toJsonFeed11(json: string): string {
  const doc = JSON.parse(json) as Record<string, unknown> & { items?: Record<string, unknown>[] };
  doc.version = 'https://jsonfeed.org/version/1.1';
  doc.language = 'en';
  if (doc.author) {
    doc.authors = [doc.author];
    delete doc.author;
  }
  for (const item of doc.items ?? []) {
    if (item.author) {
      item.authors = [item.author];
      delete item.author;
    }
  }
  return JSON.stringify(doc, null, 2);
}

export interface Feeds {
  /** The current feeds, rebuilt only when the archive changed. */
  current(): Promise<BuiltFeeds>;
}

export function createFeeds(deps: { pool: Pick<pg.Pool, 'query'> } & RenderOptions, webVersion?: (i: FeedIssue) => Promise<string>): Feeds {
  let built: Promise<BuiltFeeds> | undefined;
  let builtKey = '';
  const pages = new Map<string, Promise<string>>();
  const render =
    webVersion ??
    ((i: FeedIssue) => {
      const k = `${i.id}:${i.composedAt.toISOString()}`;
      let p = pages.get(k);
      if (!p) {
        p = renderWebVersion(i.content, deps);
        p.catch(() => pages.delete(k));
        pages.set(k, p);
      }
      return p;
    });
  return {
    async current() {
      const heads = await listFeedIssues(deps.pool);
      const key = heads.map((i) => `${i.id}:${i.composedAt.toISOString()}:${i.publishedAt.toISOString()}`).join('|');
      if (!built || key !== builtKey) {
        builtKey = key;
        built = listFeedIssues(deps.pool, { withContent: true }).then((issues) => buildFeeds(issues, deps, render));
        built.catch(() => {
          built = undefined;
        });
      }
      return built;
    },
  };
}
