import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../src/crypto/hmac-key.ts';

describe('hmacSha256', () => {
  it('matches the RFC 4231 test case 2', () => {
    expect(hmacSha256('Jefe', 'what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs multi-byte UTF-8 messages and keys as UTF-8 bytes', () => {
    for (const [secret, msg] of [
      ['unicode-secret-ü-0123456789', 'Zürich · 東京 · 🚀'],
      ['a long secret '.repeat(10), 'é'.repeat(500)],
    ] as const) {
      const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(msg, 'utf8')).digest('hex');
      expect(hmacSha256(secret, msg).toString('hex')).toBe(expected);
    }
  });

  it('keeps each secret to its own key through the cache, also past its bound', () => {
    const msg = 'click.1.2';
    const first = hmacSha256('secret-one-0123456789', msg).toString('hex');
    expect(hmacSha256('secret-two-0123456789', msg).toString('hex')).not.toBe(first);
    for (let i = 0; i < 40; i++) hmacSha256(`filler-secret-${i}-0123456789`, msg);
    expect(hmacSha256('secret-one-0123456789', msg).toString('hex')).toBe(first);
    expect(first).toBe(createHmac('sha256', 'secret-one-0123456789').update(msg).digest('hex'));
  });
});
