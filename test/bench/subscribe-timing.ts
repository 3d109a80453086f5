// POST /subscribe answer time per address state (issue 12: no timing oracle).
// 30 requests per state, interleaved (new, pending, active, unsubscribed,
// bounced, complained, then again), each timed from request to last byte
// through the app in process; the median per state, and the spread between
// the slowest and the fastest median, so a drift shows.
import { createApp } from '../../src/web/app.ts';
import { startBoss } from '../../src/delivery/queue.ts';
import { enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { mountSubscriptionRoutes, type SubscriptionRouteDeps } from '../../src/subscribers/routes.ts';
import { drainSubscribeRequests } from '../../src/subscribers/subscribe.ts';
import { wakeWith } from '../../src/subscribers/request-worker.ts';
import { addSubscriber } from '../../src/subscribers/import-export.ts';
import type { Database } from '../../src/db/database.ts';

export const STATES = ['new', 'pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;

export interface SubscribeTiming {
  rounds: number;
  medianMs: Record<(typeof STATES)[number], number>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchSubscribeTiming(db: Pick<Database, 'pool' | 'kind'>, rounds = 30): Promise<SubscribeTiming> {
  const boss = await startBoss(db, { supervise: false });
  try {
    const deps: SubscriptionRouteDeps = {
      pool: db.pool,
      enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
      wake: wakeWith(boss),
      secret: 'bench-secret-0123456789abcdef0123456789',
      publicUrl: 'https://digest.bench',
      postalAddress: 'Bench Street 1',
      limits: { perIp: 1e9, perAddress: 1e9, perDomainConfirmations: 1e9 },
    };
    const app = createApp({ pool: db.pool, config: { publicUrl: deps.publicUrl }, mount: (a) => mountSubscriptionRoutes(a, deps) });
    const send = (email: string) =>
      app.request('/subscribe', { method: 'POST', body: JSON.stringify({ email }), headers: { 'content-type': 'application/json' } }, {
        incoming: { socket: { remoteAddress: '192.0.2.1' }, headers: {} },
      });
    for (const state of STATES.slice(2)) {
      await addSubscriber(db.pool, { email: `${state}@bench.example`, source: 'bench' });
      if (state !== 'active') await db.pool.query(`UPDATE subscribers SET status = $2 WHERE email = $1`, [`${state}@bench.example`, state]);
    }
    await send('pending@bench.example');
    await drainSubscribeRequests(deps);
    for (let i = 0; i < 5; i++) await (await send(`warmup-${i}@bench.example`)).arrayBuffer();

    const times: Record<string, number[]> = Object.fromEntries(STATES.map((s) => [s, []]));
    for (let i = 0; i < rounds; i++) {
      for (const state of STATES) {
        const email = state === 'new' ? `new-${i}@bench.example` : `${state}@bench.example`;
        const t0 = performance.now();
        await (await send(email)).arrayBuffer();
        times[state]!.push(performance.now() - t0);
      }
    }
    return { rounds, medianMs: Object.fromEntries(STATES.map((s) => [s, median(times[s]!)])) as SubscribeTiming['medianMs'] };
  } finally {
    await boss.stop({ graceful: false, close: false }).catch(() => {});
  }
}
