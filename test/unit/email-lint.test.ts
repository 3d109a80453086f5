// caniemail lint (@jsx-email/doiuse-email) of the compiled digest and of the
// transactional mails (confirm, welcome) for Gmail, Outlook and
// Apple Mail: no errors, apart from three that every HTML mail gets and that
// lose nothing here (each with its reason below). Warnings ("partially
// supported") are listed in the README.
import { doIUseEmail } from '@jsx-email/doiuse-email';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeIssue } from '../../src/digest/compose.ts';
import { linkSuffixer } from '../../src/digest/links.ts';
import { compileSegment, fillRecipient } from '../../src/digest/render.ts';
import { recipientUrls } from '../../src/digest/renderer.ts';
import { PREVIEW_PROPS, renderMail } from '../../src/subscribers/mails.ts';
import { digestWeeks } from '../support/digest-weeks.ts';

const CLIENTS = ['gmail.*', 'outlook.*', 'apple-mail.*'];
const PUBLIC_URL = 'https://digest.example';
const SECRET = 'lint-test-secret-0123456789abcdef';
const OPTS = { publicUrl: PUBLIC_URL, postalAddress: 'Salary Trends Digest, 1 Example Street, Springfield' };

/** Feature -> the clients caniemail flags it for, and why that is harmless. */
const ACCEPTED: Record<string, { clients: string[]; why: string }> = {
  '`<body> element`': {
    clients: ['outlook.macos', 'outlook.ios', 'outlook.android'],
    why: 'these apps replace <body> by a <div>; MJML (and React Email\'s <Body>) repeat the background on a wrapper, so nothing is lost',
  },
  '`role attribute`': {
    clients: ['outlook.windows-mail'],
    why: 'Windows Mail strips role="presentation" from layout tables: an accessibility hint, not layout',
  },
  '`aria-label attribute`': {
    clients: ['outlook.windows-mail'],
    why: 'Windows Mail strips the trend’s label; the same figures are in the table cells and the text part',
  },
};

function lint(html: string) {
  const r = doIUseEmail(html, { emailClients: CLIENTS });
  const errors = (r.success ? [] : r.errors).map((e) => {
    const m = /^(`[^`]+`) is not supported by `([^`]+)`/.exec(e);
    return { feature: m?.[1] ?? e, client: m?.[2] ?? '' };
  });
  return { errors };
}

describe('caniemail lint for Gmail, Outlook and Apple Mail', () => {
  const pages: Record<string, string> = {};
  beforeAll(async () => {
    const weeks = digestWeeks();
    const c = composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL });
    const urls = recipientUrls(PUBLIC_URL, SECRET, { id: 3, composedAt: new Date('2026-11-23T13:00:00Z') }, 9);
    const opts = { ...OPTS, linkSuffix: linkSuffixer(SECRET, 3) };
    pages['mail'] = fillRecipient(await compileSegment(c, [], opts), urls).html;
    pages['mail, following two roles'] = fillRecipient(await compileSegment(c, ['data-engineer', 'nlp-engineer'], opts), urls).html;
    pages['mail, following one role'] = fillRecipient(await compileSegment(c, ['prompt-engineer'], opts), urls).html;
  });

  it.each(['mail', 'mail, following two roles', 'mail, following one role'])('%s has no errors beyond the accepted three', (name) => {
    const { errors } = lint(pages[name]!);
    const unexpected = errors.filter((e) => !ACCEPTED[e.feature]?.clients.includes(e.client));
    expect(unexpected).toEqual([]);
  });

  it('reports the accepted errors for exactly their clients (the list stays honest)', () => {
    const { errors } = lint(pages['mail']!);
    const seen: Record<string, string[]> = {};
    for (const e of errors) (seen[e.feature] ??= []).includes(e.client) || seen[e.feature]!.push(e.client);
    for (const [feature, a] of Object.entries(ACCEPTED)) expect([...(seen[feature] ?? [])].sort(), feature).toEqual([...a.clients].sort());
  });

  it('catches a real problem: a <style> block with @media is an error for Outlook on Windows', () => {
    const bad = pages['mail']!.replace('</head>', '<style>@media (max-width:480px){.x{color:red}}</style></head>');
    expect(lint(bad).errors.some((e) => e.feature === '`@media`' && e.client === 'outlook.windows')).toBe(true);
  });
});

describe('caniemail lint of the transactional mails', () => {
  const mails: Record<string, string> = {};
  beforeAll(async () => {
    mails['confirm'] = (await renderMail('confirm', PREVIEW_PROPS.confirm)).html;
    mails['confirm reminder'] = (await renderMail('confirm', { ...PREVIEW_PROPS.confirm, reminder: true })).html;
    mails['confirm, all roles'] = (await renderMail('confirm', { ...PREVIEW_PROPS.confirm, roles: [] })).html;
    mails['welcome'] = (await renderMail('welcome', PREVIEW_PROPS.welcome)).html;
  });

  // Only "nothing unexpected": a mail that no longer triggers one of the accepted three is fine.
  it.each(['confirm', 'confirm reminder', 'confirm, all roles', 'welcome'])('%s mail has no errors beyond the accepted three', (name) => {
    const { errors } = lint(mails[name]!);
    const unexpected = errors.filter((e) => !ACCEPTED[e.feature]?.clients.includes(e.client));
    expect(unexpected).toEqual([]);
  });

  it('catches a real problem: a React Email-style hidden preview is an error for Gmail and Outlook', () => {
    const hidden = '<div style="display:none;overflow:hidden;opacity:0;max-height:0">hidden preview</div>';
    const bad = mails['welcome']!.replace('<!--body-->', `<!--body-->${hidden}`);
    expect(bad).toContain(hidden);
    const features = new Set(lint(bad).errors.map((e) => `${e.feature} ${e.client}`));
    expect(features).toContain('`display:none` gmail.mobile-webmail');
    expect(features).toContain('`opacity` outlook.windows');
  });
});
