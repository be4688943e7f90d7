import { labelInList } from '../collection/vocabulary.ts';
import { type SpreadsheetLoss, spreadsheetLossWords } from '../dataset/validate.ts';
import { defaultParams, type Params } from '../params.ts';
import { shorten } from '../report/markdown.ts';
import { tooFewToJudge } from '../report/too-few.ts';
import type { LabelLoss, Metrics, ModelScores, NewLabel } from '../types.ts';
import { listWords } from '../words.ts';

const fmt = (x: number) => x.toFixed(3);

/**
 * The promotion gate from `params.gate`. Every model: at least `min_test_objects` labelled test objects (fewer is
 * not enough evidence), macro-F1 at least `min_macro_f1`, and no class
 * F1 below `min_class_f1` (classes with test objects only: one without any cannot be judged). With a
 * baseline, also: macro-F1 no more than `max_macro_f1_drop` below the baseline's on the same objects.
 */
export function checkGate({
  candidate,
  baseline,
  gate,
  candidateOnBaselineObjects = candidate,
  minTestPerClass = 0,
  newLabels = [],
}: {
  candidate: ModelScores;
  baseline: ModelScores | null;
  /** `min_test_objects` absent: only "at least one" (callers from before the key existed). */
  gate: Omit<Params['gate'], 'min_test_objects'> & { min_test_objects?: number };
  /** The candidate's scores on the objects the baseline was scored on, when some were left out of its comparison. */
  candidateOnBaselineObjects?: ModelScores;
  /**
   * dataset.min_test_per_class: a class with fewer test objects is not judged by its F1 (on 3 objects one prediction
   * moves it from 0.25 to 0.5; tester T5), only named, unless its F1 is 0; the macro-F1 checks count it. 0: every
   * class is judged. A pull request is judged by the base branch's value (verdict-settings.ts).
   */
  minTestPerClass?: number;
  /**
   * Labels being built up (evaluate/new-labels.ts: more objects now than at the base, too few test objects now and
   * then): one with fewer than minTestPerClass test objects is not judged by its F1 even at 0, which a thin label
   * scores by nature (tester T7: five helmet masks split from the masks failed the gate on 2 test objects).
   */
  newLabels?: readonly NewLabel[];
}): Metrics['gate'] {
  const checks: Metrics['gate']['checks'] = [];
  const scored = candidate.perClass.reduce((s, c) => s + c.support, 0);
  // A score on a handful of objects says little (one object gives macro-F1 0 or 1), so below the
  // minimum the gate does not pass whatever the score. Shown only when it fails, as it is rare.
  const minimum = Math.max(1, gate.min_test_objects ?? 0);
  if (scored < minimum) {
    checks.push({
      name: TEST_OBJECTS_CHECK,
      passed: false,
      detail:
        scored === 0
          ? 'no labelled test objects: label more objects (about a fifth of them land in the test split)'
          : `not enough evidence: ${scored} labelled test object${scored === 1 ? '' : 's'}, at least ${minimum} ` +
            'needed to judge a model (gate.min_test_objects). Label more objects: about a fifth of them land in the test split',
    });
    // Scored on nothing, evaluate's figures are zeros, not scores: checks of them would read as a model that is
    // always wrong (a tester's report said "macro-F1 0.000" for both models).
    if (scored === 0) return { passed: false, checks, minTestPerClass };
  }
  const f1 = candidate.macroF1.value;
  checks.push({
    name: MACRO_F1_CHECK,
    passed: f1 >= gate.min_macro_f1,
    detail: `macro-F1 ${fmt(f1)}, minimum ${fmt(gate.min_macro_f1)}`,
  });
  const judged = candidate.perClass.filter((c) => c.support > 0);
  const thin = tooFewToJudge({ perClass: candidate.perClass, minTestPerClass });
  const building = new Map(newLabels.map((l) => [l.label, l]));
  const built = judged.filter((c) => c.support < minTestPerClass && building.has(c.label) && !thin.includes(c));
  const unjudgedThin = [...thin, ...built];
  const weak = judged.filter((c) => c.f1 < gate.min_class_f1 && !unjudgedThin.includes(c));
  const unjudged = candidate.perClass.filter((c) => c.support === 0).map((c) => c.label);
  // Scored on one class only, every model is right by construction (a model that knows only coins calls every
  // object a coin and gets each test coin right): no score says anything. Shown only when it fails.
  if (scored > 0 && candidate.perClass.length >= 2 && judged.length < 2) {
    checks.push({
      name: TWO_CLASSES_CHECK,
      passed: false,
      detail:
        `only ${judged.map((c) => labelInList(c.label)).join(', ')} has test objects; no test objects for ` +
        `${listWords(unjudged.map(labelInList), TEN_NAMES)}: ` +
        'the model cannot be checked on them, and a model judged on one class is right by construction',
    });
  }
  checks.push({
    name: CLASS_F1_CHECK,
    passed: weak.length === 0,
    detail:
      (weak.length === 0
        ? unjudgedThin.length > 0
          ? `${allClasses(judged.length - unjudgedThin.length)} with at least ${minTestPerClass} test objects ` +
            `${judged.length - unjudgedThin.length === 1 ? 'has' : 'have'} F1 ≥ ${fmt(gate.min_class_f1)}`
          : `${allClasses(judged.length)} with test objects ${judged.length === 1 ? 'has' : 'have'} F1 ≥ ` +
            fmt(gate.min_class_f1)
        : `below ${fmt(gate.min_class_f1)}: ${weak.map((c) => `${labelInList(c.label)} ${fmt(c.f1)}`).join(', ')}`) +
      (thin.length > 0
        ? `; too few test objects to judge by F1 (fewer than ${minTestPerClass}, dataset.min_test_per_class): ` +
          thin.map((c) => `${labelInList(c.label)} ${fmt(c.f1)} on ${c.support}`).join(', ')
        : '') +
      (built.length > 0
        ? `; labels being built up, too few test objects to judge yet (fewer than ${minTestPerClass}, ` +
          'dataset.min_test_per_class): ' +
          built
            .map(
              (c) => `${labelInList(c.label)}, ${builtWords(building.get(c.label)!)}, F1 ${fmt(c.f1)} on ${c.support}`,
            )
            .join(', ')
        : '') +
      (unjudged.length > 0
        ? `; no test objects for ${listWords(unjudged.map(labelInList), TEN_NAMES)}: the model cannot be checked on them`
        : ''),
  });
  if (baseline) {
    const same = candidateOnBaselineObjects.macroF1.value;
    const drop = baseline.macroF1.value - same;
    checks.push({
      name: DROP_CHECK,
      passed: drop <= gate.max_macro_f1_drop + 1e-12,
      detail:
        `baseline ${fmt(baseline.macroF1.value)}, candidate ${fmt(same)} ` +
        `(${drop > 0 ? `drop ${fmt(drop)}` : `gain ${fmt(-drop)}`}), allowed drop ${fmt(gate.max_macro_f1_drop)}`,
    });
  }
  return { passed: checks.every((c) => c.passed), checks, minTestPerClass };
}

/**
 * dataset.min_test_per_class as the gate of `gate` used it: recorded (`minTestPerClass`), else read from the class
 * check's words (a metrics.json written before it was recorded names it when it left a class unjudged), else null
 * (the gate left no class unjudged, or recorded nothing).
 */
export function minTestPerClassOf(gate: Partial<Metrics['gate']> | null | undefined): number | null {
  if (!gate) return null;
  if (typeof gate.minTestPerClass === 'number' && Number.isFinite(gate.minTestPerClass)) return gate.minTestPerClass;
  const check = (gate.checks ?? []).find((c) => c?.name === CLASS_F1_CHECK);
  const said =
    typeof check?.detail === 'string' ? /fewer than (\d+), dataset\.min_test_per_class/.exec(check.detail) : null;
  return said ? Number(said[1]) : null;
}

/** A label being built up in the class check's words: "new, 5 objects", "12 objects, 5 before". */
function builtWords(label: NewLabel): string {
  const objects = `${label.objects} object${label.objects === 1 ? '' : 's'}`;
  return label.before === 0 ? `new, ${objects}` : `${objects}, ${label.before} before`;
}

/** "figurine, mask, vase", "figurine, mask and 3 more": the first ten names. */
const TEN_NAMES = { last: ',', max: 10 } as const;

/** The check of gate.min_test_objects, as checkGate names it. */
const TEST_OBJECTS_CHECK = 'labelled test objects to score';
const MACRO_F1_CHECK = 'macro-F1 at least the minimum';
const CLASS_F1_CHECK = 'every class F1 at least the minimum';
const DROP_CHECK = 'macro-F1 not more than the allowed drop below the baseline';
const UNSEEN_CHECK = 'macro-F1 on an unseen source at least the minimum';
/** The unseen-source check with evaluate.group_by's field named ("an unseen department"). */
const UNSEEN_FIELD_CHECK = /^macro-F1 on an unseen [\p{L}\p{N}_ .-]{1,60} at least the minimum$/u;

/** The one check of a metrics.json written without a gate (the report says it so: report/index.ts gateOf). */
export const NO_GATE_CHECK = 'gate checked by the evaluate stage';

/**
 * Whether `name` is one of the checks this gate makes (as checkGate and the others here name them): a fork's
 * report.json is said in the comment by these names only (actions/report/fork.ts).
 */
export function isGateCheckName(name: string): boolean {
  const names: string[] = [TEST_OBJECTS_CHECK, MACRO_F1_CHECK, TWO_CLASSES_CHECK, CLASS_F1_CHECK, DROP_CHECK];
  return names.includes(name) || name === NO_GATE_CHECK || name === UNSEEN_CHECK || UNSEEN_FIELD_CHECK.test(name);
}

/**
 * The test-object check of a collection too small to reach gate.min_test_objects: when even every object with a
 * photograph in the test split (`photographedInTest`), labelled, would be fewer than `minimum`, "label more objects"
 * cannot be done (a tester's gallery: 11 labelled test objects of 22, every photographed object labelled, and the
 * required gate check then blocked every label-fix pull request). The check then says so and names the settings a
 * maintainer can set on main (docs/metrics.md, "Small collections"): the minimum at about the labelled test objects
 * there are, and a drop allowed of about three objects' worth.
 */
export function withSmallCollectionWayOut({
  gate,
  scored,
  photographedInTest,
  minimum,
  maxDrop,
}: {
  gate: Metrics['gate'];
  /** The labelled test objects the model was scored on. */
  scored: number;
  photographedInTest: number;
  minimum: number;
  /** gate.max_macro_f1_drop now: never suggested lower. */
  maxDrop: number;
}): Metrics['gate'] {
  const check = gate.checks.find((c) => c.name === TEST_OBJECTS_CHECK && !c.passed);
  if (!check || scored === 0 || photographedInTest >= minimum) return gate;
  const { minimum: suggested, drop } = smallCollectionGate({ scored, maxDrop });
  const detail =
    `not enough evidence: ${scored} labelled test object${scored === 1 ? '' : 's'}, at least ${minimum} needed to ` +
    `judge a model (gate.min_test_objects). Even with every object labelled, this collection cannot reach ${minimum}: ` +
    `its test split holds ${photographedInTest} objects with a photograph in all. For a collection this small, a ` +
    `maintainer can set gate.min_test_objects to ${suggested} and gate.max_macro_f1_drop to ${drop} ` +
    'in params.yaml on the main branch (pull requests are judged by its gate), and set them back as the collection ' +
    'grows (docs/metrics.md, “Small collections”)';
  return { ...gate, checks: gate.checks.map((c) => (c === check ? { ...c, detail } : c)) };
}

/**
 * The gate settings for a collection too small to reach gate.min_test_objects (docs/metrics.md, "Small collections"),
 * from the labelled test objects there are (`scored`, at least 1): the minimum at about that many (rounded down to a
 * multiple of 5 from 10 on), and a drop allowed of about three objects' worth (3 ÷ that minimum), never lower than
 * `maxDrop` (gate.max_macro_f1_drop now) and at most 0.5. What the failed check names, and what vitrine init writes.
 */
export function smallCollectionGate({ scored, maxDrop }: { scored: number; maxDrop: number }): {
  minimum: number;
  drop: number;
} {
  const minimum = scored >= 10 ? Math.floor(scored / 5) * 5 : scored;
  const drop = Math.max(maxDrop, Math.min(0.5, Math.round((3 / minimum) * 100) / 100));
  return { minimum, drop };
}

/**
 * A collection that has grown out of the small-collection gate (vitrine init writes gate.min_test_objects and
 * gate.max_macro_f1_drop for one whose test split cannot reach the default, docs/metrics.md "Small collections"):
 * its test split now holds at least the default minimum of photographed objects, and params.yaml still asks for
 * fewer. The settings to set back, each with its value now and its default. Null when there is nothing to say.
 */
export type GrownCollection = NonNullable<Metrics['gate']['grown']>;

export function grownCollection({
  photographedInTest,
  gate,
}: {
  photographedInTest: number;
  gate: Pick<Params['gate'], 'min_test_objects' | 'max_macro_f1_drop'>;
}): GrownCollection | null {
  const defaults = defaultParams().gate;
  if (photographedInTest < defaults.min_test_objects || gate.min_test_objects >= defaults.min_test_objects) return null;
  const settings = [{ key: 'gate.min_test_objects', now: gate.min_test_objects, default: defaults.min_test_objects }];
  // A larger drop allowed is the other setting init writes for a small collection; a stricter one is the museum's.
  if (gate.max_macro_f1_drop > defaults.max_macro_f1_drop)
    settings.push({ key: 'gate.max_macro_f1_drop', now: gate.max_macro_f1_drop, default: defaults.max_macro_f1_drop });
  return { photographedInTest, settings };
}

/**
 * The grown collection in words, for the run's log and the report's gate section: each setting by `setting` (the
 * report shows it as code).
 */
export function grownCollectionWords({
  grown,
  setting = (key) => key,
}: {
  grown: GrownCollection;
  setting?: (key: string) => string;
}): string {
  const now = grown.settings.map((s) => `${setting(s.key)} is ${s.now}`);
  const back = grown.settings.map((s) => `${setting(s.key)} ${s.default}`);
  const them = grown.settings.length === 1 ? 'it' : 'them';
  return (
    `The collection has grown: its test split now holds ${grown.photographedInTest} objects with a photograph, ` +
    `enough for the default gate. In params.yaml, ${listWords(now)} (set lower for a small ` +
    `collection): a maintainer can now set ${them} back to the default${grown.settings.length === 1 ? '' : 's'}, ` +
    `${listWords(back)}, on the main branch (docs/metrics.md, “Small collections”).`
  );
}

/** The gate check that fails when fewer than two classes have test objects. */
export const TWO_CLASSES_CHECK = 'at least two classes with test objects';
/** The gate check that fails when a label of the vocabulary had objects at the base and has none now. */
export const LABELS_LOST_CHECK = 'no label lost all its objects';
/** The gate check that fails when more than half of the labelled objects at the base have no label now. */
export const MOST_REMOVED_CHECK = 'no more than half of the labels removed';

/**
 * Compare the labels at the base (object id → label) with the labels now, over today's vocabulary: a label
 * left out of the vocabulary is the vocabulary's change (the report says it apart), not a loss.
 */
export function labelLossOf({
  ref,
  base,
  now,
  vocabulary,
}: {
  ref: string;
  base: Map<string, string>;
  now: Map<string, string>;
  vocabulary: string[];
}): LabelLoss {
  const count = (m: Map<string, string>) => {
    const c = new Map<string, number>();
    for (const label of m.values()) c.set(label, (c.get(label) ?? 0) + 1);
    return c;
  };
  const was = count(base);
  const is = count(now);
  let removed = 0;
  for (const id of base.keys()) if (!now.has(id)) removed++;
  const lost = vocabulary
    .filter((label) => (was.get(label) ?? 0) > 0 && (is.get(label) ?? 0) === 0)
    .map((label) => ({ label, objects: was.get(label)! }));
  return { ref, before: base.size, removed, lost };
}

/**
 * "5 labels lost all their objects: figurine, mask, …; 248 labels removed (of 300)": null when neither a label
 * lost all its objects nor most labels were removed (a change that makes the comparison meaningless).
 */
export function labelLossWords(loss: LabelLoss | undefined): string | null {
  if (!loss) return null;
  if (loss.lost.length === 0 && !mostRemoved(loss)) return null;
  const names = listWords(
    loss.lost.map((l) => l.label),
    TEN_NAMES,
  );
  const lost =
    loss.lost.length === 0
      ? ''
      : loss.lost.length === 1
        ? `1 label lost all its objects: ${names}; `
        : `${loss.lost.length} labels lost all their objects: ${names}; `;
  const removed = `${loss.removed} label${loss.removed === 1 ? '' : 's'} removed (of ${loss.before} at ${loss.ref})`;
  return `${lost}${removed}`;
}

/** More than half of the labelled objects at the base have no label now. */
function mostRemoved(loss: LabelLoss): boolean {
  return loss.removed > 0 && 2 * loss.removed > loss.before;
}

/**
 * A label of the vocabulary with objects at the base and none now fails the gate: the model can no longer
 * recognise it, so it would publish those objects under the labels that are left, and the test split cannot
 * show it (a vanished label has no test objects). A label new to the vocabulary and not labelled yet had none
 * at the base either: it only goes unchecked, as in "every class F1". With no label lost, more than half of the
 * labelled objects losing their label fails it too (MOST_REMOVED_CHECK). Shown only when it fails.
 */
export function withLabelLossCheck({
  gate,
  loss,
  unmatched = null,
}: {
  gate: Metrics['gate'];
  loss: LabelLoss | null;
  /** Why renumbered objects were not matched with their old numbers (base-labels.ts renumberingUnmatched): said too. */
  unmatched?: string | null;
}): Metrics['gate'] {
  if (!loss) return gate;
  // A renumbered object's label counts as removed when its old number could not be matched: the check says why.
  const why = unmatched ? `. ${unmatched.replace(/\.$/, '')}` : '';
  if (loss.lost.length === 0) {
    if (!mostRemoved(loss)) return gate;
    // Every label keeps some objects, but most are gone: scored and trained on the few left, the model cannot be
    // judged against the labels it started from (a filter left on in a spreadsheet, a bad merge).
    const most = {
      name: MOST_REMOVED_CHECK,
      passed: false,
      detail:
        `${labelLossWords(loss)}: more than half of the labelled objects lost their label, so this model cannot be ` +
        'judged against the labels it started from. If not meant, restore their lines in labels.csv. If meant, ' +
        // On main the base is the commit of the model in production: a removal that was meant fails every later
        // run until a new model is promoted, which this check stops. evaluate.baseline: none reads no base labels
        // (and a pull request is judged by the base branch's value, so it is set on main).
        'set evaluate.baseline to none in params.yaml on the main branch for one run: it then judges the model on ' +
        'its own scores, as a first model, without the model in production or its labels, so it can be ' +
        `promoted; then set evaluate.baseline back to prod${why}`,
    };
    return { ...gate, passed: false, checks: [...gate.checks, most] };
  }
  const n = loss.lost.reduce((s, l) => s + l.objects, 0);
  const check = {
    name: LABELS_LOST_CHECK,
    passed: false,
    detail:
      `${labelLossWords(loss)}. ${loss.lost.length === 1 ? 'Its' : 'Their'} ${n === 1 ? 'object' : `${n} objects`} ` +
      'would be published under the labels that are left: restore ' +
      `their lines in labels.csv, or take the labels out of collection.vocabulary if that is meant${why}`,
  };
  return { ...gate, passed: false, checks: [...gate.checks, check] };
}

/** The gate check that fails when labels.csv names objects by ids a spreadsheet changed ("1" for "00001"). */
export const SPREADSHEET_IDS_CHECK = 'no label lost to an id a spreadsheet changed';

/**
 * Labels lost to ids a spreadsheet changed (spreadsheetLosses: "1" for "00001", a date for 2019/4/3) fail the gate:
 * a broken edit, not a labelling decision, and merged it would publish those objects without their staff label
 * (a tester's Excel save passed as "no detectable difference"). Shown only when it fails.
 */
export function withSpreadsheetIdsCheck({
  gate,
  losses,
}: {
  gate: Metrics['gate'];
  losses: readonly SpreadsheetLoss[];
}): Metrics['gate'] {
  const words = spreadsheetLossWords({ losses });
  if (!words) return gate;
  return {
    ...gate,
    passed: false,
    checks: [...gate.checks, { name: SPREADSHEET_IDS_CHECK, passed: false, detail: words.long }],
  };
}

/**
 * gate.min_unseen_macro_f1 (0: not checked): the out-of-collection estimate (evaluate.group_by) must
 * reach it, so a model that only works on the photographs it knows is not promoted.
 */
export function withUnseenSourceCheck({
  gate,
  estimate,
  minimum,
  why = null,
}: {
  gate: Metrics['gate'];
  /** null when none could be made (no evaluate.group_by, fewer than two groups, or no cross-validation). */
  estimate: Metrics['outOfCollection'] | null;
  minimum: number;
  /** Why evaluate.group_by gave none (groupByProblem: a field no object has, or one value only), when it was set. */
  why?: string | null;
}): Metrics['gate'] {
  if (minimum <= 0) return gate;
  if (!estimate) {
    const missing = {
      name: UNSEEN_CHECK,
      passed: false,
      detail: why
        ? `not measured: gate.min_unseen_macro_f1 is ${fmt(minimum)}, but this run has no estimate on an unseen ` +
          `source: ${why} Correct evaluate.group_by in params.yaml, or set gate.min_unseen_macro_f1 to 0 to leave ` +
          'the check out'
        : `not measured: gate.min_unseen_macro_f1 is ${fmt(minimum)}, but this run has no estimate on an unseen ` +
          'source (it needs evaluate.group_by naming a field with at least two values, and evaluate.folds above 0). ' +
          'Set those in params.yaml, or set gate.min_unseen_macro_f1 to 0 to leave the check out',
    };
    return { ...gate, passed: false, checks: [...gate.checks, missing] };
  }
  const value = estimate.macroF1.value;
  const check = {
    name: `macro-F1 on an unseen ${estimate.field} at least the minimum`,
    passed: value >= minimum,
    detail: `macro-F1 ${fmt(value)} with each ${estimate.field} held out, minimum ${fmt(minimum)}`,
  };
  const checks = [...gate.checks, check];
  return { ...gate, passed: checks.every((c) => c.passed), checks };
}

/**
 * A setting that decides the verdict which a pull request changes: the base branch's value (in force) and the
 * head's (proposed).
 */
export interface GateChange {
  /** The setting's dotted key: any that decides the verdict (VERDICT_SETTINGS in pipeline/github/verdict-settings.ts). */
  key: string;
  base: unknown;
  head: unknown;
}

/**
 * Plain words (not Markdown) for a pull request that changes the gate: which settings, old → new, and
 * that it was judged by the base branch's gate. The proposed gate applies once the change is merged,
 * so nobody passes their own pull request by lowering the bar in it.
 */
export function proposedGateNote({ changes }: { changes: GateChange[] }): string {
  // A fork's values: cut short (the caller escapes them for Markdown; evaluate.baseline is now a stage or version).
  const show = (v: unknown) => (typeof v === 'number' ? String(v) : shorten(JSON.stringify(v) ?? String(v), 40));
  const list = changes.map((c) => `${c.key} ${show(c.base)} → ${show(c.head)}`).join(', ');
  // The model's name and the test split decide the verdict too, though they are not the gate's.
  const what = changes.every((c) => c.key.startsWith('gate.') || c.key === 'evaluate.baseline')
    ? 'the promotion gate'
    : 'settings that decide its verdict';
  return (
    `This pull request changes ${what} (${list}). It was judged by the base branch's params.yaml settings, the ` +
    'rules in force; the new ones apply to pull requests after this one is merged.'
  );
}

/** "all 3 classes", or "the 1 class" (a registrar read "all 1 labels"). */
function allClasses(n: number): string {
  return n === 1 ? 'the 1 class' : `all ${n} classes`;
}
