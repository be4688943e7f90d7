import type * as TF from '@tensorflow/tfjs';
import { VitrineError } from '../errors.ts';
import { stratifiedSample } from '../evaluate/sample.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import { childSeed, seededUniform, shuffleInPlace } from '../random.ts';
import type { LbfgsFit, ModelInfo } from '../types.ts';
import {
  fitLogistic,
  type LogisticModel,
  type LogisticObjective,
  predictLogistic,
  rowSpace,
  standardise,
  standardiser,
} from './linear-probe.ts';

/*
 * The classifier head: a softmax layer (optionally after one hidden ReLU layer) on the backbone's
 * embeddings. The training loop is our own rather than model.fit, because fit shuffles with
 * Math.random and tf.layers.dropout with a seed draws the same mask on every batch; here the batch
 * order comes from the seed and each step's dropout mask from (seed, step), so the same seed and the
 * same data give the same weights on every run.
 */

/** The TF.js module in use (whatever backend `selectBackend` chose); `default` left out so `import * as tf` fits too. */
export type Tf = Omit<typeof import('@tensorflow/tfjs'), 'default'>;

/** Embeddings with their class indices (into `labels`), and optionally a loss weight per object (default 1). */
export interface LabelledVectors {
  x: Float32Array[];
  y: number[];
  weight?: number[];
  /**
   * Each row's image (its md5): rows of one image (a photograph and its mirror image) are sampled
   * together, and the sample does not depend on the rows' order. Default: the row's index.
   */
  keys?: string[];
  /** Each row's object id, for messages about a row (default: its image key, else its index). */
  ids?: string[];
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
  /** train.solver lbfgs: the L2 penalty cross-validation chose. */
  l2?: number;
  /** train.solver lbfgs: what the solver did (it runs no epochs; `epochs` is 1). */
  lbfgs?: LbfgsFit;
}

export type { LbfgsFit };

/** Iterations the final lbfgs fit may take (fitLogistic's default). */
export const LBFGS_MAX_ITERATIONS = 300;

/** Folds of the cross-validation that chooses the lbfgs head's L2; it needs twice as many training rows. */
export const L2_FOLDS = 3;

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
  refuseNotFinite(name, v);
  return d ?? 0;
}

/*
 * A value that is not a finite number (a damaged embedding cache read as vectors) makes every
 * weight NaN: the head would be garbage, scored 0% and compared as "worse", with no word on why.
 */
function refuseNotFinite(name: string, v: LabelledVectors): void {
  const bad = new Set<string>();
  v.x.forEach((row, i) => {
    // x − x is 0 for a finite x and NaN otherwise: one sum per row, no branch per value.
    let sum = 0;
    for (let j = 0; j < row.length; j++) sum += row[j]! - row[j]!;
    if (sum !== 0) bad.add(v.ids?.[i] ?? v.keys?.[i] ?? `row ${i}`);
  });
  if (bad.size === 0) return;
  const objects = [...bad];
  const shown = objects.slice(0, 10).join(', ') + (objects.length > 10 ? ` and ${objects.length - 10} more` : '');
  throw new VitrineError(
    'TRAIN_NOT_FINITE',
    `The embeddings of ${shown} (${name} split) hold values that are not numbers, so no model can be trained on ` +
      'them. The embedding cache is probably damaged: delete .vitrine/cache/embeddings and run again.',
    { split: name, objects },
  );
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
  if (train.weight && (train.weight.length !== train.x.length || train.weight.some((w) => !(w >= 0))))
    throw new VitrineError('TRAIN_SHAPE', 'Object weights must be one number ≥ 0 per training embedding.', {
      split: 'train',
    });
  if (train.keys && train.keys.length !== train.x.length)
    throw new VitrineError('TRAIN_SHAPE', 'Image keys must be one per training embedding.', { split: 'train' });
  // A linear head is a convex problem: solve it to convergence rather than by mini-batch epochs.
  if (params.solver === 'lbfgs' && params.hidden_units === 0)
    return trainLogisticHead({ tf, train, validation, classes, d, params, log });

  const { seed, epochs, batch_size: batchSize, learning_rate: learningRate, patience, dropout, l2 } = params;
  const model = buildHead({ tf, inputSize: d, classes, hiddenUnits: params.hidden_units, seed });
  const dense = model.layers.filter((l) => l.name !== HEAD_LAYERS.probabilities);
  const variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
  const kernels = dense.map((l) => l.trainableWeights[0]!.read());
  const weights = params.class_weighting ? classWeights({ y: train.y, classes }) : new Array<number>(classes).fill(1);
  const optimizer = tf.train.adam(learningRate);

  const xTrain = stack(tf, train.x, d);
  const yTrain = tf.tensor1d(train.y, 'int32');
  const objectWeight = tf.tensor1d(train.weight ?? new Array<number>(train.x.length).fill(1));
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
  // Class-weighted mean cross-entropy (times each object's weight, when given), plus the L2 penalty when training.
  const lossOf = (logits: TF.Tensor, y: TF.Tensor1D, withPenalty: boolean, objects?: TF.Tensor1D): TF.Scalar => {
    const logp = tf.logSoftmax(logits);
    const nll = tf.neg(tf.sum(tf.mul(tf.oneHot(y, classes), logp), 1));
    const w = tf.gather(classWeight, y);
    let loss = tf.mean(tf.mul(nll, objects ? tf.mul(w, objects) : w)) as TF.Scalar;
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
          const wb = tf.gather(objectWeight, idx) as TF.Tensor1D;
          let rightCount: TF.Scalar | null = null;
          const cost = optimizer.minimize(
            () => {
              const logits = logitsOf(xb, s);
              rightCount = tf.keep(correctOf(logits, yb));
              return lossOf(logits, yb, true, wb);
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
          `epoch ${epoch + 1}: loss ${history.loss[epoch]!.toFixed(4)}, validation loss ${vl.toFixed(4)}, ` +
            `validation accuracy ${(vc / validation.x.length).toFixed(3)}`,
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
    [xTrain, yTrain, objectWeight, classWeight, ...(xVal ? [xVal] : []), ...(yVal ? [yVal] : [])].forEach((t) =>
      t.dispose(),
    );
  }
  const bestAcc = history.valAccuracy[history.bestEpoch];
  log.info(
    `Trained the head for ${history.epochs} ` +
      `epochs${history.stoppedEarly ? ' (stopped early: validation loss stopped improving)' : ''}; kept epoch ${history.bestEpoch + 1}` +
      (bestAcc === undefined ? '.' : ` with validation accuracy ${(bestAcc * 100).toFixed(1)}%.`),
  );
  return { model, history };
}

/** Loss weight of each object: balanced per class (train.class_weighting) times its own weight; summing to 1. */
function sampleWeights({
  y,
  weight,
  classes,
  balanced,
}: {
  y: number[];
  weight: number[] | undefined;
  classes: number;
  balanced: boolean;
}): Float64Array {
  const perClass = balanced ? classWeights({ y, classes }) : new Array<number>(classes).fill(1);
  const out = Float64Array.from(y, (c, i) => perClass[c]! * (weight?.[i] ?? 1));
  const total = out.reduce((s, w) => s + w, 0);
  if (total > 0) for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

/** Weighted cross-entropy and accuracy of probability rows (weights summing to 1). */
function scoreRows(probs: Float64Array[], y: number[], weights: Float64Array): { loss: number; accuracy: number } {
  let loss = 0;
  let right = 0;
  probs.forEach((p, i) => {
    loss -= weights[i]! * Math.log(Math.max(p[y[i]!]!, 1e-12));
    if (p.indexOf(Math.max(...p)) === y[i]) right++;
  });
  return { loss, accuracy: probs.length === 0 ? 0 : right / probs.length };
}

/**
 * The logistic loss and gradient on the TF.js backend (its matrix products are what cost: on wasm
 * they are many times faster than plain loops). Call `dispose` when done.
 */
function tfObjective({
  tf,
  z,
  y,
  sampleWeight,
  classes,
  dim,
}: {
  tf: Tf;
  z: Float64Array;
  y: number[];
  sampleWeight: Float64Array;
  classes: number;
  dim: number;
}): { objective: LogisticObjective; dispose: () => void } {
  const n = y.length;
  const x = tf.tensor2d(Float32Array.from(z), [n, dim]);
  // The rows in both layouts, and the weights passed as dim × classes: on the wasm backend a matrix
  // product with a transposed operand (x·Wᵀ, gᵀ·x) ran 5–8 times slower than the same product
  // on operands already laid out (measured at 20,000 rows × 1,792), and these two are the whole cost.
  const xt = tf.transpose(x);
  const target = tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), classes));
  const a = tf.tensor2d(Float32Array.from(sampleWeight), [n, 1]);
  const kernel = new Float32Array(dim * classes);
  const objective: LogisticObjective = (w, grad, l2) => {
    for (let c = 0; c < classes; c++) for (let j = 0; j < dim; j++) kernel[j * classes + c] = w[c * dim + j]!;
    const [lossValue, gradT, gradB] = tf.tidy(() => {
      const weights = tf.tensor2d(kernel, [dim, classes]);
      const bias = tf.tensor1d(Float32Array.from(w.subarray(classes * dim)));
      const logits = tf.add(tf.matMul(x, weights), bias);
      const logp = tf.logSoftmax(logits);
      const nll = tf.sum(tf.mul(a, tf.neg(tf.sum(tf.mul(target, logp), 1, true))));
      const g = tf.mul(tf.sub(tf.exp(logp), target), a);
      return [nll.dataSync()[0]!, tf.matMul(xt, g).dataSync(), tf.sum(g, 0).dataSync()];
    });
    let loss = lossValue;
    for (let c = 0; c < classes; c++) {
      for (let j = 0; j < dim; j++) {
        const k = c * dim + j;
        loss += 0.5 * l2 * w[k]! * w[k]!;
        grad[k] = gradT[j * classes + c]! + l2 * w[k]!;
      }
    }
    for (let c = 0; c < classes; c++) grad[classes * dim + c] = gradB[c]!;
    return loss;
  };
  return { objective, dispose: () => [x, xt, target, a].forEach((t) => t.dispose()) };
}

/** rows × dimensions × classes up to which the loss is computed in plain loops (faster than a backend's calls). */
const PLAIN_LOOP_SIZE = 200_000;

/**
 * Rows up to which the lbfgs head fits in the row space. Its set-up (rows² × dimensions products in
 * plain loops) outgrows what it saves per iteration: a whole lbfgs head on 3,952-number embeddings,
 * 10 classes (wasm, a loaded machine) took 18.6 s in the row space against 28.4 s on the backend at
 * 750 rows, 40.5 s against 35.0 s at 1,000; 4 fits at 1,976 rows (dimensions / 2) took 53 s against
 * 21 s. The row space used less memory at every size (maxRSS 282 MB against 389 MB at 1,000 rows).
 */
export const ROW_SPACE_MAX_ROWS = 900;

/** How the lbfgs fits compute the loss: on the rows' coordinates (rowSpace), in plain loops, or on the TF.js backend. */
export type SolverPath = 'row-space' | 'plain' | 'backend';

/**
 * The fastest path for n rows of `dim` numbers. The row space needs at most half as many rows as
 * dimensions (else it saves little), and few enough rows: its set-up (n² × dim products) and every
 * loss (n² × classes) run in plain loops, so their cost grows with n² where the backend's grows with
 * n (measured: see ROW_SPACE_MAX_ROWS).
 */
export function solverPath({ n, dim, classes }: { n: number; dim: number; classes: number }): SolverPath {
  if (2 * n <= dim && n <= ROW_SPACE_MAX_ROWS) return 'row-space';
  return n * dim * classes <= PLAIN_LOOP_SIZE ? 'plain' : 'backend';
}

/**
 * Successive logistic fits on the same rows (each starting from the previous one, which is close by
 * along a path of penalties). With few rows against many dimensions (a collection of hundreds of
 * objects, embeddings of 1,792 numbers), the fits run on the rows' coordinates in the space they
 * span: the same model (rowSpace), with a fraction of the numbers to fit, in plain loops (on such
 * small matrices the TF.js backend's cost per call is most of the time); a small problem (a few
 * dimensions) in plain loops too. Larger: on the backend. `path` (default: solverPath's choice) is
 * for tests and benchmarks that compare the paths.
 */
export function logisticSolver({
  tf,
  z,
  y,
  sampleWeight,
  classes,
  dim,
  path = solverPath({ n: y.length, dim, classes }),
}: {
  tf: Tf;
  z: Float64Array;
  y: number[];
  sampleWeight: Float64Array;
  classes: number;
  dim: number;
  path?: SolverPath;
}): {
  fit: (o: { l2: number; maxIterations: number; tolerance?: number }) => LogisticModel;
  dispose: () => void;
} {
  let last: LogisticModel | undefined;
  if (path === 'row-space') {
    const space = rowSpace({ z, dim });
    return {
      fit: ({ l2, maxIterations, tolerance }) => {
        last = fitLogistic({
          z: space.coords,
          y,
          sampleWeight,
          classes,
          dim: space.rank,
          l2,
          init: last,
          maxIterations,
          tolerance,
        });
        return { ...last, dim, weights: space.toWeights(last.weights, classes) };
      },
      dispose: () => {},
    };
  }
  if (path === 'plain')
    return {
      fit: ({ l2, maxIterations, tolerance }) =>
        (last = fitLogistic({ z, y, sampleWeight, classes, dim, l2, init: last, maxIterations, tolerance })),
      dispose: () => {},
    };
  const backend = tfObjective({ tf, z, y, sampleWeight, classes, dim });
  return {
    fit: ({ l2, maxIterations, tolerance }) =>
      (last = fitLogistic({ objective: backend.objective, classes, dim, l2, init: last, maxIterations, tolerance })),
    dispose: backend.dispose,
  };
}

/**
 * train.solver lbfgs: multinomial logistic regression on standardised embeddings, solved to
 * convergence, with the L2 penalty chosen among train.l2_choices by stratified 3-fold
 * cross-validation on the training objects (the lowest held-out loss). Validation objects are
 * scored, never learnt from. The standardisation is folded into the saved layer (kernel × 1/σ,
 * bias − kernel·μ/σ), so the model file is the same one-layer softmax head every reader loads.
 */
/*
 * The lbfgs head is synchronous work of up to a minute (a large collection, a wide backbone): a Ctrl-C
 * is only heard, and the run lock released, when the work lets the event loop run. It does so between
 * fits, so the stop comes within one fit rather than after all of them.
 */
const letSignalsIn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function trainLogisticHead({
  tf,
  train,
  validation,
  classes,
  d,
  params,
  log,
}: {
  tf: Tf;
  train: LabelledVectors;
  validation: LabelledVectors;
  classes: number;
  d: number;
  params: Params['train'];
  log: Logger;
}): Promise<{ model: TF.Sequential; history: HeadHistory }> {
  const { mean, scale } = standardiser({ x: train.x, weight: train.weight });
  const z = standardise({ x: train.x, mean, scale });
  const n = train.x.length;
  const weights = sampleWeights({ y: train.y, weight: train.weight, classes, balanced: params.class_weighting });
  const { l2, validated, sample, sampled, choices, k } = await chooseLogisticL2({
    tf,
    train,
    z,
    weights,
    classes,
    d,
    params,
  });
  await letSignalsIn();
  const whole = logisticSolver({ tf, z, y: train.y, sampleWeight: weights, classes, dim: d });
  const fitted = whole.fit({ l2, maxIterations: LBFGS_MAX_ITERATIONS });
  whole.dispose();
  // Fold the standardisation into the layer: logits = b + W·((x − μ)·s) = (b − W·(μ·s)) + (W·s)·x.
  const kernel = new Float32Array(d * classes);
  const bias = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    let shift = fitted.bias[c]!;
    for (let j = 0; j < d; j++) {
      const w = fitted.weights[c * d + j]! * scale[j]!;
      kernel[j * classes + c] = w;
      shift -= w * mean[j]!;
    }
    bias[c] = shift;
  }
  const model = buildHead({ tf, inputSize: d, classes, seed: params.seed });
  const [kernelTensor, biasTensor] = [tf.tensor2d(kernel, [d, classes]), tf.tensor1d(bias)];
  model.getLayer(HEAD_LAYERS.logits).setWeights([kernelTensor, biasTensor]);
  kernelTensor.dispose();
  biasTensor.dispose();

  const trainScore = scoreRows(predictLogistic({ model: fitted, z }), train.y, weights);
  const history: HeadHistory = {
    loss: [trainScore.loss],
    valLoss: [],
    accuracy: [trainScore.accuracy],
    valAccuracy: [],
    bestEpoch: 0,
    epochs: 1,
    stoppedEarly: false,
    l2,
  };
  // One that converged on its very last allowed iteration also reaches the limit: read as cut off, the cautious side.
  const converged = fitted.iterations < LBFGS_MAX_ITERATIONS;
  history.lbfgs = {
    iterations: fitted.iterations,
    converged,
    l2Chosen: validated ? 'cross-validation' : choices.length === 1 ? 'fixed' : 'largest',
    choices,
    folds: validated ? k : 0,
    sampled: validated ? sample !== null : null,
  };
  if (validation.x.length > 0) {
    const valWeights = sampleWeights({
      y: validation.y,
      weight: validation.weight,
      classes,
      balanced: params.class_weighting,
    });
    const valScore = scoreRows(
      predictLogistic({ model: fitted, z: standardise({ x: validation.x, mean, scale }) }),
      validation.y,
      valWeights,
    );
    history.valLoss.push(valScore.loss);
    history.valAccuracy.push(valScore.accuracy);
  }
  const valAcc = history.valAccuracy[0];
  const how = validated
    ? `chosen by ${k}-fold cross-validation on ` +
      (sample
        ? `a sample of ${sampled} of the ${n} training objects (train.l2_cv_max_objects)`
        : 'the training objects')
    : choices.length === 1
      ? 'as given'
      : 'the largest of train.l2_choices (too few training objects to compare them)';
  const fit = converged
    ? `until it stopped improving (${fitted.iterations} ${fitted.iterations === 1 ? 'step' : 'steps'})`
    : `for ${fitted.iterations} steps, its limit, while it was still improving`;
  log.info(
    `Trained the model's last layer ${fit}; how strongly it is kept simple: ${l2} (one of train.l2_choices), ${how}` +
      (valAcc === undefined ? '.' : `; validation accuracy ${(valAcc * 100).toFixed(1)}%.`),
  );
  return { model, history };
}

/**
 * The L2 penalty the lbfgs head takes: the one of train.l2_choices with the lowest held-out loss in a
 * stratified 3-fold cross-validation of the training rows (on a sample of them when there are more than
 * train.l2_cv_max_objects); the largest when there are too few rows to compare them. What the train stage
 * chooses, and (train.flagged: drop) what the cross-validation that picks the labels to leave out takes.
 */
export async function chooseL2({
  tf,
  train,
  labels,
  params,
}: {
  tf: Tf;
  train: LabelledVectors;
  labels: string[];
  params: Params['train'];
}): Promise<number> {
  const classes = labels.length;
  const d = checkVectors('train', train, classes, undefined);
  const { mean, scale } = standardiser({ x: train.x, weight: train.weight });
  const z = standardise({ x: train.x, mean, scale });
  const weights = sampleWeights({ y: train.y, weight: train.weight, classes, balanced: params.class_weighting });
  return (await chooseLogisticL2({ tf, train, z, weights, classes, d, params })).l2;
}

/** chooseL2 on rows already standardised (`z`) and weighted. */
async function chooseLogisticL2({
  tf,
  train,
  z,
  weights,
  classes,
  d,
  params,
}: {
  tf: Tf;
  train: LabelledVectors;
  z: Float64Array;
  weights: Float64Array;
  classes: number;
  d: number;
  params: Params['train'];
}): Promise<{
  l2: number;
  validated: boolean;
  sample: Uint8Array | null;
  sampled: number;
  choices: number[];
  k: number;
}> {
  const n = train.x.length;
  // Largest penalty first: each fit starts from the previous one, which is close by.
  const choices = [...new Set(params.l2_choices)].sort((a, b) => b - a);
  const k = L2_FOLDS;
  let l2 = choices[0]!;
  // A large training set: L2 is chosen on a stratified sample (the inner fits cost as on a
  // collection of that size); the head itself then learns from every object.
  const max = params.l2_cv_max_objects;
  const sample = max > 0 && n > max ? l2Sample({ train, max, seed: params.seed }) : null;
  const sampled = sample ? sample.reduce((a, b) => a + b, 0) : n;
  if (choices.length > 1 && sampled >= 2 * k) {
    const fold = l2Folds({ train, classes, k, seed: params.seed, sample });
    const heldLoss = new Array<number>(choices.length).fill(0);
    for (let f = 0; f < k; f++) {
      await letSignalsIn();
      const fitRows = fold.flatMap((g, i) => (g === f || g < 0 ? [] : [i]));
      const heldRows = fold.flatMap((g, i) => (g === f ? [i] : []));
      const rowsOf = (rows: number[]) => {
        const out = new Float64Array(rows.length * d);
        rows.forEach((i, r) => out.set(z.subarray(i * d, (i + 1) * d), r * d));
        return out;
      };
      const zFit = rowsOf(fitRows);
      const zHeld = rowsOf(heldRows);
      const wFit = Float64Array.from(fitRows, (i) => weights[i]!);
      const wFitTotal = wFit.reduce((s, w) => s + w, 0);
      if (wFitTotal === 0) continue;
      for (let i = 0; i < wFit.length; i++) wFit[i]! /= wFitTotal;
      const wHeld = Float64Array.from(heldRows, (i) => weights[i]!);
      const inner = logisticSolver({
        tf,
        z: zFit,
        y: fitRows.map((i) => train.y[i]!),
        sampleWeight: wFit,
        classes,
        dim: d,
      });
      for (const [c, penalty] of choices.entries()) {
        await letSignalsIn();
        // Ranking penalties by held-out loss needs less precision than the final fit: fewer iterations.
        const model = inner.fit({ l2: penalty, maxIterations: 100, tolerance: 1e-4 });
        const probs = predictLogistic({ model, z: zHeld });
        heldLoss[c]! += scoreRows(
          probs,
          heldRows.map((i) => train.y[i]!),
          wHeld,
        ).loss;
      }
      inner.dispose();
    }
    l2 = choices[heldLoss.indexOf(Math.min(...heldLoss))]!;
  }
  return { l2, validated: choices.length > 1 && sampled >= 2 * k, sample, sampled, choices, k };
}

/**
 * How l2Folds deals the training rows, in the train stage's fingerprint (l2FoldsMarker): a new rule retrains a model
 * whose L2 was chosen on folds dealt another way. Change it with the rule.
 */
export const L2_FOLD_RULE = 'by photograph';

/**
 * The train stage's fingerprint entry for l2Folds' rule: only where the folds choose an L2 (the lbfgs linear head
 * with several train.l2_choices) and a photograph has several training rows (train.augment's mirror images, objects
 * sharing one: `photographs`, the training objects' image md5s), since elsewhere the rule deals as dealt by row, and
 * a model trained by an older Vitrine is the same (none is trained again for nothing).
 */
export function l2FoldsMarker({
  params,
  photographs,
}: {
  params: Params['train'];
  photographs: string[];
}): { 'L2 penalty folds': string } | Record<string, never> {
  const chosen = params.solver === 'lbfgs' && params.hidden_units === 0 && new Set(params.l2_choices).size > 1;
  const several = params.augment || new Set(photographs).size < photographs.length;
  return chosen && several && photographs.length > 0 ? { 'L2 penalty folds': L2_FOLD_RULE } : {};
}

/**
 * The folds that choose L2: each class's images dealt round-robin in a seeded order, every row of
 * one image (a photograph and its mirror image, `train.augment`; objects sharing a photograph) in
 * the same fold; -1: not in the sample. Dealt by row, a mirror image was held out while its
 * photograph was learnt from, and the held-out loss favoured the weakest penalty (docs/backbone.md,
 * "Photometric training copies"). Rows without keys, or with one row per image, are dealt as before.
 */
export function l2Folds({
  train,
  classes,
  k,
  seed,
  sample = null,
}: {
  train: LabelledVectors;
  classes: number;
  k: number;
  seed: number;
  sample?: Uint8Array | null;
}): number[] {
  const uniform = seededUniform(seed);
  const keys = train.keys ?? train.y.map((_, i) => String(i));
  // Each image's rows, under the class of its first row.
  const rowsOf = new Map<string, number[]>();
  const classOf = new Map<string, number>();
  train.y.forEach((c, i) => {
    if (sample && !sample[i]) return;
    const key = keys[i]!;
    if (!rowsOf.has(key)) {
      rowsOf.set(key, []);
      classOf.set(key, c);
    }
    rowsOf.get(key)!.push(i);
  });
  const fold = new Array<number>(train.y.length).fill(-1);
  for (let c = 0; c < classes; c++) {
    const images = [...rowsOf.keys()].filter((key) => classOf.get(key) === c);
    shuffleInPlace(images, uniform).forEach((key, j) => {
      for (const i of rowsOf.get(key)!) fold[i] = j % k;
    });
  }
  return fold;
}

/**
 * Whether a head trained with these settings is the same whatever train.seed says: the lbfgs linear
 * head with one L2 given (the seed only deals the folds that choose among several). Reruns of it
 * with other seeds, to measure training noise, would repeat the same fit.
 */
export function seedIndependent(params: Params['train']): boolean {
  return params.solver === 'lbfgs' && params.hidden_units === 0 && new Set(params.l2_choices).size === 1;
}

/**
 * The training rows the lbfgs head chooses its L2 on when there are more than `max` (a mask): the
 * cross-validation's stratified sampler, by image, with a seed of its own derived from train.seed.
 */
export function l2Sample({ train, max, seed }: { train: LabelledVectors; max: number; seed: number }): Uint8Array {
  return stratifiedSample({
    keys: train.keys ?? train.y.map((_, i) => String(i)),
    strata: train.y,
    max,
    seed: childSeed(seed, 'l2-sample') % 2_147_483_647,
  });
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
