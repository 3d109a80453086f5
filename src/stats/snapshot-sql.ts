// The snapshot's SQL (DESIGN.md, "Stats: exact definitions"). Parameters:
// $1 week start, $2 week end (timestamptz), $3 the tracked role slugs in
// catalog order. Ties order by lower(name) COLLATE "C", then name COLLATE "C",
// so PostgreSQL 15 (glibc collation) and PGlite (C) rank alike.

/**
 * One set-based pass: every figure of every tracked role plus the week's
 * total. The open postings are read once into a MATERIALIZED CTE holding only
 * the columns the figures use; every aggregate reads that, never `postings`.
 * Role `other` (and any slug not in $3) counts in the total only.
 */
export const SNAPSHOT_FIGURES_SQL = `
WITH open AS MATERIALIZED (
  SELECT role,
         seniority,
         remote,
         nullif(btrim(company), '') AS company,
         CASE WHEN remote THEN 'Remote' ELSE nullif(btrim(metro), '') END AS metro,
         skills,
         CASE WHEN currency = 'USD' THEN annual_max END AS pay_max,
         CASE WHEN currency = 'USD' AND annual_max IS NOT NULL THEN coalesce(annual_min, annual_max) END AS pay_min
    FROM postings
   WHERE first_seen_at < $2::timestamptz
     AND last_seen_at >= $1::timestamptz
     AND (closed_at IS NULL OR closed_at >= $1::timestamptz)
),
per_role AS (
  SELECT role,
         count(*)::int AS positions,
         count(pay_max)::int AS disclosed,
         avg(pay_min) AS avg_min,
         avg(pay_max) AS avg_max,
         percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY pay_max::float8) AS quartiles,
         count(*) FILTER (WHERE remote)::int AS remote,
         count(*) FILTER (WHERE seniority = 'entry')::int AS entry,
         count(*) FILTER (WHERE seniority = 'mid')::int AS mid,
         count(*) FILTER (WHERE seniority = 'senior')::int AS senior,
         count(pay_max) FILTER (WHERE seniority = 'entry')::int AS entry_n,
         count(pay_max) FILTER (WHERE seniority = 'mid')::int AS mid_n,
         count(pay_max) FILTER (WHERE seniority = 'senior')::int AS senior_n,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY pay_max::float8) FILTER (WHERE seniority = 'entry') AS entry_median,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY pay_max::float8) FILTER (WHERE seniority = 'mid') AS mid_median,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY pay_max::float8) FILTER (WHERE seniority = 'senior') AS senior_median
    FROM open
   GROUP BY role
),
counted AS (
  -- unnest in the select list (ProjectSet) runs ~1.5x faster than a LATERAL join over 4.4M skills.
  SELECT 'skill' AS kind, role, name, count(*)::int AS n
    FROM (SELECT role, unnest(skills) AS name FROM open WHERE role = ANY($3::text[])) s
   WHERE name <> ''
   GROUP BY role, name
  UNION ALL
  SELECT 'company', role, company, count(*)::int
    FROM open
   WHERE role = ANY($3::text[]) AND company IS NOT NULL
   GROUP BY role, company
  UNION ALL
  SELECT 'metro', role, metro, count(*)::int
    FROM open
   WHERE role = ANY($3::text[]) AND metro IS NOT NULL
   GROUP BY role, metro
),
ranked AS (
  SELECT kind, role, name, n,
         row_number() OVER (PARTITION BY kind, role
                            ORDER BY n DESC, lower(name) COLLATE "C", name COLLATE "C") AS rn
    FROM counted
),
tops AS (
  SELECT role,
         jsonb_agg(jsonb_build_object('name', name, 'count', n) ORDER BY rn) FILTER (WHERE kind = 'skill' AND rn <= 8) AS top_skills,
         jsonb_agg(jsonb_build_object('name', name, 'count', n) ORDER BY rn) FILTER (WHERE kind = 'company' AND rn <= 5) AS top_companies,
         jsonb_agg(jsonb_build_object('name', name, 'count', n) ORDER BY rn) FILTER (WHERE kind = 'metro' AND rn <= 3) AS top_metros
    FROM ranked
   WHERE rn <= 8
   GROUP BY role
)
SELECT c.role,
       (SELECT coalesce(sum(positions), 0)::int FROM per_role) AS total,
       coalesce(p.positions, 0) AS positions,
       coalesce(p.disclosed, 0) AS disclosed,
       p.avg_min, p.avg_max,
       p.quartiles[1] AS p25, p.quartiles[2] AS median, p.quartiles[3] AS p75,
       p.avg_max AS mean,
       coalesce(p.remote, 0) AS remote,
       coalesce(p.entry, 0) AS entry, coalesce(p.mid, 0) AS mid, coalesce(p.senior, 0) AS senior,
       coalesce(p.entry_n, 0) AS entry_n, coalesce(p.mid_n, 0) AS mid_n, coalesce(p.senior_n, 0) AS senior_n,
       p.entry_median, p.mid_median, p.senior_median,
       coalesce(t.top_skills, '[]'::jsonb) AS top_skills,
       coalesce(t.top_companies, '[]'::jsonb) AS top_companies,
       coalesce(t.top_metros, '[]'::jsonb) AS top_metros
  FROM unnest($3::text[]) WITH ORDINALITY AS c(role, ord)
  LEFT JOIN per_role p ON p.role = c.role
  LEFT JOIN tops t ON t.role = c.role
 ORDER BY c.ord
`;

/**
 * The median interval's two order statistics per role. $3 roles, $4 lower
 * ranks, $5 upper ranks (1-based), only for roles with disclosed >= 15.
 */
// A second pass because the exact binomial ranks need each role's n, which the pass above produces.
export const SNAPSHOT_MEDIAN_CI_SQL = `
WITH wanted AS (
  SELECT * FROM unnest($3::text[], $4::int[], $5::int[]) AS w(role, lo, hi)
),
ranked AS (
  SELECT role, annual_max::float8 AS pay,
         row_number() OVER (PARTITION BY role ORDER BY annual_max) AS rn
    FROM postings
   WHERE first_seen_at < $2::timestamptz
     AND last_seen_at >= $1::timestamptz
     AND (closed_at IS NULL OR closed_at >= $1::timestamptz)
     AND currency = 'USD' AND annual_max IS NOT NULL
     AND role = ANY($3::text[])
)
SELECT w.role,
       max(r.pay) FILTER (WHERE r.rn = w.lo) AS low,
       max(r.pay) FILTER (WHERE r.rn = w.hi) AS high
  FROM wanted w JOIN ranked r ON r.role = w.role AND (r.rn = w.lo OR r.rn = w.hi)
 GROUP BY w.role
`;

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
