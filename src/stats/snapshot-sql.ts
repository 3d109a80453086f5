// The snapshot's SQL (DESIGN.md, "Stats: exact definitions"). Parameters:
// $1 week start, $2 week end (timestamptz), $3 the tracked role slugs. Ties
// order by lower(name) COLLATE "C", then name COLLATE "C", so PostgreSQL 15
// (glibc collation) and PGlite (C) rank alike.

// The open-in-week filter, repeated in each statement: each statement scans
// `posting_facts` (migrations/0007) itself (a MATERIALIZED CTE, as an earlier
// version used, is never scanned by parallel workers, nor shared between
// sessions). Names there are ids into fact_names; only the few names that can
// make a list are looked up.
const OPEN_IN_WEEK = `first_seen_at < $2::timestamptz
     AND last_seen_at >= $1::timestamptz
     AND open_until >= $1::timestamptz`;

/** The ids of the tracked roles ($3), as an array (an InitPlan, run once). */
const TRACKED = `ARRAY(SELECT id FROM fact_names WHERE name = ANY($3::text[]))`;

/**
 * The ranking shared by the top-names lists: `counted` yields (role_id,
 * name_id, n) for names that count; the top `limit` of each role come back as
 * a jsonb array of {name, count}, ties by lower(name) COLLATE "C", then name
 * COLLATE "C". Only roles with at least one name come back.
 */
function topNamesSql(counted: string, limit: number): string {
  return `
SELECT role, jsonb_agg(jsonb_build_object('name', name, 'count', n) ORDER BY rn) AS top
  FROM (SELECT r.name AS role, d.name, c.n,
               row_number() OVER (PARTITION BY c.role_id
                                  ORDER BY c.n DESC, lower(d.name) COLLATE "C", d.name COLLATE "C") AS rn
          FROM (SELECT role_id, name_id, n, rank() OVER (PARTITION BY role_id ORDER BY n DESC) AS by_count
                  FROM (${counted}) counted) c
          JOIN fact_names r ON r.id = c.role_id
          JOIN fact_names d ON d.id = c.name_id
         -- Only names that can make the list (ties at the cut included) pay for lower() and the collated sort.
         WHERE c.by_count <= ${limit}) ranked
 WHERE rn <= ${limit}
 GROUP BY role`;
}

/**
 * Per (role, seniority, remote, metro) of the week's open postings, every
 * role (`other` included, so the rows add up to the week's total): counts,
 * and for tracked roles ($3) the disclosed USD maxima (numeric[], unsorted,
 * which pg reads into doubles exactly as ::float8 would round them: both are
 * correctly rounded decimal conversions), from which the quartiles, the
 * per-level medians and the median interval are read (see percentile.ts). On
 * each of a role's rows: avg_min/avg_max, the role's exact numeric means (the
 * same numeric sum / count that avg() divides), and top_metros, its top 3
 * metros (remote postings count as "Remote"). One scan of `posting_facts`.
 */
export const SNAPSHOT_ROLE_FIGURES_SQL = `
WITH g AS (
  SELECT role_id, seniority, remote, metro_id,
         count(*)::int AS positions,
         count(pay_max)::int AS disclosed,
         sum(pay_min) AS sum_min,
         sum(pay_max) AS sum_max,
         array_agg(pay_max) FILTER (WHERE pay_max IS NOT NULL AND role_id = ANY(${TRACKED})) AS pays
    FROM posting_facts
   WHERE ${OPEN_IN_WEEK}
   GROUP BY role_id, seniority, remote, metro_id
),
metros AS (${topNamesSql(
  `SELECT role_id, metro_id AS name_id, sum(positions)::int AS n
     FROM g
    WHERE metro_id <> 0 AND role_id = ANY(${TRACKED})
    GROUP BY role_id, metro_id`,
  3,
)}
)
SELECT r.name AS role, (ARRAY['entry', 'mid', 'senior'])[g.seniority + 1] AS seniority, positions,
       CASE WHEN remote THEN positions ELSE 0 END AS remote, disclosed, pays,
       sum(sum_min) OVER w / nullif(sum(disclosed) OVER w, 0)::numeric AS avg_min,
       sum(sum_max) OVER w / nullif(sum(disclosed) OVER w, 0)::numeric AS avg_max,
       m.top AS top_metros
  FROM g
  JOIN fact_names r ON r.id = g.role_id
  LEFT JOIN metros m ON m.role = r.name
WINDOW w AS (PARTITION BY g.role_id)
`;

/** Top 8 skills of each tracked role ($3), unnested per posting. */
export const SNAPSHOT_TOP_SKILLS_SQL = topNamesSql(
  `SELECT role_id, name_id, count(*)::int AS n
     FROM (SELECT role_id, unnest(skills) AS name_id
             FROM posting_facts
            WHERE ${OPEN_IN_WEEK} AND role_id = ANY(${TRACKED})) s
    GROUP BY role_id, name_id`,
  8,
);

/** Top 5 companies of each tracked role ($3); blank ones do not count. */
export const SNAPSHOT_TOP_COMPANIES_SQL = topNamesSql(
  `SELECT role_id, company_id AS name_id, count(*)::int AS n
     FROM posting_facts
    WHERE ${OPEN_IN_WEEK} AND role_id = ANY(${TRACKED}) AND company_id <> 0
    GROUP BY role_id, company_id`,
  5,
);

export const DELETE_WEEK_SQL = `DELETE FROM weeks WHERE week = $1`;

export const INSERT_WEEK_SQL = `
INSERT INTO weeks (week, tz, starts_at, ends_at, total) VALUES ($1, $2, $3, $4, $5)`;

/** $1 week, $2 a JSON array of role rows (keys as the column names). */
export const INSERT_ROLE_WEEKS_SQL = `
INSERT INTO role_weeks (week, role, positions, share, disclosed, avg_min, avg_max, p25, median, mean, p75,
                        median_ci_low, median_ci_high, remote, remote_pct, entry, mid, senior,
                        by_seniority, top_skills, top_companies, top_metros)
SELECT $1, r.role, r.positions, r.share, r.disclosed, r.avg_min, r.avg_max, r.p25, r.median, r.mean, r.p75,
       r.median_ci_low, r.median_ci_high, r.remote, r.remote_pct, r.entry, r.mid, r.senior,
       r.by_seniority, r.top_skills, r.top_companies, r.top_metros
  FROM jsonb_to_recordset($2::jsonb) AS r(role text, positions int, share float8, disclosed int,
       avg_min float8, avg_max float8, p25 float8, median float8, mean float8, p75 float8,
       median_ci_low float8, median_ci_high float8, remote int, remote_pct float8,
       entry int, mid int, senior int, by_seniority jsonb, top_skills jsonb, top_companies jsonb, top_metros jsonb)`;
