/*
 * Marks no one sees in a rights text, and the ways to read them: rights.ts (rightsOf) and image-rules.ts
 * (forbidsPublication, embargoYear) read a text with the same list and the same readings, so that the statement
 * and the words that forbid publishing never part ways over a mark (reviewer V32, task D49).
 */

/**
 * The marks no one sees: direction marks and embeddings, zero-width spaces and joiners, a soft hyphen
 * (Default_Ignorable_Code_Point), the Arabic stretching line, which may be typed inside a Latin word too, and blanks
 * that show as nothing or a space but are neither (reviewer V32): the braille blank, the interlinear annotation
 * marks and the Egyptian hieroglyph format controls.
 */
export const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u0640\u2800\ufff9-\ufffb\u{13430}-\u{1343f}]/u;
const MARKS = new RegExp(INVISIBLE.source, 'gu');

/**
 * Beyond so many marks or kinds of mark, or in a longer text, the marks are read all as nothing and all as spaces
 * only: each reading reads the whole text again (108,000 characters with 16 kinds: 1.3 s, not 14 ms; 2,000: 23 ms).
 */
const MARKS_ONE_BY_ONE = 16;
const TEXT_ONE_BY_ONE = 2_000;

/**
 * A text with marks no one sees read every way that matters: as written, the marks as nothing ("Embar\u200bgoed")
 * and as spaces ("Do not\u200bpublish"); and, as one text may hold a mark for a space and another inside a word
 * ("Do\u200enot\u00adpublish", "In\u200eCo\u200bpyright"), each kind of mark and each mark read the one way while the
 * rest are read the other. That is every way for up to three kinds of mark. The text as written comes first, then
 * the marks all gone and all spaces; no other reading holds a mark. A text without marks is read as written only.
 */
export function markReadings(text: string): string[] {
  const marks = text.match(MARKS);
  if (!marks) return [text];
  const kinds = [...new Set(marks)];
  const oneByOne = text.length <= TEXT_ONE_BY_ONE;
  const read = (asSpace: (mark: string, i: number) => boolean): string => {
    let i = 0;
    return text.replace(MARKS, (mark) => (asSpace(mark, i++) ? ' ' : ''));
  };
  // As written, all gone, all spaces first: of readings that show as much, rights.ts keeps the first.
  const readings = [text, read(() => false), read(() => true)];
  for (const space of [false, true]) {
    if (oneByOne && kinds.length > 1 && kinds.length <= MARKS_ONE_BY_ONE)
      for (const kind of kinds) readings.push(read((mark) => (mark === kind) === space));
    if (oneByOne && marks.length > 1 && marks.length <= MARKS_ONE_BY_ONE)
      for (let j = 0; j < marks.length; j++) readings.push(read((_, i) => (i === j) === space));
  }
  return [...new Set(readings)];
}
