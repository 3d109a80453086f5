// When is a week's digest due? The first cron fire after the week has ended,
// in DIGEST_TZ: catch-up asks for a week only from then on.
import cron from 'node-cron';
import { afterAll, describe, expect, it } from 'vitest';
import { firstFireBetween } from '../../jobs/scheduler.ts';
import { weekRange } from '../../src/stats/week.ts';

const tasks: { destroy(): unknown }[] = [];
afterAll(() => tasks.forEach((t) => t.destroy()));

function matcher(expr: string, timezone: string) {
  const task = cron.createTask(expr, () => {}, { timezone });
  tasks.push(task);
  return { task, seconds: cron.parse(expr).second };
}

describe('firstFireBetween', () => {
  it('finds Monday 13:00 UTC after 2026-W47 ends, and nothing before it', () => {
    const { task, seconds } = matcher('0 13 * * 1', 'UTC');
    const end = weekRange('2026-W47', 'UTC').end;
    expect(end.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(firstFireBetween(task, seconds, end, new Date('2026-11-23T12:59:59Z'))).toBeUndefined();
    expect(firstFireBetween(task, seconds, end, new Date('2026-11-23T13:00:00Z'))?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    expect(firstFireBetween(task, seconds, end, new Date('2026-11-29T23:59:00Z'))?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
  });

  it('reads the schedule in DIGEST_TZ: Monday 13:00 in New York is 18:00 UTC', () => {
    const { task, seconds } = matcher('0 13 * * 1', 'America/New_York');
    const end = weekRange('2026-W47', 'America/New_York').end;
    expect(end.toISOString()).toBe('2026-11-23T05:00:00.000Z');
    expect(firstFireBetween(task, seconds, end, new Date('2026-11-23T17:59:00Z'))).toBeUndefined();
    expect(firstFireBetween(task, seconds, end, new Date('2026-11-23T18:00:00Z'))?.toISOString()).toBe('2026-11-23T18:00:00.000Z');
  });

  it('counts a fire at the very instant the week ends, and honours a seconds field', () => {
    const end = weekRange('2026-W47', 'UTC').end;
    const midnight = matcher('0 0 * * 1', 'UTC');
    expect(firstFireBetween(midnight.task, midnight.seconds, end, end)?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    const thirty = matcher('30 5 0 * * 1', 'UTC');
    expect(firstFireBetween(thirty.task, thirty.seconds, end, new Date('2026-11-23T00:05:29Z'))).toBeUndefined();
    expect(firstFireBetween(thirty.task, thirty.seconds, end, new Date('2026-11-23T00:05:30Z'))?.toISOString()).toBe('2026-11-23T00:05:30.000Z');
  });
});
