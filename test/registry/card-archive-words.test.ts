import { describe, expect, it } from 'vitest';
import { buildCard, crossValidationCardLines, summariseDataset } from '../../pipeline/registry/card.ts';
import type { Dataset, Metrics, ModelInfo } from '../../pipeline/types.ts';
import { firstRegistration } from './first-registration.ts';

/*
 * Tester T12 (a photo archive, D27): the model card said "Published from confidence: 100% or more" for thresholds
 * a hair under 1, which the model page writes "99.98% or more"; and it listed "Photographs of people" as out of
 * scope for a model one of whose labels is Portraits.
 */

const iv = (value: number) => ({ value, low: value, high: value });
const labels = ['Portraits', 'Street scenes', 'Documents', 'Maps'];

function metricsWith(thresholds: Record<string, number | null>): Metrics {
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
    perClass: labels.map((label) => ({ label, precision: 1, recall: 1, f1: 1, support: 2 })),
    confusion: labels.map((_, i) => labels.map((_, j) => (i === j ? 2 : 0))),
    factors: [],
    baseline: null,
    changedPredictions: [],
    leastConfident: [],
    inputs: { data: 'd', labels: 'l', params: 'p', commit: null },
    gate: { passed: true, checks: [] },
    publication: { minPrecision: 0.9, thresholds, n: 76, coverage: iv(0.95), precision: iv(1) },
  } as Metrics;
}

function outOfScope(): string[] {
  const registration = firstRegistration(labels);
  const card = buildCard({
    registration,
    metrics: metricsWith({ Portraits: 0.9, 'Street scenes': 0.9, Documents: 0.9, Maps: 0.9 }),
    modelInfo: { epochs: 22, seed: 42, trainCount: 38, validationCount: 9 } as ModelInfo,
    summary: summariseDataset({ dataset: { labels, objects: [] } as unknown as Dataset, factors: [] }),
    previous: null,
    stages: ['prod'],
    owners: ['Archivist'],
    collectionName: 'Harbour Town Photo Archive',
  });
  return card.intendedUse.outOfScope;
}

describe('the model card of a photo archive', () => {
  it('writes a threshold a hair under certain with the digits the model page gives it, not as 100%', () => {
    const metrics = metricsWith({ Portraits: 0.99977, 'Street scenes': 0.9996, Documents: 1, Maps: 0.987 });
    const text = crossValidationCardLines(metrics).join('\n');
    expect(text).toContain('| Portraits | 99.98% or more |');
    expect(text).toContain('| Street scenes | 99.96% or more |');
    expect(text).toContain('| Documents | 100% or more |');
    expect(text).toContain('| Maps | 99% or more |');
  });

  it('does not put photographs of people out of scope of a model that labels portraits', () => {
    const scope = outOfScope();
    expect(scope.join(' ')).not.toMatch(/Photographs of people/i);
    expect(scope).toContain(
      'Recognising or identifying people, or images that are not photographs of collection objects.',
    );
  });
});
