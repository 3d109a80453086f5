// A fake Resend API on 127.0.0.1 for tests: the endpoints the SDK calls
// (POST /emails, POST /emails/batch with x-batch-validation), its response
// and error shapes, and Resend's idempotency rules: the same key with the same
// body gets the first answer and creates nothing; the same key with another
// body, or while the first request is still running, gets 409. Switches make
// it answer 429 (with retry-after), 500, answer slowly, hang, or drop the
// connection (before or after accepting the messages) at chosen rates. Every
// accepted message is recorded, so tests count what each recipient got.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { startLocalServer, type LocalServer } from './local-server.ts';

interface Faults {
  /** Share of requests answered 429 with `retry-after: retryAfterSeconds`. */
  rate429: number;
  retryAfterSeconds: number;
  rate500: number;
  /** Share never answered (held until the client gives up). */
  rateHang: number;
  /** Share processed, then answered after `slowMs`. */
  rateSlow: number;
  slowMs: number;
  /** Share whose connection is dropped before processing. */
  rateDropBefore: number;
  /** Share processed (messages accepted), then the connection dropped: the answer is lost. */
  rateDropAfter: number;
  /** Addresses that fail validation (permissive batches fail only these). */
  invalid: Set<string>;
}

const NO_FAULTS: Faults = {
  rate429: 0,
  retryAfterSeconds: 1,
  rate500: 0,
  rateHang: 0,
  rateSlow: 0,
  slowMs: 0,
  rateDropBefore: 0,
  rateDropAfter: 0,
  invalid: new Set(),
};

interface AcceptedMessage {
  id: string;
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  key: string | null;
}

export interface RequestRecord {
  /** performance.now() at arrival. */
  at: number;
  path: string;
  key: string | null;
  /** The User-Agent (the SDK takes it from RESEND_USER_AGENT): tells processes apart. */
  agent: string;
  outcome: 'accepted' | 'replayed' | '409' | '422' | '429' | '500' | 'hang' | 'drop-before' | 'drop-after' | '401' | '404';
}

interface AnsweredInfo {
  key: string | null;
  path: string;
  messages: number;
}

export interface FakeResend {
  url: string;
  accepted: AcceptedMessage[];
  requests: RequestRecord[];
  setFaults(f: Partial<Faults>): void;
  /** Called when a 2xx answer with new messages has been written to the socket. */
  onAnswered: ((info: AnsweredInfo) => void) | undefined;
  countsByRecipient(): Map<string, number>;
  close(): Promise<void>;
}

interface Remembered {
  hash: string;
  done: boolean;
  status: number;
  body: unknown;
}

interface ApiEmail {
  from?: string;
  to?: string | string[];
  subject?: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
}

/** A seeded PRNG (mulberry32), so a failing run can be repeated. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FakeResendOptions {
  faults?: Partial<Faults>;
  seed?: number;
  /** Keep only recipient, key and tags of accepted messages (benchmarks: memory). */
  lean?: boolean;
}

export async function startFakeResend(opts: FakeResendOptions = {}): Promise<FakeResend> {
  let faults: Faults = { ...NO_FAULTS, ...opts.faults };
  const random = seeded(opts.seed ?? 1);
  const keys = new Map<string, Remembered>();
  const accepted: AcceptedMessage[] = [];
  const requests: RequestRecord[] = [];
  const hanging = new Set<ServerResponse>();

  const fake: FakeResend = {
    url: '',
    accepted,
    requests,
    onAnswered: undefined,
    setFaults(f) {
      faults = { ...faults, ...f };
    },
    countsByRecipient() {
      const m = new Map<string, number>();
      for (const a of accepted) m.set(a.to, (m.get(a.to) ?? 0) + 1);
      return m;
    },
    async close() {
      for (const res of hanging) res.destroy();
      await server.close();
    },
  };

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  function validate(e: ApiEmail): string | null {
    const to = Array.isArray(e.to) ? e.to[0] : e.to;
    if (!e.from) return 'The `from` field is missing.';
    if (!to || !/^[^@\s]+@[^@\s]+$/.test(to)) return `Invalid \`to\` field: ${to ?? '(none)'}`;
    if (faults.invalid.has(to)) return `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` format.`;
    if (!e.subject) return 'The `subject` field is missing.';
    return null;
  }

  function accept(e: ApiEmail, key: string | null): string {
    const id = randomUUID();
    accepted.push({
      id,
      to: (Array.isArray(e.to) ? e.to[0] : e.to) ?? '',
      from: e.from ?? '',
      subject: e.subject ?? '',
      html: opts.lean ? '' : (e.html ?? ''),
      text: opts.lean ? '' : (e.text ?? ''),
      headers: opts.lean ? {} : (e.headers ?? {}),
      tags: e.tags ?? [],
      key,
    });
    return id;
  }

  /** Process a request for real: returns status and body, and how many messages it created. */
  function process(path: string, body: unknown, permissive: boolean, key: string | null): { status: number; body: unknown; created: number } {
    if (path === '/emails') {
      const e = body as ApiEmail;
      const err = validate(e);
      if (err) return { status: 422, body: { statusCode: 422, name: 'validation_error', message: err }, created: 0 };
      return { status: 200, body: { id: accept(e, key) }, created: 1 };
    }
    if (!Array.isArray(body) || body.length === 0 || body.length > 100) {
      return { status: 422, body: { statusCode: 422, name: 'validation_error', message: 'A batch holds 1 to 100 emails.' }, created: 0 };
    }
    const emails = body as ApiEmail[];
    const errors = emails.map((e, index) => ({ index, message: validate(e) })).filter((x) => x.message !== null);
    if (errors.length > 0 && !permissive) {
      return { status: 422, body: { statusCode: 422, name: 'validation_error', message: errors[0]!.message }, created: 0 };
    }
    const failed = new Set(errors.map((e) => e.index));
    const data = emails.flatMap((e, i) => (failed.has(i) ? [] : [{ id: accept(e, key) }]));
    return { status: 200, body: permissive ? { data, errors } : { data }, created: data.length };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const path = (req.url ?? '').split('?')[0]!;
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const agent = req.headers['user-agent'] ?? '';
    const record = (outcome: RequestRecord['outcome']) => requests.push({ at, path, key, agent, outcome });

    if (req.method !== 'POST' || (path !== '/emails' && path !== '/emails/batch')) {
      record('404');
      return send(res, 404, { statusCode: 404, name: 'not_found', message: 'The requested endpoint does not exist.' });
    }
    if (!/^Bearer .+/.test(req.headers.authorization ?? '')) {
      record('401');
      return send(res, 401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key in the authorization header.' });
    }

    const roll = random();
    let edge = 0;
    const hit = (rate: number) => roll < (edge += rate);
    if (hit(faults.rateDropBefore)) {
      record('drop-before');
      req.socket.destroy();
      return;
    }
    if (hit(faults.rateHang)) {
      record('hang');
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (hit(faults.rate429)) {
      record('429');
      return send(
        res,
        429,
        { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests. You can only make 2 requests per second.' },
        { 'retry-after': String(faults.retryAfterSeconds) },
      );
    }
    if (hit(faults.rate500)) {
      record('500');
      return send(res, 500, { statusCode: 500, name: 'internal_server_error', message: 'An unexpected error occurred.' });
    }
    const slow = hit(faults.rateSlow);
    const dropAfter = hit(faults.rateDropAfter);

    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      record('422');
      return send(res, 422, { statusCode: 422, name: 'validation_error', message: 'Invalid JSON body.' });
    }
    const hash = createHash('sha256').update(raw).digest('hex');
    const permissive = req.headers['x-batch-validation'] === 'permissive';

    let answer: { status: number; body: unknown; created: number };
    const earlier = key === null ? undefined : keys.get(`${path} ${key}`);
    if (earlier) {
      if (earlier.hash !== hash) {
        record('409');
        return send(res, 409, {
          statusCode: 409,
          name: 'invalid_idempotent_request',
          message: 'Same idempotency key used with a different request payload.',
        });
      }
      if (!earlier.done) {
        record('409');
        return send(res, 409, {
          statusCode: 409,
          name: 'concurrent_idempotent_requests',
          message: 'Same idempotency key used while original request is still in progress.',
        });
      }
      record('replayed');
      answer = { status: earlier.status, body: earlier.body, created: 0 };
    } else {
      const remembered: Remembered = { hash, done: false, status: 0, body: null };
      if (key !== null) keys.set(`${path} ${key}`, remembered);
      answer = process(path, body, permissive, key);
      if (answer.status >= 400) {
        if (key !== null) keys.delete(`${path} ${key}`);
      } else {
        Object.assign(remembered, { done: !slow, status: answer.status, body: answer.body });
      }
      record(answer.status >= 400 ? '422' : dropAfter ? 'drop-after' : 'accepted');
    }

    if (slow) {
      await new Promise((r) => setTimeout(r, faults.slowMs));
      const k = key === null ? undefined : keys.get(`${path} ${key}`);
      if (k) k.done = true;
    }
    if (dropAfter) {
      req.socket.destroy();
      return;
    }
    if (answer.created > 0 && fake.onAnswered) {
      const info = { key, path, messages: answer.created };
      res.on('finish', () => fake.onAnswered?.(info));
    }
    send(res, answer.status, answer.body);
  }

  const server: LocalServer = await startLocalServer(
    (req, res) => {
      handle(req, res).catch((err: Error) => {
        if (!res.headersSent) send(res, 500, { statusCode: 500, name: 'internal_server_error', message: err.message });
      });
    },
    { keepAliveTimeoutMs: 1000 },
  );
  fake.url = server.url;
  return fake;
}

/** Most requests that arrived within any window of `windowMs` (sliding, half-open). */
export function maxInWindow(times: number[], windowMs = 1000): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
