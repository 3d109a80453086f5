// Open data: GET /data/weeks.csv (one row per week x role, every figure the
// pages publish, each with its n) and GET /data/{week}.json (one week, the
// same figures plus the lists the pages show). Built from the snapshots the
// pages read, cached per snapshot version, with a strong ETag over the body.
// Licence: CC BY 4.0, in a column of the CSV, a field of the JSON and a Link header.
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Context, Hono } from 'hono';
import { roleBySlug } from '../roles/catalog.ts';
import { isSmallSample } from '../stats/method.ts';
import type { RoleWeekStats, WeekStats } from '../stats/types.ts';
import { isWeekKey } from '../stats/week.ts';
import type { SiteData, SnapshotVersion } from './site-data.ts';

const LICENCE = 'CC BY 4.0';
const LICENCE_URL = 'https://creativecommons.org/licenses/by/4.0/';

/** The CSV's columns, in order: [header, value]. Money in US dollars a year; shares 0..1; blank: not published (too few postings). */
const CSV_COLUMNS: [string, (w: WeekStats, r: RoleWeekStats) => string | number | boolean | null | undefined][] = [
  ['week', (w) => w.week],
  ['role', (_w, r) => r.role],
  ['role_name', (_w, r) => roleBySlug(r.role)?.name ?? r.role],
  ['total_positions', (w) => w.total],
  ['positions', (_w, r) => r.positions],
  ['share_of_total', (_w, r) => r.share],
  ['disclosed', (_w, r) => r.disclosed],
  ['small_sample', (_w, r) => isSmallSample(r.disclosed)],
  ['avg_min', (_w, r) => r.avgMin],
  ['avg_max', (_w, r) => r.avgMax],
  ['p25', (_w, r) => r.p25],
  ['median', (_w, r) => r.median],
  ['median_ci_low', (_w, r) => r.medianCi?.[0]],
  ['median_ci_high', (_w, r) => r.medianCi?.[1]],
  ['p75', (_w, r) => r.p75],
  ['remote', (_w, r) => r.remote],
  ['remote_pct', (_w, r) => r.remotePct],
  ['entry', (_w, r) => r.mix.entry],
  ['mid', (_w, r) => r.mix.mid],
  ['senior', (_w, r) => r.mix.senior],
  ['like_for_like_pct', (_w, r) => r.likeForLike?.change],
  ['like_for_like_ci_low_pct', (_w, r) => r.likeForLike?.ci?.[0]],
  ['like_for_like_ci_high_pct', (_w, r) => r.likeForLike?.ci?.[1]],
  ['like_for_like_cells', (_w, r) => r.likeForLike?.cells],
  ['like_for_like_excluded_cells', (_w, r) => r.likeForLike?.excludedCells],
  ['like_for_like_n', (_w, r) => r.likeForLike?.n.current],
  ['like_for_like_n_previous', (_w, r) => r.likeForLike?.n.previous],
  ['remote_median', (_w, r) => r.workMode?.remote.median],
  ['remote_disclosed', (_w, r) => r.workMode?.remote.n],
  ['onsite_median', (_w, r) => r.workMode?.onsite.median],
  ['onsite_disclosed', (_w, r) => r.workMode?.onsite.n],
  ['window_weeks', (_w, r) => r.payWindow?.weeks],
  ['window_median', (_w, r) => r.payWindow?.median],
  ['window_disclosed', (_w, r) => r.payWindow?.n],
  ['licence', () => LICENCE],
];

function weeksCsv(weeks: readonly WeekStats[]): string {
  const rows = weeks.flatMap((w) => w.roles.map((r) => CSV_COLUMNS.map(([, f]) => f(w, r) ?? '')));
  return stringify(rows, { header: true, columns: CSV_COLUMNS.map(([h]) => h), cast: { boolean: (b) => (b ? 'true' : 'false') } });
}

function weekJson(w: WeekStats): string {
  return JSON.stringify(
    {
      licence: LICENCE,
      licenceUrl: LICENCE_URL,
      week: w.week,
      start: w.start,
      end: w.end,
      totalPositions: w.total,
      roles: w.roles.map((r) => ({ ...r, name: roleBySlug(r.role)?.name ?? r.role, smallSample: isSmallSample(r.disclosed) })),
    },
    null,
    1,
  );
}

interface Body {
  text: string;
  etag: string;
}

export function mountOpenData(app: Hono, site: SiteData): void {
  const cache = new Map<string, Body>();
  let stamp = '';
  const body = async (v: SnapshotVersion, key: string, make: () => Promise<string | undefined>): Promise<Body | undefined> => {
    if (stamp !== v.stamp) {
      cache.clear();
      stamp = v.stamp;
    }
    let b = cache.get(key);
    if (!b) {
      const text = await make();
      if (text === undefined) return undefined;
      b = { text, etag: `"${createHash('sha1').update(text).digest('base64url')}"` };
      cache.set(key, b);
    }
    return b;
  };
  const send = (c: Context, b: Body, type: string) => {
    const headers = { 'content-type': type, etag: b.etag, 'cache-control': 'public, max-age=300, must-revalidate', link: `<${LICENCE_URL}>; rel="license"` };
    const inm = c.req.header('if-none-match');
    if (inm && inm.split(',').some((t) => t.trim() === b.etag || t.trim() === '*')) return c.body(null, 304, headers);
    return c.body(b.text, 200, headers);
  };

  app.get('/data/weeks.csv', async (c) => {
    const v = await site.version();
    const b = (await body(v, 'csv', async () => weeksCsv((await Promise.all(v.weeks.map((w) => site.week(v, w)))).filter((w) => w !== undefined))))!;
    return send(c, b, 'text/csv; charset=utf-8');
  });

  app.get('/data/:file{[0-9]{4}-W[0-9]{2}\\.json}', async (c) => {
    const week = c.req.param('file').replace(/\.json$/, '');
    const v = await site.version();
    if (!isWeekKey(week) || !v.weeks.includes(week)) return c.json({ error: `no snapshot for ${week}` }, 404);
    const b = (await body(v, week, async () => {
      const w = await site.week(v, week);
      return w ? weekJson(w) : undefined;
    }))!;
    return send(c, b, 'application/json; charset=utf-8');
  });
}
