import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig } from '../../src/config.ts';

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
      crawlCron: '0 */6 * * *',
      crawlTimeoutMs: 30_000,
      production: false,
    });
    expect(loadConfig({ CRAWL_CRON: '15 */2 * * *', CRAWL_TIMEOUT_SECONDS: '7.5' })).toMatchObject({ crawlCron: '15 */2 * * *', crawlTimeoutMs: 7_500 });
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: .*"eighty"/],
    [{ RESEND_RATE_LIMIT: '-1' }, /^RESEND_RATE_LIMIT: /],
    [{ DIGEST_TZ: 'Mars/Olympus' }, /^DIGEST_TZ: must be an IANA time zone/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must start with postgres/],
    [{ PUBLIC_URL: 'ftp://example.com' }, /^PUBLIC_URL: /],
    [{ SECRET: 'short' }, /^SECRET: must be at least 32 characters/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ CRAWL_TIMEOUT_SECONDS: '0' }, /^CRAWL_TIMEOUT_SECONDS: /],
  ])('names the variable in one line when %o is bad', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('refuses production without SECRET, PUBLIC_URL, MAIL_FROM, DATABASE_URL and POSTAL_ADDRESS', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'SECRET, PUBLIC_URL, MAIL_FROM, DATABASE_URL, POSTAL_ADDRESS: required when NODE_ENV=production',
    );
    const full = {
      NODE_ENV: 'production',
      SECRET: 'x'.repeat(32),
      PUBLIC_URL: 'https://digest.example/',
      MAIL_FROM: 'Digest <d@digest.example>',
      DATABASE_URL: 'postgres://u@db/x',
      POSTAL_ADDRESS: 'Digest Ltd, 1 Example Street, Springfield',
    };
    expect(() => loadConfig({ ...full, DATABASE_URL: undefined })).toThrow(/^DATABASE_URL: required/);
    expect(() => loadConfig({ ...full, POSTAL_ADDRESS: '  ' })).toThrow(/^POSTAL_ADDRESS: required when NODE_ENV=production$/);
    const c = loadConfig(full);
    expect(c.production).toBe(true);
    expect(c.publicUrl).toBe('https://digest.example');
    expect(c.postalAddress).toBe('Digest Ltd, 1 Example Street, Springfield');
    expect(configWarnings(c)).toEqual([]);
  });

  it('outside production, a missing postal address is a warning and the footer says this is a demo instance', () => {
    const c = loadConfig({});
    expect(c.postalAddress).toBe('This is a demo instance: no postal address is configured.');
    expect(c.postalAddress).not.toMatch(/not configured/);
    expect(configWarnings(c)).toEqual([expect.stringMatching(/^POSTAL_ADDRESS is not set/)]);
  });

  it('never echoes a secret value in its error', () => {
    for (const [name, value] of [
      ['SECRET', 'hunter2-short'],
      ['DATABASE_URL', 'mysql://admin:pa55word@db/x'],
    ] as const) {
      const message = (() => {
        try {
          loadConfig({ [name]: value });
        } catch (e) {
          return (e as Error).message;
        }
        return '';
      })();
      expect(message).toMatch(new RegExp(`^${name}: `));
      expect(message).not.toContain(value);
    }
  });

  it('reads LOG_FORMAT (auto by default) and refuses others', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/^LOG_FORMAT: /);
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
