import { fromEasternLanguages, fromOtherLanguages } from '../../../pipeline/catalogue/date-languages.ts';
import { centuryName } from './dates.ts';
import { foldLetters } from './fold.ts';

/*
 * An object number as the search index holds it. Pagefind splits "DM-0267" into "dm0267", "dm" and
 * "0267"; "dm", on every page of a collection numbered so, is the word Pagefind falls back to when no
 * word starts with what was typed ("DM-9999" → "dm9999": nothing starts so, "dm" starts it), and
 * would find every object. So the page gives Pagefind, hidden, the number without its punctuation
 * ("dm0267": what "DM-0267", "dm 0267"… are searched as), each of its parts with a digit and two or
 * more characters ("0267": a partial number finds the objects whose number has a part starting so) and each part
 * after the first ("Box 4 / Folder 7": numberWords), and the parts from each after the first to the end run
 * together ("MS 1/1" → "11"): Pagefind leaves "/" out of what is typed, so "MS 1/1" is searched as "ms 11".
 * "MET_544744" gives "met544744 544744": the search page folds "_" out of what is typed (lib/fold.ts), so
 * "MET_544744" is searched as "met544744" too.
 */

/**
 * The words an object number is searched by: "DM-0267" → "dm0267 0267 267", "1923.45 a-b" → "192345ab 1923 45 45ab",
 * "Box 4 / Folder 7 / Item 2" → "box4folder7item2 4 folder 7 item 2", "Réf. Œuvre–19" → "refoeuvre19 oeuvre 19".
 * Besides the whole number, its parts after the first (the whole starts with the first): an archive's numbering
 * ("Box 4 / Folder 7") is searched by its words, "Réf. Œuvre–19" by "oeuvre". Never a first part of letters alone
 * ("dm", "met"): Pagefind would fall back to it for a number no object has ("DM-9999"). No single letter ("b" of
 * "a-b"): it starts too many typed words. And the parts from each after the first to the end run together, of two
 * or more characters with a digit ("MS 1/1" → "11", "MS 0/9" → "09", "MS 12/3" → "123", "1999.1.2" → "12"):
 * Pagefind drops "/" and "." from a typed word, so "MS 1/1" is searched as "ms 11" (a reviewer: it found nothing).
 * And a part's digits without its leading zeros, of two or more characters ("L.0123402" → "123402", "DM-0267" →
 * "267"): the same number, typed as a visitor reads it ("123402" found nothing: an outside tester).
 * And, for a number ending in lone letters (a sheet's part: "Herb. 1887/1 b"), the whole number and its tails without
 * them ("herb18871", "18871"), so that "1887/1" is a whole word of its page.
 * And its tails from a number part with each part's zeros set aside ("PH/1923/0045" → "192345"): staff drop the padding
 * ("1923/45" listed PH/1923/0045 among 40 objects, not first: an outside tester).
 */
export function numberWords(id: string): string {
  const runs = foldLetters(id)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const whole = runs.join('');
  const size = (r: string) => [...r].length;
  const parts = runs.filter(
    (r, at) => r !== whole && (/\p{N}/u.test(r) ? at > 0 || size(r) >= 2 : at > 0 && size(r) >= 2),
  );
  const joined = runs
    .slice(1)
    .map((_, at) => runs.slice(at + 1).join(''))
    .filter((j) => j !== whole && size(j) >= 2 && /\p{N}/u.test(j));
  // Without the lone letters of a part after the last number part ("Herb. 1887/1 b" → "herb18871 18871"): the number
  // typed without them is then one whole word of its page, which the search page lists first (browse.astro).
  let end = runs.length;
  while (end > 1 && /^\p{L}$/u.test(runs[end - 1]!)) end--;
  const bare = end < runs.length && /\p{N}/u.test(runs[end - 1]!) ? runs.slice(0, end) : [];
  const sheet = bare
    .map((_, at) => bare.slice(at).join(''))
    .filter((j) => j !== whole && size(j) >= 2 && /\p{N}/u.test(j));
  // A part's digits without its leading zeros ("L.0123402" → "123402"), of two or more characters.
  const unpadded = [whole, ...parts, ...joined, ...sheet]
    .map((w) => w.replace(/^0+(?=\p{N})/u, ''))
    .filter((w) => size(w) >= 2 && /\p{N}/u.test(w));
  // Its tails from a number part with every part's zeros set aside ("PH/1923/0045" → "192345"), part by part (a lone
  // zero stays). Never one starting with letters ("dm267" for "DM-0267"): shorter than the number, Pagefind would fall
  // back to it for a number no object has ("DM-9999" found DM-0267); the search page finds such a number typed without
  // its zeros ("PH/1923/45") by the number index instead (slug-rules.ts numberKeys).
  const aside = runs.map((r) => r.replace(/(^|\P{N})0+(?=\p{N})/gu, '$1'));
  const unzeroed = aside.map((_, at) => aside.slice(at).join('')).filter((j) => size(j) >= 2 && /^\p{N}/u.test(j));
  return [...new Set([whole, ...parts, ...joined, ...sheet, ...unpadded, ...unzeroed])].join(' ');
}

/**
 * Typed words as they are searched: a word of single letters ("b", "a-b") typed after one ending in a digit is
 * joined to it ("1887/13 b" → "1887/13b", "13 b" → "13b", "12 a b" → "12ab"), as numberWords gives Pagefind the
 * number ("188713b", "13b", "12ab"). A "b" typed alone must match a word starting with "b" on the object's page,
 * and numberWords gives none of one letter (Pagefind would fall back to it for a word no object has): "1887/13 b"
 * found nothing, and "1887/5 b" only "Herb. 1887/57 b", whose title has a word starting with "b" (an outside
 * tester). Other words are left as typed; a letter that is a word of its own ("1650 a portrait") is then searched
 * as "1650a", which Pagefind, finding no word starting so, answers as "1650".
 */
export function searchedAs(words: string): string {
  const out: string[] = [];
  const list = folioAsF(words).split(/\s+/).filter(Boolean);
  const joins = joinedToNumber(list);
  list.forEach((word, at) => {
    if (joins[at]) out[out.length - 1] += word;
    else out.push(word);
  });
  return out.join(' ');
}

/**
 * A folio's word typed between a number and the folio ("MS 123 fol. 4r", "MS 123 fol 4r", "MS 123 folio 4r", "fo.
 * 4r", "ff. 4r", "fols. 4-6", "f° 4r") as "f.", as a library writes its shelfmarks ("MS 123 f. 4r"): "MS 123 fol. 4r"
 * and "MS 123 folio 4r" found nothing (outside testers), though "MS 123 f. 4r" was found. Only between a word ending
 * in a digit and one starting with a digit: "fol" is a word of its own anywhere else. A word is a folio's when its
 * point or a space ends it ("fol3", "ff3" are parts of a number); "fo" only with its point, as dictionaries write the
 * folio ("fo 3", "fo3": "FO 371" is the Foreign Office's records at the National Archives; "12 fo3" was read as "12
 * f.3"). searchedAs reads it so, and the number lookup (lib/address.ts numberFound) when no object has the number as
 * typed (a collection that writes "fol." keeps its own, and is found by "f." and "folio" too).
 */
export function folioAsF(words: string): string {
  return words.replace(/(?<=\p{N}[,;]?\s+)(?:(?:folios?|fols?|ff)(?:\.|(?=\s))|fos?\.|f[°º]\.?)(?=\s*\p{N})/giu, 'f.');
}

/**
 * For each of `words`, whether searchedAs joins it to the word before: single letters after a word ending in a number
 * part, or in letters joined to one ("12 a b": false, true, true). Such a letter is a part of the number, not a word
 * said twice ("A 2023 1 17 a": lib/query.ts keeps the last "a").
 */
export function joinedToNumber(words: string[]): boolean[] {
  // Whether the last word ends in a number part, or in letters joined to one ("12 a b" → "12ab").
  let number = false;
  return words.map((word) => {
    const runs = word.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const letters = runs.length > 0 && runs.every((r) => /^\p{L}$/u.test(r));
    if (number && letters) return true;
    number = /\p{N}[^\p{L}\p{N}]*$/u.test(word);
    return false;
  });
}

/**
 * Typed words (as searched: searchedAs, folded) that are an object number's parts with spaces between them ("A 2023 1
 * 17a", "2023 1 17"), run together ("a2023117a", "2023117"): two or more words, each with a digit or of one or two
 * letters, one with a digit at least; else null. Searched as their words, the parts match words the page gives
 * Pagefind across other parts ("17a" is "1" + "7-a" of "A.2023.1.7-a", which an outside tester found with "A 2023 1
 * 17 a"); run together, only the number with those parts in that order (the search page searches them so when an
 * object has that whole word).
 */
export function runTogether(words: string): string | null {
  const list = words
    .split(/\s+/)
    .map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''))
    .filter(Boolean);
  if (list.length < 2 || !list.some((w) => /\p{N}/u.test(w))) return null;
  return list.every((w) => /\p{N}/u.test(w) || [...w].length <= 2) ? list.join('') : null;
}

/**
 * Whether object number `id` has the typed words (`typed`: numbers typed apart, as runTogether reads them) as
 * consecutive parts, apart wherever two digits were typed apart: "12 13" is "12.13" and "Box 12/13", not "1213" nor
 * "Box 5/1213"; "1923 45" is "PH/1923/0045" (each part without its zeros, as numberWords gives them too). The search
 * page runs the words together only for such an object, as the number lookup offers one (lib/address.ts
 * spacedAsTyped): "12 13" offered nothing but listed object 1213, searched as "1213" (an outside tester).
 */
export function apartAsTyped(typed: string, id: string): boolean {
  const words = foldLetters(typed)
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]+/gu, ''))
    .filter(Boolean);
  const together = words.join('');
  const chars = [...together];
  // Where two digits were typed apart: the object's number must have a part end there.
  const cuts: number[] = [];
  let at = 0;
  for (const word of words.slice(0, -1)) {
    at += [...word].length;
    if (/\p{N}/u.test(chars[at - 1]!) && /\p{N}/u.test(chars[at]!)) cuts.push(at);
  }
  const runs = foldLetters(id)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const aside = runs.map((r) => r.replace(/(^|\P{N})0+(?=\p{N})/gu, '$1'));
  for (const parts of [runs, aside]) {
    for (let from = 0; from < parts.length; from++) {
      const ends = new Set<number>();
      let joined = '';
      for (const part of parts.slice(from)) {
        joined += part;
        ends.add([...joined].length);
        if (joined === together && cuts.every((c) => ends.has(c))) return true;
        if (!together.startsWith(joined)) break;
      }
    }
  }
  return false;
}

/**
 * `results` with the objects whose number is closest to `number` first (a typed number run together, "188710" for
 * "1887/10", that no object has as a whole word): the number with the fewest characters after the typed ones
 * ("Herb. 1887/109 b" before "Herb. 1887/1000 b", which Pagefind ranked first, untitled and headed by its number).
 * Objects as close, and those not found by their number (a date), keep Pagefind's order, after them. Their numbers
 * (`numberOf`: a fragment each) are read `batch` at a time, and the next batch only while the last one had an object
 * found by its number: those come first in Pagefind's order (the number is weighted as the title), so a search
 * that also finds hundreds of objects by a date reads few. The closest was looked for among the first 12 objects
 * only, and a 13th was listed in Pagefind's place (an outside tester). At most `most` are read (the others keep their
 * order), and none once `gone` says a newer search replaced this one.
 */
export async function closestFirst<T>({
  results,
  number,
  numberOf,
  batch = 12,
  most = 120,
  gone = () => false,
}: {
  results: T[];
  number: string;
  numberOf: (result: T) => Promise<string>;
  batch?: number;
  most?: number;
  gone?: () => boolean;
}): Promise<T[]> {
  const extra: number[] = [];
  const typed = [...number].length;
  while (extra.length < Math.min(results.length, most) && !gone()) {
    const next = results.slice(extra.length, Math.min(extra.length + batch, most));
    const numbers = await Promise.all(next.map(numberOf));
    const read = numbers.map((n) => {
      const longer = n
        ? numberWords(n)
            .split(' ')
            .filter((w) => w.startsWith(number))
        : [];
      return longer.length > 0 ? Math.min(...longer.map((w) => [...w].length - typed)) : Infinity;
    });
    extra.push(...read);
    if (read.every((e) => e === Infinity)) break;
  }
  const ranked = extra.map((e, at) => ({ e, at })).sort((a, b) => a.e - b.e || a.at - b.at);
  return [...ranked.map(({ at }) => results[at]!), ...results.slice(extra.length)];
}

/**
 * The typed words that are numbers of parts, as a collection writes its numbers: "12.5", "1914.699.b", "MS-12/3"
 * (a digit, two or more parts, each digits or one or two letters). Pagefind searches such a word run together
 * ("125", "1914699b") and, finding no word starting so, answers for the longest word that starts it ("12", "1914699"):
 * the search page checks the number whole (answeredShort), not its parts one by one ("5" of "12.5" is no word of an
 * object whose text has "12.5", which Pagefind indexes as "125"). "19th-century" is no such number: its words are
 * checked one by one, as before.
 */
export function numbersOfParts(words: string): string[] {
  return words.split(/\s+/).filter((w) => {
    const parts = w.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return (
      parts.length >= 2 &&
      !isDateWritten(w) &&
      /\p{N}/u.test(w) &&
      parts.every((p) => /^\p{N}+$/u.test(p) || /^\p{L}{1,2}$/u.test(p)) &&
      // Inner punctuation only: "12." is the word "12".
      /^[\p{L}\p{N}].*[\p{L}\p{N}]$/u.test(w)
    );
  });
}

/**
 * Whether Pagefind answered a number of parts (`typed`, one of numbersOfParts, folded and in small letters) by a
 * shorter number: no word its best result marks (`marks`: letters and digits only) starts with the number run
 * together, and each starts with its first parts run together. "1914.699.b", answered by "1914699" (the marks
 * "1914699a"…), listed 1914.699.a, .c and .d; "12.5", answered by "12", the objects with "12" and "12.6" (an outside
 * tester). No marks (a match in a field the excerpt does not show): Pagefind's answer stands.
 */
export function answeredShort(typed: string, marks: string[]): boolean {
  const parts = typed.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const whole = parts.join('');
  if (marks.length === 0 || marks.some((m) => m.startsWith(whole))) return false;
  const heads = parts.slice(0, -1).map((_, k) => parts.slice(0, k + 1).join(''));
  return marks.every((m) => heads.some((h) => m.startsWith(h)));
}

/**
 * Whether a typed word is a date as a catalogue writes one, not a number of the collection: "c.1900" or "ca.1850"
 * (about a year), "1887-1889", "1887–89" or "1914/18" (a range of years: a dash or a slash, the second year after the
 * first and within 150 years of it). Checked whole, they found nothing where objects are dated "c. 1900" and
 * "1887-89". A dot makes no range ("2015.23" and "1914.18" are accession numbers), nor do years centuries apart
 * (the V&A's "1234-1869"); "1975-12" (12 is no later year), "c.12" and "C.12-1975" stay numbers (a reviewer).
 */
function isDateWritten(word: string): boolean {
  return yearWritten(word) !== null;
}

/** The year a date written so is searched by (`isDateWritten`): "c.1900" → "1900", "1887-89" → "1887"; else null. */
function yearWritten(word: string): string | null {
  const circa = /^(c|ca|circa)\.?(\d+)$/i.exec(word);
  if (circa) return isYear(circa[2]!) ? circa[2]! : null;
  const range = /^(\d{4})[-\u2010-\u2015/](\d{2}|\d{4})$/.exec(word);
  if (!range || !isYear(range[1]!)) return null;
  const first = Number(range[1]);
  // "1887-89": the second part is the end of a later year of the same century.
  const second = range[2]!.length === 2 ? Number(range[1]!.slice(0, 2) + range[2]) : Number(range[2]);
  return second > first && second - first <= 150 ? range[1]! : null;
}

const isYear = (p: string) => /^\d{4}$/.test(p) && Number(p) >= 1000 && Number(p) <= 2199;

/**
 * Typed words with each date written as a catalogue writes one searched by its year: "c.1900", "ca. 1900", "circa
 * 1900" → "1900" (the word of "about" left out before a year), "1887-89" → "1887". Searched word by word, "c.1900"
 * found only the objects written "c. 1900" (or, with none, every word starting with "c"), "circa 1900" nothing, and a
 * visitor means the year. A range by its first year: the page of an object dated "1887-89" has the word "1887", and no
 * "1889" to find it by. Each date of `numbers` (as datesWritten gives it) is left as typed: an object number of the
 * catalogue ("1887-89 a", "C.1900", "CA 1900 b": museums number by year), searched as a year, listed the objects of
 * that year (a reviewer). Anything else is left as typed, and `words` itself is returned when nothing was rewritten.
 */
export function datesAsYears(words: string, { numbers = [] }: { numbers?: string[] } = {}): string {
  const list = words.split(/\s+/).filter(Boolean);
  const kept = new Set(numbers);
  let changed = false;
  const out: string[] = [];
  for (let at = 0; at < list.length; at++) {
    const word = list[at]!;
    const next = list[at + 1];
    if (aboutAYear(word, next)) {
      if (!kept.has(`${word} ${next}`)) {
        changed = true;
        continue;
      }
      // A number as a whole ("CA 1900"): its year too.
      out.push(word, next!);
      at++;
      continue;
    }
    const year = kept.has(word) ? null : yearWritten(word);
    if (year !== null) changed = true;
    out.push(year ?? word);
  }
  return changed ? out.join(' ') : words;
}

/**
 * The dates datesAsYears searches by their year, as typed: a word of "about" with the year after it ("CA 1900"), a
 * word that is a date ("c.1850", "1887-89"). The search page looks each up as an object number first.
 */
export function datesWritten(words: string): string[] {
  const list = words.split(/\s+/).filter(Boolean);
  return list.flatMap((word, at) => [
    ...(aboutAYear(word, list[at + 1]) ? [`${word} ${list[at + 1]}`] : []),
    ...(yearWritten(word) !== null ? [word] : []),
  ]);
}

/**
 * The words of "about" before a year, besides "c.", "ca." and "circa", in the languages a catalogue's dates are read
 * in (pipeline/catalogue/date-languages.ts APPROXIMATE, which test/site/german-search.test.ts checks they cover): "um
 * 1887" found nothing where "ca. 1887" found 4 (tester T2). A copy: imported, that module would go into the search
 * page's script. Not "verso" (Italian "towards"): it is also the back of a sheet ("verso 1887", a date written there).
 */
export const ABOUT_WORDS = ['about', 'um', 'etwa', 'gegen', 'vers', 'environ', 'hacia', 'omstreeks', 'ongeveer'];
const ABOUT = new RegExp(`^(?:(?:c|ca|circa)\\.?|${ABOUT_WORDS.join('|')})$`, 'i');

/** Whether `word` is one of "about" ("c.", "ca", "circa", "um"…) and `next` a year or a date. */
function aboutAYear(word: string, next: string | undefined): boolean {
  return ABOUT.test(word) && next !== undefined && (isYear(next) || yearWritten(next) !== null);
}

/**
 * The century typed as a whole search (as the Date filter counts centuries: 19 for "19th century", -3 for "3rd century
 * BCE"), else null: "19th century", "19th-century", "1st c. BCE", and each way the catalogue's dates are read in other
 * languages ("19. Jh.", "XIX. Jh.", "3. Jh. v. Chr.", "XIXe siècle", "1er siècle", "19e s.", "siglo XIX", "19e eeuw"):
 * written in English by the date reader's own rule (pipeline/catalogue/date-languages.ts), so the search box reads a
 * century as the catalogue does. The search page searches it as that filter: "18. Jahrhundert" found nothing, and
 * "19. Jh." the objects numbered 19… (tester T2). (The date reader is in the search page's script already: lib/dates.ts.)
 */
export function centuryTyped(term: string): number | null {
  const lower = term.normalize('NFC').toLowerCase();
  // As the date reader reads them (pipeline/catalogue/dates.ts): "18世紀", "القرن 18" first (D32).
  const english = fromOtherLanguages(fromEasternLanguages(lower)).replace(/\s+/g, ' ').trim();
  const m = /^(\d{1,2})\s*(?:st|nd|rd|th)[\s-]+(?:century|c\.?)(?:\s+(?:(bce|bc|b\.c\.(?:e\.)?)|ad|ce|a\.d\.))?$/.exec(
    english,
  );
  if (!m) return null;
  const n = Number(m[1]);
  return n === 0 ? null : m[2] ? -n : n;
}

/**
 * The Date filter's value a whole search is searched as (centuryTyped, as the filter names it), or null: also when no
 * object of the catalogue is dated in that century (`counts`: the filter's count of objects per value, none when no
 * date is read), where the words are searched as typed: "19. Jh." found nothing in a catalogue with no dates read,
 * where its descriptions say "19. Jh." (reviewer V26).
 */
export function centuryFilter({
  term,
  counts,
}: {
  term: string;
  counts: Record<string, number> | undefined;
}): string | null {
  const c = centuryTyped(term);
  if (c === null) return null;
  const name = centuryName(c);
  return (counts?.[name] ?? 0) > 0 ? name : null;
}
