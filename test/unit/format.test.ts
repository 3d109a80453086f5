import { describe, expect, it } from 'vitest';
import { formatCountChange, formatMoney, formatMoneyChange, formatPct, formatShare, mixPercents } from '../../src/stats/format.ts';
import { diffWeeks } from '../../src/stats/diff.ts';
import { formatStatsTable } from '../../src/stats/format-table.ts';
import { money as digestMoney, signedMoney, signedPct } from '../../src/digest/figures.ts';
import type { RoleWeekStats, WeekStats } from '../../src/stats/types.ts';

describe('formatShare', () => {
  it('prints enough precision to stay non-zero', () => {
    expect(formatShare(80, 26_159)).toBe('0.3%');
    expect(formatShare(9, 26_159)).toBe('0.03%');
    expect(formatShare(1, 26_159)).toBe('0.004%');
    expect(formatShare(598, 26_159)).toBe('2.3%');
    expect(formatShare(23_752, 26_159)).toBe('90.8%');
  });
  it('never rounds a partial share up to 100% and handles the ends', () => {
    expect(formatShare(26_158, 26_159)).toBe('99.996%');
    expect(formatShare(5, 5)).toBe('100%');
    expect(formatShare(0, 26_159)).toBe('0%');
    expect(formatShare(0, 0)).toBe('0%');
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
});

describe('money and percent', () => {
  it('formats dollars in thousands', () => {
    expect(formatMoney(173_000)).toBe('$173K');
    expect(formatMoney(172_600)).toBe('$173K');
    expect(formatMoney(1_240_000)).toBe('$1.2M');
    expect(formatMoney(999_600)).toBe('$1M');
    expect(formatMoney(850)).toBe('$850');
    expect(formatMoneyChange(4_400)).toBe('+$4K');
    expect(formatMoneyChange(-12_000)).toBe('-$12K');
    expect(formatMoneyChange(300)).toBe('+$300');
    expect(formatMoneyChange(0)).toBe('$0K');
  });
  it('formats percentages without a negative zero', () => {
    expect(formatPct(2.44, { digits: 1, signed: true })).toBe('+2.4%');
    expect(formatPct(-0.04, { digits: 1, signed: true })).toBe('0.0%');
    expect(formatPct(-13.2)).toBe('-13%');
    expect(formatCountChange(1_159)).toBe('+1,159');
    expect(formatCountChange(-3)).toBe('-3');
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
    expect(lines[0]).toContain('2026-11-16 to 2026-11-22, UTC');
    expect(lines[0]).toContain('26,159 open postings (+1,159, +4.6% vs 2026-W46)');
    const mlops = lines.find((l) => l.startsWith('MLOps Engineer'))!;
    expect(mlops).toMatch(/80\s+\+5 \(\+7%\)\s+0\.3%\s+\$173K\s+\+\$3K \(\+1\.8%\)\s+≈ noise \(n=34\/31\)\s+\$238K\s+9%\s+4\/74\/22\s+Aws/);
    const prompt = lines.find((l) => l.startsWith('Prompt Engineer'))!;
    expect(prompt).toContain('not enough data');
    expect(prompt).toContain('0/89/11');
    // Columns line up: "Open" ends where the counts end.
    const header = lines.find((l) => l.startsWith('Role'))!;
    expect(mlops.indexOf(' 80 ') + 3).toBe(header.indexOf('Open') + 4);
  });

  it('prints money and its changes exactly as the digest does (one formatter)', () => {
    const cur = w('2026-W47', [{ ...base, median: 173_500 }]);
    const prev = w('2026-W46', [{ ...base, week: '2026-W46', median: 170_000 }]);
    const d = diffWeeks(cur, prev).roles.find((r) => r.role === 'mlops-engineer')!;
    const mlops = formatStatsTable(cur, diffWeeks(cur, prev)).split('\n').find((l) => l.startsWith('MLOps Engineer'))!;
    // The mail's strings for the same figures: digest/figures.ts, used by compose.
    const mail = `${digestMoney(173_500)}`;
    const change = `${signedMoney(d.median!.change)} (${signedPct(d.median!.pct)})`;
    expect(change).toBe('+$3.5K (+2.1%)');
    expect(mlops).toContain(` ${mail} `);
    expect(mlops).toContain(` ${change} `);
    const big = w('2026-W47', [{ ...base, median: 1_234_000, p75: 1_500_000 }]);
    expect(formatStatsTable(big, diffWeeks(big, undefined))).toContain(` ${digestMoney(1_234_000)} `);
    expect(digestMoney(1_234_000)).toBe('$1.2M');
  });

  it('marks a headline move', () => {
    const likeForLike = { change: 20, ci: [12, 28] as [number, number], cells: 3, excludedCells: 0, n: { current: 34, previous: 34 }, excluded: { current: 0, previous: 0 }, byMetro: false, draws: 1000 };
    const cur = w('2026-W47', [{ ...base, likeForLike }]);
    const prev = w('2026-W46', [{ ...base, week: '2026-W46', median: 140_000, medianCi: [130_000, 150_000] }]);
    expect(formatStatsTable(cur, diffWeeks(cur, prev))).toMatch(/\+\$33K \(\+23\.6%\)\s+headline/);
  });
});
