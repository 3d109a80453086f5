// Issue 14 over the demo weeks on a real database: every comparison page (all
// role pairs), every role page, the landing page and the digest: no claim
// without its n, no small-sample claim as a headline, mover or featured
// reason, no pay verdict contradicting the medians shown; /data/weeks.csv
// parses and matches the pages; /methodology prints the code's constants.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement as h } from 'react';
import { allPairs, comparePath } from '../../src/compare/canonical-pair.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import { composeIssue } from '../../src/digest/compose.ts';
import { ROLES, roleBySlug } from '../../src/roles/catalog.ts';
import { intervalsOverlap } from '../../src/stats/diff.ts';
import { METHOD } from '../../src/stats/method.ts';
import { listWeeks, readWeek } from '../../src/stats/snapshot.ts';
import { SENIORITIES, type RoleWeekStats, type WeekStats } from '../../src/stats/types.ts';
import { createApp } from '../../src/web/app.ts';
import { money, moneySize, weekLabel } from '../../src/stats/figures.ts';
import { MethodologyPage } from '../../src/web/pages/methodology-page.tsx';
import { freshPostgres, type TestDatabase } from '../support/db.ts';

const END_WEEK = '2026-W47';
const SMALL = METHOD.smallSampleN;
const n = (x: number) => x.toLocaleString('en-US');
const name = (slug: string) => roleBySlug(slug)!.name;

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
}
const textOf = (html: string) => decode(html.replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
/** The text of each <li> of the quick verdict, role descriptions (which start with the role's name in bold) left out. */
function verdictItems(html: string): string[] {
  const block = /<div class="verdict">([\s\S]*?)<\/div>/.exec(html)![1]!;
  return [...block.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!).filter((li) => !li.startsWith('<strong>')).map(textOf);
}
const HAS_N = /n = [\d,]+|[\d,]+ and [\d,]+ disclosed salaries|[\d,]+ of [\d,]+ postings?|[\d,]+ open positions|[\d,]+ each/;

describe('claims and open data over the demo weeks (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let weeks: WeekStats[];
  const get = async (path: string) => {
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: 3, endWeek: END_WEEK, tz: 'UTC' });
    app = createApp({ pool: db.pool, config: { publicUrl: 'http://site.test' }, freshnessMs: 0 });
    weeks = await Promise.all((await listWeeks(db.pool)).map(async (w) => (await readWeek(db.pool, w))!));
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it('compare pages, every pair and week: each verdict with its n, small samples marked, pay verdicts that agree with the medians', async () => {
    let likely = 0;
    let unclear = 0;
    let oneSided = 0;
    for (const w of weeks) {
      const by = new Map(w.roles.map((r) => [r.role, r]));
      for (const { a, b } of allPairs(ROLES.map((r) => r.slug))) {
        const html = await get(`${comparePath(a, b)}?week=${w.week}`);
        const items = verdictItems(html);
        const [ra, rb] = [by.get(a)!, by.get(b)!];
        for (const item of items) expect(item, `${a} vs ${b} ${w.week}`).toMatch(HAS_N);
        const pay = items[0]!;
        const m = /^(.*) likely pays more: median top of range/.exec(pay);
        if (m) {
          likely++;
          const [hi, lo] = m[1] === name(a) ? [ra, rb] : [rb, ra];
          expect(m[1]).toBe(name(hi.role));
          expect(hi.median!).toBeGreaterThan(lo.median!);
          expect(intervalsOverlap(hi.medianCi!, lo.medianCi!)).toBe(false);
          expect(pay).toContain(`${money(hi.median)} (95% range ${money(hi.medianCi![0])}–${money(hi.medianCi![1])}, n = ${n(hi.disclosed)})`);
        } else if (pay.startsWith('No clear difference in pay')) {
          unclear++;
          expect(ra.medianCi && rb.medianCi ? intervalsOverlap(ra.medianCi, rb.medianCi) : true).toBe(true);
          // Without a range the sentence names the side that lacks one, never one whose range it prints.
          const noRange = [ra, rb].filter((r) => !r.medianCi);
          if (noRange.length === 1) expect(pay).toContain(`too few ${name(noRange[0]!.role)} postings for a 95% range`);
          if (noRange.length === 1) oneSided++;
          if (noRange.length === 2) expect(pay).toContain('too few postings on either side for a 95% range');
          if (noRange.length === 0) expect(pay).toContain('the two ranges overlap');
        } else {
          expect(pay).toMatch(/^Too few .* postings disclose a salary/);
          expect(ra.median === null || rb.median === null).toBe(true);
        }
        const small = ra.disclosed < SMALL || rb.disclosed < SMALL;
        if (small && !pay.startsWith('Too few')) expect(pay).toContain('(small sample)');
        if (!small) expect(pay).not.toContain('small sample');
        const remote = items.find((i) => i.includes('is the better bet'));
        if (remote && (ra.positions < SMALL || rb.positions < SMALL)) expect(remote).toContain('small sample');
        // The average top-of-range figure is labelled as such, and a disagreement with the medians is said.
        const avg = items.find((i) => i.includes('average posted top of range:'));
        if (avg && ra.median !== null && rb.median !== null && ra.median !== rb.median) {
          const avgHigher = avg.startsWith(name(a)) ? a : b;
          const medianHigher = ra.median > rb.median ? a : b;
          if (avgHigher !== medianHigher) expect(items.some((i) => i.startsWith('The median and the average disagree'))).toBe(true);
        }
      }
    }
    // The demo weeks exercise both verdicts.
    expect(likely).toBeGreaterThan(0);
    expect(unclear).toBeGreaterThan(0);
    expect(oneSided).toBeGreaterThan(0);
  });

  it('role pages say the n of their median and remote share, and mark a seniority median on a small sample', async () => {
    const w = weeks.at(-1)!;
    let marked = 0;
    for (const r of w.roles) {
      const html = await get(`/roles/${r.role}`);
      const text = textOf(html);
      // The table under the pay chart gives each week's median its n.
      expect(html, r.role).toContain(`<th scope="row">${weekLabel(w.week)}</th><td class="num">${money(r.median)} (n\u00a0=\u00a0${n(r.disclosed)})</td>`);
      for (const lvl of SENIORITIES) {
        const k = r.bySeniority[lvl]?.n ?? 0;
        const small = r.bySeniority[lvl]?.median != null && k < SMALL;
        marked += small ? 1 : 0;
        const row = `<th scope="row">${lvl[0]!.toUpperCase()}${lvl.slice(1)}</th><td class="num" data-label="Median">${money(r.bySeniority[lvl]?.median)}</td>`;
        expect(html, `${r.role} ${lvl}`).toContain(`${row}<td class="num" data-label="Postings with pay">${n(k)}${small ? ' (small sample)' : ''}</td>`);
      }
      expect(text).toContain(`${money(r.median)} median top of range (n = ${n(r.disclosed)})`);
      expect(text).toContain(`remote (${n(r.remote)} of ${n(r.positions)} postings)`);
      if (r.likeForLike?.change != null) expect(text).toMatch(/like for like|Like for like/);
      // A small role is also shown over the rolling window, labelled as such, with its n.
      if (r.disclosed < METHOD.windowMinDisclosed) {
        expect(r.payWindow).toMatchObject({ weeks: METHOD.windowWeeks });
        expect(text).toContain(`Over the rolling ${METHOD.windowWeeks}-week window from`);
        expect(text).toMatch(new RegExp(`rolling ${METHOD.windowWeeks}-week window from [^.]*(n = [\\d,]+|postings disclose pay)`));
      } else {
        expect(r.payWindow ?? null).toBeNull();
      }
    }
    expect(w.roles.some((r) => r.payWindow)).toBe(true);
    expect(marked).toBeGreaterThan(0);
  });

  it('the landing page: highest median and most remote with n, never on a small sample; featured pay reasons neither', async () => {
    const w = weeks.at(-1)!;
    const html = await get('/');
    const text = textOf(html);
    const top = /highest median: (.+?) \(n = ([\d,]+)\)/.exec(text)!;
    expect(Number(top[2]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(SMALL);
    const remote = /most remote: (.+?) \(([\d,]+) of ([\d,]+) postings\)/.exec(text)!;
    expect(Number(remote[3]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(SMALL);
    // The roles table marks a median on fewer than 30 postings.
    let marked = 0;
    for (const r of w.roles) {
      const small = r.median != null && r.disclosed < SMALL;
      marked += small ? 1 : 0;
      expect(html, r.role).toMatch(new RegExp(`<a href="/roles/${r.role}">[^<]*</a></th>.*?data-label="Postings with pay">${n(r.disclosed)}${small ? ' \\(small sample\\)' : ''}</td>`));
    }
    expect(marked).toBeGreaterThan(0);
    const by = new Map(w.roles.map((r) => [name(r.role), r]));
    for (const card of html.matchAll(/<li class="card"><p class="muted">([^<]*)<\/p><a href="[^"]*">([^<]*) vs ([^<]*)<\/a><p>([^<]*)<\/p>/g)) {
      const [, reason, x, y, verdict] = card.map((s) => decode(s ?? '')) as string[];
      expect(verdict).toMatch(HAS_N);
      if (reason !== 'The most openings') {
        expect(by.get(x!)!.disclosed).toBeGreaterThanOrEqual(SMALL);
        expect(by.get(y!)!.disclosed).toBeGreaterThanOrEqual(SMALL);
      }
    }
  });

  it('the digest of each week: headline, movers and featured reasons never rest on a small sample; every row has its n; a pay-gap reason can be read off the medians', () => {
    let payReasons = 0;
    for (let i = 1; i < weeks.length; i++) {
      const [previous, current] = [weeks[i - 1]!, weeks[i]!];
      const issue = composeIssue({ week: current.week, current, previous, history: weeks.slice(0, i + 1), publicUrl: 'http://site.test' });
      const cur = new Map(current.roles.map((r) => [r.role, r]));
      const prev = new Map(previous.roles.map((r) => [r.role, r]));
      const big = (role: string, f: (r: RoleWeekStats) => number) => f(cur.get(role)!) >= SMALL && f(prev.get(role)!) >= SMALL;
      if (issue.headline.kind === 'pay-move') expect(big(issue.headline.role, (r) => r.disclosed)).toBe(true);
      for (const m of issue.movers) {
        expect(big(m.role, m.kind === 'pay' ? (r) => r.disclosed : (r) => r.positions)).toBe(true);
        expect(m.nText).toMatch(/^n = /);
      }
      for (const row of issue.shifts) expect(row.noteText).toMatch(/n = /);
      for (const c of issue.comparisons) {
        expect(c.verdict).toMatch(HAS_N);
        const payGap = /The gap between their median tops of range (widened|narrowed) by (\S+) since last week/.exec(c.reason);
        if (payGap) {
          for (const r of [c.a, c.b]) expect(big(r, (s) => s.disclosed)).toBe(true);
          // The change can be read off the medians the table prints.
          const g = (m: Map<string, RoleWeekStats>) => Math.abs(m.get(c.a)!.median! - m.get(c.b)!.median!);
          const change = g(cur) - g(prev);
          expect([payGap[1], payGap[2]], `${c.a} vs ${c.b}`).toEqual([change > 0 ? 'widened' : 'narrowed', moneySize(change)]);
          payReasons++;
        }
        if (c.reason.includes('gap in open positions')) {
          for (const r of [c.a, c.b]) expect(big(r, (s) => s.positions)).toBe(true);
        }
      }
    }
    expect(payReasons).toBeGreaterThan(0);
  });

  it('/data/weeks.csv parses with a CSV library and matches the figures on the pages; ETag answers 304', async () => {
    const res = await app.request('/data/weeks.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    const rows = parse(await res.text(), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(rows).toHaveLength(weeks.length * ROLES.length);
    expect(new Set(rows.map((r) => r.licence))).toEqual(new Set(['CC BY 4.0']));
    const latest = weeks.at(-1)!;
    const landing = textOf(await get('/'));
    for (const row of rows.filter((r) => r.week === latest.week)) {
      const median = row.median === '' ? null : Number(row.median);
      const rolePage = textOf(await get(`/roles/${row.role}`));
      expect(rolePage).toContain(`${money(median)} median top of range (n = ${n(Number(row.disclosed))})`);
      expect(rolePage).toContain(`(${n(Number(row.remote))} of ${n(Number(row.positions))} postings)`);
      expect(landing).toContain(`${row.role_name} ${n(Number(row.positions))}`);
      if (row.like_for_like_pct !== '') expect(Number(row.like_for_like_n)).toBeGreaterThan(0);
    }
    const again = await app.request('/data/weeks.csv', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const json = await app.request(`/data/${latest.week}.json`);
    expect(json.status).toBe(200);
    const body = (await json.json()) as { licence: string; roles: { role: string; median: number | null; disclosed: number }[] };
    expect(body.licence).toBe('CC BY 4.0');
    expect(body.roles.map((r) => r.role)).toEqual(latest.roles.map((r) => r.role));
    expect((await app.request(`/data/${latest.week}.json`, { headers: { 'if-none-match': json.headers.get('etag')! } })).status).toBe(304);
    expect((await app.request('/data/2020-W01.json')).status).toBe(404);
    // Linked from every page.
    expect(await get('/')).toContain('href="/data/weeks.csv"');
  });

  it('/methodology prints the constants the code uses, and changes when one changes', async () => {
    const html = await get('/methodology');
    for (const key of ['smallSampleN', 'lflMinCellN', 'lflMetroMinCellN', 'minDisclosedForPay', 'minDisclosedForCi', 'metroMedianMinN', 'windowMinDisclosed'] as const) {
      expect(html).toContain(`data-constant="${key}">${METHOD[key]}<`);
    }
    expect(html).toContain(`data-constant="bootstrapDraws">${n(METHOD.bootstrapDraws)}<`);
    expect(html).toContain(`data-constant="bootstrapSeed">${METHOD.bootstrapSeed}<`);
    const changed = renderToStaticMarkup(h(MethodologyPage, { method: { ...METHOD, smallSampleN: 41, bootstrapDraws: 2500 }, publicUrl: 'http://x' }));
    expect(changed).toContain('data-constant="smallSampleN">41<');
    expect(changed).toContain('data-constant="bootstrapDraws">2,500<');
    expect(changed).not.toContain(`data-constant="smallSampleN">${METHOD.smallSampleN}<`);
    // Linked from every page's footer.
    for (const path of ['/', '/compare', `/roles/${ROLES[0]!.slug}`, comparePath(ROLES[0]!.slug, ROLES[1]!.slug)]) {
      expect(await get(path)).toContain('href="/methodology"');
    }
  });
});
