// Hand-built WeekStats for the digest's pure tests: 8 weeks of 12 roles with
// a last week whose moves are known in advance (like for like: change and interval in percent).
//   data-engineer         +10%, n 40/40, like for like +10% (7 to 13)  -> headline (the largest passing)
//   mlops-engineer        +6%,  n 34/30, like for like +6% (2 to 10)   -> headline
//   prompt-engineer       +30%, n 9/8                                  -> small sample, never a headline
//   ml-research-scientist +15%, n 30/28, like for like +15% (2 to 28)  -> small sample (28 last week)
//   data-scientist        positions 300 -> 420                 -> positions mover; top company is hostile markup
import { ROLES } from '../../src/roles/catalog.ts';
import type { NameCount, RoleWeekStats, WeekStats } from '../../src/stats/types.ts';
import { weekRange, weeksEndingAt } from '../../src/stats/week.ts';

export const HOSTILE_COMPANY = '<script>alert("x")</script> & Sons';

const SKILLS = ['Python', 'SQL', 'AWS', 'Docker', 'Kubernetes', 'PyTorch', 'Spark', 'Airflow', 'LangChain', 'RAG', 'dbt', 'Go'];

interface Plan {
  positions: number;
  median: number;
  disclosed: number;
  ciHalf: number;
  /** Like-for-like change and its interval, percent. */
  lfl?: [number, number, number];
}

function role(week: string, slug: string, p: Plan, total: number, skills: string[], companies: NameCount[]): RoleWeekStats {
  const hasPay = p.disclosed >= 5;
  const hasCi = p.disclosed >= 15;
  const mean = hasPay ? p.median * 1.05 : null;
  return {
    week,
    role: slug,
    positions: p.positions,
    share: total > 0 ? p.positions / total : 0,
    disclosed: p.disclosed,
    avgMin: hasPay ? p.median * 0.75 : null,
    avgMax: mean,
    p25: hasPay ? p.median * 0.85 : null,
    median: hasPay ? p.median : null,
    mean,
    p75: hasPay ? p.median * 1.2 : null,
    medianCi: hasCi ? [p.median - p.ciHalf, p.median + p.ciHalf] : null,
    remote: Math.round(p.positions * 0.2),
    remotePct: 0.2,
    mix: { entry: Math.round(p.positions * 0.1), mid: Math.round(p.positions * 0.6), senior: p.positions - Math.round(p.positions * 0.1) - Math.round(p.positions * 0.6) },
    bySeniority: { entry: { n: 0, median: null }, mid: { n: p.disclosed, median: hasPay ? p.median : null }, senior: { n: 0, median: null } },
    topSkills: skills.map((name, i) => ({ name, count: 50 - i })),
    topCompanies: companies,
    topMetros: [{ name: 'Remote', count: Math.round(p.positions * 0.2) }],
    likeForLike: hasPay
      ? {
          change: (p.lfl ?? [0, -2, 2])[0],
          ci: [(p.lfl ?? [0, -2, 2])[1], (p.lfl ?? [0, -2, 2])[2]],
          cells: 3,
          excludedCells: 0,
          n: { current: p.disclosed, previous: p.disclosed },
          excluded: { current: 0, previous: 0 },
          byMetro: false,
          draws: 1000,
        }
      : null,
  };
}

function base(i: number): Plan {
  return { positions: 100 + i * 20, median: 150_000 + i * 5_000, disclosed: 40, ciHalf: 4_000 };
}

/** The plan of each role in week index w (0..n-1); the last week carries the designed moves. */
function planFor(slug: string, i: number, w: number, last: number): Plan {
  const p = base(i);
  const wobble = ((w * 7 + i * 3) % 5) * 300; // small week-to-week drift, well within noise
  const plan = { ...p, median: p.median + wobble };
  if (w < last) {
    if (slug === 'prompt-engineer') return { ...plan, positions: 12, disclosed: 8 };
    if (slug === 'ml-research-scientist') return { ...plan, disclosed: 28, ciHalf: 20_000 };
    if (slug === 'mlops-engineer') return { ...plan, disclosed: 30 };
    if (slug === 'data-scientist') return { ...plan, positions: 300 };
    return plan;
  }
  const prev = planFor(slug, i, w - 1, last);
  switch (slug) {
    case 'data-engineer':
      return { ...prev, median: prev.median * 1.1, lfl: [10, 7, 13] };
    case 'mlops-engineer':
      return { ...prev, median: prev.median * 1.06, disclosed: 34, lfl: [6, 2, 10] };
    case 'prompt-engineer':
      return { ...prev, median: prev.median * 1.3, disclosed: 9, positions: 14, lfl: [30, -5, 60] };
    case 'ml-research-scientist':
      return { ...prev, median: prev.median * 1.15, disclosed: 30, ciHalf: 20_000, lfl: [15, 2, 28] };
    case 'data-scientist':
      return { ...prev, positions: 420 };
    default:
      return { ...prev, median: prev.median + 500 };
  }
}

/** `n` weeks ending at `endWeek`, oldest first. `emptyLast` makes the last week have no postings at all. */
export function digestWeeks(opts: { n?: number; endWeek?: string; emptyLast?: boolean } = {}): WeekStats[] {
  const n = opts.n ?? 8;
  const keys = weeksEndingAt(opts.endWeek ?? '2026-W47', n);
  return keys.map((week, w) => {
    const plans = ROLES.map((r, i) => planFor(r.slug, i, w, n - 1));
    const empty = opts.emptyLast && w === n - 1;
    const total = empty ? 0 : plans.reduce((s, p) => s + p.positions, 0) + 250;
    const range = weekRange(week, 'UTC');
    return {
      week,
      tz: 'UTC',
      start: range.start,
      end: range.end,
      total,
      roles: ROLES.map((r, i) => {
        const plan = empty ? { positions: 0, median: 0, disclosed: 0, ciHalf: 0 } : plans[i]!;
        // Skills: 8 of the list, rotating one in for data-engineer in the last week ("skills on the rise").
        let skills = SKILLS.slice(i % 4, (i % 4) + 8);
        if (r.slug === 'data-engineer' && w === n - 1) skills = [...skills.slice(0, 7), 'dbt'];
        const companies = r.slug === 'data-scientist' ? [{ name: HOSTILE_COMPANY, count: 40 }, { name: 'Acme AI', count: 12 }] : [{ name: 'Acme AI', count: 9 }];
        return role(week, r.slug, plan, total, empty ? [] : skills, empty ? [] : companies);
      }),
    };
  });
}
