// The comparison page under load: the site runs in its own process over demo
// data (8 weeks) on 127.0.0.1; autocannon drives it from this process for
// ~10 s with 20 connections (after a 3 s warm-up). Target on 2 cores: >= 1,000 requests/s with p99 < 50 ms.
// `npx tsx test/bench/compare-page.ts [seconds] [postgres|pglite]` prints the result.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

export const COMPARE_PATH = '/compare/mlops-engineer-vs-ai-software-engineer';

export interface ComparePageBench {
  rps: number;
  p99Ms: number;
  p50Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  bytesPerRequest: number;
  database: string;
}

export async function benchComparePage(
  opts: { seconds?: number; connections?: number; database?: 'postgres' | 'pglite'; log?: (s: string) => void } = {},
): Promise<ComparePageBench> {
  const log = opts.log ?? (() => {});
  const script = path.join(import.meta.dirname, 'serve-demo.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, opts.database ?? 'postgres'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    log('loading demo data and starting the site');
    const ready = await new Promise<{ url: string; database: string }>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => resolve(JSON.parse(line)));
      child.once('exit', (code) => reject(new Error(`site process exited early (code ${code})`)));
    });
    const url = `${ready.url}${COMPARE_PATH}`;
    // Warm up: the first request renders the page and fills the cache.
    const first = await fetch(url);
    if (first.status !== 200) throw new Error(`GET ${COMPARE_PATH} answered ${first.status}`);
    await first.text();
    // A short untimed run so the JIT has settled before we measure.
    await autocannon({ url, connections: opts.connections ?? 20, duration: 3 });
    log(`autocannon against ${url} for ${opts.seconds ?? 10} s`);
    const result = await autocannon({ url, connections: opts.connections ?? 20, duration: opts.seconds ?? 10 });
    return {
      rps: Math.round(result.requests.average),
      p99Ms: result.latency.p99,
      p50Ms: result.latency.p50,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      bytesPerRequest: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
      database: ready.database,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.argv[2] ?? 10);
  const database = (process.argv[3] ?? 'postgres') as 'postgres' | 'pglite';
  const r = await benchComparePage({ seconds, database, log: (s) => process.stderr.write(`  .. ${s}\n`) });
  console.log(JSON.stringify(r));
}
