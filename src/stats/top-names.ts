// The snapshot's top lists (skills, employers, metros) from counted name ids:
// spellings that differ only in case or spacing are one name, shown in one
// spelling, and ties in count are broken by name in a total order. Pure.
// The rules and their reasons: docs/methodology.md, "Rules at the edges".
import { canonicalSkill } from '../postings/skills.ts';
import type { IdTally } from './name-tally.ts';
import { REMOTE_METRO, TOP_COMPANIES, TOP_METROS, TOP_SKILLS, type NameCount } from './types.ts';

export type ListKind = 'skills' | 'companies' | 'metros';

/** How many entries each top list keeps. */
export const TOP_LIMITS: Readonly<Record<ListKind, number>> = { skills: TOP_SKILLS, companies: TOP_COMPANIES, metros: TOP_METROS };

/** Case- and spacing-insensitive key of a name: "boston", " Boston" and "BOSTON" are one metro. */
export function foldName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Compares by Unicode code point (UTF-16 `<` would put U+FF21 after U+1F600; PostgreSQL's "C" order does not). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * The order of a top list: count, highest first; then the name compared
 * case-insensitively (foldName, by code point); then the exact name by code
 * point. Two different names never compare equal, so the order is total and a
 * list's cut-off never depends on the order rows arrived in.
 */
export function compareNameCounts(x: NameCount, y: NameCount): number {
  return y.count - x.count || compareCodePoints(foldName(x.name), foldName(y.name)) || compareCodePoints(x.name, y.name);
}

/** Which group a spelling belongs to: a dictionary skill by its canonical name, anything else by foldName. */
function groupKey(kind: ListKind, spelling: string): { key: string; fixed: string | undefined } {
  if (kind === 'skills') {
    const known = canonicalSkill(spelling);
    if (known !== undefined) return { key: `=${known}`, fixed: known };
  }
  const key = foldName(spelling);
  if (kind === 'metros' && key === foldName(REMOTE_METRO)) return { key, fixed: REMOTE_METRO };
  return { key, fixed: undefined };
}

/**
 * Per role, its top list of one kind. `tallies` holds each role's counts by
 * name id, `names` the spelling of every counted id. Spellings of one group
 * are counted together; the group shows its dictionary name (known skills,
 * "Remote") or else the spelling most of the week's postings (all roles in
 * `tallies`) use, ties by the list order above, so every role's list spells
 * a name the same way.
 */
export function topLists(kind: ListKind, tallies: ReadonlyMap<string, IdTally>, names: ReadonlyMap<number, string>): Map<string, NameCount[]> {
  const groupOf = new Map<number, { key: string; fixed: string | undefined }>();
  const spellings = new Map<string, Map<string, number>>();
  for (const t of tallies.values()) {
    for (const [id, n] of t.entries()) {
      let g = groupOf.get(id);
      if (!g) {
        const spelling = names.get(id);
        if (spelling === undefined) throw new Error(`name id ${id} has no name`);
        groupOf.set(id, (g = groupKey(kind, spelling)));
      }
      let s = spellings.get(g.key);
      if (!s) spellings.set(g.key, (s = new Map()));
      const spelling = names.get(id)!;
      s.set(spelling, (s.get(spelling) ?? 0) + n);
    }
  }
  const display = new Map<string, string>();
  for (const [key, s] of spellings) {
    const best = [...s].map(([name, count]) => ({ name, count })).sort(compareNameCounts)[0]!;
    display.set(key, best.name);
  }
  for (const g of groupOf.values()) if (g.fixed !== undefined) display.set(g.key, g.fixed);

  const out = new Map<string, NameCount[]>();
  for (const [role, t] of tallies) {
    const counts = new Map<string, number>();
    for (const [id, n] of t.entries()) {
      const key = groupOf.get(id)!.key;
      counts.set(key, (counts.get(key) ?? 0) + n);
    }
    const list = [...counts].map(([key, count]) => ({ name: display.get(key)!, count }));
    out.set(role, list.sort(compareNameCounts).slice(0, TOP_LIMITS[kind]));
  }
  return out;
}
