import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { checkGate } from '../../pipeline/evaluate/gate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from './fixture.ts';

/*
 * The model page marks the types the gate did not judge by their F1, by the dataset.min_test_per_class the gate used
 * (G1): recorded with the metrics, else said in the gate's class check (a metrics.json from before it was recorded),
 * else none (a gate from before the rule judged every class). The page itself is built in public-tester-t5.test.ts.
 */

async function cardWith({ gate, minTest, extra = {} }: { gate: unknown; minTest: number; extra?: object }) {
  const root = await tempDir('vitrine-too-few-');
  const labels = ['coin', 'mask', 'vase'];
  const objects = labels.map((label, i) => ({ id: `C-${i}`, title: `Object ${i}`, label, image: null }));
  // The fixture's evaluation: 8 coins, 10 masks and 11 vases in the test split.
  await writeFixture({ root, objects, labels });
  const ws = workspace(root);
  const file = path.join(ws.evaluate, 'metrics.json');
  const metrics = JSON.parse(await readFile(file, 'utf8'));
  await writeFile(file, JSON.stringify({ ...metrics, ...extra, ...(gate === undefined ? {} : { gate }) }));
  const params = defaultParams();
  params.dataset.min_test_per_class = minTest;
  const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
  return catalogue.models.find((m) => m.current)!.metrics!;
}

describe('the threshold the model page marks types by', () => {
  it('is the one the gate recorded, not params.yaml', async () => {
    const m = await cardWith({ gate: { passed: true, checks: [], minTestPerClass: 11 }, minTest: 3 });
    expect(m.minTestPerClass).toBe(11);
  });

  it('is the one the class check names when the gate recorded none', async () => {
    const perClass = [
      { label: 'coin', precision: 0.8, recall: 0.8, f1: 0.8, support: 8 },
      { label: 'mask', precision: 0.9, recall: 0.9, f1: 0.9, support: 10 },
    ];
    const iv = { value: 0.9, low: 0.9, high: 0.9 };
    const scores = { accuracy: iv, macroF1: iv, topK: { k: 2, accuracy: iv }, ece: iv, perClass, confusion: [] };
    const { minTestPerClass: _, ...old } = checkGate({
      candidate: scores,
      baseline: null,
      gate: defaultParams().gate,
      minTestPerClass: 9,
    });
    const m = await cardWith({ gate: old, minTest: 3 });
    expect(m.minTestPerClass).toBe(9);
  });

  // Reviewer V11: params.yaml's setting of today is not the gate's of the day; a gate from before the rule judged
  // every class, and the page said types under 9 "are not judged by its F1".
  it('is none when the metrics say nothing of it: the page says nothing about types not judged', async () => {
    const m = await cardWith({ gate: undefined, minTest: 9 });
    expect(m.minTestPerClass).toBe(0);
  });

  it('is none for a gate from before the rule, whose class check names no type left unjudged', async () => {
    const perClass = [{ label: 'coin', precision: 0.8, recall: 0.8, f1: 0.8, support: 8 }];
    const iv = { value: 0.9, low: 0.9, high: 0.9 };
    const scores = { accuracy: iv, macroF1: iv, topK: { k: 2, accuracy: iv }, ece: iv, perClass, confusion: [] };
    const { minTestPerClass: _, ...old } = checkGate({ candidate: scores, baseline: null, gate: defaultParams().gate });
    const m = await cardWith({ gate: old, minTest: 9 });
    expect(m.minTestPerClass).toBe(0);
  });

  // A label being built up (new, F1 0 on 2 test objects) was not judged by the gate, even at F1 0: the page marks it
  // as the report's table does (pipeline/report/too-few.ts, building).
  it('carries the labels being built up, which the gate did not judge even at F1 0', async () => {
    const newLabels = {
      minTestPerClass: 5,
      testShare: 0.2,
      labels: [{ label: 'coin', objects: 5, before: 0, test: 2 }],
    };
    const gate = { passed: true, checks: [], minTestPerClass: 5 };
    const m = await cardWith({ gate, minTest: 5, extra: { newLabels } });
    expect(m.building).toEqual(['coin']);
    expect((await cardWith({ gate, minTest: 5 })).building).toEqual([]);
  });
});
