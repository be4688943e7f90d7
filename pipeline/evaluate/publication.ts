import { seededUniform } from '../random.ts';
import type { Interval, Metrics } from '../types.ts';
import { quantile } from './bootstrap.ts';
import { shareInterval } from './boundary.ts';
import { BOOTSTRAP_SEED } from './metrics.ts';
import { argmax } from './scores.ts';

/*
 * Publish only what the model is sure of (annotate.min_precision). For each class, the out-of-fold
 * predictions of that class are sorted by confidence; the threshold is the lowest confidence at which
 * the predictions at or above it are still right at least `minPrecision` of the time (the largest
 * such set). A class that is never predicted, or whose surest predictions already miss, gets no
 * threshold: none of its annotations are published until staff confirm them.
 *
 * Choosing thresholds and measuring them on the same objects would flatter them, so the coverage and
 * precision reported are cross-fitted: each fold's objects are judged with thresholds chosen on the
 * other folds; the intervals are bootstrap intervals over objects.
 */

/** Per-class thresholds (null: publish nothing of that class). */
export function publicationThresholds({
  y,
  probs,
  classes,
  minPrecision,
}: {
  y: ArrayLike<number>;
  probs: ArrayLike<number>[];
  classes: number;
  minPrecision: number;
}): { thresholds: (number | null)[] } {
  const byClass: { p: number; right: boolean }[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < y.length; i++) {
    const c = argmax(probs[i]!);
    byClass[c]!.push({ p: probs[i]![c]!, right: c === y[i] });
  }
  const thresholds = byClass.map((list) => {
    list.sort((a, b) => b.p - a.p);
    let right = 0;
    let best: number | null = null;
    for (let n = 0; n < list.length; n++) {
      right += list[n]!.right ? 1 : 0;
      // Equal confidences are published together or not at all: only cut after the last of them.
      if (n + 1 < list.length && list[n + 1]!.p === list[n]!.p) continue;
      if (right / (n + 1) >= minPrecision - 1e-12) best = list[n]!.p;
    }
    return best;
  });
  return { thresholds };
}

/** Whether a prediction of class `c` with probability `p` is published under `thresholds`. */
export function isPublished({ thresholds, c, p }: { thresholds: (number | null)[]; c: number; p: number }): boolean {
  const t = thresholds[c];
  return t !== null && t !== undefined && p >= t - 1e-12;
}

/** `metrics.publication.byLabel`: guesses and held-back guesses per label (pipeline/types.ts). */
export type PublicationByLabel = NonNullable<NonNullable<Metrics['publication']>['byLabel']>;

/** `metrics.publication`: the thresholds for annotate.min_precision and the coverage and precision they give. */
export function publicationEstimate({
  y,
  probs,
  folds,
  k,
  labels,
  ids,
  minPrecision,
  resamples,
}: {
  y: ArrayLike<number>;
  probs: ArrayLike<number>[];
  folds: ArrayLike<number>;
  k: number;
  labels: string[];
  /** The objects' ids, to name the surest guesses that keep a label from being published (`unpublished`). */
  ids?: string[];
  minPrecision: number;
  resamples: number;
}): NonNullable<Metrics['publication']> & { byLabel: PublicationByLabel } {
  const classes = labels.length;
  const n = y.length;
  const { thresholds } = publicationThresholds({ y, probs, classes, minPrecision });
  // Cross-fitted: fold f judged with thresholds chosen without it.
  const published = new Uint8Array(n);
  const right = new Uint8Array(n);
  for (let f = 0; f < k; f++) {
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (folds[i] !== f) rest.push(i);
    const chosen = publicationThresholds({
      y: rest.map((i) => y[i]!),
      probs: rest.map((i) => probs[i]!),
      classes,
      minPrecision,
    }).thresholds;
    for (let i = 0; i < n; i++) {
      if (folds[i] !== f) continue;
      const c = argmax(probs[i]!);
      published[i] = isPublished({ thresholds: chosen, c, p: probs[i]![c]! }) ? 1 : 0;
      right[i] = c === y[i] ? 1 : 0;
    }
  }
  const { coverage, precision } = coverageAndPrecision({ published, right, resamples });
  // Per label, with the thresholds written below (not the cross-fitted ones): what the rule does to these guesses.
  const byLabel: PublicationByLabel = Object.fromEntries(labels.map((l) => [l, { guessed: 0, heldBack: 0 }]));
  for (let i = 0; i < n; i++) {
    // A failed fold's row (NaN) guesses nothing.
    if (!Array.prototype.every.call(probs[i]!, Number.isFinite)) continue;
    const c = argmax(probs[i]!);
    const counts = byLabel[labels[c]!]!;
    counts.guessed++;
    if (!isPublished({ thresholds, c, p: probs[i]![c]! })) counts.heldBack++;
  }
  const unpublished = ids ? unpublishedLabels({ y, probs, labels, ids, thresholds }) : {};
  return {
    minPrecision,
    ...(Object.keys(unpublished).length > 0 ? { unpublished } : {}),
    thresholds: Object.fromEntries(
      labels.map((l, c) => [l, thresholds[c] === null ? null : Math.round(thresholds[c]! * 1e6) / 1e6]),
    ),
    n,
    coverage,
    precision,
    byLabel,
  };
}

/**
 * The sentence for a label none of whose guesses can be published (`unpublished`), for the run's log and, with
 * `quote` (Markdown escaping), the pull request's report: why, and what staff can do about it.
 */
export function unpublishedWords({
  label,
  entry,
  minPrecision,
  quote = (s) => s,
}: {
  label: string;
  entry: NonNullable<NonNullable<Metrics['publication']>['unpublished']>[string];
  minPrecision: number;
  quote?: (s: string) => string;
}): string {
  const misses = entry.surestMisses.map(
    (m) => `${quote(m.id)} (labelled ${quote(m.labelled)}, guessed ${quote(label)} ${sure(m.confidence)} sure)`,
  );
  return (
    `No ${quote(label)} guess can be published: on the labelled objects, the model's surest ${quote(label)} guesses ` +
    `are right at most ${atMost(entry.precision)} of the time, and ${quote('annotate.min_precision')} asks ` +
    `${sure(minPrecision)}.` +
    (misses.length > 0
      ? ` The surest that disagree with labels.csv: ${misses.join(', ')}. If those labels are wrong, correcting ` +
        `them in labels.csv may let ${quote(label)} guesses be published; until then every ${quote(label)} guess ` +
        'waits for staff in the review queue.'
      : ` Every ${quote(label)} guess waits for staff in the review queue.`)
  );
}

/** A share as a whole percentage that never rounds up to "100%" for less than certain. */
function sure(x: number): string {
  return x >= 1 ? '100%' : `${Math.min(99, Math.round(x * 100))}%`;
}

/** A share rounded down: "at most 89%" for 26 of 29, never the "90%" asked, which it did not reach. */
function atMost(x: number): string {
  return `${Math.floor(x * 100 + 1e-9)}%`;
}

/** How many of a label's surest wrong guesses are named. */
const SUREST_MISSES = 3;

/**
 * The labels the model guesses but whose guesses never reach the wanted precision, so none is published: the best
 * precision any cut through its guesses reached, and its surest guesses that disagree with their labels. In a
 * collection with wrong labels these are most often the wrong labels (a woven panel labelled coin, guessed textile
 * at 100%), which staff can correct; said in the run and the report, so that a whole label waiting is not a mystery.
 */
function unpublishedLabels({
  y,
  probs,
  labels,
  ids,
  thresholds,
}: {
  y: ArrayLike<number>;
  probs: ArrayLike<number>[];
  labels: string[];
  ids: string[];
  thresholds: (number | null)[];
}): NonNullable<NonNullable<Metrics['publication']>['unpublished']> {
  const out: NonNullable<NonNullable<Metrics['publication']>['unpublished']> = {};
  for (const [c, label] of labels.entries()) {
    if (thresholds[c] !== null) continue;
    const guesses: { i: number; p: number; right: boolean }[] = [];
    for (let i = 0; i < y.length; i++) {
      if (!Array.prototype.every.call(probs[i]!, Number.isFinite) || argmax(probs[i]!) !== c) continue;
      guesses.push({ i, p: probs[i]![c]!, right: y[i] === c });
    }
    if (guesses.length === 0) continue;
    guesses.sort((a, b) => b.p - a.p);
    let right = 0;
    let precision = 0;
    for (const [n, g] of guesses.entries()) {
      right += g.right ? 1 : 0;
      if (n + 1 < guesses.length && guesses[n + 1]!.p === g.p) continue;
      precision = Math.max(precision, right / (n + 1));
    }
    const surestMisses = guesses
      .filter((g) => !g.right)
      .slice(0, SUREST_MISSES)
      .map((g) => ({ id: ids[g.i]!, labelled: labels[y[g.i]!] ?? '', confidence: g.p }));
    out[label] = { guessed: guesses.length, precision: Math.round(precision * 1e4) / 1e4, surestMisses };
  }
  return out;
}

/**
 * The share of objects published and the share of those that are right, with bootstrap 95% intervals
 * over objects (`resamples` draws; the same seed as the other intervals of metrics.json).
 */
export function coverageAndPrecision({
  published,
  right,
  resamples,
}: {
  /** 1 where the object's annotation is published. */
  published: ArrayLike<number>;
  /** 1 where the object's predicted label is its true one. */
  right: ArrayLike<number>;
  resamples: number;
}): { coverage: Interval; precision: Interval } {
  const n = published.length;
  const stats = (idx: ArrayLike<number>) => {
    let shown = 0;
    let good = 0;
    for (let j = 0; j < idx.length; j++) {
      shown += published[idx[j]!]!;
      good += published[idx[j]!]! & right[idx[j]!]!;
    }
    return { coverage: idx.length === 0 ? 0 : shown / idx.length, precision: shown === 0 ? 0 : good / shown };
  };
  const all = stats(Uint32Array.from({ length: n }, (_, i) => i));
  const cover = new Float64Array(resamples);
  const prec = new Float64Array(resamples);
  const uniform = seededUniform(BOOTSTRAP_SEED);
  const idx = new Uint32Array(n);
  for (let r = 0; r < resamples && n > 0; r++) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor(uniform() * n);
    const s = stats(idx);
    cover[r] = s.coverage;
    prec[r] = s.precision;
  }
  const interval = (value: number, draws: Float64Array): Interval =>
    n === 0
      ? { value, low: value, high: value }
      : { value, low: Math.min(value, quantile(draws.sort(), 0.025)), high: Math.max(value, quantile(draws, 0.975)) };
  // Every object published, or every published guess right: the resamples cannot vary it (boundary.ts).
  const shown = Math.round(all.coverage * n);
  return {
    coverage: shareInterval({ interval: interval(all.coverage, cover), n }),
    precision: shareInterval({ interval: interval(all.precision, prec), n: shown }),
  };
}
