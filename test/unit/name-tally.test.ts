import { describe, expect, it } from 'vitest';
import { addNames, IdTally } from '../../src/stats/name-tally.ts';

function tally(counts: Record<number, number>): IdTally {
  const t = new IdTally();
  for (const [id, n] of Object.entries(counts)) t.add(Number(id), n);
  return t;
}

const entries = (t: IdTally) => {
  const out: [number, number][] = [];
  t.forEach((id, n) => out.push([id, n]));
  return out;
};

describe('IdTally.forEach', () => {
  it('lists every counted id with its count, in id order, growing past its first size', () => {
    expect(entries(tally({ 900: 8, 1: 9, 2: 7 }))).toEqual([[1, 9], [2, 7], [900, 8]]);
    expect(entries(tally({ 4: 1, 70_000: 2 }))).toEqual([[4, 1], [70_000, 2]]);
  });

  it('adds up repeated ids and lists nothing when empty', () => {
    const t = new IdTally();
    t.add(3);
    t.add(3, 4);
    expect(entries(t)).toEqual([[3, 5]]);
    expect(entries(new IdTally())).toEqual([]);
  });
});

describe('addNames', () => {
  it('counts the first id of each posting as its company (0: none) and the rest as skills', () => {
    const companies = new IdTally();
    const skills = new IdTally();
    addNames('12,3,4;0;12;0,4,4;7,300', companies, skills);
    expect(entries(companies)).toEqual([[7, 1], [12, 2]]);
    expect(entries(skills)).toEqual([[3, 1], [4, 3], [300, 1]]);
  });
});
