// Ingest: feed rows -> validated PostingRows -> bulk upsert in chunks.
//
// Every file is inspected before anything is written, so a file that is not a
// feed stops the run with a FeedFormatError and no rows stored. After that,
// good rows are stored even when others are rejected; each rejected row is
// reported with its file, line and a reason naming the field.
//
// Counts are of feed rows: read = stored + rejected; stored = inserted +
// updated, where inserted rows created a posting and updated rows met one
// already stored (by this run or before); unchanged is the part of updated
// that changed nothing.
import type { Db } from '../db/database.ts';
import { normalizeRecord } from './normalize.ts';
import type { FeedItem } from './parse-feed.ts';
import { inspectFeed, readFeed } from './read-feed-file.ts';
import { PostingChunk, upsertPostings } from './upsert.ts';

export { FeedFormatError } from './parse-feed.ts';

const CHUNK_ROWS = 5_000;
const MAX_ERRORS_KEPT = 1_000;

interface IngestError {
  file: string;
  line: number;
  reason: string;
}

export interface IngestSummary {
  files: number;
  read: number;
  stored: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first MAX_ERRORS_KEPT rejected rows; errorsOmitted counts the rest. */
  errors: IngestError[];
  errorsOmitted: number;
  /** Rows stored without their pay, which was not finite or not plausible; the first MAX_ERRORS_KEPT of them. */
  payDropped: number;
  payWarnings: IngestError[];
}

export interface IngestProgress {
  file: string;
  read: number;
  stored: number;
  rejected: number;
}

export interface IngestOptions {
  /** Source for rows that have no source column (the CLI's --source); else "feed". */
  source?: string;
  /** Called after every stored chunk, with running totals. */
  onProgress?: (p: IngestProgress) => void;
  chunkRows?: number;
  /** Upserts in flight at once; default min(3, pool size). */
  concurrency?: number;
}

/** Retry a chunk once when PostgreSQL picks it as a deadlock victim (another writer holding the same postings). */
async function upsertWithRetry(pool: Db, rows: PostingChunk) {
  try {
    return await upsertPostings(pool, rows);
  } catch (err) {
    if ((err as { code?: string }).code !== '40P01') throw err;
    return upsertPostings(pool, rows);
  }
}

function emptySummary(files: number): IngestSummary {
  return { files, read: 0, stored: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], errorsOmitted: 0, payDropped: 0, payWarnings: [] };
}

/** Rows of one stream of feed items into the summary. One upsert is in flight while the next chunk is parsed. */
async function ingestInto(
  pool: Db,
  items: AsyncIterable<FeedItem> | Iterable<FeedItem>,
  file: string,
  summary: IngestSummary,
  opts: IngestOptions,
): Promise<void> {
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  const defaults = opts.source === undefined ? {} : { source: opts.source };
  let chunk = new PostingChunk();
  // Up to `concurrency` upserts in flight while the next chunks are parsed
  // (PGlite's pool of one simply queues them).
  const concurrency = Math.max(1, opts.concurrency ?? Math.min(3, pool.options.max ?? 1));
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;

  const reject = (line: number, reason: string) => {
    summary.rejected++;
    if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push({ file, line, reason });
    else summary.errorsOmitted++;
  };
  const flush = async () => {
    const rows = chunk;
    chunk = new PostingChunk();
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
    if (rows.size === 0) return;
    const p = (async () => {
      const res = await upsertWithRetry(pool, rows);
      summary.stored += rows.rows;
      summary.inserted += res.inserted;
      summary.updated += rows.rows - res.inserted;
      summary.unchanged += rows.size - res.inserted - res.changed;
      opts.onProgress?.({ file, read: summary.read, stored: summary.stored, rejected: summary.rejected });
    })().catch((err: unknown) => {
      failure ??= err;
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const drain = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure;
  };

  try {
    for await (const item of items) {
      summary.read++;
      if ('error' in item) {
        reject(item.line, item.error);
        continue;
      }
      const res = normalizeRecord(item.record, defaults);
      if (res.ok) {
        chunk.add(res.row);
        if (res.badPay) {
          summary.payDropped++;
          if (summary.payWarnings.length < MAX_ERRORS_KEPT) summary.payWarnings.push({ file, line: item.line, reason: res.badPay });
        }
      } else reject(item.line, res.reason);
      if (chunk.rows >= chunkRows) await flush();
    }
    await flush();
  } finally {
    await Promise.all(inFlight);
  }
  await drain();
  opts.onProgress?.({ file, read: summary.read, stored: summary.stored, rejected: summary.rejected });
}

/**
 * Ingest CSV / JSONL feed files. Throws FeedFormatError (nothing written) when
 * any file is not a feed; otherwise returns the summary, rejected rows included.
 */
export async function ingestFiles(pool: Db, files: readonly string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  for (const file of files) await inspectFeed(file);
  const summary = emptySummary(files.length);
  for (const file of files) await ingestInto(pool, readFeed(file), file, summary, opts);
  return summary;
}

/** Ingest feed items that carry their own line numbers (e.g. parseJsonl over a request body). */
export async function ingestItems(
  pool: Db,
  items: AsyncIterable<FeedItem> | Iterable<FeedItem>,
  opts: IngestOptions & { label?: string } = {},
): Promise<IngestSummary> {
  const summary = emptySummary(1);
  await ingestInto(pool, items, opts.label ?? 'input', summary, opts);
  return summary;
}

/** Ingest raw records (objects with the feed's keys); a rejected record's line is its 1-based position. */
export async function ingestRecords(
  pool: Db,
  records: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  opts: IngestOptions & { label?: string } = {},
): Promise<IngestSummary> {
  async function* numbered(): AsyncGenerator<FeedItem> {
    let line = 0;
    for await (const record of records) yield { line: ++line, record };
  }
  return ingestItems(pool, numbered(), { ...opts, label: opts.label ?? 'records' });
}
