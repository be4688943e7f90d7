import { describe, expect, it } from 'vitest';
import { checkGate } from '../../pipeline/evaluate/gate.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { ModelScores } from '../../pipeline/types.ts';

function scores(macro: number, classes: [string, number, number][]): ModelScores {
  const iv = (v: number) => ({ value: v, low: v, high: v });
  return {
    accuracy: iv(macro),
    macroF1: iv(macro),
    topK: { k: 2, accuracy: iv(1) },
    ece: iv(0),
    perClass: classes.map(([label, f1, support]) => ({ label, precision: f1, recall: f1, f1, support })),
    confusion: [],
  };
}

describe('gate: enough test objects to judge', () => {
  it('does not pass a perfect model scored on one test object: not enough evidence', () => {
    const gate = defaultParams().gate;
    expect(gate.min_test_objects).toBe(30);
    const g = checkGate({
      candidate: scores(1, [
        ['coin', 1, 1],
        ['mask', 0, 0],
      ]),
      baseline: null,
      gate,
    });
    expect(g.passed).toBe(false);
    const check = g.checks.find((c) => !c.passed)!;
    expect(check.detail).toMatch(/^not enough evidence: 1 labelled test object, at least 30 needed/);
  });

  it('passes from the minimum on, and shows no extra check then', () => {
    const gate = { ...defaultParams().gate, min_test_objects: 10 };
    const enough = checkGate({
      candidate: scores(0.8, [
        ['coin', 0.9, 5],
        ['mask', 0.7, 5],
      ]),
      baseline: null,
      gate,
    });
    expect(enough.passed).toBe(true);
    expect(enough.checks).toHaveLength(2);
    const short = checkGate({
      candidate: scores(0.8, [
        ['coin', 0.9, 5],
        ['mask', 0.7, 4],
      ]),
      baseline: null,
      gate,
    });
    expect(short.passed).toBe(false);
    expect(short.checks[0]!.detail).toContain('9 labelled test objects, at least 10 needed');
  });
});
