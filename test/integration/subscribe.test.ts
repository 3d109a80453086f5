// Subscriptions end to end over HTTP on real PostgreSQL: the site app with
// the subscription routes mounted, the delivery ledger and pg-boss for mails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { createApp } from '../../src/web/app.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { enqueueIssue, enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { claimBatch } from '../../src/delivery/ledger.ts';
import { mountSubscriptionRoutes, SUBSCRIBE_ACCEPTED_MESSAGE, type SubscriptionRouteDeps } from '../../src/subscribers/routes.ts';
import { signToken, subscriberToken } from '../../src/subscribers/tokens.ts';
import { addSubscriber } from '../../src/subscribers/import-export.ts';
import { drainSubscribeRequests } from '../../src/subscribers/subscribe.ts';
import type { SubscriptionDeps } from '../../src/subscribers/deps.ts';

const SECRET = 'integration-test-secret-0123456789abcdef';
const PUBLIC_URL = 'https://digest.test';

let db: TestDatabase;
let boss: Boss;
let ipCounter = 0;

function plainDeps(): SubscriptionDeps {
  return {
    pool: db.pool,
    enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
    secret: SECRET,
    publicUrl: PUBLIC_URL,
    postalAddress: 'Test Street 1, Testville',
  };
}

function makeApp(over: Partial<SubscriptionRouteDeps> = {}): Hono {
  const deps: SubscriptionRouteDeps = {
    pool: db.pool,
    enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
    secret: SECRET,
    publicUrl: PUBLIC_URL,
    postalAddress: 'Test Street 1, Testville',
    limits: { perIp: 1000, perAddress: 1000 },
    ...over,
  };
  return createApp({ pool: db.pool, config: { publicUrl: PUBLIC_URL }, mount: (app) => mountSubscriptionRoutes(app, deps) });
}

/**
 * A request from a given client IP (the node-server binding's socket, as in
 * production); a subscribe request's job runs before it resolves.
 */
async function req(app: Hono, path: string, init: RequestInit = {}, ip = `10.0.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`) {
  const res = await app.request(path, init, { incoming: { socket: { remoteAddress: ip } } });
  if (path === '/subscribe') await drainSubscribeRequests(plainDeps());
  return res;
}

function form(fields: [string, string][]): RequestInit {
  const body = new URLSearchParams();
  for (const [k, v] of fields) body.append(k, v);
  return { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

function json(value: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(value), headers: { 'content-type': 'application/json' } };
}

function isChecked(html: string, slug: string): boolean {
  const input = new RegExp(`<input[^>]*value="${slug}"[^>]*>`).exec(html);
  if (!input) throw new Error(`no checkbox for ${slug}`);
  return /\bchecked=""/.test(input[0]);
}

async function subscriber(email: string) {
  const { rows } = await db.pool.query('SELECT * FROM subscribers WHERE lower(email) = lower($1)', [email]);
  return rows[0];
}

async function mails(email: string) {
  const { rows } = await db.pool.query<{ kind: string; text: string; html: string; subject: string; headers: Record<string, string> }>(
    'SELECT kind, text, html, subject, headers FROM transactional_mails WHERE to_email = $1 ORDER BY id',
    [email],
  );
  return rows;
}

function linkIn(text: string, path: 'confirm' | 'unsubscribe' | 'preferences'): string {
  const m = new RegExp(`${PUBLIC_URL}(/${path}/[A-Za-z0-9_.-]+)`).exec(text);
  if (!m) throw new Error(`no /${path}/ link in: ${text}`);
  return m[1]!;
}

beforeAll(async () => {
  db = await freshPostgres();
  boss = await startBoss(db, { supervise: false });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: false }).catch(() => {});
  await db?.close();
});

describe('POST /subscribe', () => {
  it('answers new, pending and active addresses identically, and mails only the new one', async () => {
    const app = makeApp();
    await addSubscriber(db.pool, { email: 'active@example.com', source: 'test' });
    const answers = [];
    for (const email of ['new@example.com', 'New@Example.com', 'active@example.com']) {
      const res = await req(app, '/subscribe', form([['email', email], ['roles[]', 'mlops-engineer'], ['roles[]', 'data-scientist']]));
      answers.push({ status: res.status, body: await res.text() });
    }
    expect(answers[0]!.status).toBe(200);
    expect(answers[0]!.body).toContain('Check your inbox');
    expect(await subscriber('new@example.com')).toMatchObject({ status: 'pending', roles: ['mlops-engineer', 'data-scientist'] });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);

    const jsonAnswers = [];
    for (const email of ['json-new@example.com', 'json-new@example.com', 'active@example.com', 'new@example.com']) {
      const res = await req(app, '/subscribe', json({ email, roles: ['nlp-engineer'] }));
      jsonAnswers.push({ status: res.status, body: await res.text() });
    }
    expect(jsonAnswers[0]).toEqual({ status: 202, body: JSON.stringify({ ok: true, message: SUBSCRIBE_ACCEPTED_MESSAGE }) });
    for (const a of jsonAnswers) expect(a).toEqual(jsonAnswers[0]);

    // A pending address takes the roles of the latest request (the JSON one above).
    expect(await subscriber('new@example.com')).toMatchObject({ status: 'pending', roles: ['nlp-engineer'], source: 'form' });
    expect((await mails('new@example.com')).map((m) => m.kind)).toEqual(['confirm']);
    expect((await mails('json-new@example.com')).map((m) => m.kind)).toEqual(['confirm']);
    expect(await mails('active@example.com')).toEqual([]);
    expect(await subscriber('active@example.com')).toMatchObject({ status: 'active', roles: [] });
  });

  it('sends at most one confirmation per 10 minutes, and one reminder per 7 days', async () => {
    const app = makeApp();
    const email = 'slow@example.com';
    const back = (minutes: number) =>
      db.pool.query(
        `UPDATE subscribers SET confirm_sent_at = confirm_sent_at - make_interval(mins => $2), confirm_window_at = confirm_window_at - make_interval(mins => $2) WHERE email = $1`,
        [email, minutes],
      );
    await req(app, '/subscribe', form([['email', email]]));
    await req(app, '/subscribe', form([['email', email]]));
    expect((await mails(email)).map((m) => m.kind)).toEqual(['confirm']);
    await back(9);
    await req(app, '/subscribe', form([['email', email]]));
    expect((await mails(email)).length).toBe(1);
    await back(2);
    await req(app, '/subscribe', form([['email', email]]));
    expect((await mails(email)).map((m) => m.kind)).toEqual(['confirm', 'reminder']);
    await back(60 * 24);
    await req(app, '/subscribe', form([['email', email]]));
    expect((await mails(email)).length).toBe(2);
    // A new 7-day window starts over.
    await back(60 * 24 * 7);
    await req(app, '/subscribe', form([['email', email]]));
    expect((await mails(email)).map((m) => m.kind)).toEqual(['confirm', 'reminder', 'confirm']);
  });

  it('rejects header injection and invalid addresses with a clear message, storing nothing', async () => {
    const app = makeApp();
    const injected = 'victim@example.com\r\nBcc: everyone@example.org';
    const res = await req(app, '/subscribe', form([['email', injected]]));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('line breaks or control characters');
    expect(html).not.toContain('\r\nBcc');
    const j = await req(app, '/subscribe', json({ email: 'x@example.com\nCc: y@example.com' }));
    expect(j.status).toBe(400);
    expect(await j.json()).toMatchObject({ field: 'email', error: expect.stringContaining('line breaks') });

    const bad = await req(app, '/subscribe', form([['email', 'not-an-address'], ['roles[]', 'data-engineer']]));
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('An email address needs one @');
    expect(page).toContain('value="not-an-address"');
    expect(isChecked(page, 'data-engineer')).toBe(true);
    expect(isChecked(page, 'nlp-engineer')).toBe(false);
    const badRole = await req(app, '/subscribe', json({ email: 'r@example.com', roles: ['astronaut'] }));
    expect(badRole.status).toBe(400);
    expect(await badRole.json()).toMatchObject({ field: 'roles', error: expect.stringContaining('Unknown role "astronaut"') });
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM subscribers WHERE email LIKE 'victim%' OR email LIKE 'x@%' OR email = 'r@example.com'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses oversized bodies and unknown content types', async () => {
    const app = makeApp();
    const big = await req(app, '/subscribe', form([['email', 'big@example.com'], ['pad', 'x'.repeat(20_000)]]));
    expect(big.status).toBe(413);
    const plain = await req(app, '/subscribe', { method: 'POST', body: 'email=a@example.com', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect(await subscriber('big@example.com')).toBeUndefined();
  });

  it('answers a filled honeypot like any request and stores nothing', async () => {
    const app = makeApp();
    const normal = await req(app, '/subscribe', form([['email', 'human@example.com'], ['website', '']]));
    const bot = await req(app, '/subscribe', form([['email', 'bot@example.com'], ['website', 'http://spam.example']]));
    expect(bot.status).toBe(normal.status);
    expect(await bot.text()).toBe(await normal.text());
    expect(await subscriber('bot@example.com')).toBeUndefined();
    expect(await subscriber('human@example.com')).toBeDefined();
  });

  it('limits requests per IP and per address with 429 and Retry-After', async () => {
    const app = makeApp({ limits: { perIp: 3, perAddress: 2, windowSeconds: 600 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await req(app, '/subscribe', form([['email', `ip${i}@example.com`]]), '192.0.2.1')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await req(app, '/subscribe', json({ email: 'ip9@example.com' }), '192.0.2.1');
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(600);
    // Another IP is not held back by the first one.
    expect((await req(app, '/subscribe', form([['email', 'other-ip@example.com']]), '192.0.2.2')).status).toBe(200);

    const perAddress = [];
    for (let i = 0; i < 3; i++) perAddress.push((await req(app, '/subscribe', form([['email', 'Target@Example.com']]), `198.51.100.${i + 1}`)).status);
    expect(perAddress).toEqual([200, 200, 429]);
    const page = await (await req(app, '/subscribe', form([['email', 'target@example.com']]), '198.51.100.9')).text();
    expect(page).toContain('Too many attempts');
  });
});

describe('confirm, unsubscribe, preferences', () => {
  it('confirms once by link, with a welcome mail and the right page', async () => {
    const app = makeApp();
    const email = 'reader@example.com';
    await req(app, '/subscribe', form([['email', email], ['roles[]', 'ai-architect']]));
    const confirmPath = linkIn((await mails(email))[0]!.text, 'confirm');
    const res = await req(app, confirmPath, { method: 'POST' });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('You are subscribed');
    expect(page).toContain('You follow AI Architect');
    expect(await subscriber(email)).toMatchObject({ status: 'active', confirmed_at: expect.any(Date) });
    // Idempotent: same page, no second welcome.
    const again = await req(app, confirmPath, { method: 'POST' });
    expect(again.status).toBe(200);
    expect((await mails(email)).map((m) => m.kind)).toEqual(['confirm', 'welcome']);
    const welcome = (await mails(email))[1]!;
    expect(welcome.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(welcome.headers['List-Unsubscribe']).toMatch(/^<https:\/\/digest\.test\/unsubscribe\/.+>$/);
  });

  it('rejects tampered, expired and wrong-purpose tokens', async () => {
    const app = makeApp();
    const email = 'careful@example.com';
    await req(app, '/subscribe', form([['email', email]]));
    const id = (await subscriber(email)).id as number;
    const good = subscriberToken(SECRET, 'confirm', id);
    const [body, sig] = good.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ p: 'confirm', d: { s: id + 1 } })).toString('base64url');

    const cases: [string, number][] = [
      [`/confirm/${other}.${sig}`, 400],
      [`/confirm/${body}.${sig.slice(0, -2)}xx`, 400],
      [`/confirm/${subscriberToken(SECRET, 'unsubscribe', id)}`, 400],
      [`/confirm/${subscriberToken('some-other-secret-of-enough-length-zz', 'confirm', id)}`, 400],
      [`/unsubscribe/${subscriberToken(SECRET, 'preferences', id)}`, 400],
      [`/preferences/${subscriberToken(SECRET, 'unsubscribe', id)}`, 400],
      [`/preferences/${signToken(SECRET, 'preferences', { s: id }, 60, new Date(Date.now() - 3600_000))}`, 410],
    ];
    for (const [path, status] of cases) {
      const res = await req(app, path);
      expect({ path, status: res.status }).toEqual({ path, status });
    }
    const unsubWrong = await req(app, `/unsubscribe/${subscriberToken(SECRET, 'confirm', id)}`, form([['List-Unsubscribe', 'One-Click']]));
    expect(unsubWrong.status).toBe(400);

    const expired = signToken(SECRET, 'confirm', { s: id }, 7 * 86400, new Date(Date.now() - 8 * 86400_000));
    const res = await req(app, `/confirm/${expired}`);
    expect(res.status).toBe(410);
    const page = await res.text();
    expect(page).toContain('Send me a fresh link');
    expect(page).toContain(`value="${email}"`);
    expect(await subscriber(email)).toMatchObject({ status: 'pending', confirmed_at: null });
  });

  it('GET /unsubscribe never unsubscribes; one-click POST does, without cookies, at once', async () => {
    const app = makeApp();
    const email = 'leaving@example.com';
    await addSubscriber(db.pool, { email, roles: 'mlops-engineer', source: 'test' });
    const id = (await subscriber(email)).id as number;
    const path = `/unsubscribe/${subscriberToken(SECRET, 'unsubscribe', id)}`;

    // A digest enqueued while the reader is still active.
    const issue = await db.pool.query<{ id: number }>(`INSERT INTO issues (week, subject) VALUES ('2026-W40', 's') RETURNING id`);
    await enqueueIssue(db.pool, boss, issue.rows[0]!.id);

    for (let i = 0; i < 3; i++) {
      const res = await req(app, path);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<button type="submit">Unsubscribe</button>');
      expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    }
    const head = await req(app, path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await subscriber(email)).toMatchObject({ status: 'active' });

    const missing = await req(app, path, form([['something', 'else']]));
    expect(missing.status).toBe(400);
    expect(await subscriber(email)).toMatchObject({ status: 'active' });

    // RFC 8058: a bare POST with only the one-click body, no cookie, no session.
    const res = await req(app, path, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('You are unsubscribed');
    expect(await subscriber(email)).toMatchObject({ status: 'unsubscribed', unsubscribed_at: expect.any(Date) });
    // multipart works too, and repeating sends nothing more.
    const fd = new FormData();
    fd.append('List-Unsubscribe', 'One-Click');
    const again = await req(app, path, { method: 'POST', body: fd });
    expect(again.status).toBe(200);
    expect((await mails(email)).map((m) => m.kind)).toEqual([]);
    // The link used again says so, and shows the way back in.
    const againHtml = await again.text();
    expect(againHtml).toContain('You are already unsubscribed');
    expect(againHtml).toMatch(/<a href="[^"]*\/preferences\/[^"]+">Subscribe again from your preferences<\/a>/);
    const reopened = await (await req(app, path)).text();
    expect(reopened).toContain('You are already unsubscribed');
    expect(reopened).not.toContain('<button type="submit">Unsubscribe</button>');

    // Effective for the batch already queued, and for the next issue.
    const claim = await claimBatch(db.pool, issue.rows[0]!.id, 0, 60);
    expect(claim).not.toBeNull();
    const d = await db.pool.query(`SELECT status FROM deliveries WHERE subscriber_id = $1`, [id]);
    expect(d.rows).toEqual([{ status: 'suppressed' }]);
    const next = await db.pool.query<{ id: number }>(`INSERT INTO issues (week, subject) VALUES ('2026-W41', 's') RETURNING id`);
    await enqueueIssue(db.pool, boss, next.rows[0]!.id);
    const d2 = await db.pool.query(`SELECT 1 FROM deliveries WHERE subscriber_id = $1 AND issue_id = $2`, [id, next.rows[0]!.id]);
    expect(d2.rowCount).toBe(0);
  });

  it('changes roles, resubscribes, exports and erases from the preferences page', async () => {
    const app = makeApp();
    const email = 'Private.Person@example.com';
    await addSubscriber(db.pool, { email, roles: ['nlp-engineer'], source: 'test' });
    const row = await subscriber(email);
    const id = row.id as number;
    const prefs = `/preferences/${subscriberToken(SECRET, 'preferences', id)}`;
    const page = await (await req(app, prefs)).text();
    expect(page).toContain('Private.Person@example.com');
    expect(isChecked(page, 'nlp-engineer')).toBe(true);
    expect(isChecked(page, 'data-engineer')).toBe(false);

    const saved = await req(app, prefs, form([['action', 'roles'], ['roles[]', 'data-engineer'], ['roles[]', 'prompt-engineer']]));
    expect(saved.status).toBe(200);
    expect(await subscriber(email)).toMatchObject({ roles: ['prompt-engineer', 'data-engineer'] });
    const badRoles = await req(app, prefs, form([['action', 'roles'], ['roles[]', 'wizard']]));
    expect(badRoles.status).toBe(400);
    expect(await subscriber(email)).toMatchObject({ roles: ['prompt-engineer', 'data-engineer'] });

    await req(app, prefs, form([['action', 'unsubscribe']]));
    expect(await subscriber(email)).toMatchObject({ status: 'unsubscribed' });
    await req(app, prefs, form([['action', 'resubscribe']]));
    expect(await subscriber(email)).toMatchObject({ status: 'active', unsubscribed_at: null });

    // History to export and then erase: a delivery, a provider event, a rate-limit key.
    const issue = await db.pool.query<{ id: number }>(`INSERT INTO issues (week, subject) VALUES ('2026-W42', 's') RETURNING id`);
    await db.pool.query(
      `INSERT INTO deliveries (issue_id, subscriber_id, email, batch, status, provider_message_id, sent_at) VALUES ($1, $2, $3, 0, 'sent', 'msg-erase-1', now())`,
      [issue.rows[0]!.id, id, email],
    );
    await db.pool.query(
      `INSERT INTO webhook_events (id, signed_at, type, provider_message_id, recipient, payload) VALUES ('evt-erase-1', 1, 'email.delivered', 'msg-erase-1', $1, $2)`,
      [email, JSON.stringify({ data: { to: [email] } })],
    );
    await db.pool.query(`INSERT INTO clicks (issue_id, subscriber_id, link_id) VALUES ($1, $2, 'compare-a-b')`, [issue.rows[0]!.id, id]);
    await req(app, '/subscribe', form([['email', email]]));

    const exp = await req(app, prefs, form([['action', 'export']]));
    expect(exp.status).toBe(200);
    expect(exp.headers.get('content-disposition')).toMatch(/attachment/);
    const data = await exp.json();
    expect(data.subscriber).toMatchObject({ email, status: 'active', roles: ['prompt-engineer', 'data-engineer'], source: 'test' });
    expect(data.digests).toEqual([expect.objectContaining({ week: '2026-W42', status: 'sent' })]);
    expect(data.mails).toEqual([]);
    expect(data.clicks).toEqual([expect.objectContaining({ week: '2026-W42', linkId: 'compare-a-b' })]);

    const unconfirmed = await req(app, prefs, form([['action', 'erase']]));
    expect(unconfirmed.status).toBe(400);
    expect(await subscriber(email)).toBeDefined();
    const erased = await req(app, prefs, form([['action', 'erase'], ['confirm', 'yes']]));
    expect(erased.status).toBe(200);
    expect(await erased.text()).toContain('Your data is erased');

    // The address is nowhere in the database any more, in any table or schema.
    const tables = await db.pool.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.rows.length).toBeGreaterThan(5);
    for (const { s, t } of tables.rows) {
      const hits = await db.pool.query(`SELECT count(*)::int AS n FROM "${s}"."${t}" x WHERE lower(x::text) LIKE '%private.person@example.com%'`);
      expect({ table: `${s}.${t}`, n: hits.rows[0].n }).toEqual({ table: `${s}.${t}`, n: 0 });
    }
    // Anonymous counts remain: the delivery row (no address) and the day's counts.
    const left = await db.pool.query(`SELECT status, email, roles FROM subscribers WHERE id = $1`, [id]);
    expect(left.rows).toEqual([{ status: 'deleted', email: null, roles: [] }]);
    const dl = await db.pool.query(`SELECT status, email FROM deliveries WHERE subscriber_id = $1`, [id]);
    expect(dl.rows).toEqual([{ status: 'sent', email: '' }]);
    const counts = await db.pool.query(`SELECT sum(n)::int AS n FROM subscription_counts WHERE event = 'erased'`);
    expect(counts.rows[0].n).toBe(1);
    // Old links now lead nowhere; subscribing again starts from scratch.
    expect((await req(app, prefs)).status).toBe(400);
    await req(app, '/subscribe', form([['email', email]]));
    expect(await subscriber(email)).toMatchObject({ status: 'pending' });
  });
});
