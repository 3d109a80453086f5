// The skill premium on constructed postings: a known difference between the
// medians of postings listing a skill and those not, its bootstrap interval
// covers it, the same seed gives the same result; and the reading of the
// snapshot scan's names (':' marks postings that disclose pay) in the walk
// that also counts the top lists.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/stats/rng.ts';
import { addNamesAndSkills, DisclosedSkills, skillPremiums } from '../../src/stats/skill-premium.ts';
import { addNames, IdTally } from '../../src/stats/name-tally.ts';

/** n postings: bit 0 (Python) on the first nWith, paid around 150K; the rest around 130K; bit 1 (SQL) on every other posting, no pay difference. */
function constructed(nWith: number, nWithout: number, seed: string) {
  const rng = createRng(seed);
  const pays: number[] = [];
  const masks: number[] = [];
  for (let i = 0; i < nWith + nWithout; i++) {
    const base = i < nWith ? 150_000 : 130_000;
    pays.push(Math.round(base + 20_000 * (rng.next() - 0.5)));
    masks.push((i < nWith ? 1 : 0) | (i % 2 === 0 ? 2 : 0));
  }
  return { pays: Float64Array.from(pays), masks: Uint8Array.from(masks) };
}

describe('skillPremiums', () => {
  it('finds a known premium with n on both sides, and an interval that covers it', () => {
    const [python, sql] = skillPremiums(['Python', 'SQL'], constructed(400, 600, 'known'), '2026-W47/ml');
    expect(python!.with.n).toBe(400);
    expect(python!.without.n).toBe(600);
    expect(python!.premium!).toBeGreaterThan(17_000);
    expect(python!.premium!).toBeLessThan(23_000);
    expect(python!.ci![0]).toBeLessThan(20_000);
    expect(python!.ci![1]).toBeGreaterThan(20_000);
    expect(python!.ci![0]).toBeGreaterThan(0);
    expect(sql!.with.n + sql!.without.n).toBe(1000);
    expect(sql!.ci![0]).toBeLessThan(0);
    expect(sql!.ci![1]).toBeGreaterThan(0);
  });

  it('gives the true premium inside its 95% interval in about 95% of simulated roles', () => {
    let covered = 0;
    const runs = 200;
    for (let r = 0; r < runs; r++) {
      const [p] = skillPremiums(['Python'], constructed(80, 120, `cover-${r}`), `cover-${r}`);
      if (p!.ci![0] <= 20_000 && 20_000 <= p!.ci![1]) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.88);
    expect(covered / runs).toBeLessThanOrEqual(1);
  });

  it('is identical for the same seed and differs for another', () => {
    const data = constructed(50, 70, 'seed');
    const a = skillPremiums(['Python'], data, '2026-W47/ml');
    expect(skillPremiums(['Python'], data, '2026-W47/ml')).toEqual(a);
    expect(skillPremiums(['Python'], data, '2026-W48/ml')[0]!.ci).not.toEqual(a[0]!.ci);
  });

  it('gives no median under 5 postings a side and no interval under 15', () => {
    const [few] = skillPremiums(['Python'], constructed(4, 40, 'few'), 's');
    expect(few!.with.median).toBeNull();
    expect(few!.premium).toBeNull();
    const [some] = skillPremiums(['Python'], constructed(10, 40, 'some'), 's');
    expect(some!.premium).not.toBeNull();
    expect(some!.ci).toBeNull();
  });
});

describe('addNamesAndSkills', () => {
  // Postings: company 9 skills 3,4 (no pay); company 0 skill 4 (pay 100); company 7 skill 3 (pay 200); company 9 no skills (no pay).
  const bitOf = Uint8Array.from([0, 0, 0, 1, 2]);
  const read = (names: string, pays: number[]) => {
    const companies = new IdTally();
    const skills = new IdTally();
    const out = new DisclosedSkills();
    addNamesAndSkills(names, Float64Array.from(pays), companies, skills, out);
    const tally = (t: IdTally) => {
      const list: number[][] = [];
      t.forEach((id, n) => list.push([id, n]));
      return list;
    };
    return { companies: tally(companies), skills: tally(skills), ...out.masks(bitOf) };
  };

  it('pairs the k-th posting marked ":" with the k-th pay, the first posting by count, and counts names as addNames does', () => {
    const r = read('9,3,4:0,4:7,3;9', [100, 200]);
    expect([...r.pays]).toEqual([100, 200]);
    expect([...r.masks]).toEqual([2, 1]);
    const first = read('0,4:7,3;9,3,4', [100, 200]);
    expect([...first.pays]).toEqual([100, 200]);
    expect([...first.masks]).toEqual([2, 1]);
    const companies = new IdTally();
    const skills = new IdTally();
    addNames('9,3,4:0,4:7,3;9', companies, skills);
    const plain: number[][] = [];
    skills.forEach((id, n) => plain.push([id, n]));
    expect(r.skills).toEqual(plain);
    expect(r.companies).toEqual([[7, 1], [9, 2]]);
    expect(r.skills).toEqual([[3, 2], [4, 2]]);
  });

  it('refuses rows whose marks and pays disagree', () => {
    expect(() => read('0,4:7,3:9,3,4', [100])).toThrow();
  });
});
