import { describe, expect, it } from 'vitest';
import { withUnseenSourceCheck } from '../../pipeline/evaluate/gate.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * gate.min_unseen_macro_f1 asks that the model work on photographs from a source it has not seen. With no
 * estimate to check (evaluate.group_by left empty, or one group only), the check was dropped without a word
 * and the gate passed: it fails now, saying what is missing.
 */

const passing: Metrics['gate'] = {
  passed: true,
  checks: [{ name: 'macro-F1 at least the minimum', passed: true, detail: '' }],
};
const interval = (value: number) => ({ value, low: value - 0.05, high: value + 0.05 });
const estimate = { field: 'museum', macroF1: interval(0.5) } as NonNullable<Metrics['outOfCollection']>;

describe('the gate check on an unseen source', () => {
  it('is left out when the minimum is 0', () => {
    expect(withUnseenSourceCheck({ gate: passing, estimate: null, minimum: 0 })).toBe(passing);
  });

  it('passes or fails on the estimate when there is one', () => {
    expect(withUnseenSourceCheck({ gate: passing, estimate, minimum: 0.4 }).passed).toBe(true);
    const failed = withUnseenSourceCheck({ gate: passing, estimate, minimum: 0.6 });
    expect(failed.passed).toBe(false);
    expect(failed.checks.at(-1)!.name).toBe('macro-F1 on an unseen museum at least the minimum');
  });

  it('fails, saying what to set, when the gate asks for it and no estimate could be made', () => {
    const gate = withUnseenSourceCheck({ gate: passing, estimate: null, minimum: 0.5 });
    expect(gate.passed).toBe(false);
    const check = gate.checks.at(-1)!;
    expect(check.passed).toBe(false);
    expect(check.detail).toMatch(/^not measured: gate\.min_unseen_macro_f1 is 0\.50/);
    expect(check.detail).toContain('evaluate.group_by');
    expect(check.detail).toContain('set gate.min_unseen_macro_f1 to 0');
  });
});
