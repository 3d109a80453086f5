import { describe, expect, it } from 'vitest';
import { addWeeks, isWeekKey, lastCompleteWeek, parseWeekKey, weekKeyOf, weekRange, weeksEndingAt } from '../../src/stats/week.ts';

describe('ISO weeks', () => {
  it('keys instants by ISO-8601 week, including year edges', () => {
    expect(weekKeyOf(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W48');
    expect(weekKeyOf(new Date('2026-11-22T23:59:59Z'))).toBe('2026-W47');
    expect(weekKeyOf(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(weekKeyOf(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
  });

  it('gives Monday-to-Monday ranges in UTC', () => {
    const r = weekRange('2026-W47');
    expect(r.start.toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('gives local-midnight ranges in other zones, across a DST change', () => {
    const ny = weekRange('2026-W45', 'America/New_York'); // DST ends Sunday 2026-11-01, before this week
    expect(ny.start.toISOString()).toBe('2026-11-02T05:00:00.000Z');
    const dst = weekRange('2026-W44', 'America/New_York'); // Mon Oct 26 (EDT) .. Mon Nov 2 (EST)
    expect(dst.start.toISOString()).toBe('2026-10-26T04:00:00.000Z');
    expect(dst.end.toISOString()).toBe('2026-11-02T05:00:00.000Z');
    const tokyo = weekRange('2026-W47', 'Asia/Tokyo');
    expect(tokyo.start.toISOString()).toBe('2026-11-15T15:00:00.000Z');
    // Sunday 23:30 in New York is already Monday in UTC: different weeks.
    const t = new Date('2026-11-23T04:30:00Z');
    expect(weekKeyOf(t, 'America/New_York')).toBe('2026-W47');
    expect(weekKeyOf(t, 'UTC')).toBe('2026-W48');
  });

  it('steps weeks across years and validates keys', () => {
    expect(addWeeks('2020-W53', 1)).toBe('2021-W01');
    expect(addWeeks('2021-W01', -1)).toBe('2020-W53');
    expect(addWeeks('2026-W47', -7)).toBe('2026-W40');
    expect(weeksEndingAt('2026-W02', 3)).toEqual(['2025-W52', '2026-W01', '2026-W02']);
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(isWeekKey('2025-W53')).toBe(false); // 2025 has 52 ISO weeks
    expect(isWeekKey('2026-W53')).toBe(true); // 2026 starts on a Thursday: 53
    expect(isWeekKey('2020-W53')).toBe(true);
    expect(() => parseWeekKey('2026-47')).toThrow(/expected e.g. 2026-W47/);
  });

  it('defaults to the last complete week', () => {
    expect(lastCompleteWeek(new Date('2026-11-26T10:00:00Z'))).toBe('2026-W47');
    expect(lastCompleteWeek(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W47');
  });
});
