// `digest preview [--week W] [--email ADDRESS] [--out FILE]`: the week's mail
// for one reader (their followed roles, their signed links) or, without an
// address, for a reader who follows no role, with plain site links. Composes
// the week first (as a draft) when it has no issue yet.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { createDigestRenderer } from './renderer.ts';
import { compileSegment, fillRecipient } from './render.ts';
import { composeWeek, readIssueByWeek, type StoredIssue } from './store.ts';
import { findSubscriberByEmail } from '../subscribers/store.ts';

export interface PreviewOptions {
  week: string;
  /** A subscriber's address: render exactly what they would get. */
  email?: string | undefined;
  /** Write the HTML here (folders are created). */
  out?: string | undefined;
  publicUrl: string;
  postalAddress: string;
  secret: string;
  templatesDir?: string;
}

export interface Preview {
  issue: Pick<StoredIssue, 'id' | 'week' | 'status' | 'subject'>;
  /** Who the preview is for. */
  reader: string;
  subject: string;
  html: string;
  text: string;
  /** Absolute path of the written HTML, when `out` was given. */
  file?: string;
  htmlBytes: number;
}

class PreviewError extends Error {
  override name = 'PreviewError';
}

export async function previewDigest(pool: Pick<pg.Pool, 'query'>, opts: PreviewOptions): Promise<Preview> {
  const issue = (await readIssueByWeek(pool, opts.week)) ?? (await composeWeek(pool, opts.week, opts.publicUrl)).issue;
  let reader: string;
  let mail: { subject: string; html: string; text: string };
  if (opts.email) {
    const s = await findSubscriberByEmail(pool, opts.email.trim());
    if (!s) throw new PreviewError(`no subscriber with the address ${opts.email}: add one with \`digest subscribers add\` or preview without --email`);
    const renderer = createDigestRenderer({ pool, secret: opts.secret, publicUrl: opts.publicUrl, postalAddress: opts.postalAddress, templatesDir: opts.templatesDir });
    mail = await renderer.renderFor(issue.id, { id: s.id, email: s.email, roles: s.roles });
    reader = `${s.email} (${s.status}${s.roles.length ? `, follows ${s.roles.join(', ')}` : ''})`;
  } else {
    // No reader: links go straight to the site's pages; personal links are placeholders.
    const paths = new Map(issue.content.links.map((l) => [l.id, l.path]));
    const compiled = await compileSegment(issue.content, [], {
      publicUrl: opts.publicUrl,
      postalAddress: opts.postalAddress,
      templatesDir: opts.templatesDir,
      linkSuffix: (id) => (paths.get(id) ?? '/').slice(1),
    });
    mail = fillRecipient(compiled, {
      linkPrefix: `${opts.publicUrl}/`,
      unsubscribeUrl: `${opts.publicUrl}/unsubscribe/preview`,
      preferencesUrl: `${opts.publicUrl}/preferences/preview`,
    });
    reader = 'a reader who follows no role (preview links, no tracking)';
  }
  const result: Preview = {
    issue: { id: issue.id, week: issue.week, status: issue.status, subject: issue.subject },
    reader,
    ...mail,
    htmlBytes: Buffer.byteLength(mail.html, 'utf8'),
  };
  if (opts.out) {
    const file = path.resolve(opts.out);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, mail.html, 'utf8');
    result.file = file;
  }
  return result;
}
