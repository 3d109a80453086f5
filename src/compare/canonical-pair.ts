// The canonical order of a role pair, for URLs and page titles.
//
// Rule: catalog order. The role listed earlier in src/roles/catalog.ts comes
// first, so `/compare/mlops-engineer-vs-ai-software-engineer` is canonical and
// `/compare/ai-software-engineer-vs-mlops-engineer` redirects to it. Catalog
// order is stable (classification already depends on it) and needs no data,
// so a link written in a digest never changes address from week to week.
import { ROLES } from '../roles/catalog.ts';

const rank = new Map(ROLES.map((r, i) => [r.slug, i]));

export interface Pair {
  a: string;
  b: string;
}

/** The two slugs in canonical (catalog) order. Unknown slugs sort after known ones, then alphabetically. */
export function canonicalPair(x: string, y: string): Pair {
  const rx = rank.get(x) ?? Number.MAX_SAFE_INTEGER;
  const ry = rank.get(y) ?? Number.MAX_SAFE_INTEGER;
  if (rx < ry || (rx === ry && x <= y)) return { a: x, b: y };
  return { a: y, b: x };
}

export function isCanonical(a: string, b: string): boolean {
  const p = canonicalPair(a, b);
  return p.a === a && p.b === b;
}

/** The path of a comparison page, always in canonical order. */
export function comparePath(x: string, y: string): string {
  const p = canonicalPair(x, y);
  return `/compare/${p.a}-vs-${p.b}`;
}

/** Splits `a-vs-b` into its two slugs, or undefined when the text has no `-vs-`. */
export function parsePairParam(param: string): Pair | undefined {
  const i = param.indexOf('-vs-');
  if (i <= 0) return undefined;
  const a = param.slice(0, i);
  const b = param.slice(i + 4);
  if (b === '' || b.includes('-vs-')) return undefined;
  return { a, b };
}

/** Every pair of the given slugs, canonical order, in catalog order of the first then the second role. */
export function allPairs(slugs: readonly string[]): Pair[] {
  const out: Pair[] = [];
  const sorted = [...slugs].sort((x, y) => (rank.get(x) ?? 1e9) - (rank.get(y) ?? 1e9) || x.localeCompare(y));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) out.push({ a: sorted[i]!, b: sorted[j]! });
  }
  return out;
}
