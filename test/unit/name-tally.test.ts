import { describe, expect, it } from 'vitest';
import { addNames, IdTally } from '../../src/stats/name-tally.ts';

function tally(counts: Record<number, number>): IdTally {
  const t = new IdTally();
  for (const [id, n] of Object.entries(counts)) t.add(Number(id), n);
  return t;
}

describe('IdTally.candidates', () => {
  it('keeps every id ranked within the limit, ties at the cut included', () => {
    const t = tally({ 1: 9, 2: 7, 3: 7, 4: 7, 5: 3, 900: 8 });
    expect(t.candidates(2).sort((a, b) => a[0] - b[0])).toEqual([[1, 9], [900, 8]]);
    expect(t.candidates(3).sort((a, b) => a[0] - b[0])).toEqual([[1, 9], [2, 7], [3, 7], [4, 7], [900, 8]]);
    // rank() of the count 7 is 3, of 3 is 6.
    expect(t.candidates(5).map(([id]) => id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 900]);
    expect(t.candidates(6).map(([id]) => id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 900]);
  });

  it('returns all ids when fewer than the limit, none when empty', () => {
    expect(tally({ 4: 1, 70_000: 2 }).candidates(8)).toEqual([[4, 1], [70_000, 2]]);
    expect(new IdTally().candidates(5)).toEqual([]);
  });
});

describe('addNames', () => {
  it('counts the first id of each posting as its company (0: none) and the rest as skills', () => {
    const companies = new IdTally();
    const skills = new IdTally();
    addNames('12,3,4;0;12;0,4,4;7,300', companies, skills);
    expect(companies.candidates(10).sort((a, b) => a[0] - b[0])).toEqual([[7, 1], [12, 2]]);
    expect(skills.candidates(10).sort((a, b) => a[0] - b[0])).toEqual([[3, 1], [4, 3], [300, 1]]);
  });
});
