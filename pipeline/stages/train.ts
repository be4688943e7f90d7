import path from 'node:path';
import { readDataset } from '../dataset/build.ts';
import { VitrineError } from '../errors.ts';
import { labelledObjects } from '../evaluate/oof.ts';
import { selectBackend } from '../model/backend.ts';
import { embedImages } from '../model/embed.ts';
import { type HeadHistory, historyForInfo, type LabelledVectors, l2FoldsMarker, trainHead } from '../model/head.ts';
import { saveModel } from '../model/io.ts';
import { leftOutError, splitByEmbedding, warnLeftOut } from '../model/left-out.ts';
import { FLAGGED_RULE, flaggedLabels } from '../review/flagged.ts';
import type { Dataset, DatasetObject, LeftOut, ModelInfo } from '../types.ts';
import { plural } from '../words.ts';
import { hashJson } from './graph.ts';
import type { Stage } from './stage.ts';

/** The train stage: dataset → embeddings (cached by content) → classifier head → `.vitrine/model/`. */
export const trainStage: Stage = {
  name: 'train',
  summary:
    'Embed the images with the pretrained backbone (reusing cached embeddings) and train the classifier head on ' +
    'the labelled training objects.',
  deps: {
    // Not the whole dataset: only what the model reads from it, through `fingerprint`, so a
    // title edited in data/objects.csv does not retrain (nor register a new version).
    paths: [],
    // The split settings are written into model-info.json.
    params: ['backbone', 'train', 'dataset.split'],
    stages: [],
    after: ['dataset'],
  },
  outs: ['.vitrine/model'],
  async fingerprint({ ws, params }) {
    const dataset = await readDataset({ ws }).catch(() => null);
    // The folds that choose the lbfgs head's L2 deal photographs, not rows (l2Folds): a model whose L2 was chosen on
    // folds that split a photograph's rows (train.augment, objects sharing one) is trained again, once.
    const inputs = {
      ...(trainInputs(dataset) as object),
      ...l2FoldsMarker({
        params: params.train,
        photographs: dataset ? trainingObjects(dataset).train.map((o) => o.imageMd5) : [],
      }),
    };
    if (params.train.flagged !== 'drop') return inputs;
    // train.flagged: drop cross-validates every labelled object (the test split's too) with the evaluate
    // stage's folds and sample to find the labels to leave out: those, and how they are found, shape the model.
    const { folds, cv_max_objects } = params.evaluate;
    return {
      ...inputs,
      flagged: {
        rule: FLAGGED_RULE,
        evaluate: { folds, cv_max_objects },
        labelled: dataset ? hashJson(labelledObjects(dataset).map((o) => `${o.imageMd5} ${o.label}`)) : null,
      },
    };
  },
  async run({ ws, params, log }) {
    const dataset = await readDataset({ ws });
    const labels = dataset.labels;
    const classOf = new Map(labels.map((l, i) => [l, i]));
    const split = trainingObjects(dataset);
    let trainObjects = split.train;
    let validationObjects = split.validation;
    if (trainObjects.length === 0) {
      throw new VitrineError(
        'TRAIN_EMPTY',
        'No labelled objects with images are in the training split, so there is nothing to learn from. Add ' +
          'labels to labels.csv (and images to data/) and run again.',
        {},
      );
    }
    const missing = labels.filter((l) => !trainObjects.some((o) => o.label === l));
    if (missing.length > 0)
      log.warn(
        `No training objects are labelled ${missing.map((l) => `"${l}"`).join(', ')}: the model cannot ` +
          `learn ${missing.length === 1 ? 'that label' : 'those labels'} until some are.`,
      );

    const backend = await selectBackend({ preference: params.train.backend, log });
    // train.flagged: drop: leave out the labels confident learning finds likely wrong (docs/metrics.md).
    const found =
      params.train.flagged === 'drop' ? await flaggedLabels({ ws, params, dataset, tf: backend.tf, log }) : null;
    const flagged = found?.ids ?? new Set<string>();
    const leftOutFlagged = [...trainObjects, ...validationObjects]
      .filter((o) => flagged.has(o.id))
      .map((o) => ({ id: o.id, label: o.label ?? '' }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const dropped = leftOutFlagged.length;
    if (dropped > 0) {
      trainObjects = trainObjects.filter((o) => !flagged.has(o.id));
      validationObjects = validationObjects.filter((o) => !flagged.has(o.id));
      log.info(
        `Leaving out ${dropped} training and validation objects whose labels look wrong (train.flagged: drop; ` +
          `\`vitrine review\` lists them).`,
      );
    }
    log.info(
      // "87 objects (18 for validation)" read as 18 of the 87 (a tester): they are 18 more.
      `Training on ${plural(trainObjects.length, 'object')}, with ` +
        `${validationObjects.length === 0 ? 'none' : `${validationObjects.length} more`} set aside to check it as ` +
        `it learns (validation), on the ${backend.name} backend.`,
    );
    const embedStart = Date.now();
    const itemsOf = (objects: DatasetObject[]) => {
      const files = new Map<string, string>();
      for (const o of objects) if (!files.has(o.imageMd5)) files.set(o.imageMd5, path.resolve(ws.data, o.image));
      return [...files].map(([key, file]) => ({ key, file }));
    };
    const embed = (objects: DatasetObject[], flips: boolean) =>
      embedImages({
        items: itemsOf(objects),
        params,
        root: ws.root,
        cacheDir: ws.cache,
        workers: params.train.workers,
        flips,
        log,
      });
    // Only training images are mirrored (augmentation); validation images are embedded once.
    const trainEmbedded = await embed(trainObjects, params.train.augment);
    const validationEmbedded = validationObjects.length > 0 ? await embed(validationObjects, false) : null;
    const embedded = {
      vectors: new Map([...trainEmbedded.vectors, ...(validationEmbedded?.vectors ?? [])]),
      flipped: trainEmbedded.flipped,
      computed: trainEmbedded.computed + (validationEmbedded?.computed ?? 0),
      fromCache: trainEmbedded.fromCache + (validationEmbedded?.fromCache ?? 0),
      backbone: trainEmbedded.backbone,
    };
    const embedMs = Date.now() - embedStart;
    const leftOut = leaveOutUnembedded({ train: trainObjects, validation: validationObjects, labels, embedded });
    trainObjects = leftOut.train;
    validationObjects = leftOut.validation;
    warnLeftOut({ leftOut: leftOut.objects, what: 'training', log });

    const vectorsOf = (objects: DatasetObject[], withFlips: boolean): LabelledVectors => {
      // keys: the image of each row, so that a photograph and its mirror image are sampled together.
      // ids: so that a refusal (a vector that is not numbers) names the objects, not their images' hashes.
      const out: LabelledVectors & { keys: string[]; ids: string[] } = { x: [], y: [], keys: [], ids: [] };
      for (const o of objects) {
        const c = classOf.get(o.label!)!;
        out.x.push(embedded.vectors.get(o.imageMd5)!);
        out.y.push(c);
        out.keys.push(o.imageMd5);
        out.ids.push(o.id);
        const f = withFlips ? embedded.flipped.get(o.imageMd5) : undefined;
        if (f) {
          out.x.push(f);
          out.y.push(c);
          out.keys.push(o.imageMd5);
          out.ids.push(o.id);
        }
      }
      return out;
    };
    const train = vectorsOf(trainObjects, params.train.augment);
    const validation = vectorsOf(validationObjects, false);

    const trainStart = Date.now();
    const { model, history } = await trainHead({
      tf: backend.tf,
      train,
      validation,
      labels,
      params: params.train,
      log,
    });
    const trainMs = Date.now() - trainStart;
    const info: ModelInfo = {
      schema: 'vitrine.model/1',
      labels,
      // The full backbone description (with its input range and layer) so predictions can rebuild it.
      backbone: embedded.backbone,
      backend: backend.name,
      seed: params.train.seed,
      epochs: history.epochs,
      history: historyForInfo(history),
      ...(history.l2 === undefined ? {} : { l2: history.l2 }),
      // The card lists the labels left out, with the label each had (what the public and staff could not see).
      ...(found
        ? {
            flagged: {
              l2: found.l2,
              ids: [...found.ids].sort(),
              leftOut: leftOutFlagged,
              // Why nothing could be left out, for the model card to say (not "none was found").
              ...(found.unchecked ? { unchecked: found.unchecked } : {}),
            },
          }
        : {}),
      // The model card says how it was fitted (iterations, how L2 was chosen) from this.
      ...(history.lbfgs === undefined ? {} : { lbfgs: history.lbfgs }),
      trainCount: trainObjects.length,
      validationCount: validationObjects.length,
      ...leftOutField(leftOut.objects),
      durationMs: { embed: embedMs, train: trainMs },
      embeddings: { computed: embedded.computed, fromCache: embedded.fromCache },
      // So that an evaluation using this model as its baseline can leave out what it learnt from.
      split: {
        settings: {
          validation: params.dataset.split.validation,
          test: params.dataset.split.test,
          salt: params.dataset.split.salt,
        },
        trainImages: sortedImages(trainObjects),
        validationImages: sortedImages(validationObjects),
      },
    };
    try {
      await saveModel({ dir: ws.model, model, info });
    } finally {
      model.dispose();
    }
    return {
      summary: trainSummary({
        trainObjects: trainObjects.length,
        embedded,
        backend: backend.name,
        dropped: params.train.flagged === 'drop' ? dropped : null,
        leftOut: leftOut.objects.length,
        history,
      }),
    };
  },
};

/**
 * The train stage's summary (the run log, and the stage table of the pull-request comment's "Where this result comes
 * from"), in plain words with the terms in brackets after them (testers read "L2", "embeddings", "backend" and
 * "epochs" there as jargon): "42 training objects, each photograph described by the image model (0 newly, 48
 * reused), run on wasm (backend), trained until it stopped improving (36 steps), held back from fitting the
 * training photographs too closely at strength 0.01 (its L2 penalty, one of train.l2_choices), at best 66.7% of the
 * validation objects right".
 */
export function trainSummary({
  trainObjects,
  embedded,
  backend,
  dropped,
  leftOut,
  history,
}: {
  trainObjects: number;
  embedded: { computed: number; fromCache: number };
  backend: string;
  /** Flagged labels left out (train.flagged drop), or null when they are kept. */
  dropped: number | null;
  leftOut: number;
  history: HeadHistory;
}): string {
  const valAcc = history.valAccuracy[history.bestEpoch];
  return [
    plural(trainObjects, 'training object'),
    `each photograph described by the image model (${embedded.computed} newly, ${embedded.fromCache} reused)`,
    `run on ${backend} (backend)`,
    ...(dropped === null ? [] : [`${plural(dropped, 'flagged label')} left out`]),
    ...(leftOut > 0 ? [`${plural(leftOut, 'object')} left out (the image model could not use the photograph)`] : []),
    fitWords(history),
    valAcc === undefined
      ? 'no validation objects'
      : `at best ${(valAcc * 100).toFixed(1)}% of the validation objects right`,
  ].join(', ');
}

/**
 * How the head was fitted: "25 passes over the training objects (epochs), stopped early"; for the lbfgs head,
 * which runs no epochs, "trained until it stopped improving (47 steps), held back from fitting … at strength 0.1
 * (its L2 penalty, one of train.l2_choices)".
 */
function fitWords(history: HeadHistory): string {
  const f = history.lbfgs;
  if (f) {
    const fit = f.converged
      ? `trained until it stopped improving (${plural(f.iterations, 'step')})`
      : `stopped at its limit of ${f.iterations} steps, still improving`;
    return (
      fit +
      (history.l2 === undefined
        ? ''
        : `, held back from fitting the training photographs too closely at strength ${history.l2} ` +
          '(its L2 penalty, one of train.l2_choices)')
    );
  }
  const passes = `${history.epochs} ${history.epochs === 1 ? 'pass' : 'passes'} over the training objects (epochs)`;
  return `${passes}${history.stoppedEarly ? ', stopped early' : ''}`;
}

/** How many left-out objects metrics.json and model-info.json name (the count is always whole). */
export const LEFT_OUT_IDS = 20;

/**
 * `{ leftOut }` for model-info.json or metrics.json naming `objects` (the first LEFT_OUT_IDS), or nothing
 * when there are none: a file written when nothing was left out reads like one from before it was recorded.
 */
export function leftOutField(objects: { id: string }[]): { leftOut?: LeftOut } {
  if (objects.length === 0) return {};
  return { leftOut: { objects: objects.length, ids: objects.slice(0, LEFT_OUT_IDS).map((o) => o.id) } };
}

/**
 * Training and validation objects without those whose image has no usable embedding (the backbone gave
 * values that are not numbers). Stops when no training object is left, or when a label loses every
 * training object it had: a model that silently never answers that label is worse than no new model.
 */
export function leaveOutUnembedded({
  train,
  validation,
  labels,
  embedded,
}: {
  train: DatasetObject[];
  validation: DatasetObject[];
  labels: string[];
  embedded: { vectors: { has(key: string): boolean } };
}): { train: DatasetObject[]; validation: DatasetObject[]; objects: DatasetObject[] } {
  const t = splitByEmbedding({ objects: train, vectors: embedded.vectors });
  const v = splitByEmbedding({ objects: validation, vectors: embedded.vectors });
  const objects = [...t.leftOut, ...v.leftOut];
  if (objects.length === 0) return { train, validation, objects };
  if (t.kept.length === 0)
    throw leftOutError({
      code: 'TRAIN_NO_EMBEDDINGS',
      problem:
        (train.length === 1
          ? 'The only training object has no usable embedding'
          : `None of the ${train.length} training objects has a usable embedding`) +
        ', so there is nothing to learn from',
      leftOut: t.leftOut,
    });
  const lost = labels.filter((l) => train.some((o) => o.label === l) && !t.kept.some((o) => o.label === l));
  if (lost.length > 0)
    throw leftOutError({
      code: 'TRAIN_TOO_FEW_EMBEDDINGS',
      problem:
        `No training object labelled ${lost.map((l) => `"${l}"`).join(', ')} has a usable embedding, so the model ` +
        `could not learn ${lost.length === 1 ? 'that label' : 'those labels'}`,
      leftOut: t.leftOut.filter((o) => lost.includes(o.label!)),
      data: { labels: lost },
    });
  return { train: t.kept, validation: v.kept, objects };
}

/** The labelled objects with images the head learns from (train) and picks its epoch on (validation), in dataset order. */
export function trainingObjects(dataset: Dataset): { train: DatasetObject[]; validation: DatasetObject[] } {
  const known = new Set(dataset.labels);
  const usable = (o: DatasetObject) => o.label !== null && known.has(o.label) && o.image !== '' && o.imageMd5 !== '';
  return {
    train: dataset.objects.filter((o) => o.split === 'train' && usable(o)),
    validation: dataset.objects.filter((o) => o.split === 'validation' && usable(o)),
  };
}

/**
 * Exactly what training reads from the dataset: the class vocabulary and, in the order training
 * sees them, each training and validation object's image (by md5) and label. Titles, makers, test
 * objects, thumbnails and file names are not in it.
 */
export function trainInputs(dataset: Dataset | null): unknown {
  if (!dataset) return { dataset: 'absent' };
  const { train, validation } = trainingObjects(dataset);
  const rows = (objects: DatasetObject[]) => objects.map((o) => `${o.imageMd5} ${o.label}`);
  return { labels: dataset.labels, train: hashJson(rows(train)), validation: hashJson(rows(validation)) };
}

/** The md5 of the objects' images, sorted, each once. */
function sortedImages(objects: DatasetObject[]): string[] {
  return [...new Set(objects.map((o) => o.imageMd5))].sort();
}
