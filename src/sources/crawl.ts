// One crawl of one board: fetch, map each job through normalizeRecord, store,
// then settle what is open (docs/sources.md):
// - every posting the crawl lists is open and seen at the crawl's start;
// - after a successful, complete crawl (every job read), the board's postings
//   it did not list are closed at that instant; a failed crawl, or one with
//   a job it could not read, closes nothing;
// - a closed posting listed again reopens (closed_at cleared by the upsert);
// - the same job on another source is marked duplicate_of the first sighting.
// The store runs in one transaction under a per-source advisory lock, so two
// processes crawling one board at once store each posting once and count it
// once.
import { withTransaction, type Db } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { DEMO_SOURCE } from '../demo/generate.ts';
import { normalizeRecord } from '../postings/normalize.ts';
import { PostingChunk, upsertPostings } from '../postings/upsert.ts';
import { CONNECTORS } from './connectors.ts';
import { BoardError, type PoliteFetcher } from './http.ts';
import { listSources, type Source } from './store.ts';

export interface CrawlResult {
  source: string;
  outcome: 'ok' | 'failed';
  /** Every job the board listed was read (closing is allowed). */
  complete: boolean;
  listed: number;
  rejected: number;
  new: number;
  reopened: number;
  closed: number;
  open: number;
  error?: string;
  ms: number;
}

export interface CrawlDeps {
  fetcher: PoliteFetcher;
  log: Pick<Logger, 'info' | 'warn'>;
  now?: () => Date;
}

const CHUNK = 2_000;

// Later sightings of one job (same company, normalised title and place, open
// at the same time) on another source point at the first one (migrations/0011).
const DEDUP_SQL = `
WITH mine AS (
  SELECT DISTINCT posting_dedup_key(company, title, metro, remote) AS k FROM postings WHERE source = $1
), grp AS MATERIALIZED (
  SELECT id, source, posting_dedup_key(company, title, metro, remote) AS k, first_seen_at,
         coalesce(closed_at, 'infinity') AS until, duplicate_of
    FROM postings
   WHERE source <> '${DEMO_SOURCE}' AND posting_dedup_key(company, title, metro, remote) IN (SELECT k FROM mine)
), multi AS (
  -- Keys seen on more than one source; usually none, and then little is left to do.
  SELECT k FROM grp GROUP BY k HAVING count(DISTINCT source) > 1
), cand AS (
  SELECT * FROM grp WHERE k IN (SELECT k FROM multi) OR duplicate_of IS NOT NULL
), want AS (
  SELECT d.id, d.duplicate_of, min(o.id) AS orig
    FROM cand d
    LEFT JOIN grp o ON o.k = d.k AND o.source <> d.source AND o.id < d.id
                   AND o.first_seen_at <= d.until AND d.first_seen_at <= o.until
   GROUP BY d.id, d.duplicate_of
)
UPDATE postings p SET duplicate_of = w.orig
  FROM want w
 WHERE p.id = w.id AND w.duplicate_of IS DISTINCT FROM w.orig`;

export async function crawlSource(pool: Db, source: Source, deps: CrawlDeps): Promise<CrawlResult> {
  const startedMs = Date.now();
  const at = deps.now?.() ?? new Date();
  const connector = CONNECTORS[source.kind];
  const url = connector.url(source.baseUrl ?? connector.origin, source.board);
  const base = { source: source.name, listed: 0, rejected: 0, new: 0, reopened: 0, closed: 0, open: 0 };
  try {
    const body = await deps.fetcher.getJson(url);
    let items: ReturnType<typeof connector.parse>;
    try {
      items = connector.parse(body);
    } catch (err) {
      throw new BoardError(`the answer is not a ${source.kind} job board (${(err as Error).message.replace(/\s+/g, ' ').slice(0, 200)})`);
    }
    const chunks: PostingChunk[] = [new PostingChunk()];
    const ids: string[] = [];
    const problems: string[] = [];
    const company = source.company ?? source.board;
    for (const item of items) {
      if ('error' in item) {
        problems.push(item.error);
        continue;
      }
      const res = normalizeRecord({ ...item, source: source.name, company, seen_at: at.toISOString() });
      if (!res.ok) {
        problems.push(`job ${item.external_id}: ${res.reason}`);
        continue;
      }
      if (chunks.at(-1)!.rows >= CHUNK) chunks.push(new PostingChunk());
      chunks.at(-1)!.add(res.row);
      ids.push(res.row.externalId);
    }
    const complete = problems.length === 0;
    for (const p of problems.slice(0, 20)) deps.log.warn({ event: 'sources.crawl.job-rejected', source: source.name, reason: p }, `${source.name}: ${p}`);

    const counts = await withTransaction(pool, async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('crawl:' || $1))`, [source.name]);
      const { rows: known } = await c.query<{ n: number; closed: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE closed_at IS NOT NULL)::int AS closed
           FROM postings WHERE source = $1 AND external_id = ANY($2::text[])`,
        [source.name, ids],
      );
      for (const chunk of chunks) await upsertPostings(c as unknown as Db, chunk);
      let closed = 0;
      if (complete) {
        const res = await c.query(
          `UPDATE postings SET closed_at = $2, updated_at = now()
            WHERE source = $1 AND closed_at IS NULL AND last_seen_at < $2`,
          [source.name, at],
        );
        closed = res.rowCount ?? 0;
      }
      await c.query(DEDUP_SQL, [source.name]);
      const { rows: open } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM postings WHERE source = $1 AND closed_at IS NULL', [source.name]);
      const distinct = new Set(ids).size;
      const r = { new: distinct - known[0]!.n, reopened: known[0]!.closed, closed, open: open[0]!.n };
      await c.query(
        `UPDATE sources SET crawled_at = $2, outcome = 'ok', ok_at = CASE WHEN $3 THEN $2 ELSE ok_at END,
                open_count = $4, new_count = $5, closed_count = $6, reopened_count = $7,
                last_error = $8, error_at = CASE WHEN $8::text IS NULL THEN error_at ELSE $2 END
          WHERE name = $1`,
        [source.name, at, complete, r.open, r.new, r.closed, r.reopened, complete ? null : `partial: ${problems.length} job(s) not read, nothing closed (${problems[0]})`],
      );
      return r;
    });
    const result: CrawlResult = { ...base, ...counts, outcome: 'ok', complete, listed: items.length, rejected: problems.length, ms: Date.now() - startedMs };
    deps.log.info({ event: 'sources.crawl.done', ...result }, `${source.name}: ${result.listed} listed, ${result.new} new, ${result.closed} closed, ${result.open} open`);
    return result;
  } catch (err) {
    const message = err instanceof BoardError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
    await pool
      .query(`UPDATE sources SET crawled_at = $2, outcome = 'failed', last_error = $3, error_at = $2 WHERE name = $1`, [source.name, at, message])
      .catch(() => {});
    const result: CrawlResult = { ...base, outcome: 'failed', complete: false, error: message, ms: Date.now() - startedMs };
    deps.log.warn({ event: 'sources.crawl.failed', source: source.name, url, err: message }, `${source.name}: crawl failed: ${message}`);
    return result;
  }
}

/** Crawls every source (or the one named), one after another; a failing board never stops the others. */
export async function crawlSources(
  pool: Db,
  deps: CrawlDeps & { only?: string; onResult?: (r: CrawlResult) => void; onStart?: (s: Source) => void },
): Promise<CrawlResult[]> {
  const all = await listSources(pool);
  const chosen = deps.only === undefined ? all : all.filter((s) => s.name === deps.only);
  const out: CrawlResult[] = [];
  for (const s of chosen) {
    deps.onStart?.(s);
    const r = await crawlSource(pool, s, deps);
    deps.onResult?.(r);
    out.push(r);
  }
  return out;
}

/** One line per board for `digest crawl`. */
export function formatCrawlResult(r: CrawlResult): string {
  const secs = `${(r.ms / 1000).toFixed(1)} s`;
  if (r.outcome === 'failed') return `${r.source}: FAILED after ${secs}: ${r.error}`;
  const partial = r.complete ? '' : ` (partial: ${r.rejected} job(s) not read, nothing closed)`;
  return `${r.source}: ${r.listed} listed, ${r.new} new, ${r.reopened} reopened, ${r.closed} closed, ${r.open} open, ${secs}${partial}`;
}
