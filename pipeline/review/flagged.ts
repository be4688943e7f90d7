import path from 'node:path';
import { cvLearnSample, sharesOneL2 } from '../evaluate/collection-cv.ts';
import { crossValidate, embedObjects, labelledObjects, oofFile } from '../evaluate/oof.ts';
import type { Logger } from '../log.ts';
import { embedImages } from '../model/embed.ts';
import { chooseL2, type LabelledVectors, type Tf } from '../model/head.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { Dataset, Split } from '../types.ts';
import { listWords } from '../words.ts';
import { largeCollection, notBetterThanGuessing, type ReviewFile, reasonOf, reviewFromOof } from './index.ts';

/*
 * train.flagged: drop: before the head is trained, the labelled objects are cross-validated with
 * the same recipe and the labels confident learning flags are left out of training and validation
 * (they stay in the test split, which scores the model against the labels as they are).
 *
 * So that what is left out is exactly what `vitrine review` then flags, this cross-validation is the
 * evaluate stage's: the same objects, folds and sample, and fold models that all take one L2 penalty,
 * chosen first the way the train stage chooses it, on the training objects with every label. The L2
 * the train stage then chooses without the flagged labels cannot be known before they are chosen; the
 * model records this one (model-info.json `flagged.l2`) and the evaluate stage's fold models, which
 * learn from every label too, take it.
 */

/**
 * How train.flagged: drop finds the labels to leave out, in the train stage's fingerprint: a model trained by another
 * rule (before, each fold model chose its own L2) is trained again.
 */
export const FLAGGED_RULE =
  'the evaluate stage’s folds, every fold model with the L2 chosen on every training label; what review marks flagged';

/** What train.flagged: drop leaves out, and the L2 its fold models took. */
export interface FlaggedLabels {
  /** Ids of the labelled objects confident learning flags (test objects among them stay in the test split). */
  ids: Set<string>;
  /** The L2 every fold model took (lbfgs linear head); null: each chose its own (adam, hidden units). */
  l2: number | null;
  /**
   * Why no label could be flagged, when the check said nothing: 'no-folds', no cross-validation (evaluate.folds below
   * 2); 'guessing', its model was no better than guessing. Absent when the check was made and its flags count.
   */
  unchecked?: 'no-folds' | 'guessing';
}

/** The labelled objects confident learning flags, from a cross-validation run before training. */
export async function flaggedLabels({
  ws,
  params,
  dataset,
  tf,
  log,
}: {
  ws: Workspace;
  params: Params;
  dataset: Dataset;
  tf: Tf;
  log: Logger;
}): Promise<FlaggedLabels> {
  if (params.evaluate.folds < 2) {
    log.warn(
      'train.flagged is "drop" but evaluate.folds is 0 (no cross-validation), so no label is flagged and every one is used.',
    );
    return { ids: new Set(), l2: null, unchecked: 'no-folds' };
  }
  const labelled = labelledObjects(dataset);
  const vectors = await embedObjects({ ws, params, info: null, objects: labelled, log });
  const y = labelled.map((o) => dataset.labels.indexOf(o.label));
  const l2 = sharesOneL2(params.train) ? await trainingL2({ ws, params, dataset, vectors, tf, log }) : null;
  const train = l2 === null ? params.train : { ...params.train, l2_choices: [l2] };
  if (l2 !== null)
    log.info(
      `Looking for labels to leave out (train.flagged: drop): the cross-validation models take the L2 ${l2}, ` +
        'chosen as the train stage chooses it, on the training objects with every label.',
    );
  // A large collection: the fold models learn from the evaluate stage's stratified sample.
  const kept = labelled.flatMap((o, i) => (vectors.has(o.imageMd5) ? [i] : []));
  const learn = cvLearnSample({
    keys: kept.map((i) => labelled[i]!.imageMd5),
    strata: kept.map((i) => y[i]!),
    params,
  });
  const fit = [...y];
  if (learn) {
    const sampled = new Set(kept.filter((_, j) => learn[j]));
    for (let i = 0; i < fit.length; i++) if (!sampled.has(i)) fit[i] = -1;
  }
  const cv = await crossValidate({
    tf,
    objects: labelled,
    vectors,
    y: fit,
    labels: dataset.labels,
    params: { ...params, train },
    log,
  });
  const review = reviewFromOof({
    oof: oofFile({
      labels: dataset.labels,
      objects: labelled,
      folds: cv.folds,
      rows: cv.rows,
      k: cv.k,
      seed: params.train.seed,
    }),
    vectors: new Map(labelled.flatMap((o) => (vectors.has(o.imageMd5) ? [[o.id, vectors.get(o.imageMd5)!]] : []))),
  });
  const guessing = review.agreement !== undefined && !review.agreement.better;
  return { ids: flaggedIds({ review, log }), l2, ...(guessing ? { unchecked: 'guessing' as const } : {}) };
}

/**
 * The L2 the train stage would choose with every label: chooseL2 on the training objects' vectors, in
 * dataset order, with their mirror images when train.augment (as the train stage learns from them).
 */
async function trainingL2({
  ws,
  params,
  dataset,
  vectors,
  tf,
  log,
}: {
  ws: Workspace;
  params: Params;
  dataset: Dataset;
  vectors: Map<string, Float32Array>;
  tf: Tf;
  log: Logger;
}): Promise<number> {
  const objects = labelledObjects(dataset).filter((o) => o.split === 'train' && vectors.has(o.imageMd5));
  const flipped = params.train.augment
    ? (
        await embedImages({
          items: objects.map((o) => ({ key: o.imageMd5, file: path.resolve(ws.data, o.image) })),
          params,
          root: ws.root,
          cacheDir: ws.cache,
          workers: params.train.workers,
          flips: true,
          log,
        })
      ).flipped
    : new Map<string, Float32Array>();
  const rows: LabelledVectors & { keys: string[] } = { x: [], y: [], keys: [] };
  for (const o of objects) {
    const c = dataset.labels.indexOf(o.label);
    for (const v of [vectors.get(o.imageMd5)!, flipped.get(o.imageMd5)]) {
      if (!v) continue;
      rows.x.push(v);
      rows.y.push(c);
      rows.keys.push(o.imageMd5);
    }
  }
  return chooseL2({ tf, train: rows, labels: dataset.labels, params: params.train });
}

/** The ids train.flagged leaves out: confident learning's flags, none (said) from a model at chance. */
export function flaggedIds({ review, log }: { review: ReviewFile; log: Logger }): Set<string> {
  if (review.agreement && !review.agreement.better) {
    log.warn(
      'train.flagged is "drop", but no label was left out: ' +
        `${notBetterThanGuessing(review.agreement, review.checked).replace(' below', '')}`,
    );
    return new Set();
  }
  // What `vitrine review` marks "flagged" (confident and at its type's threshold), not every confident pick: a
  // reviewer found one left out of training that the list showed only as "worth a look".
  return new Set(review.items.filter((i) => reasonOf(i, review.agreement) === 'flagged').map((i) => i.id));
}

/**
 * The run log's words when the labels review.json flags outside the test split are not the ones training left out
 * (train.flagged: drop, model-info.json `flagged.ids`), naming both kinds; null when they are the same, as they are
 * by construction unless the evaluate stage's fold models learnt from other objects than training's search did
 * (a change of labels in a collection larger than evaluate.cv_max_objects; test/evaluate/flagged-sample.test.ts).
 * Making them agree would take a third cross-validation there; instead review.json records the labels left out
 * (`leftOut`) and `vitrine review` says which list is which (renderReview).
 */
export function flaggedDifferWords({
  left,
  review,
  splitOf,
  cvMaxObjects,
}: {
  left: string[];
  review: ReviewFile;
  splitOf: Map<string, Split>;
  /** params.yaml evaluate.cv_max_objects, said in words. */
  cvMaxObjects: number;
}): string | null {
  const trained = (id: string) => splitOf.get(id) === 'train' || splitOf.get(id) === 'validation';
  const out = new Set(left.filter(trained));
  const flagged = new Set(
    review.items.filter((i) => reasonOf(i, review.agreement) === 'flagged' && trained(i.id)).map((i) => i.id),
  );
  const learnt = [...flagged].filter((id) => !out.has(id)).sort();
  const kept = [...out].filter((id) => !flagged.has(id)).sort();
  if (learnt.length === 0 && kept.length === 0) return null;
  const ids = (list: string[]) => listWords(list, { max: 10 });
  const one = (list: string[], single: string, several: string) =>
    `${ids(list)} ${list.length === 1 ? single : several}`;
  const parts = [
    ...(learnt.length
      ? [one(learnt, 'is flagged but the model learnt from it', 'are flagged but the model learnt from them')]
      : []),
    ...(kept.length
      ? [one(kept, 'was left out of training but is not flagged', 'were left out of training but are not flagged')]
      : []),
  ];
  return (
    `The labels \`vitrine review\` flags differ from the labels training left out (train.flagged: drop): ` +
    `${parts.join('; ')}. The check of every label here learnt from other objects than the check before training ` +
    `did: ${largeCollection(cvMaxObjects)}, each check learns from a sample of them, and this one always from a ` +
    'pull request’s changed labels. The model was trained without the labels left out then; the list is the check ' +
    'made now.'
  );
}
