import { describe, expect, it } from 'vitest';
import { buildCard, renderCardMarkdown, summariseDataset } from '../../pipeline/registry/card.ts';
import type { Dataset, Metrics, ModelInfo } from '../../pipeline/types.ts';
import { firstRegistration } from './first-registration.ts';

/*
 * Tester T1 (LOW-3): the first model's card said "Macro-F1 100%" for a three-label model while Bowl had no test
 * objects, so the figure was over Spear and Tile alone. The report said so; the public card did not. The card now says
 * over how many of the labels its macro-F1 is, and which had no test objects.
 */

const iv = (value: number) => ({ value, low: value, high: value });
const labels = ['Spear', 'Tile', 'Bowl'];

function metricsWith(confusion: number[][]): Metrics {
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  return {
    schema: 'vitrine.metrics/1',
    createdAt: '2026-12-07T00:00:00Z',
    backend: 'wasm',
    backbone: 'b',
    labels,
    n: 8,
    accuracy: iv(1),
    macroF1: iv(1),
    topK: { k: 2, accuracy: iv(1) },
    ece: iv(0.01),
    perClass: labels.map((label, c) => ({ label, precision: 1, recall: 1, f1: 1, support: support[c]! })),
    confusion,
    factors: [],
    baseline: null,
    changedPredictions: [],
    leastConfident: [],
    inputs: { data: 'd', labels: 'l', params: 'p', commit: null },
    gate: { passed: true, checks: [] },
  };
}

function cardOf(metrics: Metrics): string {
  const registration = firstRegistration(labels);
  const dataset = { labels, objects: [] } as unknown as Dataset;
  return renderCardMarkdown(
    buildCard({
      registration,
      metrics,
      modelInfo: { epochs: 22, seed: 42, trainCount: 38, validationCount: 9 } as ModelInfo,
      summary: summariseDataset({ dataset, factors: [] }),
      previous: null,
      stages: ['prod'],
      owners: ['Registrar'],
      collectionName: 'T1m',
    }),
  );
}

const row = (md: string) => md.split('\n').find((l) => l.startsWith('| Macro-F1'))!;

describe('the model card macro-F1 when a label has no test objects', () => {
  it('says over how many of the labels it is, and which label had no test objects', () => {
    const md = cardOf(
      metricsWith([
        [5, 0, 0],
        [0, 3, 0],
        [0, 0, 0],
      ]),
    );
    expect(row(md)).toMatch(/^\| Macro-F1, over 2 of the 3 labels \(Bowl had no test objects\) \| 100\.0% \|/);
  });

  it('counts a label with no test objects that the model still named: its F1 of 0 is in the figure', () => {
    const md = cardOf(
      metricsWith([
        [4, 0, 1],
        [0, 3, 0],
        [0, 0, 0],
      ]),
    );
    expect(row(md)).toMatch(/^\| Macro-F1 \| /);
  });
});
