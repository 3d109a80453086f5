// Polite HTTP for job boards (docs/sources.md): a User-Agent naming the
// service and its public URL, at most one request per second per host, a
// timeout per request, and 429 / 5xx answers retried with backoff that
// honours Retry-After. A 404 is not retried: the board does not exist.
import type { Logger } from '../log.ts';

export class BoardError extends Error {
  override name = 'BoardError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export interface FetcherOptions {
  publicUrl: string;
  timeoutMs: number;
  /** Least time between two requests to one host (default 1,000 ms: one a second). */
  minIntervalMs?: number;
  /** Retries after a 429, 5xx or network error (default 3). */
  retries?: number;
  /** First backoff when the answer has no Retry-After (doubles each time; default 1,000 ms). */
  backoffMs?: number;
  /** A Retry-After longer than this fails the crawl instead of waiting (default 120 s). */
  maxWaitMs?: number;
  log?: Pick<Logger, 'info' | 'warn'>;
  /**
   * The turn of a host shared with other processes (src/sources/host-limit.ts,
   * kept in PostgreSQL), so that several workers crawling boards on one host
   * still ask it at most once a second together. Absent: this process only.
   */
  hostTurn?: (host: string) => Promise<void>;
}

const USER_AGENT_NAME = 'SalaryTrendsDigest/0.1';

export function userAgent(publicUrl: string): string {
  return `${USER_AGENT_NAME} (+${publicUrl}; job-board crawler for a weekly pay digest)`;
}

/** Seconds or an HTTP date -> milliseconds to wait; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const s = header.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PoliteFetcher {
  readonly userAgent: string;
  // Per-host spacing is a few lines over a Map; no maintained library spaces
  // requests per host while also honouring each answer's Retry-After.
  private readonly nextAt = new Map<string, number>();
  private readonly opts: Required<Omit<FetcherOptions, 'log' | 'hostTurn'>> & Pick<FetcherOptions, 'log' | 'hostTurn'>;

  constructor(opts: FetcherOptions) {
    this.opts = { minIntervalMs: 1000, retries: 3, backoffMs: 1000, maxWaitMs: 120_000, ...opts };
    this.userAgent = userAgent(opts.publicUrl);
  }

  /** Waits for this host's turn; turns are handed out in call order, minIntervalMs apart. */
  private async turn(host: string, notBefore = 0): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt.get(host) ?? 0, notBefore);
    this.nextAt.set(host, at + this.opts.minIntervalMs);
    if (at > now) await sleep(at - now);
  }

  /** GET a JSON document; throws BoardError with a reason a person can act on. */
  async getJson(url: string): Promise<unknown> {
    const host = new URL(url).host;
    let wait = 0;
    for (let attempt = 0; ; attempt++) {
      await this.turn(host, Date.now() + wait);
      await this.opts.hostTurn?.(host);
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { 'user-agent': this.userAgent, accept: 'application/json' },
          signal: AbortSignal.timeout(this.opts.timeoutMs),
          redirect: 'follow',
        });
      } catch (err) {
        const e = err as Error;
        // A board that did not answer within the timeout is not asked again in this crawl.
        if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new BoardError(`no answer within ${this.opts.timeoutMs / 1000} s`);
        if (attempt >= this.opts.retries) throw new BoardError(`cannot reach ${host}: ${(e.cause as Error | undefined)?.message ?? e.message}`);
        wait = this.opts.backoffMs * 2 ** attempt;
        this.opts.log?.info({ event: 'sources.http.retry', url, attempt: attempt + 1, waitMs: wait, err: e.message }, `retrying ${host} after a network error`);
        continue;
      }
      if (res.ok) {
        try {
          return await res.json();
        } catch (err) {
          const e = err as Error;
          if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new BoardError(`no complete answer within ${this.opts.timeoutMs / 1000} s`);
          throw new BoardError(`the answer is not JSON (${e.message.slice(0, 120)})`, res.status);
        }
      }
      await res.body?.cancel().catch(() => {});
      if (res.status === 404) throw new BoardError('board not found (404): check the board name', 404);
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable) throw new BoardError(`HTTP ${res.status} ${res.statusText}`.trim(), res.status);
      if (attempt >= this.opts.retries) throw new BoardError(`HTTP ${res.status} after ${attempt + 1} attempts`, res.status);
      const asked = retryAfterMs(res.headers.get('retry-after'));
      if (asked !== undefined && asked > this.opts.maxWaitMs) {
        throw new BoardError(`HTTP ${res.status}: the board asks to wait ${Math.round(asked / 1000)} s; the next crawl tries again`, res.status);
      }
      wait = asked ?? this.opts.backoffMs * 2 ** attempt;
      this.opts.log?.info({ event: 'sources.http.retry', url, status: res.status, attempt: attempt + 1, waitMs: wait }, `HTTP ${res.status} from ${host}; retrying in ${Math.round(wait / 100) / 10} s`);
    }
  }
}
