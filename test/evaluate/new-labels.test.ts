import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkGate } from '../../pipeline/evaluate/gate.ts';
import { compareLabelSets } from '../../pipeline/evaluate/label-change.ts';
import { labelsBeingBuilt, objectsToAdd } from '../../pipeline/evaluate/new-labels.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { ModelScores } from '../../pipeline/types.ts';

/*
 * Tester T7 (HIGH): a registrar relabelled 5 "Helmet Mask" objects from mask to a new label, helmet mask, added to the
 * vocabulary: "Worse", and the gate failed on "below 0.300: helmet mask 0.000" measured on 2 test objects. Starting a
 * label and labelling its objects over several pull requests (docs/metrics.md) must not fail the gate, nor be called
 * worse because a thin new label scores 0 or its objects left another label.
 */

function scores(classes: [string, number, number][]): ModelScores {
  const iv = (v: number) => ({ value: v, low: v, high: v });
  return {
    accuracy: iv(0.9),
    macroF1: iv(0.8),
    topK: { k: 2, accuracy: iv(1) },
    ece: iv(0),
    perClass: classes.map(([label, f1, support]) => ({ label, precision: f1, recall: f1, f1, support })),
    confusion: [],
  };
}

const gate = { ...defaultParams().gate, min_test_objects: 10 };
const classF1 = (g: ReturnType<typeof checkGate>) => g.checks.find((c) => c.name.startsWith('every class F1'))!;

describe('labels being built up', () => {
  const o = (split: string, now: string | null, before: string | null) => ({ split, now, before });
  const objects = [
    // helmet mask: new here, 3 objects, 1 in test.
    o('test', 'helmet mask', 'mask'),
    o('train', 'helmet mask', 'mask'),
    o('train', 'helmet mask', null),
    // amphora: 2 objects at the base, 3 now, 2 in test: still thin, growing.
    o('test', 'amphora', 'amphora'),
    o('test', 'amphora', 'amphora'),
    o('train', 'amphora', 'vessel'),
    // coin: 6 in test at the base, as many now.
    ...Array.from({ length: 6 }, () => o('test', 'coin', 'coin')),
    // bead: thin, but no more objects than at the base: the usual rules.
    o('test', 'bead', 'bead'),
    o('train', 'bead', 'bead'),
  ];
  const labels = ['amphora', 'bead', 'coin', 'helmet mask', 'mask'];

  it('are those with more objects now than at the base and too few test objects, now and then', () => {
    expect(labelsBeingBuilt({ labels, objects, base: true, minTestPerClass: 5, testShare: 0.2 })).toEqual([
      { label: 'amphora', objects: 3, before: 2, test: 2 },
      { label: 'helmet mask', objects: 3, before: 0, test: 1 },
    ]);
  });

  // Reviewer V12: 30 coins of the training split relabelled "medal" were a label being built up, left out of both arms
  // of the verdict: the model confusing coins with medals was then seen by nothing but the test split's gate.
  it('are not labels with more objects than would put the minimum in the test split, whatever their split', () => {
    const medals = [
      ...Array.from({ length: 30 }, () => o('train', 'medal', 'coin')),
      ...Array.from({ length: 10 }, () => o('test', 'coin', 'coin')),
      ...Array.from({ length: 10 }, () => o('train', 'coin', 'coin')),
    ];
    const found = (n: number) =>
      labelsBeingBuilt({
        labels: ['coin', 'medal'],
        objects: medals.slice(30 - n),
        base: true,
        minTestPerClass: 5,
        testShare: 0.2,
      });
    expect(found(30)).toEqual([]);
    expect(found(26)).toEqual([]);
    // 25 objects put about 5 in the test split: up to there, a thin label is one being built up.
    expect(found(25)).toEqual([{ label: 'medal', objects: 25, before: 0, test: 0 }]);
  });

  // Reviewer V13 (LOW): the most followed the settings (min_test_per_class / split.test), so with
  // dataset.min_test_per_class 20 a label of up to 100 objects was thin, and 90 relabelled training coins left out
  // of the verdict. How many objects a label needs to be learnt is the model's, not the settings': 25 at most.
  it('are never labels of more than 25 objects, whatever dataset.min_test_per_class and dataset.split.test say', () => {
    const medals = (n: number) => [
      ...Array.from({ length: n }, () => o('train', 'medal', 'coin')),
      ...Array.from({ length: 30 }, (_, i) => o(i < 10 ? 'test' : 'train', 'coin', 'coin')),
    ];
    const found = (n: number, minTestPerClass: number, testShare: number) =>
      labelsBeingBuilt({ labels: ['coin', 'medal'], objects: medals(n), base: true, minTestPerClass, testShare }).map(
        (l) => l.objects,
      );
    expect(found(90, 20, 0.2)).toEqual([]);
    expect(found(26, 20, 0.2)).toEqual([]);
    expect(found(26, 5, 0.05)).toEqual([]);
    expect(found(25, 20, 0.2)).toEqual([25]);
    // Settings stricter the other way still lower it: 2 test objects take about 10 objects.
    expect(found(11, 2, 0.2)).toEqual([]);
    expect(found(10, 2, 0.2)).toEqual([10]);
  });

  it('are none without base labels, or with dataset.min_test_per_class 0', () => {
    expect(labelsBeingBuilt({ labels, objects, base: false, minTestPerClass: 5, testShare: 0.2 })).toEqual([]);
    expect(labelsBeingBuilt({ labels, objects, base: true, minTestPerClass: 0, testShare: 0.2 })).toEqual([]);
  });

  it('need objects up to one past the most a thin label has, before they are judged like every other label', () => {
    expect(objectsToAdd({ label: { objects: 5 }, minimum: 5, testShare: 0.2 })).toBe(21);
    expect(objectsToAdd({ label: { objects: 24 }, minimum: 5, testShare: 0.2 })).toBe(2);
    expect(objectsToAdd({ label: { objects: 20 }, minimum: 20, testShare: 0.2 })).toBe(6);
  });
});

describe('gate: a label being built up', () => {
  it('is not judged by its F1, even at 0, and the check says it is new and too thin to judge yet', () => {
    const g = checkGate({
      candidate: scores([
        ['coin', 0.9, 20],
        ['mask', 0.9, 20],
        ['helmet mask', 0, 2],
      ]),
      baseline: null,
      gate,
      minTestPerClass: 5,
      newLabels: [{ label: 'helmet mask', objects: 5, before: 0, test: 2 }],
    });
    expect(classF1(g).passed).toBe(true);
    expect(g.passed).toBe(true);
    expect(classF1(g).detail).toBe(
      'all 2 classes with at least 5 test objects have F1 ≥ 0.300; labels being built up, too few test objects to ' +
        'judge yet (fewer than 5, dataset.min_test_per_class): helmet mask, new, 5 objects, F1 0.000 on 2',
    );
  });

  it('keeps the usual rule for a label that is not being built up: F1 0 on 2 test objects fails', () => {
    const g = checkGate({
      candidate: scores([
        ['coin', 0.9, 20],
        ['mask', 0.9, 20],
        ['helmet mask', 0, 2],
      ]),
      baseline: null,
      gate,
      minTestPerClass: 5,
      newLabels: [],
    });
    expect(classF1(g).passed).toBe(false);
    expect(classF1(g).detail).toBe('below 0.300: helmet mask 0.000');
  });
});

describe('the comparison on every labelled object with a label being built up', () => {
  // 20 masks, 20 coins, and 3 masks moved to helmet mask, new. Trained on the labels now, the model gives the new
  // label a share of every mask's probability (helmet masks look like masks), and a little to the 3 themselves.
  const masks = 20;
  const coins = 20;
  const moved = 3;
  const n = masks + coins + moved;
  const labels = ['coin', 'mask', 'helmet mask'];
  const base = Array.from({ length: n }, (_, i) => (i < coins ? 0 : 1));
  const head = base.map((c, i) => (i >= coins + masks ? 2 : c));
  const baseRows = base.map((c) => Float32Array.from(c === 0 ? [0.95, 0.05, 0] : [0.05, 0.95, 0]));
  const headRows = head.map((c, i) =>
    Float32Array.from(c === 0 ? [0.95, 0.05, 0] : c === 1 ? [0.04, 0.76, 0.2] : [0.04, 0.66 + (i % 2) * 0.01, 0.3]),
  );
  const run = (setAside?: number[]) =>
    compareLabelSets({
      tf,
      x: baseRows,
      objects: head.map((_, i) => ({ split: 'train' as const, id: `O-${i}` })),
      head,
      base,
      folds: head.map((_, i) => i % 2),
      k: 2,
      labels,
      params: { ...defaultParams(), evaluate: { ...defaultParams().evaluate, bootstrap: 200 } },
      headRows,
      baseRows,
      trainingSd: 0,
      ...(setAside ? { setAside } : {}),
      log: silentLogger,
    });

  it('is worse when the new label counts (what the tester saw)', async () => {
    expect((await run()).comparison.verdict).toBe('worse');
  });

  it('leaves the label out of both arms: its objects are not scored, its share goes back to the others', async () => {
    const result = await run([2]);
    expect(result.comparison.verdict).toBe('no detectable difference');
    expect(result.objects).toBe(masks + coins);
    expect(result.comparison.difference.value).toBeCloseTo(0, 6);
    expect(result.comparison.test).toContain('helmet mask, a label being built up, left out of both');
  });
});
