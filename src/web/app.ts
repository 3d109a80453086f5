// The public site as a Hono app: landing, comparisons, role pages, health.
// Pages render on the server with React and are cached per snapshot version
// (see site-data.ts and page-cache.ts), so a hot page costs no database read
// beyond the shared version check.
import { Hono, type Context } from 'hono';
import { createElement as h, type ReactNode } from 'react';
import { canonicalPair, comparePath, isCanonical, parsePairParam } from '../compare/canonical-pair.ts';
import { pairFacts } from '../compare/pair-facts.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { DEMO_NOTICE } from '../demo/status.ts';
import type { Logger } from '../log.ts';
import { roleBySlug } from '../roles/catalog.ts';
import { addWeeks, isWeekKey } from '../stats/week.ts';
import { METHOD } from '../stats/method.ts';
import { landingPairs } from './landing-pairs.ts';
import { requestTimer, type Metrics } from './metrics.ts';
import { readIssueSummaries, readQueueDepth } from './ops-queries.ts';
import { ComparePage } from './pages/compare-page.tsx';
import { CompareIndexPage } from './pages/compare-index.tsx';
import { ErrorPage, type ErrorPageProps } from './pages/error-page.tsx';
import { LandingPage } from './pages/landing-page.tsx';
import { renderDocument } from '../ui/layout.tsx';
import { RolePage } from './pages/role-page.tsx';
import { MethodologyPage } from './pages/methodology-page.tsx';
import { mountOpenData } from './open-data.ts';
import { makePage, PageCache, type Page } from './page-cache.ts';
import { securityHeaders, sendPage } from './respond.ts';
import { setSiteNotice, siteNoticeOf } from '../ui/site-notice.ts';
import { PAGE_TREND_WEEKS } from '../stats/figures.ts';
import { createSiteData, type SiteData, type SnapshotVersion } from './site-data.ts';

export interface WebDeps {
  pool: Db;
  config: Pick<Config, 'publicUrl'>;
  log?: Pick<Logger, 'error' | 'warn'>;
  /** How long a snapshot-version check is trusted before asking the database again (default 2 s). */
  freshnessMs?: number;
  /**
   * Registers routes owned elsewhere (subscriptions, webhooks, admin...) after
   * the shared middleware and before this app's own routes, so they win.
   */
  mount?: (app: Hono) => void;
  /** Times every request into the latency histogram of /metrics (the service passes it; tests may leave it out). */
  metrics?: Pick<Metrics, 'httpDuration'>;
  /** While demo data loads in the background (`npm start`): how far it got, shown on every page; undefined otherwise. */
  loading?: () => string | undefined;
}

export function createApp(deps: WebDeps): Hono {
  const app = new Hono();
  const site = createSiteData(deps.pool, { freshnessMs: deps.freshnessMs });
  const cache = new PageCache();
  const publicUrl = deps.config.publicUrl;

  // First, so the timing covers every other middleware and the error page.
  if (deps.metrics) app.use('*', requestTimer(deps.metrics));
  app.use('*', securityHeaders({ https: publicUrl.startsWith('https://') }));
  app.onError((err, c) => {
    deps.log?.error({ event: 'web.request.failed', err, path: c.req.path }, 'request failed');
    return errorPage(c, { status: 500, heading: 'Something went wrong', message: 'The page could not be built. Please try again in a minute.' });
  });
  app.notFound((c) =>
    errorPage(c, {
      status: 404,
      heading: 'Page not found',
      message: 'There is no page at this address. The links below lead to everything the site has.',
      suggestRoles: true,
    }),
  );

  // What every page says about its data (demo, loading): one cached check per
  // request, shared with the version check; a database that does not answer
  // leaves it unset and the route reports the failure itself.
  app.use('*', async (c, next) => {
    const loading = deps.loading?.();
    try {
      setSiteNotice(c, { demo: (await site.version()).demo || loading ? DEMO_NOTICE : undefined, loading });
    } catch {
      if (loading) setSiteNotice(c, { demo: DEMO_NOTICE, loading });
    }
    await next();
  });

  deps.mount?.(app);

  // 200 while the database answers, 503 when it does not; it also says how
  // much is queued and how the last issue went, so one probe tells an
  // operator whether sending is stuck.
  app.get('/healthz', async (c) => {
    const noStore = { 'cache-control': 'no-store' };
    let latestWeek: string | null;
    try {
      latestWeek = (await site.version()).latest ?? null;
    } catch (err) {
      deps.log?.warn({ event: 'web.health.failed', err }, 'health check failed');
      return c.json({ ok: false, database: 'down', error: 'database unavailable' }, 503, noStore);
    }
    try {
      const [queue, [issue]] = await Promise.all([readQueueDepth(deps.pool), readIssueSummaries(deps.pool, 1)]);
      const lastIssue = issue
        ? { week: issue.week, status: issue.status, composedAt: issue.composedAt, enqueuedAt: issue.enqueuedAt, sentAt: issue.sentAt, counts: issue.counts }
        : null;
      return c.json({ ok: true, database: 'up', latestWeek, queue, lastIssue }, 200, noStore);
    } catch (err) {
      // The version check can be answered from its short cache: a database
      // that went away since shows up here.
      deps.log?.warn({ event: 'web.health.failed', err }, 'health check failed');
      return c.json({ ok: false, database: 'down', error: 'database unavailable' }, 503, noStore);
    }
  });

  app.get('/', async (c) => {
    const v = await site.version();
    return cached(c, v, 'landing', async () => {
      const week = v.latest ? await site.week(v, v.latest) : undefined;
      const recent = await Promise.all(v.weeks.slice(-PAGE_TREND_WEEKS).map((k) => site.week(v, k)));
      const totals = recent.filter((w) => w !== undefined).map((w) => ({ week: w.week, total: w.total }));
      return h(LandingPage, { week, totals, featured: week ? landingPairs(week) : [], publicUrl });
    });
  });

  app.get('/compare', async (c) => {
    const a = c.req.query('a');
    const b = c.req.query('b');
    if (a !== undefined || b !== undefined) {
      const unknown = [a, b].filter((s) => !s || !roleBySlug(s));
      if (unknown.length) return unknownRoles(c, unknown.map((s) => s ?? ''));
      if (a === b) return c.redirect(`/roles/${a}`, 302);
      return c.redirect(comparePath(a!, b!), 302);
    }
    const v = await site.version();
    return cached(c, v, 'compare-index', async () => h(CompareIndexPage, { publicUrl }));
  });

  app.get('/compare/:pair', async (c) => {
    const pair = parsePairParam(c.req.param('pair'));
    if (!pair) {
      return errorPage(c, {
        status: 404,
        heading: 'Not a comparison address',
        message: 'Comparison pages live at /compare/first-role-vs-second-role, for example /compare/mlops-engineer-vs-ai-software-engineer.',
        suggestRoles: true,
      });
    }
    const unknown = [pair.a, pair.b].filter((s) => !roleBySlug(s));
    if (unknown.length) return unknownRoles(c, unknown);
    if (pair.a === pair.b) return c.redirect(`/roles/${pair.a}`, 302);
    if (!isCanonical(pair.a, pair.b)) {
      const search = new URL(c.req.url).search;
      return c.redirect(`${comparePath(pair.a, pair.b)}${search}`, 301);
    }
    const v = await site.version();
    const week = await pickWeek(c, v);
    if (week instanceof Response) return week;
    const { a, b } = canonicalPair(pair.a, pair.b);
    return cached(c, v, `compare:${a}:${b}:${week}`, async () => {
      const w = (await site.week(v, week))!;
      const sa = w.roles.find((r) => r.role === a);
      const sb = w.roles.find((r) => r.role === b);
      if (!sa || !sb) return undefined;
      const [trendA, trendB] = await Promise.all([site.trend(v, a, week), site.trend(v, b, week)]);
      return h(ComparePage, {
        week: w,
        a: { name: roleBySlug(a)!.name, stats: sa },
        b: { name: roleBySlug(b)!.name, stats: sb },
        facts: pairFacts(sa, sb, w.total),
        trendA,
        trendB,
        weeks: v.weeks,
        latest: v.latest!,
        publicUrl,
      });
    });
  });

  app.get('/methodology', async (c) => {
    const v = await site.version();
    return cached(c, v, 'methodology', async () => h(MethodologyPage, { publicUrl }));
  });

  mountOpenData(app, site);

  app.get('/roles/:slug', async (c) => {
    const role = roleBySlug(c.req.param('slug'));
    if (!role) return unknownRoles(c, [c.req.param('slug')]);
    const v = await site.version();
    const week = await pickWeek(c, v);
    if (week instanceof Response) return week;
    return cached(c, v, `role:${role.slug}:${week}`, async () => {
      const w = (await site.week(v, week))!;
      const stats = w.roles.find((r) => r.role === role.slug);
      if (!stats) return undefined;
      const trend = await site.trend(v, role.slug, week);
      const yearAgo = (await site.week(v, addWeeks(week, -METHOD.yoyWeeks)))?.roles.find((r) => r.role === role.slug);
      return h(RolePage, { role, stats, yearAgo, week: w, trend, latest: v.latest!, publicUrl });
    });
  });

  /** The week asked for with ?week=, else the latest; or an error response. */
  async function pickWeek(c: Context, v: SnapshotVersion): Promise<string | Response> {
    const asked = c.req.query('week');
    if (asked !== undefined && !isWeekKey(asked)) {
      return errorPage(c, { status: 400, heading: 'Not a week', message: `Weeks are written like 2026-W47; “${asked}” is not one.` });
    }
    const week = asked ?? v.latest;
    if (!week && deps.loading?.()) {
      return errorPage(c, {
        status: 503,
        heading: 'Demo data is loading',
        message: 'The demo weeks are being generated and snapshotted; this page fills in within about a minute. Please reload then.',
      });
    }
    if (!week) {
      return errorPage(c, {
        status: 404,
        heading: 'No figures yet',
        message: 'No week has been snapshotted yet. Load postings and take a snapshot, then this page fills in.',
      });
    }
    if (!v.weeks.includes(week)) {
      return errorPage(c, {
        status: 404,
        heading: `No snapshot for ${week}`,
        message: `We have figures for ${v.weeks.length === 1 ? v.weeks[0] : `${v.weeks[0]} to ${v.latest}`}. Leave out ?week= for the latest.`,
      });
    }
    return week;
  }

  /** Serves the page for `key` from the cache, rendering it on a miss. */
  async function cached(c: Context, v: SnapshotVersion, key: string, render: () => Promise<ReactNode | undefined>): Promise<Response> {
    let page: Page | undefined = cache.get(v.stamp, key);
    if (!page) {
      const node = await render();
      if (node === undefined) {
        return errorPage(c, { status: 404, heading: 'No figures for this role', message: 'This week has no row for that role.' });
      }
      const notice = siteNoticeOf(c);
      page = makePage(200, renderDocument(node, notice), v.lastModified);
      // While demo data loads, the notice says how far it got: such pages are not kept.
      if (notice.loading) return sendPage(c, page, { cache: false });
      cache.set(v.stamp, key, page);
    }
    return sendPage(c, page);
  }

  function errorPage(c: Context, props: ErrorPageProps): Response {
    const res = sendPage(c, makePage(props.status, renderDocument(h(ErrorPage, props), siteNoticeOf(c))), { cache: false });
    if (props.status === 503) res.headers.set('retry-after', '30');
    return res;
  }

  function unknownRoles(c: Context, slugs: string[]): Response {
    const list = slugs.map((s) => `“${s}”`).join(' and ');
    return errorPage(c, {
      status: 404,
      heading: 'We do not track that role',
      message: `${list} ${slugs.length > 1 ? 'are not roles' : 'is not a role'} we track. Pick one of the roles below.`,
      suggestRoles: true,
    });
  }

  return app;
}
