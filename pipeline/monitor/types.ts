/*
 * What monitoring writes. `vitrine monitor` compares a reference set of objects (the production
 * model's training objects, or the objects of a data version) with a current set (the objects added
 * since, or those of another data version) and writes `.vitrine/monitor/drift.json` (DriftReport).
 * Each run also appends one line to `.vitrine/monitor/history.json` (DriftHistory) so the catalogue's
 * Monitoring page can draw drift over time per model version, and `vitrine monitor` writes
 * `.vitrine/monitor/corrections.json` (CorrectionRate) when a production model exists.
 *
 * Every signal carries its value, the threshold it was compared with (from `params.monitor`) and
 * whether it passed it, so reports and pages never recompute a decision.
 */

/** One side of the comparison: which objects, and where they came from. */
export interface DriftSide {
  /**
   * How the objects were chosen:
   * - "model-training": the training split the production (or named) model version was trained on;
   * - "added-since": objects present now that the model was not trained on / that a ref did not have;
   * - "new-and-unlabelled": those, plus the objects nobody has labelled (the first import's too);
   * - "data-version": every object of a git ref or data version;
   * - "objects": an explicit list of object ids.
   */
  kind: 'model-training' | 'added-since' | 'new-and-unlabelled' | 'data-version' | 'objects';
  /** Plain words for reports: "the 212 training objects of collection-classifier v1.2.0". */
  description: string;
  /** Model version when the side is defined by a model ("v1.2.0"), else null. */
  modelVersion: string | null;
  /** Git ref or commit the side was read at, else null. */
  ref: string | null;
  /**
   * The commit `ref` pointed to when read, for a ref named by the user (`vitrine monitor --reference`): a branch
   * moves, so the ref alone does not say which objects were there. Absent otherwise.
   */
  commit?: string;
  /** Number of objects on this side that had an image and entered the comparison. */
  count: number;
}

/** A standardised summary of one number over a set of objects. */
export interface Moments {
  mean: number;
  sd: number;
  n: number;
}

/**
 * Drift of the image embeddings: energy distance between the two sets of (L2-normalised) backbone
 * embeddings, with a seeded permutation test. Drifted when the p-value is below `params.monitor.
 * embedding_p_value` AND the effect (energy coefficient, 0 = same distribution, 1 = fully apart) is at
 * least `params.monitor.embedding_min_effect`. It measures any change in what is photographed, including a
 * different mix of familiar kinds (a batch of only coins), so its effect bar is high; `novelty`
 * below is the signal for photographs unlike anything in training.
 */
export interface EmbeddingDrift {
  signal: 'embeddings';
  /** Energy distance E = 2E|X-Y| - E|X-X'| - E|Y-Y'| (Euclidean on unit vectors). */
  value: number;
  /** Energy coefficient H = E / (2E|X-Y|) in [0, 1]: the effect size compared with `minEffect`. */
  effect: number;
  /** Permutation p-value, (1 + #{permuted >= observed}) / (1 + permutations). */
  pValue: number;
  /** `params.monitor.embedding_p_value`. */
  threshold: number;
  /** `params.monitor.embedding_min_effect`. */
  minEffect: number;
  drifted: boolean;
  permutations: number;
  seed: number;
  /** Backbone id the embeddings came from (cache identity). */
  backbone: string;
  /** Objects actually compared per side (large sides are subsampled, seeded). */
  compared: { reference: number; current: number };
}

/**
 * Novelty on the embeddings: how much farther the current objects lie from their nearest reference
 * object than reference objects lie from each other (relative increase of the mean nearest-neighbour
 * cosine distance, reference leave-one-out), with a one-sided seeded permutation test. It rises when
 * new photographs are unlike anything in the reference (a new photography setup, a kind of object
 * never seen) and stays put when the new objects are only a different mix of familiar kinds. Drifted
 * when the p-value is below `params.monitor.embedding_p_value` AND the value is at least
 * `params.monitor.novelty_min_increase`.
 */
export interface NoveltyDrift {
  signal: 'novelty';
  /** Mean nearest-reference distance of current objects over the reference's own, minus 1 (0.5: half as far again). */
  value: number;
  pValue: number;
  /** `params.monitor.embedding_p_value`. */
  threshold: number;
  /** `params.monitor.novelty_min_increase`. */
  minIncrease: number;
  drifted: boolean;
  permutations: number;
  seed: number;
}

/**
 * The headline signal: a classifier two-sample test on the embeddings (classifier-test.ts). A
 * logistic regression learns to tell the new objects from the reference ones in 5 folds; its AUC
 * on the objects it did not train on says how well (0.5: it cannot, 1: every time). Drifted when
 * the 95% interval lies above 0.5 (the difference is real) and the AUC reaches
 * `params.monitor.classifier_min_auc` (it is large enough to matter).
 */
export interface ClassifierDrift {
  signal: 'classifier';
  /** Out-of-fold AUC. */
  value: number;
  /** 95% DeLong interval. */
  low: number;
  high: number;
  /** `params.monitor.classifier_min_auc`. */
  threshold: number;
  drifted: boolean;
  folds: number;
  seed: number;
  compared: { reference: number; current: number };
}

/** Which image statistic. Brightness and saturation are means over all pixels; background is the image border. */
export type ImageStatName =
  | 'size'
  | 'aspect'
  | 'brightness'
  | 'saturation'
  | 'background-brightness'
  | 'background-colourfulness';

/**
 * Drift of one image statistic: the standardised mean difference (current minus reference, over the
 * pooled standard deviation). Drifted when |value| >= `params.monitor.image_stats_threshold`.
 */
export interface ImageStatDrift {
  signal: ImageStatName;
  /** Plain words: "brightness (mean pixel lightness, 0-1)". */
  description: string;
  reference: Moments;
  current: Moments;
  /** Standardised mean difference (signed). */
  value: number;
  threshold: number;
  drifted: boolean;
}

/**
 * Drift of the production model's predicted-label distribution: total variation distance (half the
 * sum of absolute share differences, 0-1). Drifted when value >= `params.monitor.label_distribution_threshold`.
 */
export interface LabelDistributionDrift {
  signal: 'predicted-labels';
  value: number;
  threshold: number;
  drifted: boolean;
  /** Model version whose predictions were compared. */
  modelVersion: string;
  /** Share of each predicted label per side (labels in vocabulary order). */
  reference: Record<string, number>;
  current: Record<string, number>;
  /** Objects with a prediction on each side. */
  counts: { reference: number; current: number };
}

/** A current object far from every reference object: the model has seen nothing like it. */
export interface UnfamiliarObject {
  id: string;
  title: string;
  /** Cosine distance (1 - cosine similarity) to its nearest reference object. */
  distance: number;
  /** The nearest reference object. */
  nearestId: string;
  /** True when `distance` is above the reference's own nearest-neighbour distances (see `unfamiliarThreshold`). */
  unusual: boolean;
  /** The production model's prediction, when there is one. */
  predicted: { label: string; confidence: number } | null;
}

/** `.vitrine/monitor/drift.json` */
export interface DriftReport {
  schema: 'vitrine.drift/1';
  createdAt: string;
  /** Production (or named) model version the comparison is about; null when there is none. */
  modelVersion: string | null;
  reference: DriftSide;
  current: DriftSide;
  signals: {
    /** The headline signal; null when either side has fewer than 5 embedded objects (absent in reports written before it). */
    classifier?: ClassifierDrift | null;
    /** null when either side has fewer than 2 embedded objects. */
    embeddings: EmbeddingDrift | null;
    /** null when either side has fewer than 2 embedded objects. */
    novelty: NoveltyDrift | null;
    imageStats: ImageStatDrift[];
    /** null when there is no production model or too few predictions. */
    predictedLabels: LabelDistributionDrift | null;
  };
  /**
   * A current object counts as unusual when its nearest-reference distance is above this: the
   * 99th percentile of the reference objects' own nearest-neighbour (leave-one-out) distances.
   */
  unfamiliarThreshold: number;
  /** Share of current objects that are unusual (0-1). */
  unusualShare: number;
  /** Current objects furthest from anything in the reference, furthest first (`params.monitor.unfamiliar` of them). */
  unfamiliar: UnfamiliarObject[];
  /** True when any signal drifted. */
  drifted: boolean;
  /** The names of the signals that drifted. */
  driftedSignals: string[];
  /** Plain words for people: what changed, which objects, what to do. */
  summary: string;
  /**
   * With a production model, when objects were added since it and unlabelled ones were already there: `current` is
   * the objects added since, judged on their own, and this is the same comparison for them pooled with the old
   * unlabelled ones (what `current` was before they were judged apart). Absent otherwise.
   */
  pooled?: PooledDrift;
}

/** The pooled comparison beside a drift report's own (DriftReport.pooled): its side, headline and verdict. */
export interface PooledDrift {
  /** kind "new-and-unlabelled". */
  current: DriftSide;
  classifier: ClassifierDrift | null;
  novelty: NoveltyDrift | null;
  unusualShare: number;
  drifted: boolean;
  driftedSignals: string[];
  /** The pooled comparison's own summary (its words name its group). */
  summary: string;
}

/** One monitoring run, as kept in `.vitrine/monitor/history.json` for the drift-over-time chart. */
export interface DriftHistoryEntry {
  createdAt: string;
  modelVersion: string | null;
  /** git HEAD when monitored, or null outside git. */
  commit: string | null;
  referenceCount: number;
  currentCount: number;
  /**
   * Which group was judged (the current side's kind): "added-since", the objects added since the model; or
   * "new-and-unlabelled", the unlabelled objects already there (with the added ones when too few were added to judge
   * alone). Absent in lines written before it was recorded.
   */
  currentKind?: DriftSide['kind'];
  /**
   * The git ref compared with, as typed, in a run of `vitrine monitor --reference <ref>`: the objects judged were
   * added since it, not since the model. Absent in a run against the model, and in lines written before it was kept.
   */
  reference?: string;
  /**
   * The commit `reference` pointed to in that run: runs against a branch that moved judged other objects. Absent
   * where `reference` is, and in lines written before it was kept (task D12).
   */
  referenceCommit?: string;
  /** The classifier test's AUC and interval (absent in entries written before it). */
  classifierAuc?: number | null;
  classifierLow?: number | null;
  classifierHigh?: number | null;
  embeddingEffect: number | null;
  embeddingPValue: number | null;
  noveltyIncrease: number | null;
  noveltyPValue: number | null;
  /** Largest |standardised difference| over the image statistics. */
  maxImageStat: number | null;
  labelDistance: number | null;
  unusualShare: number;
  drifted: boolean;
  driftedSignals: string[];
}

/** `.vitrine/monitor/history.json`: oldest first. */
export interface DriftHistory {
  schema: 'vitrine.drift-history/1';
  entries: DriftHistoryEntry[];
}

/** Labels corrected since a model was promoted: `.vitrine/monitor/corrections.json`. */
export interface CorrectionRate {
  schema: 'vitrine.corrections/1';
  modelVersion: string;
  /** Commit the production tag points at (the labels the model was trained with). */
  since: string;
  /** Commit the count was made at (HEAD of main). */
  until: string;
  /** Commits on the first-parent line since promotion that changed labels.csv. */
  commits: number;
  /** Label lines whose label changed, added or removed since promotion. */
  changed: number;
  added: number;
  removed: number;
  /** Labelled objects at `until`. */
  labelled: number;
  /** changed / labelled at promotion (0 when none). */
  rate: number;
  /** Changed labels per commit, oldest first (for a sparkline). */
  byCommit: { commit: string; date: string; message: string; changed: number; added: number; removed: number }[];
}

/** What `vitrine monitor --check-retrain` decides (also its --json output). */
export interface RetrainDecision {
  retrain: boolean;
  /** Plain-words reasons, one per threshold passed (or why not). */
  reasons: string[];
  newLabels: number;
  newObjects: number;
  drifted: boolean;
  /** One Markdown line for the scheduled run's job summary. */
  summaryLine: string;
}
