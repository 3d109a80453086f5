// Start-up output a person can read: on a terminal (or LOG_FORMAT=human) the
// JSON log lines become a few short lines; elsewhere they stay JSON.
import { describe, expect, it } from 'vitest';
import { humanLine, humanLogs } from '../../src/log.ts';

const line = (o: Record<string, unknown>) => JSON.stringify({ level: 30, time: 1, ...o });

describe('log format', () => {
  it('is human on a terminal with auto (the default), JSON elsewhere or when asked', () => {
    expect(humanLogs(undefined, true)).toBe(true);
    expect(humanLogs('auto', true)).toBe(true);
    expect(humanLogs('auto', false)).toBe(false);
    expect(humanLogs('json', true)).toBe(false);
    expect(humanLogs('human', false)).toBe(true);
  });

  it('keeps the lines that say what the service is doing, and drops the rest', () => {
    expect(humanLine(line({ event: 'demo.progress', msg: 'loading demo data: week 3 of 8: 60,000 of 221,829 postings stored' }))).toBe(
      'loading demo data: week 3 of 8: 60,000 of 221,829 postings stored',
    );
    expect(humanLine(line({ event: 'digest.weekly.composed', week: '2026-W48', issueId: 1, msg: 'issue composed' }))).toBe('composing the 2026-W48 digest: done (issue 1)');
    expect(humanLine(line({ event: 'digest.weekly.enqueued', week: '2026-W48', recipients: 1, created: true, msg: 'issue enqueued' }))).toBe(
      'sending the 2026-W48 digest to 1 reader(s)',
    );
    for (const event of ['db.migrated', 'delivery.worker.started', 'digest.schedule.started', 'digest.schedule.catch-up-check', 'web.listening']) {
      expect(humanLine(line({ event, msg: 'x' })), event).toBeUndefined();
    }
  });

  it('always shows warnings and errors', () => {
    expect(humanLine(JSON.stringify({ level: 40, event: 'config.warning', msg: 'POSTAL_ADDRESS is not set' }))).toBe('warning: POSTAL_ADDRESS is not set');
    expect(humanLine(JSON.stringify({ level: 50, event: 'demo.failed', msg: 'loading demo data failed', err: 'disk full' }))).toBe('error: loading demo data failed (disk full)');
  });
});
