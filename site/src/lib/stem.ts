import { isEnglish } from './language.ts';

/*
 * Pagefind searches a typed word by its stem, by the Snowball stemmer of the page's language (its html lang,
 * catalogue.language; the rule below is the English one's), and finds the indexed words that start with that stem.
 * The stem is most often the start of the typed word ("paintings" → "painting"… "paint"), but the stemmer also
 * changes letters: a final "y" after a consonant becomes "i" ("cry" → "cri", which "crystal" does not start), an "e"
 * is added ("hoping" → "hope"), endings are replaced ("valency" → "valenc", "relational" → "relat"…).
 */

/**
 * Whether Pagefind's stem of `word` (folded, in lower case) is surely its start, so that an object with a word
 * starting with `word` is found by it. Errs towards false: a word it cannot be sure of is searched alone (one search
 * more). Checked once against Snowball's English stemmer (libstemmer) over about a million words, none wrongly
 * said to keep its start; test/site/stem.test.ts keeps examples. In another language (`language`, the page's lang),
 * whose stemmer it was not checked against (Dutch "heden" is stemmed "heid"), always false.
 */
export function stemKeepsStart(word: string, language = 'en'): boolean {
  if (!isEnglish(language)) return false;
  // The stemmer's own list of words it changes whole ("skies" → "sky", "dying" → "die", "ugly" → "ugli").
  if (/^(?:skies|dying|lying|tying|ugly|early|only)$/.test(word)) return false;
  // "y" after a consonant, not its first letter, becomes "i", also before an ending taken off first ("crying").
  if (/.[^aeiou]y(?:ed|edly|ing|ingly)?s?$/.test(word)) return false;
  // An ending taken off, and "e" added after "at", "bl", "iz" or a short stem ("hoping" → "hope", "rating" → "rate").
  const rest = /^(.*?)(?:ingly|edly|ing|ed)s?$/.exec(word)?.[1];
  if (
    rest &&
    /[aeiouy]/.test(rest) &&
    (/(?:at|bl|iz)$/.test(rest) || /^y?[^aeiouy]*[aeiouy]+[^aeiouwxy]$|^[aeiouy].$/.test(rest))
  )
    return false;
  // Endings replaced by others ("-ency" → "-enc", "-ability" → "-abl", "-ational" → "-at", "-ator" → "-at").
  if (/(?:enc|anc|abl|bl|ivit|bilit)(?:i|y|ie|ies|ied|ing|ed|s)?$|(?:ation|ator|ational|izer|ization)s?$/.test(word))
    return false;
  return true;
}
