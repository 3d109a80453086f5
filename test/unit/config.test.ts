import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('gives working defaults for a local run', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: undefined,
      dataDir: './data',
      outboxDir: './outbox',
      resendRateLimit: 2,
      publicUrl: 'http://localhost:3000',
      port: 3000,
      digestCron: '0 13 * * 1',
      digestTz: 'UTC',
      production: false,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: .*"eighty"/],
    [{ RESEND_RATE_LIMIT: '-1' }, /^RESEND_RATE_LIMIT: /],
    [{ DIGEST_TZ: 'Mars/Olympus' }, /^DIGEST_TZ: must be an IANA time zone/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must start with postgres/],
    [{ PUBLIC_URL: 'ftp://example.com' }, /^PUBLIC_URL: /],
    [{ SECRET: 'short' }, /^SECRET: must be at least 32 characters/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
  ])('names the variable in one line when %o is bad', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('refuses production without SECRET, PUBLIC_URL, MAIL_FROM and DATABASE_URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'SECRET, PUBLIC_URL, MAIL_FROM, DATABASE_URL: required when NODE_ENV=production',
    );
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://d.example', MAIL_FROM: 'a@d.example' })).toThrow(
      /^DATABASE_URL: required/,
    );
    const c = loadConfig({
      NODE_ENV: 'production',
      SECRET: 'x'.repeat(32),
      PUBLIC_URL: 'https://digest.example/',
      MAIL_FROM: 'Digest <d@digest.example>',
      DATABASE_URL: 'postgres://u@db/x',
    });
    expect(c.production).toBe(true);
    expect(c.publicUrl).toBe('https://digest.example');
  });

  it('reads the readers-and-operators settings', () => {
    const d = loadConfig({});
    expect(d).toMatchObject({ bounceSoftLimit: 3, trackOpens: false, digestApproval: 'auto', digestReviewers: [], digestApprovalRemindSeconds: 86_400 });
    const c = loadConfig({ BOUNCE_SOFT_LIMIT: '5', TRACK_OPENS: 'true', DIGEST_APPROVAL: 'manual', DIGEST_REVIEWERS: ' a@x.example, b@x.example ', DIGEST_APPROVAL_REMIND: '90m' });
    expect(c).toMatchObject({ bounceSoftLimit: 5, trackOpens: true, digestApproval: 'manual', digestReviewers: ['a@x.example', 'b@x.example'], digestApprovalRemindSeconds: 5400 });
    expect(() => loadConfig({ DIGEST_APPROVAL: 'manual' })).toThrow(/^DIGEST_REVIEWERS: required when DIGEST_APPROVAL=manual/);
    expect(() => loadConfig({ DIGEST_APPROVAL_REMIND: 'tomorrow' })).toThrow(/^DIGEST_APPROVAL_REMIND: must be a duration/);
    expect(() => loadConfig({ BOUNCE_SOFT_LIMIT: '0' })).toThrow(/^BOUNCE_SOFT_LIMIT/);
  });
});
