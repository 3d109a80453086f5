// The snapshot's SQL (definitions: docs/methodology.md). Parameters of
// the scan: $1 week start, $2 week end (timestamptz). The open-in-week rule
// and the order of the top lists: docs/methodology.md, "Rules at the edges".

// The snapshot reads `posting_facts` (migrations/0007), where names are ids
// into fact_names: one statement per part of the table (a range of its pages,
// so that sessions can share the scan), grouped per (role, seniority, remote,
// metro); the top lists are counted from the ids it returns (name-tally.ts)
// and named, merged and ordered in Node (top-names.ts), so that PostgreSQL 15
// (glibc collation) and PGlite (C) rank alike.

/**
 * The open-in-week rule over posting_facts, for the week [$1, $2): first seen
 * before the week ends, last seen at or after it starts, and closed (open_until;
 * 'infinity' while open) after it starts, so a posting closed at the week's
 * first instant was never open in it.
 */
export const OPEN_IN_WEEK_SQL = `first_seen_at < $2::timestamptz
           AND last_seen_at >= $1::timestamptz
           AND open_until > $1::timestamptz`;

/** The same rule for the two weeks [$3, $2): this one and the one before ($3 its start). */
const OPEN_IN_EITHER_WEEK_SQL = `first_seen_at < $2::timestamptz
           AND last_seen_at >= $3::timestamptz
           AND open_until > $3::timestamptz`;

/**
 * Per (role, seniority, remote, metro id) of the week's open postings in the
 * part (OPEN_IN_WEEK_SQL), every role (`other` included, so the rows add up to the week's
 * total): counts; the numeric sums of pay_min and pay_max as text (exact, for
 * SNAPSHOT_MEANS_SQL); the disclosed USD maxima as float8 (correctly rounded,
 * as pg would also read the numeric text), unsorted, as one bytea of their
 * big-endian binary forms (float8send; 8 bytes each, no text to parse), from
 * which the quartiles, the per-level medians and the median interval are
 * read (see percentile.ts); and its postings' name_ids (company id, then
 * skill ids), each posting after the first preceded by ':' when it discloses
 * pay and ';' when not (string_agg drops the first separator; the rows reach
 * both aggregates in the same order, so the k-th ':' posting is the k-th pay:
 * the skill premium, skill-premium.ts). With `from` / `to`, only the pages from / up to
 * (not including) the tid parameters after the week's; with `by` 'seen', the
 * postings last seen from / before the timestamptz parameters there instead
 * (read over the index of migration 0016; snapshot-scan.ts chooses).
 *
 * With `previous`, the same scan also returns the postings open in the week
 * before ($3 its start; it ends where this week starts, $1), for the
 * like-for-like change (like-for-like.ts): each group says whether its
 * postings are open in this week (in_cur) and in the week before (in_prev);
 * counts, sums and names are of this week's postings only.
 */
export function snapshotPartSql(from: boolean, to: boolean, previous = false, by: 'pages' | 'seen' = 'pages'): string {
  const first = previous ? 4 : 3;
  const [col, type] = by === 'pages' ? ['ctid', 'tid'] : ['last_seen_at', 'timestamptz'];
  const range = [from ? `${col} >= $${first}::${type}` : '', to ? `${col} < $${from ? first + 1 : first}::${type}` : ''].filter(Boolean);
  const inCur = previous ? `(last_seen_at >= $1::timestamptz AND open_until > $1::timestamptz)` : 'true';
  const inPrev = previous ? `(first_seen_at < $1::timestamptz)` : 'false';
  const onlyCur = previous ? ` FILTER (WHERE ${inCur})` : '';
  return `
SELECT r.name AS role, (ARRAY['entry', 'mid', 'senior'])[g.seniority + 1] AS seniority, g.remote, g.metro_id,
       g.in_cur, g.in_prev, g.positions, g.disclosed, g.sum_min, g.sum_max, g.pays, g.names
  FROM (SELECT role_id, seniority, remote, metro_id, ${inCur} AS in_cur, ${inPrev} AS in_prev,
               count(*)::int AS positions,
               count(pay_max)::int AS disclosed,
               sum(pay_min)::text AS sum_min,
               sum(pay_max)::text AS sum_max,
               string_agg(pay_bin, ''::bytea) AS pays,
               string_agg(name_ids, CASE WHEN pay_bin IS NULL THEN ';' ELSE ':' END)${onlyCur} AS names
          FROM posting_facts
         WHERE ${previous ? OPEN_IN_EITHER_WEEK_SQL : OPEN_IN_WEEK_SQL}${range.map((r) => `
           AND ${r}`).join('')}
         GROUP BY 1, 2, 3, 4, 5, 6) g
  JOIN fact_names r ON r.id = g.role_id`;
}

/** Pages of posting_facts, to split the scan into parts. */
export const FACT_PAGES_SQL = `SELECT (pg_relation_size('posting_facts') / current_setting('block_size')::int)::int AS pages`;

/**
 * Each role's exact numeric means, the same numeric sum / count that avg()
 * divides, from the parts' sums: $1 roles, $2 sums of pay_min, $3 sums of
 * pay_max (numeric as text), $4 disclosed counts, one element per part row.
 */
export const SNAPSHOT_MEANS_SQL = `
SELECT role,
       sum(s_min::numeric) / nullif(sum(d), 0)::numeric AS avg_min,
       sum(s_max::numeric) / nullif(sum(d), 0)::numeric AS avg_max
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS t(role, s_min, s_max, d)
 GROUP BY role`;

/** The spellings of the name ids the top lists counted: $1 the ids. */
export const SNAPSHOT_NAMES_SQL = `SELECT id, name FROM fact_names WHERE id = ANY($1::int[])`;

export const DELETE_WEEK_SQL = `DELETE FROM weeks WHERE week = $1`;

export const INSERT_WEEK_SQL = `
INSERT INTO weeks (week, tz, starts_at, ends_at, total, cells_stored) VALUES ($1, $2, $3, $4, $5, $6)`;

/** $1 week, $2 a JSON array of role rows (keys as the column names). */
export const INSERT_ROLE_WEEKS_SQL = `
INSERT INTO role_weeks (week, role, positions, share, disclosed, avg_min, avg_max, p25, median, mean, p75,
                        median_ci_low, median_ci_high, remote, remote_pct, entry, mid, senior,
                        by_seniority, top_skills, top_companies, top_metros, like_for_like, work_mode, metro_pay, pay_window,
                        skill_premium)
SELECT $1, r.role, r.positions, r.share, r.disclosed, r.avg_min, r.avg_max, r.p25, r.median, r.mean, r.p75,
       r.median_ci_low, r.median_ci_high, r.remote, r.remote_pct, r.entry, r.mid, r.senior,
       r.by_seniority, r.top_skills, r.top_companies, r.top_metros, r.like_for_like, r.work_mode, r.metro_pay, r.pay_window,
       r.skill_premium
  FROM jsonb_to_recordset($2::jsonb) AS r(role text, positions int, share float8, disclosed int,
       avg_min float8, avg_max float8, p25 float8, median float8, mean float8, p75 float8,
       median_ci_low float8, median_ci_high float8, remote int, remote_pct float8,
       entry int, mid int, senior int, by_seniority jsonb, top_skills jsonb, top_companies jsonb, top_metros jsonb,
       like_for_like jsonb, work_mode jsonb, metro_pay jsonb, pay_window jsonb, skill_premium jsonb)`;

/** A week's stored cell pays, if it has them ($1 week): the previous week of a like-for-like change. */
export const STORED_CELLS_SQL = `
SELECT c.role, c.seniority, c.remote, c.metro_id, c.pays
  FROM weeks w JOIN role_week_cells c ON c.week = w.week
 WHERE w.week = $1 AND w.cells_stored
 ORDER BY c.role, c.seniority, c.remote, c.metro_id`;

/**
 * $1 week; per cell: $2 role, $3 seniority, $4 remote, $5 metro id, $7 offset
 * and $8 length of its pays in $6, one bytea of every cell's pays (sent as
 * binary, half the bytes of hex text).
 */
export const INSERT_CELLS_SQL = `
INSERT INTO role_week_cells (week, role, seniority, remote, metro_id, pays)
SELECT $1, role, seniority, remote, metro_id, substring($6::bytea FROM off + 1 FOR len)
  FROM unnest($2::text[], $3::text[], $4::bool[], $5::int[], $7::int[], $8::int[]) AS t(role, seniority, remote, metro_id, off, len)`;

/**
 * Disclosed pays of the named roles ($3) over a rolling window ($1 its first
 * week's start, $2 this week's end): each posting open in any week of it
 * counted once.
 */
export const WINDOW_PAYS_SQL = `
SELECT r.name AS role, string_agg(f.pay_bin, ''::bytea) AS pays
  FROM posting_facts f
  JOIN fact_names r ON r.id = f.role_id
 WHERE r.name = ANY($3::text[])
   AND f.pay_bin IS NOT NULL
   AND f.first_seen_at < $2::timestamptz
   AND f.last_seen_at >= $1::timestamptz
   AND f.open_until > $1::timestamptz
 GROUP BY r.name`;
