// The delivery engine's pure parts: backoff, provider answer mapping,
// MIME built by MailComposer, webhook signatures, progress lines.
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { buildMime } from '../../src/delivery/mime.ts';
import { createProgressReporter, formatProgress } from '../../src/delivery/progress.ts';
import { classifyError, matchResults, retryAfterMs } from '../../src/delivery/resend-transport.ts';
import { backoffMs } from '../../src/delivery/retry.ts';
import { sign, verifySignature } from '../../src/delivery/webhook-signature.ts';

describe('backoff', () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 10_000 };
  it('doubles per failure with half of each step random, and stops growing at the cap', () => {
    expect([1, 2, 3].map((n) => backoffMs(n, policy, () => 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((n) => backoffMs(n, policy, () => 1))).toEqual([1000, 2000, 4000]);
    expect(backoffMs(20, policy, () => 1)).toBe(10_000);
    expect(backoffMs(20, policy, () => 0)).toBe(5000);
  });
});

describe('provider answers', () => {
  it('gives accepted ids to messages in order, skipping those a permissive batch rejected', () => {
    expect(matchResults(4, [{ id: 'a' }, { id: 'b' }], [{ index: 1, message: 'bad to' }, { index: 3, message: 'bad from' }])).toEqual([
      { ok: true, id: 'a' },
      { ok: false, error: 'bad to' },
      { ok: true, id: 'b' },
      { ok: false, error: 'bad from' },
    ]);
  });

  it('sorts errors into rate limited, retryable and rejected', () => {
    expect(classifyError({ statusCode: 429, name: 'rate_limit_exceeded', message: 'slow down' }, { 'retry-after': '2' })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 2000,
    });
    expect(classifyError({ statusCode: 429, name: 'daily_quota_exceeded', message: 'quota' }, {}).kind).toBe('rejected');
    expect(classifyError({ statusCode: 500, name: 'internal_server_error', message: 'x' }, null).kind).toBe('retryable');
    expect(classifyError({ statusCode: null, name: 'application_error', message: 'Unable to fetch data' }, null)).toEqual({
      kind: 'retryable',
      error: 'network application_error: Unable to fetch data',
    });
    expect(classifyError({ statusCode: 409, name: 'concurrent_idempotent_requests', message: 'x' }, null).kind).toBe('retryable');
    expect(classifyError({ statusCode: 409, name: 'invalid_idempotent_request', message: 'x' }, null).kind).toBe('rejected');
    expect(classifyError({ statusCode: 422, name: 'validation_error', message: 'x' }, null).kind).toBe('rejected');
  });

  it('reads retry-after as seconds, as a date, or falls back to one second', () => {
    expect(retryAfterMs({ 'retry-after': '0.5' })).toBe(500);
    expect(retryAfterMs(null)).toBe(1000);
    const inThree = new Date(Date.now() + 3000).toUTCString();
    expect(retryAfterMs({ 'retry-after': inThree })).toBeGreaterThan(1000);
  });
});

describe('MIME', () => {
  const message = {
    from: 'Digest <d@example.test>',
    to: 'r@example.test',
    subject: 'Gehälter',
    html: '<p>x</p>',
    text: `a=b €5 trailing \n${'y'.repeat(200)}`,
    headers: { 'List-Unsubscribe': '<https://x.test/u/t>' },
    tags: [{ name: 'kind', value: 'digest' }],
    kind: 'digest' as const,
  };
  const opts = { messageId: 'id@outbox', date: new Date('2026-11-23T13:00:00Z'), boundary: 'BOUND' };

  it('builds headers with encoded non-ASCII subjects, quoted-printable parts and a closing boundary', async () => {
    const raw = await buildMime(message, opts);
    const text = raw.toString('utf8');
    expect(text).toContain('Subject: =?UTF-8?Q?Geh=C3=A4lter?=');
    expect(text).toContain('Date: Mon, 23 Nov 2026 13:00:00 +0000');
    expect(text).toContain('List-Unsubscribe: <https://x.test/u/t>');
    expect(text).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(text.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(text.trimEnd()).toMatch(/--[^\r\n]*BOUND[^\r\n]*--$/);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Gehälter');
    expect(mail.text).toBe(`a=b €5 trailing \n${'y'.repeat(200)}`);
    expect(mail.messageId).toBe('<id@outbox>');
    expect(mail.headers.get('x-tags')).toBe('kind=digest');
  });

  it('encodes a long non-ASCII subject in encoded words of at most 75 characters that parse back (RFC 2047)', async () => {
    const subject = `Gehälter für KI-Rollen: Zürich, München, Genève — ${'Médiane en hausse, 東京 +4 % '.repeat(4)}`.trim();
    const raw = (await buildMime({ ...message, subject }, opts)).toString('utf8');
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    const subjectHeader = /^Subject:.*(?:\r\n[ \t].*)*/m.exec(head)![0];
    const words = subjectHeader.match(/=\?[^?]+\?[BbQq]\?[^?]*\?=/g) ?? [];
    expect(words.length).toBeGreaterThan(1);
    expect(words.every((w) => w.length <= 75), words.map((w) => w.length).join(',')).toBe(true);
    expect(head.split('\r\n').every((l) => l.length <= 78)).toBe(true);
    expect((await simpleParser(raw)).subject).toBe(subject);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = '{"type":"email.delivered","data":{}}';
  // Now: the library also holds the timestamp to the system clock.
  const ts = Math.floor(Date.now() / 1000);
  it('accepts a valid signature among several (key rotation) and refuses others', () => {
    const good = sign(secret, 'msg_1', ts, body);
    const headers = { 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': `v1,AAAA ${good}` };
    expect(verifySignature(secret, body, headers, ts + 10).ok).toBe(true);
    expect(verifySignature(secret, `${body} `, headers, ts)).toEqual({ ok: false, reason: 'bad signature' });
    expect(verifySignature(secret, body, headers, ts + 301)).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(verifySignature(secret, body, new Headers(headers), ts).ok).toBe(true);
  });

  it('signs the Svix documentation example to its published signature', () => {
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

describe('progress', () => {
  const p = { total: 5000, queued: 3000, sending: 200, sent: 1790, failed: 10, suppressed: 0 };
  it('formats sent, failed, remaining and the rate', () => {
    expect(formatProgress(p, 48.25)).toEqual({
      bar: `[${'#'.repeat(9)}${'.'.repeat(15)}]  36%`,
      line: '1,790/5,000 sent, 10 failed, 0 suppressed, 3,200 remaining, 48.3/s',
    });
  });

  it('writes one line a second when not on a terminal, and redraws in place on one', () => {
    let t = 0;
    const lines: string[] = [];
    const plain = createProgressReporter({ write: (s) => lines.push(s), isTTY: false }, () => t);
    for (t = 0; t < 3000; t += 250) plain.update(p);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.startsWith('send: ') && l.endsWith('\n'))).toBe(true);

    const drawn: string[] = [];
    const tty = createProgressReporter({ write: (s) => drawn.push(s), isTTY: true, columns: 100 }, () => t);
    tty.update(p);
    tty.done({ ...p, queued: 0, sending: 0, sent: 4990 });
    expect(drawn[0]!.startsWith('\r\x1b[2K[')).toBe(true);
    expect(drawn[1]).toMatch(/100%.*4,990\/5,000 sent.*\n$/);
  });
});
