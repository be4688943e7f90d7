import { describe, expect, it } from 'vitest';
import { labelsOutOfMacroF1 } from '../../pipeline/evaluate/scores.ts';
import { scoreCells } from '../../pipeline/report/too-few.ts';

/*
 * Tester T2 (a German museum): the model page's table gave "Münze 0.0% 0.0% 0.0% 0" for a type no test object had,
 * which the model named right on every labelled coin; the Markdown card and the report give dashes.
 */

const format = (v: number) => `${(v * 100).toFixed(1)}%`;
const perClass = [
  { label: 'Gefäß', support: 2, precision: 1, recall: 0.5, f1: 2 / 3 },
  { label: 'Münze', support: 0, precision: 0, recall: 0, f1: 0 },
  { label: 'Urkunde', support: 2, precision: 0.5, recall: 1, f1: 2 / 3 },
];

describe('the model page scores of a type', () => {
  it('are dashes for a type with no test objects that the model never named', () => {
    const confusion = [
      [1, 0, 1],
      [0, 0, 0],
      [0, 0, 2],
    ];
    const outOfMacroF1 = labelsOutOfMacroF1({ perClass, confusion });
    const cells = perClass.map((type) => scoreCells({ type, outOfMacroF1, format }));
    expect(cells).toEqual([
      ['100.0%', '50.0%', '66.7%'],
      ['—', '—', '—'],
      ['50.0%', '100.0%', '66.7%'],
    ]);
  });

  it('keep a precision and F1 of 0 when the model named the type on test objects it did not have', () => {
    const confusion = [
      [1, 1, 0],
      [0, 0, 0],
      [0, 0, 2],
    ];
    const outOfMacroF1 = labelsOutOfMacroF1({ perClass, confusion });
    expect(scoreCells({ type: perClass[1]!, outOfMacroF1, format })).toEqual(['0.0%', '—', '0.0%']);
  });
});
