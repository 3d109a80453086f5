// The digest against a real database: compose from demo data, render with
// tracked links, click them, and try forged tokens.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo/load.ts';
import { createArchive } from '../../src/digest/archive-pages.tsx';
import { composeIssue } from '../../src/digest/compose.ts';
import { clickToken } from '../../src/digest/links.ts';
import { previewDigest } from '../../src/digest/preview.ts';
import { createDigestRenderer } from '../../src/digest/renderer.ts';
import { CLICK_FALLBACK, composeWeek, readIssueByWeek, resolveClick, saveIssue, type StoredIssue } from '../../src/digest/store.ts';
import { emailSafe } from '../../src/digest/email-safe.ts';
import { escapeHtml } from '../../src/digest/template.ts';
import { readWeek } from '../../src/stats/snapshot.ts';
import type { RoleWeekStats } from '../../src/stats/types.ts';
import { digestWeeks } from '../support/digest-weeks.ts';
import { DB_KINDS, freshDatabase, freshPostgres, type TestDatabase } from '../support/db.ts';

const PUBLIC_URL = 'https://digest.example';
const SECRET = 'clicks-test-secret-0123456789abcdef';
const POSTAL = 'Salary Trends Digest, 1 Example Street, Springfield';

async function addReader(db: TestDatabase, email: string, roles: string[]): Promise<number> {
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO subscribers (email, status, roles, confirmed_at) VALUES ($1, 'active', $2, now()) RETURNING id`,
    [email, roles],
  );
  return rows[0]!.id;
}

function trackedLinks(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!).filter((h) => h.startsWith(`${PUBLIC_URL}/l/`));
}
const tokenOf = (url: string) => url.slice(`${PUBLIC_URL}/l/`.length);

async function clickRows(db: TestDatabase): Promise<{ subscriber_id: number; link_id: string }[]> {
  return (await db.pool.query(`SELECT subscriber_id, link_id FROM clicks ORDER BY link_id`)).rows;
}

describe.each(DB_KINDS)('click tracking on %s', (kind) => {
  let db: TestDatabase;
  let issue: StoredIssue;
  let reader: number;
  let html: string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const weeks = digestWeeks();
    issue = (await saveIssue(db.pool, composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL }))).issue;
    reader = await addReader(db, 'reader@example.com', ['data-engineer']);
    const renderer = createDigestRenderer({ pool: db.pool, secret: SECRET, publicUrl: PUBLIC_URL, postalAddress: POSTAL });
    html = (await renderer.renderFor(issue.id, { id: reader, email: 'reader@example.com', roles: ['data-engineer'] })).html;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('redirects a valid link to its page and records the click once', async () => {
    const links = trackedLinks(html);
    expect(links.length).toBeGreaterThan(15);
    const role = links.find((l) => tokenOf(l).includes('.role-data-engineer.'))!;
    const first = await resolveClick(db.pool, SECRET, tokenOf(role));
    // The issue's week rides along, so an old issue opens the figures it quoted.
    expect(first).toEqual({ location: '/roles/data-engineer?week=2026-W47', recorded: true });
    const again = await resolveClick(db.pool, SECRET, tokenOf(role));
    expect(again).toEqual({ location: '/roles/data-engineer?week=2026-W47', recorded: false });
    expect(await clickRows(db)).toEqual([{ subscriber_id: reader, link_id: 'role-data-engineer' }]);
    const web = links.find((l) => tokenOf(l).includes('.web.'))!;
    expect(await resolveClick(db.pool, SECRET, tokenOf(web))).toEqual({ location: '/issues/2026-W47', recorded: true });
    expect((await clickRows(db)).length).toBe(2);
  });

  it('sends forged, altered and unknown tokens to the comparison index, recording nothing', async () => {
    const before = (await clickRows(db)).length;
    const good = tokenOf(trackedLinks(html).find((l) => tokenOf(l).includes('.cmp-'))!);
    const [issueId, sub, mac, linkId, tag] = good.split('.') as [string, string, string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const bad = [
      '',
      'nonsense',
      `${Number(issueId) + 1}.${sub}.${mac}.${linkId}.${tag}`,
      `${issueId}.${Number(sub) + 1}.${mac}.${linkId}.${tag}`,
      `${issueId}.${sub}.${flip(mac)}.${linkId}.${tag}`,
      `${issueId}.${sub}.${mac}.${linkId}.${flip(tag)}`,
      // Another link id with this link's tag.
      `${issueId}.${sub}.${mac}.home.${tag}`,
      `${issueId}.${sub}.${mac}.${linkId}`,
      `${issueId}.${sub}.${mac}.${linkId}.${tag}.x`,
      `0${issueId}.${sub}.${mac}.${linkId}.${tag}`,
      // A URL where the link id goes.
      `${issueId}.${sub}.${mac}.https:%2F%2Fevil.example.${tag}`,
      // Properly signed, but with another secret.
      clickToken('another-secret-0123456789abcdefgh', { issueId: issue.id, subscriberId: reader, linkId: 'home' }),
      'x'.repeat(5000),
    ];
    for (const t of bad) {
      const out = await resolveClick(db.pool, SECRET, t);
      expect(out, t.slice(0, 80)).toEqual({ location: CLICK_FALLBACK, recorded: false, reason: 'bad-token' });
    }
    // Signed correctly, but the issue has no such link: still the index.
    const unknown = clickToken(SECRET, { issueId: issue.id, subscriberId: reader, linkId: 'not-a-link' });
    expect(await resolveClick(db.pool, SECRET, unknown)).toEqual({ location: CLICK_FALLBACK, recorded: false, reason: 'unknown-link' });
    const noIssue = clickToken(SECRET, { issueId: issue.id + 1000, subscriberId: reader, linkId: 'home' });
    expect((await resolveClick(db.pool, SECRET, noIssue)).location).toBe(CLICK_FALLBACK);
    expect((await clickRows(db)).length).toBe(before);
  });

  it('never redirects off the site, even if a stored path were tampered with', async () => {
    await db.pool.query(
      `UPDATE issues SET content = jsonb_set(content, '{links,2,path}', '"//evil.example/x"') WHERE id = $1 AND content->'links'->2->>'id' = 'home'`,
      [issue.id],
    );
    const home = clickToken(SECRET, { issueId: issue.id, subscriberId: reader, linkId: 'home' });
    const out = await resolveClick(db.pool, SECRET, home);
    expect(out.location).toBe(CLICK_FALLBACK);
    expect(out.recorded).toBe(false);
  });

  it('redirects an erased reader’s click without recording it', async () => {
    const t = clickToken(SECRET, { issueId: issue.id, subscriberId: 999_999, linkId: 'compare' });
    expect(await resolveClick(db.pool, SECRET, t)).toEqual({ location: '/compare', recorded: false });
  });
});

describe('digest on the demo data (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: 8, endWeek: '2026-W47', tz: 'UTC' });
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  const passes = (c: RoleWeekStats, p: RoleWeekStats) =>
    c.disclosed >= 15 && p.disclosed >= 15 && !!c.medianCi && !!p.medianCi && (c.medianCi[0] > p.medianCi[1] || c.medianCi[1] < p.medianCi[0]);

  it('composes every week with headline moves that pass the rule, and never one that does not', async () => {
    for (const week of ['2026-W41', '2026-W44', '2026-W47']) {
      const { issue } = await composeWeek(db.pool, week, PUBLIC_URL);
      const cur = (await readWeek(db.pool, week))!;
      const prev = (await readWeek(db.pool, issue.content.previousWeek!))!;
      for (const row of issue.content.shifts) {
        const c = cur.roles.find((r) => r.role === row.role)!;
        const p = prev.roles.find((r) => r.role === row.role)!;
        expect(row.payMove === 'headline', `${week} ${row.role}`).toBe(c.median != null && p.median != null && passes(c, p));
      }
      const h = issue.content.headline;
      if (h.kind === 'pay-move') {
        expect(passes(cur.roles.find((r) => r.role === h.role)!, prev.roles.find((r) => r.role === h.role)!)).toBe(true);
        expect(issue.subject).toContain(h.name);
      } else {
        expect(issue.content.shifts.some((r) => r.payMove === 'headline')).toBe(false);
      }
    }
  });

  it('says the first demo week has no prior week', async () => {
    const { issue } = await composeWeek(db.pool, '2026-W40', PUBLIC_URL);
    expect(issue.content.firstWeek).toBe(true);
    expect(issue.content.headline.text).toMatch(/no prior week/);
  });

  it('refuses a week without a snapshot', async () => {
    await expect(composeWeek(db.pool, '2026-W30', PUBLIC_URL)).rejects.toThrow(/no snapshot/);
  });

  it('renders the same mail twice, freezes once sent, and shows the issue in the archive', async () => {
    const { issue } = await composeWeek(db.pool, '2026-W47', PUBLIC_URL);
    const id = await addReader(db, 'demo@example.com', ['mlops-engineer']);
    const r = createDigestRenderer({ pool: db.pool, secret: SECRET, publicUrl: PUBLIC_URL, postalAddress: POSTAL });
    const one = await r.renderFor(issue.id, { id, email: 'demo@example.com', roles: ['mlops-engineer'] });
    const two = await r.renderFor(issue.id, { id, email: 'demo@example.com', roles: ['mlops-engineer'] });
    expect(two).toEqual(one);
    expect(Buffer.byteLength(one.html)).toBeLessThan(102 * 1024);

    const archive = createArchive({ pool: db.pool, publicUrl: PUBLIC_URL, postalAddress: POSTAL });
    expect(await archive.issue('2026-W47')).toBeUndefined(); // a draft is not public
    await db.pool.query(`UPDATE issues SET status = 'sent', sent_at = now() WHERE id = $1`, [issue.id]);
    const page = (await archive.issue('2026-W47'))!;
    for (const row of issue.content.shifts) {
      for (const s of [row.medianText, row.medianChangeText, row.positionsText]) {
        expect(page.replace(/&#160;/g, ' ')).toContain(emailSafe(escapeHtml(s)));
        expect(one.text).toContain(s);
        expect(one.html.replace(/&#160;/g, ' ')).toContain(emailSafe(escapeHtml(s)));
      }
    }
    expect(await archive.index()).toContain('/issues/2026-W47');
    expect(await archive.issue('2026-W01')).toBeUndefined();
    expect(await archive.issue('../etc')).toBeUndefined();

    // Sent: composing again leaves the frozen content alone.
    await db.pool.query(`UPDATE role_weeks SET median = median + 50000 WHERE week = '2026-W47'`);
    const again = await composeWeek(db.pool, '2026-W47', PUBLIC_URL);
    expect(again.written).toBe(false);
    expect((await readIssueByWeek(db.pool, '2026-W47'))!.content).toEqual(issue.content);
  });

  it('previews a week for a subscriber and for nobody in particular', async () => {
    const id = await addReader(db, 'Preview@Example.com', ['data-engineer']);
    const out = path.join(tmpdir(), `digest-preview-${process.pid}`, 'w46.html');
    const opts = { week: '2026-W46', publicUrl: PUBLIC_URL, postalAddress: POSTAL, secret: SECRET };
    const mine = await previewDigest(db.pool, { ...opts, email: 'preview@example.com', out });
    expect(mine.issue.week).toBe('2026-W46');
    expect(mine.reader).toContain('follows data-engineer');
    expect(readFileSync(out, 'utf8')).toBe(mine.html);
    expect(mine.text).toContain('Data Engineer (you follow)');
    const link = trackedLinks(mine.html).find((l) => tokenOf(l).includes('.role-data-engineer.'))!;
    expect(await resolveClick(db.pool, SECRET, tokenOf(link))).toEqual({ location: '/roles/data-engineer?week=2026-W46', recorded: true });
    expect((await db.pool.query('SELECT subscriber_id FROM clicks WHERE subscriber_id = $1', [id])).rowCount).toBe(1);

    const anyone = await previewDigest(db.pool, opts);
    expect(anyone.html).toContain(`href="${PUBLIC_URL}/roles/data-engineer?week=2026-W46"`);
    expect(trackedLinks(anyone.html)).toEqual([]);
    await expect(previewDigest(db.pool, { ...opts, email: 'nobody@example.com' })).rejects.toThrow(/no subscriber/);
  });
});

