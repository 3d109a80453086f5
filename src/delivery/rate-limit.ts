// One request budget for all worker processes together, kept in PostgreSQL
// and measured in database time (process clocks may disagree). Each request
// reserves the next slot; slots are 1/limit s apart plus a little headroom,
// so timer lateness in one process cannot squeeze limit+1 requests into a
// second: with 4% headroom at 50 req/s two requests a full budget apart are
// 1.04 s apart, which leaves 40 ms for jitter. A request that wakes later
// than that after its slot (a busy event loop, a slow machine) gives the slot
// up and reserves a new one: sent late, it would land beside the next slot's
// request and put limit+1 into some second.
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
  /** How late after its slot (database time) a request may still start (default 25 ms). */
  maxLateMs?: number;
  name?: string;
}

export function createRateLimiter(pool: Db, opts: RateLimiterOptions): RateLimiter {
  const name = opts.name ?? 'resend';
  const unlimited = !Number.isFinite(opts.perSecond);
  const gapSeconds = unlimited ? 0 : (1 + (opts.headroom ?? 0.04)) / opts.perSecond;

  const maxLateMs = opts.maxLateMs ?? 25;

  /** Takes the next slot: how long to wait for it, and when it is (epoch ms, database clock). */
  async function reserve(): Promise<{ waitMs: number; slotMs: number }> {
    const { rows } = await pool.query<{ wait_ms: number; slot_ms: number }>(
      `INSERT INTO send_rate AS r (name, next_slot) VALUES ($1, clock_timestamp() + make_interval(secs => $2))
       ON CONFLICT (name) DO UPDATE
         SET next_slot = GREATEST(r.next_slot, r.paused_until, clock_timestamp()) + make_interval(secs => $2)
       RETURNING GREATEST(0, EXTRACT(EPOCH FROM (r.next_slot - make_interval(secs => $2) - clock_timestamp())) * 1000)::float8 AS wait_ms,
                 (EXTRACT(EPOCH FROM r.next_slot - make_interval(secs => $2)) * 1000)::float8 AS slot_ms`,
      [name, gapSeconds],
    );
    return { waitMs: rows[0]!.wait_ms, slotMs: rows[0]!.slot_ms };
  }

  /** Whether a 429 pause is on, and how late after `slotMs` it is now (database clock). */
  async function check(slotMs = 0): Promise<{ pausedMs: number; lateMs: number }> {
    const { rows } = await pool.query<{ paused_ms: number | null; late_ms: number }>(
      `SELECT (SELECT GREATEST(0, EXTRACT(EPOCH FROM (paused_until - clock_timestamp())) * 1000)::float8 FROM send_rate WHERE name = $1) AS paused_ms,
              (EXTRACT(EPOCH FROM clock_timestamp()) * 1000 - $2::float8)::float8 AS late_ms`,
      [name, slotMs],
    );
    return { pausedMs: rows[0]?.paused_ms ?? 0, lateMs: rows[0]!.late_ms };
  }

  return {
    async acquire(signal) {
      if (unlimited) {
        const { pausedMs } = await check();
        if (pausedMs > 0) await sleep(pausedMs, signal);
        return;
      }
      for (;;) {
        const { waitMs, slotMs } = await reserve();
        if (waitMs > 0) await sleep(waitMs, signal);
        if (signal?.aborted) return;
        // A 429 that arrived while this request waited for its slot holds it back too;
        // a slot missed by more than the headroom is given up for a new one.
        const { pausedMs, lateMs } = await check(slotMs);
        if (pausedMs === 0 && lateMs <= maxLateMs) return;
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
