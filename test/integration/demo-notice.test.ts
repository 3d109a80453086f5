// Demo data says it is demo: while postings of the demo source are loaded,
// every page type and every mail (digest HTML and text, confirm and welcome)
// carries the notice; after `demo-data --remove` plus a real ingest and
// snapshot it is gone by itself, and the archive keeps saying that the issue
// sent from demo weeks was demo (its content froze that). PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Hono } from 'hono';
import { loadDemoData } from '../../src/demo/load.ts';
import { removeDemoData } from '../../src/demo/remove.ts';
import { DEMO_NOTICE } from '../../src/demo/status.ts';
import { ingestRecords } from '../../src/postings/ingest.ts';
import { snapshotWeek } from '../../src/stats/snapshot.ts';
import { composeWeek } from '../../src/digest/store.ts';
import { createDigestRenderer } from '../../src/digest/renderer.ts';
import { createArchive } from '../../src/digest/archive-pages.tsx';
import { createApp } from '../../src/web/app.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import { mountSubscriptionRoutes } from '../../src/subscribers/routes.ts';
import { drainSubscribeRequests } from '../../src/subscribers/subscribe.ts';
import { subscriberToken } from '../../src/subscribers/tokens.ts';
import type { TransactionalMail } from '../../src/delivery/enqueue.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';

const PUBLIC_URL = 'http://demo.test';
const SECRET = 'demo-notice-test-secret-0123456789abcdef';
const POSTAL = 'Test Street 1, Testville';
const NOTICE = 'Demo data: generated postings, not real openings.';

describe('the demo notice (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: Hono;
  const mails: TransactionalMail[] = [];
  let ip = 0;

  const get = (path: string) => app.request(path, { headers: { 'x-forwarded-for': `10.9.0.${++ip}` } });
  const subscribe = (email: string) =>
    app.request('/subscribe', { method: 'POST', body: new URLSearchParams({ email }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.8.0.${++ip}` } });
  // The subscription code's dependencies; a subscribe request is decided by a job (drained here after the POST).
  const subDeps = () => ({
    pool: db.pool,
    secret: SECRET,
    publicUrl: PUBLIC_URL,
    postalAddress: POSTAL,
    limits: { perIp: 1000, perAddress: 1000 },
    enqueueMail: async (_client: unknown, mail: TransactionalMail) => {
      mails.push(mail);
      return mails.length;
    },
  });
  const idOf = async (email: string) => (await db.pool.query<{ id: number }>('SELECT id FROM subscribers WHERE lower(email) = $1', [email])).rows[0]!.id;

  /** Every page type: landing, comparison index and page, role page, archive index and issue, subscribe, confirm, preferences, unsubscribe, 404. */
  async function everyPage(email: string, issueWeek: string): Promise<Map<string, { status: number; html: string }>> {
    const pages = new Map<string, { status: number; html: string }>();
    const keep = async (name: string, res: Response | Promise<Response>) => {
      const r = await res;
      pages.set(name, { status: r.status, html: await r.text() });
    };
    await keep('landing', get('/'));
    await keep('compare index', get('/compare'));
    await keep('compare', get('/compare/mlops-engineer-vs-ai-software-engineer'));
    await keep('role', get('/roles/mlops-engineer'));
    await keep('archive', get('/issues'));
    await keep('issue', get(`/issues/${issueWeek}`));
    await keep('subscribe', subscribe(email));
    await drainSubscribeRequests(subDeps());
    const id = await idOf(email);
    const confirmPath = `/confirm/${subscriberToken(SECRET, 'confirm', id)}`;
    await keep('confirm', get(confirmPath));
    // GET only shows the button (link scanners follow GETs); the POST confirms and queues the welcome.
    await keep('confirmed', app.request(confirmPath, { method: 'POST', headers: { 'x-forwarded-for': `10.9.0.${++ip}` } }));
    await keep('preferences', get(`/preferences/${subscriberToken(SECRET, 'preferences', id)}`));
    await keep('unsubscribe', get(`/unsubscribe/${subscriberToken(SECRET, 'unsubscribe', id)}`));
    await keep('not found', get('/no-such-page'));
    return pages;
  }

  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: 2, endWeek: '2026-W47', tz: 'UTC' });
    app = createApp({
      pool: db.pool,
      config: { publicUrl: PUBLIC_URL },
      freshnessMs: 0,
      mount: (a) => {
        mountSubscriptionRoutes(a, subDeps());
        mountOperatorRoutes(a, {
          pool: db.pool,
          secret: SECRET,
          archive: createArchive({ pool: db.pool, publicUrl: PUBLIC_URL, postalAddress: POSTAL }),
          adminToken: undefined,
          webhookSecret: undefined,
          metrics: createMetrics(),
          log: pino({ level: 'silent' }),
        });
      },
    });
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it('is the sentence the issue asks for', () => {
    expect(DEMO_NOTICE).toBe(NOTICE);
  });

  it('shows on every page, and every mail carries it, while demo data is loaded; then goes away after --remove and a real ingest', async () => {
    // The W47 issue went out from demo weeks.
    const composed = await composeWeek(db.pool, '2026-W47', PUBLIC_URL);
    expect(composed.issue.content.demo).toBe(true);
    // Mail links to role and comparison pages carry the issue's week.
    const paths = composed.issue.content.links.map((l) => l.path);
    expect(paths).toContain('/roles/mlops-engineer?week=2026-W47');
    expect(paths.filter((p) => p.startsWith('/compare/')).every((p) => p.endsWith('?week=2026-W47'))).toBe(true);
    await db.pool.query(`UPDATE issues SET status = 'sent', enqueued_at = now(), sent_at = now() WHERE id = $1`, [composed.issue.id]);

    const renderer = createDigestRenderer({ pool: db.pool, secret: SECRET, publicUrl: PUBLIC_URL, postalAddress: POSTAL });
    const digest = await renderer.renderFor(composed.issue.id, { id: 1, email: 'r@example.com', roles: [] });
    expect(digest.html).toContain(NOTICE);
    expect(digest.text.split('\n').filter((l) => l === NOTICE)).toHaveLength(1);

    const demoPages = await everyPage('first@example.com', '2026-W47');
    for (const [name, page] of demoPages) {
      expect(page.html, name).toContain(NOTICE);
      if (name !== 'issue') expect(page.html, name).toMatch(/<p class="site-notice" role="note">Demo data: generated postings, not real openings\.<\/p>/);
    }
    expect(demoPages.get('not found')!.status).toBe(404);
    // Transactional mails: confirm (from subscribing) and welcome (from confirming), HTML and text.
    expect(mails.map((m) => m.kind)).toEqual(['confirm', 'welcome']);
    for (const m of mails) {
      expect(m.html, m.kind).toContain(NOTICE);
      expect(m.text, m.kind).toContain(NOTICE);
    }

    // An older week says a newer one exists, with a link to the latest.
    const older = await (await get('/roles/mlops-engineer?week=2026-W46')).text();
    expect(older).toMatch(/A newer week exists: <a href="\/roles\/mlops-engineer">see 2026-W47, the latest<\/a>/);
    const latest = await (await get('/roles/mlops-engineer?week=2026-W47')).text();
    expect(latest).not.toContain('A newer week exists');
    // The header links the archive on every page.
    expect(latest).toContain('<a href="/issues">Archive</a>');
    expect(demoPages.get('landing')!.html).toContain('<a href="/issues">read past issues in the archive</a>');

    // Remove the demo, ingest real postings of W48 and snapshot them.
    const removed = await removeDemoData(db.pool, { tz: 'UTC' });
    expect(removed.postings).toBeGreaterThan(10_000);
    expect(removed.deletedWeeks).toEqual(['2026-W46', '2026-W47']);
    expect(removed.keptIssues).toEqual(['2026-W47']);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM postings`)).rows[0].n).toBe(0);
    const real = Array.from({ length: 12 }, (_, i) => ({
      external_id: `real-${i}`,
      title: i % 2 ? 'MLOps Engineer' : 'AI Software Engineer',
      company: `Company ${i}`,
      location: 'Berlin',
      salary_max: 150_000 + i * 1000,
      currency: 'USD',
      seen_at: '2026-11-25T12:00:00Z',
    }));
    const ingested = await ingestRecords(db.pool, real, { source: 'feed' });
    expect(ingested.rejected).toBe(0);
    await snapshotWeek(db.pool, '2026-W48', 'UTC');
    mails.length = 0;

    const realPages = await everyPage('second@example.com', '2026-W47');
    for (const [name, page] of realPages) {
      if (name === 'issue') continue;
      expect(page.html, name).not.toContain(NOTICE);
      expect(page.html, name).not.toContain('class="site-notice"');
    }
    expect(realPages.get('compare')!.status).toBe(200);
    // The issue sent from demo weeks keeps saying so, on its page and in the archive list.
    expect(realPages.get('issue')!.html).toContain(NOTICE);
    expect(realPages.get('archive')!.html).toContain('demo data: generated postings, not real openings');
    expect(mails.map((m) => m.kind)).toEqual(['confirm', 'welcome']);
    for (const m of mails) expect(`${m.html}\n${m.text}`, m.kind).not.toContain(NOTICE);

    const w48 = await composeWeek(db.pool, '2026-W48', PUBLIC_URL);
    expect(w48.issue.content.demo).toBeUndefined();
    const realDigest = await renderer.renderFor(w48.issue.id, { id: 1, email: 'r@example.com', roles: [] });
    expect(`${realDigest.html}\n${realDigest.text}`).not.toContain(NOTICE);
  }, 300_000);
});
