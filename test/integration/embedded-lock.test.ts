import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { acquireEmbeddedLock, EmbeddedDatabaseBusyError } from '../../src/db/embedded-lock.ts';
import { migrate } from '../../src/db/migrate.ts';
import { spawnSync } from 'node:child_process';
import { spawnDigest } from '../support/digest-process.ts';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'std-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded database', () => {
  it('opens in DATA_DIR, keeps data across opens, and refuses a second process while held', async () => {
    const db = await openDatabase({ databaseUrl: undefined, dataDir: dir, holder: 'test holder' });
    try {
      expect(db.kind).toBe('pglite');
      await migrate(db.pool);
      await db.pool.query(`INSERT INTO weeks (week, tz, starts_at, ends_at, total) VALUES ('2026-W47', 'UTC', now(), now(), 7)`);
      // A second process fails at once, naming the holder and suggesting DATABASE_URL.
      const script = `import { openDatabase } from ${JSON.stringify(path.resolve('src/db/database.ts'))};
        try { await openDatabase({ databaseUrl: undefined, dataDir: ${JSON.stringify(dir)} }); console.log('OPENED'); }
        catch (e) { console.log(e.message); process.exit(3); }`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
      expect(child.status).toBe(3);
      expect(child.stdout).toContain(`process ${process.pid} (test holder)`);
      expect(child.stdout).toContain('DATABASE_URL');
    } finally {
      await db.close();
    }
    const again = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      const { rows } = await again.pool.query('SELECT total FROM weeks');
      expect(rows).toEqual([{ total: 7 }]);
    } finally {
      await again.close();
    }
  }, 180_000);

  it('names the holder by the command it runs: a second command beside `digest start` says `digest start`', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'std-start-lock-'));
    const env = { DATA_DIR: path.join(d, 'data'), OUTBOX_DIR: path.join(d, 'outbox'), PORT: '0', LOG_FORMAT: 'json' };
    const service = spawnDigest(['start'], env, { cwd: d });
    try {
      await service.ready;
      const second = await runCli(['migrate'], env, { cwd: d });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/^digest: the embedded database in .* is in use by process \d+ \(digest start\) on /m);
      expect(second.stderr).not.toContain('digest serve');
      // Stopped once the service is built (it then loads demo data in the background, which a stop cuts short cleanly).
      await service.logged('demo.loading');
    } finally {
      expect(await service.stop(60_000), service.output().slice(-2000)).toBe(0);
      rmSync(d, { recursive: true, force: true });
    }
  }, 300_000);

  it('takes over a lock left by a process that died', () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'std-stale-'));
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout.trim());
    writeFileSync(path.join(d, 'embedded.lock'), JSON.stringify({ pid: deadPid, host: os.hostname(), holder: 'x', since: '' }));
    try {
      const lock = acquireEmbeddedLock(d, 'me');
      // The file now names this process, and a further claim is refused with that name.
      expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, holder: 'me' });
      expect(() => acquireEmbeddedLock(d, 'other')).toThrow(EmbeddedDatabaseBusyError);
      expect(() => acquireEmbeddedLock(d, 'other')).toThrow(`process ${process.pid} (me)`);
      lock.release();
      expect(existsSync(lock.file)).toBe(false);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
