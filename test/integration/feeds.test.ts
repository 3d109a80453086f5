// The archive's feeds, read back with a real feed parser (feedsmith): RSS
// 2.0, Atom 1.0 and JSON Feed 1.1 hold every issue that went out, newest
// first, with its date and its web version as escaped content, and never a
// personal link; conditional requests answer 304; every page names the feeds.
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../src/digest/archive-pages.tsx';
import { composeIssue } from '../../src/digest/compose.ts';
import { createFeeds } from '../../src/digest/feeds.ts';
import { saveIssue } from '../../src/digest/store.ts';
import { createApp } from '../../src/web/app.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { digestWeeks, HOSTILE_COMPANY } from '../support/digest-weeks.ts';

const PUBLIC_URL = 'https://digest.example';
const POSTAL = 'Salary Trends Digest, 1 Example Street, Springfield';

describe.each(DB_KINDS)('feeds of the archive on %s', (kind) => {
  let db: TestDatabase;
  let app: Hono;
  const sentAt: Record<string, Date> = { '2026-W45': new Date('2026-11-09T13:00:05Z'), '2026-W46': new Date('2026-11-16T13:00:07Z') };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    for (const week of ['2026-W45', '2026-W46', '2026-W47']) {
      const weeks = digestWeeks({ endWeek: week });
      const { issue } = await saveIssue(db.pool, composeIssue({ week, current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL }));
      // W47 stays a draft: it has not gone out and must not show.
      if (sentAt[week]) await db.pool.query(`UPDATE issues SET status = 'sent', composed_at = $2::timestamptz - interval '1 hour', enqueued_at = $2, sent_at = $2 WHERE id = $1`, [issue.id, sentAt[week]]);
    }
    const archive = createArchive({ pool: db.pool, publicUrl: PUBLIC_URL, postalAddress: POSTAL });
    const feeds = createFeeds({ pool: db.pool, publicUrl: PUBLIC_URL, postalAddress: POSTAL });
    const log = pino({ level: 'silent' });
    app = createApp({
      pool: db.pool,
      config: { publicUrl: PUBLIC_URL },
      mount: (a) => mountOperatorRoutes(a, { pool: db.pool, secret: 'feeds-test-secret-0123456789abcdef', archive, feeds, adminToken: undefined, webhookSecret: undefined, metrics: createMetrics(), log }),
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => app.request(`http://localhost${path}`, { headers });

  it('RSS 2.0: every sent issue, newest first, dated, with escaped content:encoded and no personal link', async () => {
    const res = await get('/issues.rss');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await res.text();
    const feed = parseRssFeed(xml);
    expect(feed.items!.map((i) => i.link)).toEqual([`${PUBLIC_URL}/issues/2026-W46`, `${PUBLIC_URL}/issues/2026-W45`]);
    expect(feed.items!.map((i) => new Date(i.pubDate!).toISOString())).toEqual([
      new Date(Math.floor(sentAt['2026-W46']!.getTime() / 1000) * 1000).toISOString(),
      new Date(Math.floor(sentAt['2026-W45']!.getTime() / 1000) * 1000).toISOString(),
    ]);
    const encoded = feed.items![0]!.content?.encoded ?? '';
    expect(encoded).toContain('Salary shifts, all tracked roles');
    // The hostile employer name from the week's figures is escaped markup, never a live tag.
    expect(encoded).not.toContain('<script>');
    expect(encoded).toContain('&lt;script&gt;');
    expect(encoded).not.toMatch(/<html|<head/i);
    for (const personal of ['/l/', '/unsubscribe/', '/preferences/']) expect(xml).not.toContain(personal);
  });

  it('Atom 1.0 and JSON Feed 1.1 say the same', async () => {
    const atom = parseAtomFeed(await (await get('/issues.atom')).text());
    expect(atom.entries!.map((e) => e.links?.[0]?.href)).toEqual([`${PUBLIC_URL}/issues/2026-W46`, `${PUBLIC_URL}/issues/2026-W45`]);
    expect(new Date(atom.entries![1]!.published!).getTime()).toBe(Math.floor(sentAt['2026-W45']!.getTime() / 1000) * 1000);
    const atomHtml = atom.entries![0]!.content?.value ?? '';
    expect(atomHtml).toContain('Salary shifts, all tracked roles');
    expect(atomHtml).not.toContain('<script>');

    const res = await get('/issues.json');
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const raw = await res.text();
    expect(JSON.parse(raw).version).toBe('https://jsonfeed.org/version/1.1');
    const json = parseJsonFeed(raw);
    expect(json.items!.map((i) => i.url)).toEqual([`${PUBLIC_URL}/issues/2026-W46`, `${PUBLIC_URL}/issues/2026-W45`]);
    expect(new Date(json.items![0]!.date_published!).getTime()).toBe(sentAt['2026-W46']!.getTime());
    expect(json.authors?.[0]?.name).toBe('Salary Trends Digest');
    const html = json.items![0]!.content_html ?? '';
    expect(html).toContain('Salary shifts, all tracked roles');
    expect(html).not.toContain(HOSTILE_COMPANY);
    for (const personal of ['/l/', '/unsubscribe/', '/preferences/']) expect(raw).not.toContain(personal);
  });

  it('answers conditional requests with 304 and changes its validator when an issue goes out', async () => {
    const first = await get('/issues.atom');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toBeTruthy();
    expect(new Date(lastModified).getTime()).toBe(Math.floor(sentAt['2026-W46']!.getTime() / 1000) * 1000);
    expect((await get('/issues.atom', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/issues.atom', { 'if-modified-since': lastModified })).status).toBe(304);

    await db.pool.query(`UPDATE issues SET status = 'sending', enqueued_at = now() WHERE week = '2026-W47'`);
    const after = await get('/issues.atom', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(parseAtomFeed(await after.text()).entries!.map((e) => e.links?.[0]?.href)[0]).toBe(`${PUBLIC_URL}/issues/2026-W47`);
    await db.pool.query(`UPDATE issues SET status = 'draft', enqueued_at = NULL WHERE week = '2026-W47'`);
  });

  it('every page names the three feeds for autodiscovery', async () => {
    for (const path of ['/issues', '/issues/2026-W45', '/no-such-page', '/compare']) {
      const html = await (await get(path)).text();
      expect(html, path).toContain('<link rel="alternate" type="application/rss+xml" href="/issues.rss"');
      expect(html, path).toContain('<link rel="alternate" type="application/atom+xml" href="/issues.atom"');
      expect(html, path).toContain('<link rel="alternate" type="application/feed+json" href="/issues.json"');
    }
  });
});
