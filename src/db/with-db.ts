// The command line's way to the database: open it (PostgreSQL, or the
// embedded one under its lock, named after the command), bring the schema up
// to date, run the command, and close it whatever happens.
import type { Config } from '../config.ts';
import { openDatabase, type Database } from './database.ts';
import { migrate } from './migrate.ts';

export async function withDb<T>(config: Pick<Config, 'databaseUrl' | 'dataDir'>, command: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: `digest ${command}` });
  try {
    await migrate(db.pool);
    return await fn(db);
  } finally {
    await db.close();
  }
}
