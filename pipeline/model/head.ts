import type * as TF from '@tensorflow/tfjs';
import { VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import { seededUniform, shuffleInPlace } from '../random.ts';
import type { ModelInfo } from '../types.ts';

/*
 * The classifier head: a softmax layer (optionally after one hidden ReLU layer) on the backbone's
 * embeddings. The training loop is our own rather than model.fit, because fit shuffles with
 * Math.random and tf.layers.dropout with a seed draws the same mask on every batch; here the batch
 * order comes from the seed and each step's dropout mask from (seed, step), so the same seed and the
 * same data give the same weights on every run.
 */

/** The TF.js module in use (whatever backend `selectBackend` chose); `default` left out so `import * as tf` fits too. */
export type Tf = Omit<typeof import('@tensorflow/tfjs'), 'default'>;

/** Embeddings with their class indices (into `labels`). */
export interface LabelledVectors {
  x: Float32Array[];
  y: number[];
}

/** Per-epoch loss and accuracy (training and validation), and how training ended. */
export interface HeadHistory {
  loss: number[];
  valLoss: number[];
  accuracy: number[];
  valAccuracy: number[];
  /** 0-based epoch whose weights were kept (the lowest validation loss; the last epoch without validation). */
  bestEpoch: number;
  /** Epochs actually run. */
  epochs: number;
  stoppedEarly: boolean;
}

/** Layer names of the saved head; `logits` is the output before the softmax. */
export const HEAD_LAYERS = {
  hidden: 'head_hidden',
  logits: 'head_logits',
  probabilities: 'head_probabilities',
} as const;

/** A head for `inputSize`-long embeddings and `classes` classes, with seeded initial weights. */
export function buildHead({
  tf,
  inputSize,
  classes,
  hiddenUnits = 0,
  seed = 42,
}: {
  tf: Tf;
  inputSize: number;
  classes: number;
  hiddenUnits?: number;
  seed?: number;
}): TF.Sequential {
  const model = tf.sequential();
  if (hiddenUnits > 0) {
    model.add(
      tf.layers.dense({
        name: HEAD_LAYERS.hidden,
        inputShape: [inputSize],
        units: hiddenUnits,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }),
        biasInitializer: 'zeros',
      }),
    );
  }
  model.add(
    tf.layers.dense({
      name: HEAD_LAYERS.logits,
      ...(hiddenUnits > 0 ? {} : { inputShape: [inputSize] }),
      units: classes,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      biasInitializer: 'zeros',
    }),
  );
  model.add(tf.layers.activation({ name: HEAD_LAYERS.probabilities, activation: 'softmax' }));
  return model;
}

/**
 * Per-class loss weights inversely proportional to class frequency in `y` (n / (classes present ×
 * count)), so that a class with few objects weighs as much in the loss as a common one. Classes
 * without training objects get 0.
 */
export function classWeights({ y, classes }: { y: number[]; classes: number }): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const c of y) counts[c]!++;
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c === 0 ? 0 : y.length / (present * c)));
}

function checkVectors(name: string, v: LabelledVectors, classes: number, size: number | undefined): number {
  if (v.x.length !== v.y.length)
    throw new VitrineError('TRAIN_SHAPE', `The ${name} split has ${v.x.length} embeddings but ${v.y.length} labels.`, {
      split: name,
    });
  let d = size;
  v.x.forEach((row, i) => {
    d ??= row.length;
    if (row.length !== d)
      throw new VitrineError(
        'TRAIN_SHAPE',
        `Embedding ${i} of the ${name} split has ${row.length} values, expected ${d}.`,
        { split: name, row: i },
      );
    const c = v.y[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes)
      throw new VitrineError(
        'TRAIN_SHAPE',
        `Label ${c} of row ${i} of the ${name} split is not a class index below ${classes}.`,
        { split: name, row: i },
      );
  });
  return d ?? 0;
}

function stack(tf: Tf, x: Float32Array[], d: number): TF.Tensor2D {
  const flat = new Float32Array(x.length * d);
  x.forEach((row, i) => flat.set(row, i * d));
  return tf.tensor2d(flat, [x.length, d]);
}

/**
 * Train the head on embeddings: seeded initial weights and batch order, class weighting, L2 on the
 * kernels, dropout, Adam, and early stopping on the validation loss that restores the best epoch's
 * weights. Without validation vectors it trains every epoch and keeps the last weights.
 */
export async function trainHead({
  tf,
  train,
  validation = { x: [], y: [] },
  labels,
  params,
  log,
}: {
  tf: Tf;
  train: LabelledVectors;
  validation?: LabelledVectors;
  labels: string[];
  params: Params['train'];
  log: Logger;
}): Promise<{ model: TF.Sequential; history: HeadHistory }> {
  const classes = labels.length;
  if (train.x.length === 0)
    throw new VitrineError('TRAIN_EMPTY', 'There are no training objects: label some objects in labels.csv first.', {});
  const d = checkVectors('train', train, classes, undefined);
  checkVectors('validation', validation, classes, d);

  const { seed, epochs, batch_size: batchSize, learning_rate: learningRate, patience, dropout, l2 } = params;
  const model = buildHead({ tf, inputSize: d, classes, hiddenUnits: params.hidden_units, seed });
  const dense = model.layers.filter((l) => l.name !== HEAD_LAYERS.probabilities);
  const variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
  const kernels = dense.map((l) => l.trainableWeights[0]!.read());
  const weights = params.class_weighting ? classWeights({ y: train.y, classes }) : new Array<number>(classes).fill(1);
  const optimizer = tf.train.adam(learningRate);

  const xTrain = stack(tf, train.x, d);
  const yTrain = tf.tensor1d(train.y, 'int32');
  const xVal = validation.x.length > 0 ? stack(tf, validation.x, d) : null;
  const yVal = validation.x.length > 0 ? tf.tensor1d(validation.y, 'int32') : null;
  const classWeight = tf.tensor1d(weights);

  // Logits of a batch; with `dropoutSeed`, dropout on the input of each dense layer.
  const logitsOf = (x: TF.Tensor, dropoutSeed?: number): TF.Tensor => {
    let h = x;
    dense.forEach((layer, i) => {
      if (dropoutSeed !== undefined && dropout > 0) h = tf.dropout(h, dropout, undefined, dropoutSeed * 16 + i);
      h = layer.apply(h) as TF.Tensor;
    });
    return h;
  };
  // Class-weighted mean cross-entropy (plus the L2 penalty when training).
  const lossOf = (logits: TF.Tensor, y: TF.Tensor1D, withPenalty: boolean): TF.Scalar => {
    const logp = tf.logSoftmax(logits);
    const nll = tf.neg(tf.sum(tf.mul(tf.oneHot(y, classes), logp), 1));
    let loss = tf.mean(tf.mul(nll, tf.gather(classWeight, y))) as TF.Scalar;
    if (withPenalty && l2 > 0)
      for (const k of kernels) loss = tf.add(loss, tf.mul(l2, tf.sum(tf.square(k)))) as TF.Scalar;
    return loss;
  };
  const correctOf = (logits: TF.Tensor, y: TF.Tensor1D): TF.Scalar =>
    tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32')) as TF.Scalar;

  const history: HeadHistory = {
    loss: [],
    valLoss: [],
    accuracy: [],
    valAccuracy: [],
    bestEpoch: 0,
    epochs: 0,
    stoppedEarly: false,
  };
  const uniform = seededUniform(seed);
  const order = Array.from({ length: train.x.length }, (_, i) => i);
  let best: TF.Tensor[] | null = null;
  let bestLoss = Number.POSITIVE_INFINITY;
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, uniform);
      let lossSum = 0;
      let correct = 0;
      for (let start = 0; start < order.length; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        const s = seed * 1_000_003 + step++;
        const [loss, right] = tf.tidy(() => {
          const idx = tf.tensor1d(batch, 'int32');
          const xb = tf.gather(xTrain, idx);
          const yb = tf.gather(yTrain, idx) as TF.Tensor1D;
          let rightCount: TF.Scalar | null = null;
          const cost = optimizer.minimize(
            () => {
              const logits = logitsOf(xb, s);
              rightCount = tf.keep(correctOf(logits, yb));
              return lossOf(logits, yb, true);
            },
            true,
            variables,
          )!;
          return [cost, rightCount! as TF.Scalar];
        });
        lossSum += loss.dataSync()[0]! * batch.length;
        correct += right.dataSync()[0]!;
        loss.dispose();
        right.dispose();
      }
      history.loss.push(lossSum / order.length);
      history.accuracy.push(correct / order.length);
      history.epochs = epoch + 1;

      if (xVal && yVal) {
        const [vl, vc] = tf.tidy(() => {
          const logits = logitsOf(xVal);
          return [lossOf(logits, yVal, false).dataSync()[0]!, correctOf(logits, yVal).dataSync()[0]!];
        });
        history.valLoss.push(vl);
        history.valAccuracy.push(vc / validation.x.length);
        log.debug(
          `epoch ${epoch + 1}: loss ${history.loss[epoch]!.toFixed(4)}, validation loss ${vl.toFixed(4)}, validation accuracy ${(vc / validation.x.length).toFixed(3)}`,
        );
        if (vl < bestLoss) {
          bestLoss = vl;
          history.bestEpoch = epoch;
          best?.forEach((t) => t.dispose());
          best = variables.map((v) => tf.clone(v));
        } else if (epoch - history.bestEpoch >= patience) {
          history.stoppedEarly = epoch + 1 < epochs;
          break;
        }
      } else {
        history.bestEpoch = epoch;
        log.debug(`epoch ${epoch + 1}: loss ${history.loss[epoch]!.toFixed(4)}`);
      }
    }
    if (best) variables.forEach((v, i) => v.assign(best![i]!));
  } finally {
    best?.forEach((t) => t.dispose());
    optimizer.dispose();
    [xTrain, yTrain, classWeight, ...(xVal ? [xVal] : []), ...(yVal ? [yVal] : [])].forEach((t) => t.dispose());
  }
  const bestAcc = history.valAccuracy[history.bestEpoch];
  log.info(
    `Trained the head for ${history.epochs} epochs${history.stoppedEarly ? ' (stopped early: validation loss stopped improving)' : ''}; kept epoch ${history.bestEpoch + 1}` +
      (bestAcc === undefined ? '.' : ` with validation accuracy ${(bestAcc * 100).toFixed(1)}%.`),
  );
  return { model, history };
}

/** Class probabilities for each embedding (rows in input order), in batches to bound memory. */
export function predictProbabilities({
  tf,
  model,
  x,
  batchSize = 256,
}: {
  tf: Tf;
  model: TF.LayersModel;
  x: Float32Array[];
  batchSize?: number;
}): Float32Array[] {
  const out: Float32Array[] = [];
  if (x.length === 0) return out;
  const d = x[0]!.length;
  for (let start = 0; start < x.length; start += batchSize) {
    const part = x.slice(start, start + batchSize);
    const probs = tf.tidy(() => (model.predict(stack(tf, part, d)) as TF.Tensor).dataSync() as Float32Array);
    const k = probs.length / part.length;
    for (let i = 0; i < part.length; i++) out.push(probs.slice(i * k, (i + 1) * k));
  }
  return out;
}

/** The per-epoch curves of a HeadHistory, as stored in model-info.json. */
export function historyForInfo(history: HeadHistory): ModelInfo['history'] {
  return { loss: history.loss, valLoss: history.valLoss, accuracy: history.accuracy, valAccuracy: history.valAccuracy };
}
