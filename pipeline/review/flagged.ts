import { crossValidate, embedObjects, labelledObjects, oofFile } from '../evaluate/oof.ts';
import type { Logger } from '../log.ts';
import type { Tf } from '../model/head.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { Dataset } from '../types.ts';
import { notBetterThanGuessing, type ReviewFile, reviewFromOof } from './index.ts';

/*
 * train.flagged: drop: before the head is trained, the labelled objects are cross-validated with
 * the same recipe and the labels confident learning flags are left out of training and validation
 * (they stay in the test split, which scores the model against the labels as they are).
 */

/** Ids of the labelled objects confident learning flags, from a cross-validation run before training. */
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
}): Promise<Set<string>> {
  if (params.evaluate.folds < 2) {
    log.warn(
      'train.flagged is "drop" but evaluate.folds is 0 (no cross-validation), so no label is flagged and every one is used.',
    );
    return new Set();
  }
  const labelled = labelledObjects(dataset);
  const vectors = await embedObjects({ ws, params, info: null, objects: labelled, log });
  const y = labelled.map((o) => dataset.labels.indexOf(o.label));
  const cv = await crossValidate({ tf, objects: labelled, vectors, y, labels: dataset.labels, params, log });
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
  return flaggedIds({ review, log });
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
  return new Set(review.items.filter((i) => i.confident).map((i) => i.id));
}
