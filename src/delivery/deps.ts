// What the send jobs need, declared once; src/cli.ts and src/server.ts build it.
import type { Db } from '../db/database.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { RetryPolicy } from './retry.ts';
import type { Transport } from './transport.ts';

export interface Recipient {
  id: number;
  email: string;
  roles: string[];
}

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/** Same inputs, same output: a retried batch must send the same body. */
export type RenderFor = (issueId: number, recipient: Recipient) => Promise<RenderedDigest> | RenderedDigest;

/** pino-compatible subset. */
export interface DeliveryLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLog: DeliveryLog = { info() {}, warn() {}, error() {} };

export interface SendDeps {
  pool: Db;
  transport: Transport;
  limiter: RateLimiter;
  policy: RetryPolicy;
  mailFrom: string;
  /** Base of the List-Unsubscribe URL, without a trailing slash. */
  publicUrl: string;
  renderFor: RenderFor;
  /** A signed, non-expiring unsubscribe token naming the issue it came with; deterministic for the same recipient and issue. */
  unsubscribeToken: (recipient: Recipient, issueId?: number) => string;
  log?: DeliveryLog;
  /** Aborted when the worker stops: waits end early. */
  signal?: AbortSignal;
}
