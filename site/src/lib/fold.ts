/*
 * Search folding for Latin letters Pagefind keeps apart. Pagefind drops accents that are combining
 * marks ("Château" is found by "chateau") but not letters that are their own ("Łódź", "Ørsted",
 * "Æthelred", "Straße", "Đakovo"), so a visitor without those keys finds nothing. An object page
 * carries a hidden folded copy of the words of its text that folding changes more than by accents, and the search
 * page folds what is typed the same way: "lodz" and "Łódź" both find "Łódź". Other scripts (Arabic,
 * Greek, Chinese…) are not folded; Arabic words are given without their article as well (withoutArticle).
 *
 * "_" (and the other connector punctuation) is folded away too, as Pagefind drops "-" and ".": Pagefind keeps it
 * inside a word ("MET_544744" is searched as "met_544744"), where an object page gives its number as "met544744"
 * (lib/number.ts). A page cannot give it "met_544744" instead: Pagefind indexes such a word with its parts, and
 * "met", on every page of a collection numbered so, is the word it falls back to for a number no object has
 * ("MET_999999"). A hidden folded copy of text with "_" carries the word without it ("see MET_12").
 */

// The same letters as pipeline/catalogue/latin-letters.ts, which page addresses write so (test/catalogue/
// own-letter-addresses.test.ts checks they agree). A copy: imported from there, the module would be shared with the
// 404 page's script, and the search page's script would load it as a file of its own, not go into the page (issue 16).
export const LETTERS: Record<string, string> = {
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

// Latin ligatures as a PDF pastes them ("ﬁne" is U+FB01 then "ne"): Pagefind keeps the ligature, so "fine" found nothing.
const LIGATURES = /[\ufb00-\ufb06]/g;

/*
 * ʿayn and ʾalif (hamza) as a transliteration writes them ("Muʿizz", "Mu‘izz", "Qurʾan", "ʻAli"), and the Slavic soft
 * and hard signs ("Gorʹkiĭ"): Pagefind keeps the modifier letters (U+02B9 to U+02BF) in the word, drops the
 * apostrophes (’ ‘ ' ′) and keeps ` and ´ in a typed word but not in the page's, so one spelling did not find another
 * (tester T14). Taken out on both sides: "Muizz" is how each is searched.
 */
const SIGNS = /[\u02b9-\u02bf'`\u00b4\u2018\u2019\u2032]/gu;
// The signs Pagefind drops from a word of a page: it has "Mu‘izz" alone as "muizz" (and "l’église" as "léglise").
const DROPPED = /['`\u00b4\u2018\u2019\u2032]/gu;
const SIGNED = new RegExp(SIGNS.source, 'u');

/**
 * The text as it is searched: Latin letters folded (foldLetters), ligatures written out ("ﬁ" → "fi"), "_" removed
 * ("MET_544744" → "MET544744"), the signs of ʿayn and ʾalif and apostrophes removed ("Muʿizz", "Mu'izz" → "Muizz").
 * With `phrase`, only the apostrophes Pagefind drops from a word of a page ("l’église" as "léglise"): Pagefind
 * searches a phrase at the words of the text as written, not at the hidden folded copy, so a phrase folded further
 * ("Łódź" → "Lodz", "Qurʾan" → "Quran") matched no page (reviewer V33).
 */
export function fold(text: string, { phrase = false }: { phrase?: boolean } = {}): string {
  if (phrase) return text.replace(DROPPED, '');
  return foldLetters(text.replace(LIGATURES, (c) => c.normalize('NFKC')))
    .replace(/\p{Pc}/gu, '')
    .replace(SIGNS, '');
}

/*
 * The articles a query on a catalogue in German, French, Spanish, Italian, Dutch or Portuguese (catalogue.language)
 * may start with: "die Vase" found only the records with "die" (tester T14), as Pagefind finds the objects with every
 * word typed. Dropped, they widen a name ("El Greco" is searched as "Greco", "De Stijl" as "Stijl"), whose record is
 * still found (reviewer V33). An English "the" is searched as typed.
 */
const ARTICLES: Record<string, string[]> = {
  de: ['der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'eines'],
  fr: ['le', 'la', 'les', "l'", 'un', 'une', 'des'],
  es: ['el', 'la', 'los', 'las', 'lo', 'un', 'una', 'unos', 'unas'],
  it: ['il', 'lo', 'la', 'i', 'gli', 'le', "l'", 'un', 'uno', 'una'],
  nl: ['de', 'het', 'een'],
  pt: ['o', 'a', 'os', 'as', 'um', 'uma'],
};

/**
 * Typed words without the articles they start with in `language` (a BCP 47 tag: "de", "de-CH"), so the record need
 * not have them: "die Vase" → "Vase", "l’ église" → "église". The last word stays ("die" alone is searched), and
 * `words` are as typed in any other language. Not before a word that starts with no letter: a Portuguese "A 2023 1 17"
 * or "O 12" may be an object number typed with spaces (lib/number.ts), "die 20er Jahre" is no name.
 */
export function leadingArticlesDropped(words: string, language: string): string {
  const articles = ARTICLES[language.toLowerCase().split('-')[0]!];
  const parts = words.trim().split(/\s+/);
  let at = 0;
  const article = (w: string) => articles!.includes(w.toLowerCase().replace(/[\u2019\u02bc]$/u, "'"));
  while (articles && at < parts.length - 1 && article(parts[at]!) && /^\p{L}/u.test(parts[at + 1]!)) at++;
  return at === 0 ? words : parts.slice(at).join(' ');
}

// A German umlaut and how German writes it without one: "Münze" is "Muenze" on a keyboard without "ü".
const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' };

/**
 * The text with ä, ö and ü written as German writes them without the umlaut ("Münze" → "Muenze", "ÄGYPTEN" →
 * "AEGYPTEN"); an umlaut given as a letter and a combining mark ("u\u0308") too. Only these letters: reading "ue"
 * back as "ü" would make "blue", "queen", "poem" or "Feuer" other words, so an object page carries the word written
 * so (foldedCopy) and the search page searches a typed "ü" either way (lib/query.ts umlautsEitherWay).
 */
export function umlautsWritten(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/[äöü]/g, (c) => UMLAUTS[c]!)
      // A capital before a capital is in a word in capitals ("ÄGYPTEN" → "AEGYPTEN", "Über" → "Ueber").
      .replace(/[ÄÖÜ](?=(\p{Lu})?)/gu, (c, upper) => (upper ? UMLAUTS[c]!.toUpperCase() : UMLAUTS[c]!))
  );
}

/** Characters of a run of such a script given tail by tail at most (unspacedTails), and of its tails on a page. */
const TAILED_RUN_MAX = 30;
const TAILS_MAX = 2_000;

// Scripts written without spaces between words: Pagefind, on a page in English, indexes a run of them as one word.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}]/u;

/**
 * A run of a script written without spaces ("東京の風景と壺"), from each of its characters after the first to its end
 * ("京の風景と壺" … "壺"): Pagefind finds words by how they start, so "風景" found nothing in the middle of the run
 * (a public tester), only "東京". Not from a combining mark (Thai vowels and tones sit on the letter before them),
 * nor from a digit or a Latin letter inside the run.
 */
function unspacedTails(word: string): string[] {
  const chars = [...word];
  // A run longer than a name or a title's phrase is prose: its tails would grow the index by its square.
  if (chars.length > TAILED_RUN_MAX || !UNSPACED.test(word)) return [];
  // Only from a character of such a script: "1914年" gave "914年", "14年" and "4年", and "14" then found every year
  // written so; "Vase花瓶" gave "ase花瓶" (reviewer V10).
  return chars.flatMap((c, at) => (at > 0 && UNSPACED.test(c) && !/\p{M}/u.test(c) ? [chars.slice(at).join('')] : []));
}

/*
 * Arabic's article "ال", joined to its word, with "و" (and) or "ب" (with) before it: "القاهرة" (Cairo) was not
 * found by "قاهرة", as a visitor often types it (tester T12). Taken off as light Arabic stemmers do (Larkey et al.,
 * light10), when three letters or more are left ("الله" keeps its own). Not "ف", "ك" or "ل" before it, nor in a word
 * with letters of Persian or Urdu: "فالوده", "كالسيوم", Persian "والدین" (parents, not "دین", religion) and
 * "بالتیمور" (Baltimore) lost letters that are their own (reviewer V30). A tatweel ("القـاهرة") is no letter, and an
 * alef wasla ("ٱلقاهرة") is the article's alef.
 */
const ARABIC_ARTICLE = /^[وب]?ال((?:\p{Script=Arabic}\p{M}*){3,})$/u;
const PERSIAN_OR_URDU = /[\u067e\u0686\u0698\u06a9\u06af\u06cc\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]/u;

/** The Arabic word without its article ("والقاهرة" → "قاهرة"), or none. */
function withoutArticle(word: string): string[] {
  if (PERSIAN_OR_URDU.test(word)) return [];
  const match = ARABIC_ARTICLE.exec(word.replace(/\u0640/g, '').replace(/\u0671/g, 'ا'));
  return match ? [match[1]!] : [];
}

/** Characters of a folded copy at most (a few hundred words): a real title and description need far fewer. */
const FOLDED_COPY_MAX = 10_000;

/** A word longer than this (text pasted without spaces) is no word anyone types: no folded copy of it. */
const FOLDED_WORD_MAX = 100;

/** A word of a page: letters, digits and marks, with the apostrophes inside it (SIGNS: "Mu‘izz", "l’église"). */
const COPY_WORD = /[\p{L}\p{N}\p{M}\p{Pc}]+(?:['`\u00b4\u2018\u2019\u2032]+[\p{L}\p{N}\p{M}\p{Pc}]+)*/gu;
// What Pagefind keeps of a word of a page: the letters and digits (Rust's char::is_alphanumeric).
const NOT_KEPT = /[^\p{Alphabetic}\p{N}]/gu;

/**
 * The folded copy an object page needs for search: the words that folding changes beyond what Pagefind folds itself
 * ("Plate from Łódź" → "Lodz", "see MET_12" → "MET12", "Münze" → "Muenze", "Muʿizz" → "Muizz"), once each, in the
 * order they come; "" when there are none.
 * Not the whole text again: a long title with such a letter was written twice on its page. Pagefind finds a page by
 * its words, wherever they are on it, so the words are enough. At most FOLDED_COPY_MAX characters: a text pasted by
 * accident, with thousands of such words, gives its first ones.
 */
export function foldedCopy(text: string): string {
  const words = new Set<string>();
  let size = 0;
  let tails = 0;
  const add = (w: string): boolean => {
    if (w === '' || words.has(w)) return true;
    if (size + w.length + 1 > FOLDED_COPY_MAX) return false;
    words.add(w);
    size += w.length + 1;
    return true;
  };
  for (const chunk of text.split(/\s+/)) {
    // Pagefind indexes a run of text between spaces whole, and its parts apart only at the keyboard's punctuation:
    // "al-Mu‘izz" as "almuizz", "al" and "mu‘izz" (with its sign, which no query is; "al-Muʿizz" as "almuʿizz").
    const signed = chunk.length <= 2 * FOLDED_WORD_MAX && SIGNED.test(chunk);
    const inner = signed ? chunk.replace(/^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu, '') : chunk;
    // The whole run folded, where it has a sign: "al-Muizz" typed is searched as "almuizz".
    const whole = signed ? fold(inner).replace(NOT_KEPT, '') : '';
    if (signed && whole !== unaccent(inner).replace(NOT_KEPT, '') && !add(whole)) break;
    for (const [word] of chunk.matchAll(COPY_WORD)) {
      if (word.length > FOLDED_WORD_MAX) continue;
      const folded = fold(word);
      // The word as Pagefind has it: without the apostrophes when it is the whole run ("Mu‘izz" as "muizz", so no
      // copy), with them as a part of one.
      const own = signed && word === inner ? word.replace(DROPPED, '') : word;
      const tailed = tails < TAILS_MAX ? unspacedTails(word) : [];
      tails += tailed.reduce((n, t) => n + t.length + 1, 0);
      // A word with an umlaut also as written without it ("Münze" → "Muenze"): Pagefind folds "ü" to "u" only, so
      // "Muenze" found nothing (tester T2).
      const umlauts = /[äöüÄÖÜ]/u.test(word.normalize('NFC')) ? [fold(umlautsWritten(word))] : [];
      const more = [...(folded === unaccent(own) ? [] : [folded]), ...umlauts, ...tailed, ...withoutArticle(word)];
      if (!more.every(add)) return [...words].join(' ');
    }
  }
  return [...words].join(' ');
}
