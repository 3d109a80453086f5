// Counting name ids for the snapshot's top lists: the snapshot statement
// returns, per group, the ids of its postings' companies and skills (see
// addNames and snapshot-sql.ts); these are counted here per role, then named,
// merged by spelling and ordered in top-names.ts. Pure.

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

  /** Calls `fn` for every counted id with its count (count > 0), in id order. */
  forEach(fn: (id: number, n: number) => void): void {
    const c = this.counts;
    for (let id = 0; id < c.length; id++) if (c[id]! > 0) fn(id, c[id]!);
  }
}

/**
 * Counts postings' names: `names` holds, per posting, its company id (0 for
 * none) then its skill ids, decimal, joined by ','; postings joined by ';'
 * (or ':', which marks a posting that discloses pay: snapshot-sql.ts).
 */
export function addNames(names: string, companies: IdTally, skills: IdTally): void {
  let id = 0;
  let first = true;
  for (let i = 0; i <= names.length; i++) {
    const c = i < names.length ? names.charCodeAt(i) : 59;
    if (c === 44 || c === 58 || c === 59) {
      if (!first) skills.add(id);
      else if (id !== 0) companies.add(id);
      first = c !== 44;
      id = 0;
    } else {
      id = id * 10 + (c - 48);
    }
  }
}
