import type { Params } from '../params.ts';
import type { Metrics, ModelScores, NewLabel } from '../types.ts';
import { BOOTSTRAP_SEED, bootstrapIntervals, pairedBootstrap } from './bootstrap.ts';
import { withBoundaryIntervals } from './boundary.ts';
import { type FactorSource, factorBreakdown } from './factors.ts';
import { checkGate } from './gate.ts';
import {
  accuracyOf,
  classMetricsOf,
  confusionOf,
  eceOf,
  macroF1Of,
  type Prepared,
  type ProbabilityRows,
  prepare,
  topKOf,
} from './scores.ts';

export { BOOTSTRAP_SEED } from './bootstrap.ts';

/**
 * Headline scores of one model with bootstrap intervals: the `ModelScores` part of metrics.json. An interval the
 * bootstrap cannot vary (every test object right, or every one wrong) is replaced as boundary.ts describes.
 */
export function scoreModel({
  prepared,
  labels,
  evaluate,
  seed = BOOTSTRAP_SEED,
}: {
  prepared: Prepared;
  labels: string[];
  evaluate: Params['evaluate'];
  seed?: number;
}): ModelScores {
  const k = Math.min(evaluate.top_k, labels.length);
  const intervals = bootstrapIntervals({
    prepared,
    statistics: { accuracy: accuracyOf, macroF1: macroF1Of, topK: (p) => topKOf(p, k), ece: (p) => eceOf(p) },
    resamples: evaluate.bootstrap,
    seed,
  });
  const confusion = confusionOf(prepared);
  const scores: ModelScores = {
    accuracy: intervals.accuracy,
    macroF1: intervals.macroF1,
    topK: { k, accuracy: intervals.topK },
    ece: intervals.ece,
    perClass: classMetricsOf({ confusion, labels }),
    confusion,
  };
  return withBoundaryIntervals({ scores, n: prepared.y.length, draws: evaluate.bootstrap, seed });
}

/** What `buildMetrics` needs about each test object. */
export interface EvaluatedObject extends FactorSource {
  id: string;
}

/**
 * Everything in metrics.json that follows from the predictions: the candidate's scores, the
 * baseline's on the same objects with the paired comparison, factor breakdowns, changed and
 * least-confident predictions and the gate. `y[i]` is the true class index of `objects[i]`, and row i
 * of each probability table is that object's prediction, with columns in `labels` order.
 */
export function buildMetrics<T extends EvaluatedObject>({
  labels,
  objects,
  y,
  candidate,
  baseline,
  params,
  createdAt,
  backend,
  backbone,
  inputs,
  newLabels = [],
  seed = BOOTSTRAP_SEED,
}: {
  labels: string[];
  objects: T[];
  y: number[];
  candidate: ProbabilityRows;
  /**
   * `exclude[i]`: leave object i out of the baseline's scores and the comparison (the baseline
   * trained on it); `splitChanged` is recorded as given.
   */
  baseline: {
    version: string;
    probs: ProbabilityRows;
    exclude?: ArrayLike<boolean>;
    splitChanged?: boolean | null;
  } | null;
  /** dataset.min_test_per_class, when given: classes with fewer test objects are not judged by their F1 (gate.ts). */
  params: Pick<Params, 'evaluate' | 'gate'> & {
    dataset?: Pick<Params['dataset'], 'min_test_per_class'> & { split?: Pick<Params['dataset']['split'], 'test'> };
  };
  createdAt: string;
  backend: string;
  backbone: string;
  inputs: Metrics['inputs'];
  /** Labels being built up (new-labels.ts): not judged by their F1 while too thin (gate.ts), recorded for the report. */
  newLabels?: readonly NewLabel[];
  seed?: number;
}): Metrics {
  const { evaluate } = params;
  const cand = prepare({ y, probs: candidate, classes: labels.length });
  const scores = scoreModel({ prepared: cand, labels, evaluate, seed });
  let baselinePart: Metrics['baseline'] = null;
  let base: Prepared | null = null;
  let candidateOnBaselineObjects = scores;
  if (baseline) {
    base = prepare({ y, probs: baseline.probs, classes: labels.length });
    // Objects the baseline trained on would flatter it: both models are compared on the rest.
    const kept = y.map((_, i) => i).filter((i) => !baseline.exclude?.[i]);
    const excluded = y.length - kept.length;
    const baseCompared =
      excluded === 0
        ? base
        : prepare({ y: kept.map((i) => y[i]!), probs: kept.map((i) => baseline.probs[i]!), classes: labels.length });
    const candCompared =
      excluded === 0
        ? cand
        : prepare({ y: kept.map((i) => y[i]!), probs: kept.map((i) => candidate[i]!), classes: labels.length });
    if (excluded > 0) candidateOnBaselineObjects = scoreModel({ prepared: candCompared, labels, evaluate, seed });
    const baseScores = scoreModel({ prepared: baseCompared, labels, evaluate, seed });
    const paired = pairedBootstrap({
      candidate: candCompared,
      baseline: baseCompared,
      statistic: macroF1Of,
      resamples: evaluate.bootstrap,
      seed,
      alpha: evaluate.alpha,
    });
    baselinePart = {
      ...baseScores,
      version: baseline.version,
      excluded,
      ...(baseline.splitChanged === undefined ? {} : { splitChanged: baseline.splitChanged }),
      comparison: {
        metric: 'macroF1',
        difference: paired.difference,
        pValue: paired.pValue,
        test:
          `paired bootstrap of the macro-F1 difference over the same ${kept.length} test objects ` +
          `(${evaluate.bootstrap} resamples, two-sided)` +
          (excluded > 0
            ? `; ${excluded} test object${excluded === 1 ? '' : 's'} the baseline trained on left out`
            : ''),
        verdict: paired.verdict,
        alpha: evaluate.alpha,
      },
    };
  }
  const changedPredictions: Metrics['changedPredictions'] = [];
  if (base) {
    objects.forEach((o, i) => {
      if (base.predicted[i] !== cand.predicted[i]) {
        changedPredictions.push({
          id: o.id,
          label: labels[y[i]!]!,
          baseline: labels[base.predicted[i]!]!,
          candidate: labels[cand.predicted[i]!]!,
        });
      }
    });
  }
  const leastConfident = objects
    .map((o, i) => ({
      id: o.id,
      label: labels[y[i]!]!,
      predicted: labels[cand.predicted[i]!]!,
      confidence: cand.confidence[i]!,
    }))
    .sort((a, b) => a.confidence - b.confidence || a.id.localeCompare(b.id))
    .slice(0, evaluate.least_confident);
  return {
    schema: 'vitrine.metrics/1',
    createdAt,
    backend,
    backbone,
    labels,
    n: y.length,
    ...scores,
    factors: factorBreakdown({ objects, prepared: cand, factors: evaluate.factors }),
    baseline: baselinePart,
    changedPredictions,
    leastConfident,
    inputs,
    gate: checkGate({
      candidate: scores,
      baseline: baselinePart,
      gate: params.gate,
      candidateOnBaselineObjects,
      minTestPerClass: params.dataset?.min_test_per_class ?? 0,
      newLabels,
    }),
    ...(newLabels.length > 0
      ? {
          newLabels: {
            minTestPerClass: params.dataset?.min_test_per_class ?? 0,
            testShare: params.dataset?.split?.test ?? 0.2,
            labels: [...newLabels],
          },
        }
      : {}),
  };
}
