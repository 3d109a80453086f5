// A proxy between one worker process and the fake Resend server. Every
// request goes through to the fake at once, so the provider receives it and
// acts on it (accepts the messages, remembers the idempotency key); while
// `holding` is on, the fake's answer is then kept back from the worker until
// the test releases it, or for good: a worker with requests on the wire whose
// answers are slow, or lost with the connection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLocalServer } from './local-server.ts';

interface HeldAnswer {
  /** The request's Idempotency-Key. */
  key: string | null;
  /** Pass the answer on now (if the worker is still waiting for it). */
  release(): void;
}

export interface HoldingProxy {
  url: string;
  /** Keep the answers to requests arriving from now on. */
  holding: boolean;
  /** Requests that went through, in order of arrival (Date.now()). */
  passed: { key: string | null; at: number }[];
  /** Answers kept back, in order of arrival. */
  held: HeldAnswer[];
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const open = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    const hold = proxy.holding;
    proxy.passed.push({ key, at: Date.now() });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length', 'keep-alive'].includes(k)) headers[k] = v;
    }
    const answer = await fetch(target + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await answer.arrayBuffer());
    const pass = () => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', ...retryAfter(answer) });
      res.end(body);
    };
    if (!hold) return pass();
    open.add(res);
    res.on('close', () => open.delete(res));
    proxy.held.push({ key, release: pass });
  }

  const server = await startLocalServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(502).end(err.message);
    });
  });
  const proxy: HoldingProxy = {
    url: server.url,
    holding: false,
    passed: [],
    held: [],
    async close() {
      for (const res of open) res.destroy();
      await server.close();
    },
  };
  return proxy;
}

function retryAfter(answer: Response): Record<string, string> {
  const v = answer.headers.get('retry-after');
  return v === null ? {} : { 'retry-after': v };
}
