import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { checkLabels } from '../../pipeline/dataset/validate.ts';

/*
 * An outside tester: a Persian label outside the vocabulary, "کتاب\u200cخانه" (library; the zero-width non-joiner
 * keeps "کتاب" from joining "خانه", as Persian is written), was shown as "کتاب<U+200C>خانه" and said to contain an
 * invisible character, though params.yaml takes the label as it is. A joiner between letters of a script written with
 * joiners (Arabic, Persian, the Indic scripts) or inside an emoji sequence is the label’s own text; one at an end,
 * doubled or between Latin letters (where it is only an unseen slip) is still shown by its code, as is a zero-width
 * space. Failed before the fix.
 */

function messagesOf(label: string, vocabulary = ['coin', 'mask']): string[] {
  const labels = parseLabels({ text: `object_id,label\nA-1,${label}\nA-2,coin\n`, file: 'labels.csv' });
  const { issues } = checkLabels({ labels, objectIds: new Set(['A-1', 'A-2']), vocabulary, name: 'labels.csv' });
  return issues.filter((i) => i.line === 2).map((i) => i.message);
}

const PERSIAN = 'کتاب\u200cخانه';
// Hindi "क्‍ष": ka, virama, zero-width joiner, ssa (the half form of ka, as some words are written).
const HINDI = 'क्\u200dष';
// Woman, zero-width joiner, laptop: one emoji, "woman technologist".
const EMOJI = '👩\u200d💻';

describe('a joiner inside a word of a script that needs it, on a line of labels.csv outside the vocabulary', () => {
  it.each([
    ['a zero-width non-joiner in a Persian word', PERSIAN],
    ['a zero-width joiner in a Hindi word', HINDI],
    ['a zero-width joiner in an emoji', EMOJI],
  ])('%s is shown as it is, not as its code, nor called invisible', (_, label) => {
    const [message] = messagesOf(label);
    expect(message).toContain(`"${label}" is not one of the labels of this collection`);
    expect(message).not.toContain('<U+');
    expect(message).not.toContain('invisible');
  });
});

describe('a joiner or zero-width space that is not inside such a word', () => {
  it.each([
    ['a joiner at the start', '\u200cکتاب', '"<U+200C>کتاب"'],
    ['a joiner at the end', 'کتاب\u200d', '"کتاب<U+200D>"'],
    ['a doubled joiner', 'کتاب\u200c\u200cخانه', '"کتاب<U+200C><U+200C>خانه"'],
    ['a zero-width space between Persian letters', 'کتاب\u200bخانه', '"کتاب<U+200B>خانه"'],
    ['a joiner between Latin letters', 'co\u200cin', '"co<U+200C>in"'],
  ])('%s is still shown by its code', (_, label, shown) => {
    const [message] = messagesOf(label);
    expect(message).toContain(`${shown} is not one of the labels of this collection: it contains an invisible`);
  });
});

describe('a zero-width space beside a Persian word that is in the vocabulary with its non-joiner', () => {
  it('is named, shown by its code, and said to delete, the non-joiner left as it is', () => {
    const [message] = messagesOf(`${PERSIAN}\u200b`, [PERSIAN, 'coin']);
    expect(message).toBe(
      `labels.csv:2: "${PERSIAN}<U+200B>" is not one of the labels of this collection: it contains an invisible ` +
        `character (zero-width space, U+200B) after "${PERSIAN}". Did you mean "${PERSIAN}"? Delete that character ` +
        'on this line; until then the line is skipped.',
    );
  });
});
