// Personalising a digest: 100,000 recipients across 20 segments, each segment
// compiled once (its MJML compile time included) and every recipient filled
// by string substitution with their own signed links (unsubscribe,
// preferences, click prefix), against compiling MJML per recipient, measured
// on a sample in the same run. Pure CPU: no database.
import { composeIssue } from '../../src/digest/compose.ts';
import { linkSuffixer } from '../../src/digest/links.ts';
import { compileSegment, fillRecipient, type CompiledDigest } from '../../src/digest/render.ts';
import { recipientUrls } from '../../src/digest/renderer.ts';
import { ROLES } from '../../src/roles/catalog.ts';
import { digestWeeks } from '../support/digest-weeks.ts';

export interface PersonaliseResult {
  recipients: number;
  segments: number;
  seconds: number;
  recipientsPerSecond: number;
  /** Compiling MJML for each recipient, measured on `sample` recipients. */
  perRecipientCompilePerSecond: number;
  sample: number;
  ratio: number;
  /** Mean HTML size of a filled mail, bytes. */
  htmlBytes: number;
  /** Recipients per second when each filled mail is also copied into one flat string. */
  flattenedRecipientsPerSecond: number;
  /** Recipients per second of the fill alone (links signed beforehand): the rest is token signing. */
  fillOnlyRecipientsPerSecond: number;
}

const PUBLIC_URL = 'https://digest.example';
const SECRET = 'bench-secret-0123456789abcdef0123456789';
const OPTS = { publicUrl: PUBLIC_URL, postalAddress: 'Salary Trends Digest, 1 Example Street, Springfield' };

/** 20 segments: no followed role, each role alone, and some pairs. */
function segments(n: number): string[][] {
  const slugs = ROLES.map((r) => r.slug);
  const out: string[][] = [[], ...slugs.map((s) => [s])];
  for (let i = 0; out.length < n; i++) out.push([slugs[i % slugs.length]!, slugs[(i * 5 + 3) % slugs.length]!]);
  return out.slice(0, n);
}

export async function benchPersonalise(opts: { recipients?: number; segments?: number; sample?: number } = {}): Promise<PersonaliseResult> {
  const recipients = opts.recipients ?? 100_000;
  const segs = segments(opts.segments ?? 20);
  const sample = opts.sample ?? 40;
  const weeks = digestWeeks();
  const content = composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL });
  const issue = { id: 1, composedAt: new Date('2026-11-23T13:00:00Z') };
  const compileOpts = { ...OPTS, linkSuffix: linkSuffixer(SECRET, issue.id) };

  // Warm both paths (JIT, MJML's lazy setup) outside the clock.
  await compileSegment(content, ['data-engineer'], compileOpts);

  let bytes = 0;
  let check = 0;
  const t0 = performance.now();
  const compiled: CompiledDigest[] = [];
  for (const s of segs) compiled.push(await compileSegment(content, s, compileOpts));
  for (let i = 0; i < recipients; i++) {
    // What renderFor does per recipient: sign their links, fill the segment.
    const out = fillRecipient(compiled[i % compiled.length]!, recipientUrls(PUBLIC_URL, SECRET, issue, i + 1));
    bytes += out.html.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const htmlBytes = Math.round(bytes / recipients);

  // The same again, reading the last character of both parts, which makes V8
  // copy each mail into one flat string (as the transport does when it writes
  // the body out): reported separately, it is memory bandwidth, not rendering.
  const tf = performance.now();
  for (let i = 0; i < recipients; i++) {
    const out = fillRecipient(compiled[i % compiled.length]!, recipientUrls(PUBLIC_URL, SECRET, issue, i + 1));
    check += out.html.charCodeAt(out.html.length - 1) + out.text.charCodeAt(out.text.length - 1);
  }
  const flatSeconds = (performance.now() - tf) / 1000;

  // Where the time goes: the fill alone, with every recipient's URLs signed beforehand.
  const signed = Array.from({ length: Math.min(recipients, 20_000) }, (_, i) => recipientUrls(PUBLIC_URL, SECRET, issue, i + 1));
  const ts = performance.now();
  for (let i = 0; i < signed.length; i++) check += fillRecipient(compiled[i % compiled.length]!, signed[i]!).html.length;
  const fillOnlyRecipientsPerSecond = signed.length / ((performance.now() - ts) / 1000);

  const t1 = performance.now();
  for (let i = 0; i < sample; i++) {
    const one = await compileSegment(content, segs[i % segs.length]!, compileOpts);
    const out = fillRecipient(one, recipientUrls(PUBLIC_URL, SECRET, issue, i + 1));
    check += out.html.length;
  }
  const baseSeconds = (performance.now() - t1) / 1000;
  if (check === 0) throw new Error('unreachable');

  const recipientsPerSecond = recipients / seconds;
  const perRecipientCompilePerSecond = sample / baseSeconds;
  return {
    recipients,
    segments: segs.length,
    seconds,
    recipientsPerSecond,
    perRecipientCompilePerSecond,
    sample,
    ratio: recipientsPerSecond / perRecipientCompilePerSecond,
    htmlBytes,
    flattenedRecipientsPerSecond: recipients / flatSeconds,
    fillOnlyRecipientsPerSecond,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchPersonalise();
  console.log(
    `personalise ${r.recipients.toLocaleString('en-US')} recipients / ${r.segments} segments: ` +
      `${Math.round(r.recipientsPerSecond).toLocaleString('en-US')} recipients/s (${r.seconds.toFixed(2)} s); ` +
      `MJML per recipient: ${r.perRecipientCompilePerSecond.toFixed(1)}/s; ratio ${Math.round(r.ratio).toLocaleString('en-US')}x; ` +
      `${Math.round(r.htmlBytes / 1024)} KB per mail; flattened: ${Math.round(r.flattenedRecipientsPerSecond).toLocaleString('en-US')} recipients/s; ` +
      `fill alone: ${Math.round(r.fillOnlyRecipientsPerSecond).toLocaleString('en-US')} recipients/s`,
  );
}
