import { describe, expect, it } from 'vitest';
import { crossValidatedChange, tooSmallWords } from '../../pipeline/evaluate/verdict-words.ts';

/*
 * Reviewer: where a small p-value stands beside "no detectable difference" (model card, model page, evaluate log),
 * the reason must be said; and a change of 0.0096 must not print as "+0.01 … under 0.01".
 */

const iv = (value: number) => ({ value, low: value - 0.002, high: value + 0.002 });

describe('why a change is no detectable difference though its p-value is small', () => {
  it('says the change is under evaluate.min_change, with digits enough to show it is', () => {
    expect(tooSmallWords({ difference: iv(0.003), minChange: 0.01, verdict: 'no detectable difference' })).toBe(
      'a change of +0.003, under 0.01 (evaluate.min_change), is too small to matter',
    );
    expect(tooSmallWords({ difference: iv(0.0096), minChange: 0.01, verdict: 'no detectable difference' })).toBe(
      'a change of +0.0096, under 0.01 (evaluate.min_change), is too small to matter',
    );
    expect(tooSmallWords({ difference: iv(-0.004), minChange: 0.005, verdict: 'no detectable difference' })).toContain(
      'a change of −0.004, under 0.005',
    );
  });

  it('says nothing when the change is large enough, the verdict is another, or the file predates the setting', () => {
    expect(tooSmallWords({ difference: iv(0.05), minChange: 0.01, verdict: 'no detectable difference' })).toBe('');
    expect(tooSmallWords({ difference: iv(0.05), minChange: 0.01, verdict: 'better' })).toBe('');
    expect(tooSmallWords({ difference: iv(0.003), verdict: 'no detectable difference' })).toBe('');
  });
});

describe('a cross-validated change under 0.01', () => {
  // The exact revert of 25 beads on the 1,827 Egyptian objects read "a change of +0.01, between +0.00 and +0.01" beside
  // "the change is under 0.01 (evaluate.min_change)".
  it('is not written as 0.01, and larger changes keep two decimals', () => {
    expect(crossValidatedChange({ value: 0.0072, low: 0.0046, high: 0.0102 })).toBe(
      '+0.007, between +0.005 and +0.010',
    );
    expect(crossValidatedChange({ value: 0.0096, low: 0.0071, high: 0.0121 })).toBe(
      '+0.0096, between +0.0071 and +0.0121',
    );
    expect(crossValidatedChange({ value: -0.0072, low: -0.0102, high: -0.0046 })).toBe(
      '−0.007, between −0.010 and −0.005',
    );
    expect(crossValidatedChange({ value: 0.036, low: 0.022, high: 0.053 })).toBe('+0.04, between +0.02 and +0.05');
    expect(crossValidatedChange({ value: 0.003, low: 0.001, high: 0.005 })).toBe('+0.003, between +0.001 and +0.005');
    // Reviewer: the museum's own evaluate.min_change, not 0.01: 0.0196 under 0.02 is not "+0.02".
    expect(crossValidatedChange({ value: 0.0196, low: 0.012, high: 0.027 }, { minChange: 0.02 })).toBe(
      '+0.0196, between +0.0120 and +0.0270',
    );
  });
});
