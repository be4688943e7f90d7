import { describe, expect, it } from 'vitest';
import { checkGate } from '../../pipeline/evaluate/gate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Metrics, ModelScores } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * The gate leaves a class with fewer test objects than dataset.min_test_per_class unjudged by its F1 (unless its F1 is
 * 0) and names it in its check; the per-label table showed such a class as any other, so staff read its F1 on 3
 * objects as a measure the gate had used. The table now marks those classes, and only those, in the words of the
 * model page: "too few test objects to judge: 3".
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });

// coin: 3 test objects, F1 0.80 (not judged); mask: 2, F1 0 (judged, and fails); the others 6 each.
const support: Record<string, number> = { coin: 3, mask: 2 };
const f1: Record<string, number> = { coin: 0.8, mask: 0 };
const perClass = VOCABULARY.map((label) => {
  const v = f1[label] ?? 0.95;
  return { label, precision: v, recall: v, f1: v, support: support[label] ?? 6 };
});

/** The report's per-label table: each label's row, its cells trimmed. */
function rowsOf(markdown: string): Map<string, string[]> {
  const lines = markdown.slice(markdown.indexOf('### Per label')).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  const table = lines.slice(start, end);
  return new Map(
    table.slice(2).map((line) => {
      const cells = line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim());
      return [cells[0]!, cells];
    }),
  );
}

async function reportWith(gate: (candidate: ModelScores) => Metrics['gate']) {
  const repo = await makeRepo({ objects, base: labels, head: labels });
  const metrics = await writeStageOutputs({ ws: repo.ws, objects, head: labels, metrics: { perClass } });
  const own = gate(metrics);
  await writeStageOutputs({ ws: repo.ws, objects, head: labels, metrics: { perClass, gate: own } });
  return (await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger })).markdown;
}

describe('the per-label table and the classes the gate did not judge', () => {
  it('marks a class with fewer test objects than the gate judged, not one with F1 0 or with enough objects', async () => {
    const markdown = await reportWith((candidate) =>
      checkGate({ candidate, baseline: null, gate: params.gate, minTestPerClass: 5 }),
    );
    const rows = rowsOf(markdown);
    expect(rows.get('coin')![1]).toBe('too few test objects to judge: 3');
    // The gate judged mask (F1 0 fails however few its objects) and vessel (6 test objects): their counts as before.
    expect(rows.get('mask')![1]).toBe('2');
    expect(rows.get('vessel')![1]).toBe('6');
    expect(markdown).toContain(
      'Too few test objects to judge: the promotion gate does not judge a label by its F1 on fewer than 5 test ' +
        'objects (dataset.min_test_per_class), as one object more or less found moves it a long way.',
    );
  });

  it('takes the threshold from the gate check of a metrics.json written before it was recorded', async () => {
    const markdown = await reportWith((candidate) => {
      const { minTestPerClass: _, ...old } = checkGate({
        candidate,
        baseline: null,
        gate: params.gate,
        minTestPerClass: 4,
      });
      return old;
    });
    expect(rowsOf(markdown).get('coin')![1]).toBe('too few test objects to judge: 3');
    expect(markdown).toContain('on fewer than 4 test objects (dataset.min_test_per_class)');
  });

  it('marks a label being built up (new in this change) with F1 0 on 2 test objects, which the gate did not judge', async () => {
    const newLabels = [{ label: 'mask', objects: 5, before: 0, test: 2 }];
    const repo = await makeRepo({ objects, base: labels, head: labels });
    const metrics = await writeStageOutputs({ ws: repo.ws, objects, head: labels, metrics: { perClass } });
    const judging = { ...params.gate, min_test_objects: 0 };
    const gate = checkGate({ candidate: metrics, baseline: null, gate: judging, minTestPerClass: 5, newLabels });
    // mask's F1 0 on 2 objects is not judged (this fixture's 29 test objects are judged, not refused, at 0).
    expect(gate.passed).toBe(true);
    const newLabelsRecord = { minTestPerClass: 5, testShare: 0.2, labels: newLabels };
    await writeStageOutputs({
      ws: repo.ws,
      objects,
      head: labels,
      metrics: { perClass, gate, newLabels: newLabelsRecord },
    });
    const markdown = (await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger })).markdown;
    // Before: the row said 2 test objects and F1 0.00, as if the gate had judged it and it passed anyway.
    expect(rowsOf(markdown).get('mask')![1]).toBe('too few test objects to judge: 2');
    expect(rowsOf(markdown).get('coin')![1]).toBe('too few test objects to judge: 3');
  });

  it('marks no class when the gate judged every class (min_test_per_class 0)', async () => {
    const markdown = await reportWith((candidate) =>
      checkGate({ candidate, baseline: null, gate: params.gate, minTestPerClass: 0 }),
    );
    expect(rowsOf(markdown).get('coin')![1]).toBe('3');
    expect(markdown).not.toContain('too few test objects to judge');
    expect(markdown).not.toContain('Too few test objects to judge');
  });
});
