import path from 'node:path';
import { VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { ModelInfo, Prediction } from '../types.ts';
import { BUILTINS } from './backbone.ts';
import { type SelectedBackend, selectBackend } from './backend.ts';
import { embedImages } from './embed.ts';
import { predictProbabilities } from './head.ts';
import { loadModel } from './io.ts';
import { type LeftOutObject, leftOutError, splitByEmbedding, warnLeftOut } from './left-out.ts';

/*
 * A model answers for objects with the backbone it was trained on (from its model-info.json), not the
 * one params.yaml names today: a promoted model keeps working after params change, and its
 * embeddings come from the same content-keyed cache as training's, so known images are not re-embedded.
 */

/** An object to classify: its id and image (absolute, or relative to `data/`) with the image's md5. */
export interface ObjectToClassify {
  id: string;
  image: string;
  imageMd5: string;
}

/** Alternatives listed in each Prediction's `top`. */
export const TOP_ALTERNATIVES = 5;

/** The backbone params that reproduce a model's backbone, from its model-info.json. */
export function backboneParamsOf({
  info,
  fallback,
}: {
  info: ModelInfo;
  fallback: Params['backbone'];
}): Params['backbone'] {
  const b = info.backbone as ModelInfo['backbone'] & { inputRange?: Params['backbone']['input_range']; layer?: string };
  // Built-in ids read "nsfwjs-<name>@<version>#<layer>".
  const builtin = /^nsfwjs-([a-z0-9_]+)@[^#]*#(.*)$/.exec(b.id);
  const name = builtin && builtin[1]! in BUILTINS ? (builtin[1] as Params['backbone']['name']) : 'custom';
  return {
    ...fallback,
    name,
    source: name === 'custom' ? b.source : '',
    // A built-in's id holds the layer as asked for (an alias such as "feature_vector"), which is what
    // reproduces the same id and so the same embedding cache; a custom backbone records its layer.
    layer: builtin && name !== 'custom' ? builtin[2]! : (b.layer ?? fallback.layer),
    input_size: b.inputSize,
    fit: b.fit,
    input_range: b.inputRange ?? fallback.input_range,
    licence: b.licence,
  };
}

/** Probability rows and Predictions of one model for a list of objects. */
export interface Classified {
  info: ModelInfo;
  /** The TF.js backend that ran the model here. */
  backend: string;
  /** Ids of the objects answered, in `objects` order: every one but those `leftOut`. */
  ids: string[];
  /** Rows in `ids` order; columns in `info.labels` order. */
  probabilities: Float32Array[];
  /** In `ids` order. */
  predictions: Prediction[];
  embeddings: { computed: number; fromCache: number };
  /** Objects not answered: the backbone gave no usable numbers for their image (none: empty). */
  leftOut: LeftOutObject[];
}

/** A Prediction from a probability row: the most probable label and the top alternatives. */
export function toPrediction({
  id,
  row,
  labels,
  top = TOP_ALTERNATIVES,
}: {
  id: string;
  row: ArrayLike<number>;
  labels: string[];
  top?: number;
}): Prediction {
  const order = labels
    .map((label, j) => ({ label, p: row[j]! }))
    .sort((a, b) => b.p - a.p || labels.indexOf(a.label) - labels.indexOf(b.label));
  const alternatives = order.slice(0, Math.min(top, labels.length)).map(({ label, p }) => ({ label, p: round(p) }));
  return { id, label: order[0]!.label, confidence: round(order[0]!.p), top: alternatives };
}

// Six decimals keep JSON files small and stable without changing any ranking that matters.
function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}

/**
 * Classify objects with the model in `modelDir`: embed their images with the model's own backbone
 * (through the embedding cache), then run the head. Every object needs an image and its md5. An
 * object whose image the backbone gives no usable numbers for gets no answer (not a wrong one): it is
 * in `leftOut`, for the caller to name.
 */
export async function classifyObjects({
  ws,
  params,
  modelDir,
  objects,
  log,
  backend: selected,
}: {
  ws: Workspace;
  params: Params;
  modelDir: string;
  objects: ObjectToClassify[];
  log: Logger;
  /** The backend to run the head on; by default the one `train.backend` selects. */
  backend?: SelectedBackend;
}): Promise<Classified> {
  const missing = objects.filter((o) => !o.image || !o.imageMd5);
  if (missing.length > 0) {
    throw new VitrineError(
      'PREDICT_NO_IMAGE',
      `${missing.length} object(s) have no image to classify, e.g. "${missing[0]!.id}".`,
      { objects: missing.map((o) => o.id) },
    );
  }
  const { tf, name: backend } = selected ?? (await selectBackend({ preference: params.train.backend, log }));
  const { model, info } = await loadModel({ dir: modelDir, tf });
  try {
    const backbone = backboneParamsOf({ info, fallback: params.backbone });
    const files = new Map<string, string>();
    for (const o of objects) if (!files.has(o.imageMd5)) files.set(o.imageMd5, path.resolve(ws.data, o.image));
    const embedded = await embedImages({
      items: [...files].map(([key, file]) => ({ key, file })),
      params: { ...params, backbone },
      root: ws.root,
      // embedImages keeps its vectors under <cacheDir>/embeddings/, shared with training and annotation.
      cacheDir: ws.cache,
      workers: params.train.workers,
      flips: false,
      log,
    });
    if (embedded.backbone.id !== info.backbone.id) {
      if (embedded.backbone.embeddingSize !== info.backbone.embeddingSize) {
        throw new VitrineError(
          'MODEL_BACKBONE_MISMATCH',
          `The model in "${modelDir}" was trained on backbone ${info.backbone.id} ` +
            `(${info.backbone.embeddingSize} values per image), but ${embedded.backbone.id} ` +
            `gives ${embedded.backbone.embeddingSize}. Retrain the model.`,
          { modelDir },
        );
      }
      log.warn(
        `The model was trained on backbone ${info.backbone.id} but this installation ` +
          `has ${embedded.backbone.id}; its predictions may be off until it is retrained.`,
      );
    }
    const { kept, leftOut } = splitByEmbedding({ objects, vectors: embedded.vectors });
    const x = kept.map((o) => embedded.vectors.get(o.imageMd5)!);
    const probabilities = predictProbabilities({ tf, model, x });
    const predictions = kept.map((o, i) => toPrediction({ id: o.id, row: probabilities[i]!, labels: info.labels }));
    return {
      info,
      backend,
      ids: kept.map((o) => o.id),
      probabilities,
      predictions,
      embeddings: { computed: embedded.computed, fromCache: embedded.fromCache },
      leftOut: leftOut.map(({ id, image }) => ({ id, image })),
    };
  } finally {
    model.dispose();
  }
}

/**
 * Predict a label for each object with the model in `modelDir` (the contract used by annotation). An
 * object whose image has no usable embedding gets no prediction, with a warning naming it; when no
 * object has one, PREDICT_NO_EMBEDDINGS.
 */
export async function predictObjects({
  ws,
  params,
  modelDir,
  objects,
  log,
}: {
  ws: Workspace;
  params: Params;
  modelDir: string;
  objects: ObjectToClassify[];
  log: Logger;
}): Promise<Prediction[]> {
  const classified = await classifyObjects({ ws, params, modelDir, objects, log });
  if (classified.ids.length === 0 && classified.leftOut.length > 0)
    throw leftOutError({
      code: 'PREDICT_NO_EMBEDDINGS',
      problem: 'The model cannot answer for any object',
      leftOut: classified.leftOut,
    });
  warnLeftOut({
    leftOut: classified.leftOut,
    what: 'prediction',
    consequence: `${classified.leftOut.length === 1 ? 'It gets' : 'They get'} no machine annotation.`,
    log,
  });
  return classified.predictions;
}
