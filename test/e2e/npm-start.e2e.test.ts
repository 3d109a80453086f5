// What a new user does: clone, install, `npm start` with no configuration at
// all. The clone holds exactly what git would give (the working tree as a
// commit, so uncommitted work is tested too, and ignored files such as data/
// and outbox/ are not carried over); node_modules stands in for `npm install`.
// The service must load its demo data into the embedded database, print its
// one ready line, serve the landing page, a comparison and /healthz, and have
// written the first digest to ./outbox.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanClone } from '../support/clean-clone.ts';
import { spawnDigest, type DigestProcess } from '../support/digest-process.ts';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

describe('npm start from a clean clone, with no configuration', () => {
  let work: string;
  let clone: string;
  let service: DigestProcess;
  let ready: string;
  let readyEvents: (string | undefined)[];

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'digest-npm-start-'));
    clone = cleanClone(work);
    // No environment but what finds node and npm. Port 3000 is the default; only if something
    // else on this machine holds it does the test pick a free one.
    const env: Record<string, string> = (await portFree(3000)) ? {} : { PORT: '0' };
    service = spawnDigest([], env, { cwd: clone, command: ['npm', 'start', '--silent'] });
    ready = await service.ready;
    readyEvents = service.events().map((e) => e.event);
    // The site is up before the demo data is in; the first digest follows once it is.
    await service.logged('demo.digest.ready');
  }, 300_000);

  afterAll(async () => {
    try {
      // npm itself dies of the SIGTERM sent to the group; the service below it must stop cleanly.
      if (service) {
        const code = await service.stop();
        expect(service.events().map((e) => e.event), `${code}\n${service.output().slice(-2000)}`).toContain('service.stopped');
      }
    } finally {
      if (work) rmSync(work, { recursive: true, force: true });
    }
  });

  it('starts with nothing carried over from this checkout', () => {
    expect(existsSync(path.join(clone, '.git'))).toBe(true);
    expect(service.events().some((e) => e.event === 'demo.loaded')).toBe(true);
  });

  it('is ready before the demo data is loaded, and says so', () => {
    expect(readyEvents).not.toContain('demo.loaded');
    const out = service.output();
    expect(out.indexOf('Salary Trends Digest is ready')).toBeGreaterThan(-1);
    expect(out.indexOf('Salary Trends Digest is ready')).toBeLessThan(out.indexOf('"event":"demo.loaded"'));
  });

  it('prints one ready line naming the address and the outbox', () => {
    expect(ready).toMatch(
      /^Salary Trends Digest is ready: open http:\/\/localhost:\d+ · mail is written to .*outbox \(the first digest lands there once the demo data is loaded, in about a minute\) · database: embedded in .*data · demo data is loading in the background; pages say so until it is in$/,
    );
    expect(ready).toContain(path.join(clone, 'outbox'));
    expect(service.output().split('\n').filter((l) => l.startsWith('Salary Trends Digest is ready'))).toHaveLength(1);
  });

  it('serves the landing page, a comparison and /healthz', async () => {
    const base = /open (http:\/\/localhost:\d+)/.exec(ready)![1]!;
    const landing = await fetch(`${base}/`);
    expect(landing.status).toBe(200);
    const html = await landing.text();
    expect(html).toContain('Track AI Salary Trends');
    expect(html).toContain('Demo data: generated postings, not real openings.');
    const compare = await fetch(`${base}/compare/mlops-engineer-vs-ai-software-engineer`);
    expect(compare.status).toBe(200);
    expect(await compare.text()).toMatch(/MLOps Engineer[\s\S]*AI Software Engineer/);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
  });

  it('has written the first digest to ./outbox, addressed to the demo reader', () => {
    const outbox = path.join(clone, 'outbox');
    const lines = readFileSync(path.join(outbox, 'index.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const digests = lines.filter((l) => l.kind === 'digest');
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ to: 'reader@example.com' });
    expect(readdirSync(outbox)).toContain(digests[0].file);
    const eml = readFileSync(path.join(outbox, digests[0].file), 'utf8');
    expect(eml).toMatch(/^Subject: .+/m);
    expect(eml).toMatch(/^List-Unsubscribe:\s+<https?:\/\/[^>]+\/unsubscribe\/[^>]+>/m);
  });
});
