// `npm start` on an empty DATA_DIR: seconds from the spawn to the ready line
// (target < 15 s), and on to the first digest in the outbox (the demo data
// loads behind the ready line). Baseline in the same run: `digest --version`,
// the bare cost of starting node, tsx and the command line's modules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnDigest } from '../support/digest-process.ts';
import { DIGEST_BIN } from '../support/run-cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface StartupResult {
  readySeconds: number;
  firstDigestSeconds: number;
  baselineSeconds: number;
}

export async function benchStartup(log: (s: string) => void): Promise<StartupResult> {
  let t = performance.now();
  execFileSync(process.execPath, [DIGEST_BIN, '--version'], { cwd: ROOT, stdio: 'ignore' });
  const baselineSeconds = (performance.now() - t) / 1000;
  log(`digest --version: ${baselineSeconds.toFixed(1)} s`);

  const dir = mkdtempSync(path.join(tmpdir(), 'bench-startup-'));
  const env = { DATA_DIR: path.join(dir, 'data'), OUTBOX_DIR: path.join(dir, 'outbox'), PORT: '0', LOG_FORMAT: 'json' };
  t = performance.now();
  const service = spawnDigest([], env, { cwd: ROOT, command: ['npm', 'start', '--silent'] });
  try {
    await service.ready;
    const readySeconds = (performance.now() - t) / 1000;
    log(`npm start: ready line after ${readySeconds.toFixed(1)} s; waiting for the first digest`);
    await service.logged('demo.digest.ready');
    const firstDigestSeconds = (performance.now() - t) / 1000;
    return { readySeconds, firstDigestSeconds, baselineSeconds };
  } finally {
    await service.stop(60_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
