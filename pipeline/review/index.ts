import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { labelInList } from '../collection/vocabulary.ts';
import { hashFile } from '../data/hash.ts';
import { VitrineError } from '../errors.ts';
import type { OofFile } from '../evaluate/oof.ts';
import { clip } from '../log.ts';
import type { Workspace } from '../paths.ts';
import type { Split, StandIn } from '../types.ts';
import { listWords } from '../words.ts';
import { confidentThresholds, findLabelIssues, normalizedMargin } from './confident-learning.ts';
import { LABEL_ISSUE_MIN } from './label-issue.ts';
import {
  ALIKE_KEY,
  alikeGroupWords,
  alikeWords,
  conflictingGroups,
  conflictingPairs,
  type LookAlike,
  samePhotographPairs,
} from './look-alike.ts';

/*
 * The review queue of labels: every labelled object whose out-of-fold prediction disagrees with its
 * label, ranked by how likely the label is wrong (1 − normalized margin, as cleanlab ranks label
 * issues). Those in confident learning's count are marked `confident`: they are the ones
 * `train.flagged` leaves out of training. That count is filled by rank, and calibrating it can make
 * it larger than the objects that reached the per-class threshold (a weak model's pick at 27%): so
 * `reason` says which are flagged (in the count and at the threshold) and which are only ranked.
 */

/** One object whose label may be wrong. */
export interface ReviewItem {
  id: string;
  /** The label it has in labels.csv. */
  label: string;
  /** The label the model proposes (its most probable one, out of fold). */
  suggested: string;
  /** In 0..1, higher = the label more likely wrong: 1 − (p(label) − max other p + 1) / 2. */
  score: number;
  /** Out-of-fold probability of `suggested`. */
  confidence: number;
  /** In confident learning's count (cleanlab's prune_by_noise_rate): what train.flagged: drop leaves out. */
  confident: boolean;
  /**
   * Why it is listed: `flagged`, confident learning flags it (in its count, and its probability of
   * `suggested` reaches that label's threshold); `ranked`, only for ranking high among the disagreements
   * ("worth a look"). Absent in lists written before it was recorded.
   */
  reason?: ReviewReason;
  /** Confident learning's threshold for `suggested`: the mean probability of it over objects labelled so. */
  threshold?: number | null;
  split: Split;
  /**
   * A flagged object whose nearest labelled photograph is almost the same and carries the suggested label, flagged
   * the other way (look-alike.ts): at least one of the two labels is probably wrong, and the model cannot say which.
   */
  lookAlike?: LookAlike;
  /**
   * One of three or more flagged objects with very similar photographs and labels that disagree (look-alike.ts): the
   * others, closest first. At least one of their labels is probably wrong. `lookAlike` is still the one it is paired
   * with, as in lists written before groups were recorded (absent for a member left without a partner).
   */
  lookAlikes?: LookAlike[];
}

/** Why an object is in the review list: confident learning flags it, or it only ranks high. */
export type ReviewReason = 'flagged' | 'ranked';

/**
 * How often a model trained without an object names its label, averaged over the labels (balanced
 * accuracy), against guessing, which gets 1 in k right on that average whatever it guesses. Until the
 * model is clearly better (one-sided test, 5%), its disagreements say nothing about the labels: a
 * small or new collection's first model can be at chance.
 */
export interface Agreement {
  /** Per label, the share of its objects whose out-of-fold prediction is that label; averaged. */
  accuracy: number;
  /** 1 / the number of labels in use. */
  guessing: number;
  better: boolean;
  /** Labels with at least one labelled object (absent in lists written before it was recorded). */
  labelsInUse?: number;
}

/** `.vitrine/evaluate/review.json` */
export interface ReviewFile {
  schema: 'vitrine.review/1';
  labels: string[];
  /** Labelled objects looked at (every one with an out-of-fold prediction). */
  checked: number;
  /** Absent in review lists written before it existed. */
  agreement?: Agreement;
  /** How many items are in confident learning's count (`confident`). */
  confident: number;
  /** How many items are flagged (`reason` flagged); absent in lists written before it was recorded. */
  flagged?: number;
  /** Most likely wrong first. */
  items: ReviewItem[];
  /**
   * train.flagged: drop: the training and validation objects the model was trained without (model-info.json
   * `flagged`), found by this same check made before training. In a collection larger than evaluate.cv_max_objects
   * the check made at evaluation can learn from other objects (a change's labels are always learnt from there), and
   * flag others. Absent with train.flagged: keep.
   */
  leftOut?: string[];
}

/**
 * The review queue from out-of-fold predictions. `vectors` (object id → its photograph's embedding), when given,
 * tells flagged objects that are look-alikes of each other with conflicting labels (look-alike.ts).
 */
export function reviewFromOof({
  oof,
  vectors,
}: {
  oof: OofFile;
  vectors?: Map<string, ArrayLike<number>>;
}): ReviewFile {
  const classes = oof.labels.length;
  const y = oof.objects.map((o) => oof.labels.indexOf(o.label));
  const probs = oof.objects.map((o) => o.probabilities);
  const agreement = agreementOf({ y, probs, labels: oof.labels });
  // A model at chance flags labels at random: confident learning's picks are kept only from one that learnt.
  const issues = agreement.better ? findLabelIssues({ y, probs, classes }) : [];
  const flagged = new Set(issues.map((i) => i.index));
  const look = vectors && {
    vectors: oof.objects.map((o) => vectors.get(o.id)),
    y,
    flagged: new Map(issues.map((i) => [i.index, i.suggested])),
  };
  const pairs = look ? conflictingPairs(look) : new Map<number, { other: number; similarity: number }>();
  const groups = look ? conflictingGroups(look) : new Map<number, { other: number; similarity: number }[]>();
  // One photograph under two labels is a pair even when the model flags only one of the two (samePhotographPairs).
  const same = look
    ? samePhotographPairs({ ...look, taken: new Set([...pairs.keys(), ...groups.keys()]) })
    : new Map<number, { other: number; similarity: number }>();
  for (const [i, pair] of same) pairs.set(i, pair);
  const thresholds = confidentThresholds({ y, probs, classes });
  const items: ReviewItem[] = [];
  oof.objects.forEach((o, i) => {
    const row = probs[i]!;
    // A broken prediction (NaN from a failed head) says nothing about the label.
    if (!row.every(Number.isFinite)) return;
    let most = 0;
    for (let j = 1; j < classes; j++) if (row[j]! > row[most]!) most = j;
    // The model agrees with the label: listed only beside an object with the same photograph and another label.
    const partner = same.get(i);
    const agrees = most === y[i] || row[most] === row[y[i]!];
    if (agrees && !partner) return;
    const best = agrees && partner ? y[partner.other]! : most;
    const threshold = Number.isFinite(thresholds[best]) ? thresholds[best]! : null;
    // The same tolerance as the confident joint's count.
    const reached = threshold !== null && row[best]! >= threshold - 1e-6;
    items.push({
      id: o.id,
      label: o.label,
      suggested: oof.labels[best]!,
      score: round(1 - normalizedMargin(row, y[i]!)),
      confidence: row[best]!,
      confident: flagged.has(i),
      reason: flagged.has(i) && reached ? 'flagged' : 'ranked',
      threshold: threshold === null ? null : round(threshold),
      split: o.split,
      ...lookAlikeOf(pairs.get(i), oof),
      ...lookAlikesOf(groups.get(i), oof),
    });
  });
  // The two of a pair, or the objects of a group, side by side where the highest of them ranks.
  const score = new Map(items.map((i) => [i.id, i.score]));
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const key = (i: ReviewItem) => {
    let first = i.id;
    let top = i.score;
    for (const { id } of i.lookAlikes ?? (i.lookAlike ? [i.lookAlike] : [])) {
      const other = score.get(id) ?? 0;
      if (other > top || (other === top && byId(id, first) < 0)) [first, top] = [id, other];
    }
    return { score: top, first };
  };
  items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return kb.score - ka.score || byId(ka.first, kb.first) || b.score - a.score || byId(a.id, b.id);
  });
  return {
    schema: 'vitrine.review/1',
    labels: oof.labels,
    checked: oof.objects.length,
    agreement,
    confident: items.filter((i) => i.confident).length,
    flagged: items.filter((i) => i.reason === 'flagged').length,
    items,
  };
}

export { LABEL_ISSUE_MIN } from './label-issue.ts';

/**
 * The staff labels that may be wrong, as the catalogue's review queue counts them: flagged, or scored at
 * LABEL_ISSUE_MIN or more; none from a model no better than guessing (its disagreements say nothing of the labels).
 * The evaluate stage's summary gives this count, so that it and the catalogue's agree.
 */
export function labelsThatMayBeWrong(review: ReviewFile): ReviewItem[] {
  if (review.agreement?.better === false) return [];
  return review.items.filter((i) => reasonOf(i, review.agreement) === 'flagged' || i.score >= LABEL_ISSUE_MIN);
}

/**
 * Why an item is listed. A list written before `reason` was recorded says only `confident`: flagged
 * from a model that learnt its labels well, worth a look from a weak one (its picks are hints).
 */
export function reasonOf(item: ReviewItem, agreement: Agreement | undefined): ReviewReason {
  if (item.reason) return item.reason;
  return item.confident && agreement?.better !== false && !isWeak(agreement) ? 'flagged' : 'ranked';
}

function agreementOf({ y, probs, labels }: { y: number[]; probs: number[][]; labels: string[] }): Agreement {
  const total = labels.map(() => 0);
  const right = labels.map(() => 0);
  y.forEach((label, i) => {
    total[label]!++;
    // A tie at the top earns its share (a guess among the tied); a row that is not numbers earns nothing.
    const row = probs[i]!;
    if (!row.every(Number.isFinite)) return;
    const top = Math.max(...row);
    if (row[label] === top) right[label]! += 1 / row.filter((p) => p === top).length;
  });
  const used = total.flatMap((n, c) => (n > 0 ? [{ n, recall: right[c]! / n }] : []));
  const k = used.length;
  if (k < 2) return { accuracy: 0, guessing: 1, better: false, labelsInUse: k };
  const chance = 1 / k;
  const accuracy = used.reduce((sum, c) => sum + c.recall, 0) / k;
  // Under guessing each label's recall is a binomial share with p = 1/k: the mean's standard error.
  const se = Math.sqrt(used.reduce((sum, c) => sum + (chance * (1 - chance)) / c.n, 0)) / k;
  const better = (accuracy - chance) / se > 1.645;
  return { accuracy: round(accuracy), guessing: round(chance), better, labelsInUse: k };
}

/** `{ lookAlikes }` for an item in a group of three or more, nothing otherwise. */
function lookAlikesOf(
  group: { other: number; similarity: number }[] | undefined,
  oof: OofFile,
): { lookAlikes?: LookAlike[] } {
  if (!group) return {};
  return {
    lookAlikes: group.map(({ other, similarity }) => {
      const o = oof.objects[other]!;
      return { id: o.id, label: o.label, similarity: round(similarity) };
    }),
  };
}

/** `{ lookAlike }` for an item in a pair, nothing otherwise. */
function lookAlikeOf(pair: { other: number; similarity: number } | undefined, oof: OofFile): { lookAlike?: LookAlike } {
  if (!pair) return {};
  const other = oof.objects[pair.other]!;
  return { lookAlike: { id: other.id, label: other.label, similarity: round(pair.similarity) } };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** `.vitrine/evaluate/review.json` */
export function reviewFile(ws: Workspace): string {
  return path.join(ws.evaluate, 'review.json');
}

/**
 * Read the review queue the evaluate stage wrote, with a plain message when it has not run, or when `folds`
 * (params.yaml's evaluate.folds, when known) switches off the cross-validation it comes from.
 */
export async function readReview({ ws, folds }: { ws: Workspace; folds?: number }): Promise<ReviewFile> {
  const file = reviewFile(ws);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ReviewFile;
  } catch (error) {
    // Tester: after an evaluation with folds 0, "run evaluate first" sent them to run what had just run.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && folds !== undefined && folds < 2) {
      throw new VitrineError(
        'REVIEW_FOLDS_OFF',
        `There is no review list: evaluate.folds is ${folds} in params.yaml, which switches off the ` +
          'cross-validation the list comes from (each labelled object predicted by a model trained without it). ' +
          'Set evaluate.folds to 2 or more (5 is the default) and run "vitrine run evaluate" again.',
        { file, folds },
      );
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VitrineError(
        'REVIEW_MISSING',
        'There is no review list yet (.vitrine/evaluate/review.json is missing). Run "vitrine run evaluate" first.',
        { file },
      );
    }
    throw new VitrineError(
      'REVIEW_UNREADABLE',
      `.vitrine/evaluate/review.json cannot be read: ${(error as Error).message}. Run "vitrine run evaluate --force".`,
      { file },
      { cause: error },
    );
  }
}

/**
 * Whether labels.csv differs from the one the last evaluation read (metrics.json `inputs.labels`, its md5).
 * False when either cannot be read: nothing to compare.
 */
export async function labelsChangedSinceEvaluation({ ws }: { ws: Workspace }): Promise<boolean> {
  try {
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as {
      inputs?: { labels?: unknown };
    };
    const evaluated = metrics.inputs?.labels;
    if (typeof evaluated !== 'string') return false;
    const now = (await exists(ws.labels)) ? await hashFile({ file: ws.labels }) : 'absent';
    return now !== evaluated;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Below this out-of-fold balanced accuracy a model that beats guessing is still weak: it misses the
 * label of about a third of each kind's objects, so its disagreements (and confident learning's
 * picks, made relative to its own low probabilities) are hints, not evidence.
 */
export const WEAK_AGREEMENT = 0.7;

/** Better than guessing, but below WEAK_AGREEMENT. */
export function isWeak(a: Agreement | undefined): a is Agreement {
  return !!a && a.better && a.accuracy < WEAK_AGREEMENT;
}

/** The caution for a weak model's list (vitrine review and the report's section). */
export function weakModel(a: Agreement): string {
  return (
    `The model is weak: trained without each object, it named the right label for ${Math.round(a.accuracy * 100)}% ` +
    'of the objects of each kind (on average over the kinds). Its suggestions below are a rough hint of where to ' +
    'look, not evidence that a label is wrong.'
  );
}

/** The review list as plain text for a terminal: one object a line, most likely wrong first. */
export function renderReview({
  review,
  limit = 30,
  titles,
  cvMaxObjects,
  standIns,
  labelOf,
}: {
  review: ReviewFile;
  limit?: number;
  /** Object id → title (dataset.json): staff know objects by their titles, not only their numbers. */
  titles?: Map<string, string>;
  /** params.yaml evaluate.cv_max_objects, for the words on lists that differ (absent: not read). */
  cvMaxObjects?: number;
  /** The pictures given to many objects (dataset.json standIns): their labels are not checked, said once each. */
  standIns?: StandIn[];
  /** Object id → its label (dataset.json), to name the labelled objects of a stand-in first. */
  labelOf?: Map<string, string | null>;
}): string {
  const a = review.agreement;
  const atChance = a && !a.better;
  const weak = isWeak(a);
  const unchecked = standInLines({ standIns, labelOf });
  // A model at chance lists nothing when it ties everywhere: that is not agreement.
  if (atChance && review.items.length === 0)
    return `${[notBetterThanGuessing(a, review.checked, { listed: false }), ...unchecked].join('\n\n')}\n`;
  if (review.items.length === 0)
    return `${[`The model agrees with every one of the ${review.checked} labels it checked.`, ...unchecked].join('\n\n')}\n`;
  const flagged = review.items.filter((i) => reasonOf(i, a) === 'flagged').length;
  const ranked = review.items.length - flagged;
  // A model at chance flags nothing and its ranking says nothing: no mark, the caution above says why.
  const left = review.leftOut ? new Set(review.leftOut) : null;
  const flaggedMark = (i: ReviewItem) =>
    !left || i.split === 'test'
      ? '  flagged'
      : left.has(i.id)
        ? '  flagged, left out of training'
        : '  flagged, but the model learnt from it';
  // Worth a look, but left out of training all the same: the check before training flagged it (leftOutWords).
  const rankedMark = (i: ReviewItem) =>
    left?.has(i.id) && i.split !== 'test' ? '  worth a look, left out of training' : '  worth a look';
  const mark = (i: ReviewItem) => (atChance ? '' : reasonOf(i, a) === 'flagged' ? flaggedMark(i) : rankedMark(i));
  // Look-alikes: which of them the model was trained without.
  const lookAlikeMark = (ids: string[]) => {
    const out = left ? ids.filter((id) => left.has(id)) : [];
    if (out.length === 0) return '';
    return ` (${listWords(out)} left out of training${out.length < ids.length ? ', the model learnt from the rest' : ''})`;
  };
  const lists = atChance ? null : leftOutWords(review, cvMaxObjects);
  const counts = [...(flagged ? [`${flagged} flagged`] : []), ...(ranked ? [`${ranked} worth a look`] : [])];
  const lines = [
    ...(atChance ? [`${notBetterThanGuessing(a, review.checked)}\n`] : []),
    ...(weak ? [`${weakModel(a)}\n`] : []),
    `${review.items.length} of ${review.checked} labelled objects may have a wrong label` +
      (atChance ? ':' : ` (${counts.join(', ')}); most likely wrong first.`),
    ...(!atChance && flagged
      ? [
          '"flagged": the model is at least as sure of the label it suggests as it is, on average, of the objects ' +
            'that have that label (confident learning).',
        ]
      : []),
    ...(!atChance && ranked
      ? [
          '"worth a look": the model prefers another label, but is not sure enough for a flag; listed because it ranks high.',
        ]
      : []),
    ...(lists ? [lists] : []),
    ...(review.items.some((i) => i.lookAlike || i.lookAlikes)
      ? [
          '"look-alikes": two or more objects whose photographs are alike and whose labels differ; the model, ' +
            'trained without each, takes each for the other, so it cannot tell which of the labels is wrong. How ' +
            'alike, by the similarity of the photographs (1 for one image twice; "lookAlike" in vitrine review ' +
            `--json): ${ALIKE_KEY}.`,
        ]
      : []),
    '',
    ...shownLines({ items: review.items.slice(0, limit), every: review.items, titles, mark, lookAlikeMark }),
  ];
  if (review.items.length > limit)
    lines.push(`  … and ${review.items.length - limit} more (vitrine review --json lists them all)`);
  for (const line of unchecked) lines.push('', line);
  return `${lines.join('\n')}\n`;
}

/**
 * The objects given one picture (a “no image” card, most likely: dataset/small-images.ts), once a picture: the model
 * reads no picture of theirs, so it checks none of their labels; listed one by one, they read as many suspects.
 */
function standInLines({
  standIns = [],
  labelOf,
}: {
  standIns?: StandIn[];
  labelOf?: Map<string, string | null>;
}): string[] {
  return standIns.map(({ image, objects }) => {
    const ordered = labelOf
      ? [...objects].sort((x, y) => Number(!!labelOf.get(y)) - Number(!!labelOf.get(x)))
      : objects;
    const named = ordered.slice(0, 3).map((id) => clip(id));
    const ids = objects.length > 3 ? `${named.join(', ')} and ${objects.length - 3} more` : listWords(named);
    return (
      `${objects.length} objects share one picture (data/${clip(image)}: ${ids}), most likely the museum's ` +
      'stand-in for photographs not yet taken, not a photograph of each: the model neither learns from it nor ' +
      'guesses from it, so it cannot check their labels. Give each object its own photograph (in the export, then ' +
      'import again) and they are checked like the others.'
    );
  });
}

/** The ids the list flags outside the test split: what train.flagged: drop leaves out, when the lists agree. */
export function flaggedOutsideTest(review: ReviewFile): Set<string> {
  return new Set(
    review.items.filter((i) => reasonOf(i, review.agreement) === 'flagged' && i.split !== 'test').map((i) => i.id),
  );
}

/**
 * "in a collection of more than 10,000 labelled objects (evaluate.cv_max_objects in params.yaml)": the size in
 * words staff read, the setting after it for whoever maintains params.yaml. Without the number (params.yaml could
 * not be read), "in a large collection (…)".
 */
export function largeCollection(cvMaxObjects: number | undefined): string {
  return cvMaxObjects === undefined
    ? 'in a large collection (more labelled objects than evaluate.cv_max_objects in params.yaml)'
    : `in a collection of more than ${cvMaxObjects.toLocaleString('en')} labelled objects ` +
        '(evaluate.cv_max_objects in params.yaml)';
}

/**
 * train.flagged: drop: which list is which. The labels training left out were found by this same check made before
 * training; in a collection larger than evaluate.cv_max_objects the one made at evaluation learnt from other objects
 * and can flag others. Names those on one list only; null without train.flagged: drop.
 */
function leftOutWords(review: ReviewFile, cvMaxObjects: number | undefined): string | null {
  if (!review.leftOut) return null;
  const left = new Set(review.leftOut);
  const flagged = flaggedOutsideTest(review);
  const learnt = [...flagged].filter((id) => !left.has(id)).sort();
  const notFlagged = [...left].filter((id) => !flagged.has(id)).sort();
  const n = left.size;
  const found =
    n === 0
      ? 'Training left out no label (train.flagged: drop): this same check, made before training, flagged none'
      : `Training left out ${n === 1 ? '1 label' : `${n} labels`} as likely wrong (train.flagged: drop), found by ` +
        'this same check made before training';
  if (learnt.length === 0 && notFlagged.length === 0)
    return n === 0
      ? null
      : '"left out of training": the model was trained without this label; training left out the ' +
          `${n === 1 ? 'label' : `${n} labels`} this same check flagged before training (train.flagged: drop).`;
  const ids = (list: string[]) => listWords(list, { max: 10 });
  const parts = [
    ...(learnt.length
      ? [
          `${ids(learnt)} ${learnt.length === 1 ? 'is' : 'are'} flagged here but the model learnt from ` +
            `${learnt.length === 1 ? 'it' : 'them'}`,
        ]
      : []),
    ...(notFlagged.length
      ? [
          `${ids(notFlagged)} ${notFlagged.length === 1 ? 'was' : 'were'} left out of training but ` +
            `${notFlagged.length === 1 ? 'is' : 'are'} not flagged here`,
        ]
      : []),
  ];
  return (
    `${found}. This list is the check made at the last evaluation, which learnt from other objects: ` +
    `${largeCollection(cvMaxObjects)}, each check learns from a sample of them, and this one always from the labels ` +
    `a change makes. So the two lists differ: ${parts.join('; ')}. The model was trained without the labels the ` +
    'check before training found. ' +
    'Correct in labels.csv each label named here that is wrong, and leave a correct label as it is; training leaves ' +
    'it out again while the check finds it unlikely.'
  );
}

/**
 * One line an item; the two of a look-alike pair (look-alike.ts) as one entry where the first ranks: the model
 * cannot tell which of their labels is wrong, so neither is listed as a suspect on its own.
 */
function shownLines({
  items,
  every = items,
  titles,
  mark,
  lookAlikeMark = () => '',
}: {
  items: ReviewItem[];
  /** Every item of the list, shown or not: how alike a group is counts each member’s numbers. */
  every?: ReviewItem[];
  titles: Map<string, string> | undefined;
  mark: (i: ReviewItem) => string;
  /** The ids of a pair or group, in order: what to add after "look-alikes" (train.flagged: drop). */
  lookAlikeMark?: (ids: string[]) => string;
}): string[] {
  const lines: string[] = [];
  const done = new Set<string>();
  // One column for the ids of the plain lines, as wide as the longest (a shelfmark such as "Bodl. MS. Ashmole
  // 1504" is longer than a museum number), so titles and labels line up; an id past 40 characters just runs on.
  const plain = items.filter((i) => !i.lookAlikes && !i.lookAlike).map((i) => i.id.length);
  const idWidth = Math.max(14, ...plain.filter((n) => n < 40).map((n) => n + 1));
  for (const i of items) {
    if (done.has(i.id)) continue;
    if (i.lookAlikes) {
      for (const o of i.lookAlikes) done.add(o.id);
      const ids = [i.id, ...i.lookAlikes.map((o) => o.id)];
      lines.push(
        `  ${lookAlikeWords({ item: i, titles, items: every })}  score ${i.score.toFixed(2)}  look-alikes${lookAlikeMark(ids)}`,
      );
      continue;
    }
    const mate = i.lookAlike;
    if (!mate) {
      lines.push(
        `  ${i.id.padEnd(idWidth)}${titled(titles?.get(i.id))} labelled ${labelInList(i.label)}, the model says ` +
          `${labelInList(i.suggested)} (${Math.round(i.confidence * 100)}%)  score ${i.score.toFixed(2)}${mark(i)}`,
      );
      continue;
    }
    done.add(mate.id);
    lines.push(
      `  ${lookAlikeWords({ item: i, titles })}  score ${i.score.toFixed(2)}  look-alikes${lookAlikeMark([i.id, mate.id])}`,
    );
  }
  return lines;
}

/**
 * "DM-0085 “Vase”, labelled vessel, and DM-0306 “Lekythos”, labelled print, look alike …: one … wrong." A group:
 * "These 3 objects have very similar photographs but different labels: DM-0085 “Vase”, labelled vessel, DM-0086
 * labelled vessel and DM-0306 labelled print; at least one of the labels is probably wrong".
 */
export function lookAlikeWords({
  item,
  titles,
  items = [item],
}: {
  item: ReviewItem;
  titles?: Map<string, string>;
  /** The list's items: a group is said as alike as its least similar two, from every member’s numbers. */
  items?: ReviewItem[];
}): string {
  if (item.lookAlikes) {
    const all = [item, ...item.lookAlikes].map(
      (o) => `${o.id}${titled(titles?.get(o.id))} labelled ${labelInList(o.label)}`,
    );
    const how = alikeGroupWords(leastSimilarity({ item, items }));
    return (
      `These ${all.length} objects have ${how} but different labels: ${all.slice(0, -1).join(', ')} ` +
      `and ${all.at(-1)}; at least one of the labels is probably wrong`
    );
  }
  const mate = item.lookAlike!;
  return (
    `${item.id}${titled(titles?.get(item.id))} labelled ${labelInList(item.label)}, and ${mate.id}` +
    `${titled(titles?.get(mate.id))} labelled ${labelInList(mate.label)}: ${alikeWords(mate.similarity)}, but ` +
    'different labels; at least one of the two labels is probably wrong'
  );
}

/**
 * The least similarity between two members of `item`'s group of look-alikes: its own to the others, and the others'
 * to each other where they are among `items` (review.json's items, or the report's top rows).
 */
export function leastSimilarity({
  item,
  items,
}: {
  item: { id: string; lookAlikes?: LookAlike[] };
  items: { id: string; lookAlikes?: LookAlike[] }[];
}): number {
  const members = new Set([item.id, ...(item.lookAlikes ?? []).map((o) => o.id)]);
  let least = Number.POSITIVE_INFINITY;
  for (const m of [item, ...items.filter((i) => i.id !== item.id && members.has(i.id))])
    for (const o of m.lookAlikes ?? []) if (members.has(o.id)) least = Math.min(least, o.similarity);
  return least;
}

/** ` “Vase with handles”,` after an id, clipped; nothing without a title. */
function titled(title: string | undefined): string {
  const t = title?.trim();
  return t ? ` “${clip(t, 40)}”,` : '';
}

/**
 * The caveat for a review list (and the report's section) from a model no better than guessing,
 * worded by what holds it back: one label only, too few objects, or too small an edge over chance.
 */
export function notBetterThanGuessing(a: Agreement, checked: number, { listed = true } = {}): string {
  const then = listed
    ? 'So its disagreements below are not evidence that a label is wrong.'
    : 'So it cannot check the labels yet.';
  if (a.labelsInUse !== undefined && a.labelsInUse < 2)
    return (
      'Only one label has labelled objects, so the model cannot tell labels apart yet' +
      `${listed ? ', and its disagreements below are not evidence that a label is wrong' : ''}. ` +
      'Label objects of at least two kinds first.'
    );
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const among = a.labelsInUse ? `one of the ${a.labelsInUse} labels in use` : 'a label';
  const figures =
    `trained without each object, it named the right label for ${pct(a.accuracy)} of the objects of each kind ` +
    `(on average over the kinds), and picking ${among} at random would be right for ${pct(a.guessing)}`;
  const ahead = Math.round(a.accuracy * 100) > Math.round(a.guessing * 100);
  const why = !ahead
    ? `The model is not yet better than guessing: ${figures}.`
    : checked < 200
      ? `The model is not clearly better than guessing yet: ${figures}; with only ${checked} labelled objects, ` +
        'too few to tell, that difference could be chance.'
      : `The model is not clearly better than guessing yet: ${figures}; that difference is too small to rule out chance.`;
  return `${why} ${then} Label more objects of each kind first.`;
}
