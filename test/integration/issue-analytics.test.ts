// Per-issue analytics against a seeded ledger, signed webhooks, clicks and
// unsubscribes: the counters the triggers keep equal both the figures counted
// by hand and a scan of the stored rows, and /metrics carries them (opens only
// with TRACK_OPENS, named as inflated).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIssueCounts } from '../../src/digest/analytics.ts';
import { composeIssue } from '../../src/digest/compose.ts';
import { clickToken } from '../../src/digest/links.ts';
import { resolveClick, saveIssue } from '../../src/digest/store.ts';
import { sendIssue } from '../../src/delivery/send-issue.ts';
import { sign } from '../../src/delivery/webhook-signature.ts';
import { handleResendWebhook } from '../../src/delivery/webhooks.ts';
import { readerSuppression } from '../../src/subscribers/store.ts';
import type { WorkerDeps } from '../../src/delivery/worker.ts';
import { issueUnsubscribeToken } from '../../src/subscribers/tokens.ts';
import { unsubscribeByToken } from '../../src/subscribers/unsubscribe.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { address, makeDeps } from '../support/delivery-fixtures.ts';
import { digestWeeks } from '../support/digest-weeks.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';
import { parsePrometheusText, sampleValue, samplesNamed } from '../support/prometheus-text.ts';

const HOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const SECRET = 'analytics-test-secret-0123456789abcdef';
const PUBLIC_URL = 'https://digest.example.test';

describe.each(DB_KINDS)('per-issue analytics on %s', (kind) => {
  let db: TestDatabase;
  let fake: FakeResend;
  let deps: WorkerDeps;
  let issueId: number;
  const ids: number[] = [];

  beforeAll(async () => {
    db = await freshDatabase(kind);
    fake = await startFakeResend();
    deps = await makeDeps({ pool: db.pool, kind, fakeUrl: fake.url, rate: 200 });
    // 12 readers: 1-5 follow data-engineer, 4-8 mlops-engineer (4 and 5 both), 9-10 nothing; 11 unsubscribed, 12 bounced before.
    for (let i = 1; i <= 12; i++) {
      const roles = [...(i <= 5 ? ['data-engineer'] : []), ...(i >= 4 && i <= 8 ? ['mlops-engineer'] : [])];
      const status = i === 11 ? 'unsubscribed' : i === 12 ? 'bounced' : 'active';
      const { rows } = await db.pool.query<{ id: number }>(
        `INSERT INTO subscribers (email, status, roles, confirmed_at, suppressed_at) VALUES ($1, $2, $3, now(), CASE WHEN $2 = 'bounced' THEN now() END) RETURNING id`,
        [address(i), status, roles],
      );
      ids.push(rows[0]!.id);
    }
    const weeks = digestWeeks();
    issueId = (await saveIssue(db.pool, composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL }))).issue.id;
    await sendIssue(deps, issueId, { intervalMs: 100 });

    const messageOf = async (n: number) =>
      (await db.pool.query(`SELECT provider_message_id FROM deliveries WHERE issue_id = $1 AND email = $2`, [issueId, address(n)])).rows[0].provider_message_id as string;
    const hook = async (type: string, n: number, extra: object = {}) => {
      const raw = JSON.stringify({ type, created_at: new Date().toISOString(), data: { email_id: await messageOf(n), to: [address(n)], ...extra } });
      const id = `msg_${randomBytes(8).toString('hex')}`;
      const ts = Math.floor(Date.now() / 1000);
      const r = await handleResendWebhook(db.pool, readerSuppression, HOOK_SECRET, raw, { 'svix-id': id, 'svix-timestamp': String(ts), 'svix-signature': sign(HOOK_SECRET, id, ts, raw) });
      expect(r.status).toBe(200);
    };
    for (const n of [1, 2, 3, 4, 5, 6]) await hook('email.delivered', n);
    await hook('email.bounced', 7, { bounce: { type: 'Transient', subType: 'MailboxFull' } });
    await hook('email.bounced', 8, { bounce: { type: 'Permanent', subType: 'General' } });
    await hook('email.complained', 6);
    await hook('email.opened', 1);
    await hook('email.opened', 2);
    await hook('email.opened', 2); // a second open of the same mail is the same mail opened

    const click = (n: number, linkId: string) => resolveClick(db.pool, SECRET, clickToken(SECRET, { issueId, subscriberId: ids[n - 1]!, linkId }));
    await click(1, 'web');
    await click(1, 'role-data-engineer');
    await click(1, 'web'); // repeat: no new first click
    await click(2, 'web');
    await click(3, 'compare');

    const subDeps = { pool: db.pool, secret: SECRET, publicUrl: PUBLIC_URL, postalAddress: 'x', enqueueMail: async () => 1 };
    expect(await unsubscribeByToken(subDeps, issueUnsubscribeToken(SECRET, ids[2]!, issueId))).toMatchObject({ changed: true });
    // Twice: counted once. An unsubscribe from a link naming no issue counts for none.
    await unsubscribeByToken(subDeps, issueUnsubscribeToken(SECRET, ids[2]!, issueId));
    await unsubscribeByToken(subDeps, issueUnsubscribeToken(SECRET, ids[9]!, undefined));
  });
  afterAll(async () => {
    await deps?.boss.stop({ graceful: false, close: false });
    await fake?.close();
    await db?.close();
  });

  it('the counters hold the figures counted by hand and a scan of the stored rows', async () => {
    const c = (await readIssueCounts(db.pool, [issueId])).get(issueId)!;
    expect(c).toMatchObject({
      queued: 0, sending: 0, sent: 10, failed: 0, suppressed: 0,
      delivered: 6, bouncedSoft: 1, bouncedHard: 1, complained: 1, opened: 2,
      clicks: 4, clickers: 3, unsubscribed: 1,
    });
    expect(c.links).toEqual({ web: 2, 'role-data-engineer': 1, compare: 1 });
    expect(c.followers).toEqual({ 'data-engineer': 5, 'mlops-engineer': 5 });

    // The same figures straight from the rows.
    const { rows } = await db.pool.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(delivered_at)::int AS delivered,
              count(*) FILTER (WHERE bounce_kind = 'soft')::int AS soft, count(*) FILTER (WHERE bounce_kind = 'hard')::int AS hard,
              count(complained_at)::int AS complained, count(opened_at)::int AS opened,
              (SELECT count(*) FROM clicks WHERE issue_id = $1)::int AS clicks,
              (SELECT count(DISTINCT subscriber_id) FROM clicks WHERE issue_id = $1)::int AS clickers
         FROM deliveries WHERE issue_id = $1`,
      [issueId],
    );
    expect(rows[0]).toEqual({
      sent: c.sent, delivered: c.delivered, soft: c.bouncedSoft, hard: c.bouncedHard,
      complained: c.complained, opened: c.opened, clicks: c.clicks, clickers: c.clickers,
    });
  });

  it('/metrics carries the per-issue series; opens only with TRACK_OPENS, named as inflated', async () => {
    const plain = createMetrics();
    await plain.refresh(db.pool);
    const m = parsePrometheusText(await plain.registry.metrics());
    const week = { week: '2026-W47' };
    expect(sampleValue(m, 'digest_issue_mails', { ...week, status: 'sent' })).toBe(10);
    expect(sampleValue(m, 'digest_issue_provider_events', { ...week, event: 'delivered' })).toBe(6);
    expect(sampleValue(m, 'digest_issue_provider_events', { ...week, event: 'bounced_soft' })).toBe(1);
    expect(sampleValue(m, 'digest_issue_provider_events', { ...week, event: 'bounced_hard' })).toBe(1);
    expect(sampleValue(m, 'digest_issue_provider_events', { ...week, event: 'complained' })).toBe(1);
    expect(sampleValue(m, 'digest_issue_unique_clickers', week)).toBe(3);
    expect(sampleValue(m, 'digest_issue_click_rate', week)).toBeCloseTo(0.3, 10);
    expect(sampleValue(m, 'digest_issue_link_clicks', { ...week, link: 'web' })).toBe(2);
    expect(sampleValue(m, 'digest_issue_unsubscribes', week)).toBe(1);
    expect(sampleValue(m, 'digest_issue_role_followers', { ...week, role: 'mlops-engineer' })).toBe(5);
    expect(sampleValue(m, 'digest_deliveries', { status: 'sent' })).toBe(10);
    expect(sampleValue(m, 'digest_deliveries_all_issues', { status: 'sent' })).toBe(10);
    expect(sampleValue(m, 'digest_clicks')).toBe(4);
    expect(sampleValue(m, 'digest_webhook_events', { type: 'email.delivered' })).toBe(6);
    expect(samplesNamed(m, 'digest_issue_opens_inflated')).toEqual([]);

    const tracking = createMetrics({ trackOpens: true });
    await tracking.refresh(db.pool);
    const text = await tracking.registry.metrics();
    expect(sampleValue(parsePrometheusText(text), 'digest_issue_opens_inflated', week)).toBe(2);
    expect(text).toMatch(/# HELP digest_issue_opens_inflated .*privacy proxies/);
  });
});
