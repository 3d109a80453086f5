// The `sources` table (migrations/0011): the boards the operator added and
// what their last crawls left.
import { normaliseBaseUrl } from '../config.ts';
import type { Db } from '../db/database.ts';
import { CONNECTORS, isKind, KINDS, type Kind } from './connectors.ts';

export interface Source {
  name: string;
  kind: Kind;
  board: string;
  company: string | null;
  baseUrl: string | null;
  createdAt: Date;
  crawledAt: Date | null;
  outcome: 'ok' | 'failed' | null;
  okAt: Date | null;
  open: number | null;
  new: number | null;
  closed: number | null;
  reopened: number | null;
  lastError: string | null;
  errorAt: Date | null;
}

class SourceError extends Error {
  override name = 'SourceError';
}

const SELECT = `SELECT name, kind, board, company, base_url, created_at, crawled_at, outcome, ok_at, open_count, new_count,
                       closed_count, reopened_count, last_error, error_at FROM sources`;

function row(r: Record<string, any>): Source {
  return {
    name: r.name, kind: r.kind, board: r.board, company: r.company, baseUrl: r.base_url, createdAt: r.created_at,
    crawledAt: r.crawled_at, outcome: r.outcome, okAt: r.ok_at, open: r.open_count, new: r.new_count,
    closed: r.closed_count, reopened: r.reopened_count, lastError: r.last_error, errorAt: r.error_at,
  };
}

function sourceName(kind: Kind, board: string): string {
  return `${kind}:${board}`;
}

export interface AddSource {
  kind: string;
  board: string;
  company?: string;
  baseUrl?: string;
}

/** Adds a board (or updates its --company / --base-url); answers whether it was new. */
export async function addSource(pool: Db, a: AddSource): Promise<{ source: Source; created: boolean }> {
  if (!isKind(a.kind)) throw new SourceError(`unknown board kind ${JSON.stringify(a.kind)}; use one of ${KINDS.join(', ')}`);
  const board = a.board.trim();
  // The board is a path segment of the API URL: its name on the ATS, not a URL.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(board)) {
    throw new SourceError(`board ${JSON.stringify(a.board)} must be the board's name on ${a.kind} (letters, digits, . _ -), e.g. the "acme" of ${CONNECTORS[a.kind].url(CONNECTORS[a.kind].origin, 'acme')}`);
  }
  let baseUrl: string | null = null;
  if (a.baseUrl !== undefined) {
    let u: URL;
    try {
      u = new URL(a.baseUrl);
    } catch {
      throw new SourceError(`--base-url ${JSON.stringify(a.baseUrl)} is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SourceError('--base-url must be an http(s) URL');
    baseUrl = normaliseBaseUrl(a.baseUrl);
  }
  const name = sourceName(a.kind, board);
  const { rows } = await pool.query(
    `INSERT INTO sources (name, kind, board, company, base_url) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (name) DO UPDATE SET company = excluded.company, base_url = excluded.base_url
     RETURNING (xmax = 0) AS created`,
    [name, a.kind, board, a.company?.trim() || null, baseUrl],
  );
  return { source: (await getSource(pool, name))!, created: rows[0].created };
}

export async function getSource(pool: Db, name: string): Promise<Source | undefined> {
  const { rows } = await pool.query(`${SELECT} WHERE name = $1`, [name]);
  return rows[0] ? row(rows[0]) : undefined;
}

export async function listSources(pool: Db): Promise<Source[]> {
  const { rows } = await pool.query(`${SELECT} ORDER BY name`);
  return rows.map(row);
}

/**
 * Removes a source. Its postings stay (they are history), and those still
 * open are closed now: nothing will crawl them again to close them later.
 */
export async function removeSource(pool: Db, name: string, now = new Date()): Promise<{ closed: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const del = await client.query('DELETE FROM sources WHERE name = $1', [name]);
    if (del.rowCount === 0) throw new SourceError(`no source named ${JSON.stringify(name)}; \`digest sources list\` shows them`);
    const closed = await client.query(
      'UPDATE postings SET closed_at = greatest($2::timestamptz, last_seen_at), updated_at = now() WHERE source = $1 AND closed_at IS NULL',
      [name, now],
    );
    await client.query('COMMIT');
    return { closed: closed.rowCount ?? 0 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
