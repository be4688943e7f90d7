import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { checkVocabulary } from '../../pipeline/collection/vocabulary.ts';
import { checkLabels } from '../../pipeline/dataset/validate.ts';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * Outside tester: a soft hyphen (U+00AD, which a word processor puts in "Gefä-ße" to break it at a line's end and
 * which never shows otherwise) in a German label of params.yaml is refused. The same soft hyphen on a line of
 * labels.csv must get the same answer: refused (the line is skipped), the character named with its code and where
 * it is, shown where it stands, and what to do: delete it. labels.csv said only "Did you mean "Gefäße"?" of a label
 * that printed as "Gefäße".
 */

const { errorOf } = paramsTexts({ prefix: 'vitrine-soft-hyphen-' });
const SOFT = 'Gef\u00e4\u00adße';

describe('a soft hyphen in a German label', () => {
  it('in params.yaml is refused, naming the line, the character and where it is, and saying to delete it', async () => {
    const message = await errorOf(`collection:\n  name: Museum\n  vocabulary:\n    - Münze\n    - ${SOFT}\n`);
    expect(message).toContain(
      'params.yaml:5: the label "collection.vocabulary.1" ("Gefä<U+00AD>ße") has an invisible character (U+00AD, a ' +
        'soft hyphen) inside it, after "Gefä": delete it.',
    );
  });

  it('on a line of labels.csv is refused too: the line skipped, the character named and shown, to delete', () => {
    const labels = parseLabels({ text: `object_id,label\nA-1,${SOFT}\nA-2,Münze\n`, file: 'labels.csv' });
    const { labelOf, issues } = checkLabels({
      labels,
      objectIds: new Set(['A-1', 'A-2']),
      vocabulary: ['Gefäße', 'Münze'],
      name: 'labels.csv',
    });
    expect(labelOf.has('A-1')).toBe(false);
    expect(issues.map((i) => i.message)).toEqual([
      'labels.csv:2: "Gefä<U+00AD>ße" is not one of the labels of this collection: it contains an invisible ' +
        'character (soft hyphen, U+00AD) after "Gefä". Did you mean "Gefäße"? Delete that character on this line; ' +
        'until then the line is skipped.',
    ]);
  });

  it('on one line of labels.csv at import is said with what to do as well', () => {
    const check = checkVocabulary({
      labels: [{ label: SOFT, line: 2 }, ...Array.from({ length: 10 }, (_, i) => ({ label: 'Gefäße', line: 3 + i }))],
      vocabulary: ['Gefäße', 'Münze'],
      minPerLabel: 5,
    });
    expect(check.message).toContain(
      'labels.csv:2: "Gefä<U+00AD>ße" is not one of the labels of this collection. Did you mean "Gefäße"? It has an ' +
        'invisible character or another space (shown here as <U+00AD>), which makes the two look alike: delete it ' +
        'on that line.',
    );
  });

  // An outside tester: near no vocabulary label, the label was said with its zero-width space as it is (unseen).
  it('on a line of labels.csv near no vocabulary label is shown with the character’s code too', () => {
    const labels = parseLabels({
      text: 'object_id,label\nA-1,Kupfer\u200bstich\nA-2,Münze\nA-3,Holz\u2060schnitt\nA-4,Holz\u2060schnitt\n',
      file: 'labels.csv',
    });
    const { issues } = checkLabels({
      labels,
      objectIds: new Set(['A-1', 'A-2', 'A-3', 'A-4']),
      vocabulary: ['Gefäße', 'Münze'],
      name: 'labels.csv',
    });
    const messages = issues.map((i) => i.message);
    expect(messages).toHaveLength(3);
    for (const m of messages) expect(m).not.toMatch(/[\u200b\u2060]/);
    expect(messages[0]).toMatch(/^labels\.csv:2: "Kupfer<U\+200B>stich" is not one of the labels of this collection/);
    expect(messages[1]).toMatch(/^labels\.csv:4: "Holz<U\+2060>schnitt" is not one of the labels of this collection/);
  });

  it('at import, near no vocabulary label, is shown with the character’s code too', () => {
    const check = checkVocabulary({
      labels: [
        { label: 'Kupfer\u200bstich', line: 2 },
        ...Array.from({ length: 10 }, (_, i) => ({ label: 'Münze', line: 3 + i })),
      ],
      vocabulary: ['Gefäße', 'Münze'],
      minPerLabel: 5,
    });
    expect(check.message).toContain('Kupfer<U+200B>stich');
    expect(check.message).not.toMatch(/\u200b/);
  });
});
