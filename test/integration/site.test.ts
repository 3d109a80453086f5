// The public site over a real database: the reference comparisons from the
// demo data show every figure of test/fixtures/reference-week.json; redirects, 404s, earlier
// weeks, caching headers, and feed text escaped on the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import seed from '../fixtures/reference-week.json' with { type: 'json' };
import { comparePath } from '../../src/compare/canonical-pair.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import { ingestRecords } from '../../src/postings/ingest.ts';
import { roleBySlug } from '../../src/roles/catalog.ts';
import { readWeek, snapshotWeek } from '../../src/stats/snapshot.ts';
import { createApp } from '../../src/web/app.ts';
import { DB_KINDS, freshDatabase, freshPostgres, type TestDatabase } from '../support/db.ts';

const END_WEEK = '2026-W47';
const PUBLIC_URL = 'http://site.test';

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

/** The page's visible text, tags dropped, entities decoded, whitespace collapsed. */
function textOf(html: string): string {
  return decode(html.replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

/** The items of the first `<ul class="skills…">` after the heading that contains `heading`. */
function skillsAfter(html: string, heading: string): string[] {
  const at = html.indexOf(heading);
  expect(at, `heading "${heading}"`).toBeGreaterThan(-1);
  const rest = html.slice(at);
  const next = /<h3|<h2/.exec(rest.slice(heading.length));
  const block = rest.slice(0, heading.length + (next?.index ?? rest.length));
  const ul = /<ul class="skills[^"]*">([\s\S]*?)<\/ul>/.exec(block);
  if (!ul) return [];
  return [...ul[1]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => decode(m[1]!));
}

const name = (slug: string) => roleBySlug(slug)!.name;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// The reference pages title-case skill names crudely ("Aws", "Rag"); the product
// prints them properly ("AWS", "RAG"). Compare names case-insensitively.
const lowered = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());
const n = (x: number) => x.toLocaleString('en-US');

describe('comparison pages over the demo data (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    db = await freshPostgres();
    await loadDemoData(db.pool, { weeks: 4, endWeek: END_WEEK, tz: 'UTC' });
    app = createApp({ pool: db.pool, config: { publicUrl: PUBLIC_URL }, freshnessMs: 0 });
  });
  afterAll(async () => {
    await db?.close();
  });

  for (const c of seed.comparisons) {
    it(`shows every reference figure of ${c.a} vs ${c.b}`, async () => {
      const path = comparePath(c.a, c.b);
      const asked = await app.request(`/compare/${c.a}-vs-${c.b}`);
      if (path !== `/compare/${c.a}-vs-${c.b}`) {
        expect(asked.status).toBe(301);
        expect(asked.headers.get('location')).toBe(path);
      } else {
        expect(asked.status).toBe(200);
      }
      const res = await app.request(path);
      expect(res.status).toBe(200);
      const html = await res.text();
      const text = textOf(html);

      // Pay: the reference pages' percentage and ceiling gap, labelled as the average posted top of range
      // (the pages used unrounded means: +-1, observed_rules).
      if (c.higher_pay) {
        const lower = c.higher_pay === c.a ? c.b : c.a;
        const m = new RegExp(
          `${escapeRe(name(c.higher_pay))}, average posted top of range: (\\d+)% higher, \\$(\\d+)K above ${escapeRe(name(lower))} \\(means over [\\d,]+ and [\\d,]+ disclosed salaries`,
        ).exec(text);
        expect(m, 'average top-of-range figure').not.toBeNull();
        expect(Math.abs(Number(m![1]) - c.pays_more_pct!)).toBeLessThanOrEqual(1);
        expect(Math.abs(Number(m![2]) - c.ceiling_gap_k!)).toBeLessThanOrEqual(1);
      } else {
        expect(text).toContain('Average posted top of range: within $5K of each other');
        expect(text).not.toMatch(/average posted top of range: \d+% higher/);
      }
      // The pay verdict itself rests on the medians and their intervals.
      expect(text).toMatch(/likely pays more: median top of range|No clear difference in pay: median top of range|Too few .* postings disclose a salary/);

      // Both position counts, with the busier role named.
      const [pa, pb] = c.positions as [number, number];
      const [hiN, loN] = pa > pb ? [pa, pb] : [pb, pa];
      expect(text).toContain(`${name(c.more_positions)} has more openings right now: ${n(hiN)} open positions against ${n(loN)}`);

      // Remote pick only when the shares differ by 10 points or more.
      if (c.remote_pick) expect(text).toContain(`${name(c.remote_pick)} is the better bet`);
      else expect(text).not.toContain('is the better bet');

      // Skills: shared (alphabetical), overlap, unique (rank order, at most 4).
      expect(lowered(skillsAfter(html, 'Skills both roles ask for'))).toEqual(lowered(c.shared_skills));
      expect(text).toMatch(new RegExp(`${c.overlap} of the 8 most requested skills (is|are) common to both \\(${Math.round((c.overlap / 8) * 100)}%\\)`));
      // Its base sits inside the sentence, and the figures are said once.
      expect(text).toMatch(/common to both \(\d+%\)[^.]* \(top skills of [\d,]+ [^)]+ postings(, small sample)?\)\./);
      expect(text).not.toContain('Overlap:');
      if (c.overlap_pct !== undefined) expect(text).toContain(`(${c.overlap_pct}%)`);
      // The page lists pairs in canonical order; the reference entry may be the other way round.
      const flipped = !path.startsWith(`/compare/${c.a}-vs-`);
      const [first, second] = flipped ? [c.b, c.a] : [c.a, c.b];
      const [uniqueFirst, uniqueSecond] = flipped ? [c.unique_b_first4, c.unique_a_first4] : [c.unique_a_first4, c.unique_b_first4];
      expect(lowered(skillsAfter(html, `Only in ${name(first)}`))).toEqual(lowered(uniqueFirst));
      expect(lowered(skillsAfter(html, `Only in ${name(second)}`))).toEqual(lowered(uniqueSecond));

      // Disclosed counts: the reference ones where published, and always the stored ones.
      const week = (await readWeek(db.pool, END_WEEK))!;
      const disclosed = (slug: string) => week.roles.find((r) => r.role === slug)!.disclosed;
      if (c.disclosed) expect([disclosed(c.a), disclosed(c.b)]).toEqual(c.disclosed);
      expect(text).toContain(
        `These figures come from ${n(disclosed(first))} ${name(first)} and ${n(disclosed(second))} ${name(second)} postings`,
      );
      expect(text).toContain(`Postings that disclose pay ${n(disclosed(first))} ${n(disclosed(second))}`);

      // Shares of all tracked positions print non-zero.
      expect(text).not.toMatch(/accounts for 0% /);
      expect(text).not.toMatch(/ for 0%\./);

      // The trend chart, with its numbers in a table.
      expect(html).toContain('<svg');
      expect(text).toContain('Median advertised top of range');
    });
  }

  it('prints a small share with enough precision (80 of 26,159 is 0.3%)', async () => {
    const html = await (await app.request(comparePath('ai-ml-engineer', 'mlops-engineer'))).text();
    const text = textOf(html);
    expect(text).toContain(`Of all ${n(seed.total_positions)} open AI positions this week`);
    expect(text).toContain('MLOps Engineer accounts for 0.3%');
    expect(text).toContain('AI/ML Engineer for 90.8%');
  });

  it('redirects the reversed order to the canonical address, keeping the week', async () => {
    const res = await app.request('/compare/ai-software-engineer-vs-mlops-engineer?week=2026-W46');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/compare/mlops-engineer-vs-ai-software-engineer?week=2026-W46');
  });

  it('answers an unknown role with a 404 that lists the roles we track', async () => {
    const res = await app.request('/compare/mlops-engineer-vs-astronaut');
    expect(res.status).toBe(404);
    const text = textOf(await res.text());
    expect(text).toContain('“astronaut” is not a role we track');
    expect(text).toContain('AI Software Engineer');
    expect((await app.request('/roles/astronaut')).status).toBe(404);
    expect((await app.request('/compare/nothing-here')).status).toBe(404);
    expect((await app.request('/no/such/page')).status).toBe(404);
  });

  it('shows an earlier week with ?week= and refuses weeks it does not have', async () => {
    const latest = textOf(await (await app.request('/roles/mlops-engineer')).text());
    const res = await app.request('/compare/mlops-engineer-vs-ai-software-engineer?week=2026-W45');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<link rel="canonical" href="${PUBLIC_URL}/compare/mlops-engineer-vs-ai-software-engineer?week=2026-W45"/>`);
    expect(textOf(html)).toContain('week 45 of 2026');
    const w45 = (await readWeek(db.pool, '2026-W45'))!.roles.find((r) => r.role === 'mlops-engineer')!;
    expect(textOf(html)).toContain(`Open positions ${n(w45.positions)}`);
    expect(latest).toContain('week 47 of 2026');
    expect((await app.request('/roles/mlops-engineer?week=2019-W01')).status).toBe(404);
    expect((await app.request('/roles/mlops-engineer?week=last-week')).status).toBe(400);
  });

  it('serves the landing page with this week, featured comparisons and the subscribe form', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('action="/subscribe"');
    expect(html).toContain('name="roles[]"');
    expect(textOf(html)).toContain(`${n(seed.total_positions)} open AI positions`);
    expect(html).toMatch(/href="\/compare\/[a-z-]+-vs-[a-z-]+"/);
    // This app mounts no subscription routes (the service does): the form's target is not answered here.
    const sub = await app.request('/subscribe', { method: 'POST', body: new URLSearchParams({ email: 'a@b.c' }) });
    expect(sub.status).toBe(404);
  });

  it('serves the role page and the comparison index', async () => {
    const role = await app.request('/roles/ai-software-engineer');
    expect(role.status).toBe(200);
    const text = textOf(await role.text());
    expect(text).toContain('Open positions 598');
    expect(text).toContain('Postings that disclose pay 518');
    expect(text).toContain('AI Software Engineer vs MLOps Engineer');
    const index = await (await app.request('/compare')).text();
    expect(index).toContain('href="/compare/mlops-engineer-vs-ai-software-engineer"');
    const pick = await app.request('/compare?a=ai-software-engineer&b=mlops-engineer');
    expect(pick.status).toBe(302);
    expect(pick.headers.get('location')).toBe('/compare/mlops-engineer-vs-ai-software-engineer');
  });

  it('labels every cell of a stacked table with column heads: a phone shows it one card per row, with the labels only', async () => {
    for (const path of ['/roles/mlops-engineer', '/roles/ai-software-engineer', '/compare/mlops-engineer-vs-ai-software-engineer']) {
      const html = await (await app.request(path)).text();
      const tables = [...html.matchAll(/<table class="stack">([\s\S]*?)<\/table>/g)].map((m) => m[1]!).filter((t) => t.includes('<thead'));
      expect(tables.length, path).toBeGreaterThan(0);
      for (const t of tables) {
        const caption = /<caption>([\s\S]*?)<\/caption>/.exec(t)?.[1] ?? '';
        for (const td of t.match(/<td\b[^>]*>/g) ?? []) expect(td, `${path}: ${caption}`).toContain('data-label=');
      }
    }
  });

  it('sends validators, compression and security headers', async () => {
    const path = '/compare/mlops-engineer-vs-ai-software-engineer';
    const first = await app.request(path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('last-modified')).toBeTruthy();
    expect(first.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    const again = await app.request(path, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const since = await app.request(path, { headers: { 'if-modified-since': first.headers.get('last-modified')! } });
    expect(since.status).toBe(304);
    const gz = await app.request(path, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).toBe(await first.text());
    const health = await app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: 'up', latestWeek: END_WEEK, lastIssue: null });
  });
});

describe.each(DB_KINDS)('feed text on the pages is escaped (%s)', (kind) => {
  let db: TestDatabase;
  let app: ReturnType<typeof createApp>;
  const evilCompany = `<script>alert("co")</script> & 'Quotes' "Inc"`;
  const evilTitle = `Prompt Engineer <script>alert('title')</script> "LLM"`;
  const evilMetro = `<img src=x onerror=alert(1)>`;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const records = [];
    for (let i = 0; i < 24; i++) {
      records.push({
        external_id: `evil-${i}`,
        title: i % 2 ? evilTitle : 'MLOps Engineer',
        company: evilCompany,
        location: evilMetro,
        metro: evilMetro,
        salary_min: 100_000 + i * 1_000,
        salary_max: 150_000 + i * 2_000,
        skills: ['Python', '<b>Bold</b>'],
        seen_at: i < 12 ? '2026-11-11' : '2026-11-18',
      });
    }
    const summary = await ingestRecords(db.pool, records, { source: 'evil' });
    expect(summary.rejected).toBe(0);
    await snapshotWeek(db.pool, '2026-W46', 'UTC');
    await snapshotWeek(db.pool, '2026-W47', 'UTC');
    app = createApp({ pool: db.pool, config: { publicUrl: PUBLIC_URL }, freshnessMs: 0 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('shows company, metro and skill names escaped, never as markup', async () => {
    for (const path of ['/', '/compare/prompt-engineer-vs-mlops-engineer', '/roles/prompt-engineer', '/roles/mlops-engineer']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).not.toMatch(/<script/i);
      expect(html, path).not.toMatch(/<img/i);
      expect(html, path).not.toContain('<b>Bold');
      if (path !== '/') {
        expect(html, path).toContain('&lt;script&gt;alert(&quot;co&quot;)&lt;/script&gt; &amp; &#x27;Quotes&#x27; &quot;Inc&quot;');
        expect(html, path).toContain('&lt;img src=x onerror=alert(1)&gt;');
        expect(textOf(html), path).toContain(`${evilCompany}: 6 openings`);
      }
    }
  });

  it('classifies the hostile title by its words and keeps it off the page', async () => {
    const week = (await readWeek(db.pool, '2026-W47'))!;
    expect(week.roles.find((r) => r.role === 'prompt-engineer')!.positions).toBe(6);
    const html = await (await app.request('/roles/prompt-engineer')).text();
    expect(html).not.toContain("alert('title')");
    expect(html).not.toContain('alert(&#x27;title&#x27;)');
  });

  it('serves the two weeks, latest first, and picks up a new snapshot', async () => {
    const before = await app.request('/roles/mlops-engineer?week=2026-W46');
    expect(before.status).toBe(200);
    const etag = (await app.request('/roles/mlops-engineer')).headers.get('etag');
    await ingestRecords(
      db.pool,
      [{ external_id: 'late-1', title: 'MLOps Engineer', company: 'Late Co', salary_max: 400_000, seen_at: '2026-11-19' }],
      { source: 'evil' },
    );
    await snapshotWeek(db.pool, '2026-W47', 'UTC');
    const after = await app.request('/roles/mlops-engineer');
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(textOf(await after.text())).toContain('Late Co: 1 opening');
  });
});

describe('when the database is gone', () => {
  it('answers pages with the 500 page and health with 503', async () => {
    const db = await freshDatabase('pglite');
    const errors: unknown[] = [];
    const app = createApp({
      pool: db.pool,
      config: { publicUrl: PUBLIC_URL },
      freshnessMs: 0,
      log: { error: (o: unknown) => errors.push(o), warn: () => {} } as never,
    });
    await db.close();
    const res = await app.request('/compare/mlops-engineer-vs-ai-software-engineer');
    expect(res.status).toBe(500);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(textOf(await res.text())).toContain('Something went wrong');
    expect(errors).toHaveLength(1);
    const health = await app.request('/healthz');
    expect(health.status).toBe(503);
  });
});
