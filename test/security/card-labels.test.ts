import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../pipeline/params.ts';
import { buildCard, renderCardMarkdown, summariseDataset } from '../../pipeline/registry/card.ts';
import type { Registration } from '../../pipeline/registry/registry.ts';
import type { Dataset, Metrics, ModelInfo } from '../../pipeline/types.ts';

/*
 * Label names and factor values come from labels.csv and objects.csv, that is from data pull requests. The model
 * card's Markdown (uploaded to a model hub, pasted into GitHub) wrote some of them raw: in the per-class tables, the
 * caveats, the ethics and the "By <factor>" headings. There they showed images, pinged teams, and a "|" in a label
 * moved the figures of its row into the wrong columns. Failed before the fix.
 */

const BAD = '<img src=https://tracker.example/px.png> @museum-org/curators | x';
const FACTOR = 'medium <b>@team</b> | y';
const iv = (value: number, low: number, high: number) => ({ value, low, high });

const metrics: Metrics = {
  schema: 'vitrine.metrics/1',
  createdAt: '2026-03-01T00:00:00Z',
  backend: 'wasm',
  backbone: 'b',
  labels: ['coin', 'mask', BAD],
  n: 20,
  accuracy: iv(0.85, 0.7, 0.95),
  macroF1: iv(0.6123, 0.5, 0.7),
  topK: { k: 2, accuracy: iv(0.95, 0.85, 1) },
  ece: iv(0.142, 0.08, 0.2),
  perClass: [
    { label: 'coin', precision: 0.9, recall: 0.8, f1: 0.847, support: 10 },
    { label: 'mask', precision: 0.5, recall: 0.6, f1: 0.545, support: 10 },
    { label: BAD, precision: 0, recall: 0, f1: 0, support: 0 },
  ],
  confusion: [],
  factors: [{ factor: FACTOR, groups: [{ value: 'Gold | silver', n: 12, accuracy: 0.9, macroF1: 0.7 }] }],
  baseline: {
    accuracy: iv(0.8, 0.6, 0.9),
    macroF1: iv(0.58, 0.4, 0.7),
    topK: { k: 2, accuracy: iv(0.9, 0.8, 1) },
    ece: iv(0.1, 0.05, 0.2),
    perClass: [],
    confusion: [],
    version: 'v1.0.0',
    comparison: {
      metric: 'macroF1',
      difference: iv(0.0323, -0.01, 0.07),
      pValue: 0.21,
      test: 'paired bootstrap',
      verdict: 'no detectable difference',
    },
  },
  changedPredictions: [],
  leastConfident: [],
  inputs: { data: 'd', labels: 'l', params: 'p', commit: null },
  gate: { passed: true, checks: [] },
};

const dataset = {
  labels: ['coin', 'mask', BAD],
  objects: [
    { id: 'a', label: 'coin', split: 'train', [FACTOR]: 'Gold | silver', extra: {} },
    { id: 'b', label: 'coin', split: 'test', [FACTOR]: 'Gold | silver', extra: {} },
    { id: 'c', label: BAD, split: 'validation', [FACTOR]: '', extra: {} },
    { id: 'd', label: null, split: 'test', [FACTOR]: 'Wood', extra: {} },
  ],
} as unknown as Dataset;

function registration(version: string, previous: Registration | null): Registration {
  const params = defaultParams();
  return {
    schema: 'vitrine.registration/1',
    model: 'collection-classifier',
    version,
    previous: previous?.version ?? null,
    bump: previous ? 'major' : 'first',
    reason: previous ? 'label vocabulary changed (added vessel)' : 'first version of this model',
    manifest: { md5: 'x.dir', files: [] },
    evidence: null,
    remote: 'local',
    inputs: { labels: metrics.labels, data: 'd', labelsMd5: 'l' },
    headline: {
      accuracy: previous ? 0.85 : 0.8,
      macroF1: 0.6,
      macroF1Low: 0.5,
      macroF1High: 0.7,
      n: 20,
      labels: previous ? ['coin', 'mask', 'vessel'] : ['coin', 'mask'],
    },
    lineage: {
      data: { hash: previous ? 'd2.dir' : 'd1.dir', source: 'data.dvc' },
      labels: { md5: 'l', commit: null },
      params: { md5: 'p', values: params },
      code: { commit: 'abc' },
      backbone: { id: 'nsfwjs-mobilenet_v2@4.4.0#flatten_1', source: 'npm:nsfwjs', licence: 'MIT' },
      backend: 'wasm',
      runtime: { node: 'v24', packages: {} },
      durations: { embedMs: 1000, trainMs: 2000, evaluateMs: null },
      pullRequest: { number: 12, url: 'https://github.com/m/c/pull/12' },
      run: null,
      promotedAt: '2026-03-02T10:00:00.000Z',
    },
  };
}

const info = { epochs: 30, seed: 42, trainCount: 40, validationCount: 8 } as ModelInfo;
const v1 = registration('v1.0.0', null);
const v2 = registration('v2.0.0', v1);
const summary = summariseDataset({ dataset, factors: [FACTOR] });
const card = buildCard({
  registration: v2,
  metrics,
  modelInfo: info,
  summary,
  previous: v1,
  stages: ['prod'],
  owners: ['Registrar'],
  collectionName: 'The Museum',
});

describe('the model card Markdown', () => {
  const md = renderCardMarkdown(card);
  const body = md.replace(/^---\n[\s\S]*?\n---\n/, '');

  it('writes no HTML tag or @-mention of a label or factor anywhere', () => {
    expect(body).not.toContain('<img');
    expect(body).not.toContain('<b>');
    expect(body).not.toMatch(/@museum-org/);
    expect(body).not.toMatch(/@team/);
  });

  it('keeps every table row to its columns when a label or factor holds "|"', () => {
    const tables = body.split('\n').filter((l) => l.startsWith('|'));
    // Cells split at unescaped "|" only.
    const columns = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    let header = 0;
    for (const line of tables) {
      if (/^\|(---\|)+$/.test(line)) continue;
      const n = columns(line);
      const prev = tables[tables.indexOf(line) - 1] ?? '';
      if (/^\|(---\|)+$/.test(tables[tables.indexOf(line) + 1] ?? '')) header = n;
      else expect(n, `${line} (after ${prev})`).toBe(header);
    }
    expect(body).toMatch(/\| &lt;img [^\n]*\\\| x \| — \| — \| — \| 0 \|/);
  });

  it('escapes the label in the caveats and the factor in the headings', () => {
    const caveat = body.split('\n').find((l) => l.startsWith('- No test object is labelled'))!;
    expect(caveat).toContain('&lt;img');
    expect(body).toContain('### By medium &lt;b&gt;');
    expect(body).toContain('### Objects by medium &lt;b&gt;');
  });
});
