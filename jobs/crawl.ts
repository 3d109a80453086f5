// The crawl schedule: node-cron on CRAWL_CRON (default every 6 hours) in
// DIGEST_TZ, in every `serve` / `start` process. A fire is acted on once
// (node-cron's distributed mode over `cron_fires`, as the weekly schedule),
// and it asks for one pg-boss job per source: a singleton per source on an
// exclusive queue, so however many processes fire or work, one board is
// never crawled twice at once. Whichever worker fetches a job crawls it.
import { hostname } from 'node:os';
import cron from 'node-cron';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import type { Logger } from '../src/log.ts';
import { QUEUES, type Boss } from '../src/delivery/queue.ts';
import { crawlSource } from '../src/sources/crawl.ts';
import { sharedHostTurn } from '../src/sources/host-limit.ts';
import { PoliteFetcher } from '../src/sources/http.ts';
import { getSource, listSources } from '../src/sources/store.ts';
import { postgresRunCoordinator } from './scheduler.ts';

export const CRAWL_TASK = 'crawl-sources';

export interface CrawlPayload {
  source: string;
}

interface Deps {
  pool: Db;
  boss: Boss;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** Asks for a crawl of every source; a source whose crawl is queued or running gets no second job. */
export async function requestCrawls(deps: Deps, reason: 'schedule' | 'manual'): Promise<{ queued: string[]; already: string[] }> {
  const queued: string[] = [];
  const already: string[] = [];
  for (const s of await listSources(deps.pool)) {
    const id = await deps.boss.send(QUEUES.crawl, { source: s.name } satisfies CrawlPayload, { singletonKey: s.name });
    (id ? queued : already).push(s.name);
  }
  deps.log.info({ event: 'sources.crawl.requested', reason, queued, already }, `crawl asked for ${queued.length} source(s); ${already.length} already queued or running`);
  return { queued, already };
}

export interface CrawlSchedule {
  stop(): Promise<void>;
}

export function startCrawlSchedule(deps: Deps & { cron: string; tz: string; holder?: string }): CrawlSchedule {
  if (!cron.validate(deps.cron)) throw new Error(`CRAWL_CRON is not a valid cron expression: ${JSON.stringify(deps.cron)}`);
  const holder = deps.holder ?? `${hostname()}:${process.pid}`;
  const task = cron.schedule(
    deps.cron,
    async () => {
      try {
        await requestCrawls(deps, 'schedule');
      } catch (err) {
        // Never crash the process; the next fire asks again.
        deps.log.error({ event: 'sources.crawl.schedule-failed', err: (err as Error).message }, 'could not queue the crawls');
      }
    },
    {
      timezone: deps.tz,
      name: CRAWL_TASK,
      noOverlap: true,
      distributed: true,
      runCoordinator: postgresRunCoordinator(deps.pool, holder),
      distributedLease: 10 * 60 * 1000,
    },
  );
  deps.log.info({ event: 'sources.crawl.schedule-started', cron: deps.cron, tz: deps.tz, next: task.getNextRun()?.toISOString() }, 'crawl schedule started');
  return {
    async stop() {
      await task.destroy();
    },
  };
}

export interface CrawlWorker {
  stop(): Promise<void>;
}

/** Works the crawl queue in this process: one board at a time, through one polite fetcher. */
export async function workCrawls(deps: Deps & { config: Pick<Config, 'publicUrl' | 'crawlTimeoutMs'> }): Promise<CrawlWorker> {
  const fetcher = new PoliteFetcher({ publicUrl: deps.config.publicUrl, timeoutMs: deps.config.crawlTimeoutMs, log: deps.log, hostTurn: sharedHostTurn(deps.pool) });
  const id = await deps.boss.work<CrawlPayload>(QUEUES.crawl, { pollingIntervalSeconds: 2, batchSize: 1 }, async ([job]) => {
    if (!job) return;
    const source = await getSource(deps.pool, job.data.source);
    if (!source) return; // removed since it was queued
    // A failing board is recorded on the source and logged by crawlSource; the job itself succeeds.
    await crawlSource(deps.pool, source, { fetcher, log: deps.log });
  });
  return {
    async stop() {
      await deps.boss.offWork(QUEUES.crawl, { id, wait: true });
    },
  };
}
