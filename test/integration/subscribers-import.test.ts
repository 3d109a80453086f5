// `digest subscribers add|import|export` on real PostgreSQL: operator-vouched
// readers, bad rows by line, re-import changes nothing, and nobody who left,
// bounced or complained comes back through an import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { drainSubscribeRequests, subscribe } from '../../src/subscribers/subscribe.ts';
import { addSubscriber, exportSubscribers, importSubscribers, SubscriberInputError } from '../../src/subscribers/import-export.ts';

let db: TestDatabase;

async function subscriber(email: string) {
  const { rows } = await db.pool.query('SELECT * FROM subscribers WHERE lower(email) = lower($1)', [email]);
  return rows[0];
}

beforeAll(async () => {
  db = await freshPostgres();
});

afterAll(async () => {
  await db?.close();
});

describe('operator import and export', () => {
  it('adds vouched readers as confirmed, reports bad rows by line, keeps the rest, and re-imports to no change', async () => {
    await addSubscriber(db.pool, { email: 'gone@example.com', source: 'test' });
    await db.pool.query(`UPDATE subscribers SET status = 'unsubscribed' WHERE email = 'gone@example.com'`);
    await addSubscriber(db.pool, { email: 'bouncy@example.com', source: 'test' });
    await db.pool.query(`UPDATE subscribers SET status = 'bounced', suppressed_at = now() WHERE email = 'bouncy@example.com'`);
    await addSubscriber(db.pool, { email: 'angry@example.com', source: 'test' });
    await db.pool.query(`UPDATE subscribers SET status = 'complained', suppressed_at = now() WHERE email = 'angry@example.com'`);
    const noMail = async () => null;
    const subDeps = { pool: db.pool, enqueueMail: noMail, secret: 'import-test-secret-0123456789abcdef', publicUrl: 'https://digest.test', postalAddress: 'x' };
    await subscribe(subDeps, { email: 'waiting@example.com', ip: '203.0.113.50' });
    await drainSubscribeRequests(subDeps);
    expect(await subscriber('waiting@example.com')).toMatchObject({ status: 'pending' });

    const csv = [
      'email,roles',
      'one@example.com,mlops-engineer;data-scientist',
      '"Two@EXAMPLE.com",',
      'broken-address,',
      'three@example.com,astronaut',
      'gone@example.com,',
      'bouncy@example.com,',
      'angry@example.com,',
      'waiting@example.com,nlp-engineer',
      'one@example.com,',
      'four@example.com,a,b',
      '',
    ].join('\n');
    const first = await importSubscribers(db.pool, csv, { source: 'import:readers.csv' });
    expect(first).toMatchObject({ added: 2, activated: 1, unchanged: 0 });
    expect(first.keptOut).toEqual([
      { line: 6, email: 'gone@example.com', status: 'unsubscribed' },
      { line: 7, email: 'bouncy@example.com', status: 'bounced' },
      { line: 8, email: 'angry@example.com', status: 'complained' },
    ]);
    expect(first.problems.map((p) => p.line)).toEqual([4, 5, 10, 11]);
    expect(first.problems[0]!.message).toContain('needs one @');
    expect(first.problems[1]!.message).toContain('Unknown role "astronaut"');
    expect(first.problems[2]!.message).toContain('first on line 2');
    expect(await subscriber('one@example.com')).toMatchObject({ status: 'active', roles: ['mlops-engineer', 'data-scientist'], source: 'import:readers.csv', confirmed_at: expect.any(Date) });
    expect(await subscriber('Two@example.com')).toMatchObject({ status: 'active', roles: [] });
    expect(await subscriber('waiting@example.com')).toMatchObject({ status: 'active', roles: ['nlp-engineer'] });
    for (const [e, s] of [['gone@example.com', 'unsubscribed'], ['bouncy@example.com', 'bounced'], ['angry@example.com', 'complained']]) {
      expect(await subscriber(e!)).toMatchObject({ status: s });
    }

    const snapshot = async () => (await db.pool.query(`SELECT * FROM subscribers ORDER BY id`)).rows;
    const before = await snapshot();
    const second = await importSubscribers(db.pool, csv, { source: 'import:again.csv' });
    expect(second).toMatchObject({ added: 0, activated: 0, unchanged: 3 });
    expect(await snapshot()).toEqual(before);

    const out = await exportSubscribers(db.pool);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('email,roles');
    expect(lines).toContain('one@example.com,mlops-engineer;data-scientist');
    expect(lines).toContain('Two@example.com,');
    expect(lines).not.toContain('gone@example.com,');
    // What is exported imports back to no change.
    const third = await importSubscribers(db.pool, out, { source: 'import:export.csv' });
    expect(third.added + third.activated).toBe(0);
    expect(third.problems).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a file without the header, and bad single adds with a plain message', async () => {
    const r = await importSubscribers(db.pool, 'address\nx@example.com\n', { source: 'import:x.csv' });
    expect(r.added).toBe(0);
    expect(r.problems).toEqual([{ line: 1, message: expect.stringContaining('the first line must be the header') }]);
    await expect(addSubscriber(db.pool, { email: 'nope' })).rejects.toThrow(SubscriberInputError);
    await expect(addSubscriber(db.pool, { email: 'ok@example.com', roles: 'wizard' })).rejects.toThrow(/Unknown role "wizard"/);
    expect(await addSubscriber(db.pool, { email: 'ok@example.com', roles: 'ai-architect,nlp-engineer' })).toEqual({ outcome: 'added', email: 'ok@example.com' });
    expect(await addSubscriber(db.pool, { email: 'OK@Example.com' })).toEqual({ outcome: 'unchanged', email: 'OK@example.com' });
  });
});
