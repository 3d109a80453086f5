// The frame of every page: head with the inline stylesheet, header, footer.
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { CSS } from '../styles.ts';

export interface LayoutProps {
  title: string;
  description: string;
  /** Absolute canonical URL of the page, when it has one. */
  canonical?: string;
  children: ReactNode;
}

export function Layout({ title, description, canonical, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={description} />
        {canonical ? <link rel="canonical" href={canonical} /> : null}
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
              <a href="/#subscribe">Subscribe</a>
            </nav>
          </div>
        </header>
        <main id="main">{children}</main>
        <footer className="site">
          <div className="bar">
            <p>
              Figures come from open AI job postings, snapshotted once a week. Pay figures use postings that publish an
              annual US-dollar maximum; fewer than 5 such postings show as “not enough data”.
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** A whole HTML document. */
export function renderDocument(page: ReactNode): string {
  return `<!doctype html>${renderToStaticMarkup(page)}`;
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
