import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../pipeline/params.ts';
import { buildCard, renderCardMarkdown, summariseDataset } from '../../pipeline/registry/card.ts';
import type { Registration } from '../../pipeline/registry/registry.ts';
import type { Dataset, Metrics, ModelInfo } from '../../pipeline/types.ts';

/*
 * An outside tester's case: 66 test objects, every one classified right, three classes of 50 labelled objects each.
 * The card said "Accuracy 100.0% (100.0%–100.0%)", named a "weakest" and a "smallest" class although all tie.
 */

const LABELS = ['coin', 'mask', 'vessel'];
const iv = (value: number, low: number, high: number) => ({ value, low, high });

/** Scores as metrics.json stored them before the boundary rule: every interval collapsed at 100%. */
function perfect(supports: number[]): Metrics {
  const n = supports.reduce((a, b) => a + b, 0);
  return {
    schema: 'vitrine.metrics/1',
    createdAt: '2026-03-01T00:00:00Z',
    backend: 'wasm',
    backbone: 'b',
    labels: LABELS,
    n,
    accuracy: iv(1, 1, 1),
    macroF1: iv(1, 1, 1),
    topK: { k: 2, accuracy: iv(1, 1, 1) },
    ece: iv(0.05, 0.03, 0.08),
    perClass: LABELS.map((label, i) => ({ label, precision: 1, recall: 1, f1: 1, support: supports[i]! })),
    confusion: supports.map((s, i) => supports.map((_, j) => (i === j ? s : 0))),
    factors: [{ factor: 'department', groups: [{ value: 'Coins', n: 12, accuracy: 1, macroF1: 1 }] }],
    baseline: null,
    changedPredictions: [],
    leastConfident: [],
    inputs: { data: 'd', labels: 'l', params: 'p', commit: null },
    gate: { passed: true, checks: [] },
  };
}

/** `perLabel[i]` labelled objects of class i, `test[i]` of them in the test split. */
function dataset(perLabel: number[], test: number[]): Dataset {
  const objects = LABELS.flatMap((label, c) =>
    Array.from({ length: perLabel[c]! }, (_, i) => ({
      id: `${label}-${i}`,
      label,
      split: i < test[c]! ? 'test' : i % 5 === 0 ? 'validation' : 'train',
      extra: {},
    })),
  );
  return { labels: LABELS, objects } as unknown as Dataset;
}

function registration(): Registration {
  return {
    schema: 'vitrine.registration/1',
    model: 'collection-classifier',
    version: 'v1.0.0',
    previous: null,
    bump: 'first',
    reason: 'first version of this model',
    manifest: { md5: 'x.dir', files: [] },
    evidence: null,
    remote: 'local',
    inputs: { labels: LABELS, data: 'd', labelsMd5: 'l' },
    headline: { accuracy: 1, macroF1: 1, macroF1Low: 1, macroF1High: 1, n: 66, labels: LABELS },
    lineage: {
      data: { hash: 'd1.dir', source: 'data.dvc' },
      labels: { md5: 'l', commit: null },
      params: { md5: 'p', values: defaultParams() },
      code: { commit: 'abc' },
      backbone: { id: 'nsfwjs-mobilenet_v2@4.4.0#flatten_1', source: 'npm:nsfwjs', licence: 'MIT' },
      backend: 'wasm',
      runtime: { node: 'v24', packages: {} },
      durations: { embedMs: 1000, trainMs: 2000, evaluateMs: null },
      pullRequest: null,
      run: null,
      promotedAt: '2026-03-02T10:00:00.000Z',
    },
  };
}

function cardOf({ metrics, data }: { metrics: Metrics; data: Dataset }) {
  const card = buildCard({
    registration: registration(),
    metrics,
    modelInfo: { epochs: 30, seed: 42, trainCount: 60, validationCount: 20 } as ModelInfo,
    summary: summariseDataset({ dataset: data, factors: ['department'] }),
    previous: null,
    stages: ['prod'],
    owners: ['Registrar'],
    collectionName: 'The Museum',
  });
  return { card, md: renderCardMarkdown(card) };
}

const row = (md: string, name: string) => md.split('\n').find((l) => l.startsWith(`| ${name} |`))!;

describe('model card of a model that got every test object right', () => {
  const { card, md } = cardOf({ metrics: perfect([22, 22, 22]), data: dataset([50, 50, 50], [22, 22, 22]) });

  it('gives no zero-width interval: accuracy 94.4%–100% (Wilson 0.94499…, rounded down), macro-F1 below it', () => {
    expect(md).not.toContain('100.0%–100.0%');
    expect(row(md, 'Accuracy')).toBe('| Accuracy | 100.0% | 94.4%–100.0% |');
    expect(row(md, 'Top-2 accuracy')).toBe('| Top-2 accuracy | 100.0% | 94.4%–100.0% |');
    const macro = /^\| Macro-F1 \| 100\.0% \| (\d+\.\d)%–100\.0% \|$/.exec(row(md, 'Macro-F1'));
    expect(macro).not.toBeNull();
    expect(Number(macro![1])).toBeLessThan(94.4);
    expect(Number(macro![1])).toBeGreaterThan(80);
    // The card's JSON, which the catalogue shows, carries the same intervals.
    expect(card.metrics.accuracy.low).toBeCloseTo(66 / (66 + 1.96 ** 2), 10);
    expect(card.metrics.macroF1.high).toBe(1);
    expect(card.metrics.ece).toEqual(iv(0.05, 0.03, 0.08));
  });

  it('says in plain words why, and that a perfect test score does not mean no mistakes', () => {
    const metricsText = card.sections.find((s) => s.heading === 'Metrics')!.text;
    expect(metricsText).toContain('every one of the 66 test objects right');
    expect(metricsText).toContain('Wilson');
    const caveat = card.caveatsAndRecommendations.find((c) => c.includes('every one of the 66'))!;
    expect(caveat).toContain('does not mean it never makes mistakes');
    expect(caveat).toContain('as low as 94.4%');
  });

  it('names no weakest or smallest class when all tie', () => {
    expect(md).not.toContain('weakest class is');
    expect(md).not.toContain('smallest class is');
    expect(md).toContain('All 3 classes have the same F1 (100.0%)');
    expect(md).toContain('Every class has 50 labelled objects.');
  });
});

describe('interval ends that round to the score', () => {
  it('are rounded outwards, so a large perfect test set does not print "100.0%–100.0%" either', () => {
    const supports = [4000, 3000, 3000];
    const { card, md } = cardOf({
      metrics: perfect(supports),
      data: dataset([4100, 3100, 3100], supports),
    });
    expect(card.metrics.accuracy.low).toBeGreaterThan(0.9995);
    expect(row(md, 'Accuracy')).toBe('| Accuracy | 100.0% | 99.9%–100.0% |');
    expect(md).not.toContain('100.0%–100.0%');
  });
});

describe('weakest and smallest classes', () => {
  const mixed = (f1s: number[], supports: number[]): Metrics => ({
    ...perfect(supports),
    accuracy: iv(0.8, 0.7, 0.9),
    macroF1: iv(0.75, 0.6, 0.85),
    topK: { k: 2, accuracy: iv(0.95, 0.9, 0.99) },
    perClass: LABELS.map((label, i) => ({
      label,
      precision: f1s[i]!,
      recall: f1s[i]!,
      f1: f1s[i]!,
      support: supports[i]!,
    })),
  });

  it('names the one weakest and the one smallest class, as before', () => {
    const { md } = cardOf({ metrics: mixed([0.9, 0.6, 0.8], [20, 20, 20]), data: dataset([50, 40, 60], [20, 20, 20]) });
    expect(md).toContain(
      'The weakest class is "mask" (F1 60.0% on 20 test objects): check its suggestions most carefully.',
    );
    expect(md).toContain('The smallest class is "mask" with 40 labelled objects.');
    // Scores the bootstrap could vary keep its intervals and its words.
    expect(md).toContain('Intervals are 95% bootstrap intervals.');
    expect(row(md, 'Accuracy')).toBe('| Accuracy | 80.0% | 70.0%–90.0% |');
  });

  it('names every class that shares the lowest F1 or the fewest objects', () => {
    const { md } = cardOf({ metrics: mixed([0.6, 0.6, 0.8], [20, 10, 20]), data: dataset([40, 40, 60], [20, 10, 20]) });
    expect(md).toContain('The weakest classes are "coin" and "mask" (F1 60.0% each, on 20 and 10 test objects)');
    expect(md).toContain('The smallest classes are "coin" and "mask", with 40 labelled objects each.');
  });
});
