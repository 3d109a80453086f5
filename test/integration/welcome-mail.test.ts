// A reader who confirms gets exactly one welcome mail, through the real
// resend SDK to the fake Resend server, holding the latest issue's headline
// and the figures of the roles they follow (or the week's movers); nothing
// else reaches them until the next issue, which reaches them once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeIssue } from '../../src/digest/compose.ts';
import { saveIssue, type StoredIssue } from '../../src/digest/store.ts';
import { enqueueTransactional } from '../../src/delivery/enqueue.ts';
import { sendIssue } from '../../src/delivery/send-issue.ts';
import { startWorker, type WorkerDeps } from '../../src/delivery/worker.ts';
import { confirmSubscription } from '../../src/subscribers/confirm.ts';
import { readWelcomeLatest } from '../../src/digest/welcome-figures.ts';
import type { SubscriptionDeps } from '../../src/subscribers/deps.ts';
import { subscriberToken } from '../../src/subscribers/tokens.ts';
import { DB_KINDS, freshDatabase, type TestDatabase } from '../support/db.ts';
import { createIssue, makeDeps } from '../support/delivery-fixtures.ts';
import { digestWeeks } from '../support/digest-weeks.ts';
import { startFakeResend, type FakeResend } from '../support/fake-resend.ts';

const PUBLIC_URL = 'https://digest.example.test';

describe.each(DB_KINDS)('the welcome mail on %s', (kind) => {
  let db: TestDatabase;
  let fake: FakeResend;
  let deps: WorkerDeps;
  let subs: SubscriptionDeps;
  let issue: StoredIssue;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    fake = await startFakeResend();
    deps = await makeDeps({ pool: db.pool, kind, fakeUrl: fake.url, rate: 200 });
    subs = {
      pool: db.pool,
      welcomeLatest: (client, roles) => readWelcomeLatest(client, roles, PUBLIC_URL),
      enqueueMail: (client, mail) => enqueueTransactional(client, deps.boss, mail),
      secret: 'welcome-test-secret-0123456789abcdef',
      publicUrl: PUBLIC_URL,
      postalAddress: 'Test Street 1',
    };
    const weeks = digestWeeks();
    issue = (await saveIssue(db.pool, composeIssue({ week: '2026-W47', current: weeks[7]!, previous: weeks[6], history: weeks, publicUrl: PUBLIC_URL }))).issue;
    await db.pool.query(`UPDATE issues SET status = 'sent', enqueued_at = now(), sent_at = now() WHERE id = $1`, [issue.id]);
  });
  afterAll(async () => {
    await deps?.boss.stop({ graceful: false, close: false });
    await fake?.close();
    await db?.close();
  });

  async function confirmReader(email: string, roles: string[]): Promise<void> {
    const { rows } = await db.pool.query<{ id: number }>(`INSERT INTO subscribers (email, status, roles) VALUES ($1, 'pending', $2) RETURNING id`, [email, roles]);
    const token = subscriberToken(subs.secret, 'confirm', rows[0]!.id);
    expect(await confirmSubscription(subs, token)).toMatchObject({ kind: 'confirmed', first: true });
    // A second click on the same link sends nothing more.
    expect(await confirmSubscription(subs, token)).toMatchObject({ kind: 'confirmed', first: false });
  }

  async function drain(): Promise<void> {
    const worker = startWorker(deps);
    try {
      await expect
        .poll(async () => (await db.pool.query(`SELECT count(*)::int AS n FROM transactional_mails WHERE status IN ('queued', 'sending')`)).rows[0].n, {
          timeout: 30_000,
          interval: 100,
        })
        .toBe(0);
    } finally {
      await worker.stop();
    }
  }

  it('one welcome with the headline and the reader’s roles’ figures, then nothing until the next issue', async () => {
    await confirmReader('follows@example.test', ['data-engineer', 'mlops-engineer']);
    await confirmReader('everything@example.test', []);
    await drain();
    const to = (a: string) => fake.accepted.filter((m) => m.to === a);

    const [welcome, ...more] = to('follows@example.test');
    expect(more).toEqual([]);
    expect(welcome!.subject).toBe('You are subscribed to the Salary Trends Digest');
    const text = welcome!.text ?? '';
    expect(text).toContain(issue.content.headline.text);
    for (const slug of ['data-engineer', 'mlops-engineer']) {
      const row = issue.content.shifts.find((s) => s.role === slug)!;
      expect(text).toContain(row.name);
      expect(text).toContain(`Median ${row.medianText}`);
      expect(text).toContain(row.noteText); // the sample size travels with the figure
      expect(text).toContain(`${PUBLIC_URL}/roles/${slug}`);
    }
    // Only the followed roles: another role's figures are not in it.
    const other = issue.content.shifts.find((s) => s.role === 'data-scientist')!;
    expect(text).not.toContain(other.name);
    expect(text).toContain(`${PUBLIC_URL}/issues/2026-W47`);
    expect(welcome!.html).toContain(`href="${PUBLIC_URL}/issues/2026-W47"`);

    // Following every role: the week's movers instead, each with its n.
    const [general, ...again] = to('everything@example.test');
    expect(again).toEqual([]);
    expect(general!.text).toContain(issue.content.headline.text);
    for (const m of issue.content.movers.slice(0, 3)) {
      expect(general!.text).toContain(m.figure);
      expect(general!.text).toContain(m.nText);
    }

    // The next issue reaches each of them once, and nothing else came in between.
    const next = await createIssue(db.pool, '2026-W48');
    await sendIssue(deps, next, { intervalMs: 100 });
    for (const a of ['follows@example.test', 'everything@example.test']) {
      expect(to(a).map((m) => m.subject)).toEqual(['You are subscribed to the Salary Trends Digest', `Salary shifts, issue ${next}`]);
    }
  });
});
