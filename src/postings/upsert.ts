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

// Skills travel as one string per row joined by a control character (which
// normalizeSkills strips from names): unnest() cannot unnest text[][] as rows.
const SKILL_SEP = '\u001f';

const COLUMNS: [name: string, type: string][] = [
  ['source', 'text'], ['external_id', 'text'], ['title', 'text'], ['company', 'text'], ['location', 'text'],
  ['metro', 'text'], ['remote', 'boolean'], ['role', 'text'], ['seniority', 'text'], ['salary_min', 'numeric'],
  ['salary_max', 'numeric'], ['currency', 'text'], ['period', 'text'], ['annual_min', 'numeric'], ['annual_max', 'numeric'],
  ['skills', 'text'], ['description', 'text'], ['posted_at', 'timestamptz'], ['first_seen_at', 'timestamptz'],
  ['last_seen_at', 'timestamptz'], ['closed_at', 'timestamptz'], ['pay_from', 'text'],
];
const DESCRIPTIVE = [
  'title', 'company', 'location', 'metro', 'remote', 'role', 'seniority', 'salary_min', 'salary_max', 'currency',
  'period', 'annual_min', 'annual_max', 'skills', 'description', 'posted_at', 'closed_at', 'pay_from',
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

// Array literals built here: pg's generic array serialiser costs about as
// much as the rest of the ingest pipeline at a million rows.
const NEEDS_ESCAPE = /["\\]/;
function str(v: string | null): string {
  if (v === null) return 'NULL';
  return NEEDS_ESCAPE.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
}
function num(v: number | null): string {
  return v === null ? 'NULL' : String(v);
}
function date(v: Date | null): string {
  return v === null ? 'NULL' : v.toISOString();
}

// PostingChunk.add writes the columns by position.
if (COLUMNS.map(([c]) => c).join() !== 'source,external_id,title,company,location,metro,remote,role,seniority,salary_min,salary_max,currency,period,annual_min,annual_max,skills,description,posted_at,first_seen_at,last_seen_at,closed_at,pay_from') {
  throw new Error('upsert.ts: COLUMNS changed; update PostingChunk.add');
}
const DESCRIPTIVE_FROM = COLUMNS.findIndex(([c]) => c === 'title');
const FIRST_SEEN = COLUMNS.findIndex(([c]) => c === 'first_seen_at');
const LAST_SEEN = COLUMNS.findIndex(([c]) => c === 'last_seen_at');

/**
 * One chunk of postings being collected for one upsert, kept as column
 * literals (not row objects: at a million rows, rows held across garbage
 * collections cost more than the parsing). Rows naming the same (source,
 * external_id) merge here, because ON CONFLICT cannot touch one row twice in a
 * statement: the seen range widens and the newest sighting (the later row on
 * a tie) describes the posting.
 */
export class PostingChunk {
  /** Feed rows added, duplicates included. */
  rows = 0;
  private readonly cols: string[][] = COLUMNS.map(() => []);
  private readonly keys: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly first: number[] = [];
  private readonly last: number[] = [];

  /** Distinct postings in the chunk. */
  get size(): number {
    return this.keys.length;
  }

  add(r: PostingRow): void {
    this.rows++;
    const key = `${r.source}\u0000${r.externalId}`;
    const seen = r.seenAt.getTime();
    const cols = this.cols;
    let i = this.index.get(key);
    let from = 0;
    if (i === undefined) {
      i = this.keys.length;
      this.index.set(key, i);
      this.keys.push(key);
      this.first.push(seen);
      this.last.push(seen);
      const iso = r.seenAt.toISOString();
      cols[FIRST_SEEN]![i] = iso;
      cols[LAST_SEEN]![i] = iso;
    } else {
      if (seen < this.first[i]!) {
        this.first[i] = seen;
        cols[FIRST_SEEN]![i] = r.seenAt.toISOString();
      }
      if (seen < this.last[i]!) return;
      this.last[i] = seen;
      cols[LAST_SEEN]![i] = r.seenAt.toISOString();
      from = DESCRIPTIVE_FROM;
    }
    // Column order as COLUMNS; an existing posting keeps its key columns.
    if (from === 0) {
      cols[0]![i] = str(r.source);
      cols[1]![i] = str(r.externalId);
    }
    cols[2]![i] = str(r.title);
    cols[3]![i] = str(r.company);
    cols[4]![i] = str(r.location);
    cols[5]![i] = str(r.metro);
    cols[6]![i] = r.remote ? 't' : 'f';
    cols[7]![i] = str(r.role);
    cols[8]![i] = str(r.seniority);
    cols[9]![i] = num(r.salaryMin);
    cols[10]![i] = num(r.salaryMax);
    cols[11]![i] = str(r.currency);
    cols[12]![i] = str(r.period);
    cols[13]![i] = num(r.annualMin);
    cols[14]![i] = num(r.annualMax);
    cols[15]![i] = str(r.skills.length === 1 ? r.skills[0]! : r.skills.join(SKILL_SEP));
    cols[16]![i] = str(r.description);
    cols[17]![i] = date(r.postedAt);
    cols[20]![i] = date(r.closedAt);
    cols[21]![i] = str(r.payFrom);
  }

  /** One array literal per column, rows sorted by key so that concurrent chunks lock rows in one order (no deadlocks). */
  params(): string[] {
    // The default sort compares UTF-16 code units, as `<` does.
    const sorted = this.keys.slice().sort();
    let inOrder = true;
    for (let j = 0; j < sorted.length && inOrder; j++) inOrder = sorted[j] === this.keys[j];
    if (inOrder) return this.cols.map((col) => `{${col.join(',')}}`);
    const order = sorted.map((k) => this.index.get(k)!);
    return this.cols.map((col) => {
      const out = new Array<string>(order.length);
      for (let j = 0; j < order.length; j++) out[j] = col[order[j]!]!;
      return `{${out.join(',')}}`;
    });
  }
}

export interface UpsertResult {
  /** Postings that did not exist before. */
  inserted: number;
  /** Existing postings whose stored values changed. */
  changed: number;
}

/** Upsert one chunk in one statement. */
export async function upsertPostings(pool: Db, chunk: PostingChunk): Promise<UpsertResult> {
  if (chunk.size === 0) return { inserted: 0, changed: 0 };
  const { rows: out } = await pool.query<{ inserted: number; changed: number }>(UPSERT_SQL, chunk.params());
  return { inserted: out[0]?.inserted ?? 0, changed: out[0]?.changed ?? 0 };
}

/** Whether any posting is stored, and whether any comes from a source other than `source` (the demo's, for `npm start`). */
export async function postingsPresent(pool: Db, source: string): Promise<{ any: boolean; otherSource: boolean }> {
  const { rows } = await pool.query<{ any: boolean; other: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM postings) AS any, EXISTS (SELECT 1 FROM postings WHERE source <> $1) AS other`,
    [source],
  );
  return { any: rows[0]!.any, otherSource: rows[0]!.other };
}

/** Every posting of one source (`digest demo-data --remove`); their posting_facts follow by trigger. Answers how many. */
export async function deletePostingsOfSource(pool: Db, source: string): Promise<number> {
  const res = await pool.query('DELETE FROM postings WHERE source = $1', [source]);
  return res.rowCount ?? 0;
}
