import { describe, expect, it } from 'vitest';
import {
  checkGate,
  minTestPerClassOf,
  withLabelLossCheck,
  withSpreadsheetIdsCheck,
  withUnseenSourceCheck,
} from '../../pipeline/evaluate/gate.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { ModelScores } from '../../pipeline/types.ts';

/*
 * The report's per-label table and the model page mark the classes the gate did not judge by their F1: they need the
 * dataset.min_test_per_class the gate used, recorded with the metrics and kept by every check added after.
 */

const iv = (v: number) => ({ value: v, low: v, high: v });
const candidate: ModelScores = {
  accuracy: iv(0.9),
  macroF1: iv(0.9),
  topK: { k: 2, accuracy: iv(1) },
  ece: iv(0),
  perClass: [
    { label: 'coin', precision: 0.8, recall: 0.8, f1: 0.8, support: 3 },
    { label: 'mask', precision: 0.95, recall: 0.95, f1: 0.95, support: 8 },
  ],
  confusion: [],
};
const gate = defaultParams().gate;

describe('the gate records dataset.min_test_per_class', () => {
  it('in its result, kept by the label-loss, spreadsheet and unseen-source checks', () => {
    const checked = checkGate({ candidate, baseline: null, gate, minTestPerClass: 7 });
    expect(checked.minTestPerClass).toBe(7);
    const lost = withLabelLossCheck({
      gate: checked,
      loss: { ref: 'main', before: 10, removed: 8, lost: [] },
    });
    expect(lost.passed).toBe(false);
    expect(lost.minTestPerClass).toBe(7);
    const unseen = withUnseenSourceCheck({ gate: lost, estimate: null, minimum: 0.5 });
    expect(unseen.minTestPerClass).toBe(7);
    expect(withSpreadsheetIdsCheck({ gate: unseen, losses: [] }).minTestPerClass).toBe(7);
    expect(minTestPerClassOf(unseen)).toBe(7);
  });

  it('is read from the class check of a gate that did not record it, and is null when nothing says it', () => {
    const { minTestPerClass: _, ...old } = checkGate({ candidate, baseline: null, gate, minTestPerClass: 5 });
    expect(minTestPerClassOf(old)).toBe(5);
    const { minTestPerClass: __, ...none } = checkGate({ candidate, baseline: null, gate, minTestPerClass: 2 });
    expect(minTestPerClassOf(none)).toBeNull();
    expect(minTestPerClassOf(undefined)).toBeNull();
  });
});
