import { describe, expect, it } from 'vitest';
import { numberIndex, numberKey, numberPiece, numberTyped } from '../../pipeline/catalogue/slug-rules.ts';
import { summariseDataset } from '../../pipeline/registry/card.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { facetCounts } from '../../site/src/lib/facet-counts.ts';

/*
 * Words a museum may well type, which are also the names of every JavaScript object's own properties
 * ("constructor", "toString", "__proto__"). An object numbered "constructor" stopped the catalogue build
 * ("….push is not a function"); a department called so was counted as "function Object() …1" on the search page,
 * and one called "__proto__" vanished from its filter.
 */
const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

describe('values named like a JavaScript object’s properties', () => {
  it('an object numbered “constructor” or “__proto__” gets its entry in the object-number index', () => {
    const objects = names.map((id) => ({ id, slug: id.toLowerCase() }));
    const pieces = numberIndex(objects);
    for (const { id, slug } of objects) {
      const piece = pieces.get(numberPiece(numberKey(id)!))!;
      expect(numberTyped(id, piece)).toEqual({ id, slug });
    }
    // The index is written as JSON and read back by the search page: the entries survive that too.
    for (const { id, slug } of objects) {
      const piece = JSON.parse(JSON.stringify(pieces.get(numberPiece(numberKey(id)!))!));
      expect(numberTyped(id, piece)).toEqual({ id, slug });
    }
  });

  it('the search page counts a department, material or colour called “constructor” or “__proto__” once each', () => {
    const counts = facetCounts([
      { facet: 'department', value: 'constructor' },
      { facet: 'department', value: '__proto__' },
      { facet: 'department', value: '__proto__' },
      { facet: 'medium', value: 'toString' },
      { facet: '__proto__', value: 'x' },
    ]);
    // Written as JSON into the page; a literal {"__proto__": …} here would set a prototype, not a property.
    const expected = '{"department":{"constructor":1,"__proto__":2},"medium":{"toString":1},"__proto__":{"x":1}}';
    expect(JSON.parse(JSON.stringify(counts))).toEqual(JSON.parse(expected));
    expect(JSON.stringify(counts)).toBe(expected);
  });

  it('a model card counts the objects of a label called “constructor” or “__proto__”', () => {
    const dataset = {
      labels: ['constructor', '__proto__'],
      objects: [
        { id: 'a', label: 'constructor', split: 'train', medium: '', extra: {} },
        { id: 'b', label: '__proto__', split: 'test', medium: '', extra: {} },
        { id: 'c', label: '__proto__', split: 'train', medium: '', extra: {} },
      ],
    } as unknown as Dataset;
    const { byLabel } = summariseDataset({ dataset, factors: [] });
    expect(Object.keys(byLabel).sort()).toEqual(['__proto__', 'constructor']);
    expect(byLabel.constructor).toEqual({ train: 1, validation: 0, test: 0 });
    expect(Object.getOwnPropertyDescriptor(byLabel, '__proto__')?.value).toEqual({ train: 1, validation: 0, test: 1 });
  });
});
