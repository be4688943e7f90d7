import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { computeDrift, type EmbedImages, MIN_PREDICTIONS } from '../../pipeline/monitor/drift.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { seededUniform } from '../../pipeline/random.ts';
import type { Annotation, Dataset, DatasetObject } from '../../pipeline/types.ts';

/*
 * computeDrift's bookkeeping on small synthetic data: which objects enter, predicted-label drift,
 * messages. The embedder is a function passed in that returns fixed vectors (no backbone here; the
 * real backbone is exercised in drift-demo.test.ts).
 */

const params = defaultParams();
params.monitor.permutations = 100;
let ws: Workspace;
let dataset: Dataset;
const vectors = new Map<string, Float32Array>();
const embed: EmbedImages = async ({ items }) => ({
  vectors: new Map(items.filter((i) => vectors.has(i.key)).map((i) => [i.key, vectors.get(i.key)!])),
  backbone: { id: 'fixed' },
});

async function object(
  id: string,
  {
    grey,
    split,
    label,
    shift = 0,
    seed,
  }: { grey: number; split: 'train' | 'test'; label: string | null; shift?: number; seed: number },
): Promise<DatasetObject> {
  const image = `images/${id}.png`;
  await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: grey, g: grey, b: grey } } })
    .png()
    .toFile(path.join(ws.data, image));
  const md5 = `md5-${id}`;
  const u = seededUniform(seed);
  vectors.set(
    md5,
    Float32Array.from({ length: 8 }, (_, k) => 1 + u() + (k === 0 ? shift : 0)),
  );
  return { id, title: `Object ${id}`, image, imageMd5: md5, width: 16, height: 16, label, split } as DatasetObject;
}

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-drift-')));
  await mkdir(ws.images, { recursive: true });
  const objects: DatasetObject[] = [];
  for (let i = 0; i < 20; i++)
    objects.push(
      await object(`R${String(i).padStart(2, '0')}`, {
        grey: 100 + (i % 5) * 10,
        split: 'train',
        label: i % 2 ? 'coin' : 'mask',
        seed: i + 1,
      }),
    );
  for (let i = 0; i < 12; i++)
    objects.push(
      await object(`C${String(i).padStart(2, '0')}`, {
        grey: 110 + (i % 5) * 10,
        split: 'test',
        label: null,
        seed: 100 + i,
      }),
    );
  objects.push({
    id: 'NOIMG',
    title: 'No image',
    image: '',
    imageMd5: '',
    width: 0,
    height: 0,
    label: null,
    split: 'test',
  } as DatasetObject);
  dataset = {
    schema: 'vitrine.dataset/1',
    labels: ['coin', 'mask'],
    objects,
    issues: [],
    counts: { objects: objects.length, labelled: 20, bySplit: { train: 20, validation: 0, test: 13 }, byLabel: {} },
  };
});

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

const current = () => dataset.objects.filter((o) => o.id.startsWith('C')).map((o) => o.id);

function annotations(labelOf: (id: string) => string): Annotation[] {
  return dataset.objects.map((o) => ({
    id: o.id,
    label: labelOf(o.id),
    confidence: 0.9,
    top: [],
    modelVersion: 'v1.0.0',
    humanLabel: o.label,
    agrees: null,
  }));
}

describe('computeDrift', () => {
  it('compares the training objects with the current ones and leaves out unknown ids and objects without images', async () => {
    const log = memoryLogger();
    const report = await computeDrift({
      ws,
      params,
      log,
      current: [...current(), 'NOIMG', 'GHOST-1'],
      dataset,
      annotations: null,
      embed,
    });
    expect(report.reference.count).toBe(20);
    expect(report.current.count).toBe(12);
    expect(report.reference.kind).toBe('model-training');
    expect(report.signals.predictedLabels).toBeNull();
    expect(report.signals.imageStats.map((s) => s.signal)).toEqual([
      'size',
      'aspect',
      'brightness',
      'saturation',
      'background-brightness',
      'background-colourfulness',
    ]);
    expect(report.signals.embeddings!.backbone).toBe('fixed');
    expect(report.drifted).toBe(false);
    const warning = log.lines.find((l) => l.level === 'warn')!.message;
    expect(warning).toContain('GHOST-1');
    expect(warning).toContain('not in the dataset');
    expect(log.lines.some((l) => l.message.includes('NOIMG') && l.message.includes('no image'))).toBe(true);
  });

  it('raises predicted-label drift when the model predicts a different mix', async () => {
    const report = await computeDrift({
      ws,
      params,
      log: memoryLogger(),
      current: current(),
      dataset,
      annotations: annotations((id) => (id.startsWith('R') ? 'coin' : 'mask')),
      embed,
    });
    const labels = report.signals.predictedLabels!;
    expect(labels.value).toBe(1);
    expect(labels.drifted).toBe(true);
    expect(labels.reference).toEqual({ coin: 1, mask: 0 });
    expect(labels.counts).toEqual({ reference: 20, current: 12 });
    expect(report.modelVersion).toBe('v1.0.0');
    expect(report.driftedSignals).toEqual(['predicted-labels']);
    expect(report.summary).toContain('different mix of labels');
  });

  it('does not compare predicted labels when too few objects have one', async () => {
    const few = annotations(() => 'coin').filter(
      (a) => !a.id.startsWith('C') || Number(a.id.slice(1)) < MIN_PREDICTIONS - 1,
    );
    const log = memoryLogger();
    const report = await computeDrift({ ws, params, log, current: current(), dataset, annotations: few, embed });
    expect(report.signals.predictedLabels).toBeNull();
    expect(log.lines.some((l) => l.message.includes(`at least ${MIN_PREDICTIONS}`))).toBe(true);
  });

  it('raises embedding drift and names the shifted objects when their vectors move', async () => {
    const shifted = dataset.objects.filter((o) => o.id.startsWith('C'));
    const saved = new Map(shifted.map((o) => [o.imageMd5, vectors.get(o.imageMd5)!]));
    try {
      for (const o of shifted.slice(0, 6))
        vectors.set(
          o.imageMd5,
          saved.get(o.imageMd5)!.map((v, k) => (k === 0 ? v + 3 : v)),
        );
      const report = await computeDrift({
        ws,
        params,
        log: memoryLogger(),
        current: current(),
        dataset,
        annotations: null,
        embed,
      });
      expect(report.signals.novelty!.drifted).toBe(true);
      expect(report.drifted).toBe(true);
      expect(new Set(report.unfamiliar.slice(0, 6).map((u) => u.id))).toEqual(
        new Set(shifted.slice(0, 6).map((o) => o.id)),
      );
      expect(report.unfamiliar[0]!.unusual).toBe(true);
    } finally {
      for (const [k, v] of saved) vectors.set(k, v);
    }
  });

  it('says there is nothing to compare when no new object has an image', async () => {
    const report = await computeDrift({
      ws,
      params,
      log: memoryLogger(),
      current: ['NOIMG'],
      dataset,
      annotations: null,
      embed,
    });
    expect(report.current.count).toBe(0);
    expect(report.signals.embeddings).toBeNull();
    expect(report.drifted).toBe(false);
    expect(report.summary).toMatch(/^Nothing to compare/);
  });
});
