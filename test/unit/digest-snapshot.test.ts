// The weekly digest as a reader gets it, rendered from the fixed fixture weeks
// (test/support/digest-weeks.ts, 2026-W40..W47) with a fixed issue, reader and
// composition date: HTML and plain text kept as file snapshots, so any change
// to what readers see shows up as a diff to review (as the transactional mails'
// snapshots in emails-snapshot.test.ts do).
import { describe, expect, it } from 'vitest';
import { composeIssue } from '../../src/digest/compose.ts';
import { linkSuffixer } from '../../src/digest/links.ts';
import { compileSegment, fillRecipient } from '../../src/digest/render.ts';
import { recipientUrls } from '../../src/digest/renderer.ts';
import { digestWeeks } from '../support/digest-weeks.ts';

const PUBLIC_URL = 'https://digest.example';
const SECRET = 'snapshot-test-secret-0123456789abcdef';
const OPTS = { publicUrl: PUBLIC_URL, postalAddress: 'Salary Trends Digest, 1 Example Street, Springfield' };
const ISSUE = { id: 7, composedAt: new Date('2026-11-23T13:00:00Z') };
const SUBSCRIBER = 42;

async function renderFor(segment: string[]) {
  const weeks = digestWeeks();
  const content = composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL });
  const compiled = await compileSegment(content, segment, { ...OPTS, linkSuffix: linkSuffixer(SECRET, ISSUE.id) });
  return fillRecipient(compiled, recipientUrls(PUBLIC_URL, SECRET, ISSUE, SUBSCRIBER));
}

describe('weekly digest', () => {
  it.each([
    ['all-roles', []],
    ['data-scientist', ['data-scientist']],
  ])('matches the HTML and text snapshots for a reader of %s', async (name, segment) => {
    const mail = await renderFor(segment as string[]);
    // Two renders of the same input are the same bytes, or a snapshot would only record noise.
    expect(await renderFor(segment as string[])).toEqual(mail);
    await expect(mail.html).toMatchFileSnapshot(`./__snapshots__/digest-${name}.html`);
    await expect(`Subject: ${mail.subject}\n\n${mail.text}\n`).toMatchFileSnapshot(`./__snapshots__/digest-${name}.txt`);
  });
});
