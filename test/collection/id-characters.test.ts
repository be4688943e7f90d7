import { describe, expect, it } from 'vitest';
import { idCharacters } from '../../pipeline/collection/value-limits.ts';

/*
 * Reviewer V34 M4 and LOW: a zero-width non-joiner or joiner (U+200C, U+200D) was taken anywhere in an id
 * ("A" U+200C "1", one at the start, one before a hyphen), though it is a letter of a word only between letters of
 * the scripts written with it (joinerInWord); a line or paragraph separator, a Hangul filler or a no-break space
 * went through too, and an Arabic letter mark was called "a Arabic letter mark".
 */

describe('the characters no object id may hold', () => {
  it('refuses a joiner or non-joiner that joins no letters of a script written with them', () => {
    for (const id of ['A\u200c1', '\u200dDM-1', 'DM\u200c-1', 'DM-1\u200d'])
      expect(idCharacters(id)?.words, JSON.stringify(id)).toMatch(/U\+200[CD]/);
  });

  it('takes a joiner between letters of Persian or Hindi, which is part of how the word is written', () => {
    expect(idCharacters('کتاب\u200cخانه-12')).toBeUndefined();
    expect(idCharacters('क्\u200dष-3')).toBeUndefined();
  });

  it('refuses a line or paragraph separator, a Hangul filler and a no-break space', () => {
    for (const [c, code] of [
      ['\u2028', 'U+2028'],
      ['\u2029', 'U+2029'],
      ['\u3164', 'U+3164'],
      ['\u00a0', 'U+00A0'],
    ])
      expect(idCharacters(`DM${c}0001`)?.words, code).toContain(code);
  });

  it('names an Arabic letter mark with "an"', () => {
    expect(idCharacters('DM-\u061c1')?.words).toContain('an Arabic letter mark');
  });
});
