import { z } from 'zod';
import { SLUG } from './slug-rules.ts';

/*
 * The catalogue data file (`.vitrine/catalogue/catalogue.json`): everything the public site shows,
 * in one validated shape. The pipeline writes it; the Astro site (site/) imports this schema and
 * nothing else from pipeline/, so the site can be rebuilt from the file alone. Records are kept
 * small (each object page receives one object as props) so a 100,000-object site stays buildable.
 * Every path in it is relative to the site's base URL (e.g. "media/thumbnails/ab/abc-240.webp").
 */

/** One web derivative of an object's photograph (the same pixels as webp and as jpeg). */
export const imageSizeSchema = z.object({
  width: z.int().positive(),
  height: z.int().positive(),
  webp: z.string(),
  jpeg: z.string(),
});

/** A dominant colour of the photograph, with its human name and family (for faceting). */
export const swatchSchema = z.object({
  hex: z.string(),
  name: z.string(),
  family: z.string(),
  /** Fraction of the object's pixels (0-1). */
  share: z.number().min(0).max(1),
  /** Path segment of the swatch's page (`colours/swatch/<slug>/`). */
  slug: z.string(),
});

/** The promoted model's annotation of an object. */
/**
 * A look-alike of a label issue (review/look-alike.ts): `slug`, its page, absent when it is not in the catalogue;
 * `similarity` of the two photographs, absent in annotations written before it was recorded.
 */
const lookAlikeSchema = z.object({
  id: z.string(),
  label: z.string(),
  slug: z.string().optional(),
  similarity: z.number().optional(),
});

export const annotationSchema = z.object({
  label: z.string(),
  confidence: z.number().min(0).max(1),
  /** Alternatives with probabilities, best first (includes `label`). */
  top: z.array(z.object({ label: z.string(), p: z.number().min(0).max(1) })),
  modelVersion: z.string(),
  /** null when the object has no human label. */
  agrees: z.boolean().nullable(),
  /** false: below the class's confidence threshold; the page says "not sure: waiting for staff". */
  published: z.boolean(),
  /**
   * true: held back because the photograph is unlike the ones the model learnt from (another museum's, say), whatever
   * its confidence, which says nothing there; the page says why. Absent otherwise.
   */
  unfamiliar: z.literal(true).optional(),
  /**
   * true: held back because the model publishes no guess of this type at any confidence (it has no publication
   * threshold for it); the page says so rather than "below the confidence asked for". Absent otherwise.
   */
  noThreshold: z.literal(true).optional(),
  /**
   * true: held back because staff gave the object a type outside the vocabulary (labelOutsideVocabulary, not a slip
   * for a type of it): the museum's word is that it is none of the types the model knows, so the model's guess is only
   * its nearest type, never published as the object's type; the page says so. Absent otherwise.
   */
  outsideVocabulary: z.literal(true).optional(),
  /**
   * true: held back because the guess names a type collection.vocabulary no longer has (renamed or removed since the
   * model was trained: a rollback to an older version), whatever its confidence; the page says so. Absent otherwise.
   */
  retiredType: z.literal(true).optional(),
  /**
   * Held back as not sure enough: the confidence this model publishes a guess of its type from, and the precision the
   * museum asks for (annotate.min_precision), for the page to say what the guess needed. Absent otherwise.
   */
  needed: z.object({ threshold: z.number(), minPrecision: z.number() }).optional(),
  /**
   * How doubtful the staff label is (0-1, a ranking score, not a probability), the registry's suggested
   * label, and whether confident learning flags it (false: only ranked high, "worth a second look");
   * null when not scored.
   */
  labelIssue: z
    .object({
      score: z.number().min(0).max(1),
      suggested: z.string(),
      flagged: z.boolean(),
      /**
       * The object with a very similar photograph and the suggested label (review/look-alike.ts): at least one of
       * the two labels is probably wrong. `slug`: its page, absent when it is not in the catalogue.
       */
      lookAlike: lookAlikeSchema.optional(),
      /** One of three or more look-alikes: the others, closest first, each with its page as `lookAlike`. */
      lookAlikes: z.array(lookAlikeSchema).optional(),
    })
    .nullable(),
  /**
   * true: staff changed the label (or gave one) after the model annotated the collection with the labels it was trained
   * on (the annotation's `humanLabel`): a correction the model has not learnt yet, so its disagreement is no sign that
   * the label is wrong. Absent otherwise, and when the annotation does not record that label.
   */
  labelChanged: z.literal(true).optional(),
});

/** One object as the public sees it. */
export const catalogueObjectSchema = z.object({
  id: z.string().min(1),
  /** Unique path segment of the object page (`objects/<slug>/`): slug-rules.ts SLUG, which says what it may hold. */
  slug: z.string().regex(SLUG),
  title: z.string(),
  maker: z.string(),
  date: z.string(),
  /** Period bucket derived from the free-text date, for the date facet ("1800–1899", "Undated"). */
  dateBucket: z.string(),
  /** Years the date covers (negative: BCE), read from the text and the period vocabulary; null when undated. */
  years: z.object({ start: z.int(), end: z.int() }).nullable(),
  /** Centuries the date touches ("14th century BCE"...), oldest first: the timeline facet's values. */
  centuries: z.array(z.string()),
  department: z.string(),
  medium: z.string(),
  /** The medium as the facet shows it: case variants and glosses merged under the most common spelling. */
  mediumGroup: z.string(),
  creditLine: z.string(),
  rights: z.string(),
  /** The rights as a standard statement (Creative Commons, rightsstatements.org); uri null when not recognised. */
  rightsStatement: z.object({
    uri: z.string().nullable(),
    label: z.string(),
    badge: z.string().nullable(),
    download: z.boolean(),
  }),
  description: z.string(),
  /** Other museum columns, shown as they came. */
  extra: z.record(z.string(), z.string()),
  /** Text alternative of the photograph. */
  alt: z.string(),
  /** Original pixel size (0 when unknown). */
  width: z.int().min(0),
  height: z.int().min(0),
  /** Web derivatives, smallest first; empty when the object has no image. */
  images: z.array(imageSizeSchema),
  /**
   * The photograph is shown small (`images` holds one picture of at most catalogue.images.thumbnail_max pixels, no
   * zoom or IIIF) or not at all (`images` empty) because of its rights (image-rules.ts); null when shown in full.
   */
  withheld: z
    .object({
      shown: z.enum(['thumbnail', 'none']),
      reason: z.enum(['in-copyright', 'rights-unknown', 'not-for-publication']),
    })
    .nullable()
    .default(null),
  /**
   * The object's photograph file exists (or is named) but cannot be used: damaged, empty, not an image, too large,
   * missing. `file` is its path in the collection ("data/images/x.jpg"), null when not known; `reason` says why in
   * plain words; `exportFile` and `fromExport` say it comes from the export, `changedSinceImport` that import stored
   * it but it was changed in the data folder since (photo-problems.ts). null when the photograph is fine or none is
   * named yet ("No photograph yet").
   */
  photoProblem: z
    .object({
      file: z.string().nullable(),
      reason: z.string(),
      exportFile: z.string().optional(),
      fromExport: z.literal(true).optional(),
      changedSinceImport: z.literal(true).optional(),
    })
    .nullable()
    .default(null),
  /**
   * Its picture is the one given to `objects` objects (IMAGE_PLACEHOLDER: most likely the museum's “no image” card),
   * `image` its file ("data/images/noimage.jpg"): shown, but the model gives no guess from it, and the page says why;
   * the review page lists such objects once a picture. null otherwise.
   */
  standIn: z.object({ objects: z.int().positive(), image: z.string() }).nullable().default(null),
  /** Human label (object type) from labels.csv, null when not labelled yet. */
  label: z.string().nullable(),
  /** The label is not in the vocabulary (collection.vocabulary): shown as catalogued, not learnt by the model. */
  labelOutsideVocabulary: z.boolean(),
  /**
   * The type of the vocabulary that a label outside it is a slip for ("Figurine" for "figurine": the dataset stage's
   * "Did you mean"), null when it is none: the page says the label waits for staff to correct it, and the type facet
   * counts the object under this type (typeFacet), not under a type of its own.
   */
  labelMeant: z.string().nullable().default(null),
  /** The object is on lines of labels.csv with different labels: left unlabelled until staff keep one. */
  labelLinesDisagree: z.boolean().default(false),
  split: z.string(),
  annotation: annotationSchema.nullable(),
  colours: z.array(swatchSchema),
  /** Deep zoom: the IIIF Image API info.json of its tiles (relative to the base URL) and the full size; null without. */
  zoom: z.object({ info: z.string(), width: z.int().positive(), height: z.int().positive() }).nullable(),
  /** Ids of the visually nearest objects ("More like this"), nearest first; empty without embeddings. */
  similar: z.array(z.string()),
  /**
   * In the review queue: its photograph cannot be used, or the model disagrees with the label, or is among the least
   * confident.
   */
  needsReview: z.boolean(),
  /**
   * photo-unusable: the photograph file cannot be used (photoProblem); label-issue: likely mislabelled (registry
   * score); disagrees: the model disagrees; waiting: unpublished prediction.
   */
  reviewReason: z
    .enum(['photo-unusable', 'staff-label', 'label-issue', 'disagrees', 'waiting', 'least-confident'])
    .nullable(),
  /** 1-based line of the object in labels.csv, null when it has none. */
  labelLine: z.int().positive().nullable(),
  /** GitHub edit link of that line (a pull request for staff); null when no repository is configured. */
  suggestUrl: z.string().nullable(),
});

/** A bootstrap interval. */
export const intervalSchema = z.object({ value: z.number(), low: z.number(), high: z.number() });

/** What a model card page shows about a model's test scores (from the evaluation metrics). */
export const cardMetricsSchema = z.object({
  n: z.int().min(0),
  /**
   * dataset.min_test_per_class as the promotion gate used it (evaluate/gate.ts minTestPerClassOf; 0 when the metrics
   * do not say, as the gate then judged every class): the page marks the types the gate did not judge by their F1, as the report does.
   */
  minTestPerClass: z.int().min(0).default(5),
  /** Labels being built up (metrics.json's newLabels): the gate did not judge them by their F1, even at 0. */
  building: z.array(z.string()).default([]),
  labels: z.array(z.string()),
  accuracy: intervalSchema,
  macroF1: intervalSchema,
  /**
   * What the macro-F1 is over when not every type counts, in the model card's words (registry/card.ts
   * macroF1OverWords): "over 2 of the 3 types (Bowl had no test objects)". Null when every type counts.
   */
  macroF1Over: z.string().nullable().default(null),
  topK: z.object({ k: z.int(), accuracy: intervalSchema }).nullable(),
  ece: intervalSchema.nullable(),
  perClass: z.array(
    z.object({ label: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() }),
  ),
  confusion: z.array(z.array(z.number())),
  /** Per-group scores; accuracy with a 95% Wilson interval (low, high) from the group's size. */
  factors: z.array(
    z.object({
      factor: z.string(),
      groups: z.array(
        z.object({
          value: z.string(),
          n: z.number(),
          accuracy: z.number(),
          low: z.number(),
          high: z.number(),
          macroF1: z.number(),
        }),
      ),
    }),
  ),
  baseline: z
    .object({
      version: z.string(),
      metric: z.string(),
      difference: intervalSchema,
      /** evaluate.alpha as the test used it: the range is its (1 − alpha) one (confidenceLevel). Absent: unknown, no level said. */
      alpha: z.number().optional(),
      pValue: z.number(),
      verdict: z.string(),
    })
    .nullable(),
  /**
   * The change judged on every labelled object (cross-validated): the verdict its pull request got. The words are the
   * model card's and the report's (pipeline/evaluate/verdict-words.ts), made here so that the page only places them.
   */
  labelChange: z
    .object({
      changed: z.number(),
      objects: z.number(),
      before: z.number(),
      after: z.number(),
      difference: intervalSchema,
      pValue: z.number(),
      verdict: z.string(),
      /** The labels the change touched: "2 labels removed", "19 labels changed". */
      changes: z.string(),
      /** The objects scored: "the 300 objects labelled before or now", "the 300 labelled objects". */
      scored: z.string(),
      /** On which labels: "on the labels now (298 objects) and, for the 2 …, on the label they had". */
      scoredOn: z.string(),
      /** The change and its range: "+0.003, between +0.001 and +0.005 (95% interval)", at the run's evaluate.alpha. */
      change: z.string(),
      /** How it was judged: "5-fold cross-validation" (the Markdown card's words, crossValidationWords). */
      how: z.string().default(''),
      /** The verdict as said: "better", "no difference that matters" (a change too small to matter, not chance). */
      verdictName: z.string(),
      /** Why a change is no difference, beside its p-value; empty for "better" and "worse". */
      why: z.string(),
    })
    .nullable()
    .default(null),
  /**
   * The rule that decides which guesses the public sees (metrics.json `publication`, or the later evaluation the
   * catalogue follows): the precision asked for (annotate.min_precision), the confidence each type is published from
   * (null: never), and whether photographs unlike the labelled ones are held back (annotate.familiarity).
   */
  publication: z
    .object({
      minPrecision: z.number(),
      thresholds: z.record(z.string(), z.number().nullable()),
      familiarity: z.boolean(),
    })
    .nullable()
    .default(null),
});

/** One drift signal of a monitoring check, as the Monitoring page lists it. */
export const driftSignalSchema = z.object({
  /** "embeddings", "novelty", an image statistic ("brightness"...) or "predicted-labels". */
  key: z.string(),
  name: z.string(),
  value: z.number(),
  threshold: z.number(),
  /** Permutation p-value, for the signals tested that way; null otherwise. */
  pValue: z.number().nullable(),
  drifted: z.boolean(),
  /** Plain words: what the number measures. */
  detail: z.string(),
});

/** A new object the model has seen nothing like (the latest check's least familiar objects). */
export const unfamiliarObjectSchema = z.object({
  id: z.string(),
  /** Its object page, null when the object is not in the catalogue. */
  slug: z.string().nullable(),
  title: z.string(),
  /** Cosine distance to its nearest reference object. */
  distance: z.number(),
  /** Farther than almost any reference object is from the rest. */
  unusual: z.boolean(),
  nearestId: z.string().nullable(),
  nearestSlug: z.string().nullable(),
  predicted: z.object({ label: z.string(), confidence: z.number() }).nullable(),
});

/** The latest monitoring check about a model version (from `.vitrine/monitor/drift.json`). */
export const driftCheckSchema = z.object({
  createdAt: z.string(),
  drifted: z.boolean(),
  summary: z.string(),
  reference: z.string(),
  current: z.string(),
  signals: z.array(driftSignalSchema),
  /** Share of the new objects that are unusual (0-1), null when not measured. */
  unusualShare: z.number().nullable(),
  unfamiliar: z.array(unfamiliarObjectSchema),
});

/**
 * Which objects a monitoring run judged against the reference: those added since the model, on their own; the pool of
 * them and the unlabelled ones already there; those added since a git ref of the run's own (`vitrine monitor
 * --reference`), one group per commit the ref pointed to (per ref as typed in lines written before the commit was
 * kept), numbered as they first appear ("reference-1"); or others. A line written before 7 December 2026 does not say:
 * "unknown", or "reference-unknown" when it was a `--reference` run whose ref is not known (no model in production).
 */
export const historyGroupSchema = z.union([
  z.enum(['added-since', 'pool', 'other', 'unknown', 'reference-unknown']),
  z.string().regex(/^reference-[1-9][0-9]*$/),
]);

/** Drift over time: one column per monitoring run (oldest first), one series per signal. */
export const driftHistorySchema = z.object({
  runs: z.array(
    z.object({
      createdAt: z.string(),
      commit: z.string().nullable(),
      referenceCount: z.int().min(0),
      currentCount: z.int().min(0),
      /** The group judged: a chart joins only the points of one group. */
      group: historyGroupSchema,
      drifted: z.boolean(),
      driftedSignals: z.array(z.string()),
    }),
  ),
  /** The groups the runs judged, in the order they first appear, with their plain words. */
  groups: z.array(z.object({ key: historyGroupSchema, name: z.string() })),
  series: z.array(
    z.object({
      key: z.enum(['embeddings', 'novelty', 'image-stats', 'predicted-labels', 'unusual-share']),
      name: z.string(),
      description: z.string(),
      /** Today's threshold (runs were judged with the threshold of their day); null when the series has none. */
      threshold: z.number().nullable(),
      /** One value per run (null: not measured in that run). */
      values: z.array(z.number().nullable()),
    }),
  ),
});

/** Labels corrected since the version was promoted (from `.vitrine/monitor/corrections.json`). */
export const correctionsSchema = z.object({
  since: z.string(),
  until: z.string(),
  commits: z.int().min(0),
  changed: z.int().min(0),
  added: z.int().min(0),
  removed: z.int().min(0),
  labelled: z.int().min(0),
  /** changed / labelled at promotion (0-1). */
  rate: z.number().min(0),
  /** Commits that changed labels, newest first. */
  byCommit: z.array(
    z.object({
      commit: z.string(),
      date: z.string(),
      message: z.string(),
      changed: z.int().min(0),
      added: z.int().min(0),
      removed: z.int().min(0),
    }),
  ),
});

/** What the Monitoring page of a model version shows; each part is null when monitoring has not written it. */
export const monitoringSchema = z.object({
  latest: driftCheckSchema.nullable(),
  history: driftHistorySchema.nullable(),
  corrections: correctionsSchema.nullable(),
});

/** One model version: its card. */
export const modelCardSchema = z.object({
  version: z.string(),
  /** Stages the version holds ("prod"...). */
  stages: z.array(z.string()),
  /** The version whose annotations the catalogue shows. */
  current: z.boolean(),
  createdAt: z.string().nullable(),
  /** Plain-words sections of the card (intended use, limitations...), in order. */
  sections: z.array(z.object({ heading: z.string(), text: z.string(), items: z.array(z.string()) })),
  /** Where the model came from: data, labels, commit, backbone, parent version... */
  lineage: z.array(z.object({ name: z.string(), value: z.string() })),
  /**
   * What rollbacks did to the version, from the registry's record (versions.json): "Withdrawn from production on …:
   * why. v1.1.0 was put back in its place." or "Put back in production on … in place of v1.2.0: why." Null otherwise.
   */
  production: z.string().nullable().default(null),
  metrics: cardMetricsSchema.nullable(),
  /** The objects the version learnt from and was tested on (data.ts splitOf); null when the card has none. */
  split: z
    .object({
      objects: z.number(),
      labelled: z.number(),
      train: z.number(),
      validation: z.number(),
      test: z.number(),
      /** Labelled objects neither trained on nor tested: their picture could not be used. */
      unused: z.number().default(0),
    })
    .nullable()
    .default(null),
  /**
   * train.flagged: drop: the labels training left out as likely wrong (the card's details.flagged), each with its
   * object's page relative to the base URL. Null with train.flagged: keep.
   */
  flagged: z
    .object({
      /** False: a model saved before they were recorded, whose list is every flagged id (test objects among them). */
      complete: z.boolean(),
      /**
       * The objects left out that are in the catalogue today: the label each had when the model was trained (null:
       * not recorded), its label today, and its page.
       */
      objects: z.array(
        z.object({
          id: z.string(),
          label: z.string().nullable(),
          labelNow: z.string().nullable().default(null),
          href: z.string().nullable(),
        }),
      ),
      /** How many left out are no longer in the catalogue (taken out of it): counted, never named. */
      gone: z.int().nonnegative().default(0),
      /** None left out: why, when not because the check found none (pipeline/registry/words.ts noneLeftOutWords). */
      why: z.enum(['no-folds', 'guessing', 'test-only']).nullable().default(null),
      /**
       * When the evaluation's list of flagged labels (`vitrine review`) is not this one: the ids it flags that the
       * model learnt from, and those left out it does not flag. Null: the same, or unknown.
       */
      differs: z
        .object({ learnt: z.array(z.string()), notFlagged: z.array(z.string()) })
        .nullable()
        .default(null),
    })
    .nullable()
    .default(null),
  /** Card downloads, relative to the base URL. */
  markdown: z.string().nullable(),
  monitoring: monitoringSchema.nullable(),
});

/** What the in-browser demo needs to run the promoted model exactly as the pipeline does. */
export const demoSchema = z.object({
  version: z.string(),
  labels: z.array(z.string()),
  /** TF.js layers model of the head (input: the embedding), relative to the base URL. */
  head: z.string(),
  /** TF.js model of the backbone, relative to the base URL. */
  backbone: z.string(),
  /** How the page loads the backbone: tf.loadLayersModel or tf.loadGraphModel. */
  format: z.enum(['layers', 'graph']),
  /** Backbone layer (layers model) or node (graph model) whose output is the embedding (empty: the model's own output). */
  layer: z.string(),
  inputSize: z.int().positive(),
  fit: z.enum(['letterbox', 'crop']),
  inputRange: z.enum(['0,1', '-1,1']),
  /** Colour of the letterbox padding. */
  letterbox: z.string(),
  /** Colour that replaces transparency (params.dataset.image.background). */
  background: z.string(),
  /** TF.js browser bundle, relative to the base URL. */
  runtime: z.string(),
  backboneId: z.string(),
  licence: z.string(),
  /** Bytes of the model files and runtime a visitor's first run downloads. */
  bytes: z.int().min(0),
});

export const countSchema = z.array(z.object({ value: z.string(), count: z.int() }));

/** `.vitrine/catalogue/catalogue.json` */
export const catalogueSchema = z.object({
  schema: z.literal('vitrine.catalogue/1'),
  generatedAt: z.string(),
  title: z.string(),
  collection: z.string(),
  /** `owner/repo`, empty when not configured. */
  repository: z.string(),
  branch: z.string(),
  /** The label vocabulary (object types). */
  labels: z.array(z.string()),
  counts: z.object({
    objects: z.int(),
    labelled: z.int(),
    annotated: z.int(),
    needsReview: z.int(),
    byDepartment: countSchema,
    byLabel: countSchema,
    byPredicted: countSchema,
    byFamily: countSchema,
    byDate: countSchema,
    byMedium: countSchema,
    /** Objects per century, oldest first, every century from the oldest to the newest (the timeline). */
    byCentury: z.array(z.object({ century: z.int(), name: z.string(), count: z.int() })),
  }),
  /** Colour names per family, with a representative hex and object count (colour browsing). */
  swatches: z.array(
    z.object({ family: z.string(), name: z.string(), hex: z.string(), slug: z.string(), count: z.int() }),
  ),
  /** Object ids in review-queue order (photographs that cannot be used, then disagreements, then least confident). */
  reviewQueue: z.array(z.string()),
  /**
   * The review queue is published (catalogue.review_queue above 0): the menu, home page and sitemap link to it. False:
   * kept for staff (`npx vitrine review`), and the public pages do not point to it.
   */
  reviewQueuePublic: z.boolean().default(true),
  /** The language the records are written in (catalogue.language, a BCP 47 tag): every page's lang. */
  language: z.string().default('en'),
  /** Model versions, newest first. */
  models: z.array(modelCardSchema),
  demo: demoSchema.nullable(),
  /** Recent changes for the home page, newest first. */
  recent: z.array(z.object({ date: z.string().nullable(), text: z.string(), href: z.string().nullable() })),
  /**
   * Objects that have left the catalogue (addresses.ts LeftObject): each address keeps a page that says so, and names
   * the number it is catalogued as now when it was renumbered. Not objects: in no search, listing or sitemap. No
   * title: an object may leave for repatriation or for privacy, and its title then should not stay public.
   */
  departed: z
    .array(
      z.object({
        number: z.string(),
        slug: z.string(),
        now: z.object({ number: z.string(), slug: z.string() }).nullable(),
      }),
    )
    .default([]),
  objects: z.array(catalogueObjectSchema),
});

export type Catalogue = z.infer<typeof catalogueSchema>;
export type CatalogueObject = z.infer<typeof catalogueObjectSchema>;
export type ModelCard = z.infer<typeof modelCardSchema>;
export type CardMetrics = z.infer<typeof cardMetricsSchema>;
export type Swatch = z.infer<typeof swatchSchema>;
export type DemoModel = z.infer<typeof demoSchema>;
export type Monitoring = z.infer<typeof monitoringSchema>;
export type DriftCheck = z.infer<typeof driftCheckSchema>;
export type DriftHistoryData = z.infer<typeof driftHistorySchema>;
export type HistoryGroup = z.infer<typeof historyGroupSchema>;
export type Corrections = z.infer<typeof correctionsSchema>;
