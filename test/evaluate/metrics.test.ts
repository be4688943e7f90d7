import { describe, expect, it } from 'vitest';
import { factorBreakdown } from '../../pipeline/evaluate/factors.ts';
import { checkGate } from '../../pipeline/evaluate/gate.ts';
import { buildMetrics } from '../../pipeline/evaluate/metrics.ts';
import { prepare } from '../../pipeline/evaluate/scores.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { ModelScores } from '../../pipeline/types.ts';

const gate = { max_macro_f1_drop: 0.02, min_class_f1: 0.3, min_macro_f1: 0.5, min_unseen_macro_f1: 0 };

function scores(macro: number, classF1: [string, number, number][]): ModelScores {
  const iv = (v: number) => ({ value: v, low: v, high: v });
  return {
    accuracy: iv(macro),
    macroF1: iv(macro),
    topK: { k: 2, accuracy: iv(1) },
    ece: iv(0),
    perClass: classF1.map(([label, f1, support]) => ({ label, precision: f1, recall: f1, f1, support })),
    confusion: [],
  };
}

describe('promotion gate', () => {
  it('passes a first model above both minimums', () => {
    const g = checkGate({
      candidate: scores(0.8, [
        ['coin', 0.9, 5],
        ['mask', 0.7, 5],
      ]),
      baseline: null,
      gate,
    });
    expect(g.passed).toBe(true);
    expect(g.checks.map((c) => c.name)).toHaveLength(2);
  });

  it('fails a first model below the macro-F1 minimum or with a weak class, naming it', () => {
    expect(
      checkGate({
        candidate: scores(0.45, [
          ['coin', 0.5, 5],
          ['mask', 0.4, 5],
        ]),
        baseline: null,
        gate,
      }).passed,
    ).toBe(false);
    const weak = checkGate({
      candidate: scores(0.7, [
        ['coin', 0.9, 5],
        ['mask', 0.2, 5],
      ]),
      baseline: null,
      gate,
    });
    expect(weak.passed).toBe(false);
    expect(weak.checks[1]!.detail).toContain('mask 0.200');
  });

  it('fails when there are no labelled test objects at all', () => {
    const g = checkGate({
      candidate: scores(0, [
        ['coin', 0, 0],
        ['mask', 0, 0],
      ]),
      baseline: null,
      gate,
    });
    expect(g.passed).toBe(false);
    expect(g.checks[0]).toMatchObject({ name: 'labelled test objects to score', passed: false });
    // Scored on nothing, the figures are zeros, not scores: no check reads "macro-F1 0.000" (tester).
    expect(g.checks).toHaveLength(1);
  });

  // With two classes judged: one alone fails the gate (gate-classes.test.ts).
  it('does not judge a class with no test objects', () => {
    const g = checkGate({
      candidate: scores(0.8, [
        ['coin', 0.8, 5],
        ['mask', 0.8, 5],
        ['print', 0, 0],
      ]),
      baseline: null,
      gate,
    });
    expect(g.passed).toBe(true);
    expect(g.checks[1]!.detail).toContain('no test objects for print');
  });

  it('with a baseline, allows a drop up to max_macro_f1_drop and no more', () => {
    const base = scores(0.8, [['coin', 0.8, 5]]);
    expect(checkGate({ candidate: scores(0.785, [['coin', 0.8, 5]]), baseline: base, gate }).passed).toBe(true);
    const dropped = checkGate({ candidate: scores(0.75, [['coin', 0.75, 5]]), baseline: base, gate });
    expect(dropped.passed).toBe(false);
    expect(dropped.checks).toHaveLength(3);
    expect(dropped.checks[2]!.passed).toBe(false);
  });
});

describe('factor breakdown', () => {
  it('groups by an object field or an extra column, largest group first', () => {
    const y = [0, 0, 1, 1];
    const p = prepare({
      y,
      probs: [
        [0.9, 0.1],
        [0.2, 0.8],
        [0.1, 0.9],
        [0.3, 0.7],
      ],
    });
    const objects = [
      { id: 'a', department: 'Coins', extra: { museum: 'Met' } },
      { id: 'b', department: 'Coins', extra: { museum: 'Cleveland' } },
      { id: 'c', department: 'Textiles', extra: { museum: 'Met' } },
      { id: 'd', department: '', extra: { museum: 'Met' } },
    ];
    const f = factorBreakdown({ objects, prepared: p, factors: ['department', 'museum', 'nothing'] });
    expect(f.map((x) => x.factor)).toEqual(['department', 'museum']);
    expect(f[0]!.groups[0]).toEqual({ value: 'Coins', n: 2, accuracy: 0.5, macroF1: expect.any(Number) });
    expect(f[0]!.groups.map((g) => g.value)).toEqual(['Coins', '(not recorded)', 'Textiles']);
    expect(f[1]!.groups).toEqual([
      { value: 'Met', n: 3, accuracy: 1, macroF1: 1 },
      { value: 'Cleveland', n: 1, accuracy: 0, macroF1: 0 },
    ]);
  });
});

describe('buildMetrics', () => {
  it('assembles the metrics.json shape with the baseline comparison, changes and least-confident objects', () => {
    const params = defaultParams();
    params.evaluate.bootstrap = 200;
    params.evaluate.least_confident = 2;
    params.gate.min_test_objects = 4;
    const labels = ['coin', 'mask'];
    const objects = [
      { id: 'o1', department: 'Coins' },
      { id: 'o2', department: 'Coins' },
      { id: 'o3', department: 'Masks' },
      { id: 'o4', department: 'Masks' },
    ];
    const y = [0, 0, 1, 1];
    const candidate = [
      [0.9, 0.1],
      [0.6, 0.4],
      [0.2, 0.8],
      [0.45, 0.55],
    ];
    const baseline = [
      [0.9, 0.1],
      [0.3, 0.7],
      [0.2, 0.8],
      [0.7, 0.3],
    ];
    const inputs = { data: 'abc.dir', labels: 'def', params: '123', commit: null };
    const m = buildMetrics({
      labels,
      objects,
      y,
      candidate,
      baseline: { version: 'v1.0.0', probs: baseline },
      params,
      createdAt: '2026-01-01T00:00:00.000Z',
      backend: 'cpu',
      backbone: 'b',
      inputs,
    });
    expect(m.schema).toBe('vitrine.metrics/1');
    expect(m.n).toBe(4);
    expect(m.accuracy.value).toBe(1);
    expect(m.baseline!.accuracy.value).toBe(0.5);
    expect(m.baseline!.version).toBe('v1.0.0');
    expect(m.baseline!.comparison.metric).toBe('macroF1');
    expect(m.baseline!.comparison.difference.value).toBeCloseTo(0.5);
    expect(m.changedPredictions).toEqual([
      { id: 'o2', label: 'coin', baseline: 'mask', candidate: 'coin' },
      { id: 'o4', label: 'mask', baseline: 'coin', candidate: 'mask' },
    ]);
    expect(m.leastConfident.map((o) => o.id)).toEqual(['o4', 'o2']);
    expect(m.leastConfident[0]!.confidence).toBeCloseTo(0.55);
    expect(m.confusion).toEqual([
      [2, 0],
      [0, 2],
    ]);
    expect(m.topK.k).toBe(2);
    expect(m.factors[0]!.factor).toBe('department');
    expect(m.inputs).toBe(inputs);
    expect(m.gate.checks).toHaveLength(3);
    // The whole record survives JSON (no typed arrays, NaN or undefined).
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});
