import { describe, expect, it } from 'vitest';
import { diffWeeks, headlineMoves, intervalsOverlap } from '../../src/stats/diff.ts';
import { formatStatsTable } from '../../src/stats/format-table.ts';
import type { RoleWeekStats, WeekStats } from '../../src/stats/types.ts';

function role(week: string, slug: string, o: Partial<RoleWeekStats> = {}): RoleWeekStats {
  return {
    week,
    role: slug,
    positions: 80,
    share: 0.003,
    disclosed: 34,
    avgMin: 128_000,
    avgMax: 194_000,
    p25: 135_000,
    median: 173_000,
    mean: 194_000,
    p75: 238_000,
    medianCi: [160_000, 185_000],
    remote: 7,
    remotePct: 7 / 80,
    mix: { entry: 3, mid: 59, senior: 18 },
    bySeniority: { entry: { n: 2, median: null }, mid: { n: 25, median: 160_000 }, senior: { n: 7, median: 250_000 } },
    topSkills: ['Aws', 'Python', 'Kubernetes', 'Rag', 'Docker', 'Gcp', 'Azure', 'Rust'].map((name, i) => ({ name, count: 30 - i })),
    topCompanies: [{ name: 'Openkyber', count: 27 }],
    topMetros: [{ name: 'Remote', count: 7 }],
    ...o,
  };
}
/** A stored like-for-like figure: change and interval in percent. */
function lfl(change: number, lo: number, hi: number): RoleWeekStats['likeForLike'] {
  return { change, ci: [lo, hi], cells: 4, excludedCells: 0, n: { current: 34, previous: 34 }, excluded: { current: 0, previous: 0 }, byMetro: false, draws: 1000 };
}

function week(key: string, total: number, roles: RoleWeekStats[]): WeekStats {
  return { week: key, tz: 'UTC', start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z'), total, roles };
}

describe('intervalsOverlap', () => {
  it('treats touching intervals as overlapping and separated ones as apart', () => {
    expect(intervalsOverlap([1, 5], [5, 9])).toBe(true);
    expect(intervalsOverlap([1, 5], [6, 9])).toBe(false);
    expect(intervalsOverlap([6, 9], [1, 5])).toBe(false);
    expect(intervalsOverlap([1, 10], [3, 4])).toBe(true);
  });
});

describe('diffWeeks', () => {
  const prev = week('2026-W46', 25_000, [role('2026-W46', 'mlops-engineer', { positions: 75, median: 150_000, p75: 220_000, medianCi: [140_000, 158_000], remotePct: 0.05 })]);

  it('is a headline when the like-for-like interval excludes zero and the raw median moved the same way', () => {
    const cur = week('2026-W47', 26_159, [role('2026-W47', 'mlops-engineer', { likeForLike: lfl(6, 2, 10) })]);
    const d = diffWeeks(cur, prev);
    const m = d.roles[0]!;
    expect(m.first).toBe(false);
    expect(m.pay).toMatchObject({ headline: true, withinNoise: false, smallSample: false, n: { current: 34, previous: 34 } });
    expect(m.pay!.likeForLike).toEqual({ change: 6, ci: [2, 10] });
    expect(m.median).toEqual({ current: 173_000, previous: 150_000, change: 23_000, pct: (23_000 / 150_000) * 100 });
    expect(m.p75!.change).toBe(18_000);
    expect(m.positions).toEqual({ current: 80, previous: 75, change: 5, pct: (5 / 75) * 100 });
    expect(m.remotePoints).toBeCloseTo(8.75 - 5, 10);
    expect(d.total).toEqual({ current: 26_159, previous: 25_000, change: 1_159, pct: (1_159 / 25_000) * 100 });
  });

  // Last week: fewer senior postings with pay (4 of 34 against 7 of 34 this week).
  const moreJunior = week('2026-W46', 25_000, [
    role('2026-W46', 'mlops-engineer', {
      positions: 75,
      median: 150_000,
      bySeniority: { entry: { n: 2, median: null }, mid: { n: 28, median: 150_000 }, senior: { n: 4, median: 240_000 } },
    }),
  ]);

  it('is no headline when like for like moved the other way, or its interval covers zero', () => {
    const down = diffWeeks(week('2026-W47', 1, [role('2026-W47', 'mlops-engineer', { likeForLike: lfl(-3, -5, -1) })]), prev).roles[0]!;
    expect(down.pay!.headline).toBe(false);
    const held = diffWeeks(week('2026-W47', 1, [role('2026-W47', 'mlops-engineer', { likeForLike: lfl(1, -1, 3) })]), moreJunior).roles[0]!;
    expect(held.pay!.headline).toBe(false);
    // The raw median rose 15.3%: the sentence names the mix shift (more senior postings with pay).
    expect(held.pay!.mixSentence).toMatch(/^The median rose 15\.3%, but like for like there is no clear change: this week’s postings were more senior \(senior \d+% of postings with pay, against \d+%\)\.$/);
    // Without a like-for-like figure (older snapshots) nothing is a headline.
    expect(diffWeeks(week('2026-W47', 1, [role('2026-W47', 'mlops-engineer')]), prev).roles[0]!.pay!.headline).toBe(false);
  });

  it('never makes a headline with fewer than 30 disclosed in either week, however large the move', () => {
    for (const [a, b] of [
      [29, 34],
      [34, 29],
    ] as const) {
      const p = week('2026-W46', 100, [role('2026-W46', 'x', { disclosed: b, median: 100_000 })]);
      const c = week('2026-W47', 100, [role('2026-W47', 'x', { disclosed: a, median: 300_000, likeForLike: lfl(200, 150, 250) })]);
      const m = diffWeeks(c, p).roles[0]!;
      expect(m.pay).toMatchObject({ headline: false, withinNoise: true, smallSample: true, mixSentence: null, n: { current: a, previous: b } });
    }
  });

  it('has no deltas on the first week', () => {
    const cur = week('2026-W47', 26_159, [role('2026-W47', 'mlops-engineer')]);
    const d = diffWeeks(cur, undefined);
    expect(d.first).toBe(true);
    expect(d.total).toBeNull();
    expect(d.previousWeek).toBeNull();
    expect(d.roles[0]).toMatchObject({ first: true, positions: null, median: null, p75: null, pay: null, skillsEntered: [], skillsLeft: [] });
    expect(formatStatsTable(cur, d)).toContain('no prior week');
  });

  it('lists skills that entered and left the top 8', () => {
    const c = week('2026-W47', 100, [
      role('2026-W47', 'x', { topSkills: ['Aws', 'Python', 'Kubernetes', 'Rag', 'Docker', 'Gcp', 'Azure', 'Claude'].map((name) => ({ name, count: 1 })) }),
    ]);
    const m = diffWeeks(c, week('2026-W46', 100, [role('2026-W46', 'x')])).roles[0]!;
    expect(m.skillsEntered).toEqual(['Claude']);
    expect(m.skillsLeft).toEqual(['Rust']);
  });

  it('does not call a skill new when only its most used spelling changed', () => {
    const spelled = (names: string[]) => ({ topSkills: names.map((name) => ({ name, count: 1 })) });
    const c = week('2026-W47', 100, [role('2026-W47', 'x', spelled(['Vector Search', 'Python', 'weaviate']))]);
    const p = week('2026-W46', 100, [role('2026-W46', 'x', spelled(['vector search', 'Python', 'Rust']))]);
    const m = diffWeeks(c, p).roles[0]!;
    expect(m.skillsEntered).toEqual(['weaviate']);
    expect(m.skillsLeft).toEqual(['Rust']);
  });

  it('has no remote change when either week has no postings (no remote share)', () => {
    const c = week('2026-W47', 100, [role('2026-W47', 'x', { positions: 0, remote: 0, remotePct: null })]);
    expect(diffWeeks(c, week('2026-W46', 100, [role('2026-W46', 'x')])).roles[0]!.remotePoints).toBeNull();
  });

  it('has no median change when either week lacks pay figures', () => {
    const c = week('2026-W47', 100, [role('2026-W47', 'x', { disclosed: 4, median: null, p75: null, medianCi: null })]);
    const m = diffWeeks(c, week('2026-W46', 100, [role('2026-W46', 'x')])).roles[0]!;
    expect(m.median).toBeNull();
    expect(m.pay).toBeNull();
    expect(m.positions!.change).toBe(0);
  });

  it('sorts headline moves by the largest absolute median change', () => {
    const p = week('2026-W46', 100, [
      role('2026-W46', 'a', { median: 100_000, medianCi: [95_000, 105_000] }),
      role('2026-W46', 'b', { median: 100_000, medianCi: [95_000, 105_000] }),
      role('2026-W46', 'c', { median: 100_000, medianCi: [95_000, 105_000] }),
    ]);
    const c = week('2026-W47', 100, [
      role('2026-W47', 'a', { median: 110_000, medianCi: [106_000, 115_000], likeForLike: lfl(9, 5, 13) }), // +10%
      role('2026-W47', 'b', { median: 80_000, medianCi: [75_000, 90_000], likeForLike: lfl(-18, -25, -11) }), // -20%
      role('2026-W47', 'c', { median: 101_000, medianCi: [96_000, 106_000], likeForLike: lfl(1, -2, 4) }), // noise
    ]);
    expect(headlineMoves(diffWeeks(c, p)).map((r) => r.role)).toEqual(['b', 'a']);
  });

  it('builds the trend from history, oldest first, ending with this week', () => {
    const h = [
      week('2026-W45', 100, [role('2026-W45', 'x', { median: 140_000, positions: 70 })]),
      week('2026-W46', 100, [role('2026-W46', 'x', { median: 150_000, positions: 75 })]),
    ];
    const c = week('2026-W47', 100, [role('2026-W47', 'x')]);
    expect(diffWeeks(c, h[1], [h[1]!, h[0]!]).roles[0]!.trend).toEqual([
      { week: '2026-W45', median: 140_000, positions: 70 },
      { week: '2026-W46', median: 150_000, positions: 75 },
      { week: '2026-W47', median: 173_000, positions: 80 },
    ]);
  });
});
