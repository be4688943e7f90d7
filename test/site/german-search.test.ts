import { describe, expect, it } from 'vitest';
import { APPROXIMATE } from '../../pipeline/catalogue/date-languages.ts';
import { altText } from '../../pipeline/catalogue/derive.ts';
import { foldedCopy } from '../../site/src/lib/fold.ts';
import { ABOUT_WORDS, centuryFilter, centuryTyped, datesAsYears, datesWritten } from '../../site/src/lib/number.ts';
import { asTyped, parseQuery, saidNothing, TERMS, umlautsEitherWay } from '../../site/src/lib/query.ts';

/*
 * A German museum's catalogue searched as German visitors type (tester T2): "Muenze" for "Münze", "um 1887",
 * "19. Jh.", and a maker "unbekannt". The site's modules called as plain functions (no site build).
 */

const w = (text: string) => ({ text, phrase: false });
// Another spelling of a word typed, searched with it quietly.
const o = (text: string, typed: string) => ({ text, phrase: false, typed });

describe('an umlaut typed as ae, oe or ue', () => {
  it('finds the word written with the umlaut: the page has a hidden copy written so', () => {
    const copy = foldedCopy('Münze aus Köln, Zürich; Löwenkopf von Großgründlach, Gefäß (Müller)').split(' ');
    for (const word of ['Muenze', 'Koeln', 'Zuerich', 'Loewenkopf', 'Grossgruendlach', 'Gefaess', 'Mueller']) {
      expect(copy).toContain(word);
    }
    // Capitals, and an umlaut written as u and a combining mark (as some systems export it).
    expect(foldedCopy('ÄGYPTEN Über')).toBe('AEGYPTEN Ueber');
    expect(foldedCopy('Mu\u0308nze')).toBe('Muenze');
  });

  it('leaves words where ae, oe and ue are ordinary letters as they are', () => {
    expect(foldedCopy('blue queen Israel aerial poem duet Raphael Feuer Poesie')).toBe('');
    expect(parseQuery('blue queen poem Muenze')).toEqual(umlautsEitherWay(parseQuery('blue queen poem Muenze')));
  });

  it('searches a word typed with the umlaut both ways, so that a catalogue writing Muenze is found', () => {
    const q = umlautsEitherWay(parseQuery('Münze'));
    expect(q.anyOf).toEqual([[w('Münze')], [o('Muenze', 'Münze')]]);
    // Each such word either way, with the other words: (Münze or Muenze) and (Köln or Koeln) and silber.
    expect(umlautsEitherWay(parseQuery('Münze Köln silber')).anyOf).toEqual([
      [w('Münze'), w('Köln'), w('silber')],
      [w('Münze'), o('Koeln', 'Köln'), w('silber')],
      [o('Muenze', 'Münze'), w('Köln'), w('silber')],
      [o('Muenze', 'Münze'), o('Koeln', 'Köln'), w('silber')],
    ]);
    expect(umlautsEitherWay(parseQuery('vase -Töpferei')).without).toEqual([w('Töpferei'), o('Toepferei', 'Töpferei')]);
  });

  it('stays within the alternatives the page searches, writing every umlaut so at once beyond them', () => {
    const q = umlautsEitherWay(parseQuery('ä1 ö2 ü3 ä4 ö5'));
    expect(q.anyOf).toEqual([
      [w('ä1'), w('ö2'), w('ü3'), w('ä4'), w('ö5')],
      [o('ae1', 'ä1'), o('oe2', 'ö2'), o('ue3', 'ü3'), o('ae4', 'ä4'), o('oe5', 'ö5')],
    ]);
  });

  it('says back only what was typed: the other spelling is searched quietly, not said on the status line', () => {
    // "N objects for “Göteborg” or “Goeteborg”", "without “Münze” or “Muenze”" named a spelling nobody typed.
    for (const typed of ['Göteborg -Münze', 'Köln OR Zürich silber', 'vase -"Münze aus Köln"', 'Göteborg Ölmalerei']) {
      expect(asTyped(umlautsEitherWay(parseQuery(typed)))).toEqual(parseQuery(typed));
    }
  });

  it('says that no object has a typed word once, and only when neither spelling found an object', () => {
    const q = umlautsEitherWay(parseQuery('Münze OR zebra'));
    // Münze, Muenze, zebra: neither spelling of Münze found anything, nor did zebra.
    expect(saidNothing(q.anyOf, [false, false, false])).toEqual([true, false, true]);
    // Muenze found objects: nothing is said of Münze.
    expect(saidNothing(q.anyOf, [false, true, false])).toEqual([false, false, true]);
    const without = umlautsEitherWay(parseQuery('vase -Töpferei')).without.map((t) => [t]);
    expect(saidNothing(without, [false, false])).toEqual([true, false]);
    expect(saidNothing(without, [true, false])).toEqual([false, false]);
  });

  it('keeps a word of one letter too short to search: Ü, Ö and Ä alone are not searched as Ue, Oe and Ae', () => {
    for (const typed of ['Ü', 'ö', 'Ä', 'mask -ü', 'ö-1']) {
      expect(umlautsEitherWay(parseQuery(typed))).toEqual(parseQuery(typed));
    }
  });

  it('searches at most TERMS words after a minus and phrases in all, the other spellings among them', () => {
    const ten = Array.from({ length: TERMS }, (_, i) => `-Töpfer${i}`).join(' ');
    const q = umlautsEitherWay(parseQuery(`vase ${ten}`));
    expect(q.without.length).toBe(TERMS);
    expect(asTyped(q).without.length).toBe(TERMS);
    // Room for one other spelling: the phrase searched for has it, the words left out do not.
    const eight = Array.from({ length: TERMS - 2 }, (_, i) => `-Töpfer${i}`).join(' ');
    const r = umlautsEitherWay(parseQuery(`vase ${eight} "Münze aus Köln"`));
    const phrases = new Set(
      r.anyOf
        .flat()
        .filter((t) => t.phrase)
        .map((t) => t.text),
    );
    expect(r.without.length + phrases.size).toBe(TERMS);
    expect(r.without.map((t) => t.text).slice(0, 2)).toEqual(['Töpfer0', 'Töpfer1']);
    expect([...phrases]).toEqual(['Münze aus Köln', 'Muenze aus Koeln']);
  });
});

describe('a year typed with a word of about in other languages', () => {
  it('searches "um 1887", "etwa 1887", "vers 1887", "omstreeks 1887-89" by the year, as "ca. 1887"', () => {
    expect(datesAsYears('ca. 1887')).toBe('1887');
    for (const about of ['um', 'Um', 'etwa', 'gegen', 'vers', 'environ', 'omstreeks', 'ongeveer', 'hacia']) {
      expect(datesAsYears(`${about} 1887`)).toBe('1887');
      expect(datesAsYears(`Kanne ${about} 1887-89`)).toBe('Kanne 1887');
      expect(datesWritten(`${about} 1887`)).toEqual([`${about} 1887`]);
    }
  });

  it('leaves such a word that comes before no year as typed', () => {
    expect(datesAsYears('um Mitternacht')).toBe('um Mitternacht');
    expect(datesAsYears('Kanne um')).toBe('Kanne um');
    expect(datesAsYears('gegen 12')).toBe('gegen 12');
    expect(datesWritten('vers libre')).toEqual([]);
  });

  it('knows the words the dates of the catalogue are read with, one-word ones but verso (the back of a sheet)', () => {
    const words = APPROXIMATE.split('|').filter((a) => /^[a-z]+$/.test(a) && a !== 'verso');
    expect(words.filter((a) => !ABOUT_WORDS.includes(a))).toEqual([]);
  });
});

describe('a century typed in German', () => {
  it('is the century, as "19th century" is', () => {
    expect(centuryTyped('19th century')).toBe(19);
    expect(centuryTyped('19. Jh.')).toBe(19);
    expect(centuryTyped('19. Jahrhundert')).toBe(19);
    expect(centuryTyped('18.Jahrhundert')).toBe(18);
    expect(centuryTyped('19. Jhd.')).toBe(19);
    expect(centuryTyped('19. Jhdt')).toBe(19);
    expect(centuryTyped('3. Jh. v. Chr.')).toBe(-3);
    expect(centuryTyped('3. Jahrhundert vor Christus')).toBe(-3);
    expect(centuryTyped('19e siècle')).toBe(19);
    expect(centuryTyped('19e eeuw')).toBe(19);
  });

  it('is no century when it is a number or a day', () => {
    expect(centuryTyped('19')).toBe(null);
    expect(centuryTyped('19.')).toBe(null);
    expect(centuryTyped('19. Juni')).toBe(null);
    expect(centuryTyped('0. Jh.')).toBe(null);
    expect(centuryTyped('Kanne 19. Jh.')).toBe(null);
    expect(centuryTyped('1800s')).toBe(null);
    expect(centuryTyped('1800-1899')).toBe(null);
    expect(centuryTyped('XIX')).toBe(null);
  });

  it('is every century the catalogue reads as one: roman numbers, "1er siècle", "19e s.", "n. Chr."', () => {
    // As the dates of the catalogue are read (pipeline/catalogue/date-languages.ts), not by a second rule.
    expect(centuryTyped('XIX. Jh.')).toBe(19);
    expect(centuryTyped('XIXe siècle')).toBe(19);
    expect(centuryTyped('1er siècle')).toBe(1);
    expect(centuryTyped('19e s.')).toBe(19);
    expect(centuryTyped('2. Jh. n. Chr.')).toBe(2);
    expect(centuryTyped('IIIe siècle av. J.-C.')).toBe(-3);
    expect(centuryTyped('siglo XIX')).toBe(19);
    expect(centuryTyped('1st century AD')).toBe(1);
  });

  it('is searched as words when no object of the catalogue is dated in that century, or none is dated at all', () => {
    const counts = { '19th century': 66, '18th century': 4 };
    expect(centuryFilter({ term: '19. Jh.', counts })).toBe('19th century');
    expect(centuryFilter({ term: '17. Jh.', counts })).toBe(null);
    // A catalogue with no date column: no Date filter counts anything.
    expect(centuryFilter({ term: '19. Jh.', counts: undefined })).toBe(null);
    expect(centuryFilter({ term: '19. Jh.', counts: { '19th century': 0 } })).toBe(null);
    expect(centuryFilter({ term: 'Kanne', counts })).toBe(null);
  });
});

describe('the alt text of a photograph whose maker is not known', () => {
  it('names no maker in any language the catalogue reads it in', () => {
    for (const maker of ['unbekannt', 'Unbekannt', 'anonym', 'Inconnu', 'onbekend', 'Unknown maker']) {
      expect(altText({ title: 'Henkelkanne', maker, date: 'vor 1500', label: null })).toBe(
        'Photograph of Henkelkanne, vor 1500',
      );
    }
    expect(altText({ title: 'Henkelkanne', maker: 'Hans Müller', date: '', label: null })).toBe(
      'Photograph of Henkelkanne, by Hans Müller',
    );
  });
});
