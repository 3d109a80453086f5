// Shared pieces for delivery tests: subscribers and issues in bulk, a simple
// deterministic renderer, and the deps a worker needs, pointed at a fake
// Resend server or an outbox folder.
import type { Db } from '../../src/db/database.ts';
import type { RenderFor, Recipient } from '../../src/delivery/deps.ts';
import { createOutboxTransport } from '../../src/delivery/outbox-transport.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { createRateLimiter } from '../../src/delivery/rate-limit.ts';
import { createResendTransport } from '../../src/delivery/resend-transport.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/delivery/retry.ts';
import type { WorkerDeps } from '../../src/delivery/worker.ts';
import { SEND_JOBS } from '../../src/wiring.ts';

export const PUBLIC_URL = 'https://digest.example.test';

export function address(i: number): string {
  return `reader${String(i).padStart(6, '0')}@example.test`;
}

/** `count` active subscribers reader000001@... upward (from `from`). */
export async function seedSubscribers(pool: Db, count: number, opts: { from?: number; status?: string } = {}): Promise<void> {
  const from = opts.from ?? 1;
  await pool.query(
    `INSERT INTO subscribers (email, status, source, confirmed_at)
     SELECT 'reader' || lpad(i::text, 6, '0') || '@example.test', $3, 'test', now()
       FROM generate_series($1::int, $2::int) AS i`,
    [from, from + count - 1, opts.status ?? 'active'],
  );
}

export async function createIssue(pool: Db, week = '2026-W47'): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO issues (week, subject, content) VALUES ($1, $2, '{}') RETURNING id`,
    [week, `Salary shifts, week ${week}`],
  );
  return rows[0]!.id;
}

export const testRender: RenderFor = (issueId: number, r: Recipient) => ({
  subject: `Salary shifts, issue ${issueId}`,
  html: `<p>Hello ${r.email}, here is issue ${issueId}.</p>`,
  text: `Hello ${r.email}, here is issue ${issueId}.`,
});

export const testToken = (r: Recipient) => `tok-${r.id}`;

export interface DepsOptions {
  pool: Db;
  kind: 'postgres' | 'pglite';
  fakeUrl?: string;
  outboxDir?: string;
  rate?: number;
  policy?: Partial<RetryPolicy>;
  concurrency?: number;
  boss?: Boss;
}

const FAST_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  baseDelayMs: 50,
  maxDelayMs: 400,
  requestTimeoutMs: 1500,
  leaseSeconds: 3,
};

export async function makeDeps(o: DepsOptions): Promise<WorkerDeps> {
  const boss = o.boss ?? (await startBoss({ pool: o.pool, kind: o.kind }, { supervise: false }));
  const transport = o.fakeUrl
    ? createResendTransport({ apiKey: 're_test_key', baseUrl: o.fakeUrl })
    : createOutboxTransport({ dir: o.outboxDir ?? './outbox' });
  return {
    pool: o.pool,
    boss,
    transport,
    limiter: createRateLimiter(o.pool, { perSecond: o.rate ?? 50 }),
    policy: { ...FAST_POLICY, ...o.policy },
    mailFrom: 'Salary Trends Digest <digest@example.test>',
    publicUrl: PUBLIC_URL,
    renderFor: testRender,
    unsubscribeToken: testToken,
    jobs: SEND_JOBS,
    concurrency: o.concurrency ?? 4,
    idlePollMs: 100,
  };
}
