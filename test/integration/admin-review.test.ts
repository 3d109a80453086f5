// /admin/issues/:week over HTTP: an issue held for review shows its figures,
// the proof per segment and Approve/Discard forms; the POSTs need the admin
// token and refuse cross-site requests; approving twice queues the readers
// once; discarding queues nobody. /admin lists the suppression list.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../src/digest/archive-pages.tsx';
import { holdForReview, type ReviewDeps } from '../../src/digest/approval.ts';
import { composeIssue } from '../../src/digest/compose.ts';
import { createDigestRenderer } from '../../src/digest/renderer.ts';
import { saveIssue } from '../../src/digest/store.ts';
import { startBoss, type Boss } from '../../src/delivery/queue.ts';
import { createApp } from '../../src/web/app.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { mountOperatorRoutes } from '../../src/web/operator-routes.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { address, seedSubscribers } from '../support/delivery-fixtures.ts';
import { digestWeeks } from '../support/digest-weeks.ts';

const PUBLIC_URL = 'https://digest.example.test';
const TOKEN = 'admin-review-token';
const SECRET = 'admin-review-secret-0123456789abcdef';

describe.each(DB_KINDS)('review in /admin on %s', (kind) => {
  let db: TestDatabase;
  let boss: Boss;
  let review: ReviewDeps;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    boss = await startBoss(db, { supervise: false });
    await seedSubscribers(db.pool, 5);
    await db.pool.query(`UPDATE subscribers SET roles = '{data-engineer}' WHERE email IN ($1, $2)`, [address(1), address(2)]);
    await db.pool.query(
      `INSERT INTO subscribers (email, status, suppressed_at, suppressed_reason) VALUES ('angry@example.test', 'complained', now(), 'complaint')`,
    );
    for (const week of ['2026-W46', '2026-W47']) {
      const weeks = digestWeeks({ endWeek: week });
      await saveIssue(db.pool, composeIssue({ week, current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL }));
    }
    const renderer = createDigestRenderer({ pool: db.pool, secret: SECRET, publicUrl: PUBLIC_URL, postalAddress: 'Test Street 1' });
    review = { pool: db.pool, boss, renderer, secret: SECRET, publicUrl: PUBLIC_URL, mode: 'manual', reviewers: ['editor@example.test'], remindSeconds: 3600 };
    const archive = createArchive({ pool: db.pool, publicUrl: PUBLIC_URL, postalAddress: 'Test Street 1' });
    app = createApp({
      pool: db.pool,
      config: { publicUrl: PUBLIC_URL },
      mount: (a) =>
        mountOperatorRoutes(a, { pool: db.pool, secret: SECRET, archive, adminToken: TOKEN, webhookSecret: undefined, metrics: createMetrics(), log: pino({ level: 'silent' }), review, publicUrl: PUBLIC_URL }),
    });
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: false });
    await db?.close();
  });

  const idOf = async (week: string) => Number((await db.pool.query(`SELECT id FROM issues WHERE week = $1`, [week])).rows[0].id);
  const ledger = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM deliveries`)).rows[0].n as number;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    app.request(`http://localhost${path}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  it('holds once: one proof per reviewer outside the readers\' ledger', async () => {
    const id = await idOf('2026-W47');
    expect(await holdForReview(review, id)).toBe(true);
    expect(await holdForReview(review, id)).toBe(false);
    const mails = await db.pool.query(`SELECT kind, to_email, subject, subscriber_id FROM transactional_mails`);
    expect(mails.rows).toEqual([{ kind: 'proof', to_email: 'editor@example.test', subject: expect.stringMatching(/^\[Proof\] /), subscriber_id: null }]);
    expect(await ledger()).toBe(0);
  });

  it('shows the proof per segment with Approve and Discard; the POST needs the token and the same site', async () => {
    const page = await app.request(`http://localhost/admin/issues/2026-W47?token=${TOKEN}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Waiting for review');
    expect(html).toContain('Data Engineer</a>: 2 readers');
    expect(html).toContain('All roles (follows none in particular)</a>: 3 readers');
    expect(html).toContain(`<input type="hidden" name="token" value="${TOKEN}"/>`);
    const proofHref = /href="(\/admin\/issues\/2026-W47\/proof\?roles=data-engineer[^"]*)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const proof = await app.request(`http://localhost${proofHref}`);
    expect(proof.status).toBe(200);
    expect(await proof.text()).toContain('PROOF for review, not sent to readers');
    expect((await app.request('http://localhost/admin/issues/2026-W47')).status).toBe(401);

    expect((await post('/admin/issues/2026-W47/approve', '')).status).toBe(401);
    expect((await post('/admin/issues/2026-W47/approve', 'token=wrong')).status).toBe(401);
    expect((await post('/admin/issues/2026-W47/approve', `token=${TOKEN}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post('/admin/issues/2026-W47/approve', `token=${TOKEN}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect(await ledger()).toBe(0);

    const ok = await post('/admin/issues/2026-W47/approve', `token=${TOKEN}`, { origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/admin/issues/2026-W47?done=approved&token=${TOKEN}`);
    expect(await ledger()).toBe(5);
    const again = await post('/admin/issues/2026-W47/approve', `token=${TOKEN}`);
    expect(again.headers.get('location')).toContain('done=unchanged');
    expect(await ledger()).toBe(5);
    expect(await (await app.request(`http://localhost/admin/issues/2026-W47?token=${TOKEN}&done=approved`)).text()).toContain('Approved: the issue is queued for every reader.');
  });

  it('discarding queues nobody and keeps the issue out of the archive', async () => {
    const id = await idOf('2026-W46');
    expect(await holdForReview(review, id)).toBe(true);
    const res = await post('/admin/issues/2026-W46/discard', '', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(303);
    expect((await db.pool.query(`SELECT approval, status FROM issues WHERE id = $1`, [id])).rows[0]).toEqual({ approval: 'discarded', status: 'draft' });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM deliveries WHERE issue_id = $1`, [id])).rows[0].n).toBe(0);
    expect((await post('/admin/issues/2026-W46/approve', `token=${TOKEN}`)).headers.get('location')).toContain('done=unchanged');
    expect((await app.request('http://localhost/issues/2026-W46')).status).toBe(404);
  });

  it('/admin lists the suppression list with reason and date, complaints apart', async () => {
    const html = await (await app.request(`http://localhost/admin?token=${TOKEN}`)).text();
    expect(html).toContain('Suppression list');
    expect(html).toMatch(/<h3>Complaints<\/h3>.*angry@example\.test<\/th><td>complaint<\/td><td>\d{4}-\d{2}-\d{2}<\/td>/s);
    expect(html).toContain(`href="/admin/issues/2026-W47?token=${TOKEN}"`);
  });
});
