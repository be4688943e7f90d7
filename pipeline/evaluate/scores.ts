import { VitrineError } from '../errors.ts';
import type { ClassMetrics } from '../types.ts';

/*
 * Classification scores as pure functions of the true labels (class indices) and the model's
 * probability rows. The predicted class is the row's most probable one (the first on a tie).
 *
 * Conventions (the same as scikit-learn's defaults, zero_division=0):
 * - precision of a class the model never predicts is 0; recall of a class with no test objects is 0;
 * - macro-F1 averages over the classes that occur in the test labels or in the predictions, so a
 *   class with no test objects that the model never predicts neither helps nor hurts it.
 */

/** Probability rows: one per object, one column per class. */
export type ProbabilityRows = ArrayLike<number>[];

/** What every score needs, computed once per object (and reused by every bootstrap resample). */
export interface Prepared {
  classes: number;
  /** True class index. */
  y: Int32Array;
  /** Predicted (most probable) class index. */
  predicted: Int32Array;
  /** Probability of the predicted class. */
  confidence: Float64Array;
  /** 0-based rank of the true class in the row (0: it was the prediction). */
  rankOfTrue: Int32Array;
}

/** Index of the largest value (the first one on a tie). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
  return best;
}

/** Check the inputs and compute each object's prediction, confidence and rank of its true class. */
export function prepare({
  y,
  probs,
  classes,
}: {
  y: ArrayLike<number>;
  probs: ProbabilityRows;
  classes?: number;
}): Prepared {
  if (y.length !== probs.length) {
    throw new VitrineError(
      'EVALUATE_SHAPE',
      `There are ${y.length} true labels but ${probs.length} probability rows; they must match one to one.`,
      { labels: y.length, rows: probs.length },
    );
  }
  const k = classes ?? probs[0]?.length ?? 0;
  const n = y.length;
  const out: Prepared = {
    classes: k,
    y: new Int32Array(n),
    predicted: new Int32Array(n),
    confidence: new Float64Array(n),
    rankOfTrue: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const row = probs[i]!;
    const t = y[i]!;
    if (row.length !== k)
      throw new VitrineError(
        'EVALUATE_SHAPE',
        `Probability row ${i} has ${row.length} columns, expected ${k} (one per class).`,
        { row: i },
      );
    if (!Number.isInteger(t) || t < 0 || t >= k)
      throw new VitrineError(
        'EVALUATE_SHAPE',
        `True label ${t} of row ${i} is not a class index between 0 and ${k - 1}.`,
        { row: i },
      );
    const p = argmax(row);
    let rank = 0;
    for (let j = 0; j < k; j++) if (row[j]! > row[t]! || (row[j] === row[t] && j < t)) rank++;
    out.y[i] = t;
    out.predicted[i] = p;
    out.confidence[i] = row[p]!;
    out.rankOfTrue[i] = rank;
  }
  return out;
}

/** Keep the objects at `indices` (repeats allowed: a bootstrap resample). */
export function subset(prepared: Prepared, indices: ArrayLike<number>): Prepared {
  const n = indices.length;
  const out: Prepared = {
    classes: prepared.classes,
    y: new Int32Array(n),
    predicted: new Int32Array(n),
    confidence: new Float64Array(n),
    rankOfTrue: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s = indices[i]!;
    out.y[i] = prepared.y[s]!;
    out.predicted[i] = prepared.predicted[s]!;
    out.confidence[i] = prepared.confidence[s]!;
    out.rankOfTrue[i] = prepared.rankOfTrue[s]!;
  }
  return out;
}

/** confusion[i][j]: objects of class i predicted as class j. */
export function confusionOf(p: Prepared): number[][] {
  const m = Array.from({ length: p.classes }, () => new Array<number>(p.classes).fill(0));
  for (let i = 0; i < p.y.length; i++) m[p.y[i]!]![p.predicted[i]!]!++;
  return m;
}

/** Fraction of objects whose prediction is their true label (0 when there are none). */
export function accuracyOf(p: Prepared): number {
  if (p.y.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < p.y.length; i++) if (p.y[i] === p.predicted[i]) right++;
  return right / p.y.length;
}

/** Fraction of objects whose true label is among the `k` most probable classes. */
export function topKOf(p: Prepared, k: number): number {
  if (p.y.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < p.y.length; i++) if (p.rankOfTrue[i]! < k) hits++;
  return hits / p.y.length;
}

/** Per-class precision, recall, F1 and support from a confusion matrix. */
export function classMetricsOf({ confusion, labels }: { confusion: number[][]; labels: string[] }): ClassMetrics[] {
  return labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((s, v) => s + v, 0);
    const predicted = confusion.reduce((s, row) => s + row[c]!, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
}

/** Macro-F1 from a confusion matrix, over the classes present in the labels or the predictions. */
export function macroF1OfConfusion(confusion: number[][]): number {
  let sum = 0;
  let count = 0;
  for (let c = 0; c < confusion.length; c++) {
    const tp = confusion[c]![c]!;
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < confusion.length; j++) {
      support += confusion[c]![j]!;
      predicted += confusion[j]![c]!;
    }
    if (support === 0 && predicted === 0) continue;
    // F1 = 2TP / (2TP + FP + FN), the same as 2PR/(P+R) and 0 when TP is 0.
    sum += (2 * tp) / (support + predicted);
    count++;
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * The labels macroF1OfConfusion leaves out: no test objects and never named by the model. One with no test objects
 * that the model named counts (its F1 of 0 is in the figure). Without a confusion matrix of every label (older
 * metrics) no label is known to be named, so every label with no test objects is out. Labels in perClass order.
 */
export function labelsOutOfMacroF1({
  perClass,
  confusion,
}: {
  perClass: readonly Pick<ClassMetrics, 'label' | 'support'>[];
  confusion: readonly (readonly number[])[];
}): string[] {
  const named = (c: number) => confusion.reduce((sum, row) => sum + (row[c] ?? 0), 0) > 0;
  const full = confusion.length === perClass.length;
  return perClass.filter((c, i) => c.support === 0 && !(full && named(i))).map((c) => c.label);
}

/** Macro-F1 of prepared predictions. */
export function macroF1Of(p: Prepared): number {
  return macroF1OfConfusion(confusionOf(p));
}

/**
 * Expected calibration error: objects are put in `bins` equal-width bins by confidence; ECE is the
 * object-weighted mean gap between each bin's accuracy and its mean confidence. 0 is perfectly calibrated.
 */
export function eceOf(p: Prepared, bins = 10): number {
  const n = p.y.length;
  if (n === 0) return 0;
  const count = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const right = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const c = p.confidence[i]!;
    // Bins are (lo, hi], with a confidence of 0 in the first one.
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    count[b]!++;
    conf[b]! += c;
    if (p.y[i] === p.predicted[i]) right[b]!++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(right[b]! - conf[b]!) / n;
  return ece;
}

/* Convenience forms over plain arrays, for callers that score once. */

/** Confusion matrix of true labels against the probability rows' predictions. */
export function confusionMatrix({
  y,
  probs,
  classes,
}: {
  y: ArrayLike<number>;
  probs: ProbabilityRows;
  classes?: number;
}): number[][] {
  return confusionOf(prepare({ y, probs, classes }));
}

/** Accuracy of the probability rows' predictions. */
export function accuracy({ y, probs }: { y: ArrayLike<number>; probs: ProbabilityRows }): number {
  return accuracyOf(prepare({ y, probs }));
}

/** Macro-F1 of the probability rows' predictions. */
export function macroF1({
  y,
  probs,
  classes,
}: {
  y: ArrayLike<number>;
  probs: ProbabilityRows;
  classes?: number;
}): number {
  return macroF1Of(prepare({ y, probs, classes }));
}

/** Per-class precision, recall, F1 and support. */
export function classMetrics({
  y,
  probs,
  labels,
}: {
  y: ArrayLike<number>;
  probs: ProbabilityRows;
  labels: string[];
}): ClassMetrics[] {
  return classMetricsOf({ confusion: confusionOf(prepare({ y, probs, classes: labels.length })), labels });
}

/** Top-k accuracy. */
export function topKAccuracy({ y, probs, k }: { y: ArrayLike<number>; probs: ProbabilityRows; k: number }): number {
  return topKOf(prepare({ y, probs }), k);
}

/** Expected calibration error with `bins` equal-width confidence bins (default 10). */
export function expectedCalibrationError({
  y,
  probs,
  bins = 10,
}: {
  y: ArrayLike<number>;
  probs: ProbabilityRows;
  bins?: number;
}): number {
  return eceOf(prepare({ y, probs }), bins);
}
