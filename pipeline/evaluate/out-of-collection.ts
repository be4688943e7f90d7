import type { Logger } from '../log.ts';
import type { Tf } from '../model/head.ts';
import type { Params } from '../params.ts';
import type { Metrics } from '../types.ts';
import { bootstrapIntervals } from './bootstrap.ts';
import { macroF1Interval, shareInterval } from './boundary.ts';
import { groupFolds, outOfFoldProbabilities } from './crossval.ts';
import { BOOTSTRAP_SEED } from './metrics.ts';
import { accuracyOf, confusionOf, macroF1Of, prepare, subset } from './scores.ts';

/*
 * What to expect on photographs from a source the model has not seen. A random split puts
 * photographs from every museum, photographer and studio on both sides, so it flatters the model:
 * on the Egyptian set it promised 0.56 macro-F1 and another museum's photographs gave 0.49. Here
 * each value of `evaluate.group_by` is held out whole (leave one group out; more than 10 groups are
 * pooled into 10 folds) and predicted by heads trained on the others: the honest figure for a new
 * source, reported next to random folds over the same objects.
 */

/** Most groups held out one by one; beyond this they are pooled into this many folds. */
export const MAX_GROUP_FOLDS = 10;

/** Empty values of the field form their own group, named like the factor breakdowns name them. */
export const NOT_RECORDED = '(not recorded)';

export async function outOfCollectionEstimate({
  tf,
  x,
  y,
  groups,
  validation,
  randomRows,
  labels,
  params,
  field,
  learn,
  log,
}: {
  tf: Tf;
  x: Float32Array[];
  /** Class index of each object's label (all labelled). */
  y: number[];
  /** The objects the heads may learn from (a large collection's sample); absent: all. Every object is scored. */
  learn?: ArrayLike<number>;
  /** Each object's value of the field. */
  groups: string[];
  validation: boolean[];
  /** The same objects' out-of-fold rows from random folds (drawn by photograph: assignFolds). */
  randomRows: ArrayLike<number>[];
  labels: string[];
  params: Pick<Params, 'train' | 'evaluate'>;
  field: string;
  log: Logger;
}): Promise<NonNullable<Metrics['outOfCollection']>> {
  const names = groups.map((g) => g.trim() || NOT_RECORDED);
  const { folds, k } = groupFolds({ groups: names, maxFolds: MAX_GROUP_FOLDS });
  const fit = learn ? y.map((c, i) => (learn[i] ? c : -1)) : y;
  const rows = await outOfFoldProbabilities({ tf, x, y: fit, validation, folds, k, labels, train: params.train, log });
  const resamples = params.evaluate.bootstrap;
  const intervals = (probs: ArrayLike<number>[]) => {
    const prepared = prepare({ y, probs, classes: labels.length });
    const iv = bootstrapIntervals({
      prepared,
      statistics: { macroF1: macroF1Of, accuracy: accuracyOf },
      resamples,
      seed: BOOTSTRAP_SEED,
    });
    // Every object right (or wrong): the resamples cannot vary the scores (boundary.ts).
    return {
      accuracy: shareInterval({ interval: iv.accuracy, n: y.length }),
      macroF1: macroF1Interval({
        interval: iv.macroF1,
        confusion: confusionOf(prepared),
        draws: resamples,
        seed: BOOTSTRAP_SEED,
      }),
    };
  };
  const grouped = intervals(rows);
  const random = intervals(randomRows);
  const all = prepare({ y, probs: rows, classes: labels.length });
  const byGroup = new Map<string, number[]>();
  names.forEach((g, i) => byGroup.set(g, [...(byGroup.get(g) ?? []), i]));
  const perGroup = [...byGroup]
    .map(([value, members]) => {
      const part = subset(all, members);
      return { value, n: members.length, accuracy: accuracyOf(part), macroF1: macroF1Of(part) };
    })
    .sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : 1));
  return {
    field,
    n: y.length,
    macroF1: grouped.macroF1,
    accuracy: grouped.accuracy,
    randomFolds: { macroF1: random.macroF1, accuracy: random.accuracy },
    groups: perGroup,
  };
}
