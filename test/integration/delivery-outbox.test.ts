// The outbox transport (the embedded default): a send writes one RFC 5322
// file per message that a MIME parser reads back with both parts and the
// unsubscribe headers, and one index.jsonl line per message; a retried
// request writes nothing twice.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createOutboxTransport } from '../../src/delivery/outbox-transport.ts';
import { createDeliveryDeps } from '../../src/delivery/setup.ts';
import { sendIssue } from '../../src/delivery/send-issue.ts';
import type { WorkerDeps } from '../../src/delivery/worker.ts';
import { SEND_JOBS } from '../../src/wiring.ts';
import { freshPglite, type TestDatabase } from '../support/db.ts';
import { address, createIssue, PUBLIC_URL, seedSubscribers, testRender, testToken } from '../support/delivery-fixtures.ts';

let db: TestDatabase;
let dir: string;
let deps: WorkerDeps;

beforeAll(async () => {
  db = await freshPglite();
  dir = await mkdtemp(path.join(tmpdir(), 'outbox-'));
  // The production wiring: no RESEND_API_KEY, so the outbox.
  const config = loadConfig({ OUTBOX_DIR: dir, PUBLIC_URL, MAIL_FROM: 'Digest <digest@example.test>', RESEND_RATE_LIMIT: '1000' });
  deps = await createDeliveryDeps(config, db, { renderFor: testRender, unsubscribeToken: testToken, jobs: SEND_JOBS, supervise: false });
  expect(deps.transport.name).toBe('outbox');
});
afterAll(async () => {
  await deps?.boss.stop({ graceful: false, close: false });
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

it('writes parseable multipart messages with the unsubscribe headers and an index line each', async () => {
  await seedSubscribers(db.pool, 3);
  await db.pool.query(`UPDATE subscribers SET email = 'zoë@example.test' WHERE email = $1`, [address(3)]);
  const issueId = await createIssue(db.pool, '2026-W47');
  const { progress } = await sendIssue(
    { ...deps, renderFor: (id, r) => ({ subject: `Pay shifts: ML engineers +4% — issue ${id}`, html: `<p>Hi ${r.email} ${'x'.repeat(200)}</p>`, text: `Hi ${r.email}\nMedian €150,000 = up` }) },
    issueId,
    { intervalMs: 50 },
  );
  expect(progress).toMatchObject({ total: 3, sent: 3 });

  const index = (await readFile(path.join(dir, 'index.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  expect(index).toHaveLength(3);
  expect(Object.keys(index[0]).sort()).toEqual(['file', 'issue', 'kind', 'sentAt', 'subject', 'to'].sort());
  expect(index.map((l) => l.to).sort()).toEqual([address(1), address(2), 'zoë@example.test'].sort());
  expect(index[0]).toMatchObject({ kind: 'digest', issue: '2026-W47', subject: `Pay shifts: ML engineers +4% — issue ${issueId}` });

  const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
  expect(files.sort()).toEqual(index.map((l) => l.file).sort());
  for (const line of index) {
    const raw = await readFile(path.join(dir, line.file));
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(line.subject);
    expect(mail.text).toContain('Median €150,000 = up');
    expect(mail.html).toContain(`<p>Hi ${line.to} ${'x'.repeat(200)}</p>`);
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(String(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line)).toMatch(
      new RegExp(`^List-Unsubscribe: <${PUBLIC_URL}/unsubscribe/tok-\\d+>$`),
    );
    expect(mail.messageId).toMatch(/^<.+@outbox>$/);
    expect(mail.from?.value[0]?.address).toBe('digest@example.test');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    // Lines stay within RFC 5322's 998 characters.
    expect(raw.toString('utf8').split('\r\n').every((l) => l.length <= 998)).toBe(true);
  }
});

it('answers a retried request from its first write, adding no file and no index line', async () => {
  const outbox = createOutboxTransport({ dir });
  const message = {
    from: 'a@example.test',
    to: 'b@example.test',
    subject: 'Welcome',
    html: '<p>Welcome</p>',
    text: 'Welcome',
    headers: {},
    tags: [{ name: 'kind', value: 'welcome' }],
    kind: 'welcome' as const,
  };
  const first = await outbox.send(message, { idempotencyKey: 'mail/welcome/1' });
  const again = await outbox.send(message, { idempotencyKey: 'mail/welcome/1' });
  expect(again).toEqual(first);
  const index = (await readFile(path.join(dir, 'index.jsonl'), 'utf8')).trim().split('\n');
  expect(index.filter((l) => l.includes('"welcome"'))).toHaveLength(1);
  expect(JSON.parse(index.at(-1)!)).toMatchObject({ kind: 'welcome', issue: null, to: 'b@example.test' });
});
