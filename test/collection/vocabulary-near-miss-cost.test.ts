import { describe, expect, it } from 'vitest';
import { checkVocabulary, nearMiss } from '../../pipeline/collection/vocabulary.ts';

/*
 * A vocabulary of 1,000 labels and 3,000 distinct labels outside it: each near-miss search compared the label with
 * every vocabulary label, and checkVocabulary took about 8 s on 10,000 (checkLabels 10 s more). The vocabulary is
 * indexed now; the answers must be the same. What it costs is measured in bench/vocabulary.ts, not here: this test
 * compared two timings, and a loaded machine failed it (tester T6, 7 December 2026).
 */

const letters = 'abcdefghijklmnopqrstuvwxyz';
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const word = (n: number) => Array.from({ length: n }, () => letters[Math.floor(rand() * 26)]).join('');

describe('near misses against a large vocabulary', () => {
  it('finds the near misses of 3,000 labels in a vocabulary of 1,000', () => {
    const vocabulary = [...new Set(Array.from({ length: 1200 }, () => word(5 + Math.floor(rand() * 8))))].slice(
      0,
      1000,
    );
    const known = new Set(vocabulary);
    const outside = new Set<string>();
    for (let i = 0; outside.size < 3_000; i++) {
      const v = vocabulary[i % 100]!;
      const at = Math.floor(rand() * v.length);
      const label = i % 3 === 0 ? word(4 + (i % 10)) : `${v.slice(0, at)}${letters[i % 26]}${v.slice(at + 1)}`;
      if (!known.has(label)) outside.add(label);
    }
    const check = checkVocabulary({
      labels: [...outside].map((label) => ({ label })),
      vocabulary,
      nearMissesSaid: true,
    });
    expect(check.nearMisses.length).toBeGreaterThan(1_000);
    for (const miss of check.nearMisses.slice(0, 50)) expect(known.has(miss.meant)).toBe(true);
  });

  it('the same answers: capitals, plurals, a letter or two, ambiguity and numbers', () => {
    const vocabulary = ['figurine', 'vessel', 'chain', 'chair', 'vase-1', 'vase-2', 'necklace'];
    const ask = (label: string, count = 1) => nearMiss({ label, count, vocabulary, minPerLabel: 3 });
    expect(ask('Figurine')).toEqual({ meant: 'figurine', slip: true });
    expect(ask('vessels')).toEqual({ meant: 'vessel', slip: true });
    expect(ask('figurnie', 5)).toEqual({ meant: 'figurine', slip: false });
    expect(ask('neckalce')).toEqual({ meant: 'necklace', slip: true });
    expect(ask('chaim')).toBeUndefined(); // chain and chair: not one label
    expect(ask('vase-3')).toBeUndefined();
    expect(ask('vase 1')).toEqual({ meant: 'vase-1', slip: true });
    expect(ask('statuary')).toBeUndefined();
    // Indexed again when the vocabulary array changes.
    vocabulary.push('statue');
    expect(ask('statues')).toEqual({ meant: 'statue', slip: true });
  });
});
