// The only reader of process.env. Every variable of DESIGN.md's Interfaces
// section is parsed here once, into one typed Config.
import { z } from 'zod';
import { isValidTimeZone } from './stats/week.ts';

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
  DIGEST_TZ: z
    .string()
    .default('UTC')
    .refine(isValidTimeZone, { message: 'must be an IANA time zone such as UTC or Europe/Berlin' }),
  POSTAL_ADDRESS: optionalString,
  ADMIN_TOKEN: optionalString,
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
  publicUrl: string;
  port: number;
  /** Undefined outside production until the subscriptions layer generates a dev secret into DATA_DIR. */
  secret: string | undefined;
  digestCron: string;
  digestTz: string;
  postalAddress: string;
  adminToken: string | undefined;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
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

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** `24h`, `90m`, `30s`, `1.5d` in seconds. */
export function durationSeconds(text: string): number {
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
    const shown = env[name] === undefined ? '' : ` (got ${JSON.stringify(env[name])})`;
    throw new ConfigError(`${name}: ${issue.message}${shown}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    const missing = (['SECRET', 'PUBLIC_URL', 'MAIL_FROM', 'DATABASE_URL'] as const).filter((k) => e[k] === undefined);
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
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    port: e.PORT,
    secret: e.SECRET,
    digestCron: e.DIGEST_CRON,
    digestTz: e.DIGEST_TZ,
    postalAddress: e.POSTAL_ADDRESS ?? 'Salary Trends Digest, postal address not configured',
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    bounceSoftLimit: e.BOUNCE_SOFT_LIMIT,
    trackOpens: e.TRACK_OPENS === 'true',
    digestApproval: e.DIGEST_APPROVAL,
    digestReviewers: (e.DIGEST_REVIEWERS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    digestApprovalRemindSeconds: durationSeconds(e.DIGEST_APPROVAL_REMIND ?? '24h'),
  };
}
