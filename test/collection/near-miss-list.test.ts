import { describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
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
    expect(lines[0]).toBe('labels.csv has 2 labels that look like labels of this collection written another way:');
    expect(lines[1]).toBe('  labels.csv:7: "print" is not one of the labels of this collection. Did you mean "Print"?');
    expect(lines[2]).toBe('  labels.csv:8: "PRINT" is not one of the labels of this collection. Did you mean "Print"?');
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^labels\.csv:\d+:/);
  });

  it('one such label is still said on its line', () => {
    const one = labels.filter((l) => l.label !== 'PRINT');
    const { message } = checkVocabulary({ labels: one, vocabulary: ['Print', 'Drawing'], minPerLabel: 25 });
    expect(message).toBe('labels.csv:7: "print" is not one of the labels of this collection. Did you mean "Print"?');
  });

  /** The warning as vitrine init and import print it, at the place checkVocabulary gives. */
  function printed(check: ReturnType<typeof checkVocabulary>): string[] {
    let text = '';
    terminalLogger({ write: (t) => void (text += t), isTTY: false }).warn(check.message, check.where);
    return text.split('\n');
  }

  it('is printed as a plain sentence naming labels.csv, not after “params.yaml:” when other labels are outside too', () => {
    // A tester, vitrine init: "warning: params.yaml: 2 labels in labels.csv look like …", the file the other labels'
    // advice is about put before a heading about labels.csv.
    const statuary = Array.from({ length: 30 }, (_, i) => ({ label: 'Statuary', line: i + 70 }));
    const check = checkVocabulary({
      labels: [...labels, ...statuary],
      vocabulary: ['Print', 'Drawing'],
      minPerLabel: 25,
    });
    const lines = printed(check);
    expect(lines[0]).toBe(
      'warning: labels.csv has 2 labels that look like labels of this collection written another way:',
    );
    expect(lines[1]).toBe('  labels.csv:7: "print" is not one of the labels of this collection. Did you mean "Print"?');
    expect(lines.join('\n')).toContain('1 label used in labels.csv is not in collection.vocabulary in params.yaml');
  });

  it('is printed without the first of its lines before the heading when no other label is outside', () => {
    expect(printed(checkVocabulary({ labels, vocabulary: ['Print', 'Drawing'], minPerLabel: 25 }))[0]).toBe(
      'warning: labels.csv has 2 labels that look like labels of this collection written another way:',
    );
  });
});
