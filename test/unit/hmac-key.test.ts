import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacKey } from '../../src/crypto/hmac-key.ts';

describe('HmacKey', () => {
  it('equals createHmac for every message length up to 300 bytes, with short, 64-byte and long keys', () => {
    for (const secret of ['short-secret-0123', 'k'.repeat(64), 'a long secret '.repeat(10), randomBytes(48).toString('base64')]) {
      const key = new HmacKey(secret);
      for (let len = 0; len <= 300; len++) {
        const msg = randomBytes(len).toString('latin1').replace(/[^\x20-\x7e]/g, 'x');
        expect(key.mac(msg).toString('hex'), `len ${len}`).toBe(createHmac('sha256', secret).update(msg, 'utf8').digest('hex'));
      }
    }
  });

  it('handles multi-byte UTF-8 and messages larger than its scratch buffer', () => {
    const key = new HmacKey('unicode-secret-0123456789');
    for (const msg of ['Zürich · 東京 · 🚀', 'é'.repeat(500), 'x'.repeat(5000)]) {
      expect(key.mac(msg).toString('hex')).toBe(createHmac('sha256', 'unicode-secret-0123456789').update(msg, 'utf8').digest('hex'));
    }
  });

  it('matches the RFC 4231 test case 2', () => {
    expect(new HmacKey('Jefe').mac('what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
