import { describe, expect, it } from 'vitest';
import { parseQuery, searchesFor, singleSearch, termsInWords } from '../../site/src/lib/query.ts';

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
    });
    expect(parseQuery('')).toEqual({ anyOf: [], without: [], or: false, tooMany: false });
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
    expect(parseQuery('OR')).toEqual({ anyOf: [], without: [], or: true, tooMany: false });
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
  });
});
