// One request a second per job-board host for every process together: each
// host gets its own slot row in the delivery's PostgreSQL rate limiter
// (send_rate, named `crawl:HOST`), measured in database time.
import type { Db } from '../db/database.ts';
import { createRateLimiter, type RateLimiter } from '../delivery/rate-limit.ts';

const CRAWL_REQUESTS_PER_SECOND_PER_HOST = 1;

/** A `hostTurn` for PoliteFetcher: resolves when this host may be asked again by any process. */
export function sharedHostTurn(pool: Db, perSecond = CRAWL_REQUESTS_PER_SECOND_PER_HOST): (host: string) => Promise<void> {
  const limiters = new Map<string, RateLimiter>();
  return (host) => {
    let limiter = limiters.get(host);
    if (!limiter) {
      // A crawl request that starts late harms no one: only early ones would.
      limiter = createRateLimiter(pool, { perSecond, name: `crawl:${host}`, maxLateMs: 60_000 });
      limiters.set(host, limiter);
    }
    return limiter.acquire();
  };
}
