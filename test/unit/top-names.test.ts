// The order and spelling of the top lists (docs/methodology.md, "Ties by name in the top lists").
import { describe, expect, it } from 'vitest';
import { IdTally } from '../../src/stats/name-tally.ts';
import { compareCodePoints, compareNameCounts, foldName, topLists } from '../../src/stats/top-names.ts';

describe('compareNameCounts', () => {
  const order: [x: [string, number], y: [string, number], first: 'x' | 'y'][] = [
    [['Remote', 5], ['boston', 4], 'x'], // count first
    [['boston', 5], ['Chicago', 5], 'x'], // then case-insensitive: b < c
    [['Chicago', 5], ['Remote', 5], 'x'],
    [['Boston', 5], ['boston', 5], 'x'], // then exact code point: B (U+0042) < b (U+0062)
    [['boston', 5], ['Boston', 5], 'y'],
    [['Zürich', 5], ['zurich', 5], 'y'], // u (U+0075) < ü (U+00FC)
    [['\uFF21', 1], ['\u{1F600}', 1], 'x'], // U+FF21 < U+1F600 by code point, though not by UTF-16 unit
  ];
  it.each(order)('%j before or after %j: %s first', (x, y, first) => {
    const a = { name: x[0], count: x[1] };
    const b = { name: y[0], count: y[1] };
    expect(Math.sign(compareNameCounts(a, b))).toBe(first === 'x' ? -1 : 1);
    expect(Math.sign(compareNameCounts(b, a))).toBe(first === 'x' ? 1 : -1);
  });

  it('is total: only a name compares equal to itself', () => {
    const names = ['boston', 'Boston', 'BOSTON', 'b', 'B', 'Bo', '', ' boston'];
    for (const x of names) for (const y of names) expect(compareNameCounts({ name: x, count: 1 }, { name: y, count: 1 }) === 0).toBe(x === y);
    expect(compareCodePoints('a\u{1F600}', 'a\u{1F600}b')).toBeLessThan(0);
  });

  it('folds case and runs of spaces, not missing spaces', () => {
    expect(foldName('  San   Francisco ')).toBe('san francisco');
    expect(foldName('SanFrancisco')).not.toBe(foldName('San Francisco'));
  });
});

describe('topLists', () => {
  it('merges spellings across roles and spells each name one way in every role', () => {
    const names = new Map([[1, 'vector search'], [2, 'Vector Search'], [3, 'python'], [4, 'k8s'], [5, 'Kubernetes']]);
    const a = new IdTally();
    a.add(1, 3);
    a.add(3, 1);
    a.add(4, 2);
    const b = new IdTally();
    b.add(2, 2);
    b.add(5, 1);
    const lists = topLists('skills', new Map([['a', a], ['b', b]]), names);
    // "vector search" is used 3 times in the week, "Vector Search" 2: the lower-case spelling shows in both roles.
    expect(lists.get('a')).toEqual([{ name: 'vector search', count: 3 }, { name: 'Kubernetes', count: 2 }, { name: 'Python', count: 1 }]);
    expect(lists.get('b')).toEqual([{ name: 'vector search', count: 2 }, { name: 'Kubernetes', count: 1 }]);
  });

  it('keeps "Remote" spelled as the product spells it and cuts at the limit', () => {
    const names = new Map([[1, 'remote'], [2, 'Austin'], [3, 'austin'], [4, 'Boston'], [5, 'Denver']]);
    const t = new IdTally();
    for (const id of [2, 3, 4, 5]) t.add(id, 2);
    t.add(1, 3);
    expect(topLists('metros', new Map([['r', t]]), names).get('r')).toEqual([
      { name: 'Austin', count: 4 },
      { name: 'Remote', count: 3 },
      { name: 'Boston', count: 2 },
    ]);
  });
});
