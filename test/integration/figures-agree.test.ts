// Every figure prints the same in `digest stats`, on the pages and in the
// mail (issue 16): over the demo weeks on PostgreSQL, for every role of every
// week, the figures are read back from what people see (the command line's
// table, the role page, a comparison page, the digest's HTML and text parts,
// the welcome mail's line)
// and compared as strings: open positions and their change, share, median,
// its change, n, 75th percentile, remote share, experience mix, top skill,
// the like-for-like change with its range, the week's dates and total.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import he from 'he';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePath } from '../../src/compare/canonical-pair.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import { createDigestRenderer } from '../../src/digest/renderer.ts';
import { composeWeek } from '../../src/digest/store.ts';
import { welcomeLatestOf } from '../../src/digest/welcome-figures.ts';
import { weekHeading } from '../../src/stats/figures.ts';
import { ROLES } from '../../src/roles/catalog.ts';
import { createApp } from '../../src/web/app.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { runCli } from '../support/run-cli.ts';

const WEEKS = ['2026-W46', '2026-W47'];
const PUBLIC_URL = 'http://figures.test';
const MINUS = '\u2212';
/** The mail prints "–" where the table leaves a change blank (no prior week). */
const NONE = '–';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const text = (html: string) => he.decode(html.replace(/<[^>]+>/g, '')).replace(/\u00a0/g, ' ').trim();

/** The `digest stats` table: its header line and one record per role name, keyed by column title (the two "Change" columns as "Change" and "Change 2"). */
function parseTable(out: string): { header: string; rows: Map<string, Record<string, string>> } {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Role '));
  const end = lines.indexOf('', at);
  const table = lines.slice(at, end);
  // Columns are joined by two or more spaces: a gutter is a run of 2+ positions blank on every line (cells hold single spaces only).
  const width = Math.max(...table.map((l) => [...l].length));
  const grid = table.map((l) => [...l.padEnd(width)]);
  const blank = Array.from({ length: width }, (_, i) => grid.every((r) => r[i] === ' '));
  const spans: [number, number][] = [];
  for (let i = 0; i < width; ) {
    if (blank[i] && blank[i + 1]) {
      while (blank[i]) i++;
      continue;
    }
    const s = i;
    while (i < width && !(blank[i] && blank[i + 1])) i++;
    spans.push([s, i]);
  }
  const cells = grid.map((r) => spans.map(([s, e]) => r.slice(s, e).join('').trim()));
  const titles = cells[0]!.map((t, i, all) => (all.indexOf(t) === i ? t : `${t} 2`));
  const rows = new Map<string, Record<string, string>>();
  for (const r of cells.slice(1)) rows.set(r[0]!, Object.fromEntries(titles.map((t, i) => [t, r[i]!])));
  return { header: lines[0]!, rows };
}

/** `<th scope="row">label</th><td ...>value</td>` pairs of a page, label -> values (one per role column). */
function rowCells(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of html.matchAll(/<tr><th scope="row">(.*?)<\/th>((?:<td[^>]*>.*?<\/td>)+)<\/tr>/g)) {
    const label = text(m[1]!);
    if (!out.has(label)) out.set(label, [...m[2]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => text(c[1]!)));
  }
  return out;
}

/** "Senior 22%, Mid 74%, Entry 4%" as the table's "4/74/22" (entry/mid/senior). */
function mixAsTable(line: string): string {
  const m = /^Senior (\d+)%, Mid (\d+)%, Entry (\d+)%$/.exec(line);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : line;
}

/** The like-for-like change with its range, as the mail's note and the role page's sentence print it. */
const MAIL_LFL = /like for like (\S+) \((95% range \S+ to \S+)\)/;
const PAGE_LFL = /: (\S+) on last week \((95% range \S+ to \S+)\)/;

interface MailRow {
  median: string;
  medianChange: string;
  note: string;
  positions: string;
  positionsChange: string;
}

function mailHtmlRow(html: string, name: string): MailRow | undefined {
  const m = new RegExp(
    `>${escapeRe(he.encode(name))}</a>(?:<span[^>]*>.*?</span>)?</td>\\s*` +
      // Each figure with its change beneath it, the sparkline's cell, then the pay note on its own full-width row.
      `<td[^>]*>(.*?)<br />\\s*<span[^>]*>(.*?)</span></td>\\s*<td[^>]*>(.*?)<br />\\s*<span[^>]*>(.*?)</span></td>\\s*` +
      `.*?</tr></table></td>\\s*</tr>\\s*<tr[^>]*>\\s*<td colspan="4"[^>]*>Pay: (.*?)</td>`,
  ).exec(html);
  return m ? { median: text(m[1]!), medianChange: text(m[2]!), note: text(m[5]!), positions: text(m[3]!), positionsChange: text(m[4]!) } : undefined;
}

function mailTextRow(body: string, name: string): MailRow | undefined {
  const lines = body.split('\n');
  const i = lines.findIndex((l) => l === name || l === `${name} (you follow)`);
  if (i < 0) return undefined;
  const pay = /^ {2}Median (.+?), change (.+?), (.+)$/.exec(lines[i + 1] ?? '');
  const pos = /^ {2}Open positions (.+?), change (.+)$/.exec(lines[i + 2] ?? '');
  return pay && pos ? { median: pay[1]!, medianChange: pay[2]!, note: pay[3]!, positions: pos[1]!, positionsChange: pos[2]! } : undefined;
}

describe('figures agree across digest stats, the pages and the mail (PostgreSQL, demo weeks)', () => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let app: ReturnType<typeof createApp>;
  const page = async (p: string) => {
    const res = await app.request(p);
    expect(res.status, p).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: WEEKS.length, endWeek: WEEKS.at(-1)!, tz: 'UTC' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'std-figures-'));
    env = { DATABASE_URL: db.url!, DATA_DIR: path.join(dir, 'data'), OUTBOX_DIR: path.join(dir, 'outbox'), LOG_LEVEL: 'silent', DIGEST_TZ: 'UTC' };
    app = createApp({ pool: db.pool, config: { publicUrl: PUBLIC_URL }, freshnessMs: 0 });
  }, 300_000);
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(WEEKS)('%s: every role prints the same figures everywhere', async (week) => {
    const first = week === WEEKS[0];
    const cli = await runCli(['stats', '--week', week], env);
    expect(cli.code, cli.stderr).toBe(0);
    const table = parseTable(cli.stdout);
    expect([...table.rows.keys()].sort()).toEqual(ROLES.map((r) => r.name).sort());

    const composed = await composeWeek(db.pool, week, PUBLIC_URL);
    const renderer = createDigestRenderer({ pool: db.pool, secret: 'figures-agree-secret-0123456789abcdef', publicUrl: PUBLIC_URL, postalAddress: 'Test Street 1' });
    const mail = await renderer.renderFor(composed.issue.id, { id: 1, email: 'reader@example.com', roles: [] });

    // The week's dates and total.
    const head = /^Week \S+ \((.+), UTC\): ([\d,]+) open postings(?: \((\S+), (\S+) vs \S+\))?/.exec(table.header)!;
    expect(head, table.header).not.toBeNull();
    const [, dates, total, totalChange, totalPct] = head;
    expect(mail.text.split('\n')[0]).toBe(`TRACK AI SALARY TRENDS · ${weekHeading(week)} (${dates})`);
    const summary = first ? `${dates}. Week-over-week changes start` : `${dates}. ${total} open positions, ${totalChange} (${totalPct}) on last week`;
    expect(mail.text).toContain(summary);
    expect(text(mail.html)).toContain(summary);

    let lflSeen = 0;
    for (const [i, role] of ROLES.entries()) {
      const c = table.rows.get(role.name)!;
      const ctx = `${week} ${role.name}`;
      const roleHtml = await page(`/roles/${role.slug}?week=${week}`);
      const other = ROLES[(i + 1) % ROLES.length]!;
      const cmpHtml = await page(`${comparePath(role.slug, other.slug)}?week=${week}`);
      const rp = rowCells(roleHtml);
      const cp = rowCells(cmpHtml);
      // The comparison's tables have one column per role, in canonical pair order.
      const roleFirst = cmpHtml.indexOf(`<th scope="col">${he.encode(role.name)}</th>`) < cmpHtml.indexOf(`<th scope="col">${he.encode(other.name)}</th>`);
      const side = (label: string) => {
        const cells = cp.get(label);
        expect(cells, `${ctx} compare page: ${label}`).toHaveLength(2);
        return cells![roleFirst ? 0 : 1]!;
      };
      const mh = mailHtmlRow(mail.html, role.name);
      const mt = mailTextRow(mail.text, role.name);
      expect(mh, `${ctx}: row in the mail's HTML`).toBeDefined();
      expect(mt, `${ctx}: row in the mail's text`).toEqual(mh);
      const welcome = welcomeLatestOf(composed.issue.content, [role.slug], PUBLIC_URL).figures[0]!.line;
      expect(welcome, `${ctx}: welcome mail`).toBe(`Median ${c.Median}${c['Change 2'] ? `, ${c['Change 2']}` : ''} · ${c.Open} open positions${c.Change ? `, ${c.Change}` : ''}`);

      // Week and total as the pages print them.
      expect(text(roleHtml), ctx).toContain(`(${dates})`);
      expect(text(cmpHtml), ctx).toContain(`(${dates})`);
      expect(rp.get(`Share of all ${total} tracked positions`), ctx).toBeDefined();
      expect(cp.get(`Share of all ${total} tracked positions`), ctx).toBeDefined();

      // Open positions and their change.
      expect([rp.get('Open positions')![0], side('Open positions'), mh!.positions], `${ctx}: open positions`).toEqual([c.Open, c.Open, c.Open]);
      expect(mh!.positionsChange, `${ctx}: change of open positions`).toBe(c.Change || NONE);
      // Share of all positions.
      expect([rp.get(`Share of all ${total} tracked positions`)![0], side(`Share of all ${total} tracked positions`)], `${ctx}: share`).toEqual([c.Share, c.Share]);
      // Median, its change and n.
      expect([rp.get('Median (top of range)')![0], side('Median salary (top of range)'), mh!.median], `${ctx}: median`).toEqual([c.Median, c.Median, c.Median]);
      expect(mh!.medianChange, `${ctx}: change of the median`).toBe(c['Change 2'] || NONE);
      const disclosed = rp.get('Postings that disclose pay')![0]!;
      expect(side('Postings that disclose pay'), `${ctx}: n`).toBe(disclosed);
      expect(text(roleHtml), `${ctx}: n beside the median`).toContain(`${c.Median} median top of range (n = ${disclosed})`);
      expect(mh!.note, `${ctx}: n in the mail`).toMatch(new RegExp(`n = ${escapeRe(disclosed)}( vs [\\d,]+)?(\\.|$)`));
      const noise = /^≈ noise \((n = .+)\)$/.exec(c['Pay move']!);
      if (noise) expect(mh!.note, `${ctx}: n this week vs last`).toContain(noise[1]);
      // 75th percentile, remote share, experience mix, top skill.
      expect([rp.get('75th percentile (top of range)')![0], side('75th percentile')], `${ctx}: P75`).toEqual([c.P75, c.P75]);
      expect([rp.get('Remote')![0], side('Remote')], `${ctx}: remote`).toEqual([c.Remote, c.Remote]);
      expect(text(roleHtml), `${ctx}: remote in the summary`).toContain(`${c.Remote} remote (`);
      expect([mixAsTable(rp.get('Experience mix')![0]!), mixAsTable(side('Experience mix'))], `${ctx}: mix`).toEqual([c['Mix e/m/s %'], c['Mix e/m/s %']]);
      const topSkill = /<h2 id="skills">Most requested skills<\/h2><ol class="rank"><li>(.*?) <span/.exec(roleHtml)?.[1];
      expect([topSkill && text(topSkill), side('Most requested skill')], `${ctx}: top skill`).toEqual([c['Top skill'], c['Top skill']]);
      // The like-for-like change and its range, where the mail states it.
      const lfl = MAIL_LFL.exec(mh!.note);
      if (lfl) {
        lflSeen++;
        const onPage = PAGE_LFL.exec(text(/<h2 id="like-for-like">[\s\S]*?<p>([\s\S]*?)<\/p>/.exec(roleHtml)?.[1] ?? ''));
        expect(onPage?.slice(1), `${ctx}: like for like`).toEqual(lfl.slice(1));
      }
    }
    if (!first) {
      // The comparisons above covered the cases that differed before: like-for-like sentences and signed changes with a minus.
      expect(lflSeen).toBeGreaterThan(5);
      expect([...table.rows.values()].some((r) => r.Change!.startsWith(MINUS) && r['Change 2']!.startsWith(MINUS))).toBe(true);
    }
  }, 300_000);
});
