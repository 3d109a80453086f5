// Counting name ids for the snapshot's top lists: the snapshot statement
// returns, per group, the ids of its postings' companies and skills (see
// addNames and snapshot-sql.ts); these are counted here per role, and only the
// ids that can make a role's list (ties at the cut included) go back to
// PostgreSQL to be named and ordered. Pure.

/** Counts per non-negative integer id. */
export class IdTally {
  private counts = new Int32Array(256);

  add(id: number, n = 1): void {
    if (id >= this.counts.length) {
      let size = this.counts.length;
      while (size <= id) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.counts);
      this.counts = grown;
    }
    this.counts[id]! += n;
  }


  /**
   * The ids whose rank by count (1 + the number of ids counted more often) is
   * at most `limit`, with their counts: every id that can make a top-`limit`
   * list once ties are broken by name.
   */
  candidates(limit: number): [id: number, n: number][] {
    const c = this.counts;
    // The `limit` largest counts, descending.
    const best: number[] = [];
    for (let id = 0; id < c.length; id++) {
      const n = c[id]!;
      if (n === 0 || (best.length === limit && n <= best[limit - 1]!)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]! < n) at--;
      best.splice(at, 0, n);
      if (best.length > limit) best.pop();
    }
    if (best.length === 0) return [];
    const cut = best[best.length - 1]!;
    const out: [number, number][] = [];
    for (let id = 0; id < c.length; id++) if (c[id]! >= cut && c[id]! > 0) out.push([id, c[id]!]);
    return out;
  }
}

/**
 * Counts postings' names: `names` holds, per posting, its company id (0 for
 * none) then its skill ids, decimal, joined by ','; postings joined by ';'.
 */
export function addNames(names: string, companies: IdTally, skills: IdTally): void {
  let id = 0;
  let first = true;
  for (let i = 0; i <= names.length; i++) {
    const c = i < names.length ? names.charCodeAt(i) : 59;
    if (c === 44 || c === 59) {
      if (!first) skills.add(id);
      else if (id !== 0) companies.add(id);
      first = c === 59;
      id = 0;
    } else {
      id = id * 10 + (c - 48);
    }
  }
}
