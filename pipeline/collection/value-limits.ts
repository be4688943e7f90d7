import { controlName } from '../control-characters.ts';
import { clip } from '../log.ts';
import { characterCode, HIDDEN_CHARACTER_NAMES, joinerInWord } from './hidden-characters.ts';

/*
 * An object id names the object's image file in data/images/ (most disks take file names of 255 bytes at most), its
 * page and web address in the catalogue, and its lines in labels.csv; a label is a class the model learns and a word
 * of the catalogue's filters. A value of thousands of characters there is a text pasted into the cell by mistake:
 * refused where it comes in, by import and by every reader of labels.csv, naming where it is and how it begins.
 * Counted in bytes of UTF-8, as file names are: 200 bytes are 200 letters of Latin script, 66 of Chinese.
 */

/**
 * The most bytes an object id may have: room for an image's ending and a short code in a 255-byte file name. Real
 * accession numbers (`1987.123.4a-b`) are a few tens of characters, a web address used as an id rarely 100.
 */
export const MAX_ID_BYTES = 200;

/**
 * The longest path Linux takes, in bytes: import checks the data folder's paths against it, and the dataset stage
 * refuses an image path of data/objects.csv over it (no file can have it: a text pasted into the image cell).
 */
export const MAX_PATH_BYTES = 4095;

/** The most bytes a label may have: a class's name is a word or a few (`figurine`, `Textiles and costume`). */
export const MAX_LABEL_BYTES = 100;

/**
 * The most characters a title may have: a title of 1,000 characters is some 150 words, and the longest in the
 * museum sets Vitrine is tried on are under 200. More is a text pasted into the cell by mistake (a tester's 5 MB).
 * Import refuses such a row; the dataset stage withholds such a field of data/objects.csv from the catalogue.
 */
export const MAX_TITLE = 1_000;

/**
 * The most characters any other field may have (a description, a credit line, a column of import.keep): some
 * 3,000 words, longer than a catalogue entry. Generous on purpose: a real text must never stop an import.
 */
export const MAX_FIELD = 20_000;

/**
 * What the dataset stage withholds of data/objects.csv (ids, fields and image paths far too long, ids holding a
 * character no id may hold), in its fingerprint: a dataset.json made by a Vitrine that did not (one 5 MB title kept
 * whole, an id read backwards) is made again once, not skipped "as when it last ran" and published. Change it when
 * the rule changes.
 */
export const TOO_LONG_RULE =
  'ids over 200 bytes, titles over 1,000 characters, other fields over 20,000, image paths over 4,095 bytes; ' +
  'ids holding a control or invisible character (idCharacters), a joiner outside a word, a line separator, a ' +
  'Hangul filler or a space not a plain one';

/**
 * How `value` is over `most` characters, in words to follow "is": `5,000,009 characters long (5.0 MB)` (the size
 * only from 1 MB); undefined when it is not. Characters as read, not UTF-16 units: a character of CJK Extension B
 * (U+20000 on) or a hieroglyph is two units, one character.
 */
export function overCharacters({ value, most }: { value: string; most: number }): string | undefined {
  if (value.length <= most) return undefined;
  const characters = value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
  if (characters <= most) return undefined;
  const bytes = Buffer.byteLength(value);
  const size = bytes >= 1_000_000 ? ` (${(bytes / 1_000_000).toFixed(1)} MB)` : '';
  return `${characters.toLocaleString('en')} characters long${size}`;
}

/**
 * How `value` is over `most` bytes, in words to follow "is": `3,000 characters long (3,000 bytes; at most 200)`;
 * undefined when it is not. Characters are counted as read (an emoji or a CJK Extension B character is one).
 */
export function overLimit({ value, most }: { value: string; most: number }): string | undefined {
  // A character is at most 4 bytes: a short value is not measured.
  if (value.length * 3 <= most) return undefined;
  const bytes = Buffer.byteLength(value);
  if (bytes <= most) return undefined;
  const characters = Array.from(value).length;
  const n = (count: number) => count.toLocaleString('en');
  return `${n(characters)} characters long (${n(bytes)} bytes in UTF-8; at most ${n(most)})`;
}

/** A long value's beginning, as messages show it: its first 40 characters, then "…". */
export function beginning(value: string): string {
  return `"${clip(value, 40)}"`;
}

/**
 * Characters that print as nothing (Unicode's format characters: a zero-width space, a soft hyphen, a direction
 * mark, a byte order mark; a line or paragraph separator; a Hangul filler), or as a space that is not a plain one (a
 * no-break space), which a copy and paste from a web page or a word processor brings into a cell. Global: use with
 * unseenInId, which keeps a zero-width joiner or non-joiner (U+200D, U+200C) between letters of a script written with
 * them (Persian, Hindi: joinerInWord), a letter of the word there (reviewer V34 M4: it was taken anywhere).
 */
export const UNSEEN_IN_ID = /[\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]|(?! )\p{Zs}/gu;

/** Those UNSEEN_IN_ID finds in `id` that are not letters of a word (joinerInWord), each with where it is. */
export function unseenInId(id: string): { character: string; at: number }[] {
  return [...id.matchAll(UNSEEN_IN_ID)]
    .filter((m) => !joinerInWord({ text: id, at: m.index }))
    .map((m) => ({ character: m[0], at: m.index }));
}

/**
 * An id with each character no id may hold (a control character, or one unseenInId finds) written by its code in
 * ⟨⟩: "DM-0001⟨U+200B⟩", "DM-⟨U+202E⟩1000". The one way every message and page shows such an id (reviewer V34 M1,
 * M2): printed as it is, it reads as another object's id, or an override turns the sentence round. Before escaping.
 */
export function idShown(id: string): string {
  return id.replace(NOT_IN_AN_ID, (c, at: number) => (joinerInWord({ text: id, at }) ? c : `⟨${characterCode(c)}⟩`));
}

/**
 * An id as log messages and the dataset stage's write it: each character no id may hold by its code in <>
 * ("DM-<U+202E>0006", as invisibleIn's `shown`), where the report and pages write ⟨U+202E⟩ (idShown).
 */
export function idInMessages(id: string): string {
  return id.replace(NOT_IN_AN_ID, (c, at: number) => (joinerInWord({ text: id, at }) ? c : `<${characterCode(c)}>`));
}

const NOT_IN_AN_ID = new RegExp(`\\p{Cc}|${UNSEEN_IN_ID.source}`, 'gu');

/** Names HIDDEN_CHARACTER_NAMES and the bidi names lack. */
const MORE_NAMES: Record<string, string> = {
  '\u2028': 'line separator',
  '\u2029': 'paragraph separator',
  '\u115f': 'Hangul filler',
  '\u1160': 'Hangul filler',
  '\u3164': 'Hangul filler',
  '\uffa0': 'Hangul filler',
};

/** "a zero-width space", "an Arabic letter mark". */
function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/**
 * Where `value` holds a character that prints as nothing or as a space not a plain one, in words to follow
 * "contains": `an invisible character (U+200B, a zero-width space) after "A-"`, with `shown`, the value with each
 * such character written <U+200B>, `several` when it holds more than one and `space` when each is a space;
 * undefined when it holds none.
 */
export function invisibleIn(
  value: string,
): { words: string; shown: string; several: boolean; space: boolean } | undefined {
  const all = unseenInId(value);
  const found = all[0];
  if (!found) return undefined;
  const c = found.character;
  const code = characterCode;
  // A bidi override or isolate by its name ("a right-to-left override"): "a format character" said nothing.
  const known = HIDDEN_CHARACTER_NAMES[c] ?? MORE_NAMES[c] ?? controlName(c);
  // A byte order mark inside a cell is named as people meet it.
  const name = !known
    ? 'a format character'
    : c === '\ufeff'
      ? `${withArticle(known)} (a byte order mark)`
      : withArticle(known);
  const before = value.slice(0, found.at);
  const where = found.at === 0 ? 'at the start' : `after "${clip(before.slice(-20))}"`;
  const more = all.length > 1 ? ` (and ${all.length - 1} more)` : '';
  const space = all.every((f) => /\p{Zs}/u.test(f.character));
  const at = new Set(all.map((f) => f.at));
  return {
    words: `${space ? 'a space that is not a plain one' : 'an invisible character'} (${code(c)}, ${name}) ${where}${more}`,
    shown: value.replace(UNSEEN_IN_ID, (x, i: number) => (at.has(i) ? `<${code(x)}>` : x)),
    several: all.length > 1,
    space,
  };
}

/** The control characters people meet in a cell, by name. */
const CONTROL_NAMES: Record<string, string> = { '\n': 'a line break', '\r': 'a line break', '\t': 'a tab' };

/** A control character: a line break or tab from a multi-line cell, a bell. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An id in quotes with its control characters written as escapes ("Line1\nLine2"), so a message stays one line. */
function shownId(id: string): string {
  const escaped: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };
  return `"${clip(id).replace(
    new RegExp(CONTROL.source, 'g'),
    (c) => escaped[c] ?? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  )}"`;
}

/**
 * The one rule for a character no object id may hold, wherever an id comes in (import's export, data/objects.csv as
 * the dataset stage reads it): a control character (a line break or tab from a multi-line cell, which would make a
 * two-line entry in labels.csv) or one that prints as nothing (invisibleIn: a zero-width space, a direction mark, a
 * bidi override, which makes "DM-" U+202E "1000" read "DM-0001"). `words` to follow "the object id", up to why
 * (`"A-<U+200B>1" contains an invisible character (…) after "A-", which no id may hold: it cannot be seen, …`), and
 * `them`, "it" or "them", for the caller's "remove it from the id"; undefined when the id holds none.
 */
export function idCharacters(id: string): { words: string; them: 'it' | 'them' } | undefined {
  const control = CONTROL.exec(id);
  if (control) {
    const what = CONTROL_NAMES[control[0]] ?? characterCode(control[0]);
    return { words: `${shownId(id)} contains a control character (${what}), which no id may hold`, them: 'it' };
  }
  const invisible = invisibleIn(id);
  if (!invisible) return undefined;
  return {
    words:
      `"${clip(invisible.shown)}" contains ${invisible.words}, which no id may hold: ` +
      `${invisible.several ? 'they cannot' : 'it cannot'} be ${invisible.space ? 'told from a plain space' : 'seen'}, ` +
      'and the id typed by hand would not match it',
    them: invisible.several ? 'them' : 'it',
  };
}
