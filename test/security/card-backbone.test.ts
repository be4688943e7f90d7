import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../pipeline/params.ts';
import { buildCard, renderCardMarkdown, summariseDataset } from '../../pipeline/registry/card.ts';
import type { Registration } from '../../pipeline/registry/registry.ts';
import type { Dataset, Metrics, ModelInfo } from '../../pipeline/types.ts';

/*
 * backbone.licence, backbone.source and backbone.layer are params.yaml settings, that is pull-request text. The
 * model card's Markdown wrote the licence and the source raw (labels were already escaped): an image, an
 * @-mention and a link travelled to the model hub. Failed before the fix.
 */

const iv = (value: number) => ({ value, low: value, high: value });
const metrics = {
  schema: 'vitrine.metrics/1',
  createdAt: '2026-03-01T00:00:00Z',
  backend: 'wasm',
  backbone: 'b',
  labels: ['coin', 'mask'],
  n: 20,
  accuracy: iv(0.85),
  macroF1: iv(0.6),
  topK: { k: 2, accuracy: iv(0.95) },
  ece: iv(0.1),
  perClass: [
    { label: 'coin', precision: 0.9, recall: 0.8, f1: 0.847, support: 10 },
    { label: 'mask', precision: 0.5, recall: 0.6, f1: 0.545, support: 10 },
  ],
  confusion: [],
  factors: [],
  baseline: null,
  changedPredictions: [],
  leastConfident: [],
  inputs: { data: 'd', labels: 'l', params: 'p', commit: null },
  gate: { passed: true, checks: [] },
} as unknown as Metrics;

const dataset = {
  labels: ['coin', 'mask'],
  objects: [{ id: 'a', label: 'coin', split: 'train', extra: {} }],
} as unknown as Dataset;

const LICENCE = 'CC-BY-4.0 <img src=https://tracker.example/px.png> @museum-org/legal [terms](https://evil.example)';
const SOURCE = 'https://models.example/m/model.json <script>x</script> @someone';

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
    inputs: { labels: metrics.labels, data: 'd', labelsMd5: 'l' },
    headline: { accuracy: 0.8, macroF1: 0.6, macroF1Low: 0.5, macroF1High: 0.7, n: 20, labels: ['coin', 'mask'] },
    lineage: {
      data: { hash: 'd1.dir', source: 'data.dvc' },
      labels: { md5: 'l', commit: null },
      params: { md5: 'p', values: defaultParams() },
      code: { commit: 'abc' },
      backbone: { id: 'custom-1234#block_1`x`', source: SOURCE, licence: LICENCE },
      backend: 'wasm',
      runtime: { node: 'v24', packages: {} },
      durations: { embedMs: 1000, trainMs: 2000, evaluateMs: null },
      pullRequest: null,
      run: null,
      promotedAt: '2026-03-02T10:00:00.000Z',
    },
  } as unknown as Registration;
}

describe('the model card Markdown, backbone settings from params.yaml', () => {
  const card = buildCard({
    registration: registration(),
    metrics,
    modelInfo: { epochs: 30, seed: 42, trainCount: 40, validationCount: 8 } as ModelInfo,
    summary: summariseDataset({ dataset, factors: [] }),
    previous: null,
    stages: ['prod'],
    owners: ['Registrar'],
    collectionName: 'The Museum',
  });
  const body = renderCardMarkdown(card).replace(/^---\n[\s\S]*?\n---\n/, '');

  it('writes the licence and the source as text: no tag, @-mention or link', () => {
    expect(body).not.toContain('<img');
    expect(body).not.toContain('<script');
    expect(body).not.toMatch(/@museum-org|@someone/);
    expect(body).not.toContain('[terms](');
    expect(body).toContain('CC-BY-4.0 &lt;img');
    expect(body).toContain('- **Licence:** CC-BY-4.0 &lt;img');
  });

  it('keeps the backbone id in one code span', () => {
    const line = body.split('\n').find((l) => l.startsWith('- **Model type:**'))!;
    expect(line.split('`')).toHaveLength(3);
  });
});
