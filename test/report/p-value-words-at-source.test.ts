import { describe, expect, it } from 'vitest';
import { crossValidatedSummary } from '../../pipeline/evaluate/label-change.ts';
import { summarise } from '../../pipeline/monitor/drift.ts';
import type { DriftReport } from '../../pipeline/monitor/types.ts';
import { evaluateSummary } from '../../pipeline/stages/evaluate.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { testerRun } from '../fixtures/tester-run.ts';

/*
 * The pull-request comment added what each p-value means to the stages’ summaries by reading their text back
 * ("p = 0.012" → "p = 0.012: with no real difference, …"), so the run log and the site’s monitoring page, which show
 * the same summaries, said a bare "p = 0.012". The stages now say it where they write it.
 */

const CHANCE = 'with no real difference, one this large would turn up by chance';
const iv = (value: number, low: number, high: number) => ({ value, low, high });

describe('the stages’ summaries say what each p-value means where they write it', () => {
  it('the evaluate stage: the test split’s comparison and the cross-validated one', () => {
    const better = testerRun({ comparison: { difference: iv(0.052, 0.031, 0.074), verdict: 'better' } });
    better.removed = 0;
    better.changed = 19;
    const metrics = {
      n: 18,
      macroF1: iv(0.94, 0.85, 1),
      accuracy: iv(0.944, 0.86, 1),
      baseline: {
        version: 'v1.0.0',
        comparison: { pValue: 0.012, verdict: 'better', difference: iv(0.09, 0.02, 0.16) },
      },
      crossValidated: better,
      gate: { passed: true, checks: [] },
    } as unknown as Metrics;
    const summary = evaluateSummary({ metrics, unread: 0, leftOut: 0, mayBeWrong: null });
    expect(summary).toContain(`better than v1.0.0 (p = 0.012: ${CHANCE} about 1 time in 80); on the 300 labelled`);
    expect(summary).toContain(`better (p = 0.002: ${CHANCE} about 1 time in 500; a change of +0.05`);
    const tiny = { ...metrics, crossValidated: undefined, baseline: { ...metrics.baseline!, comparison: {} } };
    tiny.baseline!.comparison = { ...metrics.baseline!.comparison, pValue: 0.0004 };
    expect(evaluateSummary({ metrics: tiny as Metrics, unread: 0, leftOut: 0, mayBeWrong: null })).toContain(
      `(p < 0.001: ${CHANCE} less than 1 time in 1,000)`,
    );
  });

  it('the cross-validated comparison, alone', () => {
    expect(crossValidatedSummary(testerRun())).toContain(
      `no difference that matters (p = 0.002: ${CHANCE} about 1 time in 500; a change of +0.003`,
    );
  });

  it('the drift check', () => {
    const report = {
      reference: { description: 'the training photographs', count: 40 },
      current: { description: 'new photographs', count: 40 },
      signals: {
        classifier: null,
        embeddings: { drifted: true, effect: 0.31, pValue: 0.002 },
        novelty: { drifted: true, value: 0.8, pValue: 0.004 },
        imageStats: [],
        predictedLabels: null,
      },
      unusualShare: 0,
      unfamiliar: [],
      drifted: true,
    } as unknown as DriftReport;
    const summary = summarise(report);
    expect(summary).toContain(`(energy coefficient 0.31, p = 0.002: ${CHANCE} about 1 time in 500)`);
    expect(summary).toContain(`each other (p = 0.004: ${CHANCE} about 1 time in 250)`);
  });
});
