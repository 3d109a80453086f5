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
import { normalizeRecord, type PostingRow } from './normalize.ts';
import type { FeedItem } from './parse-feed.ts';
import { inspectFeed, readFeed } from './read-feed-file.ts';
import { mergeDuplicates, upsertPostings } from './upsert.ts';

export { FeedFormatError } from './parse-feed.ts';

export const CHUNK_ROWS = 5_000;
export const MAX_ERRORS_KEPT = 1_000;

export interface IngestError {
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
}

function emptySummary(files: number): IngestSummary {
  return { files, read: 0, stored: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], errorsOmitted: 0 };
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
  let chunk: PostingRow[] = [];
  let inFlight: Promise<void> | undefined;

  const reject = (line: number, reason: string) => {
    summary.rejected++;
    if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push({ file, line, reason });
    else summary.errorsOmitted++;
  };
  const flush = async () => {
    const rows = chunk;
    chunk = [];
    if (inFlight) await inFlight;
    if (rows.length === 0) return;
    inFlight = (async () => {
      const merged = mergeDuplicates(rows);
      const res = await upsertPostings(pool, merged);
      summary.stored += rows.length;
      summary.inserted += res.inserted;
      summary.updated += rows.length - res.inserted;
      summary.unchanged += merged.length - res.inserted - res.changed;
      opts.onProgress?.({ file, read: summary.read, stored: summary.stored, rejected: summary.rejected });
    })();
    // Awaited at the next flush; until then, mark it handled so a failure is not an unhandled rejection.
    inFlight.catch(() => {});
  };

  try {
    for await (const item of items) {
      summary.read++;
      if ('error' in item) {
        reject(item.line, item.error);
        continue;
      }
      const res = normalizeRecord(item.record, defaults);
      if (res.ok) chunk.push(res.row);
      else reject(item.line, res.reason);
      if (chunk.length >= chunkRows) await flush();
    }
    await flush();
  } finally {
    if (inFlight) await inFlight;
  }
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
