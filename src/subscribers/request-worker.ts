// Works the subscribe requests the web site queues (subscribe.ts): a loop
// that fetches the pg-boss job a request woke it with, runs the request, and
// when the queue is empty scans `subscribe_requests` for one whose job was
// lost. Runs in every process that sends mail (`digest worker`, `digest start`).
import { QUEUES, clientDb, type Boss } from '../delivery/queue.ts';
import { sleep } from '../delivery/rate-limit.ts';
import type { DbClient } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { runSubscribeRequest } from './subscribe.ts';
import type { SubscriptionDeps } from './deps.ts';

interface SubscribeJob {
  requestId: number;
}

/** `SubscriptionDeps.wake` for a service with pg-boss: one job in the request's transaction. */
export function wakeWith(boss: Boss): (client: DbClient, requestId: number) => Promise<unknown> {
  return (client, requestId) => boss.send(QUEUES.subscribe, { requestId } satisfies SubscribeJob, { db: clientDb(client) });
}

export interface RunningRequestWorker {
  stop(): Promise<void>;
}

export function startSubscribeRequestWorker(
  deps: SubscriptionDeps & { boss: Boss; log?: Pick<Logger, 'error'>; idlePollMs?: number },
): RunningRequestWorker {
  const idle = new AbortController();
  let stopping = false;

  async function once(): Promise<boolean> {
    const [job] = await deps.boss.fetch<SubscribeJob>(QUEUES.subscribe, { batchSize: 1 });
    if (!job) return runSubscribeRequest(deps);
    try {
      await runSubscribeRequest(deps, job.data.requestId);
      await deps.boss.complete(QUEUES.subscribe, job.id);
    } catch (err) {
      await deps.boss.fail(QUEUES.subscribe, job.id, { error: (err as Error).message }).catch(() => {});
      throw err;
    }
    return true;
  }

  const loop = (async () => {
    while (!stopping) {
      let worked = false;
      try {
        worked = await once();
      } catch (err) {
        deps.log?.error({ event: 'subscribe.request.failed', err: (err as Error).message }, 'subscribe request failed');
      }
      if (!worked && !stopping) await sleep(deps.idlePollMs ?? 500, idle.signal);
    }
  })();

  return {
    async stop() {
      stopping = true;
      idle.abort();
      await loop;
    },
  };
}
