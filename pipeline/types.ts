/**
 * The plain data that flows between stages. Each shape is written to a JSON file under `.vitrine/`
 * by one stage and read by the next ones; these types are the contract between them.
 */

/** One object of the collection, as in `data/objects.csv` (Vitrine's canonical columns). */
export interface CollectionObject {
  /** The museum's object id (accession or system number). Unique. */
  id: string;
  title: string;
  maker: string;
  /** Free-text date as the museum writes it ("c. 1391–1353 BCE", "1889"). */
  date: string;
  department: string;
  medium: string;
  creditLine: string;
  rights: string;
  description: string;
  /** Image path relative to `data/` (e.g. `images/v-0001.png`); empty when the object has none. */
  image: string;
  /** Extra columns kept as they came (museum of origin, period, source URL...). */
  extra: Record<string, string>;
}

/** A label line of `labels.csv`. */
export interface LabelLine {
  objectId: string;
  label: string;
  /** 1-based line number in `labels.csv`, for messages and annotations. */
  line: number;
  /**
   * A line short of the staff's own columns right under a line whose last one holds a note: the line of that note.
   * When its id is no object's, it is most likely the rest of the note, cut by a line break (checkLabels refuses it).
   */
  afterNote?: number;
}

export type Split = 'train' | 'validation' | 'test';

/** A named colour from an object's photograph, background excluded. */
export interface DominantColour {
  hex: string;
  /** CIELAB (D65). */
  lab: [number, number, number];
  /** Fraction of the object's (non-background) pixels. */
  share: number;
  /** Nearest named colour ("terracotta", "navy"). */
  name: string;
  /** Colour family for faceting ("red", "blue", "brown", "neutral"...). */
  family: string;
}

/** Web derivatives for the catalogue, paths relative to `.vitrine/dataset/`. */
export interface Thumbnail {
  width: number;
  height: number;
  webp: string;
  jpeg: string;
}

/** An object after the dataset stage: metadata, image facts, label and split. */
export interface DatasetObject extends CollectionObject {
  /** md5 of the image bytes (the DVC object hash): the content key of every cache. */
  imageMd5: string;
  /** Original pixel size after EXIF orientation. */
  width: number;
  height: number;
  /** Human label from `labels.csv`, or null when the object has none yet. */
  label: string | null;
  /** Decided from the id hash (and shared by identical images); unlabelled objects carry one too. */
  split: Split;
  colours: DominantColour[];
  thumbnails: Thumbnail[];
  /**
   * One picture given to many objects under different labels (IMAGE_PLACEHOLDER): its fields above are empty, so
   * the model neither learns from it nor is tested on it, and this is the picture the catalogue still shows on the
   * object's page (a set photographed together is a loss to hide). Absent otherwise.
   */
  shownOnly?: ShownOnly;
}

/** One picture given to many objects, most likely a “no image” card (Dataset.standIns, dataset/small-images.ts). */
export interface StandIn {
  /** The picture's file under data/, as the first of its objects names it ("images/noimage.jpg"). */
  image: string;
  /** Its objects' ids, in natural order. */
  objects: string[];
  /** The labels those objects carry (none when all are unlabelled). */
  labels: string[];
}

/** The picture of an object the catalogue shows, but the model does not use (DatasetObject.shownOnly). */
export type ShownOnly = Pick<DatasetObject, 'image' | 'imageMd5' | 'width' | 'height' | 'colours' | 'thumbnails'>;

/** A problem found while building the dataset. */
export interface DatasetIssue {
  code: string;
  message: string;
  file: string;
  line?: number;
  object?: string;
  /**
   * For a problem with a labelled object's image: the object's (first) line in `labels.csv`. The
   * issue's `file`/`line` point into `data/objects.csv`, which is DVC-tracked and so never in a pull
   * request's diff; CI annotations go on this line of `labels.csv` instead, where GitHub can show them.
   */
  labelsLine?: number;
}

/** `.vitrine/dataset/dataset.json` */
export interface Dataset {
  schema: 'vitrine.dataset/1';
  /** The label vocabulary from params, in order: class index i is labels[i]. */
  labels: string[];
  objects: DatasetObject[];
  /** Rows skipped (or that failed the run) with their reasons. */
  issues: DatasetIssue[];
  /**
   * Each picture given to many objects (IMAGE_PLACEHOLDER), once: its objects are in `objects` without a picture,
   * the picture in their `shownOnly`. Absent in datasets made before it was recorded.
   */
  standIns?: StandIn[];
  counts: {
    objects: number;
    labelled: number;
    bySplit: Record<Split, number>;
    byLabel: Record<string, Record<Split, number>>;
  };
}

/** An interval around a point estimate: 95% for a score, (1 − evaluate.alpha) for a change (its `alpha`). */
export interface Interval {
  value: number;
  low: number;
  high: number;
}

/**
 * Objects a stage left out because the backbone gave no usable numbers for their image (values that are
 * not numbers; pipeline/model/left-out.ts). `objects` counts every one; `ids` names the first 20
 * of them (LEFT_OUT_IDS in stages/train.ts), so that a collection with thousands stays a small file.
 */
export interface LeftOut {
  objects: number;
  ids: string[];
}

/** How an lbfgs head was fitted (pipeline/model/head.ts), for model-info.json and the model card. */
export interface LbfgsFit {
  /** L-BFGS iterations of the final fit on every training object. */
  iterations: number;
  /** False when the final fit stopped at its iteration limit (LBFGS_MAX_ITERATIONS) while still improving. */
  converged: boolean;
  /**
   * How `l2` was chosen: the lowest held-out loss of a cross-validation among `choices`; `fixed`, the one
   * value train.l2_choices gives; `largest`, the largest of them, too few training objects to compare them.
   */
  l2Chosen: 'cross-validation' | 'fixed' | 'largest';
  /** train.l2_choices, each once, largest first. */
  choices: number[];
  /** Folds of the cross-validation (0 without one). */
  folds: number;
  /** With a cross-validation: whether it ran on a sample of the training objects (train.l2_cv_max_objects). */
  sampled: boolean | null;
}

/** What a trained model is and how it came to be: `.vitrine/model/model-info.json`. */
export interface ModelInfo {
  schema: 'vitrine.model/1';
  /** Class names, index order of the head's output. */
  labels: string[];
  backbone: {
    /** Stable identity used in cache keys, e.g. "nsfwjs-mobilenet_v2@4.4.0#global_average_pooling2d_1". */
    id: string;
    /** Where the weights came from (package path or URL). */
    source: string;
    licence: string;
    inputSize: number;
    fit: 'letterbox' | 'crop';
    /** Pixel scaling before the network: "0,1" or "-1,1". */
    inputRange: '0,1' | '-1,1';
    /** The layer (layers model) or graph node (graph model) whose output is the embedding. */
    layer: string;
    embeddingSize: number;
  };
  /** The TF.js backend that trained it: "tensorflow" (tfjs-node / -gpu), "wasm" or "cpu". */
  backend: string;
  seed: number;
  epochs: number;
  history: { loss: number[]; valLoss: number[]; accuracy: number[]; valAccuracy: number[] };
  /** train.solver lbfgs: the L2 penalty chosen (the cross-validation of a large collection reuses it). */
  l2?: number;
  /**
   * train.solver lbfgs: how the head was fitted (it runs no epochs; `epochs` is 1). Absent for adam
   * heads, and in lbfgs models trained before it was recorded.
   */
  lbfgs?: LbfgsFit;
  /**
   * train.flagged: drop: the labels left out (`ids`, sorted: every labelled object confident learning flagged,
   * test objects among them, which stay in the test split) and the L2 penalty the cross-validation that found them
   * gave every fold model (null: each chose its own). The evaluate stage's fold models take that L2, so that
   * review.json flags these objects. `leftOut`: the training and validation objects among them, which training left
   * out, with the label each had (sorted by id; the model card lists them); absent in models trained before it was
   * recorded. Absent with train.flagged: keep, and in models trained before it was recorded.
   */
  flagged?: {
    l2: number | null;
    ids: string[];
    leftOut?: { id: string; label: string }[];
    /**
     * Why the check could flag nothing (review/flagged.ts FlaggedLabels): no cross-validation, or its model no better
     * than guessing; absent when it was made and counts, and in models trained before it was recorded.
     */
    unchecked?: 'no-folds' | 'guessing';
  };
  trainCount: number;
  validationCount: number;
  /**
   * Training and validation objects left out because their image has no usable embedding (not counted
   * in trainCount and validationCount). Absent when none was, and in models trained before it was recorded.
   */
  leftOut?: LeftOut;
  durationMs: { embed: number; train: number };
  embeddings: { computed: number; fromCache: number };
  /**
   * How the dataset was split when this model was trained, so that a later evaluation that uses it
   * as the baseline can leave out the test objects it learnt from. Absent in models trained before
   * Vitrine recorded it (they are read as before; the overlap is then unknown).
   */
  split?: {
    /** `dataset.split` from params.yaml at training time. */
    settings: { validation: number; test: number; salt: string };
    /** md5 of every image of the training split it was fitted on: sorted, each once. */
    trainImages?: string[];
    /** md5 of every image of the validation split (it chose the epoch): sorted, each once. */
    validationImages?: string[];
  };
}

/** A model's answer for one object. */
export interface Prediction {
  id: string;
  label: string;
  confidence: number;
  /** The top alternatives with their probabilities, best first (includes `label`). */
  top: { label: string; p: number }[];
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Headline metrics of one model on one test split. */
export interface ModelScores {
  accuracy: Interval;
  macroF1: Interval;
  topK: { k: number; accuracy: Interval };
  /** Expected calibration error (lower is better). */
  ece: Interval;
  perClass: ClassMetrics[];
  /** confusion[i][j]: objects labelled labels[i] predicted labels[j]. */
  confusion: number[][];
}

export type Verdict = 'better' | 'worse' | 'no detectable difference';

/** `.vitrine/evaluate/metrics.json` — the stable shape read by report, registry, card and site. */
export interface Metrics extends ModelScores {
  schema: 'vitrine.metrics/1';
  createdAt: string;
  backend: string;
  backbone: string;
  labels: string[];
  /** Number of test objects evaluated. */
  n: number;
  /**
   * Labelled objects left out of the test scores or of cross-validation (each counted once) because their
   * image has no usable embedding; `n` does not count them. Absent when none was, and in metrics.json
   * written before it was recorded.
   */
  leftOut?: LeftOut;
  /** Scores per factor value (department, medium, museum...) for the model card. */
  factors: { factor: string; groups: { value: string; n: number; accuracy: number; macroF1: number }[] }[];
  baseline:
    | null
    | (ModelScores & {
        /** Model version of the baseline (e.g. "v1.2.0"), evaluated on the same split and labels. */
        version: string;
        /**
         * Test objects left out of the baseline's scores and of the comparison: those the baseline was
         * trained or validated on (dataset.split changed since), and those whose image it could not read
         * (`unanswered`). 0 when none; absent in metrics.json written before it was recorded.
         */
        excluded?: number;
        /**
         * Of `excluded`, the test objects whose image the baseline's backbone gave no usable numbers for,
         * though this model read them (they count in its own scores). Absent when none.
         */
        unanswered?: number;
        /** dataset.split differs from the baseline's at training time; null when the baseline did not record it. */
        splitChanged?: boolean | null;
        /**
         * Training settings the baseline was trained with that differ from this model's (its registration's params;
         * pipeline/evaluate/trained-with.ts). Absent when none differ, or when not recorded.
         */
        settingChanges?: { key: string; production: string; now: string; yaml: string; newSetting?: true }[];
        /**
         * The scores the baseline was registered with (its model card's and the catalogue's figures, on the test
         * objects and labels of its day), from its tag. Absent when the tag does not record them.
         */
        registered?: { macroF1: number; accuracy: number; n: number };
        comparison: {
          metric: 'macroF1' | 'accuracy';
          /** candidate minus baseline, with its (1 − alpha) interval. */
          difference: Interval;
          /**
           * evaluate.alpha as the test used it: the interval is its (1 − alpha) one, said "90% range" at 0.1
           * (confidenceLevel). Absent in metrics.json written before it was recorded (withAlpha: then the
           * settings that made it, when known; else no level is said).
           */
          alpha?: number;
          /** Paired test over test objects (two-sided). */
          pValue: number;
          test: string;
          verdict: Verdict;
        };
      });
  /** Test objects whose predicted label differs between baseline and candidate. */
  changedPredictions: { id: string; label: string; baseline: string; candidate: string }[];
  /** The test objects the candidate is least sure about, least sure first. */
  leastConfident: { id: string; label: string; predicted: string; confidence: number }[];
  /**
   * A label change judged on every labelled object: heads trained on the base labels and on these
   * labels in the same folds, both scored on these labels (docs/metrics.md). Present when the base's
   * labels are known and differ; then its verdict is the pull request's verdict. The test-split
   * figures above stay the headline scores.
   */
  crossValidated?: {
    /** The base the labels are compared with: a ref (the pull request's base) or the baseline's commit. */
    base: { ref: string; commit: string };
    /** Objects whose label differs between the base and now (changed, added or removed). */
    changed: number;
    /** Of those, objects labelled now and not at the base, and the reverse. Absent in older metrics.json. */
    added?: number;
    removed?: number;
    /** Objects scored: every one with a label now, and those whose label the change removes (on the label they had). */
    objects: number;
    /** Folds. */
    k: number;
    /**
     * When the collection has more labelled objects than evaluate.cv_max_objects: the stratified sample
     * the models learnt from (`objects` of the `of` objects with a label now or at the base). Absent: all.
     */
    sample?: { objects: number; of: number };
    /** Cross-validated macro-F1 of training on these labels, and on the base labels, with intervals. */
    candidate: Interval;
    baseline: Interval;
    /**
     * The mean probability each arm gives the objects' labels now (the tested statistic: it moves
     * when wrong labels blur the model, even where its top answer stays the same), and the standard
     * deviation of that mean between trainings with other seeds.
     */
    probability: { candidate: number; baseline: number; trainingSd: number };
    /**
     * What the photographs said before the change (photographsBefore): of the `relabelled` objects (a label at the
     * base and another now), how many (`old`) the heads trained on the base labels, out of fold, gave more
     * probability to the old label than to the new; `objects`: some of those, most clearly first. Absent before.
     */
    before?: { relabelled: number; old: number; objects: { id: string; old: string; new: string }[] };
    comparison: {
      metric: 'probability';
      difference: Interval;
      pValue: number;
      test: string;
      verdict: Verdict;
      /** evaluate.min_change: a smaller difference is no difference, whatever its p-value (absent before). */
      minChange?: number;
      /** evaluate.alpha as the test used it, as for baseline.comparison.alpha (absent before: read as 0.05). */
      alpha?: number;
      /**
       * The objects relabelled (a label at the base and another now) and the mean probability each arm gives their
       * labels now. Their own change counts against minChange too (the mean over every object shrinks a few labels
       * put right with the collection's size). `counts`: whether that change counted (label-change.ts's rule).
       * Absent: none relabelled, or a metrics.json written before.
       */
      relabelled?: Relabelled;
    };
  };
  /**
   * The label change not judged on every labelled object, and why: with the labels being built up set aside
   * (`setAside`, newLabels), fewer than two labels were left to score (`left`), and a model with one label to choose
   * from gives it every object, before the change and after alike. `crossValidated` is then absent, and the verdict
   * is the test split's. `changed`: as crossValidated.changed. Absent otherwise.
   */
  crossValidatedNotJudged?: {
    base: { ref: string; commit: string };
    changed: number;
    setAside: string[];
    left: string[];
  };
  /**
   * The out-of-collection estimate (evaluate.group_by): each group of labelled objects (a museum,
   * a photographer) predicted by heads trained without any of that group, so what the model does on
   * photographs from a source it has not seen. Absent when evaluate.group_by is empty.
   */
  outOfCollection?: {
    /** The field grouped by (evaluate.group_by). */
    field: string;
    /** Labelled objects scored (every one, each predicted with its whole group held out). */
    n: number;
    macroF1: Interval;
    accuracy: Interval;
    /** The same objects in random folds (k-fold, drawn by photograph), the figure to read it against. */
    randomFolds: { macroF1: Interval; accuracy: Interval };
    /** Held-out groups (or, with more than 10 values, pooled folds of them), largest first. */
    groups: { value: string; n: number; accuracy: number; macroF1: number }[];
  };
  /**
   * Publication thresholds for annotate.min_precision, chosen on the out-of-fold predictions of every
   * labelled object (docs/metrics.md). Absent in metrics.json written before it existed.
   */
  publication?: {
    minPrecision: number;
    /** Per label: an annotation of that label is published when its confidence is at least this; null: never. */
    thresholds: Record<string, number | null>;
    /** Labelled objects it was measured on. */
    n: number;
    /** Share of objects whose annotation would be published, and the share of those that are right (cross-fitted). */
    coverage: Interval;
    precision: Interval;
    /**
     * Per label, over the labelled objects' out-of-fold predictions: how many the model guesses are of that label,
     * and how many of those are below its threshold (they would wait for staff). The pull-request report compares
     * them with the model in production's. Absent in metrics.json written before it was recorded.
     */
    byLabel?: Record<string, { guessed: number; heldBack: number }>;
    /**
     * The labels none of whose guesses can be published (threshold null) though the model guesses them: the best
     * precision their guesses reached, and the surest guesses that disagree with their labels (most often wrong
     * labels). Absent when there is none, and in metrics.json written before it was recorded.
     */
    unpublished?: Record<
      string,
      { guessed: number; precision: number; surestMisses: { id: string; labelled: string; confidence: number }[] }
    >;
    /**
     * annotate.familiarity: an annotation is also held back when the object's photograph is farther from its
     * `k` nearest labelled photographs (mean cosine distance of their embeddings) than `cut`, the
     * `quantile` of the labelled photographs' own distances (leave-one-out, `reference` distinct images), in
     * the embeddings of `backbone` (model-info.json's backbone id).
     * Absent when the setting is off, and in metrics.json written before it existed.
     */
    familiarity?: { k: number; quantile: number; cut: number; reference: number; backbone?: string };
    /**
     * annotate.familiarity was on but no cut could be chosen: only `reference` labelled photographs, and the
     * check needs more than `k` (its neighbours). Absent otherwise, and in metrics.json written before it existed.
     */
    familiarityNotApplied?: { reference: number; k: number };
  };
  /**
   * Labelled objects whose label looks wrong, from cross-validation over every labelled object
   * (review.json has them all). Absent in metrics.json written before it existed.
   */
  mislabelled?: {
    /** Labelled objects checked (each predicted by a head that did not train on it). */
    checked: number;
    /** Objects whose out-of-fold prediction disagrees with their label. */
    candidates: number;
    /** Of those, in confident learning's count (ranked by it, whether or not its threshold is reached). */
    confident: number;
    /**
     * Of those, flagged: in confident learning's count and at its per-label threshold (review.json's
     * `flagged`, what `vitrine review` calls "flagged"). Absent in metrics.json written before it was recorded.
     */
    flagged?: number;
    /**
     * The 20 most likely wrong, most likely first. `reason` as in review.json: `flagged`, or `ranked` (only
     * ranked high: "worth a look"); absent in metrics.json written before it was recorded.
     */
    top: {
      id: string;
      label: string;
      suggested: string;
      score: number;
      confidence: number;
      confident: boolean;
      reason?: 'flagged' | 'ranked';
      /** One of a look-alike pair (review.json's `lookAlike`): at least one of the two labels is probably wrong. */
      lookAlike?: { id: string; label: string; similarity: number };
      /** One of three or more look-alikes (review.json's `lookAlikes`): the others, closest first. */
      lookAlikes?: { id: string; label: string; similarity: number }[];
    }[];
    /** Out-of-fold balanced accuracy against guessing (review.json's `agreement`). */
    agreement?: { accuracy: number; guessing: number; better: boolean; labelsInUse?: number };
  };
  /** What was evaluated, so promotion can refuse a model whose inputs changed after evaluation. */
  inputs: {
    /** `data.dvc`'s directory hash (`….dir`), or the hash of `data/` when there is no data.dvc. */
    data: string;
    /** md5 of `labels.csv`. */
    labels: string;
    /** md5 of the validated params as canonical JSON. */
    params: string;
    /** git HEAD commit when evaluated, or null outside git. */
    commit: string | null;
    /**
     * The evaluated model's identity (`modelIdentity`, pipeline/registry/identity.ts: its weights, architecture,
     * classes and backbone), so its scores and thresholds are never used for another model. Absent in
     * metrics.json written before it was recorded.
     */
    model?: string;
  };
  /**
   * What the change did to the labels since its base (written when the base labels could be read): the report
   * says it and withholds "Better", and the gate fails when a label lost all its objects or most were removed.
   */
  labelLoss?: LabelLoss;
  /**
   * Labels the change renames (pipeline/evaluate/label-renames.ts): the model in production and the labels before
   * were compared under the new names. Absent when none is renamed.
   */
  labelRenames?: { from: string; to: string; objects: number; joined?: boolean }[];
  /**
   * The promotion gate from params, checked. `grown`: the test split has reached the default gate.min_test_objects
   * while params.yaml still has the lower values set for a small collection (evaluate/gate.ts grownCollection).
   */
  gate: {
    passed: boolean;
    checks: { name: string; passed: boolean; detail: string }[];
    /**
     * dataset.min_test_per_class as the gate used it: a class with fewer test objects (and F1 above 0) is not judged
     * by its F1 (report/too-few.ts tooFewToJudge). Absent in metrics.json written before it was recorded.
     */
    minTestPerClass?: number;
    grown?: { photographedInTest: number; settings: { key: string; now: number; default: number }[] };
  };
  /**
   * Labels being built up by this change (evaluate/new-labels.ts), with dataset.min_test_per_class then: not judged
   * by their F1, and left out of both arms of the comparisons. Absent: none, or no base labels known.
   */
  newLabels?: { minTestPerClass: number; testShare: number; labels: NewLabel[] };
}

/**
 * What a change did to the labels since its base (the labels the cross-validated comparison starts from):
 * `metrics.json`'s `labelLoss`.
 */
export interface LabelLoss {
  /** The base in words ("main", "main where this branch left it", "the commit of v1.0.0"). */
  ref: string;
  /** Labelled objects at the base, and how many of them have no label now. */
  before: number;
  removed: number;
  /** Labels of today's vocabulary with objects at the base and none now (`objects`: how many at the base). */
  lost: { label: string; objects: number }[];
}

/**
 * A label being built up (evaluate/new-labels.ts): more objects carry it now than at the base, too few of them in
 * the test split to judge it, now and at the base. `metrics.json`'s `newLabels`.
 */
export interface NewLabel {
  label: string;
  /** Objects labelled with it now, and at the base (0: new in this change). */
  objects: number;
  before: number;
  /** Of them now, how many are in the test split. */
  test: number;
}

/** A promoted model's annotation of one object: `.vitrine/registry/annotations.json` holds these. */
export interface Annotation extends Prediction {
  modelVersion: string;
  /**
   * md5 of the photograph the model saw (the object's `imageMd5` then): a later catalogue can tell an object given a
   * new photograph since. Absent in annotations written before it was recorded.
   */
  imageMd5?: string;
  /**
   * The object's label as the annotating model learnt it: labels.csv when it annotated, or, after a rollback, the
   * label at the commit the restored version was trained on where staff changed it since (null: unlabelled then).
   */
  humanLabel: string | null;
  /**
   * The object's label in labels.csv when the model annotated, where it differs from `humanLabel` (staff changed it
   * since the model was trained: after a rollback); absent otherwise, when the two are one. `agrees` compares with it.
   */
  staffLabel?: string | null;
  /** Whether the model's label is the object's label when it annotated (`staffLabel` if given); null when none. */
  agrees: boolean | null;
  /**
   * false when the prediction is below its class's publication threshold (annotate.min_precision):
   * shown as "not sure: waiting for staff", not a predicted-type facet value, sent to review.
   * Absent when no thresholds were computed.
   */
  published?: boolean;
  /**
   * For a labelled object: how likely its human label is wrong (`score` in 0..1, higher = more
   * likely) and the label the model proposes, from cross-validation; null when the label looks
   * right. Absent for unlabelled objects and when evaluate wrote no review list. `flagged`: confident
   * learning flags the label (`vitrine review` says "flagged"); false when it only ranks high ("worth a
   * look"); absent in annotations written before it was recorded.
   */
  /** `label`: the object's label the issue is about (absent in annotations written before it was recorded). */
  /**
   * `lookAlike`: the labelled object with a very similar photograph and the suggested label, flagged the other way
   * (review/look-alike.ts): at least one of the two labels is probably wrong, and the model cannot say which.
   */
  labelIssue?: {
    score: number;
    suggested: string;
    flagged?: boolean;
    label?: string;
    /** `similarity`: of the two photographs (review.json's); absent in annotations written before it was recorded. */
    lookAlike?: { id: string; label: string; similarity?: number };
    /** One of three or more look-alikes (review.json's `lookAlikes`): the others, closest first. */
    lookAlikes?: { id: string; label: string; similarity?: number }[];
  } | null;
  /**
   * true when the annotation was sure enough to be published but the object's photograph is unlike the labelled
   * photographs (annotate.familiarity), so it is held back (`published` false). Absent otherwise.
   */
  unfamiliar?: boolean;
  /**
   * true when no guess of this label can be published: the annotating model has no publication threshold for it (the
   * label never reached annotate.min_precision out of fold, or the model was evaluated without thresholds), so
   * `published` is false whatever its confidence. Absent otherwise.
   */
  noThreshold?: boolean;
  /**
   * true when the guess names a type collection.vocabulary no longer has (renamed or removed since the model was
   * trained: a rollback to an older version), so `published` is false whatever its confidence. Absent otherwise.
   */
  retiredType?: boolean;
}

/** `comparison.relabelled`: the mean probability of the labels now over the objects relabelled, in each arm. */
export interface Relabelled {
  objects: number;
  candidate: number;
  baseline: number;
  /**
   * Whether their change counts against evaluate.min_change (label-change.ts relabelledChange): enough of them, their
   * own test significant the same way, and most of the change. Absent (metrics.json before it was recorded): not.
   */
  counts?: boolean;
}
