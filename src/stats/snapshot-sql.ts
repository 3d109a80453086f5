// The snapshot's SQL (DESIGN.md, "Stats: exact definitions"). Parameters:
// $1 week start, $2 week end (timestamptz), $3 the tracked role slugs. Ties
// order by lower(name) COLLATE "C", then name COLLATE "C", so PostgreSQL 15
// (glibc collation) and PGlite (C) rank alike.

// The open-in-week filter, repeated in each statement: each statement scans
// `postings` itself (a MATERIALIZED CTE, as an earlier version used, is never
// scanned by parallel workers, nor shared between sessions).
const OPEN_IN_WEEK = `first_seen_at < $2::timestamptz
     AND last_seen_at >= $1::timestamptz
     AND (closed_at IS NULL OR closed_at >= $1::timestamptz)`;

/**
 * The ranking shared by the top-names lists: `counted` yields (role, name, n)
 * for names that count; the top `limit` of each role come back as a jsonb
 * array of {name, count}, ties by lower(name) COLLATE "C", then name COLLATE
 * "C". Only roles with at least one name come back.
 */
function topNamesSql(counted: string, limit: number): string {
  return `
SELECT role, jsonb_agg(jsonb_build_object('name', name, 'count', n) ORDER BY rn) AS top
  FROM (SELECT role, name, n,
               row_number() OVER (PARTITION BY role COLLATE "C"
                                  ORDER BY n DESC, lower(name) COLLATE "C", name COLLATE "C") AS rn
          FROM (SELECT role, name, n, rank() OVER (PARTITION BY role COLLATE "C" ORDER BY n DESC) AS by_count
                  FROM (${counted}) counted) c
         -- Only names that can make the list (ties at the cut included) pay for lower() and the collated sort.
         WHERE by_count <= ${limit}) ranked
 WHERE rn <= ${limit}
 GROUP BY role`;
}

/**
 * Per (role, seniority, remote, metro as stored) of the week's open postings,
 * every role (`other` included, so the rows add up to the week's total):
 * counts, and for tracked roles ($3) the disclosed USD maxima (numeric[],
 * unsorted, which pg reads into doubles exactly as ::float8 would round them:
 * both are correctly rounded decimal conversions), from which the quartiles,
 * the per-level medians and the median interval are read (see percentile.ts). On each of a role's rows:
 * avg_min/avg_max, the role's exact numeric means (the same numeric sum /
 * count that avg() divides), and top_metros, its top 3 metros (remote postings
 * count as "Remote"). One scan of `postings`; values are cleaned up (btrim)
 * per group, not per posting.
 */
export const SNAPSHOT_ROLE_FIGURES_SQL = `
WITH g AS (
  SELECT role, seniority, remote, metro,
         count(*)::int AS positions,
         count(pay_max)::int AS disclosed,
         sum(pay_min) AS sum_min,
         sum(pay_max) AS sum_max,
         array_agg(pay_max) FILTER (WHERE pay_max IS NOT NULL AND role = ANY($3::text[])) AS pays
    FROM (SELECT role, seniority, remote, metro,
                 CASE WHEN currency = 'USD' THEN annual_max END AS pay_max,
                 CASE WHEN currency = 'USD' AND annual_max IS NOT NULL THEN coalesce(annual_min, annual_max) END AS pay_min
            FROM postings
           WHERE ${OPEN_IN_WEEK}) o
   GROUP BY role, seniority, remote, metro
),
metros AS (${topNamesSql(
  `SELECT role, name, sum(positions)::int AS n
     FROM (SELECT role, CASE WHEN remote THEN 'Remote' ELSE nullif(btrim(metro), '') END AS name, positions
             FROM g
            WHERE role = ANY($3::text[])) m
    WHERE name IS NOT NULL
    GROUP BY role, name`,
  3,
)}
)
SELECT g.role, seniority, positions, CASE WHEN remote THEN positions ELSE 0 END AS remote, disclosed, pays,
       sum(sum_min) OVER r / nullif(sum(disclosed) OVER r, 0)::numeric AS avg_min,
       sum(sum_max) OVER r / nullif(sum(disclosed) OVER r, 0)::numeric AS avg_max,
       m.top AS top_metros
  FROM g
  LEFT JOIN metros m ON m.role = g.role
WINDOW r AS (PARTITION BY g.role)
`;

/**
 * Top 8 skills of each tracked role ($3). Unnested per posting: grouping by
 * the whole skills array first pays off only when feeds repeat the same lists
 * (2x faster on the ingest bench, 1.5x slower on the snapshot bench's varied
 * lists), so it is not done.
 */
export const SNAPSHOT_TOP_SKILLS_SQL = topNamesSql(
  `SELECT role, name, count(*)::int AS n
     FROM (SELECT role, unnest(skills) AS name
             FROM postings
            WHERE ${OPEN_IN_WEEK} AND role = ANY($3::text[])) s
    WHERE name <> ''
    GROUP BY role, name`,
  8,
);

/** Top 5 companies of each tracked role ($3); blank ones do not count. Grouped as stored, then trimmed. */
export const SNAPSHOT_TOP_COMPANIES_SQL = topNamesSql(
  `SELECT role, name, sum(n)::int AS n
     FROM (SELECT role, nullif(btrim(company), '') AS name, n
             FROM (SELECT role, company, count(*) AS n
                     FROM postings
                    WHERE ${OPEN_IN_WEEK} AND role = ANY($3::text[])
                    GROUP BY role, company) stored) c
    WHERE name IS NOT NULL
    GROUP BY role, name`,
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
