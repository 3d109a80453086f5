import { afterAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase, freshPostgres, type TestDatabase } from '../support/db.ts';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/database.ts';

describe.each(DB_KINDS)('migrations on %s', (kind) => {
  let db: TestDatabase;
  afterAll(async () => db?.close());

  it('applies every migration once and records it; a second run applies nothing', async () => {
    db = await freshDatabase(kind, { migrate: false });
    const first = await migrate(db.pool);
    expect(first.length).toBe(readMigrations().length);
    expect(await migrate(db.pool)).toEqual([]);
    const { rows } = await db.pool.query('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(readMigrations().map((m) => m.id));
  });
});

describe('two processes migrating at once (PostgreSQL)', () => {
  it('applies each migration exactly once between them', async () => {
    const db = await freshPostgres({ migrate: false });
    const a = await openDatabase({ databaseUrl: db.url, dataDir: '' });
    const b = await openDatabase({ databaseUrl: db.url, dataDir: '' });
    try {
      const [ra, rb] = await Promise.all([migrate(a.pool), migrate(b.pool)]);
      expect([...ra, ...rb].sort()).toEqual(readMigrations().map((m) => `${String(m.id).padStart(4, '0')}_${m.name}`).sort());
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0].n).toBe(readMigrations().length);
    } finally {
      await a.close();
      await b.close();
      await db.close();
    }
  });

  it('rolls back a failing migration and leaves nothing half-applied', async () => {
    const db = await freshPostgres({ migrate: false });
    try {
      const bad = [...readMigrations(), { id: 9999, name: 'broken', sql: 'CREATE TABLE half (x int); SELECT nope FROM nowhere;' }];
      await expect(migrate(db.pool, bad)).rejects.toThrow(/9999_broken failed/);
      const { rows } = await db.pool.query(`SELECT to_regclass('half') AS t, (SELECT count(*)::int FROM schema_migrations WHERE id = 9999) AS n`);
      expect(rows[0]).toEqual({ t: null, n: 0 });
    } finally {
      await db.close();
    }
  });
});
