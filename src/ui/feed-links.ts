// Where the archive's feeds live and how pages name them (autodiscovery).
export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_PATHS: Record<FeedFormat, string> = { rss: '/issues.rss', atom: '/issues.atom', json: '/issues.json' };

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** What `<link rel="alternate">` names on every page (autodiscovery). */
export const FEED_ALTERNATES = [
  { type: 'application/rss+xml', href: FEED_PATHS.rss, title: 'Salary Trends Digest issues (RSS)' },
  { type: 'application/atom+xml', href: FEED_PATHS.atom, title: 'Salary Trends Digest issues (Atom)' },
  { type: 'application/feed+json', href: FEED_PATHS.json, title: 'Salary Trends Digest issues (JSON Feed)' },
] as const;

