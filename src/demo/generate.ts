// Demo postings: for each week, feed records whose snapshot reproduces the
// week's profile (see profile.ts) exactly. Deterministic: the same arguments
// give byte-identical records (a seeded PRNG, never Math.random). Pure.
import { weekRange, weeksEndingAt, type WeekKey, type WeekRange } from '../stats/week.ts';
import { labels, skillCounts, spread, zipf, type Counts } from './allocate.ts';
import { buildPay, HOURS_PER_YEAR, type PayValue } from './pay.ts';
import { profileForWeek, type DemoProfile, type RoleProfile } from './profile.ts';
import { createRng, shuffle, sampleIndices, type Rng } from '../stats/rng.ts';
import {
  ENTRY_WORDS,
  FOREIGN_METROS,
  LOCAL_PAY_FACTOR,
  METRO_BY_NAME,
  OPENERS,
  REMOTE,
  SENIOR_WORDS,
  TEAMS,
  US_METROS,
} from './vocabulary.ts';

type Seniority = 'entry' | 'mid' | 'senior';

/** One posting in the feed's shape (the JSONL keys ingest reads). */
export type FeedRecord = {
  source: string;
  external_id: string;
  title: string;
  company: string;
  location: string;
  metro: string;
  remote: boolean;
  seniority: Seniority;
  salary_min: number | null;
  salary_max: number | null;
  currency: string | null;
  period: 'year' | 'hour' | null;
  skills: string[];
  description: string;
  posted_at: string;
  seen_at: string;
};

export const DEMO_SOURCE = 'demo';
const DEFAULT_SEED = 'salary-trends-demo';

export interface DemoOptions {
  weeks: number;
  endWeek: WeekKey;
  tz: string;
  seed?: string;
  source?: string;
}

export interface DemoWeek {
  week: WeekKey;
  records: FeedRecord[];
}

/** The weeks of a demo run, oldest first, each with its records. */
export function* generateDemoWeeks(opts: DemoOptions): Generator<DemoWeek> {
  if (!Number.isInteger(opts.weeks) || opts.weeks < 1) throw new RangeError(`weeks must be a whole number >= 1, got ${opts.weeks}`);
  const seed = opts.seed ?? DEFAULT_SEED;
  const keys = weeksEndingAt(opts.endWeek, opts.weeks);
  for (const [i, week] of keys.entries()) {
    const profile = profileForWeek(keys.length - 1 - i);
    const rng = createRng(`${seed}:${week}`);
    yield { week, records: generateWeek(profile, weekRange(week, opts.tz), rng, opts.source ?? DEMO_SOURCE) };
  }
}

/** Every record of a demo run, oldest week first (about 26k per week). */
export function* generateDemo(opts: DemoOptions): Generator<FeedRecord> {
  for (const w of generateDemoWeeks(opts)) yield* w.records;
}

/** The records of one week: every role of the profile, seen inside the week. */
function generateWeek(profile: DemoProfile, week: WeekRange, rng: Rng, source = DEMO_SOURCE): FeedRecord[] {
  const out: FeedRecord[] = [];
  for (const role of profile.roles) generateRole(role, week, rng, source, out);
  return out;
}

interface Draft {
  seniority: Seniority;
  metro: string;
  company: string;
  skills: string[];
  pay: PayValue | undefined;
  foreignPay: { min: number; max: number; currency: string } | undefined;
}

function generateRole(p: RoleProfile, week: WeekRange, rng: Rng, source: string, out: FeedRecord[]): void {
  const n = p.positions;
  if (n <= 0) return;
  const drafts: Draft[] = [];
  const seniority = shuffle(labels([['entry', p.entry], ['senior', p.senior], ['mid', n - p.entry - p.senior]]), rng) as Seniority[];
  const metros = shuffle(labels(metroCounts(p)), rng);
  const companies = shuffle(labels(companyCounts(p)), rng);
  for (let i = 0; i < n; i++) {
    drafts.push({ seniority: seniority[i]!, metro: metros[i]!, company: companies[i]!, skills: [], pay: undefined, foreignPay: undefined });
  }
  assignSkills(drafts, skillCounts(p.skills, n), rng);
  assignPay(drafts, p, rng);

  const teams = TEAMS[p.role] ?? TEAMS.other!;
  const span = week.end.getTime() - week.start.getTime() - 60_000;
  for (const [i, d] of drafts.entries()) {
    const remote = d.metro === REMOTE;
    const place = METRO_BY_NAME.get(d.metro);
    const seen = new Date(week.start.getTime() + Math.floor(rng.next() * span / 1000) * 1000);
    const posted = new Date(seen.getTime() - Math.floor(rng.next() * 14 * 86_400) * 1000);
    const title = titleFor(p, d.seniority, rng);
    const pay = salaryFields(d);
    out.push({
      source,
      external_id: `${week.key}-${p.role}-${String(i + 1).padStart(5, '0')}`,
      title,
      company: d.company,
      location: remote ? REMOTE : place!.location,
      metro: d.metro,
      remote,
      seniority: d.seniority,
      ...pay,
      skills: d.skills,
      description: describe(rng.pick(teams), remote ? 'remotely' : `in ${d.metro}`, d.skills, rng),
      posted_at: posted.toISOString(),
      seen_at: seen.toISOString(),
    });
  }
}

function metroCounts(p: RoleProfile): Counts {
  const n = p.positions;
  const named = p.metros.reduce((s, [, c]) => s + c, 0);
  const limits = [...p.metros.map(([, c]) => c), ...(p.remoteAboveRest ? [p.remote] : [])];
  const cap = limits.length > 0 ? Math.max(1, Math.min(...limits) - 1) : Number.POSITIVE_INFINITY;
  const rest = n - p.remote - named;
  if (rest < 0) throw new RangeError(`${p.role}: named metros and remote exceed ${n} positions`);
  const foreign = Math.min(rest, Math.round(p.foreignShare * n));
  const excluded = new Set(p.metros.map(([m]) => m));
  const usPool = US_METROS.filter((m) => !excluded.has(m.metro)).map((m) => [m.metro, m.weight] as const);
  const foreignPool = FOREIGN_METROS.map((m) => [m.metro, m.weight] as const);
  const step = Number.isFinite(cap) ? Math.floor(cap * 0.04) : 0;
  return [
    [REMOTE, p.remote],
    ...p.metros.map(([m, c]) => [m, c] as [string, number]),
    ...spread(rest - foreign, usPool, cap, step),
    ...(foreign > 0 ? spread(foreign, foreignPool, cap) : []),
  ];
}

function companyCounts(p: RoleProfile): Counts {
  const named = p.companies.reduce((s, [, c]) => s + c, 0);
  const cap = p.companies.length > 0 ? Math.max(1, p.companies[p.companies.length - 1]![1] - 1) : Number.POSITIVE_INFINITY;
  const excluded = new Set(p.companies.map(([c]) => c));
  const pool = p.companyPool.filter((c) => !excluded.has(c));
  return [...p.companies.map(([c, k]) => [c, k] as [string, number]), ...spread(p.positions - named, zipf(pool, 0.7), cap)];
}

/** Each skill to exactly its count of postings, then no posting left without a skill (moving, never adding). */
function assignSkills(drafts: Draft[], counts: Counts, rng: Rng): void {
  const n = drafts.length;
  const scratch = new Int32Array(n);
  for (const [skill, c] of counts) for (const i of sampleIndices(n, c, rng, scratch)) drafts[i]!.skills.push(skill);
  for (const d of drafts) {
    if (d.skills.length > 0) continue;
    for (let tries = 0; tries < 10 * n; tries++) {
      const donor = drafts[Math.floor(rng.next() * n)]!;
      if (donor.skills.length < 2) continue;
      d.skills.push(donor.skills.splice(Math.floor(rng.next() * donor.skills.length), 1)[0]!);
      break;
    }
  }
}

const LEVEL: Record<Seniority, number> = { entry: 0, mid: 1, senior: 2 };

/** Disclosed USD pay for the chosen postings (higher levels tend to get the higher values); local pay for some abroad. */
function assignPay(drafts: Draft[], p: RoleProfile, rng: Rng): void {
  const domestic: number[] = [];
  const abroad: number[] = [];
  for (const [i, d] of drafts.entries()) (METRO_BY_NAME.get(d.metro)?.currency ? abroad : domestic).push(i);
  const want = Math.min(p.disclosed, domestic.length);
  if (want >= 5) {
    const chosen = sampleIndices(domestic.length, want, rng).map((j) => domestic[j]!);
    const scored = chosen.map((i) => ({ i, score: LEVEL[drafts[i]!.seniority] + 0.9 * rng.normal() })).sort((a, b) => a.score - b.score);
    const pay = buildPay({ ...p.pay, n: want }, rng);
    for (const [k, s] of scored.entries()) drafts[s.i]!.pay = pay[k]!;
  }
  for (const i of abroad) {
    if (rng.next() < 0.4) continue;
    const currency = METRO_BY_NAME.get(drafts[i]!.metro)!.currency!;
    const max = Math.round((p.pay.median * (0.6 + rng.next() * 0.6) * LOCAL_PAY_FACTOR[currency]!) / 1000) * 1000;
    drafts[i]!.foreignPay = { max, min: Math.round((max * 0.8) / 1000) * 1000, currency };
  }
}

function salaryFields(d: Draft): Pick<FeedRecord, 'salary_min' | 'salary_max' | 'currency' | 'period'> {
  if (d.pay) {
    const h = d.pay.hourly;
    return {
      salary_min: h ? d.pay.min / HOURS_PER_YEAR : d.pay.min,
      salary_max: h ? d.pay.max / HOURS_PER_YEAR : d.pay.max,
      currency: 'USD',
      period: h ? 'hour' : 'year',
    };
  }
  if (d.foreignPay) return { salary_min: d.foreignPay.min, salary_max: d.foreignPay.max, currency: d.foreignPay.currency, period: 'year' };
  return { salary_min: null, salary_max: null, currency: null, period: null };
}

function titleFor(p: RoleProfile, level: Seniority, rng: Rng): string {
  const base = rng.pick(p.titles);
  if (level === 'senior') return `${rng.pick(SENIOR_WORDS)} ${base}`;
  if (level === 'entry') return `${rng.pick(ENTRY_WORDS)} ${base}`;
  return base;
}

function describe(team: string, place: string, skills: readonly string[], rng: Rng): string {
  const opener = rng.pick(OPENERS).replace('{team}', team).replace('{place}', place);
  const named = skills.slice(0, 3);
  if (named.length === 0) return opener;
  const list = named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]!}`;
  return `${opener} Day to day you will use ${list}.`;
}
