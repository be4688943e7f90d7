import { describe, expect, it } from 'vitest';
import { stemKeepsStart } from '../../site/src/lib/stem.ts';

// Each word with its stem by Snowball's English stemmer (libstemmer 2.2, as Pagefind's rust-stemmers): those whose stem
// is not their start are searched alone by the search page, not taken as found from a word an object has that starts
// with them. The rule was checked against the stemmer over about a million words (each word of the docs, tests and
// licence texts with common endings added): none whose stem is not its start was said to keep it.
describe('whether the English stemmer keeps the start of a typed word', () => {
  it('says no when a letter is changed or added', () => {
    const changed: [string, string][] = [
      ['cry', 'cri'],
      ['crying', 'cri'],
      ['happy', 'happi'],
      ['skies', 'sky'],
      ['dying', 'die'],
      ['ugly', 'ugli'],
      ['hoping', 'hope'],
      ['rating', 'rate'],
      ['sizing', 'size'],
    ];
    for (const [word, stem] of changed) {
      expect(word.startsWith(stem), word).toBe(false);
      expect(stemKeepsStart(word), word).toBe(false);
    }
  });

  it('says yes when the stem is the word or its start', () => {
    const kept: [string, string][] = [
      ['folder', 'folder'],
      ['box', 'box'],
      ['crystal', 'crystal'],
      ['goblet', 'goblet'],
      ['play', 'play'],
      ['played', 'play'],
      ['paintings', 'paint'],
      ['harbours', 'harbour'],
      ['carved', 'carv'],
      ['fishermen', 'fishermen'],
      ['w1', 'w1'],
    ];
    for (const [word, stem] of kept) {
      expect(word.startsWith(stem), word).toBe(true);
      expect(stemKeepsStart(word), word).toBe(true);
    }
  });
});
