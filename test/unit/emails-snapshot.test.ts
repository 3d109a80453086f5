// The transactional mails, rendered with their preview props: HTML and
// plain text kept as file snapshots, plus the properties every mail must have.
import { describe, expect, it } from 'vitest';
import { PREVIEW_PROPS, renderMail, type TransactionalKind } from '../../src/subscribers/mails.ts';
import { loadConfig } from '../../src/config.ts';
import { DEMO_NOTICE } from '../../src/demo/status.ts';

const KINDS: TransactionalKind[] = ['confirm', 'welcome'];

describe.each(KINDS)('%s mail', (kind) => {
  it('matches the HTML and text snapshots', async () => {
    const mail = await renderMail(kind, PREVIEW_PROPS[kind]);
    await expect(mail.html).toMatchFileSnapshot(`./__snapshots__/email-${kind}.html`);
    await expect(`Subject: ${mail.subject}\n\n${mail.text}\n`).toMatchFileSnapshot(`./__snapshots__/email-${kind}.txt`);
  });

  it('carries its links, the postal address and no script in both parts', async () => {
    const props = PREVIEW_PROPS[kind];
    const mail = await renderMail(kind, props);
    expect(mail.html).toMatch(/^<!DOCTYPE html/);
    expect(mail.html).toContain('<html dir="ltr" lang="en">');
    expect(mail.html).not.toMatch(/<script|<link rel="stylesheet"/i);
    for (const url of Object.entries(props).filter(([k]) => k.endsWith('Url') && k !== 'siteUrl').map(([, v]) => v as string)) {
      expect(mail.html).toContain(`href="${url}"`);
      expect(mail.text).toContain(url);
    }
    expect(mail.text).toContain(props.postalAddress);
    expect(mail.text).not.toMatch(/<[a-z]/i);
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});

it('escapes what it is given', async () => {
  const mail = await renderMail('confirm', { ...PREVIEW_PROPS.confirm, roles: ['<b>x</b>'], postalAddress: 'A & B <c>' });
  expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
  expect(mail.html).toContain('A &amp; B &lt;c&gt;');
});

it('the reminder says it is the only one', async () => {
  const mail = await renderMail('confirm', { ...PREVIEW_PROPS.confirm, reminder: true });
  expect(mail.subject).toMatch(/^Reminder/);
  expect(mail.text).toContain('This is the only reminder we send');
});

it('on a demo instance with demo data: the notice comes first, the footer says it is a demo instance', async () => {
  const props = { ...PREVIEW_PROPS.welcome, postalAddress: loadConfig({}).postalAddress, notice: DEMO_NOTICE };
  const mail = await renderMail('welcome', props);
  await expect(mail.html).toMatchFileSnapshot('./__snapshots__/email-welcome-demo.html');
  await expect(`Subject: ${mail.subject}\n\n${mail.text}\n`).toMatchFileSnapshot('./__snapshots__/email-welcome-demo.txt');
  expect(mail.text.trimStart().split('\n').slice(0, 3).join('\n')).toContain('Demo data: generated postings, not real openings.');
  expect(mail.text).toContain('This is a demo instance: no postal address is configured.');
  expect(`${mail.html}${mail.text}`).not.toContain('postal address not configured');
  // Without the notice, no trace of it.
  expect((await renderMail('welcome', PREVIEW_PROPS.welcome)).text).not.toContain('Demo data');
});
