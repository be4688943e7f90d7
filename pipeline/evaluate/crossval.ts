import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { type BackendPreference, isSingleThreaded } from '../model/backend.ts';
import { predictProbabilities, type Tf, trainHead } from '../model/head.ts';
import type { Params } from '../params.ts';
import { childSeed } from '../random.ts';
import type { FoldJob, FoldResult, FoldWorkerSetup } from './fold-worker.ts';

export { stratifiedSample } from './sample.ts';

/*
 * Cross-validation on cached embeddings. The head is cheap to train once the backbone has embedded
 * every image, so every labelled object can be predicted by a head that never saw it (out-of-fold
 * probabilities): the raw material of label-error finding, of verdicts judged on every object and
 * of publication thresholds. Each fold trains exactly as `vitrine train` does (trainHead, with the
 * validation split's objects for early stopping), with a seed derived from train.seed and the fold.
 */

/**
 * How assignFolds draws the folds, in the evaluate stage's fingerprint: a new rule reruns the stage, so that
 * no oof.json (review list, thresholds, verdict) from folds drawn another way is kept. Change it with the rule.
 */
export const FOLD_RULE = 'by photograph';

/**
 * The folds, fixed by `seed`: an object's fold depends on its `key` (the image md5) and the seed alone,
 * through a hash, so objects that share a photograph share a fold (a photograph is never both trained
 * on and predicted), and changing, adding or removing any other object's label never moves it to
 * another fold. The folds were once stratified, each class dealt round-robin from one random stream:
 * moving one object to another class then moved most objects after it, and the answers for objects
 * whose labels had not changed flipped between pull requests (issue 13). The cost: folds are not
 * balanced by class. A label of m photographs has them all in one fold k^(1−m) of the time (5 folds:
 * 1 in 5 for two, 1 in 125 for four, 1 in 3,125 for six); warnUnlearntLabels says so in the log.
 * Fold sizes vary by about √(n/k) (49 to 72 on the demo's 300 objects, 60 on average).
 */
export function assignFolds({ keys, k, seed }: { keys: string[]; k: number; seed: number }): Int32Array {
  const foldOf = new Map<string, number>();
  return Int32Array.from(keys, (key) => {
    let fold = foldOf.get(key);
    if (fold === undefined) {
      const hash = createHash('md5').update(`fold\0${seed}\0${key}`).digest();
      fold = Math.floor((hash.readUInt32BE(0) / 2 ** 32) * k);
      foldOf.set(key, fold);
    }
    return fold;
  });
}

/**
 * Folds for grouped cross-validation: each distinct value of `groups` (a museum, a photographer) is
 * held out whole. Up to `maxFolds` groups, one fold per group (leave one group out); beyond that the
 * groups are pooled, largest first, into `maxFolds` folds of similar size. `names[f]` lists fold f's
 * group when there is one per fold.
 */
export function groupFolds({ groups, maxFolds }: { groups: string[]; maxFolds: number }): {
  folds: Int32Array;
  names: string[];
  k: number;
} {
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const names = [...sizes.keys()];
  const foldOf = new Map<string, number>();
  if (names.length <= maxFolds) {
    names.forEach((g, i) => foldOf.set(g, i));
  } else {
    const load = new Array<number>(maxFolds).fill(0);
    for (const g of [...names].sort((a, b) => sizes.get(b)! - sizes.get(a)! || (a < b ? -1 : 1))) {
      const f = load.indexOf(Math.min(...load));
      foldOf.set(g, f);
      load[f]! += sizes.get(g)!;
    }
  }
  const k = Math.min(names.length, maxFolds);
  return { folds: Int32Array.from(groups, (g) => foldOf.get(g)!), names, k };
}

/** A logger that keeps the per-fold training lines out of the run log (they would repeat k times). */
function quiet(log: Logger): Logger {
  return { ...log, info: (m) => log.debug(m) };
}

/**
 * Probabilities for every object from the head trained on the other folds. `y[i]` is the class
 * index object i is trained with, or -1 to never train on it (unlabelled in this arm of a
 * comparison); it is still predicted. Objects with `validation[i]` are the early-stopping set of
 * the folds that do not hold them, as the validation split is for `vitrine train`. With a backend
 * that runs on one thread (wasm, cpu), the folds' heads train side by side on worker threads
 * (train.workers: 0 = one per core, 1 = the main thread only), with the same results.
 */
export async function outOfFoldProbabilities({
  tf,
  x,
  y,
  validation,
  folds,
  k,
  labels,
  train,
  log,
}: {
  tf: Tf;
  x: Float32Array[];
  y: ArrayLike<number>;
  validation: ArrayLike<boolean>;
  folds: ArrayLike<number>;
  k: number;
  labels: string[];
  train: Params['train'];
  log: Logger;
}): Promise<Float32Array[]> {
  const out = new Array<Float32Array>(x.length);
  const jobs: FoldJob[] = [];
  for (let f = 0; f < k; f++) {
    const held: number[] = [];
    const fit = { rows: [] as number[], y: [] as number[] };
    const val = { rows: [] as number[], y: [] as number[] };
    for (let i = 0; i < x.length; i++) {
      if (folds[i] === f) held.push(i);
      else if (y[i]! >= 0) (validation[i] ? val : fit).rows.push(i), (validation[i] ? val : fit).y.push(y[i]!);
    }
    if (held.length === 0) continue;
    if (fit.rows.length === 0) {
      // Nothing to learn from without this fold: an uninformed (uniform) answer.
      for (const i of held) out[i] = new Float32Array(labels.length).fill(1 / labels.length);
      continue;
    }
    const seed = childSeed(train.seed, `fold-${f}`) % 2_147_483_647;
    jobs.push({
      fold: f,
      fit: { rows: Int32Array.from(fit.rows), y: Int32Array.from(fit.y) },
      validation: { rows: Int32Array.from(val.rows), y: Int32Array.from(val.y) },
      held: Int32Array.from(held),
      labels,
      train: { ...train, seed },
    });
  }
  const backend = tf.getBackend();
  // train.workers 0 (one per core) leaves small heads on this thread: a worker's start (its own
  // TF.js backend, ~1 s of CPU) costs more than the heads it would train side by side.
  const auto = train.workers === 0 && !smallHeads({ jobs, dim: x[0]?.length ?? 0, train });
  const threads = Math.min(auto ? availableParallelism() : Math.max(train.workers, 1), jobs.length);
  const put = (job: FoldJob, probabilities: ArrayLike<number>[]) =>
    job.held.forEach((i, j) => (out[i] = probabilities[j] as Float32Array));
  if (threads > 1 && isSingleThreaded(backend) && existsSync(fileURLToPath(FOLD_WORKER))) {
    log.debug(`Training the ${jobs.length} folds' heads on ${threads} worker threads (${backend}).`);
    await runFoldsOnWorkers({ jobs, threads, backend: backend as BackendPreference, x, labels, put });
    return out;
  }
  const silent = quiet(log);
  const rowsOf = (idx: Int32Array) => Array.from(idx, (i) => x[i]!);
  for (const job of jobs) {
    const { model } = await trainHead({
      tf,
      train: { x: rowsOf(job.fit.rows), y: Array.from(job.fit.y) },
      validation: { x: rowsOf(job.validation.rows), y: Array.from(job.validation.y) },
      labels,
      params: job.train,
      log: silent,
    });
    try {
      put(job, predictProbabilities({ tf, model, x: rowsOf(job.held) }));
    } finally {
      model.dispose();
    }
  }
  return out;
}

/**
 * Warn of a label that a fold's model never learnt while it answers for objects of that label: every
 * object of it that is learnt from (labelled, and not `notLearnt`: set aside to stop training, or
 * outside a sample) fell in that one fold, so its objects are answered as some other label (the folds are drawn by
 * photograph, not by label). A label given to one object only is left unsaid: no fold could learn it.
 * Called once per cross-validation, with the labels now (-1: not labelled), not per arm or rerun.
 */
export function warnUnlearntLabels({
  y,
  notLearnt,
  folds,
  k,
  labels,
  log,
}: {
  y: ArrayLike<number>;
  /** Objects answered for but never learnt from (the validation split, outside a sample); none when absent. */
  notLearnt?: ArrayLike<boolean>;
  folds: ArrayLike<number>;
  k: number;
  labels: string[];
  log: Logger;
}): void {
  const total = new Array<number>(labels.length).fill(0);
  const learnt = new Array<number>(labels.length).fill(0);
  const inFold = Array.from({ length: k }, () => new Array<number>(labels.length).fill(0));
  const learntInFold = Array.from({ length: k }, () => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    const f = folds[i]!;
    if (c < 0 || f < 0) continue;
    total[c]!++;
    inFold[f]![c]!++;
    if (notLearnt?.[i]) continue;
    learnt[c]!++;
    learntInFold[f]![c]!++;
  }
  labels.forEach((label, c) => {
    // The objects answered by a fold model that learnt none of the label: all outside it were not learnt.
    const unlearnt = inFold.reduce((n, fold, f) => n + (learnt[c]! === learntInFold[f]![c]! ? fold[c]! : 0), 0);
    if (total[c]! < 2 || learnt[c]! < 2 || unlearnt === 0) return;
    const which = unlearnt === total[c] ? `the ${total[c]}` : `${unlearnt} of the ${total[c]}`;
    log.warn(
      `Cross-validation: ${which} objects labelled "${label}" were answered by a model that learnt no object ` +
        `labelled "${label}" (the folds are drawn by photograph, and too few objects have that label for every ` +
        `fold to learn it), so the review list may say they look mislabelled. Label more objects "${label}".`,
    );
  });
}

/** Fit rows up to which an lbfgs linear head is small (it fits in its rows' span: about a second at 300). */
const SMALL_HEAD_ROWS = 300;

/** Whether every fold's head is an lbfgs linear head on few rows (head.ts fits it in the rows' span). */
function smallHeads({ jobs, dim, train }: { jobs: FoldJob[]; dim: number; train: Params['train'] }): boolean {
  if (train.solver !== 'lbfgs' || train.hidden_units !== 0) return false;
  return jobs.every((j) => j.fit.rows.length <= SMALL_HEAD_ROWS && 2 * j.fit.rows.length <= dim);
}

const FOLD_WORKER = new URL('./fold-worker.ts', import.meta.url);
const packed = new WeakMap<Float32Array[], Float32Array>();

/** Hand the folds to `threads` workers as each becomes free; the first failure stops the run. */
async function runFoldsOnWorkers({
  jobs,
  threads,
  backend,
  x,
  labels,
  put,
}: {
  jobs: FoldJob[];
  threads: number;
  backend: BackendPreference;
  x: Float32Array[];
  labels: string[];
  put: (job: FoldJob, probabilities: Float32Array[]) => void;
}): Promise<void> {
  const dim = x[0]?.length ?? 0;
  // One packed copy the workers share, instead of one copy of every embedding per worker; the arms
  // and reruns of a comparison share the same embeddings, so it is packed once for all of them.
  let matrix = packed.get(x);
  if (!matrix) {
    matrix = new Float32Array(new SharedArrayBuffer(x.length * dim * 4));
    for (let i = 0; i < x.length; i++) matrix.set(x[i]!, i * dim);
    packed.set(x, matrix);
  }
  const setup: FoldWorkerSetup = { backend, matrix, dim };
  const pool = Array.from({ length: threads }, () => new Worker(FOLD_WORKER, { workerData: setup }));
  const byFold = new Map(jobs.map((j) => [j.fold, j]));
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => (next < jobs.length ? worker.postMessage(jobs[next++]) : resolve());
            worker.on('message', (message: FoldResult) => {
              if ('error' in message) {
                reject(new VitrineError(message.error.code, message.error.message, message.error.data));
                return;
              }
              const job = byFold.get(message.fold)!;
              const c = labels.length;
              put(
                job,
                Array.from(job.held, (_, j) => message.probabilities.slice(j * c, (j + 1) * c)),
              );
              send();
            });
            worker.on('error', (error) =>
              reject(
                new VitrineError(
                  'CROSSVAL_FAILED',
                  `A cross-validation worker thread failed: ${error.message}`,
                  {},
                  {
                    cause: error,
                  },
                ),
              ),
            );
            worker.on('exit', (code) => {
              if (code !== 0)
                reject(
                  new VitrineError(
                    'CROSSVAL_FAILED',
                    `A cross-validation worker thread stopped unexpectedly (exit code ${code}).`,
                    { code },
                  ),
                );
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
