// Runs the real command line (`node bin/digest.js ...`) as a child process
// with the given environment on top of this one (PATH and the like), and
// collects its exit code and output.
import { execFile } from 'node:child_process';
import path from 'node:path';

export const DIGEST_BIN = path.resolve(import.meta.dirname, '../../bin/digest.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  // The child reads only what the test gives it: no DATABASE_URL etc. leaking in from the developer's shell.
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k] !== undefined) base[k] = process.env[k]!;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [DIGEST_BIN, ...args],
      { env: { ...base, ...env }, cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
      },
    );
  });
}
