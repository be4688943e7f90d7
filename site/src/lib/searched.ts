/*
 * What the search page (browse.astro) gives Pagefind for what a visitor typed, and what it says when a phrase finds
 * nothing: plain functions, so that a test searches a real Pagefind index with them (test/site/phrase-search.test.ts).
 */
import { unelided } from './elision.ts';
import { fold, leadingArticlesDropped } from './fold.ts';
import { clip } from './query.ts';

/**
 * Typed words as searched on a catalogue in `language` (the page's): a leading article dropped ("die Vase" → "Vase":
 * lib/fold.ts), an elided one too ("l’église" → "église": lib/elision.ts), folded as the object pages' hidden copies.
 */
export function wordsSearched(words: string, language: string): string {
  return fold(unelided(leadingArticlesDropped(words, language)));
}

/**
 * A quoted phrase (`text`, without its quotes) as searched: quoted, as typed but for the apostrophes Pagefind drops
 * from a page's words. Pagefind finds a phrase at the words of the page as written, in a row: "de l’église" is "de"
 * then "léglise" there. Its articles are kept, elided or not, and its letters are not folded: searched as "de
 * église", "\"de l'église\"" found nothing (reviewer V33), and "Łódź" folded to "Lodz" no page has in a row.
 */
export function phraseSearched(text: string): string {
  return `"${fold(text, { phrase: true })}"`;
}

/**
 * Why a quoted phrase (`typed`, as typed, without its quotes) found nothing, and what to try. A phrase is found only
 * spelled as the catalogue writes it ("Qur'an school" is not "Qurʾan school"): the words without quotes are found
 * in any of those spellings (lib/fold.ts fold), so the page says so rather than quoting a folded form.
 */
export function phraseNotFound(typed: string): string {
  return (
    `no object has the phrase ${clip(`“${typed}”`)}, these words together in this order, spelled as typed. ` +
    'Search them without the quotation marks to find objects with each word anywhere, spelled with or without ' +
    'apostrophes and signs such as ʿ and ʾ.'
  );
}

/** Characters of the filters said in the page's title at most: a long list of values is cut ("…"). */
const TITLE_FILTERS = 100;

/**
 * The search page's title for a search: the words typed (`typed`) and the filters in words (`filters`, "" when none),
 * before the page's own `title`. It stayed "Search the collection" for every search (WCAG 2.4.2, tester T17): a
 * screen reader, a tab and a bookmark or history entry could not tell one search from another.
 */
export function searchTitle({ typed, filters, title }: { typed: string; filters: string; title: string }): string {
  // Quotes with nothing inside search nothing: left out, as a search of no letter or digit. A search with a quoted
  // phrase is shown as typed, its own quotes marking it (“"bronze coin"” was doubled); other words are put in quotes.
  const kept = typed
    .replace(/["“„«]\s*["”»]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  const quoted = /["“”„«»]/u.test(kept);
  const words = /[\p{L}\p{N}]/u.test(kept) ? clip(quoted ? kept : `“${kept}”`) : '';
  const what = [words, filters ? clip(filters, TITLE_FILTERS) : ''].filter((part) => part !== '').join(', ');
  return what ? `${what} — ${title}` : title;
}
