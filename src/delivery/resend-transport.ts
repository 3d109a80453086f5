// The Resend adapter: `batch.send` (POST /emails/batch, permissive mode, so
// one invalid address fails alone) and `emails.send` (POST /emails), each with
// an Idempotency-Key. The SDK never throws for HTTP errors; it answers
// { data, error: { name, message, statusCode }, headers }, which is mapped here
// onto the engine's four outcomes.
import { Resend } from 'resend';
import type { MessageResult, OutgoingMessage, SendOptions, SendOutcome, Transport } from './transport.ts';

export interface ResendTransportOptions {
  apiKey: string;
  /** Unset: the SDK's default (or its own RESEND_BASE_URL reading). */
  baseUrl?: string | undefined;
}

interface ProviderError {
  name?: string;
  message?: string;
  statusCode?: number | null;
}

// Quota errors come as 429 but will not clear within a send: fail the rows with the reason.
const FINAL_429 = new Set(['daily_quota_exceeded', 'monthly_quota_exceeded']);

export function createResendTransport(opts: ResendTransportOptions): Transport {
  const client = new Resend(opts.apiKey, opts.baseUrl ? { baseUrl: opts.baseUrl } : undefined);
  return {
    name: 'resend',
    async sendBatch(messages, sendOpts) {
      const res = await client.batch.send(messages.map(toApi), {
        idempotencyKey: sendOpts.idempotencyKey,
        batchValidation: 'permissive',
        ...(sendOpts.signal ? { signal: sendOpts.signal } : {}),
      });
      if (res.error) return classifyError(res.error, res.headers);
      const ids = res.data?.data ?? [];
      const errors = res.data?.errors ?? [];
      return { kind: 'accepted', results: matchResults(messages.length, ids, errors) };
    },
    async send(message, sendOpts: SendOptions) {
      const res = await client.emails.send(toApi(message), {
        idempotencyKey: sendOpts.idempotencyKey,
        ...(sendOpts.signal ? { signal: sendOpts.signal } : {}),
      });
      if (res.error) return classifyError(res.error, res.headers);
      return { kind: 'accepted', results: [{ ok: true, id: res.data.id }] };
    },
  };
}

function toApi(m: OutgoingMessage) {
  return { from: m.from, to: m.to, subject: m.subject, html: m.html, text: m.text, headers: m.headers, tags: m.tags };
}

/**
 * Permissive mode answers the accepted messages' ids in order and the
 * rejected ones by index: message i gets the next id unless it is named in errors.
 */
export function matchResults(
  count: number,
  ids: { id: string }[],
  errors: { index: number; message: string }[],
): MessageResult[] {
  const failed = new Map(errors.map((e) => [e.index, e.message]));
  const out: MessageResult[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    const reason = failed.get(i);
    if (reason !== undefined) {
      out.push({ ok: false, error: reason });
      continue;
    }
    const id = ids[next++]?.id;
    out.push(id ? { ok: true, id } : { ok: false, error: 'provider returned no id for this message' });
  }
  return out;
}

export function classifyError(error: ProviderError, headers: Record<string, string> | null): SendOutcome {
  const status = error.statusCode ?? null;
  const reason = `${status ?? 'network'} ${error.name ?? 'error'}: ${error.message ?? 'no message'}`;
  if (status === 429 && !FINAL_429.has(error.name ?? '')) {
    return { kind: 'rate_limited', retryAfterMs: retryAfterMs(headers), error: reason };
  }
  if (status === null || status >= 500) return { kind: 'retryable', error: reason };
  // The same key is still being processed elsewhere: the answer will be there soon.
  if (status === 409 && error.name === 'concurrent_idempotent_requests') return { kind: 'retryable', error: reason };
  return { kind: 'rejected', error: reason };
}

/** retry-after in seconds (or an HTTP date); ratelimit-reset as a fallback; 1 s when absent. */
export function retryAfterMs(headers: Record<string, string> | null): number {
  const raw = headers?.['retry-after'] ?? headers?.['ratelimit-reset'];
  if (raw === undefined) return 1000;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : 1000;
}
