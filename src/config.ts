// The only reader of process.env. Every variable of the README's
// Configuration table is parsed here once, into one typed Config.
import { z } from 'zod';
import proxyaddr from 'proxy-addr';

/** An IANA time zone name this runtime knows (Intl throws a RangeError for any other). */
function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Variables whose value is never printed, not even in an error about it. */
const SECRET_NAMES = new Set(['SECRET', 'ADMIN_TOKEN', 'RESEND_API_KEY', 'RESEND_WEBHOOK_SECRET', 'DATABASE_URL']);

/** Which proxies' X-Forwarded-For entries are believed (src/web/client-address.ts reads them). */
export type TrustProxy = false | number | string[];

/** `TRUST_PROXY`: off (unset, `false`, `0`), a hop count, or proxy addresses / CIDRs separated by commas. */
const trustProxy = z
  .string()
  .optional()
  .transform((s, ctx): TrustProxy => {
    const v = (s ?? '').trim();
    if (v === '' || v === 'false' || v === '0') return false;
    if (/^\d+$/.test(v)) return Number(v);
    const list = v.split(',').map((x) => x.trim()).filter(Boolean);
    try {
      proxyaddr.compile(list); // throws a TypeError naming the bad entry
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `must be a hop count or proxy addresses/CIDRs separated by commas (${(err as Error).message})` });
      return z.NEVER;
    }
    return list;
  });

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === undefined || s === '' ? undefined : s));

const url = (name: string) =>
  z.string().refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: `${name} must be an http(s) URL` },
  );

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optionalString.refine((s) => s === undefined || /^postgres(ql)?:\/\//.test(s), {
    message: 'must start with postgres:// or postgresql://',
  }),
  DATA_DIR: z.string().min(1).default('./data'),
  OUTBOX_DIR: z.string().min(1).default('./outbox'),
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalString,
  RESEND_WEBHOOK_SECRET: optionalString,
  RESEND_RATE_LIMIT: z.coerce.number().positive().max(1000).default(2),
  MAIL_FROM: optionalString,
  PUBLIC_URL: optionalString.pipe(url('PUBLIC_URL').optional()),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SECRET: optionalString.refine((s) => s === undefined || s.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  DIGEST_CRON: z.string().min(1).default('0 13 * * 1'),
  CRAWL_CRON: z.string().min(1).default('0 */6 * * *'),
  CRAWL_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(30),
  DIGEST_TZ: z
    .string()
    .default('UTC')
    .refine(isValidTimeZone, { message: 'must be an IANA time zone such as UTC or Europe/Berlin' }),
  POSTAL_ADDRESS: optionalString,
  ADMIN_TOKEN: optionalString,
  TRUST_PROXY: trustProxy,
  CONFIRM_MAILS_PER_DOMAIN: z.coerce.number().int().positive().default(200),
  BOUNCE_SOFT_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  TRACK_OPENS: z.enum(['true', 'false']).default('false'),
  DIGEST_APPROVAL: z.enum(['auto', 'manual']).default('auto'),
  DIGEST_REVIEWERS: optionalString,
  DIGEST_APPROVAL_REMIND: optionalString.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?(s|m|h|d)$/, { message: 'must be a duration such as 24h, 90m or 30s' })
      .optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'human']).default('auto'),
});

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  databaseUrl: string | undefined;
  dataDir: string;
  outboxDir: string;
  resendApiKey: string | undefined;
  resendBaseUrl: string | undefined;
  resendWebhookSecret: string | undefined;
  resendRateLimit: number;
  mailFrom: string;
  /** PUBLIC_URL without trailing slashes (normaliseBaseUrl): every link is `${publicUrl}/path`. */
  publicUrl: string;
  port: number;
  /** Undefined outside production until the subscriptions layer generates a dev secret into DATA_DIR. */
  secret: string | undefined;
  digestCron: string;
  /** When every job-board source is crawled (in DIGEST_TZ). */
  crawlCron: string;
  /** How long one job-board request may take. */
  crawlTimeoutMs: number;
  digestTz: string;
  postalAddress: string;
  adminToken: string | undefined;
  /** Which proxies' X-Forwarded-For to believe for the client's address (off by default). */
  trustProxy: TrustProxy;
  /** Confirmation mails to one mail domain per hour. */
  confirmMailsPerDomain: number;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** `auto`: short lines for people when stdout is a terminal, JSON otherwise. */
  logFormat: z.infer<typeof schema>['LOG_FORMAT'];
  /** False when POSTAL_ADDRESS is unset (allowed outside production): the footer then says this is a demo instance. */
  postalAddressSet: boolean;
  /** Consecutive soft bounces that suppress an address. */
  bounceSoftLimit: number;
  /** Show opens (inflated by mail privacy proxies) in /admin and /metrics. */
  trackOpens: boolean;
  /** `manual`: each week's issue waits for a reviewer's approval before it goes to readers. */
  digestApproval: 'auto' | 'manual';
  /** Who gets proofs and reminders (DIGEST_REVIEWERS, comma-separated). */
  digestReviewers: string[];
  /** How long an issue may wait for review before the reviewers are reminded, in seconds. */
  digestApprovalRemindSeconds: number;
}

/** The footer line of every mail when POSTAL_ADDRESS is unset (never in production). */
const DEMO_INSTANCE_FOOTER = 'This is a demo instance: no postal address is configured.';

/** What start-up should warn about (outside production; production refuses instead). */
/** A base URL without its trailing slashes, so `${base}/path` has one slash: PUBLIC_URL and a job board's --base-url. */
export function normaliseBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export function configWarnings(config: Pick<Config, 'postalAddressSet'>): string[] {
  return config.postalAddressSet ? [] : ['POSTAL_ADDRESS is not set: mail footers say this is a demo instance. Set it before sending to real readers (anti-spam laws ask for one).'];
}


const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** `24h`, `90m`, `30s`, `1.5d` in seconds. */
function durationSeconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text);
  if (!m) throw new ConfigError(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse an environment (process.env by default) into a Config, or throw a ConfigError with one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const shown = env[name] === undefined || SECRET_NAMES.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`;
    throw new ConfigError(`${name}: ${issue.message}${shown}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    const missing = (['SECRET', 'PUBLIC_URL', 'MAIL_FROM', 'DATABASE_URL', 'POSTAL_ADDRESS'] as const).filter((k) => e[k] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(`${missing.join(', ')}: required when NODE_ENV=production`);
    }
  }
  if (e.DIGEST_APPROVAL === 'manual' && !e.DIGEST_REVIEWERS) {
    throw new ConfigError('DIGEST_REVIEWERS: required when DIGEST_APPROVAL=manual (who reviews the proof)');
  }
  return {
    nodeEnv: e.NODE_ENV,
    production,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    outboxDir: e.OUTBOX_DIR,
    resendApiKey: e.RESEND_API_KEY,
    resendBaseUrl: e.RESEND_BASE_URL,
    resendWebhookSecret: e.RESEND_WEBHOOK_SECRET,
    resendRateLimit: e.RESEND_RATE_LIMIT,
    mailFrom: e.MAIL_FROM ?? 'Salary Trends Digest <digest@localhost>',
    publicUrl: normaliseBaseUrl(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`),
    port: e.PORT,
    secret: e.SECRET,
    digestCron: e.DIGEST_CRON,
    crawlCron: e.CRAWL_CRON,
    crawlTimeoutMs: e.CRAWL_TIMEOUT_SECONDS * 1000,
    digestTz: e.DIGEST_TZ,
    postalAddress: e.POSTAL_ADDRESS ?? DEMO_INSTANCE_FOOTER,
    postalAddressSet: e.POSTAL_ADDRESS !== undefined,
    adminToken: e.ADMIN_TOKEN,
    trustProxy: e.TRUST_PROXY,
    confirmMailsPerDomain: e.CONFIRM_MAILS_PER_DOMAIN,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    bounceSoftLimit: e.BOUNCE_SOFT_LIMIT,
    trackOpens: e.TRACK_OPENS === 'true',
    digestApproval: e.DIGEST_APPROVAL,
    digestReviewers: (e.DIGEST_REVIEWERS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    digestApprovalRemindSeconds: durationSeconds(e.DIGEST_APPROVAL_REMIND ?? '24h'),
  };
}
