import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CsvTokenizer, FeedFormatError, parseCsv, parseJsonl, type FeedItem } from '../../src/postings/parse-feed.ts';
import { inspectFeed, readFeed } from '../../src/postings/read-feed-file.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'std-parse-feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}
async function all(items: AsyncIterable<FeedItem>): Promise<FeedItem[]> {
  const out: FeedItem[] = [];
  for await (const x of items) out.push(x);
  return out;
}

const HEADER = 'external_id,title,company,seen_at,description';

describe('CSV', () => {
  it('reads quoted cells with commas, escaped quotes, embedded newlines, a BOM and CRLF', async () => {
    const file = write('quoted.csv', `\uFEFF"external_id",title,company,seen_at,description\r\n` +
      `1,"Senior ML Engineer","Acme, Inc.",2026-11-20,"line one\r\nline ""two"""\r\n` +
      `2,Data Engineer,B,2026-11-20,plain\r\n`);
    expect(await all(readFeed(file))).toEqual([
      { line: 2, record: { external_id: '1', title: 'Senior ML Engineer', company: 'Acme, Inc.', seen_at: '2026-11-20', description: 'line one\nline "two"' } },
      { line: 4, record: { external_id: '2', title: 'Data Engineer', company: 'B', seen_at: '2026-11-20', description: 'plain' } },
    ]);
  });

  it('keeps line numbers right after multi-line cells and blank lines, and reports bad rows by their first line', async () => {
    const file = write('lines.csv', [
      HEADER,
      '1,A,B,2026-11-20,"three',
      'line',
      'cell"',
      '',
      '2,A,B,2026-11-20', // one cell short
      '3,A,B,2026-11-20,ok',
      '4,A,B,2026-11-20,"never closed',
      '5,A,B,2026-11-20,swallowed',
    ].join('\n'));
    const items = await all(readFeed(file));
    expect(items.map((i) => [i.line, 'error' in i ? i.error : (i.record as { external_id: string }).external_id])).toEqual([
      [2, '1'],
      [6, 'row has 4 cells but the header has 5 (a missing quote or an unquoted comma?)'],
      [7, '3'],
      [8, 'a quoted cell opened on line 8 is never closed'],
    ]);
  });

  it('gives the same rows whatever the chunk boundaries', async () => {
    const text = `${HEADER}\r\n1,"a ""b""",c,2026-11-20,"x\r\ny"\r\n2,d,e,2026-11-21,z\r\n`;
    const whole = await all(parseCsv([text]));
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(await all(parseCsv(chunks))).toEqual(whole);
    }
    expect(whole).toHaveLength(2);
  });

  it('tolerates a trailing comma and keeps a stray quote inside an unquoted cell', () => {
    const rows = new CsvTokenizer().push('a,b",c,\n');
    expect(rows).toEqual([{ line: 1, fields: ['a', 'b"', 'c', ''] }]);
  });

  it('rejects a header without the required columns, naming them', async () => {
    const file = write('noheader.csv', 'id,name,when\n1,x,2026-11-20\n');
    await expect(inspectFeed(file)).rejects.toThrow(FeedFormatError);
    await expect(all(readFeed(file))).rejects.toThrow(/lacks external_id, title, company, seen_at or posted_at/);
  });
});

describe('JSONL', () => {
  it('reads one object per line, skips blank lines and reports bad lines by number', async () => {
    const file = write('feed.jsonl', [
      '{"external_id":"1","title":"A","company":"B","seen_at":"2026-11-20","skills":["python"]}',
      '',
      '{"external_id":"2", broken',
      '[1,2]',
      '  {"external_id":"3","title":"A","company":"B","seen_at":"2026-11-20"}  ',
    ].join('\r\n'));
    const items = await all(readFeed(file));
    expect(items.map((i) => i.line)).toEqual([1, 3, 4, 5]);
    expect(items[0]).toEqual({ line: 1, record: { external_id: '1', title: 'A', company: 'B', seen_at: '2026-11-20', skills: ['python'] } });
    expect(items[1]).toMatchObject({ line: 3, error: expect.stringMatching(/^not valid JSON/) });
    expect(items[2]).toEqual({ line: 4, error: 'expected a JSON object, got an array' });
    expect(items[3]).toMatchObject({ line: 5, record: { external_id: '3' } });
  });

  it('splits lines across chunk boundaries', async () => {
    const items = await all(parseJsonl(['{"a":', '1}\n{"a"', ':2}']));
    expect(items).toEqual([{ line: 1, record: { a: 1 } }, { line: 2, record: { a: 2 } }]);
  });

  it('sniffs JSONL without an extension', async () => {
    const file = write('feed-no-ext', '{"external_id":"1"}\n');
    expect(await inspectFeed(file)).toEqual({ file, format: 'jsonl' });
  });
});

describe('files that are not feeds fail before any row', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['binary.csv', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0x00, 0x10]), /binary data/],
    ['feed.csv.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]), /gzip/],
    ['array.json', '[{"external_id":"1"}]', /JSON array/],
    ['pretty.jsonl', '{\n  "external_id": "1"\n}\n', /pretty-printed JSON/],
    ['page.csv', '<!doctype html><html><body>hi</body></html>', /HTML/],
    ['empty.csv', '', /is empty/],
    ['wrong.jsonl', 'external_id,title\n1,x\n', /not JSONL/],
    ['json-in.csv', '{"external_id":"1"}\n', /holds JSON/],
    ['tabs.csv', 'external_id\ttitle\tcompany\tseen_at\n1\tx\ty\t2026-11-20\n', /lacks external_id/],
  ];
  it.each(cases)('%s', async (name, content, message) => {
    const file = write(name, content);
    await expect(inspectFeed(file)).rejects.toThrow(message);
    const gen = readFeed(file);
    await expect(gen.next()).rejects.toBeInstanceOf(FeedFormatError);
  });

  it('names a missing file', async () => {
    await expect(inspectFeed(path.join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: no such file/);
  });
});

describe('a runaway quoted cell', () => {
  it('is reported at its row and parsing carries on after it', async () => {
    const big = 'x'.repeat(600 * 1024);
    const text = `${HEADER}\n1,A,B,2026-11-20,"unclosed ${big}\n${big}\n${big}\n2,A,B,2026-11-20,next\n3,A,B,2026-11-20,fine\n`;
    const items = await all(parseCsv([text.slice(0, 700_000), text.slice(700_000)]));
    expect(items[0]).toMatchObject({ line: 2, error: expect.stringMatching(/quoted cell opened on line 2 runs past 1 MiB/) });
    // Lines 3 and 4 (the rest of the runaway text) are rows with too few cells; rows 2 and 3 are read again.
    expect(items.map((i) => [i.line, 'error' in i ? 'error' : 'record'])).toEqual([[2, 'error'], [3, 'error'], [4, 'error'], [5, 'record'], [6, 'record']]);
    expect(items.at(-1)).toEqual({ line: 6, record: { external_id: '3', title: 'A', company: 'B', seen_at: '2026-11-20', description: 'fine' } });
  });
});
