import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readDataset } from '../dataset/read.ts';
import { VitrineError } from '../errors.ts';
import { pValueWords } from '../evaluate/verdict-words.ts';
import { writeJsonAtomic } from '../fs.ts';
import { type Clock, type Logger, systemClock } from '../log.ts';
import type { Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import type { Annotation, Dataset, DatasetObject } from '../types.ts';
import { listWords } from '../words.ts';
import { CLASSIFIER_FOLDS, classifierTwoSampleTest } from './classifier-test.ts';
import { IMAGE_STATS, type ImageStats, imageStatistics } from './image-stats.ts';
import {
  distancesFromGram,
  energyPermutationTest,
  gramMatrix,
  nearestByCosine,
  noveltyPermutationTest,
  quantile,
  shares,
  standardisedDifference,
  subsample,
  totalVariation,
  unitVectors,
} from './stats.ts';
import type {
  ClassifierDrift,
  DriftHistory,
  DriftHistoryEntry,
  DriftReport,
  DriftSide,
  EmbeddingDrift,
  ImageStatDrift,
  LabelDistributionDrift,
  NoveltyDrift,
  PooledDrift,
  UnfamiliarObject,
} from './types.ts';

export {
  energyDistance,
  energyPermutationTest,
  noveltyPermutationTest,
  standardisedDifference,
  totalVariation,
} from './stats.ts';

/*
 * Drift between two sets of objects: do the objects added since a model was trained look like the
 * ones it learned from? Three kinds of evidence, each with its threshold from params.monitor: the
 * backbone's embeddings (energy distance with a permutation test), simple image statistics, and the
 * production model's predicted-label mix. The objects furthest from anything in the reference are
 * named, because "these 12 photographs are unlike anything the model has seen" is what staff can act on.
 * The headline is a classifier two-sample test on the embeddings (classifier-test.ts): can a simple
 * classifier tell the new photographs from the reference ones?
 */

/** Predictions are compared only when both sides have at least this many (shares of fewer are noise). */
export const MIN_PREDICTIONS = 10;
/** Percentile of the reference's own nearest-neighbour distances above which a current object is "unusual". */
export const UNUSUAL_QUANTILE = 0.99;

/** The embedding function's shape (pipeline/model/embed.ts `embedImages`), passed in so tests and callers can choose. */
export type EmbedImages = (options: {
  items: { key: string; file: string }[];
  params: Params;
  root: string;
  cacheDir: string;
  workers: number;
  flips: false;
  log: Logger;
}) => Promise<{ vectors: Map<string, Float32Array>; backbone?: { id: string } }>;

/** The backbone's embedImages from pipeline/model/embed.ts, loaded when first needed. */
export async function defaultEmbed(): Promise<EmbedImages> {
  // Loaded lazily: TF.js and the backbone are only needed when drift is computed.
  const { embedImages } = await import('../model/embed.ts');
  return embedImages;
}

/** Read `.vitrine/registry/annotations.json`, or null when no model has annotated the collection. */
export async function readAnnotations({ ws }: { ws: Workspace }): Promise<Annotation[] | null> {
  const file = path.join(ws.registry, 'annotations.json');
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as unknown;
    // Accept a bare list or { annotations: [...] }.
    if (Array.isArray(value)) return value as Annotation[];
    if (value && typeof value === 'object' && Array.isArray((value as { annotations?: unknown }).annotations))
      return (value as { annotations: Annotation[] }).annotations;
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VitrineError(
      'ANNOTATIONS_UNREADABLE',
      `${rel(ws, file)} cannot be read (${(error as Error).message}).`,
      { file: rel(ws, file) },
      { cause: error },
    );
  }
}

export interface ComputeDriftOptions {
  ws: Workspace;
  params: Params;
  log: Logger;
  /** Reference object ids, or "train": the dataset's labelled training objects that are not in `current`. */
  reference?: string[] | 'train';
  /** Current object ids (e.g. the objects added since the reference). */
  current: string[];
  /** How each side is described in the report (kind, words, model version, ref); counts are filled in. */
  describe?: { reference?: Partial<Omit<DriftSide, 'count'>>; current?: Partial<Omit<DriftSide, 'count'>> };
  /** Model version the comparison is about (default: the annotations' version, if any). */
  modelVersion?: string | null;
  clock?: Clock;
  /** The dataset (default: read from `.vitrine/dataset/dataset.json`). */
  dataset?: Dataset;
  /** The production model's annotations (default: `.vitrine/registry/annotations.json`; null: none). */
  annotations?: Annotation[] | null;
  /** How to embed images (default: pipeline/model/embed.ts). */
  embed?: EmbedImages;
  /** Embedding workers (default: params.train.workers). */
  workers?: number;
  /**
   * A second group judged against the same reference (the pool of the objects added since and the unlabelled ones
   * beside them): its comparison becomes the report's `pooled`. Every photograph of both is embedded and measured
   * once, in one call: judged one after the other, the reference and the added objects went through the backbone
   * twice. `log` takes that group's notes (default: the report's log).
   */
  pooled?: { current: string[]; describe?: Partial<Omit<DriftSide, 'count'>>; log?: Logger };
}

/** Compare the reference and current objects on embeddings, image statistics and predicted labels. */
export async function computeDrift({
  ws,
  params,
  log,
  reference = 'train',
  current,
  describe = {},
  modelVersion,
  clock = systemClock,
  dataset,
  annotations,
  embed,
  workers,
  pooled,
}: ComputeDriftOptions): Promise<DriftReport> {
  const monitor = params.monitor;
  const data = dataset ?? (await readDataset({ ws }));
  const predictions = annotations === undefined ? await readAnnotations({ ws }) : annotations;
  const byId = new Map(data.objects.map((o) => [o.id, o]));
  // The reference is the same for both groups: it holds none of the objects judged.
  const currentSet = new Set([...current, ...(pooled?.current ?? [])]);
  const referenceIds =
    reference === 'train'
      ? data.objects.filter((o) => o.split === 'train' && o.label !== null && !currentSet.has(o.id)).map((o) => o.id)
      : reference;

  const refObjects = subsample({
    items: usable({ ids: referenceIds, byId, side: 'reference', log }),
    max: monitor.max_objects,
    seed: monitor.seed,
  });
  const group = (ids: string[], say: Logger) =>
    subsample({
      items: usable({ ids, byId, side: 'current', log: say }),
      max: monitor.max_objects,
      seed: monitor.seed + 1,
    });
  const curObjects = group(current, log);
  const poolObjects = pooled ? group(pooled.current, pooled.log ?? log) : [];
  const version = modelVersion === undefined ? (predictions?.[0]?.modelVersion ?? null) : modelVersion;

  // Each photograph of every group is measured once, and embedded once in one call (the backbone loads once).
  const fileOf = (o: DatasetObject) => path.join(ws.data, o.image);
  const itemsOf = (objects: DatasetObject[]) => uniqueItems(objects.map((o) => ({ key: o.imageMd5, file: fileOf(o) })));
  const stats = await imageStatistics({
    items: itemsOf([...refObjects, ...curObjects, ...poolObjects]),
    cacheFile: path.join(ws.cache, 'monitor', 'image-stats.json'),
    background: params.dataset.image.background,
    log,
  });
  // Only groups with something to compare are embedded, as when each was judged alone.
  const toEmbed = refObjects.length >= 2 ? [curObjects, poolObjects].filter((g) => g.length >= 1) : [];
  let embedded: { vectors: Map<string, Float32Array>; backbone?: { id: string } } | null = null;
  if (toEmbed.length > 0) {
    const embedImages = embed ?? (await defaultEmbed());
    embedded = await embedImages({
      items: itemsOf([...refObjects, ...toEmbed.flat()]),
      params,
      root: ws.root,
      // The same content-addressed cache training and annotation fill (embed.ts adds `embeddings/<config>`).
      cacheDir: ws.cache,
      workers: workers ?? params.train.workers,
      flips: false,
      log,
    });
  }
  const judged = (objects: DatasetObject[], given: Partial<Omit<DriftSide, 'count'>> | undefined, say: Logger) =>
    judge({
      params,
      data,
      predictions,
      refObjects,
      stats,
      embedded,
      version,
      clock,
      reference,
      curObjects: objects,
      describe: { reference: describe.reference, current: given },
      log: say,
    });
  const report = judged(curObjects, describe.current, log);
  if (pooled) {
    report.pooled = pooledDrift(judged(poolObjects, pooled.describe, pooled.log ?? log));
    report.summary = summarise(report);
  }
  return report;
}

/** One comparison of the reference with one group, from the image statistics and embeddings of both. */
function judge({
  params,
  data,
  predictions,
  refObjects,
  curObjects,
  stats,
  embedded,
  version,
  clock,
  log,
  reference,
  describe,
}: {
  params: Params;
  data: Dataset;
  predictions: Annotation[] | null;
  refObjects: DatasetObject[];
  curObjects: DatasetObject[];
  stats: Map<string, ImageStats>;
  /** The backbone's vectors of both sides; null when the comparison had too few objects to embed. */
  embedded: { vectors: Map<string, Float32Array>; backbone?: { id: string } } | null;
  version: string | null;
  clock: Clock;
  log: Logger;
  reference: string[] | 'train';
  describe: NonNullable<ComputeDriftOptions['describe']>;
}): DriftReport {
  const monitor = params.monitor;
  const referenceSide = side({
    defaults: {
      kind: reference === 'train' ? 'model-training' : 'objects',
      description: reference === 'train' ? 'the training objects' : 'the reference objects',
      modelVersion: version,
      ref: null,
    },
    given: describe.reference,
    count: refObjects.length,
  });
  const currentSide = side({
    defaults: { kind: 'objects', description: 'the new objects', modelVersion: null, ref: null },
    given: describe.current,
    count: curObjects.length,
  });

  const imageStats: ImageStatDrift[] = IMAGE_STATS.map((stat) => {
    const values = (objects: DatasetObject[]) =>
      objects.map((o) => stat.of({ ...stats.get(o.imageMd5)!, width: o.width, height: o.height }));
    const d = standardisedDifference({ reference: values(refObjects), current: values(curObjects), floor: stat.floor });
    const value = round(d.value);
    return {
      signal: stat.name,
      description: stat.description,
      reference: roundMoments(d.reference),
      current: roundMoments(d.current),
      value,
      threshold: monitor.image_stats_threshold,
      drifted: d.reference.n >= 2 && d.current.n >= 2 && Math.abs(d.value) >= monitor.image_stats_threshold,
    };
  });

  // Embeddings.
  let classifier: ClassifierDrift | null = null;
  let embeddings: EmbeddingDrift | null = null;
  let novelty: NoveltyDrift | null = null;
  let unfamiliar: UnfamiliarObject[] = [];
  let unfamiliarThreshold = 0;
  let unusualShare = 0;
  if (refObjects.length >= 2 && curObjects.length >= 1 && embedded) {
    const result = embedded;
    const withVector = (objects: DatasetObject[]) => objects.filter((o) => result.vectors.has(o.imageMd5));
    const refE = withVector(refObjects);
    const curE = withVector(curObjects);
    const missing = refObjects.length + curObjects.length - refE.length - curE.length;
    if (missing > 0) log.warn(`${missing} object(s) have no embedding and are left out of the embedding comparison.`);
    if (refE.length >= 2 && curE.length >= 1) {
      // Unit vectors: Euclidean distance and cosine distance then rank pairs the same way.
      const points = unitVectors([...refE, ...curE].map((o) => result.vectors.get(o.imageMd5)!));
      const gram = gramMatrix(points);
      const size = points.length;
      const refIdx = refE.map((_, i) => i);
      const curIdx = curE.map((_, i) => refE.length + i);
      if (refE.length >= CLASSIFIER_FOLDS && curE.length >= CLASSIFIER_FOLDS) {
        const c2st = classifierTwoSampleTest({
          reference: points.slice(0, refE.length),
          current: points.slice(refE.length),
          seed: monitor.seed,
          minAuc: monitor.classifier_min_auc,
        });
        classifier = {
          signal: 'classifier',
          value: round(c2st.auc),
          low: round(c2st.low),
          high: round(c2st.high),
          threshold: monitor.classifier_min_auc,
          drifted: c2st.drifted,
          folds: c2st.folds,
          seed: monitor.seed,
          compared: c2st.compared,
        };
      } else {
        const sides = `${refE.length} reference, ${curE.length} new`;
        log.info(`The classifier test needs at least ${CLASSIFIER_FOLDS} objects on each side (${sides}): not run.`);
      }
      if (curE.length >= 2) {
        const test = energyPermutationTest({
          distances: distancesFromGram(gram),
          referenceCount: refE.length,
          currentCount: curE.length,
          permutations: monitor.permutations,
          seed: monitor.seed,
        });
        embeddings = {
          signal: 'embeddings',
          value: round(test.value),
          effect: round(test.effect),
          pValue: round(test.pValue),
          threshold: monitor.embedding_p_value,
          minEffect: monitor.embedding_min_effect,
          drifted: test.pValue < monitor.embedding_p_value && test.effect >= monitor.embedding_min_effect,
          permutations: test.permutations,
          seed: monitor.seed,
          backbone: backboneOf(result, params),
          compared: { reference: refE.length, current: curE.length },
        };
        const nov = noveltyPermutationTest({
          gram,
          referenceCount: refE.length,
          currentCount: curE.length,
          permutations: monitor.permutations,
          seed: monitor.seed,
        });
        novelty = {
          signal: 'novelty',
          value: round(nov.value),
          pValue: round(nov.pValue),
          threshold: monitor.embedding_p_value,
          minIncrease: monitor.novelty_min_increase,
          drifted: nov.pValue < monitor.embedding_p_value && nov.value >= monitor.novelty_min_increase,
          permutations: nov.permutations,
          seed: monitor.seed,
        };
      }
      const own = nearestByCosine({ gram, size, queries: refIdx, candidates: refIdx, excludeSelf: true }).map(
        (n) => n.distance,
      );
      unfamiliarThreshold = quantile(own, UNUSUAL_QUANTILE);
      const near = nearestByCosine({ gram, size, queries: curIdx, candidates: refIdx });
      const predictionOf = new Map((predictions ?? []).map((a) => [a.id, a]));
      const ranked = near
        .map((n, i) => {
          const o = curE[i]!;
          const p = predictionOf.get(o.id);
          return {
            id: o.id,
            title: o.title,
            distance: round(n.distance),
            nearestId: refE[n.index]!.id,
            unusual: n.distance > unfamiliarThreshold,
            predicted: p ? { label: p.label, confidence: round(p.confidence) } : null,
          };
        })
        .sort((a, b) => b.distance - a.distance || a.id.localeCompare(b.id));
      unusualShare = round(ranked.filter((r) => r.unusual).length / ranked.length);
      unfamiliar = ranked.slice(0, monitor.unfamiliar);
      unfamiliarThreshold = round(unfamiliarThreshold);
    }
  }

  // Predicted labels.
  let predictedLabels: LabelDistributionDrift | null = null;
  if (predictions && predictions.length > 0) {
    const predictionOf = new Map(predictions.map((a) => [a.id, a]));
    const labelsOf = (objects: DatasetObject[]) =>
      objects.flatMap((o) => (predictionOf.has(o.id) ? [predictionOf.get(o.id)!.label] : []));
    const refLabels = labelsOf(refObjects);
    const curLabels = labelsOf(curObjects);
    if (refLabels.length >= MIN_PREDICTIONS && curLabels.length >= MIN_PREDICTIONS) {
      const p = shares({ items: refLabels, keys: data.labels });
      const q = shares({ items: curLabels, keys: data.labels });
      const value = totalVariation(p, q);
      predictedLabels = {
        signal: 'predicted-labels',
        value: round(value),
        threshold: monitor.label_distribution_threshold,
        drifted: value >= monitor.label_distribution_threshold,
        modelVersion: predictions[0]!.modelVersion,
        reference: roundShares(p),
        current: roundShares(q),
        counts: { reference: refLabels.length, current: curLabels.length },
      };
    } else
      log.info(
        `The predicted-label mix is not compared: ${curLabels.length} of the new objects and ` +
          `${refLabels.length} reference objects have a prediction (at least ${MIN_PREDICTIONS} each are ` +
          `needed).`,
      );
  }

  const driftedSignals = [
    ...(classifier?.drifted ? ['classifier'] : []),
    ...(novelty?.drifted ? ['novelty'] : []),
    ...(embeddings?.drifted ? ['embeddings'] : []),
    ...imageStats.filter((s) => s.drifted).map((s) => s.signal),
    ...(predictedLabels?.drifted ? ['predicted-labels'] : []),
  ];
  const report: DriftReport = {
    schema: 'vitrine.drift/1',
    createdAt: clock.now().toISOString(),
    modelVersion: version,
    reference: referenceSide,
    current: currentSide,
    signals: { classifier, embeddings, novelty, imageStats, predictedLabels },
    unfamiliarThreshold,
    unusualShare,
    unfamiliar,
    drifted: driftedSignals.length > 0,
    driftedSignals,
    summary: '',
  };
  report.summary = summarise(report);
  return report;
}

/** A report's comparison kept beside another's (DriftReport.pooled). */
export function pooledDrift(report: DriftReport): PooledDrift {
  return {
    current: report.current,
    classifier: report.signals.classifier ?? null,
    novelty: report.signals.novelty,
    unusualShare: report.unusualShare,
    drifted: report.drifted,
    driftedSignals: report.driftedSignals,
    summary: report.summary,
  };
}

/**
 * Plain words for a drift report: what was compared, what changed, which objects, what to do; with the pooled
 * comparison beside it (DriftReport.pooled), a sentence for that group after.
 */
export function summarise(report: DriftReport): string {
  const own = summariseOwn(report);
  return report.pooled ? `${own} ${pooledWords({ pooled: report.pooled, drifted: report.drifted })}` : own;
}

/**
 * The pooled comparison in a sentence, after the own one's words (`drifted`: whether the own one drifted): "For
 * comparison, the objects added since v1.0.0 with the 80 unlabelled objects already there, taken together (120): no
 * drift (AUC 0.51, between 0.39 and 0.64): pooled with the old objects, the change in the new ones is diluted."
 */
function pooledWords({ pooled, drifted }: { pooled: PooledDrift; drifted: boolean }): string {
  const c = pooled.classifier;
  const figures = [
    ...(c ? [`AUC ${c.value.toFixed(2)}, between ${c.low.toFixed(2)} and ${c.high.toFixed(2)}`] : []),
    ...(pooled.driftedSignals.length > 0 ? [`signals: ${pooled.driftedSignals.join(', ')}`] : []),
  ];
  const verdict =
    pooled.drifted === drifted ? (drifted ? 'drift too' : 'no drift either') : pooled.drifted ? 'drift' : 'no drift';
  const why =
    drifted && !pooled.drifted
      ? ': pooled with the old objects, the change in the new ones is diluted'
      : !drifted && pooled.drifted
        ? ': the difference lies in the unlabelled objects that were already there, which the model annotates ' +
          'without anyone checking'
        : '';
  return (
    `For comparison, ${pooled.current.description}, taken together (${pooled.current.count}): ${verdict}` +
    `${figures.length > 0 ? ` (${figures.join('; ')})` : ''}${why}.`
  );
}

function summariseOwn(report: DriftReport): string {
  const { reference, current, signals } = report;
  const cur = `${current.description} (${current.count})`;
  const ref = `${reference.description} (${reference.count})`;
  if (current.count === 0)
    return `Nothing to compare: there are no new objects with images (${reference.description}: ${reference.count}).`;
  if (reference.count < 2)
    return (
      `Nothing to compare with: ${reference.description} ` +
      `${reference.count === 1 ? 'is one object' : 'are no objects'} with an image (${current.description}: ` +
      `${current.count}).`
    );
  const c = signals.classifier;
  const auc = c ? `AUC ${c.value.toFixed(2)}, between ${c.low.toFixed(2)} and ${c.high.toFixed(2)}` : '';
  if (!report.drifted) {
    const unusual = report.unfamiliar.filter((u) => u.unusual);
    const tail =
      unusual.length > 0
        ? ` ${plural(unusual.length, 'object is', 'objects are')} unlike anything in the reference all the ` +
          `same: ${unusual.map((u) => u.id).join(', ')}.`
        : '';
    const told = c ? ` A classifier cannot reliably tell them apart (${auc}; 0.5 means not at all).` : '';
    return `No drift: ${cur} look like ${ref}.${told}${tail}`;
  }
  const parts: string[] = [];
  if (c?.drifted) {
    parts.push(
      `a simple classifier tells the new photographs from the reference ones (${auc}; 0.5 means it cannot, 1 every time)`,
    );
  }
  if (signals.novelty?.drifted) {
    const n = signals.novelty;
    const howFar =
      n.value >= 1
        ? `${(1 + n.value).toFixed(1)} times as far from their closest reference photograph as`
        : `${Math.round(n.value * 100)}% farther from their closest reference photograph than`;
    parts.push(
      `to the model's backbone they are on average ${howFar} reference photographs are from each other (${pValueWords(n.pValue)})`,
    );
  }
  if (signals.embeddings?.drifted) {
    const e = signals.embeddings;
    parts.push(
      `what the photographs show has changed as a whole (energy coefficient ${e.effect.toFixed(2)}, ${pValueWords(e.pValue)})`,
    );
  }
  for (const s of signals.imageStats.filter((x) => x.drifted)) {
    parts.push(
      `${s.description.replace(/ \(.*\)$/, '')} is ${Math.abs(s.value).toFixed(1)} standard deviations ${s.value > 0 ? 'higher' : 'lower'}`,
    );
  }
  if (signals.predictedLabels?.drifted) {
    const l = signals.predictedLabels;
    parts.push(
      `the model predicts a different mix of labels (${Math.round(l.value * 100)}% of predictions would have to change label to match)`,
    );
  }
  const share = Math.round(report.unusualShare * 100);
  const least = report.unfamiliar.slice(0, 5).map((u) => u.id);
  const named =
    least.length > 0
      ? ` The least familiar new objects: ` +
        `${least.join(', ')}${
          share > 0
            ? ` (${share}% of the new objects are farther from the reference than almost any reference object ` +
              'is from the rest)'
            : ''
        }.`
      : '';
  return (
    `Drift: ${cur} differ from ${ref}: ${parts.join('; ')}.${named} The model's labels for these objects ` +
    'are less reliable: check a few, label them, and retrain.'
  );
}

/** Write drift.json and append the run to history.json (both atomically). */
export async function writeDriftReport({
  ws,
  report,
  commit = null,
}: {
  ws: Workspace;
  report: DriftReport;
  commit?: string | null;
}): Promise<{ file: string; history: string }> {
  const file = path.join(ws.monitor, 'drift.json');
  const historyFile = path.join(ws.monitor, 'history.json');
  await writeJsonAtomic({ file, value: report });
  let history: DriftHistory = { schema: 'vitrine.drift-history/1', entries: [] };
  try {
    const value = JSON.parse(await readFile(historyFile, 'utf8')) as DriftHistory;
    if (value?.schema === 'vitrine.drift-history/1' && Array.isArray(value.entries)) history = value;
  } catch {
    // Missing or unreadable history starts over: it is a chart, not a record anything depends on.
  }
  history.entries.push(historyEntry({ report, commit }));
  await writeJsonAtomic({ file: historyFile, value: history });
  return { file, history: historyFile };
}

/** The one-line record of a report kept in history.json. */
export function historyEntry({ report, commit }: { report: DriftReport; commit: string | null }): DriftHistoryEntry {
  const stats = report.signals.imageStats.map((s) => Math.abs(s.value));
  return {
    createdAt: report.createdAt,
    modelVersion: report.modelVersion,
    commit,
    referenceCount: report.reference.count,
    currentCount: report.current.count,
    currentKind: report.current.kind,
    // "Added since" a ref of its own, not since the model: the page names it (task D5).
    ...(report.reference.kind === 'data-version' && report.reference.ref ? { reference: report.reference.ref } : {}),
    // And the commit it pointed to: a branch that moved judged other objects (task D12).
    ...(report.reference.kind === 'data-version' && report.reference.ref && report.reference.commit
      ? { referenceCommit: report.reference.commit }
      : {}),
    classifierAuc: report.signals.classifier?.value ?? null,
    classifierLow: report.signals.classifier?.low ?? null,
    classifierHigh: report.signals.classifier?.high ?? null,
    embeddingEffect: report.signals.embeddings?.effect ?? null,
    embeddingPValue: report.signals.embeddings?.pValue ?? null,
    noveltyIncrease: report.signals.novelty?.value ?? null,
    noveltyPValue: report.signals.novelty?.pValue ?? null,
    maxImageStat: stats.length > 0 ? Math.max(...stats) : null,
    labelDistance: report.signals.predictedLabels?.value ?? null,
    unusualShare: report.unusualShare,
    drifted: report.drifted,
    driftedSignals: report.driftedSignals,
  };
}

function usable({
  ids,
  byId,
  side,
  log,
}: {
  ids: string[];
  byId: Map<string, DatasetObject>;
  side: string;
  log: Logger;
}): DatasetObject[] {
  const out: DatasetObject[] = [];
  const unknown: string[] = [];
  const noImage: string[] = [];
  for (const id of new Set(ids)) {
    const o = byId.get(id);
    if (!o) unknown.push(id);
    else if (!o.image || !o.imageMd5) noImage.push(id);
    else out.push(o);
  }
  if (unknown.length > 0)
    log.warn(
      `${plural(unknown.length, 'object', 'objects')} of the ${side} set ` +
        `${unknown.length === 1 ? 'is' : 'are'} not in the dataset and left out (${listWords(unknown, { last: ',', max: 5 })}); ` +
        `run "vitrine run dataset" if they were just added.`,
    );
  if (noImage.length > 0)
    log.info(
      `${plural(noImage.length, 'object', 'objects')} of the ${side} set ` +
        `${noImage.length === 1 ? 'has' : 'have'} no image and ${noImage.length === 1 ? 'is' : 'are'} ` +
        `left out (${listWords(noImage, { last: ',', max: 5 })}).`,
    );
  return out;
}

function side({
  defaults,
  given,
  count,
}: {
  defaults: Omit<DriftSide, 'count'>;
  given?: Partial<Omit<DriftSide, 'count'>>;
  count: number;
}): DriftSide {
  return { ...defaults, ...given, count };
}

function uniqueItems(items: { key: string; file: string }[]): { key: string; file: string }[] {
  const seen = new Map<string, { key: string; file: string }>();
  for (const item of items) if (!seen.has(item.key)) seen.set(item.key, item);
  return [...seen.values()];
}

function backboneOf(result: { backbone?: { id: string } }, params: Params): string {
  return result.backbone?.id ?? params.backbone.name;
}

function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function roundMoments(m: { mean: number; sd: number; n: number }) {
  return { mean: round(m.mean), sd: round(m.sd), n: m.n };
}

function roundShares(s: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v)]));
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
