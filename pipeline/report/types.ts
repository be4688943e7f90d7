import type { SpreadsheetLoss } from '../dataset/validate.ts';
import type { WithdrawnLabels } from '../registry/withdrawn-words.ts';
import type { Interval, LabelLoss, Prediction, Split, Verdict } from '../types.ts';
import type { CatalogueStatus } from './catalogue.ts';
import type { RepeatedLines } from './repeated-lines.ts';
import type { SavedDifferently } from './saved-as.ts';
import type { TabbedLabel } from './tabbed-labels.ts';
import type { UnknownId } from './unknown-ids.ts';

/** The hidden first line of Vitrine's pull-request comment, so the next run edits it instead of adding one. */
export const REPORT_MARKER = '<!-- vitrine:report -->';

/** One test object's answers from the evaluate stage: `.vitrine/evaluate/predictions.json` holds an array of these. */
export interface TestPrediction {
  id: string;
  /** The human label it was scored against. */
  label: string;
  candidate: Prediction;
  baseline: Prediction | null;
}

/**
 * Why a report has no base, for code to decide on: `on-branch` (the run is on collection.branch itself, so it
 * promotes), `merged` (the commit is already part of that branch), `no-branch` (the clone lacks it),
 * `short-history` (a shallow history does not reach the branch point), `not-git`. The words shown are `noBaseReason`.
 */
export type NoBaseCode = 'on-branch' | 'merged' | 'no-branch' | 'short-history' | 'not-git';

/** An object whose human label differs between the base and the head of the pull request. */
export interface LabelChange {
  id: string;
  kind: 'changed' | 'added' | 'removed';
  /** Label at the base (null when added). */
  before: string | null;
  /** Label at the head (null when removed). */
  after: string | null;
  /** Line in the head's labels.csv (or the base's when removed). */
  line: number;
  /**
   * The label was renamed (metrics.json `labelRenames`: `before` is the old name, `after` the new): the object kept
   * its label, which this pull request did not change in meaning. A straggler of a rename (its label moved to
   * another) is not renamed.
   */
  renamed?: boolean;
  title: string;
  /** Where the object sits in the dataset; null when the dataset does not have it. */
  split: Split | null;
  /**
   * What the candidate model predicts: from the evaluate stage for test objects, asked by the report
   * for training and validation objects (`seenInTraining`: the model learned from or was tuned on the
   * object, so its answer is not a test score).
   */
  candidate: { label: string; confidence: number; seenInTraining?: boolean } | null;
  /**
   * For an object outside the test set: what a model trained without it says (its out-of-fold answer
   * from cross-validation, `.vitrine/evaluate/oof.json`, on the labels now), the figure "Objects that
   * look mislabelled" is made from. `candidate` learned this object's label, so it mostly repeats it.
   * (Absent without cross-validation and in older reports.)
   */
  heldOut?: { label: string; confidence: number };
  /** What the production model predicted (test objects only, when there is a baseline). */
  baseline: { label: string; confidence: number } | null;
  /**
   * True when labels.csv gives the object a label but dataset.json has none for it: the dataset
   * stage skipped the line (usually a label outside the collection's vocabulary), so no model
   * learned from it. (Absent in reports from before it existed.)
   */
  skipped?: boolean;
  /**
   * The new label is outside the vocabulary and other objects in labels.csv have it too: one of the collection's
   * labels that the model does not learn, not a typo. (Absent otherwise, and in older reports.)
   */
  keptOutside?: boolean;
  /** Thumbnail and object page on the published catalogue, when its URL is configured. */
  thumbnailUrl: string | null;
  pageUrl: string | null;
  /**
   * The object's photograph cannot be used (UnusablePhoto's reason): no model learned from or was tested on this label.
   * (Absent when the photograph is fine, and in older reports.)
   */
  photoUnusable?: string;
  /** The catalogue is published but has no thumbnail for this object yet (new in the pull request). */
  notInCatalogue?: boolean;
  /**
   * The catalogue shows this object's photograph small only or not at all for its rights (catalogue.images): it has
   * no thumbnail the report can link, only the page. (Absent when shown in full, and in older reports.)
   */
  withheld?: 'thumbnail' | 'none';
  /**
   * A 'removed' change whose object is still in the head's labels.csv, on lines that disagree (another label, or a
   * label cell left empty: `label` ''): the dataset stage leaves it unlabelled until only one line is left
   * (dataset/validate.ts agreedLines). Its lines at the head, in order. (Absent otherwise, and in older reports.)
   */
  disagreeing?: { line: number; label: string }[];
  /**
   * A 'removed' change whose object's only lines at the head are still there with the label cell empty: those lines.
   * (Absent otherwise, and in older reports.)
   */
  emptyLines?: number[];
  /**
   * A line whose object id is not in the collection but is one object's id written another way, with the dataset
   * stage's "Did you mean" (unknown-ids.ts): on that object's 'removed' change when the pull request retyped its id,
   * else on the 'added' change of the line. (Absent otherwise, and in older reports.)
   */
  unknownId?: UnknownId;
  /**
   * The label now is longer than a label may be (overLimit's words: "491 characters long (491 bytes in UTF-8; at most
   * 100)"), a text pasted into the cell by mistake, which the dataset stage skips; `after` keeps its beginning only.
   * (Absent otherwise, and in older reports.)
   */
  labelTooLong?: string;
}

/** An object whose photograph the dataset stage could not use (dataset.json's issues): no picture, out of training. */
export interface UnusablePhoto {
  id: string;
  title: string;
  /** The file data/objects.csv names ("data/images/DM-0001.jpg"); null when not known. */
  file: string | null;
  /**
   * The file as the export names it, when import refused it (data/.refused-images.json): the object has none in
   * data/, and the fix is a good copy in the export, imported again. (Absent otherwise, and in older reports.)
   */
  exportFile?: string;
  /**
   * Its file in data/ is the one the last import stored from the export (data/.imported-objects.csv names it): the
   * fix is in the export too, imported again: until it is, a re-import under on_invalid "fail" stops on the
   * export's file (import never copies a file it cannot use). Only while the file still has the bytes import stored
   * (data/.imported-photographs.json), or when import kept no record of them. (Absent otherwise.)
   */
  fromExport?: true;
  /** With fromExport: the export's name of the file ("photos\\2019\\bombe.png"), where import recorded it. */
  exportedAs?: string;
  /**
   * Its file in data/ is the one the last import stored from the export, but it was changed (or taken away) since,
   * by hand or by another program: the export's copy is as import stored it, so importing again puts it back.
   * (Absent otherwise, and in older reports.)
   */
  changedSinceImport?: true;
  /**
   * The path data/objects.csv names leads outside data/ ("../params.yaml", "/etc/passwd"), as it names it (normalised):
   * no file to replace, and `file` is null; the fix is a path inside data/. (Absent otherwise, and in older reports.)
   */
  outsideData?: string;
  /** The dataset stage's issue code (IMAGE_UNREADABLE, IMAGE_TOO_LARGE, OBJECT_NO_IMAGE…). */
  code: string;
  /**
   * Its picture is given to many objects (IMAGE_PLACEHOLDER; Dataset.standIns): the first object's file, and how many
   * share it. The comment lists such objects once. (Absent otherwise, and in older reports.)
   */
  standIn?: { image: string; objects: number };
  /** Why, in plain words. */
  reason: string;
  /** labels.csv gives it a label (which no model can learn from without the photograph). */
  labelled: boolean;
  /**
   * True when this pull request made it unusable (its file is new or changed since the base, or the pixel limit was
   * lowered); false when it already was at the base; null when the base's photographs could not be compared.
   */
  newInChange: boolean | null;
}

/** An object whose row in data/objects.csv this pull request changed, field by field (the comment's names). */
export interface EditedObject {
  id: string;
  /**
   * `photograph file`: the file data/objects.csv names; `photograph`: another picture under the same file name
   * (`before` and `after` the md5 of its bytes).
   */
  fields: { name: string; before: string; after: string }[];
  /** Its label in labels.csv, when its photograph changed: staff check it still fits the new picture. */
  label?: string;
  /**
   * When its photograph changed: the other objects whose photograph file holds the same bytes now (data.dvc's
   * listing), each with its label (none when unlabelled). Another object's photograph given to this one, or a label
   * that does not fit: the dataset stage warns of the same when the labels differ.
   */
  samePhotograph?: { id: string; label?: string }[];
  /** How many other objects have that photograph: samePhotograph lists the first 10, those under another label first. */
  samePhotographCount?: number;
}

/**
 * What a pull request changed of data/objects.csv's rows: columns filled or emptied for many objects at once, said
 * once; then the objects whose other fields changed (`count` of all, the first 100 listed, those whose photograph
 * changed first; `photographs`: how many of them changed their photograph file or the picture in it, the one field
 * the model reads).
 */
export interface ObjectsEdited {
  columns: EditedColumn[];
  count: number;
  photographs: number;
  /**
   * How many of the `count` have a new photograph that is another object's under another label (samePhotograph), all
   * of them, not only those listed. Absent in older reports: count those listed.
   */
  copied?: number;
  objects: EditedObject[];
}

/** A column of data/objects.csv filled for the first time, or emptied (or gone), for many objects at once. */
export interface EditedColumn {
  name: string;
  /** renamed: its values are now under the column `to`. */
  change: 'added' | 'emptied' | 'renamed';
  to?: string;
  /** Objects it has a value for now (added) or had one for (emptied). */
  objects: number;
}

/** An object the base's data/objects.csv has and the head's not: its page leaves the catalogue on merge. */
export interface RemovedObject {
  id: string;
  /** Its title at the base. */
  title: string;
  /** labels.csv at the head still has a line for it (which names no object now). */
  labelled: boolean;
  /** The number it comes back under: a new row with the same photograph (its md5). Absent: it leaves. */
  renumbered?: string;
  /**
   * Its row at the head, with an id the dataset stage refuses (a zero-width space or a direction mark added:
   * OBJECT_ID_UNSEEN_CHARACTER), as written there. Absent: its row is gone.
   */
  refusedAs?: string;
}

/** A params value that differs between base and head, like `dvc params diff`. */
export interface ParamChange {
  key: string;
  /** JSON of the value at the base (null: absent there). */
  before: unknown;
  after: unknown;
}

export interface GateCheck {
  name: string;
  passed: boolean;
  detail: string;
}

/** A label whose publication this change moves noticeably (pipeline/report/publication.ts): production, then now. */
export interface PublicationChange {
  label: string;
  /** The confidence a guess of the label needs to be published; null: none is. */
  threshold: { base: number | null; head: number | null };
  /** Labelled objects the model guesses are of this label (out-of-fold). */
  guessed: { base: number; head: number };
  /** Of those, the guesses below the threshold: they would wait for staff. */
  heldBack: { base: number; head: number };
  /** Share of the label's guesses published; null when it has none. */
  coverage: { base: number | null; head: number | null };
  /** The sentence the comment says, plain text ("textile: 52 guesses would wait for staff instead of 13 (…)"). */
  words: string;
}

/** Publication per label compared with the model in production (its metrics.json's `publication.byLabel`). */
export interface PublicationComparison {
  /** The version in production compared with. */
  baseVersion: string;
  /** annotate.min_precision then and now. */
  minPrecision: { base: number; head: number };
  /** Guesses of the labelled objects that would wait for staff, every label together. */
  heldBack: { base: number; head: number };
  /** Labels whose publication changed noticeably, largest change first; empty when none did. */
  changes: PublicationChange[];
}

/**
 * 'not comparable': the change removes labels wholesale (a label lost all its objects, or most labels were removed),
 * so no score can say it makes the model better (metrics.json's labelLoss). 'not scored': no labelled object is in
 * the test split, so evaluate scored nothing (its zeros are not scores). 'check label changes': judged on every
 * labelled object the labels now fit better, but before the change the photographs mostly pointed to the old labels
 * of the objects relabelled (labelsToCheck, `labelsToCheck` below): staff must say whether the change is deliberate.
 */
export type ReportVerdict = Verdict | 'first model' | 'not comparable' | 'not scored' | 'check label changes';

/** `.vitrine/report/report.json`: what the comment says, as data (the report action reads it). */
export interface ReportJson {
  schema: 'vitrine.report/1';
  createdAt: string;
  /** The first line of the comment, plain text. */
  headline: string;
  /**
   * What report.json left out to stay within the fork check's limits (json-limits.ts), in plain words ("report.json
   * lists the first 100,000 of 100,001 label changes"). Absent when nothing.
   */
  leftOut?: string[];
  /** The warnings said right under the first line (opening.ts), plain text, most serious first. Absent when none. */
  openingWarnings?: string[];
  verdict: ReportVerdict;
  /**
   * The promotion gate exactly as the evaluate stage checked it (`gate` in metrics.json, the one
   * promotion uses). `stale`: params.yaml's gate has changed since, so evaluate must run again.
   */
  gate: {
    passed: boolean;
    checks: GateCheck[];
    stale?: boolean;
    /** metrics.json evaluated another model than the one in .vitrine/model (`inputs.model`): evaluate must run again. */
    otherModel?: boolean;
  };
  /**
   * The published catalogue the thumbnails come from: its address, where that came from and
   * whether it answered. (Absent in reports from before it existed.)
   */
  catalogue?: CatalogueStatus;
  /** The collection's name from params.yaml (absent in reports from before it existed). */
  collectionName?: string;
  /** Name of the commit status that carries the gate (`report.status_context` in params.yaml). */
  statusContext: string;
  /**
   * Objects whose photograph cannot be used (damaged, unreadable, too large, missing), those this pull request broke
   * first; `comparedWithBase`: the base's photographs (its data.dvc listing in the DVC cache) could be compared, so
   * `newInChange` is true or false. Absent without a dataset.json and in reports from before it existed.
   */
  unusablePhotos?: { objects: UnusablePhoto[]; comparedWithBase: boolean };
  /**
   * Labels this pull request sets (changed or added) that the check of every label flags as likely wrong: said in
   * the first line, never under a green tick. Absent when none, and in reports from before it existed.
   */
  labelsThatLookWrong?: { id: string; label: string; suggested: string }[];
  /**
   * Verdict 'check label changes': of the `relabelled` objects, the `old` whose photographs pointed to their old label
   * before the change (metrics.json's crossValidated.before), some of them with their titles. Absent otherwise.
   */
  labelsToCheck?: {
    relabelled: number;
    old: number;
    objects: { id: string; title: string; old: string; new: string }[];
  };
  /**
   * The version in production whose very model was evaluated: this pull request changes nothing the model learns
   * from (a title, say), so merging it registers no new version. Absent otherwise, and in older reports.
   */
  sameModelAs?: string;
  /**
   * The version a rollback took out of production whose very model was evaluated (registry/rolled-back.ts), and the
   * version in production: merging registers no new version and does not put it back. Absent otherwise.
   */
  rolledBackModel?: string;
  rolledBackProd?: string | null;
  /**
   * The model in production was put back by a rollback, and labels.csv still holds label changes the version it
   * withdrew learnt (registry/withdrawn-labels.ts): the model tested learns them again. Absent otherwise.
   */
  withdrawnLabels?: WithdrawnLabels;
  /** Object records (rows of data/objects.csv) changed since the base: `count` of all, the first 100 listed. */
  objectsEdited?: ObjectsEdited;
  /**
   * Objects whose rows this pull request removes from data/objects.csv (their pages leave the catalogue), in the base's
   * order; empty when none. Absent without a base, when the base's data/objects.csv is neither in git nor in the local
   * DVC cache, and in reports from before it existed.
   */
  objectsRemoved?: { objects: RemovedObject[] };
  /** Files under .github/, actions/ and pipeline/ that differ from the base (the code that judges). Absent: none. */
  codeChanged?: string[];
  /**
   * Publication per label against the model in production. Absent when there is none, or when its metrics.json or
   * this one has no per-label figures (evaluated before they were recorded, or without cross-validation).
   */
  publication?: PublicationComparison;
  comparison: null | {
    metric: 'macroF1' | 'accuracy';
    baselineVersion: string;
    baseline: number;
    candidate: number;
    difference: Interval;
    /** evaluate.alpha as the test used it (metrics.json): the range is its (1 − alpha) one. Absent before. */
    alpha?: number;
    pValue: number;
    test: string;
  };
  labels: {
    baseCommit: string | null;
    headCommit: string | null;
    /**
     * Set when a base was asked for but the clone lacks it and fetching it failed: the branch or
     * commit asked for and why it could not be fetched. (Absent in reports from before it existed.)
     */
    baseUnavailable?: { ref: string; reason: string } | null;
    /**
     * What the base is called ("main"); `branchPoint`: the commit where this branch left it (no pull
     * request named a base). Null without a base. (Absent in reports from before it existed.)
     */
    baseName?: { name: string; branchPoint: boolean } | null;
    /** Why there is no base, in plain words ("this run is on main itself"). (Absent in older reports.) */
    noBaseReason?: string | null;
    /** The same as a code, which decisions go by: the words may be reworded. (Absent in older reports.) */
    noBaseCode?: NoBaseCode | null;
    /** All changes (report.json: the first 100,000); the comment lists at most `report.max_label_changes`. */
    changes: LabelChange[];
    /**
     * report.json only: the hint most changes' `unknownId` share, said once (json-limits.ts), their `hint` then ''.
     * Absent otherwise.
     */
    unknownIdHint?: string;
    /**
     * `skipped`: changed or added lines the dataset stage did not use; `disagreeing`: of the `removed`, those whose
     * object is on lines that disagree; `unknownIds`: changes with `unknownId`, those whose id is far too long among
     * them (both absent in older reports).
     */
    counts: {
      changed: number;
      added: number;
      removed: number;
      skipped?: number;
      disagreeing?: number;
      unknownIds?: number;
    };
    /**
     * True when labels.csv changed since the dataset stage last read it (lock.json), so `skipped` lines may only be new
     * to it. Absent otherwise, and when the lock does not say what it read.
     */
    datasetStale?: boolean;
    /**
     * True when labels.csv changed after the dataset stage read it (a colleague's edit saved while the run trained):
     * the changes are those of labels.csv as that stage read it, which the model learnt. Absent otherwise.
     */
    changedSinceRead?: boolean;
    /**
     * labels.csv as committed at the head is saved with other line ends, or another byte-order mark, than at the base
     * (Excel's "CSV UTF-8"): git's diff then shows every line (or the first) as changed. Absent when they agree.
     */
    savedDifferently?: SavedDifferently;
    /** The collection's labels (dataset.json's vocabulary); absent when there is no dataset.json. */
    vocabulary?: string[];
    /**
     * Labels the base's collection.vocabulary has and the head's not, each with the objects labels.csv gives it
     * (no longer trained on or tested). Absent when none.
     */
    vocabularyRemoved?: { label: string; objects: number }[];
    /**
     * Labels the head's collection.vocabulary has and the base's not (a rename's new name aside), each with the objects
     * labels.csv gives it: learnt and judged for the first time. Absent when none, and in older reports.
     */
    /** `notJudged`: a label being built up (metrics.json's newLabels), learnt but too few in the test split to judge. */
    vocabularyAdded?: { label: string; objects: number; notJudged?: true }[];
    /**
     * Objects on more than one line of labels.csv at the head, every line with the same label (kept: only the extra
     * lines are to remove), in the order of their first line. Absent when none, and in older reports.
     */
    repeatedLines?: RepeatedLines[];
    /** Lines of labels.csv at the head whose label holds a tab, read as a space. Absent when none, and in older reports. */
    tabbedLabels?: TabbedLabel[];
    /** Objects labels.csv labels at the base, as the dataset stage counts them. Absent without a base, and in older reports. */
    labelledAtBase?: number;
    /**
     * The change removes labels wholesale (metrics.json's labelLoss: a label of the vocabulary lost all its
     * objects, or most labels were removed since the base evaluate compared with): the verdict is then never
     * "better" ('not comparable' instead). Absent otherwise.
     */
    labelLoss?: LabelLoss & { words: string };
    /**
     * Objects that labels.csv names by their ids as a spreadsheet changed them ("1" for "00001") and that have no
     * label now (spreadsheetLosses, the evaluate stage's gate check): said first. Absent when none.
     */
    spreadsheetIds?: SpreadsheetLoss[];
  };
  lineage: {
    data: string;
    /**
     * The folder hash of data/ as the dataset stage read it, when that differs from `data` (data.dvc's): a branch
     * checked out without `data checkout` trains on data/ as it is. Absent otherwise.
     */
    dataUsed?: string;
    /**
     * With `dataUsed`: the dataset stage read it after the model was trained and scored (they were skipped, as nothing
     * they read changed), so the model and its scores are not said to be made of it. Absent otherwise.
     */
    dataUsedAfterModel?: true;
    labelsHash: string;
    labelsCommit: string | null;
    headCommit: string | null;
    baseCommit: string | null;
    params: ParamChange[];
    backend: string;
    backbone: string;
    runUrl: string | null;
    stages: { name: string; durationMs: number; summary: string }[];
  };
}
