import { describe, expect, it } from 'vitest';
import { fold, foldedCopy } from '../../site/src/lib/fold.ts';

/*
 * An object page carries a hidden folded copy of its text for search when it has Latin letters Pagefind does not
 * fold itself ("Łódź" → "Lodz"). The copy was the whole text again: a long title (or description) with such a
 * letter was written twice on its page, a 200,000-character title 200,000 more. Search needs only the words that
 * folding changes, once each: Pagefind finds a page by its words, wherever they are on it.
 */

describe('the hidden folded copy of an object page’s text', () => {
  it('holds the words that folding changes, once each, not the whole text', () => {
    expect(foldedCopy('Plate from Łódź')).toBe('Lodz');
    expect(foldedCopy('Ewer, see MET_12')).toBe('MET12');
    expect(foldedCopy('Łódź and Łódź, Straße in Łódź')).toBe('Lodz Strasse');
    // Nothing when Pagefind's own folding of accents is enough.
    expect(foldedCopy('Château in Orléans')).toBe('');
  });

  it('stays small for a title of 200,000 characters with such letters all through it', () => {
    const title = `Giant ${'Łódź lorem ipsum Ørsted dolor sit amet '.repeat(6000)}end`;
    expect(title.length).toBeGreaterThan(200_000);
    const copy = foldedCopy(title);
    expect(copy).toBe('Lodz Orsted');
  });

  it('stays bounded when every word is different, keeping the first ones', () => {
    const words = Array.from({ length: 50_000 }, (_, i) => `Ł${i}`);
    const copy = foldedCopy(words.join(' '));
    expect(copy.startsWith('L0 L1 L2 ')).toBe(true);
    expect(copy.length).toBeLessThanOrEqual(10_000);
    // A word pasted without spaces (megabytes of one "word") is no word anyone types: left out.
    expect(foldedCopy(`${'Ł'.repeat(1_000_000)} Łódź`)).toBe('Lodz');
  });

  it('gives each word as the search page folds what is typed', () => {
    for (const word of ['Łódź', 'MET_544744', 'Æthelred', 'Đakovo']) expect(foldedCopy(word)).toBe(fold(word));
  });
});

// Reviewer V10: a run mixing scripts gave tails from inside a number or a Latin word ("14年" of "1914年"), so "14"
// found every page with a year written so.
describe('the tails of a run written without spaces', () => {
  it('start only at a character of such a script, never inside a number, a Latin word or at a Thai mark', () => {
    const words = (text: string) => foldedCopy(text).split(' ');
    expect(words('Made in 1914年')).not.toEqual(expect.arrayContaining(['914年']));
    expect(words('Made in 1914年').some((w) => /^\d/.test(w))).toBe(false);
    expect(words('Vase花瓶').some((w) => /^[a-z]/i.test(w))).toBe(false);
    expect(words('Vase花瓶')).toEqual(expect.arrayContaining(['花瓶', '瓶']));
    expect(words('東京の風景と壺')).toEqual(expect.arrayContaining(['風景と壺', '壺']));
    expect(words('ภาพวาดแจกัน').some((w) => /^\p{M}/u.test(w))).toBe(false);
  });
});
