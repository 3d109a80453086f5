// One small interface for the rest of the code: a `pg.Pool`. With a
// DATABASE_URL it is a normal pool; without one it is a pool of size 1 over an
// in-process PGlite in DATA_DIR, guarded so only one process opens it.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { acquireEmbeddedLock, type EmbeddedLock } from './embedded-lock.ts';

// Return numeric and bigint as JS numbers: the figures here are counts and
// dollars well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;

export interface Database {
  pool: Db;
  kind: 'postgres' | 'pglite';
  /** For pg-boss's PGlite adapter; undefined on PostgreSQL. */
  pglite: unknown;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Max connections for PostgreSQL (ignored for PGlite, which is one session). */
  max?: number;
  /** Name written into the embedded lock file so a second process can say who holds it. */
  holder?: string;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.max ?? 10 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    });
    // Fail fast with a clear message instead of on first use.
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end().catch(() => {});
      throw new Error(`cannot connect to DATABASE_URL (${redact(opts.databaseUrl)}): ${(err as Error).message}`);
    }
    return { pool, kind: 'postgres', pglite: undefined, close: () => pool.end() };
  }
  const dir = path.resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  const lock = acquireEmbeddedLock(dir, opts.holder ?? 'digest');
  try {
    return await openPglite(path.join(dir, 'pgdata'), lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** An in-memory PGlite database, for tests and benchmarks. */
export async function openMemoryDatabase(): Promise<Database> {
  return openPglite('memory://', undefined);
}

async function openPglite(dataDir: string, lock: EmbeddedLock | undefined): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const pglite = await PGlite.create(dataDir);
  const pool = new pg.Pool({ ...(createPgConfig(pglite) as object), max: 1 } as pg.PoolConfig);
  return {
    pool,
    kind: 'pglite',
    pglite,
    async close() {
      await pool.end();
      await pglite.close();
      lock?.release();
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Run `fn` in a transaction on one checked-out client. Never await another
 * pool query inside `fn`: on PGlite (pool size 1) that deadlocks.
 */
export async function withTransaction<T>(pool: Db, fn: (client: DbClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
