// A long-running `digest <command>` (start, serve, worker) as a real child
// process, configured only by the environment given (nothing leaks in from
// the developer's shell) and started in a scratch directory unless told
// otherwise, so it writes nothing into the repository. Its pino lines are
// parsed into events, the plain ready line can be awaited, and SIGTERM is
// answered with its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIGEST_BIN } from './run-cli.ts';

const READY_LINE = /^Salary Trends Digest is ready: /;

export interface LogEvent {
  event?: string;
  msg?: string;
  [k: string]: unknown;
}

interface Exit {
  /** Null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DigestProcess {
  child: ChildProcess;
  /** Resolves with the ready line (`start`, `serve`); rejects if the process exits first. */
  ready: Promise<string>;
  /** Resolves once every process holding its pipes has gone (under `npm start`, node outlives npm). */
  exited: Promise<Exit>;
  /** Every log line, or those naming `event`, in order. */
  events(event?: string): LogEvent[];
  /** Resolves when a line naming `event` has been logged; rejects if the process exits first. */
  logged(event: string): Promise<void>;
  /** Everything it wrote, for failure messages. */
  output(): string;
  /** SIGTERM to its process group, then the exit code (or the signal's name); SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | string>;
}

export function spawnDigest(args: string[], env: Record<string, string>, opts: { cwd?: string; command?: string[] } = {}): DigestProcess {
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'NODE_EXTRA_CA_CERTS']) if (process.env[k] !== undefined) base[k] = process.env[k]!;
  const scratch = opts.cwd ? undefined : mkdtempSync(path.join(tmpdir(), 'digest-process-'));
  const [cmd, ...pre] = opts.command ?? [process.execPath, DIGEST_BIN];
  // Its own process group, so stop() reaches everything `npm start` puts between us and node.
  const child = spawn(cmd!, [...pre, ...args], { env: { ...base, ...env }, cwd: opts.cwd ?? scratch, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let pending = '';
  const lines: LogEvent[] = [];
  const waiters: { event: string; resolve: () => void }[] = [];
  let onReady: (line: string) => void = () => {};
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    pending += d.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (READY_LINE.test(line)) onReady(line);
      if (!line.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(line) as LogEvent;
        lines.push(parsed);
        for (const w of waiters) if (w.event === parsed.event) w.resolve();
      } catch {
        /* not a log line: kept in output() */
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  const beforeExit = <T>(what: string, settle: (resolve: (v: T) => void) => void): Promise<T> => {
    const p = new Promise<T>((resolve, reject) => {
      settle(resolve);
      void exited.then(({ code, signal }) => reject(new Error(`digest ${args.join(' ')} exited (${code ?? signal}) before ${what}:\n${out.slice(-4000)}`)));
    });
    p.catch(() => {});
    return p;
  };
  const ready = beforeExit<string>('it was ready', (resolve) => (onReady = resolve));
  return {
    child,
    ready,
    exited,
    events: (event) => (event === undefined ? lines : lines.filter((l) => l.event === event)),
    logged: (event) =>
      beforeExit<void>(`it logged ${event}`, (resolve) => {
        if (lines.some((l) => l.event === event)) resolve();
        else waiters.push({ event, resolve: () => resolve() });
      }),
    output: () => out,
    async stop(timeoutMs = 30_000) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* the group is gone already */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, timeoutMs);
      const { code, signal } = await exited;
      clearTimeout(timer);
      return code ?? signal ?? 'unknown';
    },
  };
}
