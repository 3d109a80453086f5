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

const MESSY_SPACE = /\s\s|[^\S ]|^ | $/;

/** Case- and spacing-insensitive key of a name: "boston", " Boston" and "BOSTON" are one metro. */
export function foldName(name: string): string {
  const lower = name.toLowerCase();
  // Names arrive trimmed from ingest; the replace is for rows written by other means.
  return MESSY_SPACE.test(lower) ? lower.replace(/\s+/g, ' ').trim() : lower;
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
  return compareFolded({ ...x, fold: foldName(x.name) }, { ...y, fold: foldName(y.name) });
}

type Folded = NameCount & { fold: string };
const compareFolded = (x: Folded, y: Folded): number =>
  y.count - x.count || compareCodePoints(x.fold, y.fold) || compareCodePoints(x.name, y.name);

/** The first `limit` entries in list order. */
function firstInOrder(list: Folded[], limit: number): Folded[] {
  return list.sort(compareFolded).slice(0, limit);
}

/** Which group a spelling belongs to: a dictionary skill by its canonical name, anything else by foldName. */
function groupKey(kind: ListKind, spelling: string): { key: string; fixed: string | undefined } {
  if (kind === 'skills') {
    const known = canonicalSkill(spelling);
    if (known !== undefined) return { key: `\u0000${known}`, fixed: known }; // NUL never occurs in a stored name
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
export function topLists(
  kind: ListKind,
  tallies: ReadonlyMap<string, IdTally>,
  names: ReadonlyMap<number, string>,
  /** Filled with the name ids behind each listed name (the skill premium reads postings by them). */
  idsOf?: Map<string, number[]>,
): Map<string, NameCount[]> {
  const limit = TOP_LIMITS[kind];
  // Per name id: its group, and its postings over every role; per group: its ids.
  const groupOfId: number[] = [];
  const idTotal: number[] = [];
  const groupByKey = new Map<string, number>();
  const groups: { fixed: string | undefined; ids: number[]; shown?: Folded }[] = [];
  for (const t of tallies.values()) {
    t.forEach((id, n) => {
      if (groupOfId[id] === undefined) {
        const spelling = names.get(id);
        if (spelling === undefined) throw new Error(`name id ${id} has no name`);
        const { key, fixed } = groupKey(kind, spelling);
        let g = groupByKey.get(key);
        if (g === undefined) {
          groupByKey.set(key, (g = groups.length));
          groups.push({ fixed, ids: [] });
        }
        groups[g]!.ids.push(id);
        groupOfId[id] = g;
        idTotal[id] = 0;
      }
      idTotal[id]! += n;
    });
  }
  // The shown spelling, worked out only for the groups that can make a list.
  const shown = (g: number): Folded => {
    const group = groups[g]!;
    if (!group.shown) {
      const ids = group.ids;
      const name =
        group.fixed ??
        (ids.length === 1
          ? names.get(ids[0]!)!
          : firstInOrder(ids.map((id) => ({ name: names.get(id)!, count: idTotal[id]!, fold: foldName(names.get(id)!) })), 1)[0]!.name);
      group.shown = { name, count: 0, fold: foldName(name) };
      idsOf?.set(name, [...(idsOf.get(name) ?? []), ...ids]);
    }
    return group.shown;
  };

  const out = new Map<string, NameCount[]>();
  for (const [role, t] of tallies) {
    const counts = new Float64Array(groups.length);
    t.forEach((id, n) => (counts[groupOfId[id]!]! += n));
    const cut = nthLargest(counts, limit);
    const list: Folded[] = [];
    for (let g = 0; g < counts.length; g++) if (counts[g]! > 0 && counts[g]! >= cut) list.push({ ...shown(g), count: counts[g]! });
    out.set(role, firstInOrder(list, limit).map(({ name, count }) => ({ name, count })));
  }
  return out;
}

/** The n-th largest positive value (0 when there are fewer): every entry at or above it can make a top-n list. */
function nthLargest(values: Float64Array, n: number): number {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v <= 0 || (best.length === n && v <= best[n - 1]!)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]! < v) at--;
    best.splice(at, 0, v);
    if (best.length > n) best.pop();
  }
  return best.length === n ? best[n - 1]! : 0;
}
