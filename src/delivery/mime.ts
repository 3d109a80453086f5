// RFC 5322 / MIME message text for the outbox: multipart/alternative with a
// quoted-printable text part and HTML part, every header the provider would
// send. Pure: no file system, no clock (the date and ids are passed in).
import type { OutgoingMessage } from './transport.ts';

export interface MimeOptions {
  messageId: string;
  date: Date;
  boundary: string;
}

export function buildMime(m: OutgoingMessage, opts: MimeOptions): string {
  const headers: [string, string][] = [
    ['From', encodeAddressHeader(m.from)],
    ['To', encodeAddressHeader(m.to)],
    ['Subject', encodeWord(m.subject)],
    ['Date', opts.date.toUTCString().replace('GMT', '+0000')],
    ['Message-ID', `<${opts.messageId}>`],
    ['MIME-Version', '1.0'],
  ];
  for (const [name, value] of Object.entries(m.headers)) headers.push([name, encodeWord(value)]);
  if (m.tags.length > 0) headers.push(['X-Tags', m.tags.map((t) => `${t.name}=${t.value}`).join('; ')]);
  headers.push(['Content-Type', `multipart/alternative; boundary="${opts.boundary}"`]);

  const lines = headers.map(([k, v]) => foldHeader(`${k}: ${v}`));
  lines.push('', 'This is a multi-part message in MIME format.', '');
  for (const [type, body] of [
    ['text/plain', m.text],
    ['text/html', m.html],
  ] as const) {
    lines.push(
      `--${opts.boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(body),
    );
  }
  lines.push(`--${opts.boundary}--`, '');
  return lines.join('\r\n');
}

/** RFC 2047 encoded word when the value is not plain ASCII. */
export function encodeWord(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** `Name <addr>` with a non-ASCII display name encoded; the address stays as is. */
function encodeAddressHeader(value: string): string {
  const m = /^(.*?)\s*<([^>]+)>$/.exec(value);
  if (!m || m[1] === '') return value;
  const name = m[1]!.replace(/^"|"$/g, '');
  const shown = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeWord(name);
  return `${shown} <${m[2]}>`;
}

/** Fold at spaces so no header line exceeds 78 characters where possible. */
function foldHeader(line: string): string {
  if (line.length <= 78) return line;
  const out: string[] = [];
  let rest = line;
  while (rest.length > 78) {
    const cut = rest.lastIndexOf(' ', 78);
    if (cut <= 0) break;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out.join('\r\n');
}

/** Quoted-printable (RFC 2045) over UTF-8, CRLF line breaks, soft breaks at 76. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bytes = Buffer.from(rawLine, 'utf8');
    let line = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const last = i === bytes.length - 1;
      const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      const token = plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
      if (line.length + token.length > 75) {
        out.push(`${line}=`);
        line = '';
      }
      line += token;
    }
    out.push(line);
  }
  return out.join('\r\n');
}
