import { type Params, paramsSchema } from '../params.ts';

/*
 * Which params.yaml settings decide a pull request's verdict, so that the pull request is judged by the base
 * branch's values of them (withBaseGate in guard.ts). Every setting of the schema is in one list or the other.
 */

/**
 * Every params.yaml setting, by whether it decides a pull request's verdict: its words, the gate, and the status
 * that carries them. A pull request is judged by the base branch's values of those that decide (the rules in
 * force; what it proposes applies after merge) and by its own values of the others. A setting in neither list
 * (one added to params.ts later) is judged by the base's value too, as it may decide, and
 * test/github/verdict-settings.test.ts fails until someone puts it in one.
 */
export const VERDICT_SETTINGS = {
  decides: [
    // The gate itself, and the baseline it compares with (another model name finds no promoted baseline, as
    // baseline: none would).
    'gate.max_macro_f1_drop',
    'gate.min_class_f1',
    'gate.min_macro_f1',
    'gate.min_test_objects',
    'gate.min_unseen_macro_f1',
    'evaluate.baseline',
    'registry.model_name',
    // Which objects are tested: another salt or test fraction re-draws the test split, which a pull request could
    // repeat until its model passes; a lower max_pixels or skipping invalid rows leaves objects out of it.
    'dataset.split.salt',
    'dataset.split.test',
    'dataset.image.max_pixels',
    'dataset.on_invalid',
    // A class with fewer test objects than this is not judged by its F1 (gate.ts): a pull request raising it could
    // switch the per-class check off (reviewer V10, HIGH).
    'dataset.min_test_per_class',
    // The verdict's words ("Better") come from a test at evaluate.alpha over evaluate.bootstrap resamples, on every
    // labelled object unless folds is 0 or the collection is over cv_max_objects, a change under min_change being
    // none; a seed can be re-rolled.
    'evaluate.alpha',
    'evaluate.min_change',
    'evaluate.bootstrap',
    'evaluate.folds',
    'evaluate.cv_max_objects',
    'train.seed',
    // The status that carries the gate (branch protection requires it by name).
    'report.status_context',
  ],
  /** Settings that decide only in some cases: the base's value is kept when `when` holds. */
  decidesWhen: {
    // The unseen-source check runs only with a group_by field (and folds, above).
    'evaluate.group_by': ({ base }: { base: Params; head: Params }) => base.gate.min_unseen_macro_f1 > 0,
    // The base's test fraction with the head's validation must still leave a tenth to train (the schema's rule).
    'dataset.split.validation': ({ base, head }: { base: Params; head: Params }) =>
      head.dataset.split.validation + base.dataset.split.test >= 0.9,
  },
  /**
   * What the pull request proposes (the classes, the backbone, how the model is trained) and what only shows,
   * publishes or imports: a pull request may change them and is judged with them.
   */
  doesNot: [
    'collection.name',
    'collection.vocabulary',
    'collection.repository',
    'collection.branch',
    'import.metadata',
    'import.images',
    'import.columns.id',
    'import.columns.image',
    'import.columns.label',
    'import.columns.title',
    'import.columns.maker',
    'import.columns.date',
    'import.columns.department',
    'import.columns.medium',
    'import.columns.credit_line',
    'import.columns.rights',
    'import.columns.description',
    'import.keep',
    'import.on_invalid',
    'demo.seed',
    'demo.per_type',
    'demo.unlabelled_per_type',
    'demo.wrong_label_rate',
    'demo.image_size',
    'dataset.image.background',
    'dataset.thumbnails.widths',
    'dataset.thumbnails.quality',
    'dataset.colours.count',
    'dataset.colours.min_share',
    'backbone.name',
    'backbone.source',
    'backbone.layer',
    'backbone.input_size',
    'backbone.fit',
    'backbone.input_range',
    'backbone.licence',
    'train.backend',
    'train.epochs',
    'train.batch_size',
    'train.learning_rate',
    'train.patience',
    'train.class_weighting',
    'train.hidden_units',
    'train.dropout',
    'train.solver',
    'train.l2_choices',
    'train.l2_cv_max_objects',
    'train.l2',
    'train.workers',
    'train.augment',
    // Leaves flagged labels out of training and validation only: the test split is scored whole.
    'train.flagged',
    'evaluate.top_k',
    'evaluate.least_confident',
    'evaluate.factors',
    'annotate.min_precision',
    // What is published in the catalogue after promotion, never the verdict or the gate.
    'annotate.familiarity',
    'annotate.familiarity_quantile',
    'registry.owners',
    'report.max_label_changes',
    'report.catalogue_url',
    'report.object_page',
    'report.thumbnail_folder',
    'catalogue.title',
    'catalogue.language',
    'catalogue.base',
    'catalogue.site',
    'catalogue.review_queue',
    'catalogue.periods',
    'catalogue.deep_zoom_min_side',
    'catalogue.images.in_copyright',
    'catalogue.images.unknown',
    'catalogue.images.thumbnail_max',
    'catalogue.search_part_pages',
    'catalogue.publish',
    'catalogue.s3.endpoint',
    'catalogue.s3.bucket',
    'catalogue.s3.prefix',
    'catalogue.s3.region',
    'catalogue.s3.image_base_url',
    'catalogue.s3.credentials_remote',
    'catalogue.s3.jobs',
    'monitor.embedding_p_value',
    'monitor.image_stats_threshold',
    'monitor.label_distribution_threshold',
    'monitor.embedding_min_effect',
    'monitor.novelty_min_increase',
    'monitor.classifier_min_auc',
    'monitor.permutations',
    'monitor.seed',
    'monitor.max_objects',
    'monitor.unfamiliar',
    'retrain.min_new_labels',
    'retrain.min_new_objects',
    'retrain.on_drift',
    'scale.shards',
  ] as readonly string[],
} as const;

interface SchemaNode {
  def: { type: string; innerType?: SchemaNode; in?: SchemaNode; shape?: Record<string, SchemaNode> };
}

let settingKeysOnce: string[] | null = null;

/** Every setting's key, from the schema: an object is walked into; a list, a record or a value is one setting. */
function settingKeys(): string[] {
  const walk = (node: SchemaNode, prefix: string): string[] => {
    let s = node;
    // Defaults, optional values and transforms wrap the schema that says what the setting is.
    while (s.def.innerType || (s.def.type === 'pipe' && s.def.in)) s = (s.def.innerType ?? s.def.in)!;
    if (s.def.type !== 'object' || !s.def.shape) return [prefix];
    return Object.entries(s.def.shape).flatMap(([k, v]) => walk(v, prefix ? `${prefix}.${k}` : k));
  };
  settingKeysOnce ??= walk(paramsSchema as unknown as SchemaNode, '');
  return settingKeysOnce;
}

/** The settings the base's values judge a pull request by: all but those that do not decide (VERDICT_SETTINGS). */
export function gateKeys({
  base,
  head,
  doesNot,
}: {
  base: Params;
  head: Params;
  doesNot: readonly string[];
}): string[] {
  const when: Record<string, (p: { base: Params; head: Params }) => boolean> = VERDICT_SETTINGS.decidesWhen;
  const keys = settingKeys().filter(
    (k) => !doesNot.includes(k) && (!Object.hasOwn(when, k) || when[k]!({ base, head })),
  );
  // The gate's keys as the validated base has them, should the schema walk miss one.
  return [...new Set([...keys, ...Object.keys(base.gate).map((k) => `gate.${k}`)])].sort();
}
