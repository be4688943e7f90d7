/*
 * French, Italian and Catalan elide an article or a short word before a vowel: "l’église", "d’heures", "dell’arco",
 * "qu’il". Pagefind splits a word at spaces, hyphens, dots and slashes, not at an apostrophe: it indexes "l’église" as
 * one word, "leglise", so "église" (or "eglise") found nothing in "Façade de l’église Saint-Étienne", and the search
 * page said no object had it (an outside tester, a French library: most of its titles). An object page gives
 * Pagefind, hidden, each word that follows such an elided word (elidedWords: "église"), and the search page searches
 * a typed "l’église" as "église" (unelided), which finds those and "Église Saint-Pierre" too. Only these short words,
 * at the start of a word and before a letter: "Carter’s", "O’Brien" and "aujourd’hui" stay as Pagefind indexes them.
 */

/** The elided words, in lower case, as they are written before the apostrophe. */
export const ELIDED = [
  // French (and Catalan: l’, d’, and the pronouns m’, n’, s’, t’).
  'l',
  'd',
  'j',
  'm',
  'n',
  's',
  't',
  'c',
  'qu',
  'jusqu',
  'lorsqu',
  'puisqu',
  // Italian (l’ above).
  'dell',
  'all',
  'dall',
  'nell',
  'sull',
  'coll',
  'un',
  'quest',
  'quell',
  'sant',
];

/**
 * The apostrophes written after an elided word: the typographic one (U+2019), the keyboard's (U+0027), and those
 * typed or catalogued in their place: U+02BC (a Ukrainian keyboard's), U+2018 (curled the wrong way), U+2032 (prime),
 * "`" and "´". Pagefind keeps ʼ ` ´ inside a word ("lʼéglise" was one word no query found). Not the ʻokina (U+02BB),
 * a letter of Hawaiian.
 */
const APOSTROPHES = "’'\u02bc\u2018\u2032`\u00b4";

const WORD = String.raw`[\p{L}\p{M}\p{N}]`;
/** An elided word of `words` at the start of a word, before a letter; and the word after it (with its apostrophes). */
const elision = (words: string[]) =>
  new RegExp(
    `(?<!${WORD})(?:${words.join('|')})[${APOSTROPHES}](?=\\p{L})(${WORD}+(?:[${APOSTROPHES}]${WORD}+)*)?`,
    'giu',
  );
const ELISION = elision(ELIDED);

/**
 * The elided pronouns (j’ m’ n’ s’ t’ c’), which a typed query keeps: typed, they are more often a name's: "T'ang"
 * (Wade-Giles, "Tang dynasty"), "N'Diaye" ("Ndiaye"), which Pagefind searches as "tang" and "ndiaye".
 */
const PRONOUNS = new Set(['j', 'm', 'n', 's', 't', 'c']);
const TYPED_ELISION = elision(ELIDED.filter((w) => !PRONOUNS.has(w)));

/** Characters of the hidden words at most (a few hundred words): a real title and description need far fewer. */
const ELIDED_WORDS_MAX = 10_000;

/** A word longer than this (text pasted without spaces) is no word anyone types. */
const ELIDED_WORD_MAX = 100;

/**
 * The words of `text` that follow an elided word, as written, once each (whatever their case), in the order they
 * come, of two or more characters: "Livre d’heures à l’usage de Rome" → "heures usage"; "" when there are none. An
 * object page gives them to Pagefind, hidden, beside the text it shows. At most ELIDED_WORDS_MAX characters.
 */
export function elidedWords(text: string): string {
  const words = new Map<string, string>();
  let size = 0;
  for (const m of text.matchAll(ELISION)) {
    const word = m[1];
    if (!word || !searchable(word) || word.length > ELIDED_WORD_MAX || words.has(word.toLowerCase())) continue;
    if (size + word.length + 1 > ELIDED_WORDS_MAX) break;
    words.set(word.toLowerCase(), word);
    size += word.length + 1;
  }
  return [...words.values()].join(' ');
}

/**
 * Typed words as they are searched: each elided word at the start of a word taken off before a word of two or more
 * characters ("l’église" → "église", "Livre d'heures" → "Livre heures"), so they find the words object pages give
 * (elidedWords) and the same word written without an article ("Église Saint-Pierre"). Other words are left as typed
 * ("Carter's", "jusqu’à"), and so are the elided pronouns (PRONOUNS: "T'ang", "s’amuse").
 */
export function unelided(typed: string): string {
  return typed.replace(TYPED_ELISION, (elided: string, word: string | undefined) =>
    word && searchable(word) ? word : elided,
  );
}

/**
 * A word after an elided one is given and searched alone when it has two or more characters: one letter ("à" of
 * "jusqu’à") would start nearly every word, so "jusqu’à" stays whole, as Pagefind indexes it.
 */
function searchable(word: string): boolean {
  return [...word].length >= 2;
}
