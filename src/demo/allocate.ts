// Exact counts for the demo data: how many postings get each skill, employer
// and metro, so that the snapshot's top lists come out in a chosen order. Pure.

export type Counts = Array<[string, number]>;

/**
 * Skill counts for `n` postings from shares: sorted by share (ties keep list
 * order), the first 8 strictly decreasing and every other skill below the
 * 8th, so the top 8 (ranked by count, ties by name) is exactly that order.
 */
export function skillCounts(shares: ReadonlyArray<readonly [string, number]>, n: number): Counts {
  const sorted = shares.map((s, i) => ({ name: s[0], share: s[1], i })).sort((a, b) => b.share - a.share || a.i - b.i);
  const out: Counts = [];
  for (const [j, s] of sorted.entries()) {
    let c = Math.min(n, Math.round(s.share * n));
    if (j > 0 && j < 8) c = Math.min(c, out[j - 1]![1] - 1);
    if (j >= 8) c = Math.min(c, out[7]![1] - 1);
    out.push([s.name, Math.max(0, c)]);
  }
  return out.filter(([, c]) => c > 0);
}

/**
 * Spread `total` over a weighted pool, each name at most its cap; the pool's
 * i-th name is capped a little lower than the one before it (by `capStep`), so
 * the names that reach their caps do not all tie. Throws when the caps cannot
 * hold `total`.
 */
export function spread(total: number, pool: ReadonlyArray<readonly [string, number]>, cap: number, capStep = 0): Counts {
  const caps = pool.map((_, i) => Math.max(0, cap - i * capStep));
  const counts = pool.map(() => 0);
  let left = total;
  while (left > 0) {
    const open = pool.map((_, i) => i).filter((i) => counts[i]! < caps[i]!);
    if (open.length === 0) throw new RangeError(`cannot spread ${total} over ${pool.length} names capped at ${cap}`);
    const weight = open.reduce((s, i) => s + pool[i]![1], 0);
    const start = left;
    const fractions: Array<[number, number]> = [];
    let capped = false;
    for (const i of open) {
      const ideal = (start * pool[i]![1]) / weight;
      const room = caps[i]! - counts[i]!;
      const give = Math.min(room, Math.floor(ideal));
      if (give < Math.floor(ideal)) capped = true;
      counts[i] = counts[i]! + give;
      left -= give;
      if (counts[i]! < caps[i]!) fractions.push([i, ideal - Math.floor(ideal)]);
    }
    // A name hit its cap: spread what it could not take over the others in another round.
    if (capped) continue;
    // Largest remainders, one each.
    fractions.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [i] of fractions) {
      if (left === 0) break;
      counts[i] = counts[i]! + 1;
      left--;
    }
  }
  return pool.map((p, i) => [p[0], counts[i]!] as [string, number]).filter(([, c]) => c > 0);
}

/** Zipf-like weights for a list of names, the first heaviest. */
export function zipf(names: readonly string[], exponent = 0.9): Array<[string, number]> {
  return names.map((name, i) => [name, 1 / (i + 1) ** exponent]);
}

/** A label list with each name repeated its count. */
export function labels(counts: Counts): string[] {
  const out: string[] = [];
  for (const [name, c] of counts) for (let i = 0; i < c; i++) out.push(name);
  return out;
}
