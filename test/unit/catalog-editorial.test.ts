// Every tracked role carries editorial text, and it is our own: no run of 8
// words in a row appears in the reference pages. The pages are not kept here;
// test/fixtures/reference-shingles.txt holds a hash of each of their 8-word runs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/roles/catalog.ts';

const SHINGLES = path.resolve(import.meta.dirname, '../fixtures/reference-shingles.txt');
const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9%$/ ]+/g, ' ').split(/\s+/).filter(Boolean);

function shingles(text: string, n = 8): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  for (let i = 0; i + n <= w.length; i++) out.add(w.slice(i, i + n).join(' '));
  return out;
}

describe('role catalog editorial text', () => {
  it('has focus, career path and way in for every role', () => {
    for (const r of ROLES) {
      for (const field of [r.focus, r.careerPath, r.howToGetIn]) {
        expect(field.length, r.slug).toBeGreaterThan(40);
        expect(field.endsWith('.'), r.slug).toBe(true);
      }
    }
  });

  it('shares no 8-word run with the reference pages', () => {
    const seen = new Set(readFileSync(SHINGLES, 'utf8').split('\n').filter((l) => /^[0-9a-f]{16}$/.test(l)));
    expect(seen.size).toBeGreaterThan(1000);
    const ours = ROLES.flatMap((r) => [r.focus, r.careerPath, r.howToGetIn]);
    const copied = ours.flatMap((t) => [...shingles(t)].filter((s) => seen.has(hash(s))));
    expect(copied).toEqual([]);
  });
});
