// The real `digest` command line as a child process against a fresh
// PostgreSQL database: exit codes, one-line reasons, and what lands in the
// database.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase } from '../support/db.ts';
import { runCli, type CliResult } from '../support/run-cli.ts';
import { readMigrations } from '../../src/db/migrate.ts';

const HEADER = 'external_id,title,company,location,remote,seniority,salary_min,salary_max,currency,period,skills,description,seen_at';

describe('the digest command line on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await freshPostgres({ migrate: false });
    dir = mkdtempSync(path.join(os.tmpdir(), 'std-cli-'));
    env = {
      DATABASE_URL: db.url!,
      DATA_DIR: path.join(dir, 'data'),
      OUTBOX_DIR: path.join(dir, 'outbox'),
      LOG_LEVEL: 'silent',
      DIGEST_TZ: 'UTC',
    };
  });
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const digest = (...args: string[]) => runCli(args, env, { cwd: dir });
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const postings = async () => (await db.pool.query('SELECT external_id FROM postings ORDER BY external_id')).rows.map((r) => r.external_id);
  /** Exactly one line on stderr, `digest: ...`. */
  const oneLineReason = (r: CliResult) => {
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^digest: /);
    return lines[0]!;
  };

  it('migrate applies the schema and says so', async () => {
    const r = await digest('migrate');
    expect(r.code, r.stderr).toBe(0);
    const all = readMigrations();
    expect(r.stdout).toContain(`schema up to date: ${all.length} migration(s), latest ${all.at(-1)!.name}\n`);
  });

  it('ingest of a CSV with one bad row exits 2, names file:line and the reason, and stores the good rows', async () => {
    const feed = write('feed.csv', [
      HEADER,
      'c1,Senior MLOps Engineer,Acme,"San Francisco, CA",false,senior,150000,220000,USD,year,python;kubernetes,,2026-11-17',
      'c2,Data Scientist,Acme,"New York, NY",,,150000,120000,USD,year,,,2026-11-18',
      'c3,AI Engineer,Beta,Remote,true,,140000,190000,USD,year,python,,2026-11-18',
      'c4,Machine Learning Engineer,Gamma,Remote,true,,160000,210000,USD,year,pytorch,,2026-11-19',
      '',
    ].join('\n'));
    const r = await digest('ingest', feed, '--source', 'board');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain('4 rows read, 3 stored');
    expect(r.stdout).toContain('1 rejected');
    expect(r.stdout).toContain(`${feed}:3: salary_min (150000) is greater than salary_max (120000)`);
    expect(await postings()).toEqual(['c1', 'c3', 'c4']);
    const src = await db.pool.query('SELECT DISTINCT source FROM postings');
    expect(src.rows).toEqual([{ source: 'board' }]);
  });

  it('a file that is not a feed exits 1 with a one-line reason and stores nothing', async () => {
    const png = write('chart.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const array = write('feed.jsonl', `[{"external_id":"j1","title":"AI Engineer","seen_at":"2026-11-18"}]\n`);
    const good = write('good.csv', `${HEADER}\nc9,AI Engineer,Acme,,,,,,,,,,2026-11-18\n`);
    const before = await postings();

    const bin = await digest('ingest', png);
    expect(bin.code).toBe(1);
    expect(oneLineReason(bin)).toBe(`digest: ${png}: not a CSV or JSONL feed: it is binary data`);

    const arr = await digest('ingest', array);
    expect(arr.code).toBe(1);
    expect(oneLineReason(arr)).toMatch(/feed\.jsonl: not a CSV or JSONL feed: it is a JSON array/);

    // A bad file among good ones: nothing at all is stored.
    const mixed = await digest('ingest', good, array);
    expect(mixed.code).toBe(1);
    expect(oneLineReason(mixed)).toMatch(/JSON array/);
    expect(await postings()).toEqual(before);
  });

  it('snapshot --week then stats --week prints the table, with the first-week wording', async () => {
    const snap = await digest('snapshot', '--week', '2026-W47');
    expect(snap.code, snap.stderr).toBe(0);
    expect(snap.stdout).toMatch(/^snapshot 2026-W47: 3 open postings, \d+ roles, \d+ ms$/m);

    const stats = await digest('stats', '--week', '2026-W47');
    expect(stats.code, stats.stderr).toBe(0);
    const out = stats.stdout;
    expect(out).toMatch(/^Week 2026-W47 \(16–22 Nov 2026, UTC\): 3 open postings\. First tracked week: there is no prior week to compare with\.$/m);
    expect(out).toMatch(/^Role\s+Open\s+Change\s+Share\s+Median/m);
    expect(out).toMatch(/^MLOps Engineer\s+1\b/m);
    expect(out).toMatch(/^AI\/ML Engineer\s+2\s+66\.7%/m);
    expect(out).toMatch(/^Data Scientist\s+0\s+0%\s+no postings this week$/m);
    expect(out).toContain('Pay move: none yet; moves are judged once there is a prior week.');
  });

  it('stats for a week with no snapshot exits 1, a malformed --week 64 (bad command line), each with one line', async () => {
    const none = await digest('stats', '--week', '2026-W40');
    expect(none.code).toBe(1);
    expect(oneLineReason(none)).toMatch(/^digest: no snapshot for 2026-W40; run `digest snapshot --week 2026-W40`/);

    const bad = await digest('stats', '--week', '2026-47');
    expect(bad.code).toBe(64);
    expect(oneLineReason(bad)).toBe('digest: --week must be an ISO week like 2026-W47 (got "2026-47")');
    expect(bad.stdout).toBe('');
  });

  it('subscribers add and export round trip through import', async () => {
    const a = await digest('subscribers', 'add', 'Reader.One@Example.com', '--roles', 'mlops-engineer,data-scientist');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.trim()).toBe('Reader.One@Example.com: added');
    const b = await digest('subscribers', 'add', 'reader.two@example.com');
    expect(b.code, b.stderr).toBe(0);
    const again = await digest('subscribers', 'add', 'reader.two@example.com');
    expect(again.stdout.trim()).toBe('reader.two@example.com: unchanged');

    const badAddress = await digest('subscribers', 'add', 'not-an-address');
    expect(badAddress.code).toBe(1);
    oneLineReason(badAddress);

    const exported = await digest('subscribers', 'export');
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('email,roles');
    expect(lines.slice(1).sort()).toEqual([expect.stringMatching(/^reader\.one@example\.com,mlops-engineer;data-scientist$/i), 'reader.two@example.com,']);

    const file = path.join(dir, 'readers.csv');
    const toFile = await digest('subscribers', 'export', '--out', file);
    expect(toFile.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(exported.stdout);

    const imported = await digest('subscribers', 'import', file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toBe(`import ${file}: 0 added, 0 activated, 2 unchanged, 0 kept out, 0 rejected`);

    const { rows } = await db.pool.query(`SELECT lower(email) AS email, status, roles, source FROM subscribers ORDER BY id`);
    expect(rows).toEqual([
      { email: 'reader.one@example.com', status: 'active', roles: ['mlops-engineer', 'data-scientist'], source: 'cli' },
      { email: 'reader.two@example.com', status: 'active', roles: [], source: 'cli' },
    ]);
  });

  it('an unknown command or flag exits 64 with one line; --version and COMMAND --help answer', async () => {
    const r = await digest('frobnicate');
    expect(r.code).toBe(64);
    expect(oneLineReason(r)).toBe('digest: unknown command "frobnicate"; run `digest --help`');
    const help = await digest('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: digest <command>/);
    expect(help.stdout).toMatch(/^Exit codes: 0 done, 1 failed, 2 done with rejected rows or failed messages, 64 bad command line\.$/m);
  }, 120_000);

  it('an unknown flag, or a flag without its value, exits 64 with one line (not Node\'s parseArgs text)', async () => {
    const flag = await digest('stats', '--wek', '2026-W47');
    expect(flag.code).toBe(64);
    expect(oneLineReason(flag)).toBe('digest: unknown option --wek; run `digest --help`');
    const noValue = await digest('stats', '--week');
    expect(noValue.code).toBe(64);
    expect(oneLineReason(noValue)).toBe('digest: option --week needs a value; run `digest --help`');
  }, 120_000);

  it('the job-board commands exit 64 on a bad command line too, with one line', async () => {
    const missing = await digest('sources', 'add', 'greenhouse');
    expect(missing.code).toBe(64);
    expect(oneLineReason(missing)).toMatch(/^digest: sources add needs KIND BOARD/);
    const flag = await digest('crawl', '--sauce', 'x');
    expect(flag.code).toBe(64);
    expect(oneLineReason(flag)).toBe('digest: unknown option --sauce; run `digest --help`');
    const week = await digest('postings', 'export', '--week', 'last');
    expect(week.code).toBe(64);
    expect(oneLineReason(week)).toBe('digest: --week must be an ISO week like 2026-W47 (got "last")');
  }, 120_000);

  it('--version prints the package version; COMMAND --help prints that command\'s usage', async () => {
    const version = await digest('--version');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(`digest ${JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).version}`);

    const ingestHelp = await digest('ingest', '--help');
    expect(ingestHelp.code).toBe(0);
    expect(ingestHelp.stdout).toMatch(/^usage: digest ingest <file\.\.\.> \[--source NAME\]\n\nload postings from CSV or JSONL files\./);
    const removeHelp = await digest('demo-data', '-h');
    expect(removeHelp.stdout).toContain('--remove');
  }, 120_000);

  it('run-weekly: the first run sends without claiming the issue was enqueued before; a second run says it was', async () => {
    const first = await digest('run-weekly', '--week', '2026-W47');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^2026-W47: \d+ sent, 0 failed$/m);
    expect(first.stdout).not.toContain('enqueued before');
    const second = await digest('run-weekly', '--week', '2026-W47');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^2026-W47: \d+ sent, 0 failed \(the issue had been enqueued before; only what was left was sent\)$/m);
  }, 180_000);
});
