// One request budget for all worker processes together, kept in PostgreSQL
// and measured in database time (process clocks may disagree). Each request
// reserves the next slot; slots are 1/limit s apart plus a little headroom,
// so timer lateness in one process cannot squeeze limit+1 requests into a
// second: with 4% headroom at 50 req/s two requests a full budget apart are
// 1.04 s apart, which leaves 40 ms for jitter.
import type { Db } from '../db/database.ts';

export interface RateLimiter {
  /** Resolves when this request may start. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** The provider said 429: no process starts a request for `ms`. */
  pause(ms: number): Promise<void>;
}

export interface RateLimiterOptions {
  /** Requests per second for every process together; Infinity: no limit. */
  perSecond: number;
  /** Fraction added to the gap between slots. */
  headroom?: number;
  name?: string;
}

export function createRateLimiter(pool: Db, opts: RateLimiterOptions): RateLimiter {
  const name = opts.name ?? 'resend';
  const unlimited = !Number.isFinite(opts.perSecond);
  const gapSeconds = unlimited ? 0 : (1 + (opts.headroom ?? 0.04)) / opts.perSecond;

  async function reserve(): Promise<number> {
    const { rows } = await pool.query<{ wait_ms: number }>(
      `INSERT INTO send_rate AS r (name, next_slot) VALUES ($1, clock_timestamp() + make_interval(secs => $2))
       ON CONFLICT (name) DO UPDATE
         SET next_slot = GREATEST(r.next_slot, r.paused_until, clock_timestamp()) + make_interval(secs => $2)
       RETURNING GREATEST(0, EXTRACT(EPOCH FROM (r.next_slot - make_interval(secs => $2) - clock_timestamp())) * 1000)::float8 AS wait_ms`,
      [name, gapSeconds],
    );
    return rows[0]!.wait_ms;
  }

  async function pausedFor(): Promise<number> {
    const { rows } = await pool.query<{ wait_ms: number }>(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (paused_until - clock_timestamp())) * 1000)::float8 AS wait_ms
         FROM send_rate WHERE name = $1`,
      [name],
    );
    return rows[0]?.wait_ms ?? 0;
  }

  return {
    async acquire(signal) {
      if (unlimited) {
        const paused = await pausedFor();
        if (paused > 0) await sleep(paused, signal);
        return;
      }
      for (;;) {
        const wait = await reserve();
        if (wait > 0) await sleep(wait, signal);
        // A 429 that arrived while this request waited for its slot holds it back too.
        if ((await pausedFor()) === 0) return;
      }
    },
    async pause(ms) {
      await pool.query(
        `INSERT INTO send_rate AS r (name, paused_until) VALUES ($1, clock_timestamp() + make_interval(secs => $2))
         ON CONFLICT (name) DO UPDATE SET paused_until = GREATEST(r.paused_until, clock_timestamp() + make_interval(secs => $2))`,
        [name, ms / 1000],
      );
    },
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
