// `digest worker` as an operator runs it: the real command line
// (`node bin/digest.js worker`) in its own process, configured only by the
// environment given (nothing leaks in from the developer's shell), started in
// a scratch directory so it writes nothing into the repository. Its pino log
// lines are parsed, so a test can wait for and count named events.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIGEST_BIN } from './run-cli.ts';

export interface LogLine {
  event?: string;
  [field: string]: unknown;
}

export interface CliWorker {
  child: ChildProcess;
  /** Resolves once the process logged `delivery.worker.started`; rejects if it exits first. */
  started: Promise<void>;
  /** Exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The log lines naming `event`, in order. */
  events(event: string): LogLine[];
  /** Everything it wrote, for failure messages. */
  output(): string;
}

export function spawnCliWorker(env: Record<string, string>): CliWorker {
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k] !== undefined) base[k] = process.env[k]!;
  const cwd = mkdtempSync(path.join(tmpdir(), 'digest-worker-'));
  const child = spawn(process.execPath, [DIGEST_BIN, 'worker'], { env: { ...base, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let pending = '';
  const lines: LogLine[] = [];
  let onLine: (() => void) | undefined;
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    pending += d.toString();
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as LogLine);
      } catch {
        // Not a log line.
      }
    }
    onLine?.();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  const started = new Promise<void>((resolve, reject) => {
    onLine = () => {
      if (lines.some((l) => l.event === 'delivery.worker.started')) resolve();
    };
    void exited.then(({ code, signal }) => reject(new Error(`digest worker exited before it started (${code ?? signal}): ${out}`)));
  });
  started.catch(() => {});
  return {
    child,
    started,
    exited,
    events: (event) => lines.filter((l) => l.event === event),
    output: () => out,
  };
}
