import mjml2html from 'mjml';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderArchiveIssue } from '../../src/digest/archive-pages.tsx';
import { composeIssue } from '../../src/digest/compose.ts';
import type { IssueContent } from '../../src/digest/content.ts';
import { linkSuffixer, parseClickToken } from '../../src/digest/links.ts';
import { emailSafe } from '../../src/digest/email-safe.ts';
import { buildMjml, compileMjml, compileSegment, fillRecipient, type CompiledDigest } from '../../src/digest/render.ts';
import { recipientUrls } from '../../src/digest/renderer.ts';
import { escapeHtml } from '../../src/digest/template.ts';

/** A data string as it appears in the compiled HTML: escaped, non-ASCII as numeric references. */
const inHtml = (s: string) => emailSafe(escapeHtml(s));
/** Figures in table cells use no-break spaces; read them as spaces. */
const nb = (html: string) => html.replace(/&#160;/g, ' ');
import { digestWeeks, HOSTILE_COMPANY } from '../support/digest-weeks.ts';

const PUBLIC_URL = 'https://digest.example';
const SECRET = 'render-test-secret-0123456789abcdef';
const OPTS = { publicUrl: PUBLIC_URL, postalAddress: 'Salary Trends Digest, 1 Example Street, Springfield' };
const ISSUE_ID = 7;
const SUBSCRIBER = 42;

function content(mutate?: (w: ReturnType<typeof digestWeeks>) => void): IssueContent {
  const weeks = digestWeeks();
  mutate?.(weeks);
  return composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL });
}

const compile = (c: IssueContent, seg: string[]) => compileSegment(c, seg, { ...OPTS, linkSuffix: linkSuffixer(SECRET, ISSUE_ID) });
const urls = recipientUrls(PUBLIC_URL, SECRET, { id: ISSUE_ID, composedAt: new Date('2026-11-23T13:00:00Z') }, SUBSCRIBER);

describe('rendered digest', () => {
  let c: IssueContent;
  let compiled: CompiledDigest;
  let mail: { subject: string; html: string; text: string };
  let web: string;
  beforeAll(async () => {
    c = content();
    compiled = await compile(c, ['data-scientist']);
    mail = fillRecipient(compiled, urls);
    web = await renderArchiveIssue(c, OPTS);
  });

  it('prints the same figures in the HTML, the text part and the archive page', () => {
    const strings = [
      c.headline.text,
      c.summary,
      c.total.text,
      ...c.shifts.flatMap((r) => [r.name, r.medianText, r.medianChangeText, r.positionsText, r.positionsChangeText, r.noteText]),
      ...c.movers.flatMap((m) => [m.figure, m.nText]),
      ...c.risingSkills.flatMap((s) => s.skills),
    ];
    for (const s of strings) {
      expect(mail.text, s).toContain(s);
      expect(nb(mail.html), s).toContain(inHtml(s));
      expect(nb(web), s).toContain(inHtml(s));
    }
    // Featured cards: the week's pairs on the web, the reader's pairs in the mail.
    for (const id of c.featured) {
      const card = c.comparisons.find((x) => x.linkId === id)!;
      expect(web).toContain(inHtml(card.verdict));
    }
    expect(mail.subject).toBe(c.subject);
  });

  it('fills every slot: no markers, and every link is a valid token or a subscriber link', () => {
    for (const out of [mail.html, mail.text, web]) {
      expect(out).not.toMatch(/[\uE000\uE001]/);
      expect(out).not.toContain('{{');
    }
    const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs.length).toBeGreaterThan(15);
    const linkIds = new Set(c.links.map((l) => l.id));
    const seen = new Set<string>();
    for (const h of hrefs) {
      if (h === urls.unsubscribeUrl || h === urls.preferencesUrl) continue;
      expect(h.startsWith(`${PUBLIC_URL}/l/`), h).toBe(true);
      const ref = parseClickToken(SECRET, h.slice(`${PUBLIC_URL}/l/`.length));
      expect(ref, h).toMatchObject({ issueId: ISSUE_ID, subscriberId: SUBSCRIBER });
      expect(linkIds.has(ref!.linkId)).toBe(true);
      seen.add(ref!.linkId);
    }
    expect(hrefs).toContain(urls.unsubscribeUrl);
    expect(hrefs).toContain(urls.preferencesUrl);
    expect(seen.has('web')).toBe(true);
    // The text part carries the same links.
    expect(mail.text).toContain(urls.unsubscribeUrl);
    expect(mail.text).toContain(`${urls.linkPrefix}role-data-engineer.`);
    // The web version has no personal links at all.
    expect(web).not.toContain('/l/');
    expect(web).not.toContain('/unsubscribe/');
    expect(web).not.toContain('/preferences/');
    expect(web).toContain(`${PUBLIC_URL}/compare/data-scientist-vs-data-engineer`);
  });

  it('escapes markup from the data in HTML and the archive', () => {
    expect(c.movers.some((m) => m.context.includes(HOSTILE_COMPANY))).toBe(true);
    for (const html of [mail.html, web]) {
      expect(html).not.toContain('<script');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons');
    }
    expect(mail.text).toContain(HOSTILE_COMPANY);
  });

  it('does not let data open a per-recipient slot', async () => {
    const evil = content((w) => {
      w[7]!.roles.find((r) => r.role === 'data-scientist')!.topCompanies[0]!.name = 'X\uE000U\uE001Y';
    });
    const out = fillRecipient(await compile(evil, []), urls);
    expect(out.html).toContain('XUY');
    expect(out.text).toContain('XUY');
    expect(out.html.split(urls.unsubscribeUrl).length - 1).toBe(1);
  });

  it('is 7-bit clean, stays under Gmail’s 102 KB clip and gives every image alt text', async () => {
    expect(mail.html).toMatch(/^[\x00-\x7f]*$/);
    expect(web).toMatch(/^[\x00-\x7f]*$/);
    for (const seg of [[], ['data-scientist'], ['prompt-engineer', 'mlops-engineer', 'ai-ml-engineer']]) {
      const out = fillRecipient(await compile(c, seg), urls);
      expect(Buffer.byteLength(out.html, 'utf8')).toBeLessThan(102 * 1024);
      for (const img of out.html.match(/<img\b[^>]*>/gi) ?? []) expect(img).toMatch(/\balt="[^"]*"/);
    }
    expect(Buffer.byteLength(web, 'utf8')).toBeLessThan(102 * 1024);
  });

  it('draws each trend as 8 table-cell bars, tallest for the highest week', () => {
    const row = mail.html.slice(mail.html.indexOf('Data Engineer</a>'));
    const heights = [...row.matchAll(/<td width="5" style="[^"]*border-bottom:(\d+)px solid/g)].slice(0, 8).map((m) => Number(m[1]));
    expect(heights).toHaveLength(8);
    expect(heights[7]).toBe(24);
    expect(Math.max(...heights)).toBe(24);
  });

  it('compiles personalised segments with the followed rows first', () => {
    const seg = ['nlp-engineer', 'ai-architect'];
    return compile(c, seg).then((cs) => {
      const out = fillRecipient(cs, urls);
      const nlp = out.html.indexOf('>NLP Engineer</a>');
      const pe = out.html.indexOf('>Prompt Engineer</a>');
      expect(nlp).toBeGreaterThan(0);
      expect(nlp).toBeLessThan(pe);
      expect(out.html).toContain('(you follow)');
      expect(out.text.indexOf('NLP Engineer (you follow)')).toBeLessThan(out.text.indexOf('\nPrompt Engineer'));
      expect(cs.segment).toEqual(['ai-architect', 'nlp-engineer']);
    });
  });
});

describe('MJML validation', () => {
  it('passes at strict level for the mail and the web version', async () => {
    const c = content();
    for (const [seg, mode] of [[[], 'email'], [['data-engineer', 'nlp-engineer'], 'email'], [[], 'web']] as const) {
      const src = buildMjml(c, seg, mode, OPTS);
      const res = await mjml2html(src, { validationLevel: 'strict' });
      expect(res.errors).toEqual([]);
    }
  });

  it('strict validation is really on: an invalid attribute fails the compile', async () => {
    const src = buildMjml(content(), [], 'email', OPTS).replace('<mj-divider />', '<mj-divider nonsense="1" />');
    await expect(compileMjml(src)).rejects.toThrow(/nonsense/);
  });
});

describe('a digest composed from demo weeks', () => {
  it('says so once in the HTML, the text part and the web version; a real week does not', async () => {
    const weeks = digestWeeks();
    const demo = composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL, demo: true });
    expect(demo.demo).toBe(true);
    const notice = 'Demo data: generated postings, not real openings.';
    const mail = fillRecipient(await compile(demo, []), urls);
    expect(mail.html.split(notice)).toHaveLength(2);
    expect(mail.text.split('\n').filter((l) => l === notice)).toHaveLength(1);
    expect(await renderArchiveIssue(demo, OPTS)).toContain(notice);
    const real = fillRecipient(await compile(content(), []), urls);
    expect(`${real.html}${real.text}`).not.toContain('Demo data');
  });
});
