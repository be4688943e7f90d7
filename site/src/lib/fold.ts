/*
 * Search folding for Latin letters Pagefind keeps apart. Pagefind drops accents that are combining
 * marks ("Château" is found by "chateau") but not letters that are their own ("Łódź", "Ørsted",
 * "Æthelred", "Straße", "Đakovo"), so a visitor without those keys finds nothing. An object page
 * carries a hidden folded copy of its text when folding changes more than accents, and the search
 * page folds what is typed the same way: "lodz" and "Łódź" both find "Łódź". Other scripts (Arabic,
 * Greek, Chinese…) are left as they are.
 *
 * "_" (and the other connector punctuation) is folded away too, as Pagefind drops "-" and ".": Pagefind keeps it
 * inside a word ("MET_544744" is searched as "met_544744"), where an object page gives its number as "met544744"
 * (lib/number.ts). A page cannot give it "met_544744" instead: Pagefind indexes such a word with its parts, and
 * "met", on every page of a collection numbered so, is the word it falls back to for a number no object has
 * ("MET_999999"). A hidden folded copy of text with "_" carries the word without it ("see MET_12").
 */

const LETTERS: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ẞ: 'SS',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ŀ: 'l',
  Ŀ: 'L',
  ŧ: 't',
  Ŧ: 'T',
  ƒ: 'f',
  ĸ: 'k',
  ŋ: 'n',
  Ŋ: 'N',
};
const OWN = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');
// Latin letters with accents (Latin-1 Supplement to Latin Extended-B, Latin Extended Additional).
const ACCENTED = /[\u00c0-\u024f\u1e00-\u1eff]/g;

/** Accents removed from Latin letters (as Pagefind does), other scripts untouched. */
export function unaccent(text: string): string {
  return text.replace(ACCENTED, (c) => c.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
}

/** The text with Latin letters folded to plain ones: accents removed, "Ł" → "L", "æ" → "ae", "ß" → "ss". */
export function foldLetters(text: string): string {
  return unaccent(text.replace(OWN, (c) => LETTERS[c]!));
}

/** The text as it is searched: Latin letters folded (foldLetters), "_" removed ("MET_544744" → "MET544744"). */
export function fold(text: string): string {
  return foldLetters(text).replace(/\p{Pc}/gu, '');
}

/** The folded copy an object page needs for search, or "" when Pagefind's own folding is enough. */
export function foldedCopy(text: string): string {
  const folded = fold(text);
  return folded === unaccent(text) ? '' : folded;
}
