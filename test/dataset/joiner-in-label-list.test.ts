import { describe, expect, it } from 'vitest';
import { checkVocabulary, labelInList } from '../../pipeline/collection/vocabulary.ts';

/*
 * Helpers K: the dataset stage’s list of labels outside the vocabulary showed a stray joiner (a zero-width non-joiner
 * at the start of a word, "\u200cکتاب") as it is, where it does not show, and the params.yaml vocabulary it suggested
 * copied it. A joiner inside a word of a script written with it ("کتاب\u200cخانه") is the label’s own text and is
 * shown and suggested as it is; one at an end, doubled or between Latin letters is shown by its code, left out of the
 * suggestion, and said to delete on its lines. Failed before the fix.
 */

const PERSIAN = 'کتاب\u200cخانه';
const STRAY = '\u200cکتاب';

function check(labels: string[]) {
  return checkVocabulary({
    labels: [
      ...Array.from({ length: 12 }, (_, i) => ({ label: 'coin', line: 2 + i })),
      ...labels.flatMap((label, k) => Array.from({ length: 12 }, (_, i) => ({ label, line: 20 + 20 * k + i }))),
    ],
    vocabulary: ['coin', 'mask'],
    minPerLabel: 10,
  });
}

/** The vocabulary the message suggests for params.yaml. */
function suggestedLine(message: string): string {
  return message.split('\n').find((l) => l.trim().startsWith('vocabulary: ['))!;
}

describe('a stray joiner in a label outside the vocabulary, in the dataset stage’s list', () => {
  const lines = 'on lines 20, 21, 22, 23, 24 and 7 more of labels.csv.';
  const pasted = (code: string) =>
    `has a joiner that joins nothing (a zero-width ${code}, written here as its code; one belongs only inside a word ` +
    `of a script written with it, such as Persian or Hindi): it was most likely pasted in with the label. Delete it ${lines}`;
  it.each([
    ['at the start of a Persian word', STRAY, '<U+200C>کتاب', pasted('non-joiner, U+200C')],
    ['at the end of a Persian word', 'کتاب\u200d', 'کتاب<U+200D>', pasted('joiner, U+200D')],
    [
      'doubled inside a Persian word',
      'کتاب\u200c\u200cخانه',
      'کتاب<U+200C><U+200C>خانه',
      `has a joiner written twice (a zero-width non-joiner, U+200C, written here as its code): delete one of the two ${lines}`,
    ],
    ['between Latin letters', 'Mün\u200cze', 'Mün<U+200C>ze', pasted('non-joiner, U+200C')],
  ])('%s is shown by its code and not suggested for params.yaml', (_, label, shown, advice) => {
    const { message } = check([label, PERSIAN]);
    expect(message).not.toContain(label);
    expect(message).toContain(`${shown} (12)`);
    expect(message).toContain(`"${shown}" (12 objects) on lines 20, 21, 22, 23, 24 and 7 more`);
    // The Persian word with its joiner inside is suggested as it is; the stray one is not suggested at all.
    expect(suggestedLine(message)).toBe(`    vocabulary: [coin, "${PERSIAN}"]`);
    expect(message).toContain(`"${shown}" ${advice}`);
    expect(message).not.toContain('params.yaml refuses');
    expect(labelInList(label)).toBe(shown);
  });

  it('shows a doubled joiner by its code when it names the look-alike pair too', () => {
    const { message } = check(['کتاب\u200c\u200cخانه', PERSIAN]);
    expect(message).toContain(
      `"کتاب<U+200C><U+200C>خانه" and "کتاب<U+200C>خانه" look like the same label (they differ only in a character ` +
        'that does not show, written here as its code)',
    );
  });

  it('writes by its code every character that does not show in a pair that differs only in those (review V4)', () => {
    // A right-to-left mark at the end, and a Persian word with and without its joiner, printed alike on both sides.
    const marked = check(['vase', 'vase\u200f']).message;
    expect(marked).toContain('"vase" and "vase<U+200F>" look like the same label (they differ only in a character');
    const joined = check([PERSIAN, 'کتابخانه']).message;
    expect(joined).toContain('"کتاب<U+200C>خانه" and "کتابخانه" look like the same label (they differ only in a');
  });

  it('shows a joiner inside a word as it is, and suggests the label', () => {
    const { message } = check([PERSIAN]);
    expect(message).not.toContain('<U+');
    expect(message).toContain(`${PERSIAN} (12)`);
    expect(suggestedLine(message)).toBe(`    vocabulary: [coin, "${PERSIAN}"]`);
    expect(labelInList(PERSIAN)).toBe(PERSIAN);
    expect(labelInList('👩\u200d💻')).toBe('👩\u200d💻');
  });
});
