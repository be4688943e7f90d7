import { describe, expect, it } from 'vitest';
import { altText } from '../../pipeline/catalogue/derive.ts';
import { foldedCopy } from '../../site/src/lib/fold.ts';
import { parseQuery, umlautsEitherWay } from '../../site/src/lib/query.ts';

/*
 * A German museum's catalogue searched as German visitors type (tester T2): "Muenze" for "Münze", "um 1887",
 * "19. Jh.", and a maker "unbekannt". The site's modules called as plain functions (no site build).
 */

const w = (text: string) => ({ text, phrase: false });

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
    expect(q.anyOf).toEqual([[w('Münze')], [w('Muenze')]]);
    // Each such word either way, with the other words: (Münze or Muenze) and (Köln or Koeln) and silber.
    expect(umlautsEitherWay(parseQuery('Münze Köln silber')).anyOf).toEqual([
      [w('Münze'), w('Köln'), w('silber')],
      [w('Münze'), w('Koeln'), w('silber')],
      [w('Muenze'), w('Köln'), w('silber')],
      [w('Muenze'), w('Koeln'), w('silber')],
    ]);
    expect(umlautsEitherWay(parseQuery('vase -Töpferei')).without).toEqual([w('Töpferei'), w('Toepferei')]);
  });

  it('stays within the alternatives the page searches, writing every umlaut so at once beyond them', () => {
    const q = umlautsEitherWay(parseQuery('ä1 ö2 ü3 ä4 ö5'));
    expect(q.anyOf).toEqual([
      [w('ä1'), w('ö2'), w('ü3'), w('ä4'), w('ö5')],
      [w('ae1'), w('oe2'), w('ue3'), w('ae4'), w('oe5')],
    ]);
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
