import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSecret } from '../../src/subscribers/dev-secret.ts';
import { signToken, subscriberIdOf, subscriberToken, TOKEN_TTL, verifyToken } from '../../src/subscribers/tokens.ts';

const SECRET = 'a-test-secret-that-is-long-enough-000';
const T0 = new Date('2026-11-20T12:00:00Z');

describe('signed tokens', () => {
  it('round-trips a payload for its purpose', () => {
    const t = signToken(SECRET, 'preferences', { s: 42 }, null, T0);
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const v = verifyToken(SECRET, 'preferences', t, T0);
    expect(v).toEqual({ ok: true, payload: { s: 42 }, expiresAt: undefined });
  });

  it('rejects a token of another purpose as wrong-purpose', () => {
    const t = signToken(SECRET, 'confirm', { s: 1 }, undefined, T0);
    expect(verifyToken(SECRET, 'unsubscribe', t, T0)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('rejects a changed payload or signature as tampered', () => {
    const t = signToken(SECRET, 'unsubscribe', { s: 7 }, null, T0);
    const [body, sig] = t.split('.') as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ p: 'unsubscribe', d: { s: 8 } })).toString('base64url');
    expect(verifyToken(SECRET, 'unsubscribe', `${forgedBody}.${sig}`, T0)).toEqual({ ok: false, reason: 'tampered' });
    // (A changed first character: a changed last one may only be a non-canonical spelling, refused as malformed.)
    const flipped = (sig.startsWith('A') ? 'B' : 'A') + sig.slice(1);
    expect(verifyToken(SECRET, 'unsubscribe', `${body}.${flipped}`, T0)).toEqual({ ok: false, reason: 'tampered' });
    expect(verifyToken('another-secret-that-is-long-enough-111', 'unsubscribe', t, T0)).toEqual({ ok: false, reason: 'tampered' });
    // A forged body that claims the right purpose is still tampered: the purpose is inside the signature.
    expect(verifyToken(SECRET, 'unsubscribe', `${body}.${sig.slice(0, 8)}`, T0)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('rejects garbage as malformed', () => {
    for (const t of ['', 'abc', 'a.b.c', 'a b.c', '.abc', 'x'.repeat(3000)]) {
      expect(verifyToken(SECRET, 'confirm', t, T0)).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('expires confirm tokens after 7 days and still names the payload', () => {
    const t = subscriberToken(SECRET, 'confirm', 9, T0);
    const justBefore = new Date(T0.getTime() + 7 * 86400_000 - 1000);
    const at = new Date(T0.getTime() + 7 * 86400_000);
    expect(verifyToken(SECRET, 'confirm', t, justBefore)).toMatchObject({ ok: true, payload: { s: 9 } });
    const v = verifyToken(SECRET, 'confirm', t, at);
    expect(v).toMatchObject({ ok: false, reason: 'expired', payload: { s: 9 } });
    expect(TOKEN_TTL.confirm).toBe(7 * 86400);
  });

  it('never expires unsubscribe tokens', () => {
    const t = subscriberToken(SECRET, 'unsubscribe', 3, T0);
    expect(verifyToken(SECRET, 'unsubscribe', t, new Date('2036-01-01T00:00:00Z'))).toMatchObject({ ok: true, payload: { s: 3 } });
  });

  it('reads subscriber ids only from well-formed payloads', () => {
    expect(subscriberIdOf({ s: 5 })).toBe(5);
    for (const p of [null, 5, { s: '5' }, { s: -1 }, { s: 1.5 }, {}]) expect(subscriberIdOf(p)).toBeUndefined();
  });

  it('refuses to sign with a short secret', () => {
    expect(() => signToken('short', 'confirm', { s: 1 })).toThrow(/too short/);
  });
});

describe('the dev secret', () => {
  it('is generated once into DATA_DIR/secret with mode 0600 and reused', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'std-secret-')), 'data');
    const a = resolveSecret({ secret: undefined, production: false, dataDir: dir });
    expect(a.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(a);
    chmodSync(file, 0o644);
    expect(resolveSecret({ secret: undefined, production: false, dataDir: dir })).toBe(a);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('prefers SECRET, and never generates one in production', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'std-secret-'));
    expect(resolveSecret({ secret: 'x'.repeat(40), production: true, dataDir: dir })).toBe('x'.repeat(40));
    expect(() => resolveSecret({ secret: undefined, production: true, dataDir: dir })).toThrow(/SECRET/);
  });

  it('replaces nothing it cannot use: a short file is an error, not silently overwritten', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'std-secret-'));
    writeFileSync(path.join(dir, 'secret'), 'short\n');
    expect(() => resolveSecret({ secret: undefined, production: false, dataDir: dir })).toThrow(/no usable secret/);
  });
});
