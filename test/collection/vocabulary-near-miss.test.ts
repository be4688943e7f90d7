import { describe, expect, it } from 'vitest';
import { checkVocabulary } from '../../pipeline/collection/vocabulary.ts';

/*
 * Tester, 2026-12-02 #4, at import: a label that is a near miss of one vocabulary label (capitals, spaces, a
 * letter) is a slip in labels.csv: its "did you mean" comes first and alone, not "add it to the vocabulary".
 */

const vocabulary = ['coin', 'mask', 'figurine'];
const used = (label: string, n: number, from: number) =>
  Array.from({ length: n }, (_, i) => ({ label, line: from + i }));

describe('checkVocabulary and near misses', () => {
  it('says only "did you mean" with the line for one slip', () => {
    const check = checkVocabulary({
      labels: [...used('coin', 10, 2), { label: 'Figurine ', line: 12 }, ...used('figurine', 10, 13)],
      vocabulary,
      minPerLabel: 5,
    });
    expect(check.message).toBe(
      'labels.csv:12: "Figurine " is not one of the labels of this collection. Did you mean "figurine"?',
    );
    expect(check.where).toEqual({ file: 'labels.csv', line: 12 });
    expect(check.nearMisses.map((c) => c.meant)).toEqual(['figurine']);
  });

  it('shows an invisible character that is all that sets a label apart (a pasted soft hyphen)', () => {
    // Session 37: "Did you mean "figurine"?" of a label that printed as "figurine" too.
    const check = checkVocabulary({
      labels: [...used('coin', 10, 2), ...used('fig\u00ADurine', 2, 12), ...used('figurine', 10, 14)],
      vocabulary,
      minPerLabel: 5,
    });
    expect(check.message).toBe(
      'labels.csv: "fig<U+00AD>urine" (2 objects, on lines 12, 13) is not one of the labels of this collection. ' +
        'Did you mean "figurine"? It has an invisible character or another space (shown here as <U+00AD>), which ' +
        'makes the two look alike. Correct it on those lines.',
    );
    const joiner = checkVocabulary({ labels: [{ label: 'coin\u200B\u2060', line: 2 }], vocabulary });
    expect(joiner.message).toMatch(
      /"coin<U\+200B><U\+2060>" .*invisible characters or other spaces \(shown here as <U\+200B>, <U\+2060>\)/,
    );
    // The reviewer: a no-break space, and accents written as a letter and a mark, print alike too.
    const spaced = checkVocabulary({ labels: [{ label: 'terre\u00A0cuite', line: 2 }], vocabulary: ['terre cuite'] });
    expect(spaced.message).toContain('"terre<U+00A0>cuite" is not one of the labels');
    const accents = checkVocabulary({ labels: [{ label: 'ce\u0301ramique', line: 2 }], vocabulary: ['céramique'] });
    expect(accents.message).toContain('It has its accents encoded another way (as a Mac writes them)');
  });

  it('puts the slip first, and keeps the advice for a new label apart from it', () => {
    const check = checkVocabulary({
      labels: [
        ...used('coin', 10, 2),
        ...used('Statuary', 6, 12),
        { label: 'Coin', line: 18 },
        { label: 'Coins', line: 19 },
      ],
      vocabulary,
      minPerLabel: 5,
    });
    const [heading, first, second, ...rest] = check.message.split('\n');
    expect(heading).toBe('labels.csv has 2 labels that look like labels of this collection written another way:');
    expect(first).toBe('  labels.csv:18: "Coin" is not one of the labels of this collection. Did you mean "coin"?');
    expect(second).toBe('  labels.csv:19: "Coins" is not one of the labels of this collection. Did you mean "coin"?');
    expect(rest.join('\n')).toMatch(
      /^1 label used in labels\.csv is not in collection\.vocabulary in params\.yaml: Statuary \(6\)/,
    );
    expect(rest.join('\n')).not.toMatch(/Coin/);
  });

  it('gives no "did you mean" when two vocabulary labels are as near', () => {
    const check = checkVocabulary({ labels: [{ label: 'Vase', line: 2 }], vocabulary: ['vase', 'VASE'] });
    expect(check.nearMisses).toEqual([]);
    expect(check.message).toMatch(/is not in collection\.vocabulary/);
  });
});
