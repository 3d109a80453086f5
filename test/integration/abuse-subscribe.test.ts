// Issue 12, the subscription half, on real PostgreSQL: each test replays an
// attack that worked before the fix (an unsubscribe undone by a stranger or an
// import, a goodbye mail, limits fooled by a proxy or by Gmail spellings, a
// timing oracle on the list, link scanners confirming, a honeypot that answers
// differently) and checks the outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { createApp } from '../../src/web/app.ts';
import { startServer } from '../../src/web/serve.ts';
import { clientAddress } from '../../src/web/client-address.ts';
import { loadConfig } from '../../src/config.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { mountSubscriptionRoutes, type SubscriptionRouteDeps } from '../../src/subscribers/routes.ts';
import { subscriberToken } from '../../src/subscribers/tokens.ts';
import { addSubscriber, importSubscribers } from '../../src/subscribers/import-export.ts';
import { drainSubscribeRequests } from '../../src/subscribers/subscribe.ts';
import { resubscribe } from '../../src/subscribers/preferences.ts';
import { wakeWith } from '../../src/subscribers/request-worker.ts';
import type { Db } from '../../src/db/database.ts';

const SECRET = 'abuse-test-secret-0123456789abcdef0123';
const PUBLIC_URL = 'https://digest.test';

let db: TestDatabase;
let boss: Boss;
let ip = 0;

function deps(over: Partial<SubscriptionRouteDeps> = {}): SubscriptionRouteDeps {
  return {
    pool: db.pool,
    enqueueMail: (client, mail) => enqueueTransactional(client, boss, mail),
    wake: wakeWith(boss),
    secret: SECRET,
    publicUrl: PUBLIC_URL,
    postalAddress: 'Test Street 1, Testville',
    limits: { perIp: 1000, perAddress: 1000 },
    ...over,
  };
}

function makeApp(over: Partial<SubscriptionRouteDeps> = {}): Hono {
  const d = deps(over);
  return createApp({ pool: d.pool, config: { publicUrl: PUBLIC_URL }, mount: (app) => mountSubscriptionRoutes(app, d) });
}

const req = (app: Hono, path: string, init: RequestInit = {}, from = `10.9.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`) =>
  app.request(path, init, { incoming: { socket: { remoteAddress: from }, headers: {} } });
const json = (value: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
const oneClick: RequestInit = { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } };

async function row(email: string) {
  const { rows } = await db.pool.query('SELECT * FROM subscribers WHERE lower(email) = lower($1)', [email]);
  return rows[0];
}
async function mailKinds(email: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ kind: string }>('SELECT kind FROM transactional_mails WHERE lower(to_email) = lower($1) ORDER BY id', [email]);
  return rows.map((r) => r.kind);
}

beforeAll(async () => {
  db = await freshPostgres();
  boss = await startBoss(db, { supervise: false });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: false }).catch(() => {});
  await db?.close();
});

describe('1. an unsubscribe is final against strangers and imports', () => {
  it('a public subscribe request does not touch an unsubscribed, bounced or complained row, and mails nothing', async () => {
    const app = makeApp();
    const cases = [
      ['left@example.com', 'unsubscribed'],
      ['bounced@example.com', 'bounced'],
      ['complained@example.com', 'complained'],
    ] as const;
    for (const [email, status] of cases) {
      await addSubscriber(db.pool, { email, roles: 'mlops-engineer', source: 'test' });
      await db.pool.query(`UPDATE subscribers SET status = $2, unsubscribed_at = now() WHERE email = $1`, [email, status]);
      const before = await row(email);
      expect((await req(app, '/subscribe', json({ email, roles: ['data-scientist'] }))).status).toBe(202);
      await drainSubscribeRequests(deps());
      expect(await row(email)).toEqual(before);
      expect(await mailKinds(email)).toEqual([]);
    }
  });

  it('import and `subscribers add` keep out an address that ever left, whatever its status now', async () => {
    const email = 'came-back@example.com';
    await addSubscriber(db.pool, { email, source: 'test' });
    await db.pool.query(`UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = now() WHERE email = $1`, [email]);
    // Back in through the reader's own preferences link, then out again by a bounce... and a pending one.
    expect(await resubscribe(db.pool, (await row(email)).id)).toBe(true);
    await db.pool.query(`UPDATE subscribers SET status = 'pending' WHERE email = $1`, [email]);
    const report = await importSubscribers(db.pool, `email\n${email}\n`, { source: 'import:old-list.csv' });
    expect(report).toMatchObject({ added: 0, activated: 0, keptOut: [{ line: 2, email, status: 'pending' }] });
    expect(await row(email)).toMatchObject({ status: 'pending' });
    expect(await addSubscriber(db.pool, { email })).toEqual({ outcome: 'kept-out', email, status: 'pending' });
    expect(await row(email)).toMatchObject({ status: 'pending' });
  });
});

describe('2. no mail after an unsubscribe', () => {
  it('one-click unsubscribe of an active reader queues nothing', async () => {
    const app = makeApp();
    const email = 'goodbye@example.com';
    await addSubscriber(db.pool, { email, source: 'test' });
    const res = await req(app, `/unsubscribe/${subscriberToken(SECRET, 'unsubscribe', (await row(email)).id)}`, oneClick);
    expect(res.status).toBe(200);
    expect(await row(email)).toMatchObject({ status: 'unsubscribed' });
    expect(await mailKinds(email)).toEqual([]);
  });
});

describe('4. rate limits: behind a proxy, well-formed only, per mailbox, per domain', () => {
  it('TRUST_PROXY reads the client from X-Forwarded-For over a real socket; off by default', async () => {
    const limited = deps({ limits: { perIp: 2, perAddress: 1000 } });
    const run = async (env: Record<string, string>) => {
      await db.pool.query(`DELETE FROM rate_limit_hits WHERE key LIKE 'subscribe-ip:%'`);
      const config = loadConfig(env);
      const app = createApp({ pool: db.pool, config: { publicUrl: PUBLIC_URL }, mount: (a) => mountSubscriptionRoutes(a, { ...limited, clientIp: clientAddress(config.trustProxy) }) });
      const server = await startServer(app, 0, '127.0.0.1');
      try {
        const statuses = [];
        // Three visitors behind the proxy, then one who forges the header: the proxy appends the real peer.
        for (const xff of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '198.51.100.7, 203.0.113.1', '198.51.100.8, 203.0.113.1']) {
          const res = await fetch(`${server.url}/subscribe`, { ...json({ email: `proxy-${ip++}@example.com` }), headers: { 'content-type': 'application/json', 'x-forwarded-for': xff } });
          statuses.push(res.status);
        }
        return statuses;
      } finally {
        await server.close();
      }
    };
    expect(await run({})).toEqual([202, 202, 429, 429, 429]);
    expect(await run({ TRUST_PROXY: '1' })).toEqual([202, 202, 202, 202, 429]);
    expect(await run({ TRUST_PROXY: '127.0.0.1/8' })).toEqual([202, 202, 202, 202, 429]);
    expect(() => loadConfig({ TRUST_PROXY: 'not-an-address' })).toThrow(/^TRUST_PROXY: /);
  });

  it('counts only well-formed requests, and one mailbox however Gmail spells it', async () => {
    const app = makeApp({ limits: { perIp: 2, perAddress: 2 } });
    for (let i = 0; i < 5; i++) expect((await req(app, '/subscribe', json({ email: `broken-${i}` }), '192.0.2.50')).status).toBe(400);
    expect((await req(app, '/subscribe', json({ email: 'ok-1@example.com' }), '192.0.2.50')).status).toBe(202);
    expect((await req(app, '/subscribe', json({ email: 'ok-2@example.com' }), '192.0.2.50')).status).toBe(202);
    expect((await req(app, '/subscribe', json({ email: 'ok-3@example.com' }), '192.0.2.50')).status).toBe(429);

    const spellings = ['Jane.Doe+a@gmail.com', 'janedoe@googlemail.com', 'j.a.n.e.d.o.e+zz@gmail.com'];
    const statuses = [];
    for (const email of spellings) statuses.push((await req(app, '/subscribe', json({ email }))).status);
    expect(statuses).toEqual([202, 202, 429]);
  });

  it('caps confirmation mails per mail domain and hour', async () => {
    const d = deps({ limits: { perIp: 1000, perAddress: 1000, perDomainConfirmations: 2 } });
    const app = makeApp(d);
    for (const name of ['a', 'b', 'c', 'd']) await req(app, '/subscribe', json({ email: `${name}@capped-corp.example` }));
    await drainSubscribeRequests(d);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM transactional_mails WHERE to_email LIKE '%@capped-corp.example'`);
    expect(rows[0].n).toBe(2);
    expect(await row('d@capped-corp.example')).toMatchObject({ status: 'pending', confirm_sends: 0 });
  });
});

/** The pool with every statement's text recorded while `recording` is on. */
function recordingPool(pool: Db): { pool: Db; take(): string[] } {
  let seen: string[] = [];
  const text = (q: unknown) => (typeof q === 'string' ? q : (q as { text: string }).text);
  const wrapQuery = <T extends { query: (...a: any[]) => any }>(target: T) =>
    new Proxy(target, {
      get(t, prop, receiver) {
        if (prop === 'query') return (...args: any[]) => (seen.push(text(args[0])), (t.query as any)(...args));
        const v = Reflect.get(t, prop, receiver);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
  const wrapped = new Proxy(pool, {
    get(t, prop, receiver) {
      if (prop === 'query') return (...args: any[]) => (seen.push(text(args[0])), (t.query as any)(...args));
      if (prop === 'connect') return async () => wrapQuery(await t.connect());
      const v = Reflect.get(t, prop, receiver);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  return {
    pool: wrapped as Db,
    take: () => {
      const out = seen;
      seen = [];
      return out;
    },
  };
}

describe('5. the answer says nothing about the list', () => {
  it('the same response bytes and the same statements for new, pending, active, unsubscribed, bounced, complained and honeypot', async () => {
    await addSubscriber(db.pool, { email: 'oracle-active@example.com', source: 'test' });
    for (const [email, status] of [['oracle-left@example.com', 'unsubscribed'], ['oracle-bounced@example.com', 'bounced'], ['oracle-complained@example.com', 'complained']]) {
      await addSubscriber(db.pool, { email: email!, source: 'test' });
      await db.pool.query(`UPDATE subscribers SET status = $2 WHERE email = $1`, [email, status]);
    }
    await req(makeApp(), '/subscribe', json({ email: 'oracle-pending@example.com' }));
    await drainSubscribeRequests(deps());
    expect(await row('oracle-pending@example.com')).toMatchObject({ status: 'pending' });

    const rec = recordingPool(db.pool);
    const app = makeApp({ pool: rec.pool });
    await req(app, '/subscribe', json({ email: 'oracle-warmup@example.com' }));
    rec.take();
    const states: [string, Record<string, string>][] = [
      ['new', { email: 'oracle-new@example.com' }],
      ['pending', { email: 'oracle-pending@example.com' }],
      ['active', { email: 'oracle-active@example.com' }],
      ['unsubscribed', { email: 'oracle-left@example.com' }],
      ['bounced', { email: 'oracle-bounced@example.com' }],
      ['complained', { email: 'oracle-complained@example.com' }],
      ['honeypot', { email: 'oracle-bot@example.com', website: 'http://spam.example' }],
    ];
    const seen = [];
    for (const [state, body] of states) {
      const res = await req(app, '/subscribe', json(body));
      seen.push({ state, status: res.status, headers: [...res.headers].filter(([k]) => k !== 'date'), body: await res.text(), statements: rec.take() });
    }
    expect(seen[0]!.statements.length).toBeGreaterThan(0);
    for (const s of seen) expect({ ...s, state: 'any' }).toEqual({ ...seen[0]!, state: 'any' });
    // ... and the work happens in the job: one confirmation for the new address only.
    await drainSubscribeRequests(deps());
    expect(await mailKinds('oracle-new@example.com')).toEqual(['confirm']);
    for (const e of ['oracle-active@example.com', 'oracle-left@example.com', 'oracle-bounced@example.com', 'oracle-complained@example.com', 'oracle-bot@example.com']) {
      expect(await mailKinds(e)).toEqual([]);
    }
    expect(await row('oracle-bot@example.com')).toBeUndefined();
  });
});

describe('6. link scanners do not confirm', () => {
  it('GET /confirm/:token shows one button and changes nothing; POST confirms', async () => {
    const app = makeApp();
    const email = 'scanned@example.com';
    await req(app, '/subscribe', json({ email }));
    await drainSubscribeRequests(deps());
    const path = `/confirm/${subscriberToken(SECRET, 'confirm', (await row(email)).id)}`;
    for (let i = 0; i < 3; i++) {
      const res = await req(app, path);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html.match(/<button/g)).toHaveLength(1);
      expect(html).toContain(`<form action="${path}" method="post">`);
    }
    expect(await row(email)).toMatchObject({ status: 'pending', confirmed_at: null });
    const res = await req(app, path, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are subscribed');
    expect(await row(email)).toMatchObject({ status: 'active' });
  });
});

describe('10. the honeypot answers like a real request', () => {
  it('for an invalid address too', async () => {
    const app = makeApp();
    for (const body of [{ email: 'not-an-address' }, { email: 'x@example.com', roles: ['astronaut'] }]) {
      const real = await req(app, '/subscribe', json(body));
      const bot = await req(app, '/subscribe', json({ ...body, website: 'http://spam.example' }));
      expect({ status: bot.status, body: await bot.text() }).toEqual({ status: real.status, body: await real.text() });
      expect(real.status).toBe(400);
    }
  });
});
