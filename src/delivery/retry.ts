// The request loop both jobs share: wait for the shared rate limit, send,
// and decide. 429: every worker pauses for retry-after, then try again.
// 5xx, network errors, timeouts: exponential backoff with jitter, up to
// `maxAttempts`, then fail with the provider's reason. Other 4xx: fail now.
import { sleep, type RateLimiter } from './rate-limit.ts';
import type { MessageResult, SendOutcome } from './transport.ts';

export interface RetryPolicy {
  /** Requests that may fail with 5xx / network / timeout before the rows are failed. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  requestTimeoutMs: number;
  /** How long a claim holds without news; must exceed requestTimeoutMs. */
  leaseSeconds: number;
  /** 429 answers tolerated for one request before giving up. */
  maxRateLimited: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  requestTimeoutMs: 30_000,
  leaseSeconds: 90,
  maxRateLimited: 200,
};

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
export function backoffMs(failures: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

export type FinalOutcome =
  | { kind: 'accepted'; results: MessageResult[] }
  | { kind: 'failed'; error: string }
  /** Someone else finished the work meanwhile. */
  | { kind: 'gone' };

export interface RetryContext {
  limiter: RateLimiter;
  policy: RetryPolicy;
  /** Extend the claim and count the attempt; false: the work is done elsewhere. */
  beforeAttempt: () => Promise<boolean>;
  /** Each answer that leads to another try, for logs and last_error. */
  onRetry?: (outcome: SendOutcome, delayMs: number) => Promise<void> | void;
  /** Stop waiting (worker shutting down). */
  signal?: AbortSignal;
}

export async function sendWithRetries(request: (signal: AbortSignal) => Promise<SendOutcome>, ctx: RetryContext): Promise<FinalOutcome> {
  let failures = 0;
  let limited = 0;
  for (;;) {
    await ctx.limiter.acquire(ctx.signal);
    if (ctx.signal?.aborted) throw new Error('worker stopping');
    if (!(await ctx.beforeAttempt())) return { kind: 'gone' };
    const outcome = await request(AbortSignal.timeout(ctx.policy.requestTimeoutMs));
    switch (outcome.kind) {
      case 'accepted':
        return outcome;
      case 'rejected':
        return { kind: 'failed', error: outcome.error };
      case 'rate_limited': {
        limited++;
        if (limited > ctx.policy.maxRateLimited) return { kind: 'failed', error: `gave up after ${limited} rate limit answers: ${outcome.error}` };
        await ctx.limiter.pause(outcome.retryAfterMs);
        await ctx.onRetry?.(outcome, outcome.retryAfterMs);
        break;
      }
      case 'retryable': {
        failures++;
        if (failures >= ctx.policy.maxAttempts) return { kind: 'failed', error: `gave up after ${failures} attempts: ${outcome.error}` };
        const delay = backoffMs(failures, ctx.policy);
        await ctx.onRetry?.(outcome, delay);
        await sleep(delay, ctx.signal);
        break;
      }
    }
  }
}
