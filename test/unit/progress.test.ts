// The one progress printer: a line redrawn in place on a terminal, plain lines
// at most once a second elsewhere, and a final line that stays.
import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../src/progress.ts';

describe('progressPrinter', () => {
  it('prints plain lines at most once a second off a terminal, and the next run of updates at once', () => {
    let t = 0;
    const out: string[] = [];
    const p = progressPrinter({ write: (s) => out.push(s), isTTY: false }, { now: () => t });
    for (t = 0; t < 2500; t += 250) p.update(`ingest: ${t} rows read`);
    expect(out).toEqual(['ingest: 0 rows read\n', 'ingest: 1000 rows read\n', 'ingest: 2000 rows read\n']);
    p.done();
    p.update('acme: crawling…');
    p.done('finished');
    expect(out.slice(3)).toEqual(['acme: crawling…\n', 'finished\n']);
  });

  it('redraws one line on a terminal, cut to its width, then clears it or leaves the final line whole', () => {
    const out: string[] = [];
    const p = progressPrinter({ write: (s) => out.push(s), isTTY: true, columns: 10 });
    p.update('demo-data: week 1 of 8');
    p.update('demo-data: week 2 of 8');
    p.done();
    expect(out).toEqual(['\r\x1b[2Kdemo-data:', '\r\x1b[2Kdemo-data:', '\r\x1b[2K']);
    p.done(); // nothing drawn: nothing to clear
    p.done('a final line longer than ten');
    expect(out.slice(3)).toEqual(['\r\x1b[2Ka final line longer than ten\n']);
  });
});
