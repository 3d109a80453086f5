// Databases for tests: a fresh PostgreSQL database per call (created on the
// server named by TEST_DATABASE_URL, which the run's global setup sets: the
// local server, else a throwaway one; see test/support/test-postgres.ts), or an in-memory
// PGlite. Both are migrated. Each test file gets its own, so files run in
// parallel without sharing rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, openMemoryDatabase, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { DEFAULT_PROBE_URL } from './test-postgres.ts';

export type DbKind = 'postgres' | 'pglite';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || DEFAULT_PROBE_URL;

export interface TestDatabase extends Database {
  url: string | undefined;
}

/** A new, empty, migrated PostgreSQL database; dropped on close unless KEEP_TEST_DB is set. */
export async function freshPostgres(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `std_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  if (opts.migrate !== false) await migrate(db.pool);
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      if (process.env.KEEP_TEST_DB) return;
      const a = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export async function freshPglite(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const db = await openMemoryDatabase();
  if (opts.migrate !== false) await migrate(db.pool);
  return { ...db, url: undefined };
}

export function freshDatabase(kind: DbKind, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  return kind === 'postgres' ? freshPostgres(opts) : freshPglite(opts);
}

/** Both kinds, for `describe.each(DB_KINDS)`. */
export const DB_KINDS: DbKind[] = ['postgres', 'pglite'];
