/*
 * Latin letters that are letters of their own, not a plain letter with an accent: Unicode does not decompose
 * them ("Œ", "Ł", "ß" stay as they are under NFKD), so removing accents leaves them in place, and an address in
 * a-z would lose them. Written out in plain letters, as people type them without those keys: "œ" → "oe",
 * "Ł" → "L", "ß" → "ss". Page addresses (slug-rules.ts) write them so; the search page folds them alike (its own copy
 * in site/src/lib/fold.ts, which test/catalogue/own-letter-addresses.test.ts compares).
 */

export const OWN_LETTERS: Record<string, string> = {
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

const OWN = new RegExp(`[${Object.keys(OWN_LETTERS).join('')}]`, 'g');

/** The text with those letters written in plain ones ("Œuvre" → "OEuvre", "Łódź" → "Lódź"); accents are kept. */
export function plainLetters(text: string): string {
  return text.replace(OWN, (c) => OWN_LETTERS[c]!);
}
