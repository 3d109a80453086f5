import { describe, expect, it } from 'vitest';
import { ComposeError, composeIssue } from '../../src/digest/compose.ts';
import { featuredFor } from '../../src/digest/featured.ts';
import { isSitePath } from '../../src/digest/links.ts';
import { segmentView } from '../../src/digest/view.ts';
import { ROLES } from '../../src/roles/catalog.ts';
import type { RoleWeekStats, WeekStats } from '../../src/stats/types.ts';
import { digestWeeks } from '../support/digest-weeks.ts';

const URL = 'https://digest.example';

function compose(weeks: WeekStats[]) {
  const current = weeks[weeks.length - 1]!;
  return composeIssue({ week: current.week, current, previous: weeks[weeks.length - 2], history: weeks, publicUrl: URL });
}

/** The rule, written out independently of the code under test (docs/methodology.md). */
function passesRule(cur: RoleWeekStats, prev: RoleWeekStats): boolean {
  if (cur.disclosed < 30 || prev.disclosed < 30) return false;
  const l = cur.likeForLike;
  if (!l || l.change === null || !l.ci) return false;
  const raw = cur.median! - prev.median!;
  return (l.ci[0] > 0 || l.ci[1] < 0) && raw !== 0 && Math.sign(raw) === Math.sign(l.change);
}

/** A small deterministic generator so the property test is repeatable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('composeIssue headline', () => {
  it('picks the largest move that passes the rule, not larger moves within noise', () => {
    const c = compose(digestWeeks());
    expect(c.headline.kind).toBe('pay-move');
    if (c.headline.kind !== 'pay-move') return;
    // prompt-engineer (+30%, n = 9) and ml-research-scientist (+15%, intervals overlap) are larger but within noise.
    expect(c.headline.role).toBe('data-engineer');
    expect(c.headline.changePct).toBeCloseTo(10, 5);
    expect(c.subject).toContain('Data Engineer median pay up 10% to $198K');
    const byRole = new Map(c.shifts.map((r) => [r.role, r]));
    expect(byRole.get('prompt-engineer')!.payMove).toBe('noise');
    expect(byRole.get('ml-research-scientist')!.payMove).toBe('noise');
    expect(byRole.get('mlops-engineer')!.payMove).toBe('headline');
    expect(byRole.get('prompt-engineer')!.noteText).toBe('small sample, n = 9 vs 8');
    expect(byRole.get('ml-research-scientist')!.noteText).toBe('small sample, n = 30 vs 28');
    expect(byRole.get('data-engineer')!.noteText).toBe('beyond noise, like for like +10% (95% range +7% to +13%), n = 40 vs 40');
    expect(c.movers.filter((m) => m.kind === 'pay').map((m) => m.role)).toEqual(['data-engineer', 'mlops-engineer']);
  });

  it('never headlines a move within noise (200 random weeks)', () => {
    const rand = rng(42);
    let headlines = 0;
    for (let k = 0; k < 200; k++) {
      const weeks = digestWeeks();
      const prev = weeks[6]!;
      const cur = weeks[7]!;
      for (const [i, r] of cur.roles.entries()) {
        const p = prev.roles[i]!;
        const disclosed = Math.floor(rand() * 40);
        const median = 150_000 * (0.8 + rand() * 0.4);
        const half = 2_000 + rand() * 30_000;
        const change = rand() * 20 - 10;
        const lflHalf = rand() * 8;
        Object.assign(r, {
          disclosed,
          median: disclosed >= 5 ? median : null,
          mean: disclosed >= 5 ? median : null,
          medianCi: disclosed >= 15 ? [median - half, median + half] : null,
          likeForLike: { ...r.likeForLike!, change, ci: [change - lflHalf, change + lflHalf] },
        });
        if (rand() < 0.3) Object.assign(p, { disclosed: Math.floor(rand() * 40) });
        if (p.disclosed < 15) p.medianCi = null;
      }
      const c = compose(weeks);
      const prevBy = new Map(prev.roles.map((r) => [r.role, r]));
      for (const row of c.shifts) {
        const cr = cur.roles.find((r) => r.role === row.role)!;
        const pr = prevBy.get(row.role)!;
        if (cr.median == null || pr.median == null) expect(row.payMove).toBe('unknown');
        else expect(row.payMove).toBe(passesRule(cr, pr) ? 'headline' : 'noise');
      }
      const passing = c.shifts.filter((r) => r.payMove === 'headline');
      if (c.headline.kind === 'pay-move') {
        headlines++;
        const h = c.headline;
        const cr = cur.roles.find((r) => r.role === h.role)!;
        expect(passesRule(cr, prevBy.get(h.role)!)).toBe(true);
        for (const r of passing) expect(Math.abs(h.changePct)).toBeGreaterThanOrEqual(Math.abs(r.medianChangePct!) - 1e-9);
      } else {
        expect(passing).toEqual([]);
        expect(c.subject).toMatch(/open AI roles/);
      }
    }
    // The generator produces both outcomes, so both branches above ran.
    expect(headlines).toBeGreaterThan(10);
    expect(headlines).toBeLessThan(200);
  });
});

describe('composeIssue content', () => {
  it('has a row per tracked role with an 8-week trend, skills on the rise and up to 3 featured pairs', () => {
    const c = compose(digestWeeks());
    expect(c.shifts.map((r) => r.role)).toEqual(ROLES.map((r) => r.slug));
    for (const r of c.shifts) {
      expect(r.trend).toHaveLength(8);
      expect(r.trend.every((b) => b.level >= 2 && b.level <= 8)).toBe(true);
      expect(r.trendText).toHaveLength(8);
    }
    const de = c.shifts.find((r) => r.role === 'data-engineer')!;
    expect(de.trend[7]!.level).toBe(8);
    expect(de.medianText).toBe('$198K');
    expect(de.medianChangeText).toBe('+$18K (+10%)');
    expect(c.risingSkills).toEqual([
      { role: 'data-engineer', name: 'Data Engineer', linkId: 'role-data-engineer', skills: ['dbt'], labels: [expect.stringMatching(/^dbt \(\d+ of 220 postings\)$/)] },
    ]);
    expect(c.featured.length).toBe(3);
    expect(new Set(c.featured).size).toBe(3);
    // A pair with a headline mover is featured first.
    const first = c.comparisons.find((x) => x.linkId === c.featured[0])!;
    expect(first.includesHeadline).toBe(true);
    const ds = c.movers.find((m) => m.kind === 'positions')!;
    expect(ds.role).toBe('data-scientist');
    expect(ds.nText).toBe('n = 420 open positions this week, 300 last week');
  });

  it('freezes as JSON with unique, site-only links', () => {
    const c = compose(digestWeeks());
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    const ids = c.links.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of c.links) {
      expect(l.id).toMatch(/^[a-z0-9-]+$/);
      expect(l.path).toMatch(/^\/(?!\/)/);
    }
    for (const card of c.comparisons) expect(ids).toContain(card.linkId);
    // Role and comparison links carry the issue's week: an old issue opens the figures it quoted.
    expect(c.links.find((l) => l.id === 'cmp-data-scientist-vs-data-engineer')!.path).toBe(`/compare/data-scientist-vs-data-engineer?week=${c.week}`);
    expect(c.links.find((l) => l.id === 'role-mlops-engineer')!.path).toBe(`/roles/mlops-engineer?week=${c.week}`);
    for (const l of c.links) expect(isSitePath(l.path), l.path).toBe(true);
  });
});

describe('personalisation', () => {
  it('puts followed roles’ rows and comparisons first', () => {
    const c = compose(digestWeeks());
    const followed = ['nlp-engineer', 'ai-architect'];
    const view = segmentView(c, followed, 'email', URL);
    expect(view.rows.slice(0, 2).map((r) => r.row.role)).toEqual(['nlp-engineer', 'ai-architect']);
    expect(view.rows.slice(0, 2).every((r) => r.followed)).toBe(true);
    expect(view.rows.slice(2).some((r) => r.followed)).toBe(false);
    expect(view.rows).toHaveLength(ROLES.length);
    const cards = featuredFor(c, followed);
    expect(cards).toHaveLength(3);
    expect(cards[0]!.linkId).toBe('cmp-nlp-engineer-vs-ai-architect');
    for (const card of cards) expect(followed.includes(card.a) || followed.includes(card.b)).toBe(true);
    expect(view.why).toContain('You follow NLP Engineer and AI Architect');
    // No followed roles: the week's featured pairs, catalog order of rows.
    const plain = segmentView(c, [], 'email', URL);
    expect(plain.featured.map((x) => x.linkId)).toEqual(c.featured);
    expect(plain.rows.map((r) => r.row.role)).toEqual(ROLES.map((r) => r.slug));
  });
});

describe('skills on the rise', () => {
  it('names none for a role with fewer than 30 open positions in either week', () => {
    const weeks = digestWeeks();
    const cur = weeks.at(-1)!;
    const thin = { ...cur, roles: cur.roles.map((r) => (r.role === 'data-engineer' ? { ...r, positions: 29 } : r)) };
    expect(compose([...weeks.slice(0, -1), thin]).risingSkills).toEqual([]);
    expect(compose(weeks).risingSkills.map((s) => s.role)).toEqual(['data-engineer']);
  });
});

describe('edge weeks', () => {
  it('says the first tracked week has no prior week', () => {
    const [only] = digestWeeks({ n: 1 });
    const c = composeIssue({ week: only!.week, current: only!, history: [only!], publicUrl: URL });
    expect(c.firstWeek).toBe(true);
    expect(c.previousWeek).toBeNull();
    expect(c.headline.kind).toBe('total');
    expect(c.headline.text).toMatch(/first tracked week, so there is no prior week/);
    expect(c.subject).toMatch(/first tracked week/);
    expect(c.movers).toEqual([]);
    expect(c.risingSkills).toEqual([]);
    expect(c.shifts.every((r) => r.payMove === 'first' && r.medianChangeText === '–' && r.positionsChangeText === '–')).toBe(true);
    // Weeks before tracking began show as empty bars.
    expect(c.shifts[0]!.trend.slice(0, 7).every((b) => b.level === 0 && b.median === null)).toBe(true);
    expect(c.featured.length).toBe(3);
  });

  it('refuses a week with no postings, with a reason', () => {
    const weeks = digestWeeks({ emptyLast: true });
    expect(() => compose(weeks)).toThrow(ComposeError);
    expect(() => compose(weeks)).toThrow(/no open postings in 2026-W47/);
  });
});
