// The outbox: every message becomes an RFC 5322 .eml file in a folder, plus a
// line in index.jsonl ({"file","to","subject","kind","issue","sentAt"}).
// The idempotency key names the files and a per-key marker, so a retried
// request finds its earlier answer instead of writing the messages again.
import { mkdir, readFile, rename, writeFile, appendFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { buildMime } from './mime.ts';
import type { MessageResult, OutgoingMessage, SendOutcome, Transport } from './transport.ts';

export interface OutboxOptions {
  dir: string;
  now?: () => Date;
}

interface OutboxIndexLine {
  file: string;
  to: string;
  subject: string;
  kind: string;
  issue: string | null;
  sentAt: string;
}

export function createOutboxTransport(opts: OutboxOptions): Transport {
  const now = opts.now ?? (() => new Date());
  const dir = path.resolve(opts.dir);
  let ready: Promise<unknown> | undefined;

  async function write(messages: OutgoingMessage[], key: string): Promise<SendOutcome> {
    ready ??= mkdir(dir, { recursive: true });
    await ready;
    const safe = key.replace(/[^A-Za-z0-9_-]+/g, '_');
    const marker = path.join(dir, `.${safe}.done`);
    const earlier = await readFile(marker, 'utf8').catch(() => undefined);
    if (earlier !== undefined) return { kind: 'accepted', results: JSON.parse(earlier) as MessageResult[] };

    const sentAt = now();
    const results: MessageResult[] = [];
    const lines: string[] = [];
    for (const [i, m] of messages.entries()) {
      const file = `${safe}-${String(i).padStart(3, '0')}.eml`;
      const id = `${safe}-${i}@outbox`;
      const text = await buildMime(m, { messageId: id, date: sentAt, boundary: `=_alt_${randomBytes(12).toString('hex')}` });
      const tmp = path.join(dir, `.${file}.tmp`);
      await writeFile(tmp, text);
      await rename(tmp, path.join(dir, file));
      const line: OutboxIndexLine = {
        file,
        to: m.to,
        subject: m.subject,
        kind: m.kind,
        issue: m.issue ?? null,
        sentAt: sentAt.toISOString(),
      };
      lines.push(JSON.stringify(line));
      results.push({ ok: true, id });
    }
    await appendFile(path.join(dir, 'index.jsonl'), lines.map((l) => `${l}\n`).join(''));
    await writeFile(marker, JSON.stringify(results));
    return { kind: 'accepted', results };
  }

  return {
    name: 'outbox',
    sendBatch: (messages, o) => write(messages, o.idempotencyKey),
    send: (message, o) => write([message], o.idempotencyKey),
  };
}
