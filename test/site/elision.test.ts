import { describe, expect, it } from 'vitest';
import { elidedWords, unelided } from '../../site/src/lib/elision.ts';

/*
 * The words after an elided article that an object page gives Pagefind, hidden, and a typed query without its elided
 * articles (site/src/lib/elision.ts; in the browser: test/site/library-search.test.ts).
 */

describe('elidedWords', () => {
  it('gives the word after a French, Italian or Catalan elided article, with either apostrophe', () => {
    expect(elidedWords('Façade de l’église Saint-Étienne')).toBe('église');
    expect(elidedWords('Livre d’heures à l’usage de Rome')).toBe('heures usage');
    expect(elidedWords("Traité d'alchimie")).toBe('alchimie');
    expect(elidedWords('Veduta dell’arco di Tito, nell’antica Roma')).toBe('arco antica');
    expect(elidedWords('Lorsqu’il vint, jusqu’aux portes qu’on ouvrit')).toBe('il aux on');
    expect(elidedWords('Retaule de l’altar major d’Àger')).toBe('altar Àger');
    expect(elidedWords('Chiesa di Sant’Agostino')).toBe('Agostino');
    // Once each, whatever its case; a word with an apostrophe of its own whole.
    expect(elidedWords('L’Église et l’église, qu’aujourd’hui')).toBe('Église aujourd’hui');
  });

  it('leaves English possessives, names and lone letters alone', () => {
    expect(elidedWords('Howard Carter’s notebook')).toBe('');
    expect(elidedWords("O'Brien's rock n' roll, don't")).toBe('');
    // One letter ("à") would start nearly every word; a number is not elided.
    expect(elidedWords('jusqu’à l’an 1900, l’1900')).toBe('an');
    expect(elidedWords('Château d’eau (Łódź)')).toBe('eau');
  });

  it('stays bounded for a very long text', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `l’mot${i}`).join(' ');
    const words = elidedWords(text);
    expect(words.startsWith('mot0 mot1 ')).toBe(true);
    expect(words.length).toBeLessThanOrEqual(10_000);
    expect(elidedWords(`l’${'x'.repeat(1000)} d’eau`)).toBe('eau');
  });
});

describe('unelided', () => {
  it('takes off the elided articles of what is typed, and leaves other words as typed', () => {
    expect(unelided('l’église')).toBe('église');
    expect(unelided("L'Eglise")).toBe('Eglise');
    expect(unelided('Livre d’heures')).toBe('Livre heures');
    expect(unelided('dell’arco')).toBe('arco');
    expect(unelided("Carter's")).toBe("Carter's");
    expect(unelided('jusqu’à')).toBe('jusqu’à');
    expect(unelided('l’')).toBe('l’');
    expect(unelided('MS 123 f. 4r')).toBe('MS 123 f. 4r');
  });

  it('takes an elided article off after any apostrophe a keyboard types, on pages and in what is typed', () => {
    // U+02BC (a Ukrainian keyboard’s, some catalogues’), U+2018 (a quote curled the wrong way), U+2032 (prime), "`"
    // and "´" (keyboards with no apostrophe at hand): Pagefind keeps ʼ ` ´ inside a word, so "lʼéglise" found nothing.
    for (const typed of ['l\u02bcéglise', 'l\u2018église', 'l\u2032église', 'l`église', 'l\u00b4église'])
      expect(unelided(typed), typed).toBe('église');
    expect(elidedWords('Façade de l\u02bcéglise, livre d´heures')).toBe('église heures');
    // A letter of its own (the ʻokina, U+02BB), and ʼ after a longer word, are no apostrophes of an elision.
    expect(unelided('Hawai\u02bbi Qur\u02bcan Ma`at')).toBe('Hawai\u02bbi Qur\u02bcan Ma`at');
    expect(elidedWords('Hawai\u02bbi, Qur\u02bcan')).toBe('');
  });

  it('leaves a typed elided pronoun (j’ m’ n’ s’ t’ c’) as typed: it is more often a name’s', () => {
    // Wade-Giles "T'ang" was searched as "ang", which missed "Tang dynasty" and found "Angkor"; "N'Diaye" missed
    // "Ndiaye". Pagefind searches them as "tang" and "ndiaye", as before; the pages still give "aime" of "je t’aime".
    expect(unelided("T'ang dynasty")).toBe("T'ang dynasty");
    expect(unelided('N’Diaye')).toBe('N’Diaye');
    expect(unelided("c'mon s'amuse J’accuse")).toBe("c'mon s'amuse J’accuse");
    expect(unelided("T'ang l'église")).toBe("T'ang église");
    expect(elidedWords('Je t’aime')).toBe('aime');
  });

  it('gives each word as the object pages give it', () => {
    for (const text of ['Façade de l’église', 'Livre d’heures', 'dell’arco', 'qu’aujourd’hui'])
      expect(
        elidedWords(text)
          .split(' ')
          .every((w) => unelided(text).includes(w)),
        text,
      ).toBe(true);
  });
});
