/*
 * The title every place that names an object shows: cards, listing pages, "More like this", the page's <title>,
 * its description and link-preview tags, its heading, its structured data, the photograph's alt text and the
 * IIIF manifest's labels. A title pasted by accident into the collection system's title field can run to
 * megabytes, and each of those places repeated it: one 5 MB title made a 50 MB object page and 10 MB listing
 * pages. Shown titles are cut at a word, with "…"; the object's own page gives the whole text once, in its
 * details, and the data download keeps it (it is the collection's data, not a page).
 *
 * Pure functions over plain data, shared by the pipeline and the site (site/src imports this file).
 */

import { openIsolates } from '../control-characters.ts';

/**
 * Characters of a shown title, "…" included. Longer than real catalogue titles (the longest of 1,827 Egyptian
 * antiquities is 168 characters, the 99th percentile 84), so an ordinary title is never cut; short enough that
 * a card shows it in a few lines and a page's head stays small. Search engines and link previews cut a title
 * at about 60 characters and a description at about 160 themselves: they get the start of the text either way.
 */
export const SHOWN_TITLE_MAX = 200;

/** A cut at a word is kept when it keeps at least this share of the characters; else the title is cut by letters. */
const WORD_CUT_MIN = 0.5;

/**
 * The title as shown where the object is named: the title itself when it has at most SHOWN_TITLE_MAX characters,
 * else its start cut at the last space that fits, with "…" (by letters, in a title with no such space). Counted
 * in code points, never cutting one in half (a hieroglyph or an emoji would show as �), nor an accent from its
 * letter.
 */
export function shownTitle(title: string): string {
  return cutTitle({ title, max: SHOWN_TITLE_MAX });
}

/**
 * Characters of the title a IIIF manifest gives among its metadata when its shown title was cut: a title a little
 * longer than SHOWN_TITLE_MAX is given whole there, a text pasted by accident by its start (the object's page gives
 * it whole). Ten times the longest title of a real catalogue, and a manifest stays a few kB.
 */
export const MANIFEST_TITLE_MAX = 2000;

/** The title cut at a word, with "…", to at most `max` characters (code points); shownTitle with its own limit. */
export function cutTitle({ title, max }: { title: string; max: number }): string {
  // Not a string: the render plan reads catalogue.json before the site checks it against the schema, which then
  // stops the build naming the object; a value that is not text is passed on for that check to find.
  if (typeof title !== 'string' || title.length <= max) return title;
  // A code point is at most two UTF-16 units: this start has more than the limit's code points when the title has.
  const start = Array.from(title.slice(0, 2 * max + 2));
  if (start.length <= max) return title;
  // The first `max` characters, the last of them standing for "…": a space there is a word's end.
  const head = start.slice(0, max);
  let cut = head.length - 1;
  const space = head.findLastIndex((c) => /\s/u.test(c));
  if (space >= WORD_CUT_MIN * max) cut = space;
  else while (cut > 0 && /\p{M}/u.test(start[cut]!)) cut--;
  const kept = head
    .slice(0, cut)
    .join('')
    .replace(/\s+/gu, ' ')
    .replace(/[\s,;:]+$/u, '');
  // A bidi isolate the cut left open would run on past the "…" into what the page puts after the title.
  return `${kept}${'\u2069'.repeat(openIsolates(kept))}…`;
}
