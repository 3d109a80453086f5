// How pages print figures: shares never round a non-zero count to 0%, the
// experience mix adds up to 100, money prints in $K.
import { describe, expect, it } from 'vitest';
import { yScale } from '../../src/web/chart.tsx';
import { mixPercents, money, moneyRange, remoteShare, share, weekLabel } from '../../src/web/figures.ts';

describe('figures', () => {
  it('keeps small shares non-zero', () => {
    expect(share(80, 26159)).toBe('0.3%');
    expect(share(9, 26159)).toBe('0.03%');
    expect(share(598, 26159)).toBe('2.3%');
    expect(share(23752, 26159)).toBe('90.8%');
    expect(share(0, 26159)).toBe('0%');
  });
  it('splits the mix by largest remainder so it sums to 100', () => {
    expect(mixPercents({ mix: { senior: 18, mid: 59, entry: 3 } })).toEqual({ senior: 22, mid: 74, entry: 4 });
    expect(mixPercents({ mix: { senior: 0, mid: 0, entry: 0 } })).toEqual({ senior: 0, mid: 0, entry: 0 });
  });
  it('prints remote shares in whole percents, finer only below half a percent, and "no postings" for none', () => {
    expect(remoteShare({ positions: 80, remote: 7 })).toBe('9%');
    expect(remoteShare({ positions: 1000, remote: 3 })).toBe('0.3%');
    expect(remoteShare({ positions: 1, remote: 0 })).toBe('0%');
    expect(remoteShare({ positions: 0, remote: 0 })).toBe('no postings');
  });
  it('prints money in $K and says when there is not enough data', () => {
    expect(money(193_600)).toBe('$194K');
    expect(money(null)).toBe('not enough data');
    expect(moneyRange(128_000, 194_000)).toBe('$128K–$194K');
    expect(moneyRange(null, 194_000)).toBe('not enough data');
  });
  it('labels weeks with their dates', () => {
    expect(weekLabel('2026-W47', new Date('2026-11-16T00:00:00Z'), new Date('2026-11-23T00:00:00Z'))).toBe(
      'week 47 of 2026 (Nov 16 – Nov 22)',
    );
  });
  it('chooses round chart ticks that cover the values', () => {
    const { lo, hi, ticks } = yScale([173_000, 235_000]);
    expect(lo).toBeLessThanOrEqual(173_000);
    expect(hi).toBeGreaterThanOrEqual(235_000);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(7);
  });
});
