// The bulk upsert of postings: one merge statement per chunk.
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
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db, DbClient } from '../db/database.ts';
import type { PostingRow } from './normalize.ts';

// Skills travel as one string per row joined by a control character (which
// normalizeSkills strips from names): unnest() cannot unnest text[][] as rows.
const SKILL_SEP = '\u001f';

const COLUMNS = [
  ['source', 'text'], ['external_id', 'text'], ['title', 'text'], ['company', 'text'], ['location', 'text'],
  ['metro', 'text'], ['remote', 'boolean'], ['role', 'text'], ['seniority', 'text'], ['salary_min', 'numeric'],
  ['salary_max', 'numeric'], ['currency', 'text'], ['period', 'text'], ['annual_min', 'numeric'], ['annual_max', 'numeric'],
  ['skills', 'text'], ['description', 'text'], ['posted_at', 'timestamptz'], ['first_seen_at', 'timestamptz'],
  ['last_seen_at', 'timestamptz'], ['closed_at', 'timestamptz'], ['pay_from', 'text'],
] as const;
type Column = (typeof COLUMNS)[number][0];
/** Each column's position in COLUMNS (and in a chunk's values). */
const COL = Object.fromEntries(COLUMNS.map(([c], i) => [c, i])) as Record<Column, number>;
const NAMES = COLUMNS.map(([c]) => c);

const DESCRIPTIVE = [
  'title', 'company', 'location', 'metro', 'remote', 'role', 'seniority', 'salary_min', 'salary_max', 'currency',
  'period', 'annual_min', 'annual_max', 'skills', 'description', 'posted_at', 'closed_at', 'pay_from',
] as const satisfies readonly Column[];
const newer = 'excluded.last_seen_at >= p.last_seen_at';

/**
 * The merge of one chunk's rows `t` (from `rows`) into postings, in key order
 * so that concurrent chunks lock rows in one order (no deadlocks).
 */
const upsertSql = (rows: string) => `
WITH up AS (
  INSERT INTO postings AS p (${NAMES.join(', ')})
  SELECT ${NAMES.map((c) => (c === 'skills' ? `string_to_array(t.skills, E'\\x1f')` : `t.${c}`)).join(', ')}
  FROM ${rows}
  ORDER BY t.source, t.external_id
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

// PostgreSQL: the chunk streams into a session's temporary staging table with
// COPY (its text format costs the server a fraction of 22 array literals),
// merged from there. PGlite (whose node-postgres adapter has no COPY FROM
// STDIN) and callers inside their own transaction (a crawl) send the
// columns as array literals instead, merged by the same statement.
const STAGE = 'posting_stage';
const STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS ${STAGE} (${COLUMNS.map(([c, type]) => `${c} ${type}`).join(', ')}) ON COMMIT DELETE ROWS`;
const COPY_SQL = `COPY ${STAGE} (${NAMES.join(', ')}) FROM STDIN`;
const UPSERT_STAGED_SQL = upsertSql(`${STAGE} t`);
const UPSERT_ARRAYS_SQL = upsertSql(`unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS t(${NAMES.join(', ')})`);

// Array literals built here: pg's generic array serialiser costs about as
// much as the rest of the ingest pipeline at a million rows.
const NEEDS_ESCAPE = /["\\]/;
function arrayItem(v: string | null): string {
  if (v === null) return 'NULL';
  return NEEDS_ESCAPE.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
}
// COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
function copyItem(v: string | null): string {
  if (v === null) return '\\N';
  return COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : v;
}
const num = (v: number | null) => (v === null ? null : String(v));
const date = (v: Date | null) => (v === null ? null : v.toISOString());

/**
 * One chunk of postings being collected for one upsert, kept as column
 * values in text (not row objects: at a million rows, rows held across
 * garbage collections cost more than the parsing). Rows naming the same
 * (source, external_id) merge here, because ON CONFLICT cannot touch one row
 * twice in a statement: the seen range widens and the newest sighting (the
 * later row on a tie) describes the posting.
 */
export class PostingChunk {
  /** Feed rows added, duplicates included. */
  rows = 0;
  private readonly cols: (string | null)[][] = COLUMNS.map(() => []);
  private readonly index = new Map<string, number>();
  private readonly first: number[] = [];
  private readonly last: number[] = [];

  /** Distinct postings in the chunk. */
  get size(): number {
    return this.first.length;
  }

  add(r: PostingRow): void {
    this.rows++;
    const key = `${r.source}\u0000${r.externalId}`;
    const seen = r.seenAt.getTime();
    const cols = this.cols;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.first.length;
      this.index.set(key, i);
      this.first.push(seen);
      this.last.push(seen);
      const iso = r.seenAt.toISOString();
      cols[COL.first_seen_at]![i] = iso;
      cols[COL.last_seen_at]![i] = iso;
      cols[COL.source]![i] = r.source;
      cols[COL.external_id]![i] = r.externalId;
    } else {
      if (seen < this.first[i]!) {
        this.first[i] = seen;
        cols[COL.first_seen_at]![i] = r.seenAt.toISOString();
      }
      if (seen < this.last[i]!) return;
      this.last[i] = seen;
      cols[COL.last_seen_at]![i] = r.seenAt.toISOString();
    }
    // The newest sighting describes the posting (an existing one keeps its key columns).
    cols[COL.title]![i] = r.title;
    cols[COL.company]![i] = r.company;
    cols[COL.location]![i] = r.location;
    cols[COL.metro]![i] = r.metro;
    cols[COL.remote]![i] = r.remote ? 't' : 'f';
    cols[COL.role]![i] = r.role;
    cols[COL.seniority]![i] = r.seniority;
    cols[COL.salary_min]![i] = num(r.salaryMin);
    cols[COL.salary_max]![i] = num(r.salaryMax);
    cols[COL.currency]![i] = r.currency;
    cols[COL.period]![i] = r.period;
    cols[COL.annual_min]![i] = num(r.annualMin);
    cols[COL.annual_max]![i] = num(r.annualMax);
    cols[COL.skills]![i] = r.skills.length === 1 ? r.skills[0]! : r.skills.join(SKILL_SEP);
    cols[COL.description]![i] = r.description;
    cols[COL.posted_at]![i] = date(r.postedAt);
    cols[COL.closed_at]![i] = date(r.closedAt);
    cols[COL.pay_from]![i] = r.payFrom;
  }

  /** One array literal per column (the merge sorts the rows). */
  params(): string[] {
    return this.cols.map((col) => `{${col.map(arrayItem).join(',')}}`);
  }

  /** The rows in COPY's text format, one line each, columns as COLUMNS. */
  copyText(): string {
    const cols = this.cols;
    const n = this.size;
    const lines = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      let line = copyItem(cols[0]![i]!);
      for (let j = 1; j < cols.length; j++) line += `\t${copyItem(cols[j]![i]!)}`;
      lines[i] = line;
    }
    return `${lines.join('\n')}\n`;
  }
}

export interface UpsertResult {
  /** Postings that did not exist before. */
  inserted: number;
  /** Existing postings whose stored values changed. */
  changed: number;
}

/** Sessions that have their staging table (it lives as long as the connection). */
const staged = new WeakSet<DbClient>();

/** Upsert one chunk: staged with COPY and merged in one transaction on PostgreSQL; one statement otherwise. */
export async function upsertPostings(db: Db | DbClient, chunk: PostingChunk): Promise<UpsertResult> {
  if (chunk.size === 0) return { inserted: 0, changed: 0 };
  // A PoolClient (the caller's transaction) or PGlite's pool (its config carries the PGlite connection).
  const arrays = 'release' in db || (db.options as { connection?: unknown }).connection !== undefined;
  if (arrays) return counts(await db.query<UpsertResult>(UPSERT_ARRAYS_SQL, chunk.params()));
  const client = await db.connect();
  let failed: unknown;
  try {
    await client.query('BEGIN');
    if (!staged.has(client)) await client.query(STAGE_SQL);
    await pipeline(Readable.from([chunk.copyText()]), client.query(copyFrom(COPY_SQL)));
    const res = await client.query<UpsertResult>(UPSERT_STAGED_SQL);
    await client.query('COMMIT');
    staged.add(client);
    return counts(res);
  } catch (err) {
    failed = err;
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release(failed !== undefined); // a failed COPY may leave the session mid-protocol: not reused
  }
}

function counts(res: pg.QueryResult<UpsertResult>): UpsertResult {
  return { inserted: res.rows[0]?.inserted ?? 0, changed: res.rows[0]?.changed ?? 0 };
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
