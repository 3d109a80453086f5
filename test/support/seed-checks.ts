// Checks of a week's figures against the reference week
// (test/fixtures/reference-week.json): the same list of checks for the
// in-memory figures of the demo generator (unit test) and for the stored
// snapshot (integration test). Returns the failures, each naming the figure.
import seed from '../fixtures/reference-week.json' with { type: 'json' };
import type { NameCount } from '../../src/stats/types.ts';

export { seed };

export interface Figures {
  positions: number;
  disclosed: number;
  avgMin: number | null;
  avgMax: number | null;
  p25: number | null;
  median: number | null;
  mean: number | null;
  p75: number | null;
  medianCi: [number, number] | null;
  remote: number;
  mix: { entry: number; mid: number; senior: number };
  topSkills: NameCount[];
  topCompanies: NameCount[];
  topMetros: NameCount[];
}

type SeedRole = {
  positions?: number;
  disclosed?: number | null;
  avg_range?: number[];
  p25?: number | null;
  median?: number | null;
  mean?: number | null;
  p75?: number | null;
  remote_pct?: number;
  mix_pct?: { entry: number; mid: number; senior: number };
  top_skills?: string[];
  top_companies?: Array<[string, number]> | null;
  top_metros?: string[];
};

const MONEY_K = 0.5;
const PCT = 0.5;

export function checkWeekAgainstSeed(total: number, figures: ReadonlyMap<string, Figures>): string[] {
  const fails: string[] = [];
  const fail = (s: string) => fails.push(s);
  if (total !== seed.total_positions) fail(`total ${total} != ${seed.total_positions}`);
  for (const [slug, raw] of Object.entries(seed.roles) as Array<[string, SeedRole]>) {
    if (raw.positions === undefined) continue;
    const f = figures.get(slug);
    if (!f) {
      fail(`${slug}: no figures`);
      continue;
    }
    const money = (name: string, ours: number | null, theirs: number | null | undefined) => {
      if (theirs === null || theirs === undefined) return;
      if (ours === null || Math.abs(ours / 1000 - theirs) > MONEY_K) fail(`${slug} ${name}: ${ours} vs ${theirs}K`);
    };
    const pct = (name: string, count: number, theirs: number) => {
      const ours = (100 * count) / f.positions;
      if (Math.abs(ours - theirs) > PCT) fail(`${slug} ${name}: ${ours.toFixed(2)}% vs ${theirs}%`);
    };
    if (f.positions !== raw.positions) fail(`${slug} positions: ${f.positions} vs ${raw.positions}`);
    if (raw.disclosed != null && f.disclosed !== raw.disclosed) fail(`${slug} disclosed: ${f.disclosed} vs ${raw.disclosed}`);
    money('avg_range min', f.avgMin, raw.avg_range?.[0]);
    money('avg_range max', f.avgMax, raw.avg_range?.[1]);
    money('p25', f.p25, raw.p25);
    money('median', f.median, raw.median);
    money('mean', f.mean, raw.mean);
    money('p75', f.p75, raw.p75);
    if (raw.remote_pct !== undefined) pct('remote', f.remote, raw.remote_pct);
    if (raw.mix_pct) for (const level of ['entry', 'mid', 'senior'] as const) pct(`mix ${level}`, f.mix[level], raw.mix_pct[level]);
    if (raw.top_skills) {
      const ours = f.topSkills.map((s) => s.name.toLowerCase()).join(', ');
      const theirs = raw.top_skills.map((s) => s.toLowerCase()).join(', ');
      if (ours !== theirs) fail(`${slug} top skills: [${ours}] vs [${theirs}]`);
    }
    if (raw.top_companies) {
      const ours = f.topCompanies.slice(0, raw.top_companies.length).map((c) => `${c.name} ${c.count}`).join(', ');
      const theirs = raw.top_companies.map(([n, c]) => `${n} ${c}`).join(', ');
      if (f.topCompanies.length > 5 || ours !== theirs) fail(`${slug} top companies: [${ours}] vs [${theirs}]`);
    }
    if (raw.top_metros) {
      const ours = f.topMetros.slice(0, raw.top_metros.length).map((m) => m.name).join(', ');
      if (f.topMetros.length > 3 || ours !== raw.top_metros.join(', ')) fail(`${slug} top metros: [${ours}] vs [${raw.top_metros.join(', ')}]`);
    }
  }
  fails.push(...checkComparisons(figures));
  return fails;
}

/** The comparisons' pay facts from the means of the posted maximum. */
function checkComparisons(figures: ReadonlyMap<string, Figures>): string[] {
  const fails: string[] = [];
  const mean = (slug: string) => figures.get(slug)?.mean ?? NaN;
  for (const c of seed.comparisons) {
    const a = mean(c.a);
    const b = mean(c.b);
    const label = `${c.a} vs ${c.b}`;
    if ('pays_similar_within_k' in c && c.pays_similar_within_k !== undefined) {
      if (!(Math.abs(a - b) / 1000 < c.pays_similar_within_k)) fail(`${label}: means ${a} and ${b} are not within $${c.pays_similar_within_k}K`);
    }
    if (c.higher_pay) {
      const [hi, lo] = c.higher_pay === c.a ? [a, b] : [b, a];
      const more = Math.round((hi / lo - 1) * 100);
      const gap = Math.round((hi - lo) / 1000);
      if (!(hi > lo)) fail(`${label}: ${c.higher_pay} does not pay more`);
      if (more !== c.pays_more_pct) fail(`${label}: pays ${more}% more, reference ${c.pays_more_pct}%`);
      // The reference's ceiling gaps came from unrounded means; observed_rules allows +-1.
      if (c.ceiling_gap_k === undefined || Math.abs(gap - c.ceiling_gap_k) > 1) fail(`${label}: ceiling gap ${gap}K, reference ${c.ceiling_gap_k}K`);
    }
    const pa = figures.get(c.a)?.positions;
    const pb = figures.get(c.b)?.positions;
    if (pa !== c.positions[0] || pb !== c.positions[1]) fail(`${label}: positions ${pa}/${pb} vs ${c.positions.join('/')}`);
  }
  return fails;
  function fail(s: string) {
    fails.push(s);
  }
}

/** The headline rule for a pay move: both weeks have >= 15 disclosed and their median intervals do not overlap. */
export function isHeadlineMove(a: Figures, b: Figures): boolean {
  if (a.disclosed < 15 || b.disclosed < 15 || !a.medianCi || !b.medianCi) return false;
  return a.medianCi[1] < b.medianCi[0] || b.medianCi[1] < a.medianCi[0];
}
