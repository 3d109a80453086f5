// Feed files: sniff the first 64 KiB (refusing anything that is not a feed),
// then stream the rows through the pure parsers.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { FeedFormatError, parseCsv, parseJsonl, sniffFeed, type FeedInfo, type FeedItem } from './parse-feed.ts';

const SNIFF_BYTES = 64 * 1024;

/** The file's format; throws FeedFormatError naming the file when it is missing or not a feed. */
export async function inspectFeed(file: string): Promise<FeedInfo> {
  let bytes: Uint8Array;
  let whole: boolean;
  try {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
      bytes = buf.subarray(0, bytesRead);
      whole = bytesRead < SNIFF_BYTES || (await fh.stat()).size === bytesRead;
    } finally {
      await fh.close();
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new FeedFormatError(`${file}: no such file`);
    if (e.code === 'EISDIR') throw new FeedFormatError(`${file}: is a directory, not a feed file`);
    throw new FeedFormatError(`${file}: cannot read (${e.message})`);
  }
  return sniffFeed(file, bytes, whole);
}

/** Rows of a feed file, streamed. Inspects the file first: a non-feed throws before any row. */
export async function* readFeed(file: string): AsyncGenerator<FeedItem> {
  const info = await inspectFeed(file);
  // 64 KiB chunks: every row parsed from a chunk stays alive until it is consumed, and
  // rows surviving garbage collections cost more than parsing them.
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    const chunks = stream as AsyncIterable<string>;
    yield* info.format === 'csv' ? parseCsv(chunks) : parseJsonl(chunks);
  } catch (err) {
    if (err instanceof FeedFormatError && !err.message.startsWith(file)) throw new FeedFormatError(`${file}: ${err.message}`);
    throw err;
  } finally {
    stream.destroy();
  }
}
