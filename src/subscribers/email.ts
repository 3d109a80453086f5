// Email addresses as readers type them: trimmed, domain lower-cased and, for
// international domains, converted to punycode. Anything that could smuggle a
// header (CR, LF, other control characters) or that a mail server would not
// accept is refused with a sentence a person can act on. Pure.
import { domainToASCII } from 'node:url';

export type EmailCheck = { ok: true; email: string } | { ok: false; message: string };

const MAX_LENGTH = 254; // RFC 5321 path limit
const MAX_LOCAL = 64;

// Local part: the dot-atom of RFC 5322 (no quoted strings: no provider we send
// through accepts them reliably, and readers do not use them).
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function normalizeEmail(input: unknown): EmailCheck {
  if (typeof input !== 'string') return { ok: false, message: 'Please enter your email address.' };
  // Control characters anywhere (CR/LF in particular) are an injection attempt, not a typo: refuse before trimming.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(input.replace(/^[ \t]+|[ \t]+$/g, ''))) {
    return { ok: false, message: 'That address contains line breaks or control characters. Please enter a single email address.' };
  }
  const raw = input.trim();
  if (raw === '') return { ok: false, message: 'Please enter your email address.' };
  if (raw.length > MAX_LENGTH) return { ok: false, message: 'That address is too long to be an email address.' };
  if (/[\s,;<>"()[\]\\]/.test(raw)) {
    return { ok: false, message: 'Please enter one email address, without spaces, names or angle brackets (like name@example.com).' };
  }
  const at = raw.lastIndexOf('@');
  if (at <= 0 || at === raw.length - 1 || raw.indexOf('@') !== at) {
    return { ok: false, message: 'An email address needs one @ with a name before it and a domain after it (like name@example.com).' };
  }
  const local = raw.slice(0, at);
  const domainIn = raw.slice(at + 1);
  if (local.length > MAX_LOCAL) return { ok: false, message: 'The part before the @ is too long (at most 64 characters).' };
  if (!LOCAL_ATOM.test(local.replace(/\./g, '')) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { ok: false, message: 'The part before the @ has characters an email address cannot use.' };
  }
  const ascii = domainToASCII(domainIn.toLowerCase().replace(/\.$/, ''));
  if (ascii === '') return { ok: false, message: `“${domainIn}” is not a valid domain.` };
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    return { ok: false, message: `“${domainIn}” is not a valid domain (it needs a dot, like example.com).` };
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) {
    return { ok: false, message: 'Please use an address with a domain name, not an IP address.' };
  }
  const email = `${local}@${ascii}`;
  if (email.length > MAX_LENGTH) return { ok: false, message: 'That address is too long to be an email address.' };
  return { ok: true, email };
}
