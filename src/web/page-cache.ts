// Rendered pages kept in memory per snapshot version, with their compressed
// bodies made once on first demand. A comparison page costs a render the
// first time it is asked for in a version and a map lookup after that.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Page {
  status: number;
  html: string;
  /** Weak validator over the HTML (the compressed variants share it). */
  etag: string;
  lastModified: Date | undefined;
  /** UTF-8 bytes of the HTML, encoded once rather than per response. */
  raw?: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

export function makePage(status: number, html: string, lastModified?: Date): Page {
  const etag = `W/"${createHash('sha1').update(html).digest('base64url').slice(0, 22)}"`;
  return { status, html, etag, lastModified };
}

export function rawOf(page: Page): Buffer {
  page.raw ??= Buffer.from(page.html, 'utf8');
  return page.raw;
}

export function gzipOf(page: Page): Buffer {
  page.gzip ??= gzipSync(page.html, { level: 6 });
  return page.gzip;
}

export function brotliOf(page: Page): Buffer {
  page.br ??= brotliCompressSync(page.html, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: page.html.length },
  });
  return page.br;
}

/** Pages of one snapshot version; a new stamp empties it. Bounded so odd query strings cannot grow it. */
export class PageCache {
  private stamp = '';
  private pages = new Map<string, Page>();
  constructor(private readonly max = 2_000) {}

  get(stamp: string, key: string): Page | undefined {
    if (stamp !== this.stamp) return undefined;
    return this.pages.get(key);
  }

  set(stamp: string, key: string, page: Page): void {
    if (stamp !== this.stamp) {
      this.pages.clear();
      this.stamp = stamp;
    }
    if (this.pages.size >= this.max) {
      // Drop the oldest entry (Map keeps insertion order).
      const first = this.pages.keys().next();
      if (!first.done) this.pages.delete(first.value);
    }
    this.pages.set(key, page);
  }

  get size(): number {
    return this.pages.size;
  }
}
