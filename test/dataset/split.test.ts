import { describe, expect, it } from 'vitest';
import { assignSplits, splitOfId, splitPosition } from '../../pipeline/dataset/split.ts';
import type { Split } from '../../pipeline/types.ts';

const fractions = { validation: 0.15, test: 0.2, salt: 'vitrine-split-v1' };
const ids = (n: number, prefix = 'obj-') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

describe('splits', () => {
  it('gives each id a position in [0, 1) that depends on the id and the salt only', () => {
    const u = splitPosition({ id: 'EA 24', salt: 's' });
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    expect(splitPosition({ id: 'EA 24', salt: 's' })).toBe(u);
    expect(splitPosition({ id: 'EA 24', salt: 't' })).not.toBe(u);
    expect(splitPosition({ id: 'EA 25', salt: 's' })).not.toBe(u);
  });

  it('matches the configured proportions on a large collection', () => {
    const n = 20_000;
    const counts: Record<Split, number> = { train: 0, validation: 0, test: 0 };
    for (const id of ids(n)) counts[splitOfId({ id, ...fractions })]++;
    expect(counts.test / n).toBeGreaterThan(0.19);
    expect(counts.test / n).toBeLessThan(0.21);
    expect(counts.validation / n).toBeGreaterThan(0.14);
    expect(counts.validation / n).toBeLessThan(0.16);
    expect(counts.train / n).toBeGreaterThan(0.64);
    expect(counts.train / n).toBeLessThan(0.66);
  });

  it('never moves an existing object when objects are added, removed or reordered', () => {
    const before = ids(2000).map((id, i) => ({ id, image: `md5-${i}` }));
    const first = assignSplits({ objects: before, fractions });
    const grown = [
      ...ids(3000, 'new-').map((id, i) => ({ id, image: `new-md5-${i}` })),
      ...before.filter((_, i) => i % 7 !== 0),
    ].reverse();
    const second = assignSplits({ objects: grown, fractions });
    for (const { id } of grown) if (first.has(id)) expect(second.get(id)).toBe(first.get(id));
  });

  it('puts objects with identical images in the split of the smallest id', () => {
    const objects = ids(3000).map((id, i) => ({ id, image: `md5-${Math.floor(i / 3)}` }));
    const splits = assignSplits({ objects, fractions });
    const byMd5 = new Map<string, Set<Split>>();
    for (const o of objects) byMd5.set(o.image, (byMd5.get(o.image) ?? new Set()).add(splits.get(o.id)!));
    for (const set of byMd5.values()) expect(set.size).toBe(1);
    // Every group follows its smallest id, whatever the order of the list.
    for (let g = 0; g < 1000; g++)
      expect(splits.get(`obj-${String(g * 3).padStart(5, '0')}`)).toBe(
        splitOfId({ id: `obj-${String(g * 3).padStart(5, '0')}`, ...fractions }),
      );
    const shuffled = assignSplits({ objects: [...objects].reverse(), fractions });
    for (const o of objects) expect(shuffled.get(o.id)).toBe(splits.get(o.id));
    // Grouping really moves objects: some group members differ from their own id's split.
    expect(objects.some((o) => splits.get(o.id) !== splitOfId({ id: o.id, ...fractions }))).toBe(true);
  });

  it('reshuffles when the salt changes', () => {
    const all = ids(1000);
    const moved = all.filter(
      (id) => splitOfId({ id, ...fractions }) !== splitOfId({ id, ...fractions, salt: 'other' }),
    );
    expect(moved.length).toBeGreaterThan(200);
  });
});
