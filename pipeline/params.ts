import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { closest } from './cli/suggest.ts';
import { conflictMarkerLine } from './collection/conflict-markers.ts';
import { lfsPointer } from './collection/file-kind.ts';
import { characterCode, HIDDEN_CHARACTER_NAMES, labelForm, pastedInLabel } from './collection/hidden-characters.ts';
import { MAX_LABEL_BYTES, overLimit } from './collection/value-limits.ts';
import { controlName } from './control-characters.ts';
import { isVitrineError, messageOf, VitrineError } from './errors.ts';
import { clip } from './log.ts';
import { isGtoName, isGtoVersion } from './registry/gto.ts';

/*
 * params.yaml: every tunable of the pipeline, validated against this schema. Each section is owned
 * by the part of the pipeline that reads it; a missing key takes the default shown here (except that a collection
 * section must keep its name and vocabulary, and a file with import settings must have one: parseParamsFile), an
 * unknown key or a wrong type is an error naming the key, the value and what was expected.
 */

const fraction = z.number().min(0).max(1);
const colourHex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#808080"');

/** Most labels collection.vocabulary may hold (docs/dataset.md). */
export const MAX_VOCABULARY = 1_000;

export const collectionParams = z.strictObject({
  /** The museum or collection name shown in reports and the catalogue. */
  name: z.string().default('Vitrine Demo Museum'),
  /** The label vocabulary: the classes the model learns, in a fixed order. */
  vocabulary: z
    .array(
      // labels.csv cells are read trimmed: " NGA" would match no object.
      z
        .string()
        .min(1)
        // A zero-width character, or one that looks like a space at either end, pasted in with the label: named with
        // where it is (validateParams), as labels.csv would not match it.
        .refine((label) => label === label.trim() || hiddenInLabel(label).length > 0, {
          error: (issue) => `"${String(issue.input).trim()}", without spaces around it (labels.csv has none)`,
        })
        .refine((label) => hiddenInLabel(label).length === 0, { error: 'a label without invisible characters' })
        // A text pasted in by mistake: labels.csv and import refuse such a label too (collection/value-limits.ts).
        .refine((label) => overLimit({ value: label, most: MAX_LABEL_BYTES }) === undefined, {
          error: (issue) =>
            'a label of a word or a few (a class the model learns), not one ' +
            `${overLimit({ value: String(issue.input), most: MAX_LABEL_BYTES })}: a text pasted in by mistake?`,
        }),
    )
    .min(2)
    // A classifier of more classes needs far more photographs than a museum's pull request brings (tens per
    // class): beyond this it is no vocabulary but a list of identifiers, and every label check grows with it.
    .max(MAX_VOCABULARY, 'an image classifier with more classes needs far more photographs than a collection has')
    .refine((labels) => new Set(labels).size === labels.length, {
      message: 'each label once (a repeated label would train a class that never wins)',
    })
    // labels.csv's "Coin" is read as "coin" (did you mean), and "é" composed or decomposed (e + accent, as some Mac
    // programs save text) as one: two such labels would be one class trained twice.
    .refine((labels) => labelTwins(labels) === undefined, {
      error: (issue) => {
        const { a, b, how } = labelTwins(issue.input as string[]) ?? { a: '', b: '', how: 'capitals' };
        const differ =
          how === 'capitals'
            ? 'differ only in capitals'
            : how === 'spaces'
              ? spacesIn(`${a}${b}`)
                ? `differ only in a character that prints as a space (${spacesIn(`${a}${b}`)})`
                : 'differ only in the spaces between their words (2 spaces or a tab where 1 space is)'
              : 'look the same but their accented letters are stored differently (composed and decomposed Unicode, ' +
                'as some programs save text)';
        const why = 'it would train a class that never wins';
        const [x, y] = [a, b].map(spacesShown);
        return `each label once: "${x}" and "${y}" ${differ}, so they are one label written twice (${why}); keep one`;
      },
    })
    // labels.csv is read in this form too (parseLabels): the two match whichever way each was saved, and whichever
    // space was typed between words ("Epoche:\u00a0Neu" from a word processor is "Epoche: Neu").
    .transform((labels) => labels.map(labelForm))
    .default(['coin', 'figurine', 'mask', 'print', 'textile', 'vessel']),
  /** `owner/repo` on GitHub, for "suggest a correction" links and run links. Empty: no links. */
  repository: z.string().default(''),
  /** Branch that holds the labels, for edit links. */
  branch: z.string().default('main'),
});

export const importParams = z.strictObject({
  /** Metadata CSV exported from the collections management system. */
  metadata: z.string().default(''),
  /** Folder the image column's paths are relative to (default: the CSV's folder). */
  images: z.string().default(''),
  /** Which CSV column holds each of Vitrine's fields. Empty: not present. */
  columns: z
    .strictObject({
      id: z.string().default('id'),
      image: z.string().default('image'),
      label: z.string().default('label'),
      title: z.string().default('title'),
      maker: z.string().default('maker'),
      date: z.string().default('date'),
      department: z.string().default('department'),
      medium: z.string().default('medium'),
      credit_line: z.string().default('credit_line'),
      rights: z.string().default('rights'),
      description: z.string().default('description'),
    })
    .prefault({}),
  /** Other CSV columns to keep as extra metadata (shown in the catalogue, usable as factors). */
  keep: z.array(z.string()).default([]),
  /**
   * A row that cannot be imported (no id, a repeated id, an image path leaving the images folder): fail the whole
   * import, or skip the row.
   */
  on_invalid: z.enum(['skip', 'fail']).default('fail'),
});

export const demoParams = z.strictObject({
  /** Seed of the demo generator: the same seed makes byte-identical images and tables. */
  seed: z.int().default(7),
  /** Objects per object type (at least 40 for a meaningful demo). */
  per_type: z.int().min(2).max(10_000, 'more would take hours to generate').default(50),
  /** Unlabelled objects per type (the model annotates them after promotion). */
  unlabelled_per_type: z.int().min(0).max(10_000, 'more would take hours to generate').default(4),
  /** Fraction of labelled objects whose label is deliberately wrong. */
  wrong_label_rate: fraction.default(0.06),
  /** Pixel size of the generated photographs. */
  image_size: z.int().min(64).max(2048).default(320),
});

export const datasetParams = z.strictObject({
  /** What to do with a bad row (unknown id, unknown label, missing or broken image): skip it with a warning, or fail the run. */
  on_invalid: z.enum(['skip', 'fail']).default('skip'),
  split: z
    .strictObject({
      /** Fractions of objects in the validation and test splits; the rest trains. */
      validation: fraction.default(0.15),
      // None: every model would be "scored" on no objects, and the gate could never pass.
      test: fraction
        .refine((share) => share > 0, 'more than 0: the model is scored on the test objects, and the gate needs them')
        .default(0.2),
      /** Changing the salt reshuffles every split: only do it on purpose. */
      salt: z.string().default('vitrine-split-v1'),
    })
    .refine((split) => split.validation + split.test < 0.9, {
      message: 'validation and test together below 0.9, so that at least a tenth of the objects train the model',
    })
    .prefault({}),
  /** Warn when a class has fewer test objects than this. */
  min_test_per_class: z.int().min(0).default(5),
  image: z
    .strictObject({
      /** Refuse images with more pixels than this (decompression bombs). */
      max_pixels: z.int().min(1).default(250_000_000),
      /** Colour that replaces transparency. */
      background: colourHex.default('#ffffff'),
    })
    .prefault({}),
  thumbnails: z
    .strictObject({
      widths: z
        .array(z.int().min(16).max(4096))
        .min(1)
        .max(8, 'each width is another image per object to make and publish')
        .default([240, 480, 960]),
      quality: z.int().min(1).max(100).default(78),
    })
    .prefault({}),
  colours: z
    .strictObject({
      /** Colours kept per object. */
      count: z.int().min(1).max(12).default(5),
      /** Colours under this share of the object's pixels are dropped. */
      min_share: fraction.default(0.04),
    })
    .prefault({}),
});

export const backboneParams = z.strictObject({
  /**
   * A built-in backbone shipped in the nsfwjs npm package (works offline), or "custom" to load
   * `source`. Default mobilenet_v2_mid: the best macro-F1 across museums in docs/backbone.md.
   */
  name: z.enum(['mobilenet_v2', 'mobilenet_v2_mid', 'inception_v3', 'custom']).default('mobilenet_v2_mid'),
  /** For "custom": path (from the repository root) or http(s) URL of a TF.js model.json (layers or graph model). */
  source: z.string().default(''),
  /**
   * Layer (layers model) or node (graph model) whose output is the embedding (a feature map is
   * average-pooled); empty: the backbone's default feature layer, or a custom model's own output.
   * Several, with poolings, are concatenated: "conv_1, block_16_expand, block_13_expand:mean+max" (docs/backbone.md).
   */
  layer: z.string().default(''),
  /** Input side in pixels for a custom backbone whose input size is not fixed (built-ins use their own: 224 or 299). */
  input_size: z.int().min(32).max(1024).default(224),
  /** How an image becomes a square: letterbox (pad with black, keep the whole object) or crop (centre square). */
  fit: z.enum(['letterbox', 'crop']).default('letterbox'),
  /** Input scaling the backbone expects: [0,1] or [-1,1]. The built-ins were trained on [0,1]. */
  input_range: z.enum(['0,1', '-1,1']).default('0,1'),
  /** Licence of custom weights, shown on the model card (built-ins carry their own: MIT, nsfwjs). */
  licence: z.string().default(''),
});

/**
 * The train settings only a head trained in passes (train.solver adam, or hidden units) reads: a linear head fitted
 * in one go (lbfgs, the default) never does, so changing them trains again and gives the same model (tester T10).
 */
export const PASSES_ONLY_TRAIN_SETTINGS: readonly string[] = [
  'train.batch_size',
  'train.dropout',
  'train.epochs',
  'train.l2',
  'train.learning_rate',
  'train.patience',
];

export const trainParams = z.strictObject({
  /** TF.js backend: auto tries tfjs-node-gpu, tfjs-node, wasm, then cpu. */
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  seed: z.int().default(42),
  epochs: z
    .int()
    .min(1)
    .max(10_000, 'more would keep a run going for days; train.patience stops it early anyway')
    .default(80),
  /** Embeddings per training step (small collections need several steps per epoch). */
  batch_size: z.int().min(1).max(65_536, 'a larger batch would not fit in memory').default(32),
  /** Adam's step size. */
  learning_rate: z.number().positive().default(0.002),
  /** Stop when validation loss has not improved for this many epochs. */
  patience: z.int().min(1).max(10_000, 'more than any useful number of epochs').default(10),
  /** Weight classes inversely to their frequency (imbalanced collections). */
  class_weighting: z.boolean().default(true),
  /** Hidden layer width of the head; 0 for a linear (logistic) head. */
  hidden_units: z.int().min(0).max(8192, 'a wider head would not fit in memory').default(0),
  /** Share of the hidden units switched off in each training step: 1 would switch them all off. */
  dropout: z.number().min(0).lt(1, 'at 1 every hidden unit would be switched off and nothing learnt').default(0.1),
  /**
   * lbfgs: a linear head solved to convergence on standardised embeddings, L2 chosen by cross-validation
   * among l2_choices; adam: mini-batch epochs with early stopping (always used with hidden units).
   */
  solver: z.enum(['lbfgs', 'adam']).default('lbfgs'),
  /** L2 penalties the lbfgs head chooses from (3-fold cross-validation on the training objects). */
  l2_choices: z
    .array(z.number().min(0))
    .min(1)
    .max(50, 'each one is cross-validated: more would slow every run for nothing')
    .default([0.01, 0.03, 0.1, 0.3, 1, 3]),
  /** lbfgs: choose L2 on a stratified sample of at most this many training objects (0 = all of them). */
  l2_cv_max_objects: z.int().min(0).default(5_000),
  /** L2 penalty on the head's weights (adam). */
  l2: z.number().min(0).default(0.0005),
  /**
   * Worker threads for embedding and for the cross-validation heads (wasm, cpu backends); 0 uses every
   * core, except that small lbfgs heads (≤ 300 rows) then stay on the main thread (threads cost more).
   */
  workers: z.int().min(0).max(256, 'more threads than any machine has cores').default(0),
  /**
   * Horizontal-flip augmentation of training embeddings (each training image embedded twice). Off by default:
   * measured on the Egyptian set it did not help (docs/backbone.md).
   */
  augment: z.boolean().default(false),
  /** Labels confident learning flags as likely wrong (vitrine review): keep them, or drop them from training and validation. */
  flagged: z.enum(['keep', 'drop']).default('keep'),
});

/** The words evaluate.baseline takes besides a version or a stage (findVersion reads them; promote assigns prod). */
const BASELINE_WORDS = ['prod', 'none', 'latest'];

/**
 * A word close to prod, none or latest ("production", "nnoe", "prd"): a slip, though GTO would allow it as a stage
 * name (tester: "production" found no model, so a much worse model was judged as a first one and promoted).
 */
function baselineSlip(written: string): string | undefined {
  if (BASELINE_WORDS.includes(written)) return undefined;
  const word = written.trim().toLowerCase();
  return word.startsWith('prod') ? 'prod' : closest(word, BASELINE_WORDS);
}

/**
 * evaluate.baseline names a model evaluate can find: prod, none, latest, a version ("v1.2.0", "1.2.0"), or another
 * stage assigned with GTO (`gto assign` writes collection-classifier#staging#1; the registry finds a version by any
 * stage it holds). A stage no version holds is refused when the evaluation runs (EVALUATE_BASELINE_UNKNOWN).
 */
function isBaselineName(baseline: string): boolean {
  if (BASELINE_WORDS.includes(baseline)) return true;
  if (isGtoVersion(/^\d/.test(baseline) ? `v${baseline}` : baseline)) return true;
  return isGtoName(baseline) && !/^v?\d/.test(baseline) && baselineSlip(baseline) === undefined;
}

/** What evaluate.baseline expects, with a did-you-mean. */
function baselineExpected(written: string): string {
  const guess = baselineSlip(written);
  return (
    'prod (the model in production), none (no comparison), latest (the newest registered version), a ' +
    'registered version such as v1.2.0, or another stage assigned with GTO (lowercase letters, digits and ' +
    `dashes, such as staging)${guess ? `. Did you mean "${guess}"?` : ''}`
  );
}

export const evaluateParams = z
  .strictObject({
    /** Bootstrap resamples for the intervals: the scores' 95% ones, and a change's (1 − alpha) one. */
    bootstrap: z
      .int()
      .min(100)
      .max(100_000, 'more would slow every evaluation without narrower intervals')
      .default(1000),
    top_k: z.int().min(1).default(2),
    /**
     * Baseline to compare against: "prod" (the promoted model), "latest" (the newest registered version), a version
     * such as "v1.0.0", another stage assigned with GTO ("staging"), or "none". A version or stage no model has stops
     * the evaluation, rather than judge the model as a first one.
     */
    baseline: z
      .string()
      .refine(isBaselineName, { error: (issue) => baselineExpected(String(issue.input)) })
      .default('prod'),
    /** Significance level of the paired test; a change's range is its (1 − alpha) interval ("90% range" at 0.1). */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /**
     * Smallest change, judged on every labelled object, in the average probability the model gives each
     * object's label, that counts as better or worse: a smaller one is "no detectable difference" even when
     * it is more than chance (a few new objects nudge every model a little). 19 corrected labels in 300: +0.09.
     * The change over the objects relabelled counts too, when it goes the same way (pairedMeanTest).
     */
    min_change: fraction.default(0.01),
    /** How many least-confident objects to list. */
    least_confident: z.int().min(0).default(10),
    /** Metadata fields to break scores down by (model card factors). */
    factors: z.array(z.string()).default(['department', 'medium']),
    /** Folds of the cross-validation over every labelled object (out-of-fold predictions, label errors); 0: off. */
    folds: z
      .int()
      .min(0)
      .max(20)
      .refine((k) => k !== 1, { message: '0 (off) or at least 2' })
      .default(5),
    /** Field of a source (department, museum, photographer): leave-one-group-out estimate for unseen sources. Empty: off. */
    group_by: z.string().default(''),
    /**
     * Most labelled objects the cross-validation's models learn from: beyond it, a stratified sample of
     * this many (every object is still predicted and scored). Keeps a large collection's pull request
     * within minutes. 0: all.
     */
    cv_max_objects: z.int().min(0).default(10_000),
  })
  // The paired tests' smallest p-value from `bootstrap` resamples is 2 / (bootstrap + 1): the test split's
  // (pairedBootstrap) and a label change's on every labelled object (pairedMeanTest, the same count whatever the
  // folds). At an alpha no larger, no change could ever be found, however large, and every comparison would say
  // "no difference" (test/evaluate/alpha-reachable.test.ts).
  .superRefine((evaluate, ctx) => {
    const smallest = 2 / (evaluate.bootstrap + 1);
    // An alpha of 0 or below is refused by its own rule.
    if (evaluate.alpha > smallest || !(evaluate.alpha > 0)) return;
    // The fewest resamples whose smallest p-value is below alpha (2 / alpha rounded down, floating point aside).
    let needed = Math.max(1, Math.floor(2 / evaluate.alpha));
    while (2 / (needed + 1) >= evaluate.alpha) needed++;
    while (needed > 1 && 2 / needed < evaluate.alpha) needed--;
    ctx.addIssue({
      code: 'custom',
      path: ['alpha'],
      input: evaluate.alpha,
      message:
        `more than ${Number(smallest.toPrecision(2))}: with evaluate.bootstrap at ${evaluate.bootstrap} resamples, ` +
        `no p-value can be below ${evaluate.alpha}, so no change would ever be found. Raise alpha, or raise ` +
        `evaluate.bootstrap to at least ${needed.toLocaleString('en-US')}` +
        (needed > 100_000 ? ' (at most 100,000: raise alpha)' : ''),
    });
  });

export const gateParams = z.strictObject({
  /** Macro-F1 may not drop more than this below the baseline. */
  max_macro_f1_drop: fraction.default(0.02),
  /** No class may have an F1 below this. */
  min_class_f1: fraction.default(0.3),
  /** Minimum macro-F1 for a first model (no baseline). */
  min_macro_f1: fraction.default(0.5),
  /** Fewer labelled test objects than this is not enough evidence to judge a model: the gate does not pass. */
  min_test_objects: z.int().min(0).default(30),
  /** Minimum macro-F1 on a source the model has not seen (evaluate.group_by's estimate). 0: not checked. */
  min_unseen_macro_f1: fraction.default(0),
});

export const annotateParams = z.strictObject({
  /** Publish a machine annotation only when its class reaches this precision at its confidence (per-class thresholds). */
  min_precision: fraction.default(0.9),
  /**
   * Also hold back annotations of objects whose photographs are unlike every labelled photograph (a painting
   * in a collection of antiquities): the model is as confident on them as on the rest, and often wrong.
   */
  familiarity: z.boolean().default(true),
  /**
   * How unlike: farther from its nearest labelled photographs than this share of labelled photographs are
   * from theirs (0.95: one familiar photograph in twenty is held back too). Higher holds back fewer.
   */
  familiarity_quantile: z.number().min(0.5).max(1).default(0.95),
});

/** registry.owners until a museum sets it: a placeholder, not a team anyone named (an outside tester). */
export const PLACEHOLDER_OWNERS: readonly string[] = ['Collections Data Team'];

/** The owners a card may name: none while registry.owners is still the placeholder. */
export function namedOwners(owners: readonly string[]): string[] {
  const placeholder = new Set(PLACEHOLDER_OWNERS);
  return owners.filter((o) => o.trim() !== '' && !placeholder.has(o.trim()));
}

export const registryParams = z.strictObject({
  /** Model name in the GTO-format tags (`name@v1.2.0`, `name#prod#3`). */
  model_name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes')
    .default('collection-classifier'),
  /**
   * Owners named on the model card. The default is a placeholder (PLACEHOLDER_OWNERS): while it stands, cards and
   * model pages name no owner and the run's log says to set it.
   */
  owners: z.array(z.string()).default([...PLACEHOLDER_OWNERS]),
});

export const reportParams = z.strictObject({
  /** Most label changes listed in the pull-request comment (the rest are counted). */
  max_label_changes: z
    .int()
    .min(1)
    .max(1_000, 'a pull-request comment holds 65,536 characters: more rows would be cut from it anyway')
    .default(50),
  /** Published catalogue URL, for thumbnails and object links in the comment. Empty: none. */
  catalogue_url: z.string().default(''),
  /** Path of an object's page under the catalogue URL: {slug} is the catalogue's page name, {id} the object id. */
  object_page: z.string().default('objects/{slug}/'),
  /** Folder under the catalogue URL where the dataset's thumbnails are published (their paths are appended). */
  thumbnail_folder: z.string().default('media'),
  /** Name of the commit status that carries the promotion gate. */
  status_context: z.string().min(1).default('vitrine/gate'),
});

/**
 * A well-formed BCP 47 tag whose language is a code of two or three letters: "German" and "Deutsch" are well formed
 * (a language subtag may have up to eight letters) but no language has such a code.
 */
function isLanguageTag(tag: string): boolean {
  if (!/^[a-z]{2,3}(?:-|$)/i.test(tag)) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** What the public site shows of a photograph: every size, one small picture, or none. */
const imageRule = z.enum(['full', 'thumbnail', 'none']);

export const catalogueParams = z.strictObject({
  /** Site title. */
  title: z.string().default('Vitrine Demo Museum — Online Collection'),
  /** Base path when served under a GitHub Pages project path, e.g. "/my-repo". */
  base: z.string().default('/'),
  /**
   * Full site URL (for canonical links); empty when unknown. One http(s) address, no spaces or control characters: the
   * catalogue action writes it into a workflow command, where a second line would be a command of its own.
   */
  site: z
    .string()
    .regex(
      /^(https?:\/\/[^\s\p{Cc}]+)?$/u,
      'one address like "https://owner.github.io/my-repo" (on one line, no spaces), or "" when unknown',
    )
    .default(''),
  /**
   * The language the collection's records are written in, a BCP 47 tag ("de", "fr", "de-CH"): every page says it is
   * in it (screen readers read the titles in it, Pagefind stems the search words by it). The site's own words stay
   * English. Written as BCP 47 writes it ("DE-ch" is "de-CH").
   */
  language: z
    .string()
    .refine(isLanguageTag, 'a language tag such as "de", "fr" or "de-CH" (BCP 47: a language, then a region if needed)')
    .transform((tag) => Intl.getCanonicalLocales(tag)[0]!)
    .default('en'),
  /** Objects shown in the review queue. */
  review_queue: z.int().min(0).default(100),
  /** Named periods for dates: name → [first year, last year], negative is BCE (docs/examples/periods-egypt.yaml). */
  periods: z
    .record(z.string().min(1), z.tuple([z.int(), z.int()]))
    // A character pasted in with a name (a zero-width one anywhere, one that looks like a space at either end):
    // named with where it is (validateParams), as the dates of data/objects.csv would not match it.
    // Two names that read as one (labelForm: "Neues Reich" and "Neues\u00a0Reich") would be one name kept silently.
    .superRefine((periods, ctx) => {
      const seen = new Map<string, string>();
      for (const name of Object.keys(periods)) {
        // A name of nothing but spaces ("\u00a0" alone): no name, said so (validateParams), not a space to delete.
        if (blankLabel(name)) {
          ctx.addIssue({ code: 'custom', path: [name], input: name, message: '', params: { blank: true } });
          continue;
        }
        if (hiddenInLabel(name).length > 0) ctx.addIssue({ code: 'custom', path: [name], input: name, message: '' });
        const twin = seen.get(labelForm(name));
        if (twin !== undefined)
          ctx.addIssue({ code: 'custom', path: [name], input: name, message: '', params: { twin } });
        else seen.set(labelForm(name), name);
      }
    })
    // Read as dates are (catalogue/dates.ts): "Neues\u00a0Reich" is "Neues Reich", as a label is.
    .transform((periods) =>
      Object.fromEntries(Object.entries(periods).map(([name, years]) => [labelForm(name), years])),
    )
    .default({}),
  /** Originals at least this many pixels on their long side get large pictures and deep-zoom tiles. */
  deep_zoom_min_side: z.int().positive().default(1500),
  /**
   * Which photographs the public site shows, by the object's rights (docs/catalogue.md, "Photographs and copyright"):
   * full (every size, deep zoom, IIIF), thumbnail (one small picture, at most thumbnail_max pixels on its long side,
   * no zoom, IIIF image or download) or none (the page says the photograph is not shown for copyright reasons).
   * The model still reads every photograph; only what the public sees changes.
   */
  images: z
    .strictObject({
      /** Rights read as In Copyright (rightsstatements.org InC, InC-EDU, InC-NC, InC-RUU, InC-OW-EU; "© 2019 …"). */
      in_copyright: imageRule.default('thumbnail'),
      /** Rights empty, not recognised, or "Copyright Not Evaluated" / "Copyright Undetermined". */
      unknown: imageRule.default('full'),
      /** The long side, in pixels, of the one picture published under `thumbnail`. */
      thumbnail_max: z.int().min(64).max(1024).default(300),
    })
    .prefault({}),
  /** Object pages in one part of the search index: one Pagefind process holds a part (about 30 kB a page). */
  search_part_pages: z.int().min(1).default(20_000),
  /** Where `vitrine publish` puts the built site: GitHub Pages (the workflows do it) or an S3-compatible bucket. */
  publish: z.enum(['pages', 's3']).default('pages'),
  /** The bucket for `publish: s3` (docs/scale.md). Keys never go here: VITRINE_PUBLISH_* or .dvc/config.local. */
  s3: z
    .strictObject({
      /** S3-compatible server address (MinIO, R2, …); empty for Amazon S3. */
      endpoint: z
        .string()
        .regex(/^(https?:\/\/\S+)?$/, 'an address like "https://s3.example.org", or "" for Amazon S3')
        .default(''),
      bucket: z.string().default(''),
      /** Folder in the bucket the site goes under ("" for the bucket's top). */
      prefix: z
        .string()
        .regex(/^([^/\s][^\s]*)?$/, 'a folder like "collection" (no leading "/"), or ""')
        .default(''),
      region: z.string().default('us-east-1'),
      /** Where the media/ folder (thumbnails) is served from when not next to the pages (a CDN); "" = next to them. */
      image_base_url: z
        .string()
        .regex(/^(https?:\/\/\S+)?$/, 'an address like "https://images.example.org/media", or ""')
        .default(''),
      /** Name of a remote in .dvc/config(.local) whose access_key_id/secret_access_key to use; "" = environment. */
      credentials_remote: z.string().default(''),
      /** Uploads at once. */
      jobs: z.int().min(1).max(64).default(8),
    })
    .prefault({}),
});

export const monitorParams = z.strictObject({
  /** Drift on embeddings: permutation-test p-value below this raises the signal. */
  embedding_p_value: fraction.default(0.01),
  /** Drift on image statistics (standardised mean difference). */
  image_stats_threshold: z.number().positive().default(0.8),
  /** Predicted-label distribution drift (total variation distance). */
  label_distribution_threshold: fraction.default(0.25),
  /**
   * ...and only when the effect (energy coefficient, 0 = same, 1 = fully apart) is at least this. It also moves when
   * new objects are a different mix of familiar kinds, so the bar is high.
   */
  embedding_min_effect: fraction.default(0.2),
  /**
   * Novelty: new objects lie on average this much farther from their nearest training object than training objects
   * from each other (0.5: half as far again), and p is below embedding_p_value.
   */
  novelty_min_increase: z.number().min(0).default(0.5),
  /** Classifier two-sample test, the headline signal: drift when its AUC reaches this and its 95% interval lies above 0.5. */
  classifier_min_auc: z.number().min(0.5).max(1).default(0.7),
  permutations: z.int().min(50).max(100_000, 'more would slow every drift check for nothing').default(500),
  /** Seed of the permutation test and of subsampling: the same data gives the same report. */
  seed: z.int().default(1),
  /** Objects compared per side at most (larger sides are subsampled, seeded). */
  max_objects: z
    .int()
    .min(10)
    .max(20_000, 'the comparisons grow with the square of this: more would take hours')
    .default(1000),
  /** How many unfamiliar objects to name. */
  unfamiliar: z.int().min(0).default(10),
});

export const retrainParams = z.strictObject({
  /** The scheduled run retrains when at least this many labels changed or were added since promotion (0: any)... */
  min_new_labels: z.int().min(0).default(20),
  /** ...or this many objects were added or re-photographed (0: any)... */
  min_new_objects: z.int().min(0).default(50),
  /** ...or drift was detected. */
  on_drift: z.boolean().default(true),
});

export const scaleParams = z.strictObject({
  /** Runners the CI workflows split the per-image work over (`vitrine run --shard i/n`, docs/scale.md); 1 = one job. */
  shards: z.int().min(1).max(64).default(1),
});

export const paramsSchema = z.strictObject({
  collection: collectionParams.prefault({}),
  import: importParams.prefault({}),
  demo: demoParams.prefault({}),
  dataset: datasetParams.prefault({}),
  backbone: backboneParams.prefault({}),
  train: trainParams.prefault({}),
  evaluate: evaluateParams.prefault({}),
  gate: gateParams.prefault({}),
  annotate: annotateParams.prefault({}),
  registry: registryParams.prefault({}),
  report: reportParams.prefault({}),
  catalogue: catalogueParams.prefault({}),
  monitor: monitorParams.prefault({}),
  retrain: retrainParams.prefault({}),
  scale: scaleParams.prefault({}),
});

export type Params = z.infer<typeof paramsSchema>;

/**
 * The first two labels that are one label written two ways: in capitals ("coin", "Coin"), or in how an accented
 * letter is stored ("é" composed, or "e" and an accent), or both; `how` says which, for the message.
 */
function labelTwins(labels: string[]): { a: string; b: string; how: 'capitals' | 'encoding' | 'spaces' } | undefined {
  const seen = new Map<string, string>();
  for (const label of labels) {
    const key = labelForm(label).toLowerCase();
    const a = seen.get(key);
    if (a === undefined) seen.set(key, label);
    else if (a !== label) {
      const how =
        labelForm(a) !== labelForm(label)
          ? 'capitals'
          : a.normalize('NFC') === label.normalize('NFC')
            ? 'encoding'
            : 'spaces';
      return { a, b: label, how };
    }
  }
  return undefined;
}

/** A label with each character that prints as a space but the plain one shown by its code: "Epoche:<U+00A0>Neu". */
function spacesShown(label: string): string {
  return [...label].map((c) => (c !== ' ' && /\p{Zs}/u.test(c) ? `<${characterCode(c)}>` : c)).join('');
}

/** The characters of `text` that print as a space but are not the plain one: "U+00A0, a no-break space". */
function spacesIn(text: string): string {
  const found = [...new Set([...text].filter((c) => c !== ' ' && /\p{Zs}/u.test(c)))];
  return found
    .map((c) => {
      const name = HIDDEN_CHARACTER_NAMES[c];
      return name ? `${characterCode(c)}, ${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}` : characterCode(c);
    })
    .join('; ');
}

/** The defaults, as a full Params object. */
export function defaultParams(): Params {
  return paramsSchema.parse({});
}

/** Validate parsed YAML; errors name the key, the value and the expected form. */
export function validateParams({
  raw,
  file = 'params.yaml',
  lineOf,
  sourceOf,
  commentOf,
}: {
  raw: unknown;
  file?: string;
  lineOf?: (path: (string | number)[]) => number | undefined;
  /** The value at a path as written in the file, to show a number that should have been text as it was written. */
  sourceOf?: (path: (string | number)[]) => string | undefined;
  /** A `key: #000000` left empty at a path, YAML having read the value as a comment: the key and the "#…" written. */
  commentOf?: (path: (string | number)[]) => { key: string; written: string } | undefined;
}): Params {
  const result = paramsSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const keys = issue.path.map(String);
    const linePath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    const line = lineOf?.(linePath as (string | number)[]);
    const where = `${file}${line ? `:${line}` : ''}`;
    if (issue.code === 'unrecognized_keys') {
      const unknown = issue.keys.map((k) => [...keys, k].join('.'));
      return (
        `${where}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')} (check the spelling; allowed ` +
        `here: ${allowedKeys(keys).join(', ')})`
      );
    }
    const value = valueAt(raw ?? {}, issue.path as (string | number)[]);
    // The whole file (a list, or one line of text): there is no key to name.
    if (keys.length === 0)
      return `${where}: the file holds ${kindOf(value)} (${shown(value)}), expected ${expected(issue)}`;
    // An unquoted 1.10 is the number 1.1 to YAML: show it as written, and how to keep it text.
    const written = typeof value === 'number' && issue.code === 'invalid_type' && issue.expected === 'string';
    const asWritten = written ? sourceOf?.(issue.path as (string | number)[]) : undefined;
    if (written)
      return `${where}: "${keys.join('.')}" is ${asWritten ?? shown(value)}, a number to YAML${
        asWritten && asWritten !== String(value) ? ` (read as ${value})` : ''
      }; it should be text: put it in quotes, "${asWritten ?? value}"`;
    // Tester: `background: #000000` was "is null, expected text": YAML reads an unquoted "#…" as a comment.
    const comment =
      value === null && issue.code === 'invalid_type' ? commentOf?.(issue.path as (string | number)[]) : undefined;
    if (comment) {
      const written = clip(comment.written);
      return (
        `${where}: "${keys.join('.')}" has no value: YAML reads ${written} as a comment. A value starting with # ` +
        `must be in quotes: ${comment.key}: "${written}"`
      );
    }
    // Tester: a vocabulary entry `- ""` was 'is "", expected at least 1'.
    const label = keys.length === 3 && keys.slice(0, 2).join('.') === 'collection.vocabulary';
    if (label && value === '' && issue.code === 'too_small')
      return `${where}: "${keys.join('.')}" is an empty label (""): remove that line or write the label`;
    // "\u00a0" alone (a cell copied from a web page): no label at all, not one with a space "before """.
    if (label && typeof value === 'string' && blankLabel(value))
      return `${where}: "${keys.join('.')}" is an empty label: it holds only ${blankWords(value)}: remove that line or write the label`;
    // A period's name with such a character: said as a label's is, the dates being what it would not match.
    const period = keys.length === 3 && keys.slice(0, 2).join('.') === 'catalogue.periods';
    if (period && issue.code === 'custom' && (issue.params as { blank?: boolean } | undefined)?.blank)
      return (
        `${where}: the period "catalogue.periods.${clip(spacesShown(keys[2]!))}" has no name: it holds only ` +
        `${blankWords(keys[2]!)}: remove that line or write the name`
      );
    const twin = period && issue.code === 'custom' ? (issue.params as { twin?: string } | undefined)?.twin : undefined;
    if (twin !== undefined) {
      const first = lineOf?.(['catalogue', 'periods', twin]);
      const spaces = spacesIn(`${twin}${keys[2]}`);
      const how = spaces
        ? `with a character that prints as a space (${spaces})`
        : 'with its accents encoded another way (as a Mac saves them)';
      return (
        `${where}: the period "catalogue.periods.${clip(spacesShown(keys[2]!))}" is "${clip(twin)}"` +
        `${first ? ` of line ${first}` : ''} written again, ${how}: keep one of the two.`
      );
    }
    const inName = period && issue.code === 'custom' ? hiddenInLabel(keys[2]!) : [];
    if (inName.length > 0) {
      const chars = [...keys[2]!];
      const { words, plural } = hiddenWords({ chars, found: inName });
      const shownName = chars.map((c, i) => (inName.includes(i) ? `<${characterCode(c)}>` : c)).join('');
      return (
        `${where}: the period "catalogue.periods.${clip(shownName)}" has ${words}: delete ${plural ? 'them' : 'it'}. ` +
        'A period’s name is matched with the dates of data/objects.csv, which this one would not match as it is ' +
        'written.'
      );
    }
    // "Pottery\u200b": a character pasted in with the label, which labels.csv's "Pottery" would not match.
    const pasted = label && typeof value === 'string' ? hiddenInLabel(value) : [];
    if (pasted.length > 0 && issue.code === 'custom') {
      const chars = [...(value as string)];
      const { words, plural } = hiddenWords({ chars, found: pasted });
      const shownLabel = chars.map((c, i) => (pasted.includes(i) ? `<${characterCode(c)}>` : c)).join('');
      return (
        `${where}: the label "${keys.join('.')}" ("${clip(shownLabel)}") has ${words}: delete ${plural ? 'them' : 'it'}. ` +
        'A label is matched letter for letter with the labels of labels.csv, which this one would not match as it ' +
        'is written.'
      );
    }
    // "0.9\u200b": text to YAML, which a number setting refuses; said with the character and where it is.
    const hidden =
      typeof value === 'string' && issue.code === 'invalid_type' && issue.expected === 'number'
        ? hiddenInNumber({
            value,
            accepts: (n) => acceptsAt({ raw, path: issue.path as (string | number)[], value: n }),
          })
        : undefined;
    if (hidden) {
      const quoted = /^['"]/.test(sourceOf?.(issue.path as (string | number)[]) ?? '');
      return (
        `${where}: "${keys.join('.')}" (${hidden.clean}) has ${hidden.words}, which ${hidden.plural ? 'make' : 'makes'} ` +
        `it text to YAML, not a number: delete ${hidden.plural ? 'them' : 'it'}${quoted ? ', and the quotes' : ''}.`
      );
    }
    const accepts = (n: number) => acceptsAt({ raw, path: issue.path as (string | number)[], value: n });
    const asText = typeof value === 'string' && issue.code === 'invalid_type' && issue.expected === 'number';
    const hint = asText
      ? numberHint({ value, quoted: /^['"]/.test(sourceOf?.(issue.path as (string | number)[]) ?? ''), accepts })
      : undefined;
    // A count (min_test_objects) written as text ("10 objects") is told it takes a whole number, as 2.5 is.
    const kind =
      asText && takesWholeNumbers({ at: issue.path as (string | number)[], accepts }) ? 'a whole number' : '';
    // 2.5 for a whole number: the two around it that the setting takes.
    const fraction =
      typeof value === 'number' && Number.isFinite(value) && issue.code === 'invalid_type' && issue.expected === 'int'
        ? [Math.floor(value), Math.ceil(value)].filter(accepts)
        : [];
    const around = fraction.length > 0 ? ` (without a fraction): write ${fraction.join(' or ')}` : '';
    return (
      `${where}: "${keys.join('.')}" is ${shown(value)}, expected ${kind || expected(issue)}${around}` +
      `${hint ? `: ${hint}` : ''}`
    );
  });
  // A label refused twice over (a zero-width character and spaces, both said as "an empty label") is said once.
  const said = [...new Set(problems)];
  throw new VitrineError('PARAMS_INVALID', `params.yaml is not valid:\n  ${said.join('\n  ')}`, {
    file,
    problems: said,
  });
}

/** A label of nothing but characters that print as a space or as nothing ("\u00a0", "  "), not "" itself. */
function blankLabel(label: string): boolean {
  const hidden = new Set(hiddenInLabel(label));
  return label !== '' && [...label].every((c, i) => /\s/.test(c) || hidden.has(i));
}

/** `spaces`, `a character that looks like a space (U+00A0, a no-break space)`: what a blank label holds. */
function blankWords(label: string): string {
  const named = [...new Set([...label].filter((c) => c in HIDDEN_CHARACTER_NAMES))];
  if (named.length === 0) return 'spaces';
  const chars = [...label];
  const unseen = named.some((c) => !/\p{Zs}/u.test(c));
  const many = chars.length > 1;
  const what = unseen
    ? many
      ? `${chars.length} characters that print as a space or as nothing`
      : 'an invisible character'
    : many
      ? `${chars.length} characters that look like a space`
      : 'a character that looks like a space';
  const names = named.map((c) => {
    const name = HIDDEN_CHARACTER_NAMES[c]!;
    return `${characterCode(c)}, ${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
  });
  return `${what} (${names.join('; ')})`;
}

/**
 * Where in `label` (indices of its characters) a character was pasted in with it: one no label is written with
 * (pastedInLabel: a zero-width one, a control character or a bidi embedding, override or isolate, "co\u202ein" reads
 * "coni", a joiner that joins nothing, "Jewel\u200dlery", a direction mark in a label with no right-to-left letter,
 * "\u200eStatuary") anywhere, one that looks like a space at either end. A no-break space between words
 * ("Epoche:\u00a0Neu"), a joiner inside a Persian or Hindi word and the direction marks of a Hebrew or Arabic label are
 * the label's own.
 */
function hiddenInLabel(label: string): number[] {
  const chars = [...label];
  // pastedInLabel's UTF-16 indices, as indices of characters (an emoji is two units, one character).
  const units = new Set(pastedInLabel(label));
  const pasted = new Set<number>();
  for (let i = 0, unit = 0; i < chars.length; unit += chars[i]!.length, i++) if (units.has(unit)) pasted.add(i);
  const solid = chars.map((c, i) => !/\s/.test(c) && !pasted.has(i));
  const first = solid.indexOf(true);
  const last = solid.lastIndexOf(true);
  return chars.flatMap((c, i) =>
    pasted.has(i) || (SPACE_LIKE.has(c) && (first === -1 || i < first || i > last)) ? [i] : [],
  );
}

/**
 * A number setting's text that is a number the setting takes once the characters that print as nothing or as a space
 * are deleted: the number, and the characters named with where they are. Undefined otherwise.
 */
function hiddenInNumber({
  value,
  accepts,
}: {
  value: string;
  accepts: (n: number) => boolean;
}): { clean: string; words: string; plural: boolean } | undefined {
  const chars = [...value];
  const found = chars.flatMap((c, i) => (c in HIDDEN_CHARACTER_NAMES ? [i] : []));
  if (found.length === 0) return undefined;
  const clean = chars
    .filter((_, i) => !found.includes(i))
    .join('')
    .trim();
  if (!/^-?\d+(\.\d+)?$/.test(clean) || !accepts(Number(clean))) return undefined;
  return { clean, ...hiddenWords({ chars, found }) };
}

/**
 * `an invisible character (U+200B, a zero-width space) after "0.9"`, `2 characters that look like a space (U+00A0, a
 * no-break space) before "30"`, `… inside it, after "Pot"`: the characters at `found` (indices of `chars`) and where
 * they stand in the rest.
 */
function hiddenWords({ chars, found }: { chars: string[]; found: number[] }): { words: string; plural: boolean } {
  const kinds = [...new Set(found.map((i) => chars[i]!))];
  const plural = found.length > 1;
  const unseen = kinds.some((c) => !SPACE_LIKE.has(c));
  const what = unseen
    ? `${plural ? `${found.length} invisible characters` : 'an invisible character'}`
    : `${plural ? `${found.length} characters that look` : 'a character that looks'} like a space`;
  const names = kinds.map((c) => {
    const name = HIDDEN_CHARACTER_NAMES[c] ?? controlName(c) ?? 'format character';
    return `${characterCode(c)}, ${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
  });
  const rest = chars.filter((_, i) => !found.includes(i)).join('');
  const solid = chars.flatMap((_, i) => (found.includes(i) ? [] : [i]));
  const before = found.every((i) => i < (solid[0] ?? Infinity));
  const after = found.every((i) => i > (solid.at(-1) ?? -1));
  const outside = found.every((i) => i < (solid[0] ?? Infinity) || i > (solid.at(-1) ?? -1));
  const preceding = chars
    .slice(
      0,
      found.find((i) => i > (solid[0] ?? Infinity)),
    )
    .filter((_, i) => !found.includes(i))
    .join('');
  const where = before
    ? `before "${clip(rest, 40)}"`
    : after
      ? `after "${clip(rest, 40)}"`
      : outside
        ? `before and after "${clip(rest, 40)}"`
        : `inside it, after "${clip(preceding, 40)}"`;
  return { words: `${what} (${names.join('; ')}) ${where}`, plural };
}

/**
 * What to write for a number typed as text (tester: gate values the German or French way, "0,5" and "50%", and "20"
 * in quotes): only a number the setting takes (`accepts`), so a count is never told to take 0.3 for 30%.
 */
function numberHint({
  value,
  quoted,
  accepts,
}: {
  value: string;
  /** Written in quotes in the file. */
  quoted: boolean;
  accepts: (n: number) => boolean;
}): string | undefined {
  const unquote = quoted ? ', and without quotes' : '';
  // A number with a character that prints as nothing or as a space is said whole by hiddenInNumber.
  const n = (text: string) => Number(text.replace(',', '.'));
  if (/^-?\d+(\.\d+)?$/.test(value.trim()) && accepts(Number(value)))
    return 'remove the quotes, which make it text to YAML';
  // "10 objects": the number with a word after it.
  const worded = /^(-?\d+(?:\.\d+)?)\s*\p{L}[\p{L}\p{N}\s.]*$/u.exec(value.trim());
  if (worded && accepts(Number(worded[1]))) return `write ${Number(worded[1])}, the number alone${unquote}`;
  // "1_000" (as code writes a number; YAML reads it as text): the digits alone.
  const underscored = /^-?\d+(_\d+)+(\.\d+)?$/.test(value.trim()) ? value.trim() : undefined;
  if (underscored && accepts(Number(underscored.replaceAll('_', '')))) {
    const many = underscored.split('_').length > 2 ? 's' : '';
    return `write ${Number(underscored.replaceAll('_', ''))}, without the underscore${many}${unquote}`;
  }
  // "2,000" in a whole-number setting (one that refuses 2.5) is two thousand; "0,5" is a half.
  const thousands = /^\d{1,3}(,\d{3})+$/.test(value.trim()) ? Number(value.replaceAll(',', '')) : undefined;
  if (thousands !== undefined && accepts(thousands) && !accepts(thousands + 0.5))
    return `write ${thousands}, without the comma${unquote}`;
  if (/^-?\d+,\d+$/.test(value.trim()) && accepts(n(value.trim())))
    return `write ${n(value.trim())}, with a point, not a comma${unquote}`;
  const percent = /^(\d+(?:[.,]\d+)?)\s*%$/.exec(value.trim());
  if (percent) {
    const share = Number((n(percent[1]!) / 100).toPrecision(12));
    if (accepts(share))
      return `write ${share} for ${value.trim()}${accepts(n(percent[1]!)) ? '' : ' (this setting is a share: 1 is 100%)'}${unquote}`;
  }
  return undefined;
}

/**
 * Whether the setting at `at` takes whole numbers only (a count, a seed): it takes its default, or a small whole
 * number, and refuses that number and a half.
 */
function takesWholeNumbers({ at, accepts }: { at: (string | number)[]; accepts: (n: number) => boolean }): boolean {
  const fallback = valueAt(defaultParams(), at);
  const n = [...(typeof fallback === 'number' ? [fallback] : []), 0, 1, 2, 10, 100, 1000].find(accepts);
  return n !== undefined && !accepts(n + 0.5);
}

/** Whether the schema takes `value` at `path` of the file's settings (other settings' problems aside). */
function acceptsAt({ raw, path: at, value }: { raw: unknown; path: (string | number)[]; value: unknown }): boolean {
  const copy = structuredClone(raw) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[at.at(-1)!] = value;
  const result = paramsSchema.safeParse(copy);
  const same = (p: PropertyKey[]) => p.length === at.length && p.every((k, i) => k === at[i]);
  return result.success || !result.error.issues.some((issue) => same(issue.path));
}

/**
 * Refuses a params.yaml that is a symbolic link (PARAMS_LINK), before it is read or written: a link can be committed
 * and point at any file on the computer that runs Vitrine (a pull request's, at a file on the runner), whose keys
 * and lines would be quoted in messages, and a write would replace that file. `name` is how messages call the file.
 * Nothing is done when it is not a link.
 */
export async function refuseParamsLink({ file, name }: { file: string; name: string }): Promise<void> {
  const entry = await lstat(file).catch(() => null);
  if (!entry?.isSymbolicLink()) return;
  const to = await readlink(file).catch(() => '?');
  throw new VitrineError(
    'PARAMS_LINK',
    `${name} is a symbolic link (to ${to}), not a regular file, and Vitrine does not read its settings through a ` +
      'link: it could point at any file on this computer, and parts of that file would be shown in messages. ' +
      `Nothing was read or written. Put the settings file itself in place of the link (copy the file it points to ` +
      `over ${name}), commit it, then run the command again.`,
    { file: name, link: to },
  );
}

/**
 * Read and validate params.yaml; a missing file means all defaults, an existing one with no settings is refused,
 * and a symbolic link too (refuseParamsLink). `name` is how messages call the file.
 */
export async function loadParams({
  file,
  name = path.basename(file),
}: {
  file: string;
  name?: string;
}): Promise<Params> {
  await refuseParamsLink({ file, name });
  let text: string;
  try {
    text = paramsText({ bytes: await readFile(file), name });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return defaultParams();
    // Node's read of a folder names no path: without this, the message could not say which file.
    if (code === 'EISDIR')
      throw new VitrineError(
        'PARAMS_IS_FOLDER',
        `${name} is a folder, not a file: Vitrine reads its settings from a file of that name. Move the ` +
          `folder away (or rename it) and run again; without ${path.basename(name)}, Vitrine uses its default settings.`,
        { file: name },
        { cause: error },
      );
    throw error;
  }
  try {
    return parseParamsFile({ text, name });
  } catch (error) {
    // The advice depends on the folder: `vitrine init` refuses one that holds a collection (a tester was sent there).
    if (!isVitrineError(error, 'PARAMS_EMPTY')) throw error;
    const emptySections = error.data.emptySections as string[];
    throw emptyParams({ name, emptySections, around: await emptyParamsFolder(file) });
  }
}

/**
 * What the folder of an empty params.yaml holds, for the advice: a params.yaml with settings in git's last commit
 * (restored with git checkout), a collection with none to restore (labels.csv, data.dvc or data/: init is not
 * the way to mend it, and refuses one with labels), or nothing yet (init, once the empty file is deleted, makes one).
 */
async function emptyParamsFolder(file: string): Promise<'committed' | 'collection' | 'new'> {
  const dir = path.dirname(file);
  try {
    const { readFileAtRef } = await import('./git/repo.ts');
    const committed = await readFileAtRef({ dir, ref: 'HEAD', filepath: path.basename(file) });
    if (committed !== null && !holdsNothing(committed)) return 'committed';
  } catch {
    // Not a git repository, no commit yet, or a committed file that is not YAML: nothing to restore from.
  }
  for (const name of ['labels.csv', 'data.dvc', 'data'])
    if (
      await stat(path.join(dir, name)).then(
        () => true,
        () => false,
      )
    )
      return 'collection';
  return 'new';
}

/**
 * Parse and validate the text of an existing params.yaml as a run reads it (loadParams): one that holds no settings
 * is refused (PARAMS_EMPTY), where parseParams would give the defaults. For a pull request's params.yaml too, which
 * would otherwise be judged and trained with the demo's name and labels.
 */
export function parseParamsFile({ text, name }: { text: string; name: string }): Params {
  const params = parseParams({ text, name });
  const nothing = holdsNothing(text);
  if (nothing) throw emptyParams({ name, emptySections: nothing.emptySections });
  const missing = collectionUnnamed({ text, name });
  if (missing) throw missing;
  return params;
}

/** Whether params.yaml's `text` has a collection section with anything in it (an empty one is read as none). */
export function paramsHaveCollection({ text }: { text: string }): boolean {
  const pair = collectionPair(parseDocument(text));
  return isMap(pair?.value) && pair.value.items.length > 0;
}

function collectionPair(doc: ReturnType<typeof parseDocument>) {
  return isMap(doc.contents)
    ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'collection')
    : undefined;
}

/**
 * A collection section without its name or its vocabulary (tester: a deleted "  name: T Semi" put "Vitrine Demo
 * Museum" on the catalogue, a deleted vocabulary list trained the demo's labels), refused with the lines to add. A
 * file without a collection section (or with an empty one) is the demo with a few settings changed: its collection is
 * the demo's, unless the file has import settings (museumUnnamed). Null when both are there.
 */
function collectionUnnamed({ text, name }: { text: string; name: string }): VitrineError | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const pair = collectionPair(doc);
  // `collection: {}` next to other settings is read as no section, as an empty section is anywhere else.
  if (!pair || !isMap(pair.value) || pair.value.items.length === 0) return museumUnnamed({ doc, lineCounter, name });
  const section = pair.value;
  const written = new Set(section.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  const missing = (['name', 'vocabulary'] as const).filter((key) => !written.has(key));
  if (missing.length === 0) return null;
  const line = lineCounter.linePos((pair.key as { range?: [number, number, number] }).range?.[0] ?? 0).line;
  // The section's own indent, so that the lines to add can be copied as they are.
  const first = section.items[0]?.key as { range?: [number, number, number] } | undefined;
  const indent = first?.range ? ' '.repeat(lineCounter.linePos(first.range[0]).col - 1) : '  ';
  const demo = defaultParams().collection;
  const why = {
    name: `the catalogue, the reports and the model card would carry the demo's name, "${demo.name}"`,
    vocabulary:
      `the model would learn the demo's labels (${demo.vocabulary.join(', ')}) instead of this ` +
      "collection's, and objects with other labels would be left out",
  };
  const add = {
    name: `${indent}name: Your Museum`,
    vocabulary: `${indent}vocabulary: [coin, mask]`,
  };
  const own = {
    name: "the collection's name",
    vocabulary: 'the labels of labels.csv the model is to learn, at least two',
  };
  const keys =
    missing.length === 1 ? `no collection.${missing[0]}` : 'neither collection.name nor collection.vocabulary';
  return new VitrineError(
    'PARAMS_MISSING',
    `${name}:${line}: the collection section has ${keys}: without ${missing.length === 1 ? 'it' : 'them'}, ` +
      `${missing.map((key) => why[key]).join(', and ')}. ` +
      `Vitrine stops here. Add ${missing.length === 1 ? 'this line' : 'these lines'} under "collection:", with ` +
      `${missing.map((key) => own[key]).join(' and ')}:\n${missing.map((key) => add[key]).join('\n')}`,
    { file: name, line, missing },
  );
}

/**
 * A params.yaml without a collection section (or with an empty one) that has import settings: `vitrine init` writes
 * both, and the demo has no export to import, so the file is a museum's whose section was deleted (its name and
 * labels would silently be the demo's, on the public catalogue and in training). The same sign the demo's guard
 * reads (pipeline/demo/guard.ts). Null for a file without import settings: the demo with a few settings changed.
 */
function museumUnnamed({
  doc,
  lineCounter,
  name,
}: {
  doc: ReturnType<typeof parseDocument>;
  lineCounter: LineCounter;
  name: string;
}): VitrineError | null {
  const setting = (['metadata', 'images'] as const).find((key) => {
    const value = doc.getIn(['import', key]);
    return typeof value === 'string' && value.trim() !== '';
  });
  if (!setting) return null;
  const node = doc.getIn(['import', setting], true) as { range?: [number, number, number] } | undefined;
  const line = lineCounter.linePos(node?.range?.[0] ?? 0).line;
  const value = String(doc.getIn(['import', setting]));
  const demo = defaultParams().collection;
  return new VitrineError(
    'PARAMS_MISSING',
    `${name}:${line}: there is no collection section, though import.${setting} says this repository imports a ` +
      `museum's export ("${value}"): without it, the catalogue, the reports and the model card would carry the ` +
      `demo's name, "${demo.name}", and the model would learn the demo's labels (${demo.vocabulary.join(', ')}). ` +
      "Vitrine stops here. Add these lines at the top of the file, with the collection's name and the labels of " +
      'labels.csv the model is to learn, at least two:\ncollection:\n  name: Your Museum\n  vocabulary: [coin, mask]\n' +
      "(Only a params.yaml without import settings, such as the demo's, may leave the section out: it then takes " +
      "the demo's name and labels.)",
    { file: name, line, missing: ['name', 'vocabulary'], import: setting },
  );
}

/**
 * The text of params.yaml, refused in plain words when it is not UTF-8: Notepad's "Unicode" (UTF-16) read as UTF-8
 * gave "the file holds text ("��#\u0000 \u0000T…)", and a Latin-1 "é" turned silently into "�" in the name.
 */
function paramsText({ bytes, name }: { bytes: Buffer; name: string }): string {
  const pointer = lfsPointer({ bytes, file: name });
  if (pointer) throw pointer;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16 || bytes.subarray(0, 4096).includes(0))
    throw new VitrineError(
      'PARAMS_ENCODING',
      `${name} is saved as UTF-16 (Notepad's "Unicode"), which Vitrine does not read: save it as UTF-8 (in Notepad: ` +
        'File > Save As, Encoding: UTF-8), or edit it on GitHub.',
      { file: name },
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = bytes.toString('utf8');
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new VitrineError(
      'PARAMS_ENCODING',
      `${name}:${line}: this line is not UTF-8 text (an accented letter saved in an older encoding, such as Windows' ` +
        '"ANSI"): save the file as UTF-8, or edit it on GitHub.',
      { file: name, line },
    );
  }
}

/**
 * Whether YAML text holds no settings: empty, blank, only comments, only `---`, `{}`, or only sections that are empty
 * mappings (`collection: {}`, which the schema fills with the demo's defaults as if the section were not there).
 * Null when it holds settings; otherwise the empty sections it has, if any.
 */
function holdsNothing(text: string): { emptySections: string[] } | null {
  const raw = parseDocument(text).toJS() as unknown;
  if (raw === null || raw === undefined) return { emptySections: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) return null;
  const sections = Object.entries(raw as Record<string, unknown>);
  const empty = ([, v]: [string, unknown]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
  return sections.every(empty) ? { emptySections: sections.map(([k]) => k) } : null;
}

/**
 * An existing params.yaml with no settings: every default would be the demo's (its name, its vocabulary), which a
 * museum's repository never means. A missing params.yaml is different: it still means the defaults.
 */
function emptyParams({
  name,
  emptySections,
  around,
}: {
  name: string;
  emptySections: string[];
  /** What the file's folder holds (emptyParamsFolder); not known for a pull request's params.yaml. */
  around?: 'committed' | 'collection' | 'new';
}): VitrineError {
  const quoted = emptySections.map((s) => `"${clip(s)}"`);
  const why =
    quoted.length === 0
      ? 'it is empty or only comments'
      : quoted.length === 1
        ? `its only section, ${quoted[0]}, is empty`
        : `its sections ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)} are empty`;
  const write =
    'write at least its collection section: "collection:" with "  name: Your Museum" and "  vocabulary: [coin, mask]" ' +
    'under it.';
  const base = path.basename(name);
  // Never `vitrine init` where a collection is: init refuses a folder that holds one (INIT_EXISTS).
  const advice =
    around === 'committed'
      ? `If it was emptied by mistake, restore it with "git checkout HEAD -- ${base}" (the last committed ${base}); ` +
        `otherwise ${write}`
      : around === 'new'
        ? `To start a collection here, delete ${base} and run \`vitrine init --from <export>\`, or ${write}`
        : `If it was emptied by mistake, put back the last version that held settings (GitHub shows the file's ` +
          `history); otherwise ${write}`;
  return new VitrineError(
    'PARAMS_EMPTY',
    `${name} holds no settings (${why}), so every setting would be the demo's, its name and its labels, and Vitrine ` +
      `stops here. ${advice}`,
    { file: name, emptySections },
  );
}

/** The YAML errors a slipped indentation or a forgotten colon gives, in YAML's words staff cannot act on. */
const LAYOUT_ERRORS = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'MISSING_CHAR']);

/**
 * The line, near where YAML stopped (`around`, 1-based), whose layout is wrong, in plain words: a setting without its
 * colon ("seed 42"), or a line indented to no section's depth. Null when none is found (YAML's own words then).
 */
function slippedLine({
  text,
  around,
  code,
  message,
}: {
  text: string;
  around: number;
  code: string;
  message: string;
}): { line: number; problem: string } | null {
  if (!LAYOUT_ERRORS.has(code) || /closing/i.test(message)) return null;
  const settings = layoutRows(text);
  const near = (r: { n: number }) => r.n >= around - 2 && r.n <= around + 1;
  const spaces = (k: number) => `this line starts with ${k} space${k === 1 ? '' : 's'}`;
  const indentAdvice =
    'so YAML cannot tell which section it belongs to: start it with the same spaces as the settings around it.';
  for (const [i, r] of settings.entries()) {
    if (!near(r)) continue;
    const bare = /^([A-Za-z_][\w.-]*)\s+([^\s:#'"[{&!|>-][^:]*)$/.exec(r.content);
    if (bare) return { line: r.n, problem: `"${r.content}" has no colon: write it as ${bare[1]}: ${bare[2]!.trim()}` };
    // A section's name without its colon, its settings below it.
    const next = settings[i + 1];
    if (/^[A-Za-z_][\w.-]*$/.test(r.content) && next && next.indent > r.indent)
      return { line: r.n, problem: `"${r.content}" has no colon: write it as ${r.content}:` };
  }
  // A file indented by two spaces a level: a line with an odd number of spaces is the one that slipped.
  const odd = settings.filter((r) => r.indent % 2 === 1);
  if (odd.length <= 2 && settings.length - odd.length > 5) {
    // YAML may stop a few lines below it, where the lines it swallowed end ("widths:" with its list).
    const slipped = odd.find((r) => r.n >= around - 8 && r.n <= around + 1);
    if (slipped) return { line: slipped.n, problem: `${spaces(slipped.indent)}, ${indentAdvice}` };
  }
  // Otherwise the first line indented to no section's depth (deeper is allowed only under "name:").
  const levels: number[] = [];
  let opens = true;
  for (const r of settings) {
    if (r.n > around + 1) break;
    if (r.n >= around - 1 && !levels.includes(r.indent) && !(opens && r.indent > (levels.at(-1) ?? -1)))
      return { line: r.n, problem: `${spaces(r.indent)}, ${indentAdvice}` };
    while (levels.length > 0 && levels.at(-1)! > r.indent) levels.pop();
    if (levels.at(-1) !== r.indent) levels.push(r.indent);
    // A list item's own settings ("- name: x", then "  kind: y") are two spaces further in.
    if (r.content.startsWith('- ')) levels.push(r.indent + 2);
    // "name:", also with an anchor or a tag after it ("train: &defaults"), or a text block ("note: |").
    opens = /:(\s+(&\S+|!\S*))*$/.test(r.content) || r.content.startsWith('- ');
  }
  return null;
}

/**
 * The lines of a params.yaml that hold settings, with their indentation and text without comments; the lines of a
 * text block ("name: |") and the continued lines of a long value (YAML joins them to the line before) left out.
 */
function layoutRows(text: string): { n: number; indent: number; content: string }[] {
  const rows: { n: number; indent: number; content: string }[] = [];
  // The value above that lines further in than `indent` belong to: a text block, or a plain value they continue.
  let within: { indent: number; block: boolean } | null = null;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const indent = /^ */.exec(raw)![0].length;
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!content) continue;
    // A line that reads as a setting of its own is not the continued value: it is the one that slipped.
    if (within && indent > within.indent && (within.block || !/^[\w.-]+:(\s|$)/.test(content))) continue;
    within = null;
    if (/:\s+[|>][-+0-9]*$/.test(content)) within = { indent, block: true };
    else if (/:\s+[^\s'"[{&!|>#]/.test(content) && !content.startsWith('- ')) within = { indent, block: false };
    rows.push({ n: i + 1, indent, content });
  }
  return rows;
}

/** The characters that print as a space: the others print as nothing. */
const SPACE_LIKE = new Set(['\u00a0', '\u202f', '\u2007', '\u2009', '\u3000']);

/** Every setting's name at any depth (epochs, min_test_objects), to tell a name a character broke from a museum's own. */
function settingNames(): Set<string> {
  const names = new Set<string>();
  const walk = (schema: z.ZodType, depth: number) => {
    const inner = unwrap(schema);
    if (!(inner instanceof z.ZodObject) || depth > 6) return;
    for (const [key, value] of Object.entries(inner.shape)) {
      names.add(key);
      walk(value as z.ZodType, depth + 1);
    }
  };
  walk(paramsSchema, 0);
  return names;
}

/**
 * The first line where a character that prints as a space or as nothing (a no-break space pasted from a web page or a
 * word processor) stands where YAML reads the layout: before a line's text, where it is no indentation to YAML, or
 * inside a setting's name, which it makes another name. The tester's no-break space gave "line 115 starts with 2
 * spaces" for line 114. Null when there is none; such characters in values, comments and text blocks are left alone.
 */
function hiddenInLayout(text: string): { line: number; problem: string } | null {
  const hidden = (c: string) => c in HIDDEN_CHARACTER_NAMES;
  const lines = text.split(/\r?\n/);
  if (lines[0]?.startsWith('\ufeff')) lines[0] = lines[0].slice(1);
  const names = settingNames();
  const rows = layoutRows(lines.join('\n'));
  const continued = continuedLines({ lines, rows: rows.map((row) => row.n) });
  // The indentations of the lines above, and whether the last one opens a section: what a line may start with.
  const indents = new Set<number>();
  let opens: number | null = null;
  for (const row of rows) {
    // A line inside brackets or quotes opened above is a value's text ("[\n  \u200fعملة,"), not layout.
    if (continued.has(row.n)) continue;
    const raw = lines[row.n - 1]!;
    const lead = /^[ \u00a0\u00ad\u200b-\u200f\u202f\u2007\u2009\u2060\u3000\ufeff]*/.exec(raw)![0];
    const rest = raw.slice(lead.length).replace(/(^|\s)#.*$/, '');
    const key = /^(?:-\s+)?([^\s:#'"[{][^:#]*?)[ \t]*:(\s|$)/.exec(rest)?.[1];
    const found = [...lead].filter(hidden);
    // A right-to-left mark or a joiner just before a museum's own name (an Arabic period's) belongs to its script.
    const script = found.every((c) => SCRIPT_MARKS.has(c)) && /^ *$/.test(lead.replace(/[\u200c-\u200f]+$/, ''));
    if (found.length > 0 && !(script && key && !names.has(key.replace(/[\u200c-\u200f]/g, '').trim()))) {
      const what = characters(found);
      const plural = found.length > 1;
      const unseen = found.some((c) => !SPACE_LIKE.has(c));
      // As an ordinary space (or nothing, for a zero-width one), or deleted: the one that fits the lines above.
      const asSpaces = [...lead].filter((c) => c === ' ' || SPACE_LIKE.has(c)).length;
      const fits = (indent: number) => indents.has(indent) || (opens !== null && indent > opens);
      const replace = found.some((c) => SPACE_LIKE.has(c)) && (fits(asSpaces) || !fits(lead.split(' ').length - 1));
      const glued = hidden(lead.at(-1) ?? '');
      const where = hidden(lead[0] ?? '') ? 'this line starts with' : 'this line has';
      const before = where === 'this line has' && key ? ` before "${clip(key)}"` : '';
      const reads =
        glued && !replace
          ? `YAML reads as part of the name${before ? '' : key ? ` "${clip(key)}"` : ''}`
          : 'YAML does not count as indentation';
      const advice = replace
        ? `replace ${plural ? 'them with ordinary spaces' : 'it with an ordinary space'}`
        : `delete ${plural ? 'them' : 'it'}`;
      return {
        line: row.n,
        problem: `${where} ${what}${before}, ${unseen ? 'an invisible character that' : 'which'} ${reads}: ${advice}.`,
      };
    }
    // "min_test_objects:\u00a030": no space after the colon to YAML, which then reads no setting at all.
    const after = /^(-\s+)?([\w.-]+):([\u00a0\u202f\u2007\u2009\u3000]+)\S/.exec(rest);
    // In a list, "- Epoche:\u00a0Neu" is a label with a colon in it, unless the name is a setting's.
    if (after && (!after[1] || names.has(after[2]!)))
      return {
        line: row.n,
        problem:
          `this line has ${characters([...after[3]!])} after "${after[2]}:", which YAML does not read as a space: ` +
          `replace ${after[3]!.length > 1 ? 'them with ordinary spaces' : 'it with an ordinary space'}.`,
      };
    const inKey = key ? [...key].filter(hidden) : [];
    const clean = key
      ? [...key]
          .filter((c) => !hidden(c))
          .join('')
          .trim()
      : '';
    if (inKey.length > 0 && names.has(clean)) {
      const unseen = inKey.some((c) => !SPACE_LIKE.has(c));
      return {
        line: row.n,
        problem:
          `the name "${clean}" has ${characters(inKey)} in it, ${unseen ? 'an invisible character that makes' : 'which makes'} ` +
          `it another name to YAML: delete ${inKey.length > 1 ? 'them' : 'it'}.`,
      };
    }
    indents.add(row.indent);
    opens = /:(\s+(&\S+|!\S*))*$/.test(row.content) || row.content.startsWith('- ') ? row.indent : null;
  }
  return null;
}

/** Marks that right-to-left and joined scripts write inside words: ZWNJ, ZWJ, LRM, RLM. */
const SCRIPT_MARKS = new Set(['\u200c', '\u200d', '\u200e', '\u200f']);

/**
 * The rows (1-based line numbers) that start inside brackets or quotes opened on a line above: a list or a quoted
 * value written over several lines, whose lines YAML reads as the value's text whatever they start with. A bracket or
 * a quote opens only where a value starts (after "key: ", "- ", a bracket or a comma), as YAML reads them, so
 * "Museum's" or "Sammlung [alt" in a plain value open nothing.
 */
function continuedLines({ lines, rows }: { lines: string[]; rows: number[] }): Set<number> {
  const continued = new Set<number>();
  let depth = 0;
  let quote: '"' | "'" | null = null;
  for (const n of rows) {
    if (depth > 0 || quote) continued.add(n);
    const line = lines[n - 1]!;
    // Where a value may start: the line's start, or after ": ", "- ", "[", "{" or "," (inside brackets).
    let start = true;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote && quote === "'" && line[i + 1] === "'") i++;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if (start && (c === '"' || c === "'")) {
        quote = c;
        start = false;
      } else if ((start || depth > 0) && (c === '[' || c === '{')) depth++;
      else if (depth > 0 && (c === ']' || c === '}')) depth--;
      else if (c === '-' && start && /\s|$/.test(line[i + 1] ?? '')) continue;
      else start = c === ',' && depth > 0;
      if (c === ':' && /\s|$/.test(line[i + 1] ?? '')) start = true;
      else if (c === '[' || c === '{' || (c === ',' && depth > 0)) start = true;
      else if (c !== '"' && c !== "'") start = false;
    }
  }
  return continued;
}

/** "a no-break space (U+00A0)", "2 no-break spaces (U+00A0) and a zero-width space (U+200B)". */
function characters(found: string[]): string {
  const counts = new Map<string, number>();
  for (const c of found) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts]
    .map(([c, n]) => {
      const name = HIDDEN_CHARACTER_NAMES[c]!;
      const one = /^[aeiou]/.test(name) ? 'an' : 'a';
      return `${n === 1 ? `${one} ${name}` : `${n} ${name}s`} (${characterCode(c)})`;
    })
    .join(' and ');
}

/** What two of yaml's errors mean for a person editing params.yaml, with what to do; undefined for others. */
function yamlInWords({
  code,
  source,
  text,
  line,
}: {
  code: string;
  source: string;
  text: string;
  line?: number;
}): string | undefined {
  if (code === 'TAB_AS_INDENT')
    return (
      'this line starts with a tab: YAML indents with spaces only. Replace the tab with spaces, as many as the ' +
      'lines around it have.'
    );
  const item = /^( *)- /.exec(source);
  if (code === 'BLOCK_AS_IMPLICIT_KEY' && item && line) {
    // The list item above it, in the same list: its spaces are the ones to use.
    const above = text
      .split(/\r?\n/)
      .slice(0, line - 1)
      .reverse()
      .find((l) => /^ *- /.test(l));
    const spaces = (n: number) => `${n} space${n === 1 ? '' : 's'}`;
    const want = above ? /^( *)/.exec(above)![1]!.length : undefined;
    return (
      `this list item ("${clip(source.trim(), 40)}") starts with ${spaces(item[1]!.length)}` +
      (want !== undefined && want !== item[1]!.length
        ? `, the item above it with ${spaces(want)}: start it with ${spaces(want)}, as the other items of its list.`
        : ': start it with the same spaces as the other items of its list.')
    );
  }
  return undefined;
}

/**
 * Parse and validate the text of a params.yaml; `name` is how messages call the file. A file with no settings gives
 * the defaults here: parseParamsFile refuses it, as a run does.
 */
export function parseParams({ text, name }: { text: string; name: string }): Params {
  const conflict = conflictMarkerLine(text);
  if (conflict)
    throw new VitrineError(
      'PARAMS_MERGE_CONFLICT',
      `${name}:${conflict}: this file still has a merge conflict (the lines from <<<<<<< to >>>>>>> hold two versions ` +
        'of the same settings). Keep the right version of those lines, delete the marker lines (<<<<<<<, ' +
        `=======, >>>>>>>${/^\|{7}( |$)/m.test(text) ? ' and |||||||, with the lines of the base version under it' : ''}) ` +
        'and commit the file again.',
      { file: name, line: conflict },
    );
  const invisible = hiddenInLayout(text);
  if (invisible)
    throw new VitrineError('PARAMS_YAML', `${name}:${invisible.line}: ${invisible.problem}`, {
      file: name,
      line: invisible.line,
    });
  let lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter });
    // A second YAML document ("---" further down): read up to it when only comments follow, else said plainly.
    if (doc.errors[0]?.code === 'MULTIPLE_DOCS') {
      const end = endOfFirstDocument({ text, offset: doc.errors[0].pos[0], name });
      lineCounter = new LineCounter();
      doc = parseDocument(text.slice(0, end), { lineCounter });
    }
  } catch (error) {
    if (isVitrineError(error)) throw error;
    throw unreadableYaml({ error, name });
  }
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    const key = first.code === 'DUPLICATE_KEY' ? keyPathAt({ doc, offset: first.pos[0] }) : undefined;
    // yaml's message ends "at line 85, column 3:" before a snippet: the line is already in front.
    const source = line ? (text.split(/\r?\n/)[line - 1] ?? '') : '';
    // `name: Musée d'Orsay: Collections`: YAML reads the second ": " as another key.
    const colon = /^\s*(?:-\s+)?([\w.-]+):\s+[^'"\s][^#]*?:\s/.exec(source);
    const slipped =
      !key && !colon && line ? slippedLine({ text, around: line, code: first.code, message: first.message }) : null;
    if (slipped)
      throw new VitrineError('PARAMS_YAML', `${name}:${slipped.line}: ${slipped.problem}`, {
        file: name,
        line: slipped.line,
      });
    const problem = key
      ? `${key.path} appears twice: ${key.section ? `put its keys under one "${key.name}:"` : 'keep one of the two lines'}.`
      : colon
        ? `the value of "${colon[1]}" contains ": ", which YAML reads as the start of another setting: put the value ` +
          `in single quotes, e.g. ${colon[1]}: ${singleQuoted(source.slice(source.indexOf(':') + 1))} (inside single ` +
          "quotes, write a single quote twice: 'd''Orsay')."
        : (yamlInWords({ code: first.code, source, text, line }) ??
          `not valid YAML: ${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}.`);
    throw new VitrineError('PARAMS_YAML', `${name}${line ? `:${line}` : ''}: ${problem}`, { file: name, line });
  }
  const extra = yamlExtra({ text, doc, lineCounter });
  if (extra) throw new VitrineError('PARAMS_YAML', `${name}: ${extra.problem}`, { file: name, line: extra.line });
  // Walk to the deepest node that exists: where its line starts, and the node when the whole path was found.
  const walk = (keyPath: (string | number)[]) => {
    let node: unknown = doc.contents;
    let offset: number | undefined;
    let found = 0;
    for (const key of keyPath) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === key);
        if (!pair) break;
        offset = (pair.key as { range?: [number, number, number] }).range?.[0];
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as { range?: [number, number, number] } | undefined;
        if (!item) break;
        offset = item.range?.[0];
        node = item;
      } else break;
      found++;
    }
    return { offset, node: found === keyPath.length ? node : undefined };
  };
  const lineOf = (keyPath: (string | number)[]): number | undefined => {
    const { offset } = walk(keyPath);
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  // A value as written in the file: 1.10, which YAML reads as the number 1.1.
  const sourceOf = (keyPath: (string | number)[]): string | undefined => {
    const range = (walk(keyPath).node as { range?: [number, number, number] } | undefined)?.range;
    return range ? text.slice(range[0], range[1]) : undefined;
  };
  // `background: #000000`: the "#…" on a key's line whose value YAML left empty (read as a comment).
  const commentOf = (keyPath: (string | number)[]): { key: string; written: string } | undefined => {
    const line = lineOf(keyPath);
    const key = keyPath.at(-1);
    const source = line === undefined ? '' : (text.split(/\r?\n/)[line - 1] ?? '');
    // "#000000", not a real comment ("title: # fill in").
    const found = /^\s*(?:-\s+)?([^\s#:'"][^:]*?):[ \t]+(#[^\s#]+)/.exec(source);
    return found && found[1] === String(key) ? { key: found[1], written: found[2]! } : undefined;
  };
  const misread = hashInValue({ text, doc, lineCounter }) ?? listInValue({ text, doc, lineCounter });
  if (misread)
    throw new VitrineError('PARAMS_YAML', `${name}:${misread.line}: ${misread.problem}`, {
      file: name,
      line: misread.line,
    });
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    throw unreadableYaml({ error, name });
  }
  const odd = notPlain(raw);
  if (odd) {
    const line = lineOf(odd.path);
    const where = line ? `line ${line}` : `"${odd.path.join('.')}"`;
    throw new VitrineError(
      'PARAMS_YAML',
      `${name}: ${where} holds ${odd.what}, which Vitrine does not read: write plain text, numbers, true or false, ` +
        'lists and `key: value` lines.',
      { file: name, line },
    );
  }
  return validateParams({ raw, file: name, lineOf, sourceOf, commentOf });
}

/**
 * A value as written after its key, in YAML's single quotes: they keep backslashes and double quotes as they are
 * ("C:\new" in double quotes is a line break), and a single quote inside is written twice. A comment after it
 * (" # …") stays out of the quotes.
 */
function singleQuoted(written: string): string {
  const value = written.replace(/\s+#(\s.*)?$/, '').trim();
  // Not escaped as for a message: what is in single quotes is copied into params.yaml as is.
  return `'${clip(value, 80, { escaped: false }).replaceAll("'", "''")}'`;
}

/**
 * `name: Gallery #5 Collection`: YAML reads " #5 Collection" as a comment, so the name would be "Gallery",
 * published without a word. A comment is written "# text"; one glued to the "#" right after a value is taken
 * for part of the value, and refused with the way to write either.
 */
const DISPLAY_TEXT = new Set(['name', 'licence', 'title', 'description']);

function hashInValue({
  text,
  doc,
  lineCounter,
}: {
  text: string;
  doc: ReturnType<typeof parseDocument>;
  lineCounter: LineCounter;
}): { problem: string; line: number } | null {
  let found: { problem: string; line: number } | null = null;
  visit(doc, {
    Pair(_, pair) {
      // Only free text the public reads (a name, a licence): after a fixed word (`on_invalid: skip #was fail`), a
      // label or a number, "#…" can only be a comment, and quoting it would make a value the setting refuses.
      const node = pair.value;
      if (found || !isScalar(pair.key) || !DISPLAY_TEXT.has(String(pair.key.value)) || !isScalar(node)) return;
      if (node.type !== 'PLAIN' || typeof node.value !== 'string' || !node.range) return;
      const end = node.range[1];
      const rest = text.slice(end, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end));
      const glued = /^[ \t]+#([^\s#].*)$/.exec(rest.replace(/\r$/, ''));
      if (!glued) return;
      const whole = `${node.value}${rest.replace(/\r$/, '')}`;
      found = {
        line: lineCounter.linePos(end).line,
        problem:
          `"${clip(node.value)}" is followed by "#${clip(glued[1]!)}", which YAML reads as a comment, not as part ` +
          `of the value: if "#" belongs to it, put the whole value in quotes ("${clip(whole)}"); if it is a comment, ` +
          'put a space after "#".',
      };
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * A list whose key line was deleted (`vocabulary:`): YAML reads its items as more words of the value above them
 * ("Demo Museum - coin - mask"), and the list falls back to its default without a word. A plain value over several
 * lines, one of them starting "- ", in a section that lacks one of its list settings, is taken for that. Null when
 * there is none.
 */
function listInValue({
  text,
  doc,
  lineCounter,
}: {
  text: string;
  doc: ReturnType<typeof parseDocument>;
  lineCounter: LineCounter;
}): { problem: string; line: number } | null {
  let found: { problem: string; line: number } | null = null;
  visit(doc, {
    Pair(_, pair, ancestors) {
      const node = pair.value;
      if (found || !isScalar(pair.key) || !isScalar(node) || node.type !== 'PLAIN' || !node.range) return;
      const lines = text.slice(node.range[0], node.range[1]).split(/\r?\n|\r/);
      const at = lines.findIndex((l, i) => i > 0 && /^[ \t]*-([ \t]|$)/.test(l));
      if (at < 0) return;
      const keys = [
        ...ancestors.filter(isPair).map((p) => String((p.key as { value?: unknown })?.value)),
        String(pair.key.value),
      ];
      const keyLine = lineCounter.linePos(pair.key.range?.[0] ?? node.range[0]).line;
      // The list settings of this section that the file leaves out: one is most likely the deleted line.
      let defaults: unknown = defaultParams();
      for (const key of keys.slice(0, -1)) defaults = (defaults as Record<string, unknown> | undefined)?.[key];
      const siblings = ancestors.at(-1);
      const written = new Set(
        isMap(siblings) ? siblings.items.map((p) => String((p.key as { value?: unknown })?.value)) : [],
      );
      const lists = Object.entries((defaults ?? {}) as Record<string, unknown>).filter(
        ([k, v]) => Array.isArray(v) && !written.has(k),
      );
      // Without a list setting missing from the section, the lines are the value's own words, which YAML folds
      // ("Museum of Fine Arts - Online Collection", a reviewer).
      if (lists.length === 0) return;
      const indent = /^[ \t]*/.exec(text.split(/\r?\n|\r/)[keyLine - 1] ?? '')![0];
      const such = lists.length === 1 ? ` (such as "${indent}${lists[0]![0]}:")` : '';
      found = {
        line: lineCounter.linePos(node.range[0]).line + at,
        problem:
          `this list item ("${clip(lines[at]!.trim())}") is read as more of the value of ${keys.join('.')} on line ` +
          `${keyLine} ("${clip(String(node.value))}"), because no line above it names its list: put the name of the ` +
          `list on a line of its own above the items${such}, or delete the items.`,
      };
      return visit.BREAK;
    },
  });
  return found;
}

/** The tags plain YAML values carry (written out or not): text, numbers, true/false, null, lists and mappings. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * The first use of YAML's extras, which params.yaml never needs and which read differently from how they look:
 * `!!omap` and `!!set` become a Map or a Set that the schema would take for an empty section (its defaults), and
 * `%YAML 1.1` brings merge keys (`<<:`), whose keys an added line replaces. Null when the file is plain YAML.
 */
function yamlExtra({
  text,
  doc,
  lineCounter,
}: {
  text: string;
  doc: ReturnType<typeof parseDocument>;
  lineCounter: LineCounter;
}): { problem: string; line: number | undefined } | null {
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const yaml = doc.directives?.yaml;
  if (yaml?.explicit && yaml.version !== '1.2') {
    const line = text.split('\n').findIndex((l) => l.startsWith('%YAML')) + 1 || 1;
    return {
      problem:
        `line ${line} asks for \`%YAML ${yaml.version}\`, an older YAML whose extras (merge keys, \`!!omap\`) Vitrine ` +
        'does not read: remove that line (and the `---` after it).',
      line,
    };
  }
  let found: { problem: string; line: number | undefined } | null = null;
  visit(doc, {
    Pair(_, pair) {
      if (found || !isScalar(pair.key) || pair.key.value !== '<<') return;
      const line = lineAt(pair.key.range?.[0]);
      found = {
        problem:
          `line ${line} uses a merge key (\`<<:\`), which Vitrine does not read: write each setting out as ` +
          'plain `key: value` lines.',
        line,
      };
      return visit.BREAK;
    },
    Node(_, node: Node) {
      if (found || !node.tag || PLAIN_TAGS.has(node.tag)) return;
      // A node's range starts at its value: the tag is the last "!" before it.
      const start = node.range?.[0];
      const line = lineAt(start === undefined ? undefined : Math.max(0, text.lastIndexOf('!', start)));
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
      found = {
        problem:
          `line ${line} uses \`${tag}\`, which Vitrine does not read: ` +
          (isScalar(node)
            ? `remove \`${tag}\` and write the value alone.`
            : 'write the section as plain `key: value` lines.'),
        line,
      };
      return visit.BREAK;
    },
  });
  return found;
}

/** The path and kind of the first value that is not plain data (a Map, a Set, a date, bytes…), or null. */
function notPlain(value: unknown, at: (string | number)[] = []): { path: (string | number)[]; what: string } | null {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const odd = notPlain(v, [...at, i]);
      if (odd) return odd;
    }
    return null;
  }
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const odd = notPlain(v, [...at, k]);
      if (odd) return odd;
    }
    return null;
  }
  const what =
    value instanceof Map
      ? 'an ordered map'
      : value instanceof Set
        ? 'a set'
        : value instanceof Date
          ? 'a date'
          : 'a value';
  return {
    path: at,
    what: `${what} (${typeof value === 'object' ? (proto?.constructor?.name ?? 'object') : typeof value})`,
  };
}

/**
 * Where params.yaml's one YAML document ends, when a line "---" (or "..." and more after it) starts another (`offset`:
 * where yaml saw it start): only comments and blank lines after it are taken as the file's end, as a trailing "..."
 * is; settings after it are refused in plain words naming that line (an outside tester was shown the yaml library's
 * "please use YAML.parseAllDocuments()").
 */
function endOfFirstDocument({ text, offset, name }: { text: string; offset: number; name: string }): number {
  const lines = text.split('\n');
  let line = text.slice(0, offset).split('\n').length - 1;
  const marker = (l: string, mark: string) => new RegExp(`^${mark}(\\s|$)`).test(l.replace(/\r$/, ''));
  // yaml points at a "---" line, or after "..." at the first line of what follows: the "..." line is named.
  if (!marker(lines[line] ?? '', '---'))
    for (let above = line - 1; above >= 0; above--)
      if (marker(lines[above]!, '\\.\\.\\.')) {
        line = above;
        break;
      }
  const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const after = lines.slice(line + 1);
  // Read without a Windows line end: "." does not match "\r", and "# end\r" is a comment all the same (review V6).
  const quiet = (l: string) => /^\s*(#.*)?$/.test(l.replace(/\r$/, '')) || /^(---|\.\.\.)\s*(#.*)?\r?$/.test(l);
  const opening = (lines[line] ?? '').replace(/\s*(#.*)?\r?$/, '');
  if ((opening === '---' || opening === '...') && after.every(quiet)) return start;
  const dots = marker(lines[line] ?? '', '\\.\\.\\.');
  throw new VitrineError(
    'PARAMS_YAML',
    `${name}:${line + 1}: ${
      dots
        ? 'the line "..." ends the YAML document, and the lines after it start a second one'
        : 'the line "---" starts a second YAML document'
    }; Vitrine reads one, the settings above it. Delete that line, and the lines after it if they are not meant; ` +
      'if they are settings to keep, move each into its section above (a section written twice is refused).',
    { file: name, line: line + 1 },
  );
}

/**
 * What the yaml library throws while reading a document it parsed: most often anchors (&name) and aliases (*name)
 * nested so that they expand to millions of values (an "alias bomb"), which it refuses to build.
 */
function unreadableYaml({ error, name }: { error: unknown; name: string }): VitrineError {
  const why = messageOf(error).split('\n')[0]!;
  const problem = /alias/i.test(why)
    ? 'the aliases (*name) in this file repeat anchors (&name) that hold other aliases, so they expand to ' +
      'far too many values for Vitrine to read. Remove the anchors and aliases and write the values out ' +
      '(params.yaml needs none).'
    : `this file cannot be read as YAML (${why}). Check the file around the values changed last, or start again from ` +
      "Vitrine's default params.yaml.";
  return new VitrineError('PARAMS_YAML', `${name}: ${problem}`, { file: name }, { cause: error });
}

/**
 * The params keys that shape a model and its evaluation. A model evaluated under other values of
 * these is not the model being promoted; the other keys (catalogue title, report links…) are not.
 */
export const MODEL_PARAM_KEYS = ['collection.vocabulary', 'dataset', 'backbone', 'train', 'evaluate', 'gate'] as const;

/** Just the model-shaping params, for hashing into metrics.json's inputs. */
export function modelParams(params: Params): Record<string, unknown> {
  return Object.fromEntries(MODEL_PARAM_KEYS.map((key) => [key, paramAt(params, key)]));
}

/** Value at a dotted key such as "train.epochs" (for stage fingerprints and `params diff`). */
export function paramAt(params: Params, key: string): unknown {
  return valueAt(params, key.split('.'));
}

function valueAt(root: unknown, keys: (string | number)[]): unknown {
  let node = root;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function allowedKeys(keys: string[]): string[] {
  let schema: z.ZodType = paramsSchema;
  for (const key of keys) {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) schema = inner.shape[key] as z.ZodType;
    else return [];
  }
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  // Defaults and prefaults wrap the object schema.
  while ('unwrap' in s && typeof (s as { unwrap?: unknown }).unwrap === 'function' && !(s instanceof z.ZodObject)) {
    s = (s as unknown as { unwrap(): z.ZodType }).unwrap();
  }
  return s;
}

/** The mapping key that starts at `offset`: its dotted path (train.epochs), and whether it holds a section. */
function keyPathAt({
  doc,
  offset,
}: {
  doc: ReturnType<typeof parseDocument>;
  offset: number;
}): { path: string; name: string; section: boolean } | undefined {
  const walk = (node: unknown, keys: string[]): ReturnType<typeof keyPathAt> => {
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      const key = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      const here = [...keys, String(key?.value)];
      if (key?.range?.[0] === offset)
        return { path: here.join('.'), name: String(key?.value), section: isMap(pair.value) };
      const inside = walk(pair.value, here);
      if (inside) return inside;
    }
    return undefined;
  };
  return walk(doc.contents, []);
}

/** A value as it reads in params.yaml, cut when long. JSON.stringify would write NaN and Infinity as null. */
function shown(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? '.nan (not a number)' : `${value < 0 ? '-' : ''}.inf (infinity)`;
  if (value === undefined) return 'not set';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text);
}

/** What a YAML value is, in the words of `expected`. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'nothing';
  return { string: 'text', number: 'a number', boolean: 'true or false', object: 'a mapping' }[
    typeof value as 'string'
  ];
}

/** The kinds zod names, as staff editing YAML know them. */
const KINDS: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  map: 'a mapping (key: value lines)',
  array: 'a list',
  tuple: 'a list',
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
};

/** A bound with its reason, when the schema gives one (zod's own message starts "Too big"/"Too small"). */
function bound(words: string, issue: { message: string }): string {
  return /^Too (big|small)/.test(issue.message) ? words : `${words} (${issue.message})`;
}

function expected(issue: z.core.$ZodIssue): string {
  const n = (x: number | bigint) => Number(x).toLocaleString('en-US');
  switch (issue.code) {
    case 'invalid_type':
      return KINDS[issue.expected] ?? `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      // `.positive()`, `.gt(0)`: 0 itself is refused, so "at least 0" would contradict the value shown.
      return bound(
        `${issue.inclusive === false ? 'more than' : 'at least'} ${n(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}`,
        issue,
      );
    case 'too_big':
      return bound(
        `${issue.inclusive === false ? 'less than' : 'at most'} ${n(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}`,
        issue,
      );
    case 'invalid_format':
      return issue.message;
    default:
      return issue.message;
  }
}
