import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/subscribers/email.ts';

const ok = (input: string) => {
  const r = normalizeEmail(input);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(input)} to pass: ${r.message}`);
  return r.email;
};
const message = (input: unknown) => {
  const r = normalizeEmail(input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to fail, got ${r.email}`);
  return r.message;
};

describe('normalizeEmail', () => {
  it('trims and lower-cases the domain, keeping the local part as typed', () => {
    expect(ok('  Jane.Doe@Example.COM ')).toBe('Jane.Doe@example.com');
    expect(ok('a+tag@sub.example.co.uk')).toBe('a+tag@sub.example.co.uk');
    expect(ok('x@example.com.')).toBe('x@example.com');
  });

  it('converts international domains to punycode', () => {
    expect(ok('anna@Bücher.example')).toBe('anna@xn--bcher-kva.example');
    expect(ok('user@例え.jp')).toBe('user@xn--r8jz45g.jp');
  });

  it('rejects CR, LF and other control characters (header injection)', () => {
    for (const bad of ['a@example.com\r\nBcc: victim@example.org', 'a@example.com\nCc: x@y.z', 'a\r@example.com', 'a@exa\u0000mple.com', 'a@example.com\n']) {
      expect(message(bad)).toMatch(/line breaks or control characters/);
    }
  });

  it('explains what is wrong with invalid addresses', () => {
    expect(message('')).toBe('Please enter your email address.');
    expect(message(undefined)).toBe('Please enter your email address.');
    expect(message('jane.example.com')).toMatch(/needs one @/);
    expect(message('jane@')).toMatch(/needs one @/);
    expect(message('a@b@example.com')).toMatch(/needs one @/);
    expect(message('Jane <jane@example.com>')).toMatch(/one email address, without spaces, names or angle brackets/);
    expect(message('a@b.com,c@d.com')).toMatch(/one email address/);
    expect(message('jane@localhost')).toMatch(/needs a dot/);
    expect(message('jane@exa_mple.com')).toMatch(/not a valid domain/);
    expect(message('jane..doe@example.com')).toMatch(/before the @/);
    expect(message('jane@10.0.0.1')).toMatch(/IP address/);
    expect(message(`${'a'.repeat(65)}@example.com`)).toMatch(/too long/);
    expect(message(`a@${'b'.repeat(250)}.com`)).toMatch(/too long/);
  });
});
