import path from 'node:path';
import type { Logger } from '../log.ts';
import { embedImages } from '../model/embed.ts';
import type { Tf } from '../model/head.ts';
import { type LeftOutObject, leftOutError, warnLeftOut } from '../model/left-out.ts';
import { backboneParamsOf } from '../model/predict.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { DatasetObject, ModelInfo, Split } from '../types.ts';
import { assignFolds, outOfFoldProbabilities, warnUnlearntLabels } from './crossval.ts';

/** One labelled object's out-of-fold answer: `probabilities` in `OofFile.labels` order. */
export interface OofObject {
  id: string;
  label: string;
  split: Split;
  fold: number;
  probabilities: number[];
}

/** `.vitrine/evaluate/oof.json`: every labelled object predicted by a head trained without it. */
export interface OofFile {
  schema: 'vitrine.oof/1';
  labels: string[];
  /** Folds of the cross-validation (evaluate.folds). */
  k: number;
  /** The seed the folds and the heads were drawn from (train.seed). */
  seed: number;
  /**
   * A large collection (more labelled objects than evaluate.cv_max_objects): the heads learnt from a
   * stratified sample of `objects` of the `of` labelled objects; every one is still predicted. Absent: all.
   */
  sample?: { objects: number; of: number };
  objects: OofObject[];
}

/** The objects cross-validation can use: an image, and a label in the vocabulary. */
export function labelledObjects(dataset: {
  labels: string[];
  objects: DatasetObject[];
}): (DatasetObject & { label: string })[] {
  const known = new Set(dataset.labels);
  return dataset.objects.filter(
    (o): o is DatasetObject & { label: string } =>
      o.label !== null && known.has(o.label) && o.image !== '' && o.imageMd5 !== '',
  );
}

/**
 * The objects' embeddings through the backbone the model was trained with (or params' without a model): read from the
 * content-keyed cache (training and evaluation already embedded most of them), the rest computed. An
 * image the backbone gives no usable numbers for has no vector in the map: its objects are left out.
 */
export async function embedObjects({
  ws,
  params,
  info,
  objects,
  log,
}: {
  ws: Workspace;
  params: Params;
  info: ModelInfo | null;
  objects: Pick<DatasetObject, 'image' | 'imageMd5'>[];
  log: Logger;
}): Promise<Map<string, Float32Array>> {
  const files = new Map<string, string>();
  for (const o of objects) if (!files.has(o.imageMd5)) files.set(o.imageMd5, path.resolve(ws.data, o.image));
  const embedded = await embedImages({
    items: [...files].map(([key, file]) => ({ key, file })),
    // A trained model's own backbone; before training (train.flagged), the one params names.
    params: info ? { ...params, backbone: backboneParamsOf({ info, fallback: params.backbone }) } : params,
    root: ws.root,
    cacheDir: ws.cache,
    workers: params.train.workers,
    flips: false,
    log,
  });
  return embedded.vectors;
}

/** Round to six decimals: small, stable JSON without changing any ranking that matters. */
function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}

/**
 * k-fold over `objects` (folds by image, from train.seed: assignFolds) and the
 * out-of-fold probabilities of the head trained on each object's class `y` (-1: not trained on).
 * An object without a vector (the backbone gave no usable numbers for its image) is neither
 * learnt from nor predicted: its row is undefined, and oofFile leaves it out.
 */
export async function crossValidate({
  tf,
  objects,
  vectors,
  y,
  labels,
  params,
  log,
}: {
  tf: Tf;
  objects: (Pick<DatasetObject, 'imageMd5' | 'split'> & Partial<Pick<DatasetObject, 'id' | 'image'>>)[];
  vectors: Map<string, Float32Array>;
  y: ArrayLike<number>;
  labels: string[];
  params: Pick<Params, 'train' | 'evaluate'>;
  log: Logger;
}): Promise<{ folds: Int32Array; k: number; rows: (Float32Array | undefined)[] }> {
  const k = params.evaluate.folds;
  // Only objects with a vector get a fold (each by its image alone: the others keep theirs).
  const kept = objects.flatMap((o, i) => (vectors.has(o.imageMd5) ? [i] : []));
  const left = objects.filter((o) => !vectors.has(o.imageMd5));
  if (left.length > 0 && kept.length === 0)
    throw leftOutError({
      code: 'CROSSVAL_NO_EMBEDDINGS',
      problem: 'Cross-validation has no object',
      leftOut: named(left),
    });
  warnLeftOut({ leftOut: named(left), what: 'cross-validation', log });
  const keptFolds = assignFolds({ keys: kept.map((i) => objects[i]!.imageMd5), k, seed: params.train.seed });
  warnUnlearntLabels({
    y: kept.map((i) => y[i]!),
    notLearnt: kept.map((i) => objects[i]!.split === 'validation'),
    folds: keptFolds,
    k,
    labels,
    log,
  });
  const keptRows = await outOfFoldProbabilities({
    tf,
    x: kept.map((i) => vectors.get(objects[i]!.imageMd5)!),
    y: kept.map((i) => y[i]!),
    validation: kept.map((i) => objects[i]!.split === 'validation'),
    folds: keptFolds,
    k,
    labels,
    train: params.train,
    log,
  });
  // Objects left out keep fold -1 and no row.
  const folds = new Int32Array(objects.length).fill(-1);
  const rows = new Array<Float32Array | undefined>(objects.length).fill(undefined);
  kept.forEach((i, j) => {
    folds[i] = keptFolds[j]!;
    rows[i] = keptRows[j];
  });
  return { folds, k, rows };
}

/** Objects as left-out.ts names them (an object given without its id is named by its image's md5). */
function named(objects: (Partial<Pick<DatasetObject, 'id' | 'image'>> & { imageMd5: string })[]): LeftOutObject[] {
  return objects.map((o) => ({ id: o.id ?? o.imageMd5, image: o.image ?? '' }));
}

/** The oof.json of labelled objects and their out-of-fold rows; an object without a row is left out. */
export function oofFile({
  labels,
  objects,
  folds,
  rows,
  k,
  seed,
  sample,
}: {
  labels: string[];
  objects: (Pick<DatasetObject, 'id' | 'split'> & { label: string })[];
  folds: ArrayLike<number>;
  rows: (ArrayLike<number> | undefined)[];
  k: number;
  seed: number;
  sample?: OofFile['sample'];
}): OofFile {
  return {
    schema: 'vitrine.oof/1',
    labels,
    k,
    seed,
    ...(sample ? { sample } : {}),
    objects: objects.flatMap((o, i) => {
      const row = rows[i];
      return row
        ? [{ id: o.id, label: o.label, split: o.split, fold: folds[i]!, probabilities: Array.from(row, round) }]
        : [];
    }),
  };
}
