import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isVitrineError, type VitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import {
  type LabelledVectors,
  l2Sample,
  predictProbabilities,
  seedIndependent,
  trainHead,
} from '../../pipeline/model/head.ts';
import { fitLinearProbe, predictLinearProbe } from '../../pipeline/model/linear-probe.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';

/*
 * train.solver: lbfgs — the head as a converged, L2-tuned multinomial logistic regression on
 * standardised embeddings, saved as the same one-layer TF.js model (the standardisation folded in).
 */

const labels = ['coin', 'mask', 'vessel'];
const D = 30;

/**
 * 3 classes, separable only through 3 dimensions whose values are 1,000 times smaller than the
 * other (pure noise) dimensions, around a large offset: a head that does not standardise its
 * inputs, or stops before it converges, cannot find them.
 */
function scaled({ n, seed }: { n: number; seed: number }): LabelledVectors {
  const u = seededUniform(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const v = new Float32Array(D);
    for (let j = 0; j < D; j++) v[j] = j < 3 ? 5 + 0.001 * ((j === c ? 1 : 0) + 0.3 * (u() - 0.5)) : 40 * (u() - 0.5);
    x.push(v);
    y.push(c);
  }
  return { x, y };
}

const accuracy = (probs: ArrayLike<number>[], y: number[]) =>
  probs.filter((row, i) => Array.from(row).indexOf(Math.max(...Array.from(row))) === y[i]).length / y.length;

const lbfgs = (over: Partial<ReturnType<typeof defaultParams>['train']> = {}) => ({
  ...defaultParams().train,
  solver: 'lbfgs' as const,
  ...over,
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the logistic head (train.solver: lbfgs)', () => {
  it("reaches the converged probe's accuracy where the mini-batch head does not", async () => {
    const train = scaled({ n: 90, seed: 1 });
    const test = scaled({ n: 60, seed: 2 });
    const probe = fitLinearProbe({ x: train.x, y: train.y, classes: 3, l2: 0.1, iterations: 500 });
    const probeAccuracy = accuracy(predictLinearProbe({ probe, x: test.x }), test.y);
    expect(probeAccuracy).toBeGreaterThan(0.9);
    const { model } = await trainHead({ tf, train, labels, params: lbfgs(), log: silentLogger });
    const headAccuracy = accuracy(predictProbabilities({ tf, model, x: test.x }), test.y);
    expect(headAccuracy).toBeGreaterThanOrEqual(probeAccuracy - 0.02);
    model.dispose();
    const adam = await trainHead({
      tf,
      train,
      labels,
      params: lbfgs({ solver: 'adam', epochs: 20 }),
      log: silentLogger,
    });
    expect(accuracy(predictProbabilities({ tf, model: adam.model, x: test.x }), test.y)).toBeLessThan(0.7);
    adam.model.dispose();
  });

  it('stores the standardisation in the saved layer: a plain one-layer softmax model, no extra input step', async () => {
    const { model } = await trainHead({
      tf,
      train: scaled({ n: 60, seed: 3 }),
      labels,
      params: lbfgs(),
      log: silentLogger,
    });
    expect(model.layers.map((l) => l.name)).toEqual(['head_logits', 'head_probabilities']);
    const [kernel, bias] = model.getWeights();
    expect(kernel!.shape).toEqual([D, 3]);
    expect(bias!.shape).toEqual([3]);
    // The noise dimensions' scale (~12) and the informative ones' (~0.0004) are undone in the kernel.
    const k = kernel!.arraySync() as number[][];
    const big = Math.max(...k.slice(0, 3).flatMap((r) => r.map(Math.abs)));
    const small = Math.max(...k.slice(3).flatMap((r) => r.map(Math.abs)));
    expect(big / small).toBeGreaterThan(1000);
    model.dispose();
  });

  it('chooses L2 by cross-validation on the training objects, and says which', async () => {
    const lines: string[] = [];
    const log = { ...silentLogger, info: (m: string) => lines.push(m) };
    const { model, history } = await trainHead({
      tf,
      train: scaled({ n: 60, seed: 4 }),
      labels,
      params: lbfgs({ l2_choices: [0.01, 100] }),
      log,
    });
    // L2 = 100 flattens every probability toward 1/3: the held-out loss picks 0.01.
    expect(history.l2).toBe(0.01);
    expect(lines.join('\n')).toMatch(
      /kept simple: 0\.01 \(one of train\.l2_choices\), chosen by 3-fold cross-validation/,
    );
    model.dispose();
  });

  it('gives identical weights on every run (no seed or batch order involved)', async () => {
    const run = async () => {
      const { model } = await trainHead({
        tf,
        train: scaled({ n: 45, seed: 5 }),
        labels,
        params: lbfgs(),
        log: silentLogger,
      });
      const w = model.getWeights().map((t) => Array.from(t.dataSync()));
      model.dispose();
      return w;
    };
    expect(await run()).toEqual(await run());
  });

  it('with one L2 given, does not depend on the seed (reruns with other seeds would be the same)', async () => {
    const train = scaled({ n: 60, seed: 9 });
    const weights = async (seed: number, l2_choices: number[]) => {
      const { model } = await trainHead({ tf, train, labels, params: lbfgs({ seed, l2_choices }), log: silentLogger });
      const w = model.getWeights().map((t) => Array.from(t.dataSync()));
      model.dispose();
      return w;
    };
    expect(seedIndependent(lbfgs({ l2_choices: [0.1, 0.1] }))).toBe(true);
    expect(await weights(1, [0.1])).toEqual(await weights(2, [0.1]));
    // Several choices: the seed deals the inner folds; hidden units or adam: the seed draws weights.
    expect(seedIndependent(lbfgs())).toBe(false);
    expect(seedIndependent(lbfgs({ l2_choices: [0.1], hidden_units: 8 }))).toBe(false);
    expect(seedIndependent(lbfgs({ l2_choices: [0.1], solver: 'adam' }))).toBe(false);
  });

  it('scores validation objects without learning from them', async () => {
    const train = scaled({ n: 60, seed: 6 });
    const alone = await trainHead({ tf, train, labels, params: lbfgs(), log: silentLogger });
    const withValidation = await trainHead({
      tf,
      train,
      validation: scaled({ n: 30, seed: 7 }),
      labels,
      params: lbfgs(),
      log: silentLogger,
    });
    expect(withValidation.model.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(
      alone.model.getWeights().map((t) => Array.from(t.dataSync())),
    );
    expect(withValidation.history.valAccuracy[withValidation.history.bestEpoch]).toBeGreaterThan(0.9);
    alone.model.dispose();
    withValidation.model.dispose();
  });
});

describe('the L2 choice on a large training set (train.l2_cv_max_objects)', () => {
  // Each object has its own image key; classes take turns.
  const keyed = (n: number, seed: number): LabelledVectors => ({
    ...scaled({ n, seed }),
    keys: Array.from({ length: n }, (_, i) => `image-${i}`),
  });

  it('is made on a stratified sample of that many training objects, and says so', async () => {
    const train = keyed(600, 11);
    const params = lbfgs({ l2_choices: [0.01, 100], l2_cv_max_objects: 60 });
    const sample = l2Sample({ train, max: 60, seed: params.seed });
    expect(sample.reduce((a, b) => a + b, 0)).toBe(60);
    // The sampled objects' embeddings are noise (their labels cannot be learnt: L2 = 100, the flat
    // answer, is best on them); the other 540 are separable (L2 = 0.01 is best on all 600).
    const u = seededUniform(12);
    train.x = train.x.map((v, i) => (sample[i] ? Float32Array.from(v, (_, j) => (j < 3 ? 5 : 40 * (u() - 0.5))) : v));
    const lines: string[] = [];
    const log = { ...silentLogger, info: (m: string) => lines.push(m) };
    const capped = await trainHead({ tf, train, labels, params, log });
    expect(capped.history.l2).toBe(100);
    expect(lines.join('\n')).toMatch(
      /kept simple: 100 \(one of train\.l2_choices\), chosen by 3-fold cross-validation on a sample of 60 of the 600 training/,
    );
    capped.model.dispose();
    const all = await trainHead({ tf, train, labels, params: { ...params, l2_cv_max_objects: 0 }, log: silentLogger });
    expect(all.history.l2).toBe(0.01);
    all.model.dispose();
  });

  it('changes nothing when the training set is no larger than the sample', async () => {
    const train = keyed(90, 13);
    const weights = async (max: number) => {
      const { model } = await trainHead({
        tf,
        train,
        labels,
        params: lbfgs({ l2_cv_max_objects: max }),
        log: silentLogger,
      });
      const w = model.getWeights().map((t) => Array.from(t.dataSync()));
      model.dispose();
      return w;
    };
    expect(await weights(90)).toEqual(await weights(0));
  });

  it('keeps the copies of one image (a photograph and its mirror image) together', () => {
    const train = keyed(300, 14);
    train.keys = train.keys!.map((_, i) => `image-${Math.floor(i / 2)}`);
    train.y = train.y.map((_, i) => Math.floor(i / 2) % 3);
    const sample = l2Sample({ train, max: 100, seed: 42 });
    for (let i = 0; i < 300; i += 2) expect(sample[i + 1]).toBe(sample[i]);
  });
});

describe('per-object weights', () => {
  it('an object of weight 0 has no influence on the lbfgs head', async () => {
    const train = scaled({ n: 45, seed: 8 });
    const params = lbfgs({ l2_choices: [0.1] });
    const clean = await trainHead({ tf, train, labels, params, log: silentLogger });
    // The same objects, plus copies with the wrong label, weighted 0.
    const noisy: LabelledVectors = {
      x: [...train.x, ...train.x.slice(0, 9)],
      y: [...train.y, ...train.y.slice(0, 9).map((c) => (c + 1) % 3)],
      weight: [...train.x.map(() => 1), ...new Array<number>(9).fill(0)],
    };
    const weighted = await trainHead({ tf, train: noisy, labels, params, log: silentLogger });
    const a = clean.model.getWeights().map((t) => Array.from(t.dataSync()));
    const b = weighted.model.getWeights().map((t) => Array.from(t.dataSync()));
    expect(b).toEqual(a);
    clean.model.dispose();
    weighted.model.dispose();
  });

  it('the adam head learns from the weighted objects only', async () => {
    // Well-scaled embeddings (class offset on a third of the dimensions), each present twice: once
    // rightly labelled (weight 1), once with another class's label (weight 0). Unweighted, every
    // embedding would have two labels and the head could only guess.
    const u = seededUniform(10);
    const make = (n: number) => {
      const out: LabelledVectors = { x: [], y: [] };
      for (let i = 0; i < n; i++) {
        const c = i % 3;
        out.x.push(Float32Array.from({ length: D }, (_, j) => u() - 0.5 + (j % 3 === c ? 0.8 : 0)));
        out.y.push(c);
      }
      return out;
    };
    const right = make(90);
    const train: LabelledVectors = {
      x: [...right.x, ...right.x],
      y: [...right.y, ...right.y.map((c) => (c + 1) % 3)],
      weight: [...right.x.map(() => 1), ...right.x.map(() => 0)],
    };
    const params = lbfgs({ solver: 'adam', epochs: 30, batch_size: 16, learning_rate: 0.01 });
    const { model } = await trainHead({ tf, train, labels, params, log: silentLogger });
    const test = make(60);
    expect(accuracy(predictProbabilities({ tf, model, x: test.x }), test.y)).toBeGreaterThan(0.85);
    model.dispose();
  });
});

/*
 * Embeddings that are not finite numbers (a damaged cache read as vectors) once trained a garbage
 * model that reported "L2 undefined" and 0% validation accuracy, and the run went on. Training
 * refuses them and names the objects.
 */
describe('embeddings that are not numbers', () => {
  for (const solver of ['lbfgs', 'adam'] as const) {
    it(`are refused by the ${solver} head, naming the objects`, async () => {
      const train = { ...scaled({ n: 30, seed: 8 }), ids: Array.from({ length: 30 }, (_, i) => `obj-${i}`) };
      train.x[4] = Float32Array.from(train.x[4]!, (v, j) => (j === 7 ? Number.NaN : v));
      train.x[11] = Float32Array.from(train.x[11]!, (v, j) => (j === 0 ? Number.POSITIVE_INFINITY : v));
      const error = await trainHead({ tf, train, labels, params: lbfgs({ solver }), log: silentLogger }).catch(
        (e: unknown) => e,
      );
      expect(isVitrineError(error, 'TRAIN_NOT_FINITE')).toBe(true);
      expect((error as Error).message).toContain('obj-4, obj-11');
      expect((error as VitrineError).data).toMatchObject({ split: 'train', objects: ['obj-4', 'obj-11'] });
    });
  }

  it('in the validation split too; without object ids the image keys are named', async () => {
    const validation = { ...scaled({ n: 6, seed: 9 }), keys: ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'] };
    validation.x[2] = new Float32Array(D).fill(Number.NaN);
    const error = await trainHead({
      tf,
      train: scaled({ n: 30, seed: 8 }),
      validation,
      labels,
      params: lbfgs(),
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'TRAIN_NOT_FINITE')).toBe(true);
    expect((error as Error).message).toContain('k2');
    expect((error as Error).message).toMatch(/validation/);
  });
});
