import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseLabels } from '../collection/index.ts';
import { labelLinesAsRead } from '../dataset/labels-as-read.ts';
import { readDataset } from '../dataset/read.ts';
import { messageOf } from '../errors.ts';
import { type FamiliarityCut, referenceObjects, unfamiliarity } from '../evaluate/familiarity.ts';
import { writeJsonAtomic } from '../fs.ts';
import { readFileAtRef } from '../git/repo.ts';
import type { Logger } from '../log.ts';
import type { Tf } from '../model/head.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { type ReviewFile, readReview, reasonOf } from '../review/index.ts';
import type { LookAlike } from '../review/look-alike.ts';
import type { Annotation, Dataset, DatasetObject, LabelLine, Metrics, Prediction } from '../types.ts';
import { previousAnnotations, recordAnnotationChanges } from './annotation-changes.ts';
import { recordAnnotationsMade } from './coverage.ts';
import { evaluatedModel, folderIdentity, OTHER_MODEL_WORDS } from './identity.ts';
import { holdRetiredTypes } from './retired-types.ts';

/** The model engineer's prediction entry point (`pipeline/model/predict.ts`). */
export type PredictObjects = (input: {
  ws: Workspace;
  params: Params;
  modelDir: string;
  objects: DatasetObject[];
  log: Logger;
}) => Promise<Prediction[]>;

/** The embeddings (by image md5) of objects' photographs, through the embedding cache. */
export type EmbedObjects = (input: {
  objects: Pick<DatasetObject, 'image' | 'imageMd5'>[];
}) => Promise<Map<string, Float32Array>>;

/** `.vitrine/registry/annotations.json` */
export function annotationsFile(ws: Workspace): string {
  return path.join(ws.registry, 'annotations.json');
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
  unfamiliar,
  learnt,
}: {
  predictions: Prediction[];
  objects: DatasetObject[];
  modelVersion: string;
  review?: ReviewFile | null;
  /**
   * The objects whose label changed since the annotating model was trained, with the label it learnt (null: none);
   * their `humanLabel` is that one, so the catalogue tells a correction since from the model's disagreement.
   */
  learnt?: Map<string, string | null> | null;
  /** Per-label publication thresholds (metrics.json `publication`); null: never published. */
  thresholds?: Record<string, number | null> | null;
  /** Ids of objects whose photographs are unlike the labelled ones (annotate.familiarity): never published. */
  unfamiliar?: Set<string> | null;
}): Annotation[] {
  const human = new Map(objects.map((o) => [o.id, o.label]));
  const photographs = new Map(objects.map((o) => [o.id, o.imageMd5]));
  const issues = new Map((review?.items ?? []).map((i) => [i.id, i]));
  return predictions.map((p) => {
    // Today's label, which the model agrees with or not; the one it learnt, where staff changed it since.
    const staffLabel = human.get(p.id) ?? null;
    const humanLabel = learnt?.has(p.id) ? (learnt.get(p.id) ?? null) : staffLabel;
    const annotation: Annotation = {
      ...p,
      modelVersion,
      humanLabel,
      // Named where it is not the label learnt, so that the record does not contradict itself (agrees is against it).
      ...(humanLabel !== staffLabel ? { staffLabel } : {}),
      agrees: staffLabel === null ? null : staffLabel === p.label,
    };
    const photograph = photographs.get(p.id);
    if (photograph) annotation.imageMd5 = photograph;
    if (thresholds) {
      annotation.published = sureEnough({ thresholds, prediction: p });
      // Not "below the confidence asked for": no confidence would do (the page says which).
      if (thresholds[p.label] === null || thresholds[p.label] === undefined) annotation.noThreshold = true;
      if (annotation.published && unfamiliar?.has(p.id)) {
        annotation.published = false;
        annotation.unfamiliar = true;
      }
    }
    // A review from a model no better than guessing says nothing about the labels (review/index.ts).
    if (review && staffLabel !== null && review.agreement?.better !== false) {
      // Only an issue about the label the object still has (labels.csv may have changed since).
      const issue = issues.get(p.id);
      annotation.labelIssue =
        issue && issue.label === staffLabel
          ? {
              score: issue.score,
              suggested: issue.suggested,
              flagged: reasonOf(issue, review.agreement) === 'flagged',
              label: staffLabel,
              // With the similarity, for the catalogue to say how alike the photographs are (review/look-alike.ts).
              ...(issue.lookAlike ? { lookAlike: alikeOf(issue.lookAlike) } : {}),
              ...(issue.lookAlikes ? { lookAlikes: issue.lookAlikes.map(alikeOf) } : {}),
            }
          : null;
    }
    return annotation;
  });
}

/** A look-alike as the annotations carry it: id, label and the photographs' similarity. */
function alikeOf({ id, label, similarity }: LookAlike): { id: string; label: string; similarity: number } {
  return { id, label, similarity };
}

/** Whether a prediction reaches its label's publication threshold (a label without one never does). */
function sureEnough({
  thresholds,
  prediction,
}: {
  thresholds: Record<string, number | null>;
  prediction: Prediction;
}): boolean {
  const t = thresholds[prediction.label];
  return t !== null && t !== undefined && prediction.confidence >= t - 1e-12;
}

/** Whether a publication rule has a threshold for at least one label (none: nothing can be published as fact). */
export function hasThresholds({ publication }: { publication: Metrics['publication'] | null | undefined }): boolean {
  return Object.values(publication?.thresholds ?? {}).some((t) => t !== null && t !== undefined);
}

/**
 * The publication rule the workspace's latest evaluation chose (annotate.min_precision), for annotating with the
 * model in `modelDir`: undefined when its metrics.json has none (nothing decides `published`, as before
 * thresholds existed), null when metrics.json evaluated another model (its thresholds are on that model's
 * confidence scale: nothing is published as fact, and the log says why). Only for annotating with the model
 * evaluated here: a registered version is judged by the thresholds stored with it (`publication` of
 * predictAnnotations).
 */
async function workspacePublication({
  ws,
  modelDir,
  log,
}: {
  ws: Workspace;
  modelDir: string;
  log: Logger;
}): Promise<Metrics['publication'] | null | undefined> {
  let metrics: Partial<Metrics>;
  try {
    metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Partial<Metrics>;
  } catch {
    return undefined;
  }
  if (!metrics.publication) return undefined;
  // A folder without model-info.json cannot be identified: judged as before identities were recorded.
  const identity = await folderIdentity({ dir: modelDir }).catch(() => null);
  if (evaluatedModel({ metrics, identity }) === 'other') {
    log.warn(
      `None of these annotations is published as fact: ${OTHER_MODEL_WORDS}. The model annotating the ` +
        'collection was trained or copied after that evaluation, so its thresholds do not fit this model.',
    );
    return null;
  }
  return metrics.publication;
}

/**
 * Why no annotation of `version` can be published as fact under `publication` (words for the log, after
 * "because"), or null when some can. `otherModel`: the rule was refused as another model's.
 */
export function nothingPublishedWhy({
  publication,
  version,
  otherModel = false,
}: {
  publication: Metrics['publication'] | null | undefined;
  version: string;
  otherModel?: boolean;
}): string | null {
  if (hasThresholds({ publication })) return null;
  if (otherModel) return OTHER_MODEL_WORDS;
  if (publication && Object.keys(publication.thresholds).length > 0)
    return (
      `no type reached the wanted precision of ${publication.minPrecision} on the labelled objects, so nothing ` +
      'is published as fact'
    );
  return `model version ${version} has no publication thresholds`;
}

/**
 * The ids of `objects` whose photographs lie beyond the evaluation's familiarity cut from the labelled
 * photographs (the same reference evaluate measured it on). An object whose image has no vector is left
 * to the rest of annotation (it gets no prediction).
 */
export async function unfamiliarObjects({
  objects,
  dataset,
  cut,
  embed,
  tf,
  log,
}: {
  objects: Pick<DatasetObject, 'id' | 'image' | 'imageMd5'>[];
  dataset: Dataset;
  cut: FamiliarityCut;
  embed: EmbedObjects;
  tf: Tf;
  log: Logger;
}): Promise<Set<string>> {
  const reference = referenceObjects({ objects: dataset.objects, labels: dataset.labels });
  const vectors = await embed({ objects: [...reference, ...objects] });
  const rows = reference.map((o) => vectors.get(o.imageMd5)).filter((v) => v !== undefined);
  const scored = objects.filter((o) => vectors.has(o.imageMd5));
  if (scored.length === 0) return new Set();
  if (rows.length <= cut.k) {
    // Said, not silent: staff would otherwise trust a check that did not run (photographs missing on this machine).
    log.warn(
      `The check for photographs unlike the labelled ones could compare with only ${rows.length} labelled ` +
        `photographs (it needs more than ${cut.k}), so no annotation is held back for it this time ` +
        '(the photographs of labelled objects are missing here, or too few objects are labelled).',
    );
    return new Set();
  }
  const distance = await unfamiliarity({
    tf,
    reference: rows,
    queries: scored.map((o) => vectors.get(o.imageMd5)!),
    k: cut.k,
  });
  return new Set(scored.filter((_, i) => distance[i]! > cut.cut).map((o) => o.id));
}

/**
 * Whether the annotating model embeds photographs with the backbone the familiarity cut was measured in
 * (a cut without one, or a model without model-info.json, is taken to match). Says so when not.
 */
async function sameBackbone({
  cut,
  modelDir,
  log,
}: {
  cut: FamiliarityCut;
  modelDir: string;
  log: Logger;
}): Promise<boolean> {
  if (!cut.backbone) return true;
  const { readModelInfo } = await import('../model/io.ts');
  const info = await readModelInfo({ dir: modelDir }).catch(() => null);
  if (!info || info.backbone.id === cut.backbone) return true;
  log.warn(
    `This model sees photographs through another backbone (${info.backbone.id}) than the evaluated one ` +
      `(${cut.backbone}), so annotations of photographs unlike the labelled ones are not held back this time ` +
      '("vitrine run" evaluates it and brings the check back).',
  );
  return false;
}

/** The evaluate stage's review list, or null when it has not written one. */
export async function reviewIfAny(ws: Workspace): Promise<ReviewFile | null> {
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
  embed,
  publication: own,
  learnt,
  review,
}: {
  ws: Workspace;
  params: Params;
  modelDir: string;
  modelVersion: string;
  log: Logger;
  /** The labels found likely wrong (`labelIssue`); absent: the workspace's latest evaluation's, if any. */
  review?: ReviewFile | null;
  /** Labels changed since the model was trained, with the label it learnt (`labelsChangedSince`). */
  learnt?: Map<string, string | null> | null;
  predict?: PredictObjects;
  /** Embeddings for the familiarity check; by default the model's backbone through the embedding cache. */
  embed?: EmbedObjects;
  /**
   * The annotating version's own publication rule (the `publication` of the metrics.json registered with it);
   * null when it has none: nothing is published as fact. Absent: the workspace's latest evaluation (the model
   * evaluated here).
   */
  publication?: Metrics['publication'] | null;
}): Promise<Annotation[]> {
  const dataset = await readDataset({ ws });
  const objects = dataset.objects.filter((o) => o.image !== '');
  const run = predict ?? (await defaultPredict());
  const predictions = await run({ ws, params, modelDir, objects, log });
  const publication = own === undefined ? await workspacePublication({ ws, modelDir, log }) : own;
  // The cut is the version's; the labelled photographs it is read against are today's (the dataset may have grown).
  const cut = params.annotate.familiarity ? publication?.familiarity : undefined;
  let unfamiliar: Set<string> | null = null;
  // No label has a threshold in {}: a version without a rule of its own, or a rule refused as another model's,
  // publishes nothing (publish.ts and workspacePublication say why).
  const thresholds = publication === null ? {} : publication?.thresholds;
  // A model rolled back to, on another backbone, measures distances that cannot be read against this cut.
  if (cut && thresholds && (await sameBackbone({ cut, modelDir, log }))) {
    // Loaded on first use, as for prediction: TF.js is heavy.
    const [{ selectBackend }, { readModelInfo }, { embedObjects }] = await Promise.all([
      import('../model/backend.ts'),
      import('../model/io.ts'),
      import('../evaluate/oof.ts'),
    ]);
    const quiet: Logger = { ...log, info: (m) => log.debug(m) };
    const { tf } = await selectBackend({ preference: params.train.backend, log: quiet });
    const info = embed ? null : await readModelInfo({ dir: modelDir });
    const vectorsOf: EmbedObjects =
      embed ?? (async ({ objects: wanted }) => embedObjects({ ws, params, info, objects: wanted, log: quiet }));
    // Only annotations sure enough to be published can be held back: the others wait for staff already, and
    // comparing fewer photographs keeps a large catalogue's annotation short.
    const sure = new Set(predictions.filter((p) => sureEnough({ thresholds, prediction: p })).map((p) => p.id));
    unfamiliar = await unfamiliarObjects({
      objects: objects.filter((o) => sure.has(o.id)),
      dataset,
      cut,
      embed: vectorsOf,
      tf,
      log,
    });
  }
  const annotations = toAnnotations({
    predictions,
    objects,
    modelVersion,
    review: review === undefined ? await reviewIfAny(ws) : review,
    thresholds: thresholds ?? null,
    unfamiliar,
    learnt,
  }).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // A model rolled back to may guess types renamed or removed since (retired-types.ts): never published.
  return holdRetiredTypes({ annotations, vocabulary: dataset.labels });
}

/**
 * The objects whose label in labels.csv (as the dataset stage read it: labels-as-read.ts) differs from the one a
 * registered model was trained on, with that one (null: unlabelled then), read from labels.csv at the commit its
 * registration records. Null when that cannot be
 * known: no commit recorded, the commit not in this clone (a shallow one), or labels.csv there not the file the
 * model was trained on (trained on edits not committed). A rollback annotates with an older model: a correction
 * made since is then told apart from the model's disagreement, as after a promotion.
 */
export async function labelsChangedSince({
  ws,
  trainedOn,
  log,
}: {
  ws: Workspace;
  trainedOn: { md5: string; commit: string | null };
  log: Logger;
}): Promise<Map<string, string | null> | null> {
  if (!trainedOn.commit) return null;
  const name = path.basename(ws.labels);
  let then: string | null;
  try {
    then = await readFileAtRef({ dir: ws.root, ref: trainedOn.commit, filepath: name });
  } catch (error) {
    log.debug(`labels.csv at ${trainedOn.commit} could not be read: ${messageOf(error)}`);
    return null;
  }
  if (then === null || createHash('md5').update(then).digest('hex') !== trainedOn.md5) return null;
  // Ids compared with their accents encoded alike (labels.csv saved again by a Mac relabels nothing); today's are
  // kept as written, as annotations name the objects.
  const raw = (lines: LabelLine[], key: (id: string) => string) =>
    new Map(lines.map((l) => [key(l.objectId), l.label.trim().normalize('NFC')]));
  let before: Map<string, string>;
  let now: Map<string, string>;
  try {
    const nfc = (id: string) => id.normalize('NFC');
    before = raw(parseLabels({ text: then, file: `${name} at ${trainedOn.commit.slice(0, 7)}` }), nfc);
    // As the dataset stage read labels.csv, as the annotations' staff labels are (dataset.json), not as a colleague
    // saved it since: a correction undone while the run trained was a label the model learnt, said as none.
    now = raw((await labelLinesAsRead({ ws })).lines, (id) => id);
  } catch (error) {
    // Only a refinement of the annotations: never a reason to stop (a rollback, a promotion).
    log.warn(
      `The labels this model was trained on could not be compared with this run's (${messageOf(error)}): objects ` +
        'relabelled since its training are judged as if it had learnt their new labels.',
    );
    return null;
  }
  const changed = new Map<string, string | null>();
  for (const [id, label] of now) {
    const was = before.get(id.normalize('NFC'));
    if (was !== label) changed.set(id, was ?? null);
  }
  return changed;
}

/** Write `.vitrine/registry/annotations.json` and say how often the model agrees with people. */
export async function writeAnnotations({
  ws,
  annotations,
  log,
  nothingPublished = null,
  quiet = false,
}: {
  ws: Workspace;
  annotations: Annotation[];
  log: Logger;
  /** The count annotated in the debug log only: a publication said next says its own (publishRegistry's recordOnly). */
  quiet?: boolean;
  /**
   * Why none can be published as fact under the annotating rule (`nothingPublishedWhy`), said instead of "below
   * their label's threshold"; null when some can.
   */
  nothingPublished?: string | null;
}): Promise<string> {
  const file = annotationsFile(ws);
  const before = await previousAnnotations({ file, version: annotations[0]?.modelVersion });
  await writeJsonAtomic({ file, value: annotations });
  // Made for today's dataset: objects the model could make nothing of are not taken for new ones later.
  await recordAnnotationsMade({ ws, annotations: file, madeBy: [...new Set(annotations.map((a) => a.modelVersion))] });
  await recordAnnotationChanges({ ws, before, after: annotations });
  const labelled = annotations.filter((a) => a.agrees !== null);
  const agree = labelled.filter((a) => a.agrees).length;
  const version = annotations[0]?.modelVersion ?? 'none';
  const unfamiliar = annotations.filter((a) => a.unfamiliar === true).length;
  const retired = annotations.filter((a) => a.retiredType === true).length;
  const unsure = annotations.filter((a) => a.published === false).length - unfamiliar - retired;
  log[quiet ? 'debug' : 'info'](
    `Annotated ${annotations.length} objects with model ` +
      `${version}${labelled.length ? `; it agrees with the human label on ${agree} of ${labelled.length} labelled objects` : ''}` +
      `${
        unsure && nothingPublished
          ? `; ${unsure} ${unsure === 1 ? 'annotation waits' : 'annotations wait'} for staff because ${nothingPublished}`
          : unsure
            ? `; ${unsure} ${unsure === 1 ? "annotation is below its label's" : "annotations are below their label's"} ` +
              `publication threshold and ${unsure === 1 ? 'waits' : 'wait'} for staff`
            : ''
      }` +
      `${
        unfamiliar
          ? `; ${unfamiliar} ${unfamiliar === 1 ? 'object waits' : 'objects wait'} for staff because ` +
            `${unfamiliar === 1 ? 'its photograph is' : 'their photographs are'} unlike the ones the model learnt from`
          : ''
      }` +
      `${
        retired
          ? `; ${retired} ${retired === 1 ? 'guess is' : 'guesses are'} not published because ` +
            `${retired === 1 ? 'its type is' : 'their types are'} no longer in collection.vocabulary`
          : ''
      }.`,
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
  embed?: EmbedObjects;
  publication?: Metrics['publication'] | null;
  /** Labels changed since the model was trained, with the label it learnt (`labelsChangedSince`). */
  learnt?: Map<string, string | null> | null;
  review?: ReviewFile | null;
  /** The count annotated in the debug log only (writeAnnotations). */
  quiet?: boolean;
}): Promise<{ annotations: Annotation[]; file: string }> {
  // Resolved once: the workspace's rule may be refused as another model's, which the log says once.
  const publication =
    input.publication === undefined
      ? await workspacePublication({ ws: input.ws, modelDir: input.modelDir, log: input.log })
      : input.publication;
  const annotations = await predictAnnotations({ ...input, publication });
  const file = await writeAnnotations({
    ws: input.ws,
    annotations,
    log: input.log,
    nothingPublished: nothingPublishedWhy({
      publication,
      version: input.modelVersion,
      otherModel: input.publication === undefined && publication === null,
    }),
    quiet: input.quiet ?? false,
  });
  return { annotations, file };
}
