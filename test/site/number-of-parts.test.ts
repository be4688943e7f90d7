import { describe, expect, it } from 'vitest';
import { answeredShort, numbersOfParts } from '../../site/src/lib/number.ts';

/*
 * A number of parts typed ("12.5", "1914.699.b"), which Pagefind searches run together and, finding no word starting
 * so, answers for a shorter number: "1914.699.b" listed 1914.699.a, .c and .d, and "12.5" said no object has "5"
 * (an outside tester). The search page checks such a number whole (browse.astro wordsNoObjectHas).
 */
describe('a number of parts typed', () => {
  it('is a word with a digit and parts of digits or one or two letters', () => {
    expect(numbersOfParts('12.5 1914.699.b ms-12/3 dm-0267')).toEqual(['12.5', '1914.699.b', 'ms-12/3', 'dm-0267']);
    expect(numbersOfParts('19th-century vase 1887 12. .5 co.uk')).toEqual([]);
  });

  it('is no date written "c.1900" or a range of years: those are checked word by word, as before (a found date)', () => {
    // Checked whole, "c.1900" and "1887-1889" found nothing where objects are dated "c. 1900" and "1887-89".
    expect(numbersOfParts('c.1900 ca.1850 circa.1900 1887-1889 1887–89 1914/18 1650-1700')).toEqual([]);
    // Numbers of a collection stay numbers: a later part smaller than a year's end, or three parts.
    expect(numbersOfParts('1975-12 1975-1 c.12-1975 c.12 1887-1889-2')).toEqual([
      '1975-12',
      '1975-1',
      'c.12-1975',
      'c.12',
      '1887-1889-2',
    ]);
    // A dot makes no range (accession numbers "2015.23", "1914.18"), nor years centuries apart (the V&A's "1234-1869").
    expect(numbersOfParts('2015.23 2005.12 1923.45 1914.18 1234-1869 1887.10')).toEqual([
      '2015.23',
      '2005.12',
      '1923.45',
      '1914.18',
      '1234-1869',
      '1887.10',
    ]);
  });

  it('is answered short when every mark starts with its first parts and none with the whole number', () => {
    expect(answeredShort('1914.699.b', ['1914699a'])).toBe(true);
    expect(answeredShort('1914.699.b', ['1914699', '1914699c'])).toBe(true);
    expect(answeredShort('12.5', ['12'])).toBe(true);
    expect(answeredShort('12.5', ['126'])).toBe(true);
  });

  it('is not answered short when a mark has the whole number, or when marks say nothing of it', () => {
    expect(answeredShort('12.5', ['125'])).toBe(false);
    expect(answeredShort('1914.699.a', ['1914699a'])).toBe(false);
    expect(answeredShort('1914.699', ['1914699a'])).toBe(false);
    // No mark (a match in a field the excerpt does not show), or another word marked: Pagefind's answer stands.
    expect(answeredShort('12.5', [])).toBe(false);
    expect(answeredShort('12.5', ['beaker'])).toBe(false);
  });
});
