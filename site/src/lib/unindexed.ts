/*
 * Pagefind (1.5 and later) searches every data-pagefind-meta field, split into words as the page's
 * text is. A result card needs two fields no visitor searches: the thumbnail's address
 * ("media/thumbs/52372af3…-240.webp") and its alt text. Indexed, the address gave every object words
 * like "240", "webp" and runs of its hash's digits ("02", "99"), and the alt text "photograph"; as
 * Pagefind, finding no word that starts with a typed "0267", falls back to the longest word that
 * starts it ("02"), an object number no object has found unrelated objects. So these fields are
 * written in sixteen ASCII punctuation marks, two per byte: Pagefind keeps a field as written but
 * indexes no word from punctuation. The search page reads them back.
 */

const MARKS = '!$%()+,-./:;=?@~';

/** `text` (UTF-8) as punctuation marks only, two per byte. */
export function unindexed(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += MARKS[byte >> 4]! + MARKS[byte & 15]!;
  return out;
}

/** The text `unindexed` wrote; "" for anything it did not write. */
export function readUnindexed(marks: string): string {
  if (marks.length % 2 !== 0) return '';
  const bytes = new Uint8Array(marks.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const hi = MARKS.indexOf(marks[2 * i]!);
    const lo = MARKS.indexOf(marks[2 * i + 1]!);
    if (hi < 0 || lo < 0) return '';
    bytes[i] = (hi << 4) | lo;
  }
  return new TextDecoder().decode(bytes);
}
