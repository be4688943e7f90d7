import { describe, expect, it } from 'vitest';
import { checkVocabulary } from '../../pipeline/collection/vocabulary.ts';

/*
 * An outside tester, vitrine init of an export with "print" (line 7) and "PRINT" (line 8) beside "Print": the import's
 * warning began "warning: labels.csv:7: "print" is not one of the labels…", and its next line, "labels.csv:8: "PRINT"
 * is not one of the labels…", read as a second warning without its "warning:". Two or more such labels are one
 * warning with a heading, each label indented under it.
 */

describe('several labels a letter or two from a vocabulary label, in one warning', () => {
  const labels = [
    ...Array.from({ length: 30 }, (_, i) => ({ label: 'Print', line: i + 10 })),
    ...Array.from({ length: 30 }, (_, i) => ({ label: 'Drawing', line: i + 40 })),
    { label: 'print', line: 7 },
    { label: 'PRINT', line: 8 },
  ];

  it('are listed under one heading, none of them looking like a warning of its own', () => {
    const { message } = checkVocabulary({ labels, vocabulary: ['Print', 'Drawing'], minPerLabel: 25 });
    const lines = message.split('\n');
    expect(lines[0]).toBe('2 labels in labels.csv look like labels of this collection written another way:');
    expect(lines[1]).toBe('  labels.csv:7: "print" is not one of the labels of this collection. Did you mean "Print"?');
    expect(lines[2]).toBe('  labels.csv:8: "PRINT" is not one of the labels of this collection. Did you mean "Print"?');
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^labels\.csv:\d+:/);
  });

  it('one such label is still said on its line', () => {
    const one = labels.filter((l) => l.label !== 'PRINT');
    const { message } = checkVocabulary({ labels: one, vocabulary: ['Print', 'Drawing'], minPerLabel: 25 });
    expect(message).toBe('labels.csv:7: "print" is not one of the labels of this collection. Did you mean "Print"?');
  });
});
