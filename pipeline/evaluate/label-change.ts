import type { Logger } from '../log.ts';
import type { Tf } from '../model/head.ts';
import type { Params } from '../params.ts';
import { childSeed, seededUniform } from '../random.ts';
import type { DatasetObject, Interval, Metrics, Relabelled, Verdict } from '../types.ts';
import { bootstrapIntervals, quantile, verdictOf } from './bootstrap.ts';
import { outOfFoldProbabilities } from './crossval.ts';
import { BOOTSTRAP_SEED } from './metrics.ts';
import { macroF1Of, prepare } from './scores.ts';
import {
  countedByRelabelled,
  crossValidatedChange,
  crossValidatedVerdict,
  labelChangeWords,
  labelsToCheck,
  pValueWords,
  scoredObjectsWords,
  tooSmall,
} from './verdict-words.ts';

/*
 * A label change judged on every labelled object. The test split holds a fifth of the objects, so a
 * pull request that corrects twenty labels has two or three of them there, and its verdict has no
 * power. Here both label sets train heads in the same folds with the same seeds (only the labels
 * differ), every object is predicted by the heads that did not train on it, and both arms are scored
 * on the new labels (an object whose label was removed: on the label it had). The paired bootstrap over
 * objects then says whether the change helped.
 */

/** `metrics.crossValidated`: the cross-validated comparison of the base labels with the new ones. */
export type LabelChangeComparison = NonNullable<Metrics['crossValidated']>;

/**
 * The evaluate stage's summary line for the cross-validated comparison (the run log and the report's "Where this
 * result comes from"), in the report's words: "on the 300 labelled objects (cross-validated, 19 labels changed since
 * main): better (p = 0.002: with no real difference, one this large would turn up by chance about 1 time in 500; a
 * change of +0.05, between +0.03 and +0.07)".
 */
export function crossValidatedSummary(cv: LabelChangeComparison): string {
  const c = cv.comparison;
  const { objects, scoredOn } = scoredObjectsWords(cv);
  // A tester read "no detectable difference (p = 0.002" and "on all 300 labelled objects" (298 had a label now)
  // here after the report had been fixed to say otherwise.
  const verdict = crossValidatedVerdict(c, cv.before);
  const why =
    c.verdict === 'no detectable difference' || labelsToCheck(cv) || countedByRelabelled(c) ? `: ${verdict.why}` : '';
  return (
    `on ${objects} (cross-validated, ${labelChangeWords(cv)} since ${cv.base.ref}` +
    `${(cv.removed ?? 0) > 0 ? `; scored ${scoredOn}` : ''}): ` +
    `${verdict.name} (${pValueWords(c.pValue)}; a change of ${crossValidatedChange(c.difference, { minChange: c.minChange })}${why})`
  );
}

/**
 * Compare training on `base` labels with training on `head` labels (class index per object, -1 =
 * unlabelled in that arm) in the same `folds`, scored on the head labels (a label the head removes: the base's). `headRows`: the head arm's
 * out-of-fold rows when already computed (the evaluate stage's oof.json).
 */
export async function compareLabelSets({
  tf,
  x,
  objects,
  head,
  base,
  folds,
  k,
  labels,
  params,
  headRows,
  baseRows,
  trainingSd: knownSd,
  learn,
  setAside = [],
  log,
}: {
  tf: Tf;
  x: Float32Array[];
  /** Each object's split, and its id to name the relabelled ones (`before`; absent: its index). */
  objects: (Pick<DatasetObject, 'split'> & { id?: string })[];
  head: ArrayLike<number>;
  base: ArrayLike<number>;
  folds: ArrayLike<number>;
  k: number;
  labels: string[];
  params: Pick<Params, 'train' | 'evaluate'>;
  headRows?: Float32Array[];
  /** The same for the base arm. */
  baseRows?: Float32Array[];
  /** The objects the heads may learn from (a large collection's sample); absent: all. Every object is scored. */
  learn?: ArrayLike<number>;
  /** The training noise when already measured on (nearly) the same labels; otherwise measured here. */
  trainingSd?: number;
  /**
   * Labels being built up (new-labels.ts), by index: left out of both arms, as if not in the vocabulary. Their
   * objects are not scored, and each arm's probability on them goes back to the other labels in proportion. A thin
   * new label is learnt poorly from a handful of objects and takes a share of every look-alike's probability (tester
   * T7: five helmet masks split from the masks were "worse", p = 0.002); it cannot be judged until it has more.
   */
  setAside?: readonly number[];
  log: Logger;
}): Promise<Omit<LabelChangeComparison, 'base'>> {
  const validation = objects.map((o) => o.split === 'validation');
  const learnt = (y: ArrayLike<number>) => (learn ? Int32Array.from(y, (c, i) => (learn[i] ? c : -1)) : y);
  const run = (y: ArrayLike<number>, seed = params.train.seed) =>
    outOfFoldProbabilities({
      tf,
      x,
      y: learnt(y),
      validation,
      folds,
      k,
      labels,
      train: { ...params.train, seed },
      log,
    });
  const aside = new Set(setAside);
  const headOut = withoutLabels(headRows ?? (await run(head)), aside);
  const baseOut = withoutLabels(baseRows ?? (await run(base)), aside);
  let changed = 0;
  let added = 0;
  let unlabelled = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] === base[i]) continue;
    changed++;
    if (base[i]! < 0) added++;
    else if (head[i]! < 0) unlabelled++;
  }
  // Each object is scored on its label now, and an object whose label this change removes on the label it had:
  // scored on the labels now alone, a change that deletes every label but one class leaves a one-class
  // model right by construction ("better"), while it would call every figurine a coin. A few labels removed
  // move little: each object is predicted by heads that did not learn from it, in both arms.
  // An object of a label set aside is not scored.
  const target = Int32Array.from({ length: head.length }, (_, i) => {
    const c = head[i]! >= 0 ? head[i]! : base[i]!;
    return aside.has(c) ? -1 : c;
  });
  const scored = Array.from({ length: head.length }, (_, i) => i).filter((i) => target[i]! >= 0);
  const removed = scored.filter((i) => head[i]! < 0).length;
  const y = scored.map((i) => target[i]!);
  // Per object: the probability each arm gives the label it is scored on.
  const pHead = Float64Array.from(scored, (i) => headOut[i]![target[i]!]!);
  const pBase = Float64Array.from(scored, (i) => baseOut[i]![target[i]!]!);
  // The objects relabelled (a label before and another now), by their place among those scored: what the change is
  // about, whose own change is weighed against evaluate.min_change too (pairedMeanTest).
  const moved = scored.flatMap((i, j) => (head[i]! >= 0 && base[i]! >= 0 && head[i] !== base[i] ? [j] : []));
  // Training noise: the head arm again with other seeds; how far the mean moves is what two
  // trainings on the same labels differ by, which resampling objects alone does not see.
  const replicates: Float32Array[][] = [];
  for (let r = 0; r < (knownSd === undefined ? NOISE_REPLICATES : 0); r++) {
    replicates.push(
      withoutLabels(await run(head, childSeed(params.train.seed, `replicate-${r}`) % 2_147_483_647), aside),
    );
  }
  const trainingSd = knownSd ?? trainingNoise({ rows: headOut, replicates, y: target, folds, k });
  const { evaluate } = params;
  // What the photographs say of the objects relabelled, from heads that learnt neither their old nor their new
  // label: every other object keeps its label (the same before and now). The base arm would not do: it learnt the
  // old labels of a relabelled group's other members, so a group that was wrong together and is now put right
  // pointed to its old label by construction (a reviewer), as did a wrong group move.
  const neither = Int32Array.from(head, (c, i) => (c === base[i] ? c : -1));
  const relabelled = Array.from(head, (c, i) => c >= 0 && base[i]! >= 0 && c !== base[i]).some(Boolean);
  const neitherOut = relabelled ? await run(neither) : baseOut;
  // A label those heads never learnt (a type new in this change, or one every object of which was relabelled)
  // cannot be pointed to: objects moved to or from it are not judged.
  const known = new Set(Array.from(learnt(neither)).filter((c, i) => c >= 0 && !validation[i]));
  const before = photographsBefore({
    rows: neitherOut,
    head,
    base,
    labels,
    ids: objects.map((o, i) => o.id ?? String(i)),
    known: (c) => known.has(c),
  });
  const test = pairedMeanTest({
    candidate: pHead,
    baseline: pBase,
    trainingSd,
    resamples: evaluate.bootstrap,
    seed: BOOTSTRAP_SEED,
    alpha: evaluate.alpha,
    minChange: evaluate.min_change,
    relabelled: moved,
  });
  const cand = prepare({ y, probs: scored.map((i) => headOut[i]!), classes: labels.length });
  const prev = prepare({ y, probs: scored.map((i) => baseOut[i]!), classes: labels.length });
  const interval = (p: typeof cand): Interval =>
    bootstrapIntervals({
      prepared: p,
      statistics: { f1: macroF1Of },
      resamples: evaluate.bootstrap,
      seed: BOOTSTRAP_SEED,
    }).f1;
  return {
    changed,
    added,
    removed: unlabelled,
    objects: scored.length,
    k,
    candidate: interval(cand),
    baseline: interval(prev),
    probability: { candidate: test.candidate, baseline: test.baseline, trainingSd },
    before,
    comparison: {
      metric: 'probability',
      difference: test.difference,
      pValue: test.pValue,
      test:
        `paired bootstrap over all ${scored.length} labelled objects of the difference in the probability the ` +
        `model gives each object's label now ` +
        (removed > 0 ? `(for the ${removed} whose label this change removes: the label they had) ` : '') +
        `(${k}-fold cross-validation, both label sets in the same folds; ${noiseWords(knownSd)}; ` +
        `${evaluate.bootstrap} resamples, two-sided)` +
        (aside.size > 0
          ? `; ${[...aside].map((c) => labels[c]).join(', ')}, ${aside.size === 1 ? 'a label' : 'labels'} being ` +
            'built up, left out of both (too few objects to judge yet: not scored, and their share of each answer ' +
            'given back to the other labels)'
          : ''),
      verdict: test.verdict,
      minChange: evaluate.min_change,
      alpha: evaluate.alpha,
      ...(test.relabelled ? { relabelled: test.relabelled } : {}),
    },
  };
}

/**
 * The labels the comparison would score objects on (compareLabelSets's targets: each object's label now, else the
 * one it had), those `setAside` left out, in vocabulary order. Fewer than two: there is nothing to compare. With one
 * label left every answer gives it all the probability, in both arms (tester T1: "a change of 0.000000", every
 * probability 1.00, and claims about objects read from it).
 */
export function labelsLeftToJudge({
  labels,
  head,
  base,
  setAside = [],
}: {
  labels: readonly string[];
  head: ArrayLike<number>;
  base: ArrayLike<number>;
  setAside?: readonly number[];
}): string[] {
  const aside = new Set(setAside);
  const scored = new Set<number>();
  for (let i = 0; i < head.length; i++) {
    const c = head[i]! >= 0 ? head[i]! : base[i]!;
    if (c >= 0 && !aside.has(c)) scored.add(c);
  }
  return labels.filter((_, c) => scored.has(c));
}

/**
 * Probability rows with the labels `aside` taken out: their probability 0, the rest scaled back to sum to what the
 * row did (what the model would say if it had to choose among the other labels). A row with all its probability on
 * them: the rest evenly.
 */
export function withoutLabels(rows: Float32Array[], aside: ReadonlySet<number>): Float32Array[] {
  if (aside.size === 0) return rows;
  return rows.map((row) => {
    let total = 0;
    let kept = 0;
    for (let c = 0; c < row.length; c++) {
      total += row[c]!;
      if (!aside.has(c)) kept += row[c]!;
    }
    const others = row.length - aside.size;
    return Float32Array.from(row, (p, c) =>
      aside.has(c) ? 0 : kept > 1e-9 ? (p * total) / kept : others > 0 ? total / others : 0,
    );
  });
}

/**
 * What the photographs say of the objects relabelled (a label at the base and another now): out-of-fold
 * probabilities (`rows`) of heads that learnt neither label of theirs (compareLabelSets), old label against new.
 * Both arms are scored on the new labels, so a consistent but wrong relabelling (a coherent group of beads moved to
 * Pottery) is "better": the model fits the new labels, whether or not they are right. A genuine fix is one the
 * photographs point to; this is the other side of the evidence. `objects`: those that pointed to the old label, the
 * most clearly first, at most BEFORE_LISTED.
 */
export function photographsBefore({
  rows,
  head,
  base,
  labels,
  ids,
  known = () => true,
}: {
  rows: ArrayLike<number>[];
  head: ArrayLike<number>;
  base: ArrayLike<number>;
  labels: string[];
  ids: string[];
  /** Whether the heads of `rows` learnt a label; objects moved from or to one they did not are not judged. */
  known?: (label: number) => boolean;
}): NonNullable<LabelChangeComparison['before']> {
  const relabelled: { i: number; margin: number }[] = [];
  for (let i = 0; i < head.length; i++) {
    const was = base[i]!;
    const now = head[i]!;
    if (was < 0 || now < 0 || was === now || !known(was) || !known(now)) continue;
    relabelled.push({ i, margin: rows[i]![was]! - rows[i]![now]! });
  }
  const old = relabelled.filter((r) => r.margin > 0).sort((a, b) => b.margin - a.margin);
  return {
    relabelled: relabelled.length,
    old: old.length,
    objects: old
      .slice(0, BEFORE_LISTED)
      .map(({ i }) => ({ id: ids[i]!, old: labels[base[i]!]!, new: labels[head[i]!]! })),
  };
}

/** How many of the relabelled objects whose photographs pointed to the old label metrics.json names. */
export const BEFORE_LISTED = 20;

/**
 * The standard deviation, between two trainings on the same labels, of the mean probability of
 * each object's label (`y[i]`; -1 objects are not scored). Each fold's head trains on its own, so
 * every (rerun, fold) pair is an independent draw of how far training alone moves that fold's mean:
 * pooling them (NOISE_REPLICATES × k draws) is far steadier than the reruns' overall means alone.
 */
export function trainingNoise({
  rows,
  replicates,
  y,
  folds,
  k,
}: {
  rows: ArrayLike<number>[];
  replicates: ArrayLike<number>[][];
  y: ArrayLike<number>;
  folds: ArrayLike<number>;
  k: number;
}): number {
  const count = new Array<number>(k).fill(0);
  for (let i = 0; i < y.length; i++) if (y[i]! >= 0) count[folds[i]!]!++;
  const n = count.reduce((a, b) => a + b, 0);
  if (n === 0 || replicates.length === 0) return 0;
  let pooled = 0;
  let draws = 0;
  for (const again of replicates) {
    const shift = new Array<number>(k).fill(0);
    for (let i = 0; i < y.length; i++) if (y[i]! >= 0) shift[folds[i]!]! += again[i]![y[i]!]! - rows[i]![y[i]!]!;
    for (let f = 0; f < k; f++) {
      if (count[f] === 0) continue;
      pooled += (shift[f]! / count[f]!) ** 2;
      draws++;
    }
  }
  // The overall mean weighs fold f by n_f / n; the folds' draws are pooled (folds drawn by photograph
  // are of about equal size, and a head's training noise does not shrink with the objects it predicts).
  const weights = count.reduce((s, c) => s + (c / n) ** 2, 0);
  return Math.sqrt((pooled / draws) * weights);
}

/** How the comparison's training noise was found, for its description. */
function noiseWords(knownSd: number | undefined): string {
  if (knownSd === undefined) return `training noise from ${NOISE_REPLICATES} reruns with other seeds added`;
  return knownSd === 0
    ? 'no training noise: the heads do not depend on their seed'
    : 'training noise as measured on the same labels added';
}

/** Reruns of the head arm with other seeds, to measure how much training alone moves the result. */
export const NOISE_REPLICATES = 2;

/** Fewer relabelled objects than this never make a change count on their own (as for "check label changes"). */
export const MIN_RELABELLED = 3;

/**
 * The change over the objects relabelled, and whether it `counts` against evaluate.min_change in place of the change
 * over every object. A reviewer showed that one ambiguous object's own change, noise, turned a nudge from labels
 * added elsewhere into "better" or "worse". So it counts only when at least MIN_RELABELLED objects were relabelled,
 * their own paired test (their objects resampled, the training noise scaled to their number) says better or worse
 * the same way the change over every object goes, and they account for at least half of that change.
 */
function relabelledChange({
  candidate,
  baseline,
  relabelled,
  value,
  trainingSd,
  resamples,
  seed,
  alpha,
  minChange,
}: {
  candidate: ArrayLike<number>;
  baseline: ArrayLike<number>;
  relabelled: ArrayLike<number>;
  value: number;
  trainingSd: number;
  resamples: number;
  seed: number;
  alpha: number;
  minChange: number;
}): Relabelled {
  const k = relabelled.length;
  const n = candidate.length;
  const theirs = {
    candidate: Array.from(relabelled, (j) => candidate[j]!),
    baseline: Array.from(relabelled, (j) => baseline[j]!),
  };
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const own = mean(theirs.candidate) - mean(theirs.baseline);
  let counts = false;
  if (k >= MIN_RELABELLED && value !== 0 && Math.sign(own) === Math.sign(value)) {
    const alone = pairedMeanTest({
      ...theirs,
      trainingSd: trainingSd * Math.sqrt(n / k),
      resamples,
      seed,
      alpha,
      minChange,
    });
    counts = alone.verdict === (value > 0 ? 'better' : 'worse') && Math.abs((own * k) / n) >= Math.abs(value) / 2;
  }
  return { objects: k, candidate: mean(theirs.candidate), baseline: mean(theirs.baseline), counts };
}

/**
 * Paired test of mean(candidate) − mean(baseline) over objects: each bootstrap resample draws the
 * same objects for both, and adds a normal draw with the training noise's standard deviation, so the
 * verdict must beat both a different draw of objects and a different training run. A change smaller
 * than `minChange` is no difference whatever its p-value: over hundreds of objects, a few correctly
 * labelled objects added move every head a little, significantly and to no one's benefit (tester:
 * "Better", p = 0.004, for a change of 0.00). The mean over every object shrinks a change of a few
 * labels with the size of the collection, though: a tester's exact revert of 25 beads wrongly moved
 * together, among 1,827 objects, was +0.0096 on average (p = 0.002), "too small to matter", while the 25
 * themselves gained +0.30 each. So the change over the objects `relabelled` (their places in `candidate`)
 * counts as well, when it goes the same way as the change over every object: the p-value still comes from
 * every object.
 */
export function pairedMeanTest({
  candidate,
  baseline,
  trainingSd,
  resamples,
  seed,
  alpha,
  minChange,
  relabelled = [],
}: {
  candidate: ArrayLike<number>;
  baseline: ArrayLike<number>;
  trainingSd: number;
  resamples: number;
  seed: number;
  alpha: number;
  /** The smallest change of the mean that counts as better or worse (evaluate.min_change). */
  minChange: number;
  /** Places (in `candidate` and `baseline`) of the objects a label change relabelled; none: every object only. */
  relabelled?: ArrayLike<number>;
}): {
  candidate: number;
  baseline: number;
  difference: Interval;
  pValue: number;
  verdict: Verdict;
  /** The mean of each over the objects `relabelled` (absent: none). */
  relabelled?: Relabelled;
} {
  const n = candidate.length;
  const mean = (a: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]!;
    return a.length === 0 ? 0 : s / a.length;
  };
  const value = mean(candidate) - mean(baseline);
  const moved =
    relabelled.length > 0
      ? relabelledChange({ candidate, baseline, relabelled, value, trainingSd, resamples, seed, alpha, minChange })
      : undefined;
  if (n === 0)
    return {
      candidate: 0,
      baseline: 0,
      difference: { value, low: value, high: value },
      pValue: 1,
      verdict: 'no detectable difference',
    };
  const d = Float64Array.from({ length: n }, (_, i) => candidate[i]! - baseline[i]!);
  const uniform = seededUniform(seed);
  const draws = new Float64Array(resamples);
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(uniform() * n)]!;
    // Box–Muller from the same seeded source: the same inputs always give the same p-value.
    const noise = trainingSd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const x = s / n + noise;
    draws[r] = x;
    if (x <= 1e-12) atOrBelow++;
    if (x >= -1e-12) atOrAbove++;
  }
  draws.sort();
  const pValue = Math.min(1, (2 * (Math.min(atOrBelow, atOrAbove) + 1)) / (resamples + 1));
  const difference = { value, low: quantile(draws, alpha / 2), high: quantile(draws, 1 - alpha / 2) };
  return {
    candidate: mean(candidate),
    baseline: mean(baseline),
    difference,
    pValue,
    verdict: tooSmall({ value, minChange, relabelled: moved })
      ? 'no detectable difference'
      : verdictOf({ difference: value, pValue, alpha }),
    ...(moved ? { relabelled: moved } : {}),
  };
}
