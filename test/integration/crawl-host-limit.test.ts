// Several workers crawling boards on one host ask it at most once a second
// together: two fetchers (as two processes have) sharing the PostgreSQL slot
// of that host, against a local server that records when each request came.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoliteFetcher } from '../../src/sources/http.ts';
import { sharedHostTurn } from '../../src/sources/host-limit.ts';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { startLocalServer, type LocalServer } from '../support/local-server.ts';

let db: TestDatabase;
let server: LocalServer;
let arrivals: number[] = [];

beforeAll(async () => {
  db = await freshPostgres();
  server = await startLocalServer((_req, res) => {
    arrivals.push(Date.now());
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"jobs":[]}');
  });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

/** Two fetchers, three requests each, all at once; the smallest gap between arrivals at the host. */
async function smallestGap(shared: boolean): Promise<number> {
  arrivals = [];
  const make = () => new PoliteFetcher({ publicUrl: 'http://digest.test', timeoutMs: 10_000, ...(shared ? { hostTurn: sharedHostTurn(db.pool) } : {}) });
  const fetchers = [make(), make()];
  await Promise.all(fetchers.flatMap((f, i) => [0, 1, 2].map((k) => f.getJson(`${server.url}/board-${i}-${k}`))));
  arrivals.sort((a, b) => a - b);
  return Math.min(...arrivals.slice(1).map((t, i) => t - arrivals[i]!));
}

describe('one request a second per host, for every process together', () => {
  it('without the shared turn, two fetchers ask the host twice in the same instant (the check can fail)', async () => {
    expect(await smallestGap(false)).toBeLessThan(500);
  });

  it('with the shared turn (PostgreSQL), arrivals are a second apart', async () => {
    const gap = await smallestGap(true);
    expect(arrivals).toHaveLength(6);
    // Database time and the server's clock agree to a few ms on one machine.
    expect(gap).toBeGreaterThanOrEqual(950);
  }, 30_000);
});
