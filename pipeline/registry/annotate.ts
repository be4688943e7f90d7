import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { type ReviewFile, readReview, reasonOf } from '../review/index.ts';
import type { Annotation, Dataset, DatasetObject, Metrics, Prediction } from '../types.ts';

/** The model engineer's prediction entry point (`pipeline/model/predict.ts`). */
export type PredictObjects = (input: {
  ws: Workspace;
  params: Params;
  modelDir: string;
  objects: DatasetObject[];
  log: Logger;
}) => Promise<Prediction[]>;

/** `.vitrine/registry/annotations.json` */
export function annotationsFile(ws: Workspace): string {
  return path.join(ws.registry, 'annotations.json');
}

/** Read `.vitrine/dataset/dataset.json`, with a plain message when the dataset stage has not run. */
export async function readDataset({ ws }: { ws: Workspace }): Promise<Dataset> {
  const file = path.join(ws.dataset, 'dataset.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Dataset;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VitrineError(
        'DATASET_MISSING',
        'The dataset has not been built yet (.vitrine/dataset/dataset.json is missing). Run "vitrine run dataset" first.',
        { file },
      );
    }
    throw new VitrineError(
      'DATASET_UNREADABLE',
      `.vitrine/dataset/dataset.json cannot be read: ${(error as Error).message}. Run "vitrine run dataset" again.`,
      { file },
      { cause: error },
    );
  }
}

async function defaultPredict(): Promise<PredictObjects> {
  // Loaded on first use: TF.js is heavy and only annotation needs it here.
  const mod = await import('../model/predict.ts');
  return mod.predictObjects;
}

/**
 * Turn predictions into annotations: add the model version, the human label and whether they agree;
 * with the evaluate stage's review list, each labelled object's `labelIssue` (null when its label
 * looks right).
 */
export function toAnnotations({
  predictions,
  objects,
  modelVersion,
  review,
  thresholds,
}: {
  predictions: Prediction[];
  objects: DatasetObject[];
  modelVersion: string;
  review?: ReviewFile | null;
  /** Per-label publication thresholds (metrics.json `publication`); null: never published. */
  thresholds?: Record<string, number | null> | null;
}): Annotation[] {
  const human = new Map(objects.map((o) => [o.id, o.label]));
  const issues = new Map((review?.items ?? []).map((i) => [i.id, i]));
  return predictions.map((p) => {
    const humanLabel = human.get(p.id) ?? null;
    const annotation: Annotation = {
      ...p,
      modelVersion,
      humanLabel,
      agrees: humanLabel === null ? null : humanLabel === p.label,
    };
    if (thresholds) {
      const t = thresholds[p.label];
      annotation.published = t !== null && t !== undefined && p.confidence >= t - 1e-12;
    }
    // A review from a model no better than guessing says nothing about the labels (review/index.ts).
    if (review && humanLabel !== null && review.agreement?.better !== false) {
      // Only an issue about the label the object still has (labels.csv may have changed since).
      const issue = issues.get(p.id);
      annotation.labelIssue =
        issue && issue.label === humanLabel
          ? { score: issue.score, suggested: issue.suggested, flagged: reasonOf(issue, review.agreement) === 'flagged' }
          : null;
    }
    return annotation;
  });
}

/**
 * The publication thresholds the evaluate stage chose (annotate.min_precision), or null when its
 * metrics.json has none. They come from the latest evaluation, which is the promoted model's at
 * promotion.
 */
async function thresholdsIfAny(ws: Workspace): Promise<Record<string, number | null> | null> {
  try {
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Partial<Metrics>;
    return metrics.publication?.thresholds ?? null;
  } catch {
    return null;
  }
}

/** The evaluate stage's review list, or null when it has not written one. */
async function reviewIfAny(ws: Workspace): Promise<ReviewFile | null> {
  return readReview({ ws }).catch(() => null);
}

/**
 * The promoted model predicts every object of the collection (objects without an image are
 * skipped); predictions reuse the content-keyed embedding cache, so only new or changed images
 * cost a backbone pass. Returns the annotations without writing them.
 */
export async function predictAnnotations({
  ws,
  params,
  modelDir,
  modelVersion,
  log,
  predict,
}: {
  ws: Workspace;
  params: Params;
  modelDir: string;
  modelVersion: string;
  log: Logger;
  predict?: PredictObjects;
}): Promise<Annotation[]> {
  const dataset = await readDataset({ ws });
  const objects = dataset.objects.filter((o) => o.image !== '');
  const run = predict ?? (await defaultPredict());
  const predictions = await run({ ws, params, modelDir, objects, log });
  return toAnnotations({
    predictions,
    objects,
    modelVersion,
    review: await reviewIfAny(ws),
    thresholds: await thresholdsIfAny(ws),
  }).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Write `.vitrine/registry/annotations.json` and say how often the model agrees with people. */
export async function writeAnnotations({
  ws,
  annotations,
  log,
}: {
  ws: Workspace;
  annotations: Annotation[];
  log: Logger;
}): Promise<string> {
  const file = annotationsFile(ws);
  await writeJsonAtomic({ file, value: annotations });
  const labelled = annotations.filter((a) => a.agrees !== null);
  const agree = labelled.filter((a) => a.agrees).length;
  const version = annotations[0]?.modelVersion ?? 'none';
  const unsure = annotations.filter((a) => a.published === false).length;
  log.info(
    `Annotated ${annotations.length} objects with model ` +
      `${version}${labelled.length ? `; it agrees with the human label on ${agree} of ${labelled.length} labelled objects` : ''}` +
      `${unsure ? `; ${unsure} annotations are below their label's publication threshold and wait for staff` : ''}.`,
  );
  return file;
}

/** Predict every object with a model and write `.vitrine/registry/annotations.json`. */
export async function annotateCollection(input: {
  ws: Workspace;
  params: Params;
  modelDir: string;
  modelVersion: string;
  log: Logger;
  predict?: PredictObjects;
}): Promise<{ annotations: Annotation[]; file: string }> {
  const annotations = await predictAnnotations(input);
  const file = await writeAnnotations({ ws: input.ws, annotations, log: input.log });
  return { annotations, file };
}
