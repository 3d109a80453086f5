// A long-running `digest <command>` (start, serve, worker) as a real child
// process: its pino lines parsed into events, the plain ready line awaited,
// and SIGTERM answered with its exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import { DIGEST_BIN } from './run-cli.ts';

export const READY_LINE = /^Salary Trends Digest is ready: /;

export interface LogEvent {
  event?: string;
  msg?: string;
  [k: string]: unknown;
}

export interface DigestProcess {
  child: ChildProcess;
  /** Resolves with the ready line; rejects if the process exits first. */
  ready: Promise<string>;
  events(): LogEvent[];
  output(): string;
  /** SIGTERM, then the exit code (or the signal's name if it was killed). */
  stop(timeoutMs?: number): Promise<number | string>;
}

export function spawnDigest(args: string[], env: Record<string, string>, opts: { cwd?: string; command?: string[] } = {}): DigestProcess {
  // Only what the test gives, on top of what finds node: nothing leaks in from the developer's shell.
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'NODE_EXTRA_CA_CERTS']) if (process.env[k] !== undefined) base[k] = process.env[k]!;
  const [cmd, ...pre] = opts.command ?? [process.execPath, DIGEST_BIN];
  const child = spawn(cmd!, [...pre, ...args], { env: { ...base, ...env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let pending = '';
  const events: LogEvent[] = [];
  let onReady: (line: string) => void = () => {};
  const ready = new Promise<string>((resolve, reject) => {
    onReady = resolve;
    child.once('exit', (code, signal) => reject(new Error(`digest ${args.join(' ')} exited before it was ready (${code ?? signal}):\n${out.slice(-4000)}`)));
  });
  ready.catch(() => {});
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    pending += d.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (READY_LINE.test(line)) onReady(line);
      if (line.startsWith('{')) {
        try {
          events.push(JSON.parse(line) as LogEvent);
        } catch {
          /* a partial or foreign line: kept in output() */
        }
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  // 'close', not 'exit': it waits for every process holding our pipes (under `npm start`, node outlives npm).
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    child,
    ready,
    events: () => events,
    output: () => out,
    async stop(timeoutMs = 30_000) {
      // The whole group: `npm start` puts npm and a shell between us and node.
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
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
