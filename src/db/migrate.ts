// Forward-only migrations: migrations/NNNN_name.sql, each applied in its own
// transaction and recorded in schema_migrations. A transaction-scoped advisory
// lock serialises concurrent runners (session locks do not exclude each other
// on PGlite), and each runner re-checks the record under the lock, so two
// processes starting at once never both apply one migration.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';
import { openDatabase, type Database, type Db } from './database.ts';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const LOCK_KEY = 7_231_994_001; // arbitrary, fixed: "salary trends digest migrations"

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const out: Migration[] = [];
  for (const f of files) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(f);
    if (!m) throw new Error(`migration file name must look like 0001_name.sql: ${f}`);
    const id = Number(m[1]);
    if (out.some((x) => x.id === id)) throw new Error(`two migrations numbered ${m[1]}`);
    out.push({ id, name: m[2]!, sql: readFileSync(path.join(dir, f), 'utf8') });
  }
  return out;
}

/** Apply every pending migration; returns the names applied by this call. */
export async function migrate(pool: Db, migrations = readMigrations()): Promise<string[]> {
  const applied: string[] = [];
  for (const m of migrations) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           id integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = await client.query('SELECT 1 FROM schema_migrations WHERE id = $1', [m.id]);
      if (done.rowCount === 0) {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
        applied.push(`${String(m.id).padStart(4, '0')}_${m.name}`);
      }
      await client.query('COMMIT');
    } catch (err) {
      // Roll back: on PGlite an aborted transaction would block everything.
      await client.query('ROLLBACK').catch(() => {});
      throw new Error(`migration ${String(m.id).padStart(4, '0')}_${m.name} failed: ${(err as Error).message}`);
    } finally {
      client.release();
    }
  }
  return applied;
}

/** The migrations recorded as applied, oldest first (`digest migrate` reports them). */
export async function appliedMigrations(pool: Db): Promise<{ id: number; name: string }[]> {
  const { rows } = await pool.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id');
  return rows;
}
