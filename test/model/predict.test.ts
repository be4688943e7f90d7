import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabels, readObjects } from '../../pipeline/collection/index.ts';
import { hashFile } from '../../pipeline/data/hash.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { selectBackend } from '../../pipeline/model/backend.ts';
import { embedImages } from '../../pipeline/model/embed.ts';
import { historyForInfo, predictProbabilities, trainHead } from '../../pipeline/model/head.ts';
import { saveModel } from '../../pipeline/model/io.ts';
import {
  backboneParamsOf,
  classifyObjects,
  type ObjectToClassify,
  predictObjects,
  toPrediction,
} from '../../pipeline/model/predict.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { ModelInfo } from '../../pipeline/types.ts';

/*
 * Prediction on real images: a tiny demo collection is embedded with the built-in MobileNetV2 (on
 * the main thread), a head is trained and saved, and predictObjects must give what the head gives
 * on the same embeddings, reading them from the cache rather than computing them again.
 */

const params = defaultParams();
params.demo.per_type = 3;
params.demo.unlabelled_per_type = 0;
params.demo.image_size = 64;
params.train.workers = 1;
params.train.epochs = 5;
let ws: Workspace;
let objects: ObjectToClassify[];
let vectors: Map<string, Float32Array>;
let info: ModelInfo;

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-predict-')));
  await generateDemo({ ws, params, log: silentLogger });
  const { objects: table } = await readObjects({ file: ws.objects });
  const labelOf = new Map((await readLabels({ file: ws.labels })).map((l) => [l.objectId, l.label]));
  objects = await Promise.all(
    table.map(async (o) => ({
      id: o.id,
      image: o.image,
      imageMd5: await hashFile({ file: path.join(ws.data, o.image) }),
    })),
  );
  const embedded = await embedImages({
    items: objects.map((o) => ({ key: o.imageMd5, file: path.join(ws.data, o.image) })),
    params,
    root: ws.root,
    cacheDir: ws.cache,
    workers: 1,
    log: silentLogger,
  });
  vectors = embedded.vectors;
  const labels = params.collection.vocabulary;
  const { tf, name } = await selectBackend({ preference: params.train.backend, log: silentLogger });
  const { model, history } = await trainHead({
    tf,
    train: {
      x: objects.map((o) => vectors.get(o.imageMd5)!),
      y: objects.map((o) => labels.indexOf(labelOf.get(o.id)!)),
    },
    labels,
    params: params.train,
    log: silentLogger,
  });
  info = {
    schema: 'vitrine.model/1',
    labels,
    backbone: embedded.backbone,
    backend: name,
    seed: params.train.seed,
    epochs: history.epochs,
    history: historyForInfo(history),
    trainCount: objects.length,
    validationCount: 0,
    durationMs: { embed: 0, train: 0 },
    embeddings: { computed: embedded.computed, fromCache: embedded.fromCache },
  };
  await saveModel({ dir: ws.model, model, info });
  model.dispose();
}, 120_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

describe('predictObjects', () => {
  it('gives the head’s answer on the cached embeddings, one Prediction per object in order', async () => {
    const result = await classifyObjects({ ws, params, modelDir: ws.model, objects, log: silentLogger });
    expect(result.embeddings).toEqual({ computed: 0, fromCache: objects.length });
    const { tf } = await selectBackend({ preference: params.train.backend, log: silentLogger });
    const { loadModel } = await import('../../pipeline/model/io.ts');
    const { model } = await loadModel({ dir: ws.model, tf });
    const expected = predictProbabilities({ tf, model, x: objects.map((o) => vectors.get(o.imageMd5)!) });
    model.dispose();
    expect(result.probabilities.map((r) => Array.from(r))).toEqual(expected.map((r) => Array.from(r)));

    const predictions = await predictObjects({ ws, params, modelDir: ws.model, objects, log: silentLogger });
    expect(predictions.map((p) => p.id)).toEqual(objects.map((o) => o.id));
    predictions.forEach((p, i) => {
      const row = expected[i]!;
      expect(p.label).toBe(info.labels[row.indexOf(Math.max(...row))]);
      expect(p.top).toHaveLength(5);
      expect(p.top[0]).toEqual({ label: p.label, p: p.confidence });
      for (let j = 1; j < p.top.length; j++) expect(p.top[j]!.p).toBeLessThanOrEqual(p.top[j - 1]!.p);
    });
  });

  it('uses the backbone recorded in the model, whatever params.yaml names now', async () => {
    const other = structuredClone(params);
    other.backbone.name = 'inception_v3';
    other.backbone.fit = 'crop';
    // InceptionV3 is not loaded: the model's MobileNetV2 embeddings come from the cache.
    const result = await classifyObjects({
      ws,
      params: other,
      modelDir: ws.model,
      objects: objects.slice(0, 2),
      log: silentLogger,
    });
    expect(result.embeddings.computed).toBe(0);
    expect(backboneParamsOf({ info, fallback: other.backbone })).toMatchObject({
      name: params.backbone.name,
      fit: params.backbone.fit,
      layer: info.backbone.id.split('#')[1],
      input_size: info.backbone.inputSize,
    });
  });

  it('refuses an object without an image, naming it', async () => {
    await expect(
      predictObjects({
        ws,
        params,
        modelDir: ws.model,
        objects: [{ id: 'DM-NONE', image: '', imageMd5: '' }],
        log: silentLogger,
      }),
    ).rejects.toMatchObject({ code: 'PREDICT_NO_IMAGE', message: expect.stringContaining('DM-NONE') });
  });
});

describe('backboneParamsOf and toPrediction', () => {
  it('rebuilds a custom backbone from its source and layer', () => {
    const custom: ModelInfo = {
      ...info,
      backbone: {
        ...info.backbone,
        id: 'custom-abc123#feat',
        source: 'models/my/model.json',
        layer: 'feat',
        inputRange: '-1,1',
      } as ModelInfo['backbone'],
    };
    expect(backboneParamsOf({ info: custom, fallback: defaultParams().backbone })).toMatchObject({
      name: 'custom',
      source: 'models/my/model.json',
      layer: 'feat',
      input_range: '-1,1',
    });
  });

  it('orders alternatives by probability and keeps at most five', () => {
    const p = toPrediction({ id: 'x', row: [0.1, 0.5, 0.05, 0.2, 0.1, 0.05], labels: ['a', 'b', 'c', 'd', 'e', 'f'] });
    expect(p.label).toBe('b');
    expect(p.confidence).toBe(0.5);
    expect(p.top.map((t) => t.label)).toEqual(['b', 'd', 'a', 'e', 'c']);
  });
});
