/*
 * Labels with characters that print as nothing or as a plain space (a zero-width space or a soft hyphen pasted from a
 * web page, a no-break space from a word processor): "Jewellery" + U+200B prints as "Jewellery", and the comment's
 * `"Jewellery" is not one of the collection's labels (did you mean "Jewellery"?)` read as "Jewellery is not
 * Jewellery" (an outside tester). The report shows each such character by name and says what it is, in the words
 * of the dataset stage's log ("contains an invisible character (zero-width space, U+200B) after …").
 */

import {
  characterCode,
  HIDDEN_CHARACTER_NAMES,
  joinerInWord,
  strayDirectionMarks,
} from '../collection/hidden-characters.ts';
import { idShown } from '../collection/value-limits.ts';

/** Characters that do not print (format characters) and spaces other than the plain one. */
const HIDDEN = /\p{Cf}|(?! )\p{Zs}/gu;

const DIRECTION_MARKS = new Set(['\u200e', '\u200f', '\u061c']);

/**
 * Whether the character HIDDEN found at `at` in `label` is hidden: not a joiner inside a word of a script written with
 * joiners (Persian "کتاب\u200cخانه") or an emoji, nor a direction mark in a Hebrew or Arabic label, which are the
 * label's own text, as params.yaml takes them.
 */
function hiddenAt({ label, at }: { label: string; at: number }): boolean {
  if (joinerInWord({ text: label, at })) return false;
  return !DIRECTION_MARKS.has(label[at]!) || strayDirectionMarks(label).includes(at);
}

function nameOf(character: string): string {
  return HIDDEN_CHARACTER_NAMES[character] ?? characterCode(character);
}

/** The label with each hidden character written by name: "Jewellery⟨zero-width space⟩". Before escaping. */
export function visibleLabel(label: string): string {
  return label.replace(HIDDEN, (c, at: number) => (hiddenAt({ label, at }) ? `⟨${nameOf(c)}⟩` : c));
}

/**
 * What the first hidden character of `label` is and where (`it contains an invisible character (zero-width space,
 * U+200B) after "Jewellery"`), with what to do; undefined when there is none. `quote` puts a piece of the label in
 * quotes (already escaped by the caller's rules: it is given plain text and returns the text to show).
 */
export function hiddenCharacter({
  label,
  quote,
}: {
  label: string;
  quote: (s: string) => string;
}): { words: string; fix: string } | undefined {
  const all = [...label.matchAll(HIDDEN)].filter((m) => hiddenAt({ label, at: m.index }));
  const found = all[0];
  if (!found) return undefined;
  const c = found[0];
  const space = /\p{Zs}/u.test(c);
  const name = HIDDEN_CHARACTER_NAMES[c];
  const named = name ? `${name}, ${characterCode(c)}` : characterCode(c);
  const before = label.slice(0, found.index).replace(HIDDEN, (x, at: number) => (hiddenAt({ label, at }) ? '' : x));
  const where = before ? `after ${quote(before)}` : 'at the start';
  const others = new Set(all.map((m) => m[0])).size - 1;
  const more =
    others > 0
      ? ` (and ${others} other ${others === 1 ? 'such character' : 'such characters'})`
      : all.length > 1
        ? ` (${all.length} times in all)`
        : '';
  // Several (or one written twice): "that character" sent staff to delete one and leave the line still skipped.
  const spaces = all.filter((m) => /\p{Zs}/u.test(m[0])).length;
  const fix =
    all.length > 1
      ? spaces === all.length
        ? "Replace those spaces with plain ones, or delete them, on the object's line in labels.csv"
        : spaces > 0
          ? 'Delete the invisible characters, and replace each space that is not a plain one with a plain space, on ' +
            "the object's line in labels.csv"
          : "Delete those characters on the object's line in labels.csv"
      : space
        ? "Replace that space with a plain one, or delete it, on the object's line in labels.csv"
        : "Delete that character on the object's line in labels.csv";
  return {
    words: space
      ? `it contains a space that is not a plain one (${named}) ${where}${more}`
      : `it contains an invisible character (${named}) ${where}${more}`,
    fix,
  };
}

/**
 * An id with each character no id may hold written by its code: "DM-0001⟨U+200B⟩", "DM-⟨U+202E⟩1000". Printed as it
 * is, it reads as another object's id, or (text() drops an override) as that id itself. Import's rule (idShown).
 */
export function visibleId(id: string): string {
  return idShown(id);
}
