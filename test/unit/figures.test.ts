// How figures print (src/stats/figures.ts), the one module behind the
// `digest stats` table, the pages and the mail: shares never round a non-zero
// count to 0%, the experience mix adds up to 100, money prints in $K, changes
// carry a true minus sign (U+2212), weeks print with their dates.
import { describe, expect, it } from 'vitest';
import { yScale } from '../../src/web/chart.tsx';
import {
  count,
  countChange,
  mixLine,
  mixPercents,
  money,
  moneyChange,
  moneyRange,
  moneySize,
  nLabel,
  pctRange,
  pctSize,
  remoteShare,
  share,
  signedCount,
  signedMoney,
  signedPct,
  weekDates,
  weekLabel,
  wholePct,
} from '../../src/stats/figures.ts';
import { diffWeeks } from '../../src/stats/diff.ts';
import { formatStatsTable } from '../../src/stats/format-table.ts';
import type { RoleWeekStats, WeekStats } from '../../src/stats/types.ts';

const MINUS = '\u2212';

describe('share', () => {
  it('prints enough precision to stay non-zero', () => {
    expect(share(80, 26_159)).toBe('0.3%');
    expect(share(9, 26_159)).toBe('0.03%');
    expect(share(1, 26_159)).toBe('0.004%');
    expect(share(598, 26_159)).toBe('2.3%');
    expect(share(23_752, 26_159)).toBe('90.8%');
  });
  it('never rounds a partial share up to 100% and handles the ends', () => {
    expect(share(26_158, 26_159)).toBe('99.996%');
    expect(share(5, 5)).toBe('100%');
    expect(share(0, 26_159)).toBe('0%');
    expect(share(0, 0)).toBe('0%');
  });
  it('prints remote shares in whole percents, finer only below half a percent, and "no postings" for none', () => {
    expect(remoteShare({ positions: 80, remote: 7 })).toBe('9%');
    expect(remoteShare({ positions: 1000, remote: 3 })).toBe('0.3%');
    expect(remoteShare({ positions: 1, remote: 0 })).toBe('0%');
    expect(remoteShare({ positions: 0, remote: 0 })).toBe('no postings');
  });
  it('prints a fraction as a whole percent', () => {
    expect(wholePct(0.95)).toBe('95%');
    expect(wholePct(0.304)).toBe('30%');
  });
});

describe('mixPercents', () => {
  it('rounds by largest remainder so the parts sum to 100', () => {
    expect(mixPercents({ entry: 3, mid: 59, senior: 18 })).toEqual({ entry: 4, mid: 74, senior: 22 });
    expect(mixPercents({ entry: 1, mid: 1, senior: 1 })).toEqual({ entry: 34, mid: 33, senior: 33 });
    expect(mixPercents({ entry: 0, mid: 8, senior: 1 })).toEqual({ entry: 0, mid: 89, senior: 11 });
    expect(mixPercents({ entry: 0, mid: 0, senior: 0 })).toEqual({ entry: 0, mid: 0, senior: 0 });
    for (let e = 0; e < 12; e++)
      for (let m = 0; m < 12; m++)
        for (let s = 1; s < 12; s++) {
          const p = mixPercents({ entry: e, mid: m, senior: s });
          expect(p.entry + p.mid + p.senior).toBe(100);
        }
  });
  it('prints the mix as a line, senior first', () => {
    expect(mixLine({ positions: 80, mix: { entry: 3, mid: 59, senior: 18 } })).toBe('Senior 22%, Mid 74%, Entry 4%');
    expect(mixLine({ positions: 0, mix: { entry: 0, mid: 0, senior: 0 } })).toBe('no open positions');
  });
});

describe('money', () => {
  it('prints dollars in thousands, millions from a million, and "not enough data" for none', () => {
    expect(money(173_000)).toBe('$173K');
    expect(money(172_600)).toBe('$173K');
    expect(money(193_600)).toBe('$194K');
    expect(money(1_240_000)).toBe('$1.2M');
    expect(money(999_600)).toBe('$1M');
    expect(money(850)).toBe('$850');
    expect(money(null)).toBe('not enough data');
    expect(moneyRange(128_000, 194_000)).toBe('$128K–$194K');
    expect(moneyRange(null, 194_000)).toBe('not enough data');
  });
  it('prints changes with a sign: one decimal under $10K, a true minus, ±$0 for none', () => {
    expect(signedMoney(12_400)).toBe('+$12K');
    expect(signedMoney(-3_500)).toBe(`${MINUS}$3.5K`);
    expect(signedMoney(4_000)).toBe('+$4K');
    expect(signedMoney(400)).toBe('+$400');
    expect(signedMoney(-0.4)).toBe('±$0');
    expect(moneySize(-3_500)).toBe('$3.5K');
    expect(moneyChange(3_500, 2.06)).toBe('+$3.5K (+2.1%)');
  });
});

describe('percent changes and counts', () => {
  it('prints one decimal at most, a true minus, ±0% for none', () => {
    expect(signedPct(2.44)).toBe('+2.4%');
    expect(signedPct(-0.44)).toBe(`${MINUS}0.4%`);
    expect(signedPct(3)).toBe('+3%');
    expect(signedPct(-0.04)).toBe('±0%');
    expect(pctSize(-13.21)).toBe('13.2%');
    expect(pctRange([-1.5, 3])).toBe(`95% range ${MINUS}1.5% to +3%`);
  });
  it('prints counts with separators, changes with a sign and their percent', () => {
    expect(count(26_159)).toBe('26,159');
    expect(signedCount(1_159)).toBe('+1,159');
    expect(signedCount(-3)).toBe(`${MINUS}3`);
    expect(signedCount(0)).toBe('±0');
    expect(countChange(5, 6.67)).toBe('+5 (+6.7%)');
    expect(countChange(4, null)).toBe('+4 (new)');
    expect(nLabel(40)).toBe('n = 40');
    expect(nLabel(1_200, 38)).toBe('n = 1,200 vs 38');
  });
});

describe('weeks', () => {
  it('labels weeks with their dates, across a month too', () => {
    expect(weekDates(new Date('2026-11-16T00:00:00Z'), new Date('2026-11-23T00:00:00Z'), 'UTC')).toBe('16–22 Nov 2026');
    expect(weekDates(new Date('2026-11-30T00:00:00Z'), new Date('2026-12-07T00:00:00Z'), 'UTC')).toBe('30 Nov – 6 Dec 2026');
    expect(weekLabel('2026-W47', new Date('2026-11-16T00:00:00Z'), new Date('2026-11-23T00:00:00Z'))).toBe('week 47 of 2026 (16–22 Nov 2026)');
    expect(weekLabel('2026-W47')).toBe('week 47 of 2026');
  });
});

describe('chart ticks', () => {
  it('chooses round chart ticks that cover the values', () => {
    const { lo, hi, ticks } = yScale([173_000, 235_000]);
    expect(lo).toBeLessThanOrEqual(173_000);
    expect(hi).toBeGreaterThanOrEqual(235_000);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(7);
  });
});

describe('formatStatsTable', () => {
  const base: RoleWeekStats = {
    week: '2026-W47', role: 'mlops-engineer', positions: 80, share: 80 / 26_159, disclosed: 34,
    avgMin: 128_000, avgMax: 194_000, p25: 135_000, median: 173_000, mean: 194_000, p75: 238_000,
    medianCi: [160_000, 185_000], remote: 7, remotePct: 7 / 80, mix: { entry: 3, mid: 59, senior: 18 },
    bySeniority: { entry: { n: 2, median: null }, mid: { n: 25, median: 160_000 }, senior: { n: 7, median: 250_000 } },
    topSkills: [{ name: 'Aws', count: 30 }], topCompanies: [], topMetros: [],
  };
  const w = (key: string, roles: RoleWeekStats[], total = 26_159): WeekStats => ({
    week: key, tz: 'UTC', start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z'), total, roles,
  });

  it('prints aligned rows with changes, the noise marker and "not enough data"', () => {
    const cur = w('2026-W47', [base, { ...base, role: 'prompt-engineer', positions: 9, disclosed: 4, median: null, p75: null, medianCi: null, mix: { entry: 0, mid: 8, senior: 1 } }]);
    const prev = w('2026-W46', [{ ...base, week: '2026-W46', positions: 75, median: 170_000, medianCi: [150_000, 180_000], disclosed: 31 }, { ...base, role: 'prompt-engineer', week: '2026-W46' }], 25_000);
    const text = formatStatsTable(cur, diffWeeks(cur, prev));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Week 2026-W47 (16–22 Nov 2026, UTC): 26,159 open postings (+1,159, +4.6% vs 2026-W46).');
    const mlops = lines.find((l) => l.startsWith('MLOps Engineer'))!;
    expect(mlops).toMatch(/80\s+\+5 \(\+6\.7%\)\s+0\.3%\s+\$173K\s+\+\$3K \(\+1\.8%\)\s+≈ noise \(n = 34 vs 31\)\s+\$238K\s+9%\s+4\/74\/22\s+Aws/);
    const prompt = lines.find((l) => l.startsWith('Prompt Engineer'))!;
    expect(prompt).toContain('not enough data');
    expect(prompt).toContain('0/89/11');
    // A fall carries the true minus sign, as on the pages and in the mail.
    const fell = formatStatsTable(prev, diffWeeks(prev, cur)).split('\n');
    expect(fell[0]).toContain(`(${MINUS}1,159, ${MINUS}4.4% vs 2026-W47)`);
    expect(fell.find((l) => l.startsWith('MLOps Engineer'))).toContain(`${MINUS}5 (${MINUS}6.2%)`);
    // Columns line up: "Open" ends where the counts end.
    const header = lines.find((l) => l.startsWith('Role'))!;
    expect(mlops.indexOf(' 80 ') + 3).toBe(header.indexOf('Open') + 4);
  });

  it('prints money in $M from a million', () => {
    const big = w('2026-W47', [{ ...base, median: 1_234_000, p75: 1_500_000 }]);
    expect(formatStatsTable(big, diffWeeks(big, undefined))).toContain(' $1.2M ');
  });

  it('marks a headline move', () => {
    const likeForLike = { change: 20, ci: [12, 28] as [number, number], cells: 3, excludedCells: 0, n: { current: 34, previous: 34 }, excluded: { current: 0, previous: 0 }, byMetro: false, draws: 1000 };
    const cur = w('2026-W47', [{ ...base, likeForLike }]);
    const prev = w('2026-W46', [{ ...base, week: '2026-W46', median: 140_000, medianCi: [130_000, 150_000] }]);
    expect(formatStatsTable(cur, diffWeeks(cur, prev))).toMatch(/\+\$33K \(\+23\.6%\)\s+headline/);
  });
});
