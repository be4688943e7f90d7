import { describe, expect, it } from 'vitest';
import { checkVocabulary, labelList } from '../../pipeline/collection/vocabulary.ts';
import { checkLabels } from '../../pipeline/dataset/validate.ts';

/*
 * An outside tester: a label holding quotes, Print, "hand-coloured", was shown as "Print, "hand-coloured"" in
 * vitrine init's list of labels and in the run's warnings: where does the label end? Such a label is now quoted
 * with “…”, so its own quotes read as part of it.
 */

const LABEL = 'Print, "hand-coloured"';

describe('a label holding quotes, in a message', () => {
  it('is quoted with “…” in a list of labels', () => {
    expect(labelList(['Print', LABEL, 'Drawing'])).toBe('Print, “Print, "hand-coloured"”, Drawing');
    expect(labelList(['Print', 'Pottery, glazed'])).toBe('Print, "Pottery, glazed"');
  });

  it('is quoted with “…” in the warning of a label outside the vocabulary, in labels.csv and the run', () => {
    const labels = [
      ...Array.from({ length: 3 }, (_, i) => ({ objectId: `p${i}`, label: 'Print', line: i + 2 })),
      { objectId: 'x', label: LABEL, line: 10 },
    ];
    const { issues } = checkLabels({
      labels,
      objectIds: new Set(labels.map((l) => l.objectId)),
      vocabulary: ['Print', 'Drawing'],
      name: 'labels.csv',
    });
    const said = issues.map((i) => i.message).join('\n');
    expect(said).toContain('labels.csv:10: “Print, "hand-coloured"” is not one of the labels of this collection');
    expect(said).not.toContain('"Print, "hand-coloured""');
    const check = checkVocabulary({ labels, vocabulary: ['Print', 'Drawing'] });
    expect(check.message).toContain('“Print, "hand-coloured"”');
    expect(check.message).not.toContain('"Print, "hand-coloured""');
  });
});
