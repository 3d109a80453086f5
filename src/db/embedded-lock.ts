// The embedded database belongs to one process at a time (PGlite is not safe
// for two). A lock file in DATA_DIR names the holder; a second process fails at
// once with that name, and a lock left by a dead process is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedLock {
  file: string;
  release(): void;
}

class EmbeddedDatabaseBusyError extends Error {
  override name = 'EmbeddedDatabaseBusyError';
}

interface Holder {
  pid: number;
  host: string;
  holder: string;
  since: string;
}

export function acquireEmbeddedLock(dir: string, holder: string): EmbeddedLock {
  const file = path.join(dir, 'embedded.lock');
  const me: Holder = { pid: process.pid, host: os.hostname(), holder, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const cur = readHolder(file);
          if (cur && cur.pid === me.pid && cur.host === me.host) unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return { file, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const cur = readHolder(file);
      if (cur && cur.host === me.host && !isAlive(cur.pid)) {
        // Stale: the holder died without cleaning up.
        try {
          unlinkSync(file);
        } catch {
          // someone else took it over first; try again
        }
        continue;
      }
      const who = cur ? `process ${cur.pid} (${cur.holder}) on ${cur.host} since ${cur.since}` : 'another process';
      throw new EmbeddedDatabaseBusyError(
        `the embedded database in ${dir} is in use by ${who}; stop it, or set DATABASE_URL to a PostgreSQL server to run several processes`,
      );
    }
  }
  throw new EmbeddedDatabaseBusyError(`could not take the embedded database lock ${file}`);
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
