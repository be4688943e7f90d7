import { controlName } from '../control-characters.ts';

/*
 * Characters that print as nothing or as a plain space, which a copy and paste from a web page or a word processor
 * brings into a cell: named once here for every message that shows one (import's ids, the dataset stage's labels,
 * the pull-request report). Each caller decides which of them it looks for.
 */

/** Their names, as messages say them ("zero-width space"). */
export const HIDDEN_CHARACTER_NAMES: Readonly<Record<string, string>> = {
  '\u200b': 'zero-width space',
  '\u200c': 'zero-width non-joiner',
  '\u200d': 'zero-width joiner',
  '\u200e': 'left-to-right mark',
  '\u200f': 'right-to-left mark',
  '\u061c': 'Arabic letter mark',
  '\u2060': 'word joiner',
  '\ufeff': 'zero-width no-break space',
  '\u00ad': 'soft hyphen',
  '\u00a0': 'no-break space',
  '\u202f': 'narrow no-break space',
  '\u2007': 'figure space',
  '\u2009': 'thin space',
  '\u3000': 'ideographic space',
};

/** "U+200B". */
export function characterCode(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Every character that prints as a space (a Unicode space separator) but the plain one: a no-break space, a thin one. */
const SPACE_LIKE = /(?! )\p{Zs}/gu;

/** `text` with each character that prints as a space written as a plain space. */
export function plainSpaces(text: string): string {
  return text.replace(SPACE_LIKE, ' ');
}

/** A run of characters that print as a space (plain ones, tabs, no-break and thin spaces): read as one space. */
const SPACE_RUN = /[ \t\p{Zs}]{2,}|\t|(?! )\p{Zs}/gu;

/**
 * A label as every reader compares it (params.yaml's vocabulary, labels.csv, catalogue.periods' names): in one Unicode
 * form (NFC: "é" composed, as it may be saved decomposed on a Mac) and with each run of characters that print as a
 * space (a no-break space, a tab, two spaces typed for one) as one plain space ("Epoche:\u00a0Neu", as a word processor
 * writes it, and "Epoche:\u00a0 Neu" are "Epoche: Neu"). The two are what staff see.
 */
export function labelForm(label: string): string {
  return label.normalize('NFC').replace(SPACE_RUN, ' ');
}

/**
 * A label as written with each tab shown as → (read as a space, labelForm): quoted as read, with a space, staff
 * searching labels.csv for it do not find it, and a tab itself prints as a gap or as nothing in a message.
 */
export function tabsShown(label: string): string {
  return label.replaceAll('\t', '→');
}

/** Zero-width characters no label is written with (a right-to-left mark or a joiner belongs to its script). */
export const ZERO_WIDTH = new Set(['\u200b', '\u2060', '\ufeff', '\u00ad']);

/**
 * `label` with each character params.yaml refuses wherever it stands in a label written as its code
 * ("Kupfer<U+200B>stich"): a zero-width one (ZERO_WIDTH), a control character, a bidi embedding, override or isolate
 * (control-characters.ts). Printed as they are, they do not show, or turn the message round. A label with none is
 * returned as it is. labelShown writes too those refused where they stand (a joiner that joins nothing).
 */
export function unseenShown(label: string): string {
  return [...label]
    .map((c) => (ZERO_WIDTH.has(c) || controlName(c) !== undefined ? `<${characterCode(c)}>` : c))
    .join('');
}

/**
 * Scripts written with the zero-width non-joiner and joiner (U+200C, U+200D) inside words: the Arabic script's
 * languages (Persian "کتاب\u200cخانه": the non-joiner keeps "کتاب" from joining "خانه"), Syriac, N'Ko, Mongolian,
 * and the Indic and other Brahmic scripts (Hindi "क्\u200dष", a half form). Marks count with their letters.
 */
const JOINED_SCRIPTS = [
  ...['Arab', 'Syrc', 'Nkoo', 'Mong'],
  ...['Deva', 'Beng', 'Guru', 'Gujr', 'Orya', 'Taml', 'Telu', 'Knda', 'Mlym', 'Sinh', 'Mymr', 'Khmr'],
]
  .map((script) => `\\p{scx=${script}}`)
  .join('');
const JOINED_LETTER = new RegExp(`^(?=[\\p{L}\\p{M}])[${JOINED_SCRIPTS}]$`, 'u');

/** The virama (the sign that silences a vowel) of each Indic script of JOINED_SCRIPTS that writes one. */
const VIRAMA = new Set([
  ...['\u094d', '\u09cd', '\u0a4d', '\u0acd', '\u0b4d', '\u0bcd', '\u0c4d', '\u0ccd', '\u0d4d', '\u0dca'],
  ...['\u1039', '\u17d2'],
]);

/** What a zero-width joiner stands after and before in an emoji sequence ("👩\u200d💻", a woman technologist). */
const EMOJI_BEFORE = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\ufe0f)$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}$/u;

/**
 * Whether the character of `text` at `at` (a UTF-16 index) is a zero-width non-joiner or joiner between two letters
 * of a script written with them (JOINED_SCRIPTS), a joiner after a virama at a word's end, or a joiner inside an
 * emoji: text of the label, shown as it is. One at an end, beside another such character or between Latin letters is
 * not, and a message shows it by its code.
 */
export function joinerInWord({ text, at }: { text: string; at: number }): boolean {
  const joiner = text[at];
  if (joiner !== '\u200c' && joiner !== '\u200d') return false;
  // The characters either side, whole (an emoji is two UTF-16 units; a joiner is never half of a pair).
  const before = [...text.slice(Math.max(0, at - 2), at)].at(-1);
  const next = text.codePointAt(at + 1);
  if (before === undefined) return false;
  const after = next === undefined ? undefined : String.fromCodePoint(next);
  // Malayalam and Bengali in the older encoding end a word with a joiner after the virama (a chillu, "ৎ"): deleting it
  // changes how the word is drawn. It stands at the word's end, so nothing of the word comes after it.
  if (joiner === '\u200d' && VIRAMA.has(before) && (after === undefined || !JOINED_LETTER.test(after))) return true;
  if (after === undefined) return false;
  if (joiner === '\u200d' && EMOJI_BEFORE.test(before) && EMOJI_AFTER.test(after)) return true;
  return JOINED_LETTER.test(before) && JOINED_LETTER.test(after);
}

/**
 * Where in `text` (UTF-16 indices) a zero-width non-joiner or joiner stands that joins nothing: not inside a word of a
 * script written with them nor inside an emoji (joinerInWord), so one at an end, doubled or between Latin letters.
 * It prints as nothing, and was most likely pasted in with the text.
 */
export function strayJoiners(text: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf('\u200c'); at !== -1; at = text.indexOf('\u200c', at + 1))
    if (!joinerInWord({ text, at })) found.push(at);
  for (let at = text.indexOf('\u200d'); at !== -1; at = text.indexOf('\u200d', at + 1))
    if (!joinerInWord({ text, at })) found.push(at);
  return found.sort((a, b) => a - b);
}

/** The direction marks: a left-to-right, right-to-left or Arabic letter mark. */
const DIRECTION_MARK = /[\u200e\u200f\u061c]/g;

/** A letter of a script written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and the others). */
const RIGHT_TO_LEFT_LETTER = new RegExp(
  `[${['Hebr', 'Arab', 'Syrc', 'Thaa', 'Nkoo', 'Samr', 'Mand', 'Adlm', 'Rohg', 'Yezi']
    .map((script) => `\\p{sc=${script}}`)
    .join('')}]`,
  'u',
);

/**
 * Where in `text` (UTF-16 indices) a direction mark stands with no right-to-left letter in the text to set among Latin
 * or other left-to-right words ("\u200eStatuary", "vase\u200f"): it changes nothing a reader sees, and was most likely
 * pasted in. In a Hebrew or Arabic label ("\u200fعملة") a mark may set the order of its words and numbers: its own.
 */
export function strayDirectionMarks(text: string): number[] {
  if (RIGHT_TO_LEFT_LETTER.test(text)) return [];
  return [...text.matchAll(DIRECTION_MARK)].map((m) => m.index);
}

/**
 * Where in `label` (UTF-16 indices) a character stands that no label is written with, which params.yaml refuses in a
 * label and every message writes by its code: a zero-width one (ZERO_WIDTH), a control character or a bidi
 * embedding, override or isolate (control-characters.ts), a joiner that joins nothing (strayJoiners), a direction mark
 * in a label with no right-to-left letter (strayDirectionMarks). The one check for params.yaml, init and the dataset
 * stage's messages.
 */
export function pastedInLabel(label: string): number[] {
  const found: number[] = [];
  for (let at = 0; at < label.length; at++) {
    const c = label[at]!;
    if (ZERO_WIDTH.has(c) || controlName(c) !== undefined) found.push(at);
  }
  return [...found, ...strayJoiners(label), ...strayDirectionMarks(label)].sort((a, b) => a - b);
}

/**
 * `label` as a message shows it: each character pastedInLabel finds written as its code ("Kupfer<U+200B>stich",
 * "<U+200C>کتاب", "<U+200E>Statuary"). A joiner inside a word ("کتاب\u200cخانه") is the label's own text, shown as it is.
 */
export function labelShown(label: string): string {
  const pasted = new Set(pastedInLabel(label));
  if (pasted.size === 0) return label;
  // Each character it finds is one UTF-16 unit (none is past U+FFFF): the text is walked unit by unit.
  let out = '';
  for (let at = 0; at < label.length; at++) out += pasted.has(at) ? `<${characterCode(label[at]!)}>` : label[at];
  return out;
}

/** `label` without the characters pastedInLabel finds: "Pottery\u200b" is "Pottery"; "کتاب\u200cخانه" stays. */
export function withoutPasted(label: string): string {
  const pasted = new Set(pastedInLabel(label));
  if (pasted.size === 0) return label;
  let out = '';
  for (let at = 0; at < label.length; at++) if (!pasted.has(at)) out += label[at];
  return out;
}
