// Issue 12, the input half, on real PostgreSQL: bodies streamed at the
// webhook and the postings API over a real socket, infinite and implausible
// pay in feeds, formulas in the subscriber CSV, non-canonical token
// spellings, a lower-case bearer scheme, and config errors that would print
// a secret.
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { createApp } from '../../src/web/app.ts';
import { startServer, type RunningServer } from '../../src/web/serve.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import { mountSubscriptionRoutes } from '../../src/subscribers/routes.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { createArchive } from '../../src/digest/archive-pages.tsx';
import { ingestFiles } from '../../src/postings/ingest.ts';
import { addSubscriber, exportSubscribers, importSubscribers } from '../../src/subscribers/import-export.ts';
import { subscriberToken } from '../../src/subscribers/tokens.ts';
import { loadConfig } from '../../src/config.ts';

const SECRET = 'inputs-test-secret-0123456789abcdef012';
const TOKEN = 'admin-token-for-inputs-test';
const WEBHOOK_SECRET = `whsec_${Buffer.from('webhook-secret-bytes-0123456789').toString('base64')}`;

let db: TestDatabase;
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  db = await freshPostgres();
  dir = mkdtempSync(path.join(tmpdir(), 'std-abuse-'));
  const log = { info() {}, warn() {}, error() {} };
  const app = createApp({
    pool: db.pool,
    config: { publicUrl: 'https://digest.test' },
    mount: (a) => {
      mountSubscriptionRoutes(a, { pool: db.pool, enqueueMail: async () => null, secret: SECRET, publicUrl: 'https://digest.test', postalAddress: 'x' });
      mountOperatorRoutes(a, {
        pool: db.pool,
        secret: SECRET,
        archive: createArchive({ pool: db.pool, publicUrl: 'https://digest.test', postalAddress: 'x' }),
        adminToken: TOKEN,
        webhookSecret: WEBHOOK_SECRET,
        metrics: createMetrics(),
        log,
        maxPostingsBytes: 1024 * 1024,
      });
    },
  });
  server = await startServer(app, 0, '127.0.0.1');
});

afterAll(async () => {
  await server?.close();
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Streamed {
  status: number;
  ms: number;
  rssGrowthMb: number;
  sentMb: number;
}

/**
 * POST `totalBytes` over a real socket in 64 KiB writes, chunked unless
 * `declareLength`, stopping as soon as an answer arrives; peak RSS sampled
 * every 10 ms while it runs.
 */
function stream(pathname: string, headers: Record<string, string>, totalBytes: number, declareLength = false): Promise<Streamed> {
  const url = new URL(pathname, server.url);
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers: { ...headers, ...(declareLength ? { 'content-length': String(totalBytes) } : {}) } }, (res) => {
      answered = true;
      const ms = performance.now() - started;
      res.resume();
      res.on('end', () => {
        clearInterval(sampler);
        req.destroy();
        resolve({ status: res.statusCode!, ms, rssGrowthMb: (peak - rss0) / 1e6, sentMb: sent / 1e6 });
      });
    });
    req.on('error', (err) => {
      if (!answered) {
        clearInterval(sampler);
        reject(err);
      }
    });
    const pump = () => {
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('3. bounded bodies', () => {
  const signedHeaders = () => ({
    'content-type': 'application/json',
    'svix-id': `msg_${Math.random().toString(36).slice(2)}`,
    'svix-timestamp': String(Math.floor(Date.now() / 1000)),
    'svix-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  });

  it('a 50 MB webhook POST, chunked or with its length, is answered 413 within 1 s and RSS grows < 20 MB', async () => {
    for (const declareLength of [false, true]) {
      const r = await stream('/webhooks/resend', signedHeaders(), 50 * 1024 * 1024, declareLength);
      expect({ declareLength, status: r.status }).toEqual({ declareLength, status: 413 });
      expect(r.ms).toBeLessThan(1000);
      expect(r.rssGrowthMb).toBeLessThan(20);
    }
  });

  it('checks the signature headers before reading: an unsigned 50 MB POST is 401 at once', async () => {
    const r = await stream('/webhooks/resend', { 'content-type': 'application/json' }, 50 * 1024 * 1024);
    expect(r.status).toBe(401);
    expect(r.ms).toBeLessThan(1000);
    expect(r.rssGrowthMb).toBeLessThan(20);
  });

  it('POST /api/postings stops reading a chunked body at its cap', async () => {
    const r = await stream('/api/postings', { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, 20 * 1024 * 1024);
    expect(r.status).toBe(413);
    expect(r.ms).toBeLessThan(1000);
    expect(r.sentMb).toBeLessThan(10);
  });
});

describe('7. infinite and implausible pay', () => {
  it('is a bad field: the row is stored without pay, the others as they are', async () => {
    const jsonl = path.join(dir, 'pay.jsonl');
    const base = { company: 'Acme', title: 'MLOps Engineer', seen_at: '2026-11-02T00:00:00Z' };
    writeFileSync(
      jsonl,
      [
        { ...base, external_id: 'inf', salary_max: 1e308 },
        { ...base, external_id: 'monthly-inf', salary_max: 1e307, period: 'month' },
        { ...base, external_id: 'huge', salary_max: 9_000_000 },
        { ...base, external_id: 'tiny', salary_min: 50, salary_max: 900 },
        { ...base, external_id: 'fine', salary_min: 150_000, salary_max: 200_000 },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const csv = path.join(dir, 'pay.csv');
    writeFileSync(csv, `external_id,title,company,seen_at,salary_max\ncsv-inf,MLOps Engineer,Acme,2026-11-02,1${'0'.repeat(307)}\n`);
    const summary = await ingestFiles(db.pool, [jsonl, csv]);
    expect(summary).toMatchObject({ stored: 6, rejected: 0, payDropped: 5 });
    const { rows } = await db.pool.query(`SELECT external_id, salary_max::float8 AS s, annual_max::float8 AS a FROM postings ORDER BY external_id`);
    expect(rows).toEqual([
      { external_id: 'csv-inf', s: null, a: null },
      { external_id: 'fine', s: 200_000, a: 200_000 },
      { external_id: 'huge', s: null, a: null },
      { external_id: 'inf', s: null, a: null },
      { external_id: 'monthly-inf', s: null, a: null },
      { external_id: 'tiny', s: null, a: null },
    ]);
  });
});

describe('8. formulas in the CSV export', () => {
  it('prefixes = + - @ cells with a quote, and import reads them back as they were', async () => {
    const evil = ["=cmd|'/Ccalc'!A0@example.com", '+1-555@example.com', '-cmd@example.com', "'=already@example.com", 'plain@example.com'];
    for (const email of evil) await addSubscriber(db.pool, { email, source: 'test' });
    const out = await exportSubscribers(db.pool);
    const cells = out.trim().split('\n').slice(1).map((l) => l.replace(/,$/, ''));
    expect(cells).toEqual([
      "'=cmd|'/Ccalc'!A0@example.com",
      "'+1-555@example.com",
      "'-cmd@example.com",
      "''=already@example.com",
      'plain@example.com',
    ]);
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@]/);
    const again = await importSubscribers(db.pool, out, { source: 'import:export.csv' });
    expect(again).toMatchObject({ added: 0, activated: 0, unchanged: evil.length, problems: [] });
  });
});

describe('9. one spelling per token', () => {
  it('refuses a token whose last character was changed to another with the same bytes', async () => {
    await addSubscriber(db.pool, { email: 'token@example.com', source: 'test' });
    const { rows } = await db.pool.query<{ id: number }>(`SELECT id FROM subscribers WHERE email = 'token@example.com'`);
    const token = subscriberToken(SECRET, 'preferences', rows[0]!.id);
    expect((await fetch(`${server.url}/preferences/${token}`)).status).toBe(200);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let variants = 0;
    for (const c of alphabet) {
      const other = token.slice(0, -1) + c;
      if (other === token || Buffer.from(other.split('.')[1]!, 'base64url').compare(Buffer.from(token.split('.')[1]!, 'base64url')) !== 0) continue;
      variants += 1;
      expect((await fetch(`${server.url}/preferences/${other}`)).status).toBe(400);
    }
    expect(variants).toBeGreaterThan(0);
  });
});

describe('10. smaller', () => {
  it('the Authorization scheme is case-insensitive', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await fetch(`${server.url}/admin`, { headers: { authorization: `${scheme} ${TOKEN}` } });
      expect({ scheme, status: res.status }).toEqual({ scheme, status: 200 });
    }
  });

  it('config errors name the variable, never a secret value', () => {
    const secrets = { SECRET: 'short-but-secret', ADMIN_TOKEN: '', RESEND_WEBHOOK_SECRET: '', DATABASE_URL: 'mysql://user:hunter2@db/x' };
    for (const [name, value] of Object.entries(secrets)) {
      if (value === '') continue;
      let message = '';
      try {
        loadConfig({ [name]: value });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(new RegExp(`^${name}: `));
      expect(message).not.toContain(value);
    }
  });
});
