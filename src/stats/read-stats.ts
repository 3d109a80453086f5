// Read stored snapshots back as typed objects (see types.ts).
import type { Db, DbClient } from '../db/database.ts';
import { ROLES } from '../roles/catalog.ts';
import type { LikeForLike } from './like-for-like.ts';
import type { SkillPremium } from './skill-premium.ts';
import type { MetroPay, NameCount, PaySummary, PayWindow, RoleWeekStats, Seniority, SeniorityPay, WeekStats } from './types.ts';
import type { WeekKey } from './week.ts';

type Queryable = Pick<Db | DbClient, 'query'>;

interface WeekRow {
  week: string;
  tz: string;
  starts_at: Date;
  ends_at: Date;
  total: number;
}

interface RoleRow {
  week: string;
  role: string;
  positions: number;
  share: number;
  disclosed: number;
  avg_min: number | null;
  avg_max: number | null;
  p25: number | null;
  median: number | null;
  mean: number | null;
  p75: number | null;
  median_ci_low: number | null;
  median_ci_high: number | null;
  remote: number;
  remote_pct: number | null;
  entry: number;
  mid: number;
  senior: number;
  by_seniority: Record<Seniority, SeniorityPay>;
  top_skills: NameCount[];
  top_companies: NameCount[];
  top_metros: NameCount[];
  like_for_like: LikeForLike | null;
  work_mode: { remote: PaySummary; onsite: PaySummary } | null;
  metro_pay: MetroPay[] | null;
  pay_window: PayWindow | null;
  skill_premium: SkillPremium[] | null;
}

/** What rows snapshotted before migration 0012 read as: no figure (n 0). */
const NO_PAY: PaySummary = { n: 0, median: null, ci: null };

const WEEKS_SQL = `SELECT week, tz, starts_at, ends_at, total FROM weeks`;
const ROLES_SQL = `SELECT * FROM role_weeks`;

/** Snapshotted weeks, oldest first. */
/** Whether any week has been snapshotted. */
export async function anyWeekStored(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM weeks) AS any');
  return rows[0]!.any;
}

export async function listWeeks(db: Queryable): Promise<WeekKey[]> {
  const { rows } = await db.query<{ week: string }>(`SELECT week FROM weeks ORDER BY week`);
  return rows.map((r) => r.week);
}

/** One stored week, or undefined when it has not been snapshotted. */
export async function readWeek(db: Queryable, week: WeekKey): Promise<WeekStats | undefined> {
  const [stats] = await readWeeks(db, [week]);
  return stats;
}

/**
 * The last `lastN` snapshotted weeks (all when omitted), oldest first; with
 * `role`, each week carries only that role's row.
 */
export async function readHistory(db: Queryable, role?: string, lastN?: number): Promise<WeekStats[]> {
  const { rows } = await db.query<{ week: string }>(
    `SELECT week FROM (SELECT week FROM weeks ORDER BY week DESC LIMIT $1) w ORDER BY week`,
    [lastN ?? null],
  );
  return readWeeks(
    db,
    rows.map((r) => r.week),
    role,
  );
}

async function readWeeks(db: Queryable, weeks: WeekKey[], role?: string): Promise<WeekStats[]> {
  if (weeks.length === 0) return [];
  const w = await db.query<WeekRow>(`${WEEKS_SQL} WHERE week = ANY($1::text[]) ORDER BY week`, [weeks]);
  const r = await db.query<RoleRow>(`${ROLES_SQL} WHERE week = ANY($1::text[]) AND ($2::text IS NULL OR role = $2)`, [
    weeks,
    role ?? null,
  ]);
  const byWeek = new Map<string, RoleRow[]>();
  for (const row of r.rows) {
    const list = byWeek.get(row.week) ?? [];
    list.push(row);
    byWeek.set(row.week, list);
  }
  return w.rows.map((row) => ({
    week: row.week,
    tz: row.tz,
    start: row.starts_at,
    end: row.ends_at,
    total: row.total,
    roles: sortByCatalog(byWeek.get(row.week) ?? []).map(toRoleStats),
  }));
}

const catalogOrder = new Map(ROLES.map((r, i) => [r.slug, i]));
function sortByCatalog(rows: RoleRow[]): RoleRow[] {
  const rank = (slug: string) => catalogOrder.get(slug) ?? ROLES.length;
  return [...rows].sort((a, b) => rank(a.role) - rank(b.role) || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
}

function toRoleStats(r: RoleRow): RoleWeekStats {
  return {
    week: r.week,
    role: r.role,
    positions: r.positions,
    share: r.share,
    disclosed: r.disclosed,
    avgMin: r.avg_min,
    avgMax: r.avg_max,
    p25: r.p25,
    median: r.median,
    mean: r.mean,
    p75: r.p75,
    medianCi: r.median_ci_low !== null && r.median_ci_high !== null ? [r.median_ci_low, r.median_ci_high] : null,
    remote: r.remote,
    remotePct: r.remote_pct,
    mix: { entry: r.entry, mid: r.mid, senior: r.senior },
    bySeniority: r.by_seniority,
    topSkills: r.top_skills,
    topCompanies: r.top_companies,
    topMetros: r.top_metros,
    likeForLike: r.like_for_like,
    workMode: r.work_mode ?? { remote: NO_PAY, onsite: NO_PAY },
    metroPay: r.metro_pay ?? [],
    payWindow: r.pay_window,
    skillPremium: r.skill_premium,
  };
}
