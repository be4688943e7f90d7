import { stringify } from 'yaml';
import { labelForm } from '../collection/hidden-characters.ts';
import { labelList } from '../collection/vocabulary.ts';
import { CONTROLS } from '../control-characters.ts';
import { percentDown, percentRange, withBoundaryIntervals } from '../evaluate/boundary.ts';
import { labelsOutOfMacroF1 } from '../evaluate/scores.ts';
import {
  chanceWords,
  countedByRelabelled,
  crossValidatedChange,
  crossValidatedVerdict,
  crossValidationWords,
  labelChangeWords,
  labelsToCheck,
  levelled,
  scoredObjectsWords,
  withAlpha,
} from '../evaluate/verdict-words.ts';
import { L2_FOLDS } from '../model/head.ts';
import { namedOwners } from '../params.ts';
import { code, percentApart, pValue } from '../report/markdown.ts';
import { baselineScopeNote } from '../report/render.ts';
import { flaggedOutsideTest, type ReviewFile } from '../review/index.ts';
import type { Dataset, DatasetObject, LbfgsFit, Metrics, ModelInfo, Split } from '../types.ts';
import { listWords } from '../words.ts';
import type { Registration, VersionRecord } from './registry.ts';
import { sameModelWords } from './same-model.ts';
import { renamePhrases, vocabularyRenames } from './semver.ts';
import {
  BUMP_MEANING,
  noneLeftOutWords,
  putBackWords,
  replacedWords,
  stagesSentence,
  withdrawnWords,
} from './words.ts';

/*
 * Model cards after Mitchell et al., "Model Cards for Model Reporting" (2019), with front matter a
 * Hugging Face model repository accepts. Every figure is read from metrics.json, model-info.json, the
 * dataset summary and the registration's lineage; the card is regenerated, never edited.
 */

/** How an lbfgs head was fitted (model-info.json `l2` and `lbfgs`), null where a saved model does not say. */
export interface HeadFit {
  iterations: number | null;
  converged: boolean | null;
  l2: number | null;
  l2Chosen: LbfgsFit['l2Chosen'] | null;
  /** train.l2_choices it chose among, each once (null when not known). */
  choices: number[] | null;
  folds: number | null;
  sampled: boolean | null;
}

/** A later evaluation of a version's own model, whose publication rule its annotations follow. */
export interface FollowedEvaluation {
  createdAt: string | null;
  commit: string | null;
  publication: Metrics['publication'] | null;
}

/** Object counts per class and per factor value, by split: what the card says the model saw. */
export interface DatasetSummary {
  schema: 'vitrine.dataset-summary/1';
  objects: number;
  labelled: number;
  labels: string[];
  bySplit: Record<Split, number>;
  byLabel: Record<string, Record<Split, number>>;
  factors: {
    factor: string;
    /** `unlabelled`: objects of the collection with this value and no label (absent in older summaries). */
    values: { value: string; counts: Record<Split, number>; unlabelled?: number }[];
    /** Values beyond the first UNLABELLED_VALUES that no labelled object has (a free-text field): counted only. */
    otherUnlabelled?: { values: number; objects: number };
  }[];
}

/** What a card is made of: the same data as the markdown, for the catalogue's model page. */
export interface ModelCard {
  schema: 'vitrine.card/1';
  model: string;
  version: string;
  date: string;
  stages: string[];
  frontMatter: Record<string, unknown>;
  details: {
    owners: string[];
    previous: string | null;
    bump: string;
    reason: string;
    changes: string[];
    backbone: Registration['lineage']['backbone'];
    head: {
      /** The solver that trained it: lbfgs (a linear head fitted to convergence) or adam (mini-batch epochs). */
      solver: 'lbfgs' | 'adam';
      /** adam: epochs run. lbfgs: 1, as model-info.json records it (the solver has no epochs; see `lbfgs`). */
      epochs: number;
      seed: number;
      trainCount: number;
      validationCount: number;
      /** Training and validation objects left out because their image could not be read (0: none, or not recorded). */
      leftOut: number;
      hiddenUnits: number;
      /** lbfgs: how it was fitted, each fact null when the model was saved before it was recorded; adam: null. */
      lbfgs: HeadFit | null;
    };
    labels: string[];
    /**
     * train.flagged: drop: the labels training left out as likely wrong, with the label each had (null: not
     * recorded). `complete`: the list is exactly the training and validation objects left out; false for a model
     * saved before they were recorded, whose list is every flagged id, test objects (still tested on) among them.
     * `differs`: when the review list stored with the version (review.json, the check made at evaluation) flags
     * other labels outside the test split, those it flags that the model learnt from and those left out it does not
     * flag; null when they are the same, or unknown. Null with train.flagged: keep.
     */
    flagged: {
      objects: { id: string; label: string | null }[];
      complete: boolean;
      differs: { learnt: string[]; notFlagged: string[] } | null;
      /**
       * When none was left out, why, if not because the check found none: 'no-folds', no check was made
       * (evaluate.folds below 2); 'guessing', its model was no better than guessing; 'test-only', it flagged only test
       * objects, which stay in the test split. Absent otherwise.
       */
      why?: 'no-folds' | 'guessing' | 'test-only';
    } | null;
    commit: string | null;
    pullRequest: Registration['lineage']['pullRequest'];
    licence: string;
  };
  intendedUse: { primary: string[]; users: string[]; outOfScope: string[] };
  factors: { name: string; why: string }[];
  /** metrics.json of the version, as the evaluate stage wrote it. */
  metrics: Metrics;
  /**
   * When the catalogue's annotations follow a later evaluation of this same model than `metrics` (an unchanged
   * model promoted again and reused): when it was made and its publication rule. Null otherwise.
   */
  followed: FollowedEvaluation | null;
  data: DatasetSummary;
  quantitative: Metrics['factors'];
  ethics: string[];
  caveatsAndRecommendations: string[];
  lineage: Registration['lineage'];
  /** The markdown body cut at its `##` headings, for pages that show sections one by one. */
  sections: { heading: string; text: string }[];
  /** A rollback took this version out of production (the registry's record); absent otherwise. */
  withdrawn?: NonNullable<VersionRecord['withdrawn']>;
  /** A rollback put this version back in production; absent otherwise. */
  putBack?: NonNullable<VersionRecord['putBack']>;
}

/** Which object field a factor name reads: a column of objects.csv or an extra column. */
export function factorValue(object: DatasetObject, factor: string): string {
  const direct = (object as unknown as Record<string, unknown>)[factor];
  const value = typeof direct === 'string' ? direct : (object.extra?.[factor] ?? '');
  return value.trim() || '(not recorded)';
}

/** Values no labelled object has, named in a factor's table; the rest are counted in one row. */
const UNLABELLED_VALUES = 20;

/** Count objects per class and per factor value, by split. Only labelled objects train or test a model. */
export function summariseDataset({ dataset, factors }: { dataset: Dataset; factors: string[] }): DatasetSummary {
  const zero = (): Record<Split, number> => ({ train: 0, validation: 0, test: 0 });
  const labelled = dataset.objects.filter((o) => o.label !== null);
  // Without a prototype: a label called "constructor" or "__proto__" is counted like any other.
  const byLabel: Record<string, Record<Split, number>> = Object.create(null);
  for (const label of dataset.labels) byLabel[label] = zero();
  const bySplit = zero();
  for (const o of labelled) {
    bySplit[o.split] += 1;
    (byLabel[o.label!] ??= zero())[o.split] += 1;
  }
  const out: DatasetSummary['factors'] = [];
  for (const factor of factors) {
    const counts = new Map<string, Record<Split, number>>();
    // A museum or department with no labelled object is counted too: the card must say it was never tested there.
    const unlabelled = new Map<string, number>();
    for (const o of dataset.objects) {
      const v = factorValue(o, factor);
      const c = counts.get(v) ?? zero();
      if (o.label !== null) c[o.split] += 1;
      else unlabelled.set(v, (unlabelled.get(v) ?? 0) + 1);
      counts.set(v, c);
    }
    const all = (value: string, c: Record<Split, number>) => total(c) + (unlabelled.get(value) ?? 0);
    const values = [...counts.entries()]
      .sort((a, b) => total(b[1]) - total(a[1]) || all(b[0], b[1]) - all(a[0], a[1]) || (a[0] < b[0] ? -1 : 1))
      .map(([value, c]) => ({ value, counts: c, unlabelled: unlabelled.get(value) ?? 0 }));
    // A free-text field (medium) may hold thousands of values no labelled object has: the largest are named.
    const labelledValues = values.filter((v) => total(v.counts) > 0);
    const others = values.filter((v) => total(v.counts) === 0);
    const rest = others.slice(UNLABELLED_VALUES);
    out.push({
      factor,
      values: [...labelledValues, ...others.slice(0, UNLABELLED_VALUES)],
      ...(rest.length > 0 && {
        otherUnlabelled: { values: rest.length, objects: rest.reduce((n, v) => n + v.unlabelled, 0) },
      }),
    });
  }
  return {
    schema: 'vitrine.dataset-summary/1',
    objects: dataset.objects.length,
    labelled: labelled.length,
    labels: dataset.labels,
    bySplit,
    byLabel,
    factors: out,
  };
}

/**
 * Caveats for each factor value (a museum, a department) the collection has but no test object has: the scores
 * say nothing about it, and a model that never saw its photographs may do worse there (tester: the Egyptian
 * import's Cleveland objects, none labelled, went unmentioned).
 */
function untestedGroupWords(summary: DatasetSummary): string[] {
  const out: string[] = [];
  for (const f of summary.factors) {
    const named = (v: { value: string }) => `"${v.value}"`;
    const untested = f.values.filter((v) => v.counts.test === 0 && v.value !== '(not recorded)');
    const unseen = untested.filter((v) => total(v.counts) === 0 && (v.unlabelled ?? 0) > 0);
    const seen = untested.filter((v) => total(v.counts) > 0);
    const other = f.otherUnlabelled;
    if (unseen.length > 0) {
      const objects = unseen.reduce((n, v) => n + (v.unlabelled ?? 0), 0) + (other?.objects ?? 0);
      const one = objects === 1;
      const values = listWords(unseen.map(named), { last: 'or', max: 5, untold: other?.values ?? 0 });
      out.push(
        `No object with ${f.factor} ${values} is labelled (${objects} ` +
          `${one ? 'object' : 'objects'} in the collection): the model learnt nothing from ` +
          `${one ? 'its photograph' : 'their photographs'} and was not tested on ${one ? 'it' : 'them'}, so how ` +
          `well it annotates ${one ? 'it' : 'them'} is unknown; expect it to do worse than the scores above. ` +
          `Label ${one ? 'it' : 'some of them'} to find out.`,
      );
    }
    if (seen.length > 0)
      out.push(
        `No test object has ${f.factor} ${listWords(seen.map(named), { last: 'or', max: 5 })}: the scores above say nothing about ` +
          `${seen.length === 1 ? 'it' : 'them'}. Label more of ${seen.length === 1 ? 'its' : 'their'} objects.`,
      );
  }
  return out;
}

function total(c: Record<Split, number>): number {
  return c.train + c.validation + c.test;
}

// Licence ids the Hugging Face Hub accepts in `license:` (the common ones for image models).
const HF_LICENSES = [
  'mit',
  'apache-2.0',
  'bsd-2-clause',
  'bsd-3-clause',
  'cc0-1.0',
  'cc-by-4.0',
  'cc-by-sa-4.0',
  'cc-by-nc-4.0',
  'cc-by-nc-sa-4.0',
  'gpl-3.0',
  'lgpl-3.0',
  'agpl-3.0',
  'mpl-2.0',
  'unlicense',
  'openrail',
];

/**
 * What the backbone's package is, said wherever its name is shown to the public (the card, the model page, the
 * pull-request report): "nsfwjs" alarms a reader of a museum's page (an outside tester), and only the general image
 * model whose weights ship in it is used.
 */
export const NSFWJS_NOTE =
  'nsfwjs is only the software package its weights ship in, so that they work offline; only the image features ' +
  'the general-purpose model computes are used here, not the content filter that package is named for';

/** The built-in backbones by their names in a backbone id ("nsfwjs-mobilenet_v2_mid@4.3.0#…"). */
const BUILTIN_NAMES: Record<string, string> = {
  mobilenet_v2: 'MobileNetV2',
  mobilenet_v2_mid: 'MobileNetV2',
  inception_v3: 'InceptionV3',
};

/**
 * What a built-in backbone is, in plain words: "MobileNetV2, a general-purpose image model trained on everyday
 * photographs (ImageNet)"; null for a custom one (its id is all that is known).
 */
export function backboneWords(id: string): string | null {
  const name = BUILTIN_NAMES[/^nsfwjs-([a-z0-9_]+)@/.exec(id)?.[1] ?? ''];
  return name ? `${name}, a general-purpose image model trained on everyday photographs (ImageNet)` : null;
}

/** `license:` for the front matter: the licence's leading SPDX id when the Hub knows it, else "other" with a name. */
export function hfLicense(licence: string): Record<string, string> {
  const id = /^\s*([A-Za-z0-9.-]+)/.exec(licence)?.[1]?.toLowerCase() ?? '';
  if (HF_LICENSES.includes(id)) return { license: id };
  const name =
    licence
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'unknown';
  return { license: 'other', license_name: name };
}

const FACTOR_WHY: Record<string, string> = {
  department:
    'Departments photograph and catalogue objects differently; a model can lean on those habits instead of the object.',
  medium: 'Material changes colour, texture and sheen, which the backbone sees before it sees form.',
  museum: 'Each museum of origin has its own photography (backgrounds, lighting, scale bars).',
  period: 'Style changes over time; periods with few examples are learned less well.',
  date: 'Style changes over time; periods with few examples are learned less well.',
};

/** Build a version's card from its registration, metrics, model info and dataset summary. */
export function buildCard({
  registration,
  metrics: measured,
  modelInfo,
  summary,
  previous,
  stages,
  owners,
  collectionName,
  followed = null,
  sameModelAs = null,
  review = null,
  withdrawn = null,
  putBack = null,
}: {
  /** The review list stored with the version (review.json), to tell when it differs from what training left out. */
  review?: ReviewFile | null;
  /** The rollback that took it out of production, if one did and it was not put back since (registry.ts). */
  withdrawn?: VersionRecord['withdrawn'] | null;
  /** The rollback that put it back in production, if one did. */
  putBack?: VersionRecord['putBack'] | null;
  registration: Registration;
  /** The earlier version whose very model this one is, registered again (same-model.ts); null when none. */
  sameModelAs?: string | null;
  metrics: Metrics;
  /** A later evaluation of the same model whose publication rule the annotations follow (publish.ts). */
  followed?: FollowedEvaluation | null;
  /** model-info.json; `lbfgs` is there for lbfgs heads trained since it is recorded. */
  modelInfo: ModelInfo;
  summary: DatasetSummary;
  /** The version before, for "what changed". */
  previous: Registration | null;
  stages: string[];
  owners: string[];
  collectionName: string;
}): ModelCard {
  // Scores stored before the boundary rule can carry "100%–100%": the card shows what the evaluation gives now.
  const l = registration.lineage;
  // Written before evaluate.alpha was stored with each comparison: the level of the settings it was registered with.
  const metrics = withAlpha({
    metrics: withBoundaryIntervals({ scores: measured, n: measured.n }),
    settings: l.params ? { md5: l.params.md5, alpha: l.params.values?.evaluate?.alpha } : null,
  });
  const licence = l.backbone.licence;
  const slug =
    collectionName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'collection';
  const date = l.promotedAt.slice(0, 10);
  const frontMatter: Record<string, unknown> = {
    ...hfLicense(licence),
    library_name: 'tfjs',
    pipeline_tag: 'image-classification',
    tags: [
      'image-classification',
      'museum-collections',
      'vitrine',
      'tfjs',
      `backbone-${l.backbone.id.split(/[@#]/)[0]}`,
    ],
    datasets: [slug],
    metrics: ['accuracy', 'f1'],
    base_model: l.backbone.id,
    'model-index': [
      {
        name: `${registration.model}-${registration.version}`,
        results: [
          {
            task: { type: 'image-classification', name: 'Image classification' },
            dataset: { name: collectionName, type: slug, split: 'test' },
            metrics: [
              { type: 'accuracy', value: round(metrics.accuracy.value), name: 'Accuracy' },
              { type: 'f1', value: round(metrics.macroF1.value), name: 'Macro F1', args: { average: 'macro' } },
              { type: 'accuracy', value: round(metrics.topK.accuracy.value), name: `Top-${metrics.topK.k} accuracy` },
            ],
          },
        ],
      },
    ],
  };
  const changes = [...(sameModelAs ? [sameModelWords(sameModelAs)] : []), ...whatChanged({ registration, previous })];
  const factorNames = [...new Set([...summary.factors.map((f) => f.factor), ...metrics.factors.map((f) => f.factor)])];
  const untested = metrics.perClass.filter((c) => c.support === 0).map((c) => c.label);
  // Never expected (promotion refuses such a model), but a card must not pass off another model's scores silently.
  const otherModel =
    !!metrics.inputs?.model && !!registration.identity && metrics.inputs.model !== registration.identity;
  const caveats = [
    otherModel
      ? 'The scores on this card were stored with this version but measured on another model (metrics.json ' +
        'names another model identity): do not rely on them, and promote a freshly evaluated model instead.'
      : '',
    `Scores come from ${metrics.n} test objects; the 95% intervals show how much they could move on another sample of this collection.`,
    metrics.n > 0 && metrics.accuracy.value === 1
      ? `The model got every one of the ${metrics.n} test objects right. That does not mean it never makes ` +
        `mistakes: on another sample of this collection its accuracy could plausibly be as low as ` +
        `${pctDown(metrics.accuracy.low)}, and its macro-F1 as low as ${pctDown(metrics.macroF1.low)} (which weighs ` +
        'mistakes in a small class more).'
      : '',
    ...untestedGroupWords(summary),
    weakestWords(metrics.perClass),
    smallestWords(summary.byLabel),
    untested.length
      ? `No test object is labelled ${untested.map((l) => `"${l}"`).join(', ')}: how well the model ` +
        `recognises ${untested.length === 1 ? 'it' : 'them'} is unknown. Label more objects of ` +
        `${untested.length === 1 ? 'this class' : 'these classes'}.`
      : '',
    `Expected calibration error is ${pct(metrics.ece.value)}: on average the confidence shown with a ` +
      `suggestion is off by about ${(metrics.ece.value * 100).toFixed(0)} percentage ` +
      `points${metrics.ece.value > 0.1 ? ', so read it as a ranking rather than a probability' : ''}.`,
    'Objects unlike anything in the training photographs (new departments, new photography) may be ' +
      'labelled confidently and wrongly; the monitoring report flags drift.',
    'Rerun the evaluation after large additions to the collection, and retrain when the label vocabulary changes.',
  ].filter(Boolean);
  const card: ModelCard = {
    schema: 'vitrine.card/1',
    model: registration.model,
    version: registration.version,
    date,
    stages,
    frontMatter,
    details: {
      owners,
      previous: registration.previous,
      bump: registration.bump,
      reason: registration.reason,
      changes,
      backbone: l.backbone,
      head: headDetails({ modelInfo, train: l.params.values.train }),
      labels: metrics.labels,
      flagged: flaggedDetails({ info: modelInfo, review }),
      commit: l.code.commit,
      pullRequest: l.pullRequest,
      licence,
    },
    intendedUse: {
      primary: [
        `Suggest a category (${labelList(metrics.labels)}) for photographed objects of ${collectionName} that staff have not labelled yet.`,
        'Find labels that may be wrong: objects where the model disagrees confidently with the human label are queued for review.',
        'Help the public browse the online catalogue by category, marked as a machine suggestion.',
      ],
      users: [
        'Collections and documentation staff',
        'Digital and data teams',
        'Visitors of the online catalogue (machine suggestions are labelled as such)',
      ],
      outOfScope: [
        'Attribution of objects to a maker, workshop, culture or period.',
        'Authentication, dating or valuation of objects, or any judgement about forgery.',
        'Provenance research, legal or repatriation decisions.',
        `Categories outside the vocabulary (${labelList(metrics.labels)}): the model always answers with one of them.`,
        // Not "Photographs of people": an archive's model labels Portraits (tester T12). Telling who is pictured is.
        'Recognising or identifying people, or images that are not photographs of collection objects.',
      ],
    },
    factors: factorNames.map((name) => ({
      name,
      why:
        FACTOR_WHY[name] ??
        'Recorded for every object; scores are broken down by it to find groups the model serves less well.',
    })),
    metrics,
    followed,
    data: summary,
    quantitative: metrics.factors,
    ethics: [
      "Labels reflect the museum's own categories and cataloguing history, including its gaps and biases; " +
        'the model learns and repeats them.',
      'Machine labels are suggestions shown with their confidence and model version, never written over a human label.',
      "Images are the museum's published photographs; no personal data is used for training.",
      `Groups with few objects (see the per-factor tables) get less reliable suggestions; do not use the model to compare or rank groups.`,
    ],
    caveatsAndRecommendations: caveats,
    lineage: l,
    sections: [],
    ...(withdrawn ? { withdrawn } : {}),
    ...(putBack ? { putBack } : {}),
  };
  card.sections = splitSections(renderCardMarkdown(card));
  return card;
}

/**
 * The head's training facts. Which solver ran is read from what model-info.json recorded (`lbfgs`,
 * `l2`), else from params: an lbfgs head saved before those were recorded has only train.solver to
 * tell it (train.solver did not exist before lbfgs, so its absence means adam).
 */
function headDetails({
  modelInfo,
  train,
}: {
  modelInfo: ModelInfo;
  train: Partial<Registration['lineage']['params']['values']['train']> | undefined;
}): ModelCard['details']['head'] {
  const hiddenUnits = train?.hidden_units ?? 0;
  const recorded = modelInfo.lbfgs;
  const lbfgs =
    recorded !== undefined || typeof modelInfo.l2 === 'number' || (train?.solver === 'lbfgs' && hiddenUnits === 0);
  const base = {
    epochs: modelInfo.epochs,
    seed: modelInfo.seed,
    trainCount: modelInfo.trainCount,
    validationCount: modelInfo.validationCount,
    leftOut: modelInfo.leftOut?.objects ?? 0,
    hiddenUnits,
  };
  if (!lbfgs) return { solver: 'adam', ...base, lbfgs: null };
  // One value in train.l2_choices leaves nothing to choose: the L2 is known even when not recorded.
  const choices = train?.l2_choices;
  const given = Array.isArray(choices) ? [...new Set(choices)] : null;
  const single = given?.length === 1 ? given[0]! : null;
  const l2 = typeof modelInfo.l2 === 'number' ? modelInfo.l2 : single;
  return {
    solver: 'lbfgs',
    ...base,
    lbfgs: recorded
      ? {
          iterations: recorded.iterations,
          converged: recorded.converged,
          l2,
          l2Chosen: recorded.l2Chosen,
          choices: recorded.choices,
          folds: recorded.folds,
          sampled: recorded.sampled,
        }
      : { iterations: null, converged: null, l2, choices: given, ...l2Choice({ modelInfo, train, given, l2 }) },
  };
}

/**
 * How a model saved without `lbfgs` chose its L2, where params and its training count settle it:
 * one value is fixed; with several, a cross-validation ran when there were enough training rows for
 * its folds, on a sample when there were more than train.l2_cv_max_objects. Null where unsure.
 */
function l2Choice({
  modelInfo,
  train,
  given,
  l2,
}: {
  modelInfo: ModelInfo;
  train: Partial<Registration['lineage']['params']['values']['train']> | undefined;
  given: number[] | null;
  l2: number | null;
}): Pick<HeadFit, 'l2Chosen' | 'folds' | 'sampled'> {
  const unknown = { l2Chosen: null, folds: null, sampled: null };
  if (l2 === null || !given || !given.includes(l2)) return unknown;
  if (given.length === 1) return { l2Chosen: 'fixed', folds: 0, sampled: null };
  // Rows: each training object once, twice with its mirror image (train.augment). Absent max: no sampling yet.
  const n = modelInfo.trainCount;
  const rows = n * (train?.augment ? 2 : 1);
  const max = train?.l2_cv_max_objects ?? 0;
  if (n < 2 * L2_FOLDS || (max > 0 && max < 2 * L2_FOLDS)) return unknown;
  const sampled = max === 0 || rows <= max ? false : n > max ? true : null;
  return { l2Chosen: 'cross-validation', folds: L2_FOLDS, sampled };
}

/** The card's "Training:" words: epochs for adam; for lbfgs, its iterations and the L2 it chose, as far as known. */
function trainingWords(head: ModelCard['details']['head']): string {
  const f = head.lbfgs;
  if (head.solver === 'adam' || !f) return `${head.epochs} ${head.epochs === 1 ? 'epoch' : 'epochs'}`;
  const { fit, penalty } = fitWords(f);
  return penalty ? `${fit}; ${penalty}` : fit;
}

/**
 * How an lbfgs head was fitted, in plain words (testers read "L-BFGS" and "L2" as jargon; the solver is not named,
 * a term that must stay comes in brackets after the words): "trained until it stopped improving, in 47 rounds" and
 * "how strongly it is kept from fitting the training photographs too closely: 0.1 (its L2 penalty), chosen …".
 * The model card and the pull-request report's training section both say it so.
 */
export function fitWords(f: HeadFit): { fit: string; penalty: string } {
  const fit =
    f.iterations === null
      ? 'trained until it stopped improving'
      : f.converged === false
        ? `stopped after ${f.iterations} rounds, its limit, while it was still improving a little`
        : `trained until it stopped improving, in ${f.iterations} rounds`;
  if (f.l2 === null) return { fit, penalty: '' };
  const among =
    f.choices && f.choices.length > 1
      ? ` among ${listWords([...f.choices].sort((a, b) => a - b).map(String))} (train.l2_choices)`
      : '';
  const parts = f.folds ? `${f.folds} parts` : 'parts';
  // Whether the cross-validation ran on a sample may be unknown (a model saved before it was recorded): not said.
  const on =
    f.sampled === true
      ? ` on ${parts} of a sample of the training objects (train.l2_cv_max_objects)`
      : f.sampled === false
        ? ` on ${parts} of the training objects`
        : '';
  const how =
    f.l2Chosen === 'cross-validation'
      ? `, chosen${among} by trying each${on} in turn (${f.folds ? `${f.folds}-fold ` : ''}cross-validation)`
      : f.l2Chosen === 'fixed'
        ? ', fixed in params.yaml (train.l2_choices gives one value)'
        : f.l2Chosen === 'largest'
          ? ', the largest of train.l2_choices: too few training objects to compare them'
          : '';
  return {
    fit,
    penalty: `how strongly it is kept from fitting the training photographs too closely: ${f.l2} (its L2 penalty)${how}`,
  };
}

/**
 * The objects the version used, by split: those trained on and validated on (model-info.json's counts) and the test
 * objects scored (`n` of its metrics). The dataset summary counts every labelled object in its split, those without a
 * usable picture too, which were neither trained on nor tested (a tester read "31 for testing" beside "Measured on 29
 * test objects"); `unused` counts those. As the catalogue's model page counts them (catalogue/data.ts splitOf).
 */
function usedSplit(card: ModelCard): Record<Split, number> & { unused: number } {
  const head = card.details.head as Partial<ModelCard['details']['head']> | undefined;
  return splitUsed({
    recorded: card.data.bySplit,
    trainCount: head?.trainCount,
    validationCount: head?.validationCount,
    tested: card.metrics.n,
  });
}

/** The split of objects used, from the summary's split and the counts the model and metrics recorded (usedSplit). */
export function splitUsed({
  recorded,
  trainCount,
  validationCount,
  tested,
}: {
  recorded: Record<Split, number>;
  trainCount: unknown;
  validationCount: unknown;
  tested: unknown;
}): Record<Split, number> & { unused: number } {
  const counted = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  // A card without these counts (written by hand, or damaged): as the summary recorded them.
  if (!counted(trainCount) || !counted(validationCount) || !counted(tested)) return { ...recorded, unused: 0 };
  const used = {
    train: Math.min(trainCount, recorded.train),
    validation: Math.min(validationCount, recorded.validation),
    test: Math.min(tested, recorded.test),
  };
  const unused = recorded.train - used.train + (recorded.validation - used.validation) + (recorded.test - used.test);
  return { ...used, unused };
}

/**
 * The card's `details.flagged`, from model-info.json's `flagged` (train.flagged: drop) and the review list stored
 * with the version; null without it.
 */
function flaggedDetails({
  info,
  review,
}: {
  info: ModelInfo;
  review: ReviewFile | null;
}): ModelCard['details']['flagged'] {
  const f = info.flagged;
  if (!f) return null;
  if (!f.leftOut) return { objects: f.ids.map((id) => ({ id, label: null })), complete: false, differs: null };
  const objects = f.leftOut.map(({ id, label }) => ({ id, label }));
  const why = objects.length > 0 ? null : (f.unchecked ?? (f.ids.length > 0 ? 'test-only' : null));
  if (why) return { objects, complete: true, differs: null, why };
  // An evaluation whose check was no better than guessing flags nothing: its list says nothing to compare.
  if (!review || (review.agreement && !review.agreement.better)) return { objects, complete: true, differs: null };
  const left = new Set(objects.map((o) => o.id));
  const flagged = flaggedOutsideTest(review);
  const learnt = [...flagged].filter((id) => !left.has(id)).sort();
  const notFlagged = [...left].filter((id) => !flagged.has(id)).sort();
  const same = learnt.length === 0 && notFlagged.length === 0;
  return { objects, complete: true, differs: same ? null : { learnt, notFlagged } };
}

/**
 * The markdown card's words on the labels train.flagged: drop left out of training; nothing with train.flagged: keep.
 * It counts them and names none: the card is published as it is (data/cards/<version>.md on the catalogue), for
 * ever, and an object taken out of the catalogue since (a takedown, docs/data.md) must not stay named there. The
 * catalogue's page for the version names those still in the catalogue (pipeline/catalogue/data.ts).
 */
function flaggedCardLines(flagged: ModelCard['details']['flagged']): string[] {
  if (!flagged) return [];
  const n = flagged.objects.length;
  if (n === 0) return [`${noneLeftOutWords(flagged.why ?? null)}`, ''];
  return [
    `Training left out ${n === 1 ? '1 label' : `${n} labels`} as likely wrong (train.flagged: drop): before ` +
      `training, a check of every label (confident learning, cross-validated) found ${n === 1 ? 'it' : 'them'} ` +
      `likely wrong, so the model did not learn from ${n === 1 ? 'this object' : 'these objects'}.` +
      (flagged.complete
        ? ''
        : ' This model was saved before the labels left out were recorded: the count is every label the check ' +
          'flagged, and test objects among them were still tested on.') +
      ' The catalogue’s page for this version names those still in the catalogue.' +
      ' Staff correct in labels.csv each label that is wrong, and leave a correct label as it is; training leaves ' +
      'it out again while the check finds it unlikely.',
    '',
    ...(flagged.differs ? [flaggedDifferCardWords(flagged.differs), ''] : []),
  ];
}

/** The card's words when the evaluation's list of flagged labels is not the list training left out, in counts. */
function flaggedDifferCardWords({ learnt, notFlagged }: { learnt: string[]; notFlagged: string[] }): string {
  const labels = (k: number) => (k === 1 ? '1 label' : `${k} labels`);
  const parts = [
    ...(learnt.length ? [`it flags ${labels(learnt.length)} the model learnt from`] : []),
    ...(notFlagged.length ? [`it does not flag ${notFlagged.length} of those training left out`] : []),
  ];
  return (
    'A second check, made when this version was tested (what `vitrine review` lists), learnt from a different ' +
    `sample of objects and flags some different labels: ${parts.join('; ')}.`
  );
}

/**
 * " The other 4 labelled objects were neither learnt from nor tested on …", after the split counts; nothing when
 * none was left out. Both reasons are said: the counts cannot tell a picture that could not be used from a label
 * train.flagged: drop left out (a reviewer: "had no usable picture" was false for the latter).
 */
function unusedWords(n: number): string {
  if (n <= 0) return '';
  return n === 1
    ? ' The other labelled object was neither learnt from nor tested on: its picture could not be used (missing, ' +
        'damaged or unreadable), or its label looked wrong and was left out of training.'
    : ` The other ${n} labelled objects were neither learnt from nor tested on: their pictures could not be used ` +
        '(missing, damaged or unreadable), or their labels looked wrong and were left out of training.';
}

/** " (2 objects left out: their images could not be read)", beside the training count; nothing when none was. */
function leftOutWords(n: number): string {
  if (n === 0) return '';
  return n === 1
    ? ' (1 object left out: its image could not be read)'
    : ` (${n} objects left out: their images could not be read)`;
}

/**
 * The classes to check first: those with the lowest F1 among the tested ones, every one of them when several share
 * it, and none when all tie (then none is weaker than the others; tester: "weakest "coin" (F1 100.0%)").
 */
function weakestWords(perClass: Metrics['perClass']): string {
  const tested = perClass.filter((c) => c.support > 0);
  if (tested.length === 0) return '';
  const low = Math.min(...tested.map((c) => c.f1));
  const weakest = tested.filter((c) => c.f1 - low <= 1e-9);
  if (weakest.length === tested.length)
    return tested.length === 1
      ? ''
      : `All ${tested.length} classes have the same F1 (${pct(low)}) on the test objects: none stands out as weaker.`;
  if (weakest.length === 1)
    return (
      `The weakest class is "${weakest[0]!.label}" (F1 ${pct(low)} on ${weakest[0]!.support} test ` +
      `objects): check its suggestions most carefully.`
    );
  return (
    `The weakest classes are ${listWords(weakest.map((c) => `"${c.label}"`))} (F1 ${pct(low)} each, on ` +
    `${listWords(weakest.map((c) => String(c.support)))} test objects): check their suggestions most carefully.`
  );
}

/** The class(es) with the fewest labelled objects; when all have as many, says so. */
function smallestWords(byLabel: DatasetSummary['byLabel']): string {
  const totals = Object.entries(byLabel).map(([label, c]) => ({ label, n: total(c) }));
  if (totals.length === 0) return '';
  const fewest = Math.min(...totals.map((t) => t.n));
  const smallest = totals.filter((t) => t.n === fewest);
  if (smallest.length === totals.length)
    return totals.length === 1 ? '' : `Every class has ${fewest} labelled object${fewest === 1 ? '' : 's'}.`;
  if (smallest.length === 1) return `The smallest class is "${smallest[0]!.label}" with ${fewest} labelled objects.`;
  return (
    `The smallest classes are ${listWords(smallest.map((t) => `"${t.label}"`))}, with ${fewest} ` +
    `labelled object${fewest === 1 ? '' : 's'} each.`
  );
}

/**
 * Over how many of the labels a macro-F1 is, when not all (evaluate/scores.ts labelsOutOfMacroF1): a three-label
 * model's "100%" could be over two (tester T1: Bowl had no test objects). "over 2 of the 3 labels (Bowl had no test
 * objects)"; empty when every label counts. The card's words; the public site's with `noun` 'types' (catalogue data),
 * naming at most `names` labels: beyond that, one fewer named, the others counted ("Bowl, Cup, Jug and 2 more").
 */
export function macroF1OverWords({
  scores,
  noun = 'labels',
  name = (label) => label,
  names = Number.POSITIVE_INFINITY,
}: {
  scores: Pick<Metrics, 'perClass' | 'confusion'>;
  noun?: 'labels' | 'types';
  /** How a label is written: the card escapes it for its table. */
  name?: (label: string) => string;
  names?: number;
}): string {
  const out = labelsOutOfMacroF1(scores);
  if (out.length === 0) return '';
  const total = scores.perClass.length;
  const listed = listWords(out.map(name), { max: out.length > names ? names - 1 : names });
  return `over ${total - out.length} of the ${total} ${noun} (${listed} had no test objects)`;
}

/**
 * How the headline intervals were made. The bootstrap's, except for a score it cannot vary (every test object
 * right, or wrong): pipeline/evaluate/boundary.ts then uses the Wilson interval of the count, or for macro-F1 a
 * Bayesian one, and the card says so in plain words.
 */
function intervalWords(m: Metrics): string {
  const { n } = m;
  const method =
    'So accuracy and top-k accuracy get the 95% Wilson interval of the count (the method of the per-group tables ' +
    "on the catalogue's model page), and macro-F1 a Bayesian interval in which small classes vary more " +
    "(Vitrine's docs/metrics.md).";
  if (n > 0 && m.accuracy.value === 1)
    return (
      'Intervals are 95% bootstrap intervals, except for the scores at 100%. The model got every one of the ' +
      `${n} test objects right, and resampling objects it always gets right cannot show any spread. ${method}`
    );
  if (n > 0 && m.accuracy.value === 0)
    return (
      `Intervals are 95% bootstrap intervals, except for the scores at 0%. The model got none of the ${n} test ` +
      `objects right, and resampling them cannot show any spread. ${method}`
    );
  if (n > 0 && m.topK.accuracy.value === 1)
    return (
      `Intervals are 95% bootstrap intervals, except for top-${m.topK.k} accuracy: every test object had its ` +
      `class among the model's first ${m.topK.k} guesses, and resampling cannot show any spread then, so its ` +
      'interval is the 95% Wilson interval of the count.'
    );
  return 'Intervals are 95% bootstrap intervals.';
}

/** " **In production.**"; other stages by name (" **In staging.**"); nothing without one. */
function stagesWords(stages: string[]): string {
  if (stages.includes('prod')) return ' **In production.**';
  return stages.length ? ` **${stagesSentence(stages)}.**` : '';
}

/**
 * "Labels changed since v1.0.0, so this is a new minor version (the same types, new or changed photographs or
 * labels)." Cards written before said "minor version bump from v1.0.0: labels changed." (a tester read it as
 * jargon); the catalogue words those with this too (`legacyBumpWords`).
 */
export function bumpWords({ bump, previous, reason }: { bump: string; previous: string; reason: string }): string {
  const why = reason ? `${reason.charAt(0).toUpperCase()}${reason.slice(1)}` : 'Changes';
  const meaning = BUMP_MEANING[bump];
  return `${why} since ${previous}, so this is a new ${bump} version${meaning ? ` (${meaning})` : ''}.`;
}

/** A card's "What changed" line as cards before `bumpWords` wrote it, worded as now; other lines as they are. */
export function legacyBumpWords(line: string): string {
  const m = /^(major|minor|patch) version bump from (\S+): (.*)\.$/.exec(line);
  return m ? bumpWords({ bump: m[1]!, previous: m[2]!, reason: m[3]! }) : line;
}

function whatChanged({
  registration,
  previous,
}: {
  registration: Registration;
  previous: Registration | null;
}): string[] {
  if (!previous) return ['First registered version of this model.'];
  const out = [bumpWords({ bump: registration.bump, previous: previous.version, reason: registration.reason })];
  const a = previous.headline;
  const b = registration.headline;
  out.push(
    `Accuracy ${pct(a.accuracy)} → ${pct(b.accuracy)} (${signed(b.accuracy - a.accuracy)}); macro-F1 ` +
      `${pct(a.macroF1)} → ${pct(b.macroF1)} (${signed(b.macroF1 - a.macroF1)}); test objects ${a.n} → ` +
      `${b.n}. These are the scores each version was registered with, each measured on the labels and test objects ` +
      'of its own time, so they do not compare like for like; the comparison of both models on the same test ' +
      'objects is the one under Metrics.',
  );
  // A class renamed is the same class under its new name (metrics.json labelRenames, kept with the registration).
  const renames = vocabularyRenames({ before: a.labels, now: b.labels, renames: registration.inputs.renames });
  // Compared as labels are read (labelForm): an older version's "Epoche:\u00a0Neu" is today's "Epoche: Neu".
  const renamedTo = new Set(renames.filter((r) => !r.joined).map((r) => labelForm(r.to)));
  const renamedFrom = new Set(renames.map((r) => labelForm(r.from)));
  const [was, is] = [new Set(a.labels.map(labelForm)), new Set(b.labels.map(labelForm))];
  const added = b.labels.filter((x) => !was.has(labelForm(x)) && !renamedTo.has(labelForm(x)));
  const removed = a.labels.filter((x) => !is.has(labelForm(x)) && !renamedFrom.has(labelForm(x)));
  for (const phrase of renamePhrases(renames))
    out.push(
      phrase.startsWith('renamed ')
        ? `Classes renamed: ${phrase.slice('renamed '.length)} (the same class under its new name).`
        : `Classes merged: ${phrase.slice('merged '.length)} (their objects are one class now).`,
    );
  if (added.length) out.push(`New classes: ${labelList(added)}.`);
  if (removed.length) out.push(`Classes removed: ${labelList(removed)}.`);
  const pl = previous.lineage;
  const l = registration.lineage;
  if (pl.data.hash !== l.data.hash)
    out.push(`Images or object data changed (data ${short(pl.data.hash)} → ${short(l.data.hash)}).`);
  if (pl.labels.md5 !== l.labels.md5)
    out.push(`Labels changed (labels.csv ${short(pl.labels.md5)} → ${short(l.labels.md5)}).`);
  const changedParams = diffKeys(pl.params.values, l.params.values);
  if (changedParams.length)
    out.push(
      `Parameters changed: ` +
        `${changedParams.slice(0, 12).join(', ')}${changedParams.length > 12 ? ` and ${changedParams.length - 12} more` : ''}.`,
    );
  if (pl.backbone.id !== l.backbone.id) out.push(`Backbone ${pl.backbone.id} → ${l.backbone.id}.`);
  return out;
}

function diffKeys(a: unknown, b: unknown, prefix = ''): string[] {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) =>
      diffKeys((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

/** The card as markdown with YAML front matter. */
/** A backbone source that is an npm package's file ("npm:nsfwjs@4.3.0/dist/…"): letters, digits and . _ @ / - alone. */
const PACKAGE_SPEC = /^npm:[\w.@/-]+$/;

export function renderCardMarkdown(card: ModelCard): string {
  const m = card.metrics;
  const d = card.details;
  const l = card.lineage;
  const lines: string[] = [];
  lines.push('---', stringify(card.frontMatter).trimEnd(), '---', '');
  lines.push(
    `<!-- Generated by Vitrine from metrics.json, model-info.json and the registry lineage. Do not edit: ` +
      `it is rewritten on every promotion. -->`,
    '',
  );
  lines.push(`# ${card.model} ${card.version}`, '');
  lines.push(`Image classifier for museum objects: ` + `${safe(labelList(d.labels))}.${stagesWords(card.stages)}`, '');
  // What rollbacks did to it, from the registry's tags: "Not in production" alone hid why (tester T10).
  if (card.withdrawn)
    lines.push(
      `**${safe(withdrawnWords(card.withdrawn))}.** ${safe(card.withdrawn.by)} was put back in its place.`,
      '',
    );
  if (card.putBack) {
    const why = card.putBack.reason ? ` ${safe(card.putBack.reason)}.` : '';
    // Production moved on since: said after, so that the card still tells why it was in production then (V16).
    const { until, replacedBy = null } = card.putBack;
    const moved = until ? ` ${safe(replacedWords({ until, replacedBy }))}.` : '';
    lines.push(`**${safe(putBackWords(card.putBack))}${why ? ':' : '.'}**${why}${moved}`, '');
  }

  lines.push('## Model details', '');
  lines.push(`- **Version:** ${card.version} (registered ${card.date})`);
  // registry.owners still the placeholder names no one: said so, not printed as a team's name (an outside tester).
  const owners = namedOwners(d.owners);
  lines.push(`- **Owners:** ${owners.length ? safe(owners.join(', ')) : 'not named yet'}`);
  lines.push(`- **What changed:**`);
  for (const c of d.changes) lines.push(`  - ${safe(c)}`);
  // What the image model is in plain words before its id; the package's name alarms a public that reads it on a
  // museum's page (an outside tester): what it is, and what is used of it.
  const what = backboneWords(d.backbone.id);
  lines.push(
    `- **Model type:** a classification head ` +
      `(${d.head.hiddenUnits ? `${d.head.hiddenUnits} hidden units` : 'linear'}) on image features ` +
      `from ${what ? `${what}, ` : ''}the backbone ${code(d.backbone.id)} (${safe(d.backbone.licence)}), ` +
      // A package spec ("npm:nsfwjs@4.3.0/…") as code: safe() broke its @ like a mention's, in the public's copy.
      // Any other source is params.yaml text, from a pull request: made safe (test/security/card-backbone).
      `source: ${PACKAGE_SPEC.test(d.backbone.source) ? code(d.backbone.source) : safe(d.backbone.source)}` +
      (d.backbone.id.startsWith('nsfwjs-') ? `. ${NSFWJS_NOTE}` : ''),
  );
  lines.push(
    `- **Training:** ${trainingWords(d.head)}${d.head.solver === 'lbfgs' ? ';' : ','} seed ${d.head.seed}, ` +
      `${d.head.trainCount} training and ` +
      `${d.head.validationCount} validation objects${leftOutWords(d.head.leftOut)}`,
  );
  lines.push(
    `- **Code:** commit ${d.commit ?? 'unknown'}${
      d.pullRequest
        ? `, pull request #${d.pullRequest.number}${d.pullRequest.url ? ` (${d.pullRequest.url})` : ''}`
        : ''
    }`,
  );
  lines.push(`- **Licence:** ${safe(d.licence)}`, '');

  lines.push('## Intended use', '');
  for (const u of card.intendedUse.primary) lines.push(`- ${safe(u)}`);
  lines.push('', `Intended users: ${safe(card.intendedUse.users.join('; '))}.`, '');
  lines.push('### Out-of-scope uses', '');
  for (const u of card.intendedUse.outOfScope) lines.push(`- ${safe(u)}`);
  lines.push('');

  lines.push('## Factors', '');
  if (card.factors.length === 0) lines.push('No factors were recorded for this collection.');
  for (const f of card.factors) lines.push(`- **${safe(f.name)}:** ${safe(f.why)}`);
  lines.push('');

  lines.push('## Metrics', '');
  lines.push(`Measured on the test split (${m.n} objects never used in training). ${intervalWords(m)}`, '');
  lines.push('| Metric | Value | 95% interval |', '|---|---|---|');
  lines.push(`| Accuracy | ${pct(m.accuracy.value)} | ${pctRange(m.accuracy)} |`);
  const over = macroF1OverWords({ scores: m, name: cell });
  lines.push(`| Macro-F1${over && `, ${over}`} | ${pct(m.macroF1.value)} | ${pctRange(m.macroF1)} |`);
  lines.push(`| Top-${m.topK.k} accuracy | ${pct(m.topK.accuracy.value)} | ${pctRange(m.topK.accuracy)} |`);
  lines.push(`| Expected calibration error (lower is better) | ${pct(m.ece.value)} | ${pctRange(m.ece)} |`, '');
  // As the model page says it (an outside tester: the page explained macro-F1, the card did not).
  lines.push(
    'Macro-F1 is the overall score: for each type, F1 is high only when the model both finds the objects of that ' +
      'type (recall) and is right when it names it (precision); macro-F1 averages it over the types, so rare types ' +
      'count as much as common ones.',
    '',
  );
  lines.push('| Class | Precision | Recall | F1 | Test objects |', '|---|---|---|---|---|');
  for (const c of m.perClass)
    lines.push(
      c.support === 0
        ? `| ${cell(c.label)} | — | — | — | 0 |`
        : `| ${cell(c.label)} | ${pct(c.precision)} | ${pct(c.recall)} | ${pct(c.f1)} | ${c.support} |`,
    );
  lines.push('');
  if (m.baseline) {
    const c = m.baseline.comparison;
    const excluded = m.baseline.excluded ?? 0;
    const objects = excluded > 0 ? `the same ${Math.max(0, m.n - excluded)} test objects` : 'the same test objects';
    const scope = baselineScopeNote({
      baseline: m.baseline,
      n: m.n,
      who: `the model it was compared with (${safe(m.baseline.version)})`,
      candidate: 'this version',
    });
    lines.push(
      `Compared with ${safe(m.baseline.version)} on ${objects}: ` +
        `${c.metric === 'macroF1' ? 'macro-F1' : c.metric} difference ${signed(c.difference.value)} ` +
        `(${levelled(c.alpha, 'interval')} ` +
        `${signed(c.difference.low)} to ${signed(c.difference.high)}), ` +
        `${pWords(c.pValue)}: ` +
        `**${c.verdict}**.${scope ? ` ${scope.warning ? '**Caution:** ' : ''}${scope.sentence}` : ''} ` +
        // Tester #4: the change under "What changed" compares registered scores; this one scores both models again.
        'Both models were scored on the test objects and labels of this version, so this is the like-for-like ' +
        'comparison; it can differ from the change under "What changed", which compares the scores each version ' +
        'was registered with.',
      '',
    );
  }

  lines.push(...crossValidationCardLines(m));
  if (card.followed) lines.push(...followedCardLines(card.followed));

  lines.push('## Training and evaluation data', '');
  const s = card.data;
  const used = usedSplit(card);
  lines.push(
    `${s.objects} objects in the collection, ${s.labelled} with a human label: ${used.train} for ` +
      `training, ${used.validation} for validation and ${used.test} for testing.${unusedWords(used.unused)} ` +
      `Splits are decided from each object's id, so an object stays in its split as the collection grows.` +
      (used.unused > 0 ? ' The tables below count every labelled object, those without a usable picture too.' : ''),
    '',
  );
  lines.push(...flaggedCardLines(card.details.flagged));
  lines.push('| Class | Train | Validation | Test | Total |', '|---|---|---|---|---|');
  for (const [label, c] of Object.entries(s.byLabel))
    lines.push(`| ${cell(label)} | ${c.train} | ${c.validation} | ${c.test} | ${total(c)} |`);
  lines.push('');
  for (const f of s.factors) {
    // Summaries written before unlabelled objects were counted have no such column.
    const counted = f.values.some((v) => v.unlabelled !== undefined);
    lines.push(
      `### Objects by ${safe(f.factor)}`,
      '',
      `| ${cell(f.factor)} | Train | Validation | Test |${counted ? ' Not labelled |' : ''}`,
      counted ? '|---|---|---|---|---|' : '|---|---|---|---|',
    );
    for (const v of f.values)
      lines.push(
        `| ${cell(v.value)} | ${v.counts.train} | ${v.counts.validation} | ${v.counts.test} |` +
          (counted ? ` ${v.unlabelled ?? 0} |` : ''),
      );
    if (f.otherUnlabelled)
      lines.push(`| *${f.otherUnlabelled.values} other values* | 0 | 0 | 0 | ${f.otherUnlabelled.objects} |`);
    lines.push('');
  }

  lines.push('## Quantitative analyses', '');
  if (card.quantitative.length === 0) lines.push('No factor breakdown was computed for this version.', '');
  for (const f of card.quantitative) {
    lines.push(
      `### By ${safe(f.factor)}`,
      '',
      `| ${cell(f.factor)} | Test objects | Accuracy | Macro-F1 |`,
      '|---|---|---|---|',
    );
    for (const g of f.groups) lines.push(`| ${cell(g.value)} | ${g.n} | ${pct(g.accuracy)} | ${pct(g.macroF1)} |`);
    lines.push('');
  }

  lines.push('## Ethical considerations', '');
  // Both name labels (from labels.csv), kept raw in the card's JSON.
  for (const e of card.ethics) lines.push(`- ${safe(e)}`);
  lines.push('');
  lines.push('## Caveats and recommendations', '');
  for (const c of card.caveatsAndRecommendations) lines.push(`- ${safe(c)}`);
  lines.push('');

  lines.push('## Lineage', '');
  lines.push(`- Data: \`${l.data.hash}\` (${l.data.source})`);
  lines.push(
    `- Labels: labels.csv, its fingerprint (md5) \`${l.labels.md5}\`` +
      (l.labels.commit ? `, last changed in commit ${l.labels.commit}` : ''),
  );
  lines.push(`- Settings: params.yaml, its fingerprint (md5) \`${l.params.md5}\``);
  lines.push(
    `- Runtime: Node ${l.runtime.node} (TensorFlow.js backend ${l.backend}); ${Object.entries(l.runtime.packages)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  lines.push(
    `- Durations: embedding ${secs(l.durations.embedMs)}, training ` +
      `${secs(l.durations.trainMs)}${l.durations.evaluateMs !== null ? `, evaluation ${secs(l.durations.evaluateMs)}` : ''}`,
  );
  if (l.run) lines.push(`- Promoted by run: ${l.run.url}`);
  lines.push('');
  return lines.join('\n');
}

/**
 * The card's figures from cross-validation over every labelled object: what to expect on a source
 * the model has not seen (evaluate.group_by). Empty when the evaluation computed none.
 */
export function crossValidationCardLines(m: Metrics): string[] {
  const lines: string[] = [];
  const cv = m.crossValidated;
  if (cv) {
    // The pull request's verdict: the test-split comparison above has little power for a few changed labels. Its
    // figures, verdict and objects scored in the report's words (a tester read "+0.00 to +0.00" and "**no detectable
    // difference**" beside p = 0.002 here after the report was fixed).
    const c = cv.comparison;
    const verdict = crossValidatedVerdict(c, cv.before);
    const { objects, scoredOn } = scoredObjectsWords(cv);
    const p2 = (x: number) => x.toFixed(2);
    lines.push(
      `Judged on every labelled object (the verdict of the change that made this version: ${labelChangeWords(cv)} ` +
        `since ${safe(cv.base.ref)}): each of ${objects} was predicted by a model that had not seen it and scored ` +
        `${scoredOn}. Trained on the labels before, the model gives those labels a probability of ` +
        `${p2(cv.probability.baseline)} on average, and ${p2(cv.probability.candidate)} trained on the labels now: ` +
        `a change of ${crossValidatedChange(c.difference, { note: levelled(c.alpha, 'interval'), minChange: c.minChange })}, ` +
        `${pWords(c.pValue)}: **${verdict.name}** (${crossValidationWords(cv)})` +
        (c.verdict === 'no detectable difference' || labelsToCheck(cv) || countedByRelabelled(c)
          ? `: ${verdict.why}.`
          : '.'),
      '',
    );
  }
  const o = m.outOfCollection;
  if (o) {
    const field = safe(o.field);
    lines.push(
      `On photographs from a ${field} it has not seen, expect a macro-F1 of about ` +
        `${whole(o.macroF1.value)} (95% interval ${percentRange({ ...o.macroF1, digits: 0 })}), ` +
        `against ${whole(o.randomFolds.macroF1.value)} when the same ${o.n} objects are split at random. ` +
        `Measured by holding out each ${field} in turn and training on the others.`,
      '',
      `| ${field} held out | Objects | Accuracy | Macro-F1 |`,
      '|---|---|---|---|',
      ...o.groups.map((g) => `| ${cell(g.value)} | ${g.n} | ${pct(g.accuracy)} | ${pct(g.macroF1)} |`),
      '',
    );
  }
  if (m.publication) lines.push(...publicationCardLines(m.publication));
  return lines;
}

/**
 * What the annotations of this version follow when that is a later evaluation of the same model: stated beside
 * the registration's figures, each labelled, so the card never describes a rule the catalogue does not apply.
 */
function followedCardLines(f: FollowedEvaluation): string[] {
  const when = [
    f.createdAt ? `made ${f.createdAt.slice(0, 10)}` : '',
    f.commit ? `at commit ${short(f.commit)}` : '',
  ].filter(Boolean);
  return [
    '### Publication rule the catalogue follows now',
    '',
    'This same model (the same weights) was evaluated again after it was registered' +
      `${when.length ? ` (${when.join(', ')})` : ''}. The annotations in the catalogue follow that later ` +
      "evaluation's publication rule, below, not the one above, which is the registration's.",
    '',
    ...(f.publication ? publicationCardLines(f.publication) : []),
  ];
}

/** The card's account of a publication rule: what is published as fact, and from which confidence per label. */
function publicationCardLines(p: NonNullable<Metrics['publication']>): string[] {
  const lines: string[] = [];
  lines.push(
    `The catalogue publishes an annotation only when the model is sure enough for at least ` +
      `${whole(p.minPrecision)} precision (annotate.min_precision). ` +
      `At that setting it annotates ${whole(p.coverage.value)} of objects (95% interval ` +
      `${percentRange({ ...p.coverage, digits: 0 })}), ` +
      `and those annotations are right ${whole(p.precision.value)} of the time ` +
      `(${percentRange({ ...p.precision, digits: 0 })}); the guesses it is less sure of are shown as "Not sure: ` +
      `waiting for staff", as the catalogue says. ` +
      `Measured on ${p.n} labelled objects, each predicted by a model trained without it, with thresholds chosen on other objects. ` +
      "That precision holds for photographs like these; on another museum's or photographer's pictures it can be much " +
      'lower (in a test across two museums, annotations meant to be right 90% of the time were right 61% of the time), ' +
      'so check the first annotations of a newly added collection before relying on them.',
    ...(p.familiarity
      ? [
          '',
          // Tester #3: the catalogue words these "Photograph unlike those the model learned from: waiting for staff",
          // not "Not sure" (the model is often sure of them); the card uses the same words.
          'Annotations of objects whose photographs are unlike the ones the model learned from are held back too, ' +
            'however sure the model is, and wait for staff (annotate.familiarity); the catalogue shows them as ' +
            '"Photograph unlike those the model learned from: waiting for staff", not as "Not sure". Such a ' +
            `photograph is farther from its nearest labelled photographs than ${whole(p.familiarity.quantile)} of the ` +
            `${p.familiarity.reference} ` +
            'labelled photographs are from theirs. A model is as sure of a painting as of the objects it knows, and ' +
            `usually wrong about it. On photographs like the labelled ones this holds back about ` +
            `${whole(1 - p.familiarity.quantile)} of what it would publish; the annotation log says how many objects it held back.`,
        ]
      : p.familiarityNotApplied
        ? [
            '',
            `There were too few labelled photographs (${p.familiarityNotApplied.reference}) to judge which ` +
              'photographs are unlike them, so the check for such photographs (annotate.familiarity) was not applied.',
          ]
        : []),
    ...(Object.values(p.thresholds).every((t) => t === null)
      ? [
          '',
          `No type reached the wanted precision of ${p.minPrecision} on the labelled objects, so nothing is ` +
            'published as fact: every annotation waits for staff.',
        ]
      : []),
    '',
    // In per cent, as the model page and the object pages give a guess's confidence (an outside tester).
    '| Label | Published from confidence |',
    '|---|---|',
    ...Object.entries(p.thresholds).map(
      ([label, t]) => `| ${cell(label)} | ${t === null ? 'never (waits for staff)' : `${threshold(t)} or more`} |`,
    ),
    '',
  );
  return lines;
}

/** A p-value and what it means: "p = 0.012 (with no real difference, … about 1 time in 80)". */
function pWords(p: number | null | undefined): string {
  const words = chanceWords(p);
  return `${pValue(p)}${words ? ` (${words})` : ''}`;
}

/**
 * A publication threshold as the model page writes it (catalogue/pages.ts percent): whole, but with the decimals
 * that keep one a hair under certain from reading "100% or more" (tester T12).
 */
function threshold(t: number): string {
  const shown = whole(t);
  return (shown === '100%' && t < 1) || (shown === '0%' && t > 0) ? percentApart(t)[0] : shown;
}

/** A share as a whole percentage ("43%"): intervals this wide make decimals noise. */
function whole(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** Cut a card's markdown (after the front matter) into its `##` sections. */
export function splitSections(markdown: string): { heading: string; text: string }[] {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  const out: { heading: string; text: string }[] = [];
  for (const part of body.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    out.push({ heading: part.slice(0, newline).trim(), text: part.slice(newline + 1).trim() });
  }
  return out;
}

function cell(s: string): string {
  return safe(s)
    .replace(/\|/g, '\\|')
    .replace(/\r\n?|\n/g, ' ');
}

/**
 * Collection names, labels, owners and factor values come from params and metadata: in the card's
 * markdown they stay text (no HTML, no @-mentions, no links or pictures), wherever the card is rendered
 * (GitHub, a hub). A label `[click](https://evil.example)` was a live link: brackets are escaped, and a bare
 * address gets a zero-width space after its scheme so it is not autolinked (as the report's `text` does); a `$` is
 * escaped (no mathematics); control and bidi characters (a label reading backwards) are dropped.
 */
function safe(s: string): string {
  return (
    s
      .replace(CONTROLS, '')
      .replace(/\\/g, '\\\\')
      .replace(/[[\]]/g, (c) => `\\${c}`)
      // GitHub and Hugging Face typeset `$…$` as mathematics (an owner "US$5–US$10 fund"); `\$` shows a dollar sign.
      .replace(/\$/g, '\\$')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/@/g, '@\u200b')
      .replace(/(https?|ftp|www)([.:])/gi, '$1\u200b$2')
  );
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** A fraction as a percentage with one decimal ("83.4%"). */
export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** An interval in percentages with one decimal, its ends rounded outwards (boundary.ts). */
export function pctRange(interval: { low: number; high: number }): string {
  return percentRange({ ...interval, digits: 1 });
}

/** The low end of an interval as `pctRange` prints it: rounded down. */
function pctDown(low: number): string {
  return percentDown({ x: low, digits: 1 });
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${(Math.abs(x) * 100).toFixed(1)} pts`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function short(hash: string): string {
  return hash.slice(0, 8);
}
