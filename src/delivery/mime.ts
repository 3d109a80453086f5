// RFC 5322 / MIME message text for the outbox: multipart/alternative with a
// quoted-printable text part and HTML part, every header the provider would
// send. Built by nodemailer's MailComposer (encoded words, folding,
// quoted-printable). Pure: no file system, no clock (the date and ids are passed in).
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { OutgoingMessage } from './transport.ts';

export interface MimeOptions {
  messageId: string;
  date: Date;
  boundary: string;
}

export async function buildMime(m: OutgoingMessage, opts: MimeOptions): Promise<Buffer> {
  const extra: Record<string, string> = { ...m.headers };
  if (m.tags.length > 0) extra['X-Tags'] = m.tags.map((t) => `${t.name}=${t.value}`).join('; ');
  // Plain-ASCII values go out as given, on one line: a List-Unsubscribe URL
  // is not folded, so mail clients that read the raw line find it whole.
  const headers = Object.fromEntries(
    Object.entries(extra).map(([key, value]) => [key, /^[\x20-\x7e]{0,900}$/.test(value) ? { prepared: true, value } : value]),
  );
  const mail = new MailComposer({
    from: m.from,
    to: m.to,
    subject: m.subject,
    date: opts.date,
    messageId: `<${opts.messageId}>`,
    text: m.text,
    html: m.html,
    headers,
    textEncoding: 'quoted-printable',
    baseBoundary: opts.boundary,
  });
  return mail.compile().build();
}
