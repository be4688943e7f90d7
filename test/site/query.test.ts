import { describe, expect, it } from 'vitest';
import { clip, parseQuery, searchesFor, singleSearch, termsInWords } from '../../site/src/lib/query.ts';

/*
 * The search box’s query parsing (site/src/lib/query.ts): "-word", "OR" and quoted phrases, as museum collection
 * sites and web search read them. The search page combines Pagefind searches from what it gives (the browser test:
 * search-operators.test.ts).
 */

const w = (text: string) => ({ text, phrase: false });
const p = (text: string) => ({ text, phrase: true });

describe('parseQuery', () => {
  it('reads plain words as one alternative of every word', () => {
    expect(parseQuery('bronze  mask ')).toEqual({
      anyOf: [[w('bronze'), w('mask')]],
      without: [],
      or: false,
      tooMany: false,
      unused: 0,
      danglingOr: false,
    });
    expect(parseQuery('')).toEqual({
      anyOf: [],
      without: [],
      or: false,
      tooMany: false,
      unused: 0,
      danglingOr: false,
    });
  });

  it('takes a word after "-" out, but not a hyphen inside a word or before a digit', () => {
    expect(parseQuery('coin -silver -Gold')).toMatchObject({ anyOf: [[w('coin')]], without: [w('silver'), w('Gold')] });
    expect(parseQuery('19th-century DM-0267 -5').anyOf).toEqual([[w('19th-century'), w('DM-0267'), w('-5')]]);
    expect(parseQuery('-').anyOf).toEqual([[w('-')]]);
    expect(parseQuery('-coin')).toMatchObject({ anyOf: [], without: [w('coin')] });
  });

  it('joins the terms either side of OR, as web search does', () => {
    expect(parseQuery('mask OR figurine').anyOf).toEqual([[w('mask')], [w('figurine')]]);
    expect(parseQuery('bronze mask OR figurine').anyOf).toEqual([
      [w('bronze'), w('mask')],
      [w('bronze'), w('figurine')],
    ]);
    expect(parseQuery('a OR b c OR d').anyOf).toHaveLength(4);
    expect(parseQuery('a OR b OR c').anyOf).toEqual([[w('a')], [w('b')], [w('c')]]);
    // "or" in small letters is a word; OR alone or at either end joins nothing.
    expect(parseQuery('gold or silver').anyOf).toEqual([[w('gold'), w('or'), w('silver')]]);
    expect(parseQuery('OR')).toMatchObject({ anyOf: [], without: [], or: true, tooMany: false });
    expect(parseQuery('OR mask OR').anyOf).toEqual([[w('mask')]]);
    expect(parseQuery('mask OR mask').anyOf).toEqual([[w('mask')]]);
  });

  it('reads a quoted phrase, in straight or curly quotes, closed or not', () => {
    expect(parseQuery('"festival  mask" coin').anyOf).toEqual([[p('festival mask'), w('coin')]]);
    expect(parseQuery('“festival mask” OR -"iron helmet"')).toMatchObject({
      anyOf: [[p('festival mask')]],
      without: [p('iron helmet')],
    });
    expect(parseQuery('"festival mask').anyOf).toEqual([[p('festival mask')]]);
    expect(parseQuery('12" plate').anyOf).toEqual([[w('12"'), w('plate')]]);
    expect(parseQuery('"" mask').anyOf).toEqual([[w('mask')]]);
  });

  it('says when an OR had nothing on one side of it', () => {
    for (const q of ['mask OR', 'OR mask', 'mask OR OR', 'OR mask OR', 'mask OR -coin'])
      expect(parseQuery(q), q).toMatchObject({ anyOf: [[w('mask')]], or: true, danglingOr: true });
    expect(parseQuery('mask OR OR figurine')).toMatchObject({
      anyOf: [[w('mask')], [w('figurine')]],
      danglingOr: true,
    });
    for (const q of ['mask OR figurine', 'mask OR -coin figurine', 'a OR b OR c', 'mask or'])
      expect(parseQuery(q).danglingOr, q).toBe(false);
  });

  // Each "-" term and each phrase is one Pagefind search (and a fragment for a "-" word): a shared link of 400
  // "-" words made 400 of them, one after another.
  it('uses at most 10 "-" terms and phrases together, and counts the rest', () => {
    const minus = Array.from({ length: 400 }, (_, n) => `-w${String.fromCharCode(97 + (n % 26))}${n}`).join(' ');
    const many = parseQuery(`coin ${minus}`);
    expect(many.anyOf).toEqual([[w('coin')]]);
    expect(many.without).toHaveLength(10);
    expect(many.without[0]).toEqual(w('wa0'));
    expect(many.unused).toBe(390);
    const phrases = Array.from({ length: 200 }, (_, n) => `"festival mask ${n}"`).join(' ');
    const quoted = parseQuery(`coin ${phrases}`);
    expect(quoted.anyOf).toHaveLength(1);
    expect(quoted.anyOf[0]!.filter((t) => t.phrase)).toHaveLength(10);
    expect(quoted.unused).toBe(190);
    // Together; words are not counted, and the same term twice is counted once.
    const mixed = parseQuery('coin -a1 -a1 "b c" "b c" -"d e" bronze -f -g -h -i -j -k -l -m -n');
    expect(mixed.without.map((t) => t.text)).toEqual(['a1', 'd e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
    expect(mixed.anyOf).toEqual([[w('coin'), p('b c'), w('bronze')]]);
    expect(mixed.unused).toBe(2);
    expect(parseQuery('coin -a -b').unused).toBe(0);
  });

  it('refuses more alternatives than the limit', () => {
    expect(parseQuery('a OR b c OR d e OR f', { limit: 4 })).toMatchObject({ anyOf: [], tooMany: true });
  });
});

describe('singleSearch', () => {
  it('gives what Pagefind answers in one search, else null', () => {
    expect(singleSearch(parseQuery('bronze mask'))).toBe('bronze mask');
    expect(singleSearch(parseQuery('“festival mask”'))).toBe('"festival mask"');
    expect(singleSearch(parseQuery(''))).toBe('');
    expect(singleSearch(parseQuery('"festival mask" coin'))).toBeNull();
    expect(singleSearch(parseQuery('mask -coin'))).toBeNull();
    expect(singleSearch(parseQuery('mask OR coin'))).toBeNull();
  });
});

describe('searchesFor and termsInWords', () => {
  it('splits an alternative into a search of its words and one of each phrase', () => {
    expect(searchesFor([w('bronze'), p('festival mask'), w('coin')])).toEqual({
      words: 'bronze coin',
      phrases: ['"festival mask"'],
    });
    expect(searchesFor([p('iron helmet')])).toEqual({ words: null, phrases: ['"iron helmet"'] });
  });

  it('says the terms for the status line', () => {
    expect(termsInWords([w('bronze'), w('mask')])).toBe('“bronze mask”');
    expect(termsInWords([p('festival mask')])).toBe('“festival mask”');
    expect(termsInWords([w('bronze'), p('festival mask')])).toBe('“bronze ‘festival mask’”');
    // A long query is clipped: the status line is read aloud.
    const long = termsInWords([p('festival mask '.repeat(1000).trim())]);
    expect([...long].length).toBeLessThanOrEqual(102);
    expect(long).toMatch(/^“festival mask festival.*…”$/);
  });

  it('clips a long echo of the query to 100 characters, closing an open quotation mark', () => {
    expect(clip('“coin”')).toBe('“coin”');
    expect(clip('x'.repeat(100))).toBe('x'.repeat(100));
    expect(clip('x'.repeat(101))).toBe(`${'x'.repeat(99)}…`);
    const cut = clip(`“coin” without ${Array.from({ length: 400 }, (_, n) => `“w${n}”`).join(' or ')}`);
    expect(cut).toMatch(/^“coin” without “w0” or “w1” or .*…”?$/);
    expect([...cut].length).toBeLessThanOrEqual(101);
    expect((cut.match(/“/g) ?? []).length).toBe((cut.match(/”/g) ?? []).length);
    expect(clip('“bronze ‘festival mask’ coin”', 12)).toBe('“bronze ‘fe…’”');
  });
});
