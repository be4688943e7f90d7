import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import {
  classWeights,
  historyForInfo,
  type LabelledVectors,
  predictProbabilities,
  trainHead,
} from '../../pipeline/model/head.ts';
import { loadModel, saveModel } from '../../pipeline/model/io.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';
import type { ModelInfo } from '../../pipeline/types.ts';

const labels = ['coin', 'mask', 'vessel'];
const D = 24;

/** Embeddings of 3 classes: noise plus a class-specific offset on a third of the dimensions. */
function vectors({ n, seed, flip = false }: { n: number; seed: number; flip?: boolean }): LabelledVectors {
  const u = seededUniform(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const v = new Float32Array(D);
    for (let j = 0; j < D; j++) v[j] = u() - 0.5 + (j % 3 === c ? 0.8 : 0);
    x.push(v);
    // `flip` gives each vector another class's label: a validation set the head can only get worse on.
    y.push(flip ? (c + 1) % 3 : c);
  }
  return { x, y };
}

// The mini-batch head (train.solver: adam); test/model/logistic-head.test.ts covers lbfgs.
const trainParams = (over: Partial<ReturnType<typeof defaultParams>['train']> = {}) => ({
  ...defaultParams().train,
  solver: 'adam' as const,
  batch_size: 16,
  learning_rate: 0.01,
  ...over,
});
const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-head-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('class weights', () => {
  it('weigh classes inversely to their frequency, and absent classes 0', () => {
    // 6 objects: 4 of class 0, 2 of class 1, none of class 2; two classes present.
    expect(classWeights({ y: [0, 0, 0, 0, 1, 1], classes: 3 })).toEqual([6 / (2 * 4), 6 / (2 * 2), 0]);
  });
});

describe('trainHead', () => {
  it('lowers the loss over 2 epochs on tiny embeddings, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const { model, history } = await trainHead({
      tf,
      train: vectors({ n: 60, seed: 1 }),
      validation: vectors({ n: 15, seed: 2 }),
      labels,
      params: trainParams({ epochs: 2 }),
      log: silentLogger,
    });
    expect(history.epochs).toBe(2);
    expect(history.loss).toHaveLength(2);
    expect(history.valLoss).toHaveLength(2);
    expect(history.loss[1]).toBeLessThan(history.loss[0]!);
    expect(history.valLoss[1]).toBeLessThan(history.valLoss[0]!);
    // Only the model's own kernel and bias remain.
    expect(tf.memory().numTensors - before).toBe(2);
    model.dispose();
  });

  it('gives the same weights for the same seed, and different ones for another seed', async () => {
    const run = async (seed: number) => {
      const { model } = await trainHead({
        tf,
        train: vectors({ n: 45, seed: 3 }),
        validation: vectors({ n: 9, seed: 4 }),
        labels,
        params: trainParams({ epochs: 3, seed, hidden_units: 8 }),
        log: silentLogger,
      });
      const w = weightsOf(model);
      model.dispose();
      return w;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('learns the classes well enough to separate them', async () => {
    const { model, history } = await trainHead({
      tf,
      train: vectors({ n: 150, seed: 5 }),
      validation: vectors({ n: 30, seed: 6 }),
      labels,
      params: trainParams({ epochs: 40 }),
      log: silentLogger,
    });
    expect(history.valAccuracy[history.bestEpoch]).toBeGreaterThan(0.9);
    const test = vectors({ n: 30, seed: 9 });
    const probs = predictProbabilities({ tf, model, x: test.x });
    const right = probs.filter((row, i) => row.indexOf(Math.max(...row)) === test.y[i]).length;
    expect(right / 30).toBeGreaterThan(0.85);
    expect(probs[0]!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('stops early when validation loss stops improving and restores the best epoch', async () => {
    const train = vectors({ n: 60, seed: 1 });
    // Labels rotated: the better the head fits the training set, the worse this validation loss.
    const validation = vectors({ n: 30, seed: 2, flip: true });
    const first = await trainHead({
      tf,
      train,
      validation,
      labels,
      params: trainParams({ epochs: 1 }),
      log: silentLogger,
    });
    const long = await trainHead({
      tf,
      train,
      validation,
      labels,
      params: trainParams({ epochs: 50, patience: 3 }),
      log: silentLogger,
    });
    expect(long.history.stoppedEarly).toBe(true);
    expect(long.history.bestEpoch).toBe(0);
    expect(long.history.epochs).toBe(4);
    expect(weightsOf(long.model)).toEqual(weightsOf(first.model));
    first.model.dispose();
    long.model.dispose();
  });

  it('refuses an empty training split and mismatched embeddings', async () => {
    await expect(
      trainHead({ tf, train: { x: [], y: [] }, labels, params: trainParams(), log: silentLogger }),
    ).rejects.toMatchObject({ code: 'TRAIN_EMPTY' });
    const bad = vectors({ n: 3, seed: 1 });
    bad.x[2] = new Float32Array(D - 1);
    await expect(trainHead({ tf, train: bad, labels, params: trainParams(), log: silentLogger })).rejects.toMatchObject(
      { code: 'TRAIN_SHAPE' },
    );
  });
});

describe('saveModel / loadModel', () => {
  it('round-trips a head in the TF.js layers format with identical predictions', async () => {
    const { model, history } = await trainHead({
      tf,
      train: vectors({ n: 45, seed: 1 }),
      labels,
      params: trainParams({ epochs: 2, hidden_units: 6 }),
      log: silentLogger,
    });
    const info: ModelInfo = {
      schema: 'vitrine.model/1',
      labels,
      backbone: {
        id: 'test-backbone',
        source: 'test',
        licence: 'MIT',
        inputSize: 224,
        fit: 'letterbox',
        inputRange: '0,1',
        layer: '',
        embeddingSize: D,
      },
      backend: tf.getBackend(),
      seed: 42,
      epochs: history.epochs,
      history: historyForInfo(history),
      trainCount: 45,
      validationCount: 0,
      durationMs: { embed: 0, train: 1 },
      embeddings: { computed: 45, fromCache: 0 },
    };
    const modelDir = path.join(dir, 'model');
    await saveModel({ dir: modelDir, model, info });
    // Saving again replaces the folder whole and leaves no temp folders behind.
    await saveModel({ dir: modelDir, model, info });
    expect((await readdir(dir)).sort()).toEqual(['model']);
    expect((await readdir(modelDir)).sort()).toEqual(['model-info.json', 'model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(path.join(modelDir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);

    const loaded = await loadModel({ dir: modelDir, tf });
    expect(loaded.info).toEqual(info);
    const x = vectors({ n: 12, seed: 77 }).x;
    expect(predictProbabilities({ tf, model: loaded.model, x })).toEqual(predictProbabilities({ tf, model, x }));

    // As a browser loads it: model.json over HTTP, weights fetched relative to it.
    const server = http.createServer((req, res) => {
      readFile(path.join(modelDir, path.basename(req.url ?? '')))
        .then((body) => res.end(body))
        .catch(() => {
          res.statusCode = 404;
          res.end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const overHttp = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
      expect(predictProbabilities({ tf, model: overHttp, x })).toEqual(predictProbabilities({ tf, model, x }));
      overHttp.dispose();
    } finally {
      server.close();
    }
    model.dispose();
    loaded.model.dispose();
  });

  it('says plainly when there is no model', async () => {
    await expect(loadModel({ dir: path.join(dir, 'nothing'), tf })).rejects.toMatchObject({ code: 'MODEL_MISSING' });
  });
});
