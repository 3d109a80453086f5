// The bulk upsert of postings: one multi-row statement per chunk.
//
// first_seen_at is the seen_at of the earliest feed row that showed the
// posting and last_seen_at the latest (a posting is first seen when a feed
// first shows it); posted_at is kept as the employer's claim, for
// information only: it does not decide whether a posting was open in a week.
// A re-ingest can only widen [first_seen_at, last_seen_at], never narrow it.
// Descriptive columns (title, pay, skills, closed_at ...) follow the newest
// sighting: an older file loaded later does not overwrite them. A row whose
// stored values would not change is not rewritten at all (re-ingesting the
// same file writes no new tuples).
import type { Db } from '../db/database.ts';
import type { PostingRow } from './normalize.ts';

export interface UpsertRow extends PostingRow {
  firstSeenAt: Date;
  lastSeenAt: Date;
}

// Skills travel as one string per row joined by a control character (which
// normalizeSkills strips from names): unnest() cannot unnest text[][] as rows.
const SKILL_SEP = '\u001f';

const COLUMNS: [name: string, type: string][] = [
  ['source', 'text'], ['external_id', 'text'], ['title', 'text'], ['company', 'text'], ['location', 'text'],
  ['metro', 'text'], ['remote', 'boolean'], ['role', 'text'], ['seniority', 'text'], ['salary_min', 'numeric'],
  ['salary_max', 'numeric'], ['currency', 'text'], ['period', 'text'], ['annual_min', 'numeric'], ['annual_max', 'numeric'],
  ['skills', 'text'], ['description', 'text'], ['posted_at', 'timestamptz'], ['first_seen_at', 'timestamptz'],
  ['last_seen_at', 'timestamptz'], ['closed_at', 'timestamptz'],
];
const DESCRIPTIVE = [
  'title', 'company', 'location', 'metro', 'remote', 'role', 'seniority', 'salary_min', 'salary_max', 'currency',
  'period', 'annual_min', 'annual_max', 'skills', 'description', 'posted_at', 'closed_at',
];
const newer = 'excluded.last_seen_at >= p.last_seen_at';

const UPSERT_SQL = `
WITH up AS (
  INSERT INTO postings AS p (${COLUMNS.map(([c]) => c).join(', ')})
  SELECT ${COLUMNS.map(([c]) => (c === 'skills' ? `string_to_array(t.skills, E'\\x1f')` : `t.${c}`)).join(', ')}
  FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
    AS t(${COLUMNS.map(([c]) => c).join(', ')})
  ON CONFLICT (source, external_id) DO UPDATE SET
    first_seen_at = least(p.first_seen_at, excluded.first_seen_at),
    last_seen_at = greatest(p.last_seen_at, excluded.last_seen_at),
    ${DESCRIPTIVE.map((c) => `${c} = CASE WHEN ${newer} THEN excluded.${c} ELSE p.${c} END`).join(',\n    ')},
    updated_at = now()
  WHERE excluded.first_seen_at < p.first_seen_at
     OR excluded.last_seen_at > p.last_seen_at
     OR (${newer} AND (${DESCRIPTIVE.map((c) => `p.${c}`).join(', ')})
                      IS DISTINCT FROM (${DESCRIPTIVE.map((c) => `excluded.${c}`).join(', ')}))
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS changed FROM up`;

/** Merge rows naming the same (source, external_id): ON CONFLICT cannot touch one row twice in a statement. */
export function mergeDuplicates(rows: readonly PostingRow[]): UpsertRow[] {
  const byKey = new Map<string, UpsertRow>();
  for (const r of rows) {
    const key = `${r.source}\u0000${r.externalId}`;
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, { ...r, firstSeenAt: r.seenAt, lastSeenAt: r.seenAt });
      continue;
    }
    const firstSeenAt = r.seenAt < prev.firstSeenAt ? r.seenAt : prev.firstSeenAt;
    const lastSeenAt = r.seenAt >= prev.lastSeenAt ? r.seenAt : prev.lastSeenAt;
    // The newest sighting (the later row on a tie) describes the posting.
    const base = r.seenAt >= prev.lastSeenAt ? r : prev;
    byKey.set(key, { ...base, firstSeenAt, lastSeenAt });
  }
  return [...byKey.values()];
}

export interface UpsertResult {
  /** Postings that did not exist before. */
  inserted: number;
  /** Existing postings whose stored values changed. */
  changed: number;
}

/** Upsert already-merged rows (unique by source and external_id) in one statement. */
export async function upsertPostings(pool: Db, rows: readonly UpsertRow[]): Promise<UpsertResult> {
  if (rows.length === 0) return { inserted: 0, changed: 0 };
  const cols: unknown[][] = COLUMNS.map(() => new Array(rows.length));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const values = [
      r.source, r.externalId, r.title, r.company, r.location, r.metro, r.remote, r.role, r.seniority, r.salaryMin,
      r.salaryMax, r.currency, r.period, r.annualMin, r.annualMax, r.skills.join(SKILL_SEP), r.description,
      r.postedAt?.toISOString() ?? null, r.firstSeenAt.toISOString(), r.lastSeenAt.toISOString(), r.closedAt?.toISOString() ?? null,
    ];
    for (let c = 0; c < values.length; c++) cols[c]![i] = values[c];
  }
  const { rows: out } = await pool.query<{ inserted: number; changed: number }>(UPSERT_SQL, cols);
  return { inserted: out[0]?.inserted ?? 0, changed: out[0]?.changed ?? 0 };
}
