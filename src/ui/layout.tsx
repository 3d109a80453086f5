// The frame of every page: head with the inline stylesheet, header, footer.
// Shared by the site (src/web) and the pages other folders serve (archive,
// subscriptions), so it imports no capability: what it says about demo data
// comes in the SiteNotice.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FEED_ALTERNATES } from './feed-links.ts';
import { CSS } from './styles.ts';

/** What every page says above its content about where the figures come from (src/ui/site-notice.ts sets it per request). */
export interface SiteNotice {
  /** The figures come from generated demo postings: the sentence that says so (DEMO_NOTICE of src/demo/status.ts). */
  demo?: string | undefined;
  /** Demo data is being loaded right now: a line saying how far it got. */
  loading?: string | undefined;
}

export const NO_NOTICE: SiteNotice = {};
const NoticeContext = createContext<SiteNotice>(NO_NOTICE);

export interface LayoutProps {
  title: string;
  description: string;
  /** Absolute canonical URL of the page, when it has one. */
  canonical?: string;
  children: ReactNode;
}

export function Layout({ title, description, canonical, children }: LayoutProps) {
  const notice = useContext(NoticeContext);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={description} />
        {canonical ? <link rel="canonical" href={canonical} /> : null}
        {FEED_ALTERNATES.map((f) => (
          <link key={f.href} rel="alternate" type={f.type} href={f.href} title={f.title} />
        ))}
        {/* No favicon request: an empty data URL. */}
        <link rel="icon" href="data:," />
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="site">
          <div className="bar">
            <a className="brand" href="/">
              Salary Trends Digest
            </a>
            <nav aria-label="Site">
              <a href="/compare">Comparisons</a>
              <a href="/#roles">Roles</a>
              <a href="/issues">Archive</a>
              <a href="/#subscribe">Subscribe</a>
            </nav>
          </div>
        </header>
        {notice.demo || notice.loading ? (
          <p className="site-notice" role="note">
            {notice.demo}
            {notice.loading ? ` ${notice.loading}` : null}
          </p>
        ) : null}
        <main id="main">{children}</main>
        <footer className="site">
          <div className="bar">
            <p>
              Figures come from open AI job postings, snapshotted once a week. Pay figures use postings that publish an
              annual US-dollar maximum; fewer than 5 such postings show as “not enough data”.
            </p>
            <p>
              <a href="/methodology">How we compute these figures</a> · <a href="/data/weeks.csv">Open data (CSV, CC BY 4.0)</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** A whole HTML document; `notice` is what the site says about its data (demo, loading). */
export function renderDocument(page: ReactNode, notice: SiteNotice = NO_NOTICE): string {
  return `<!doctype html>${renderToStaticMarkup(createElement(NoticeContext.Provider, { value: notice }, page))}`;
}

/**
 * A data table that reflows on narrow screens: each row becomes a small card
 * whose cells show their column's name from `data-label` (styles.ts). Its
 * region still scrolls, keyboard-reachable, should anything be wider still.
 */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className="stack">{children}</table>
    </div>
  );
}

/** On a page showing an older week (e.g. opened from an old digest): says a newer one exists and links to it. */
export function NewerWeek({ week, latest, path }: { week: string; latest: string; path: string }) {
  if (week >= latest) return null;
  return (
    <p className="newer-week" role="note">
      These are the figures of {week}. A newer week exists: <a href={path}>see {latest}, the latest</a>.
    </p>
  );
}
