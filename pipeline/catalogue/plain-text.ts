import { decodeHTML } from 'entities';
import { withoutControls } from '../control-characters.ts';

/*
 * Collection systems export rich text as HTML: a title in italics ("<i>Book of the Dead</i>"), paragraphs, "&amp;".
 * Pages escape every field (nothing of an export runs as HTML), so such markup showed literally on public pages (an
 * outside tester). The catalogue reads it as the text it stands for: the formatting tags go, a line break or a
 * paragraph's end is a new line, entities are their characters. A field without a formatting tag or an entity is
 * kept exactly: "<3 cm" or "Jones & Son" are text, not markup. So is a field with any other tag (<script>, <img>,
 * <iframe>): shown as it was written, escaped, never half-read.
 */

const FORMATTING =
  'a|abbr|b|big|blockquote|br|cite|div|em|font|h[1-6]|i|li|ol|p|q|s|small|span|strike|strong|sub|sup|u|ul';
const TAG = new RegExp(`<\\/?(?:${FORMATTING})(?:\\s[^<>]*)?\\/?>`, 'gi');
const BREAK = /<br\s*\/?>|<\/(?:p|div|li|h[1-6]|blockquote)>/gi;
const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;
const ANY_TAG = /<\/?([a-z][a-z0-9]*)\b[^<>]*>/gi;
const FORMATTING_NAME = new RegExp(`^(?:${FORMATTING})$`, 'i');

/** A field of the museum's export as the text it stands for (see above); unchanged when it holds no markup. */
export function plainText(value: string): string {
  TAG.lastIndex = 0;
  const tagged = TAG.test(value);
  if (!tagged && !ENTITY.test(value)) return value;
  for (const [, name] of value.matchAll(ANY_TAG)) if (!FORMATTING_NAME.test(name!)) return value;
  const text = decodeHTML(tagged ? value.replace(BREAK, '\n').replace(TAG, '') : value)
    .replace(/[ \t]*\n[ \t\n]*/g, '\n')
    .trim();
  // What comes out must hold no tag: one split by formatting tags ("<scr<b></b>ipt>") or written as entities
  // ("&lt;img …&gt;") would become markup only by being read (a reviewer). Such a field is kept as written.
  return /<[a-z/!?]/i.test(text) ? value : text;
}

/**
 * A field of an object as the catalogue reads it: the text it stands for (plainText), without control characters or
 * bidi overrides, also one written as an entity ("&#8238;"): every page, download and manifest takes this text.
 */
export function fieldText(value: string): string {
  return withoutControls(plainText(value));
}

/** The export's other columns (names and values) without control characters or bidi overrides; read as written. */
export function extraFields(extra: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [column, value] of Object.entries(extra ?? {})) out[withoutControls(column)] = withoutControls(value);
  return out;
}
