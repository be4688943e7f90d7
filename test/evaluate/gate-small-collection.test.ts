import { describe, expect, it } from 'vitest';
import { checkGate, withSmallCollectionWayOut } from '../../pipeline/evaluate/gate.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { ModelScores } from '../../pipeline/types.ts';

/*
 * A tester (a small gallery, 112 objects, every photographed one labelled): the gate failed on "11 labelled test
 * objects, at least 30 needed … Label more objects", which the gallery cannot do, and the required gate check then
 * blocked every label-fix pull request. When even every photographed object of the test split, labelled, would not
 * reach gate.min_test_objects, the check says so and names the settings a maintainer can set on main instead.
 */

function scores(classes: [string, number][]): ModelScores {
  const iv = (v: number) => ({ value: v, low: v, high: v });
  return {
    accuracy: iv(1),
    macroF1: iv(1),
    topK: { k: 2, accuracy: iv(1) },
    ece: iv(0),
    perClass: classes.map(([label, support]) => ({ label, precision: 1, recall: 1, f1: 1, support })),
    confusion: [],
  };
}

const gate = defaultParams().gate;
const failed = checkGate({
  candidate: scores([
    ['Painting', 7],
    ['Sculpture', 4],
  ]),
  baseline: null,
  gate,
});

describe('the gate’s test-object minimum in a collection too small to reach it', () => {
  it('says labelling more cannot reach it, and names the settings to put in params.yaml on main', () => {
    const g = withSmallCollectionWayOut({
      gate: failed,
      scored: 11,
      photographedInTest: 22,
      minimum: 30,
      maxDrop: 0.02,
    });
    expect(g.passed).toBe(false);
    const check = g.checks.find((c) => c.name === 'labelled test objects to score')!;
    expect(check.detail).toMatch(/^not enough evidence: 11 labelled test objects, at least 30 needed/);
    expect(check.detail).not.toMatch(/Label more objects/);
    expect(check.detail).toContain(
      'this collection cannot reach 30: its test split holds 22 objects with a photograph in all',
    );
    expect(check.detail).toContain('gate.min_test_objects to 10 and gate.max_macro_f1_drop to 0.3');
    expect(check.detail).toContain('params.yaml on the main branch');
    expect(check.detail).toContain('docs/metrics.md, “Small collections”');
  });

  it('still says to label more objects when the test split could reach the minimum', () => {
    const g = withSmallCollectionWayOut({
      gate: failed,
      scored: 11,
      photographedInTest: 40,
      minimum: 30,
      maxDrop: 0.02,
    });
    expect(g).toEqual(failed);
    expect(g.checks[0]!.detail).toMatch(/Label more objects/);
  });
});
