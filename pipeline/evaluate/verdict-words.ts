import { between, pValue, signed } from '../report/markdown.ts';
import type { Interval, Metrics, Relabelled, Verdict } from '../types.ts';
import { listWords } from '../words.ts';

/**
 * Whether a change is under `minChange` (evaluate.min_change), too small to matter whatever its p-value: the change
 * over every object (`value`) is, and so is the change over the objects relabelled, or it goes the other way.
 */
export function tooSmall({
  value,
  minChange,
  relabelled,
}: {
  value: number;
  minChange: number;
  relabelled?: Relabelled | undefined;
}): boolean {
  if (Math.abs(value) >= minChange) return false;
  if (!relabelled?.counts) return true;
  const own = relabelled.candidate - relabelled.baseline;
  return !(Math.sign(own) === Math.sign(value) && value !== 0 && Math.abs(own) >= minChange);
}

/**
 * The objects relabelled, when they are what makes a change count: the change over every object is under
 * evaluate.min_change (the other objects were not relabelled: a tester's revert of 25 beads among 1,827 objects was
 * +0.007), theirs is not and goes the same way, and the verdict is better or worse. Null otherwise.
 */
export function countedByRelabelled(comparison: {
  difference: Interval;
  minChange?: number;
  verdict: Verdict;
  relabelled?: Relabelled;
}): Relabelled | null {
  const { minChange, difference, verdict, relabelled } = comparison;
  if (minChange === undefined || !relabelled || verdict === 'no detectable difference') return null;
  if (Math.abs(difference.value) >= minChange) return null;
  return tooSmall({ value: difference.value, minChange, relabelled }) ? null : relabelled;
}

/**
 * Why a verdict is "no detectable difference" though its p-value is small: the change was under evaluate.min_change.
 * Empty otherwise (and for files written before min_change). Said wherever the verdict is shown beside its p-value.
 */
export function tooSmallWords(comparison: {
  difference: Interval;
  minChange?: number;
  verdict: Verdict;
  relabelled?: Relabelled;
}): string {
  const { minChange, difference, verdict, relabelled } = comparison;
  if (
    minChange === undefined ||
    verdict !== 'no detectable difference' ||
    !tooSmall({ value: difference.value, minChange, relabelled })
  )
    return '';
  // Digits enough that the change never prints as the threshold itself (0.0096 is "0.0096", not "0.010").
  const size = Math.abs(difference.value);
  let digits = 3;
  while (digits < 6 && Number(size.toFixed(digits)) >= minChange) digits++;
  const sign = difference.value >= 0 ? '+' : '−';
  return `a change of ${sign}${size.toFixed(digits)}, under ${minChange} (evaluate.min_change), is too small to matter`;
}

/**
 * "2 labels changed, 3 objects newly labelled and 1 label removed": the labels a change touched, said apart (an import
 * adding 130 labelled objects read as "130 labels changed"). `changed` is the total; without `added` and `removed`
 * (a metrics.json written before they were recorded), it is said as changed.
 */
export function labelChangeWords({
  changed,
  added = 0,
  removed = 0,
  renamed = 0,
  renumbered = { kept: 0, relabelled: 0 },
}: {
  changed: number;
  added?: number;
  removed?: number;
  /** Of `changed`, labels renamed (the same label under its new name), said as the report's table says them. */
  renamed?: number;
  /**
   * Objects renumbered with a label under their new number, the same (`kept`) or another: each one change, not in
   * `changed`, `added` or `removed` (the report's table says them so).
   */
  renumbered?: { kept: number; relabelled: number };
}): string {
  const relabelled = changed - added - removed - renamed;
  const { kept, relabelled: moved } = renumbered;
  const parts = [
    relabelled > 0 ? `${relabelled} ${relabelled === 1 ? 'label' : 'labels'} changed` : '',
    renamed > 0 ? `${renamed} renamed (the same label under its new name)` : '',
    kept > 0
      ? `${kept} ${kept === 1 ? 'label' : 'labels'} kept by ${kept === 1 ? 'an object' : 'objects'} renumbered`
      : '',
    moved > 0 ? `${moved} ${moved === 1 ? 'object' : 'objects'} renumbered and relabelled` : '',
    added > 0 ? `${added} ${added === 1 ? 'object' : 'objects'} newly labelled` : '',
    removed > 0 ? `${removed} ${removed === 1 ? 'label' : 'labels'} removed` : '',
  ].filter(Boolean);
  if (parts.length === 0) return 'no label changes';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/**
 * The confidence level of a change's range, the (1 − alpha) interval of its test (evaluate.alpha as the evaluation
 * used it, stored with the comparison): "95%" at 0.05, "90%" at 0.1, "97.5%" at 0.025. Unknown (a metrics.json written
 * before alpha was stored, with no settings known to be the ones it was made with, withAlpha): empty, and the range
 * is said without a level rather than at a guessed one. The scores' own intervals are 95% whatever alpha is.
 */
export function confidenceLevel(alpha: number | undefined): string {
  if (alpha === undefined) return '';
  // toFixed then Number: 1 − 0.1 is 0.9 and 100 × (1 − 0.01) is 99, not 89.99999999999999 or 99.00000000000001.
  return `${Number(((1 - alpha) * 100).toFixed(4))}%`;
}

/** "95% range" (`noun` at its confidence level), or "range" when the level is unknown. */
export function levelled(alpha: number | undefined, noun: string): string {
  const level = confidenceLevel(alpha);
  return level ? `${level} ${noun}` : noun;
}

/** The parts of a metrics.json whose comparisons carry evaluate.alpha. */
interface AlphaCarrier {
  baseline?: { comparison?: { alpha?: number } } | null;
  crossValidated?: { comparison?: { alpha?: number } } | null;
  inputs?: { params?: string } | null;
}

/**
 * `metrics` with evaluate.alpha given to each comparison written before alpha was stored with it, from `settings`
 * (params.yaml now, or the settings a version was registered with) only when they are the settings the metrics were
 * made with: their fingerprint (md5 of the model params) is the one metrics.json records in inputs.params. Otherwise
 * the level stays unknown: read as 0.05, a range made at evaluate.alpha 0.1 was called "95%".
 */
export function withAlpha<M extends AlphaCarrier>({
  metrics,
  settings,
}: {
  metrics: M;
  settings: { md5: string; alpha: number | undefined } | null;
}): M {
  const alpha = settings && metrics.inputs?.params === settings.md5 ? settings.alpha : undefined;
  if (typeof alpha !== 'number') return metrics;
  const give = <C extends { comparison?: { alpha?: number } } | null | undefined>(part: C): C =>
    part?.comparison && part.comparison.alpha === undefined
      ? { ...part, comparison: { ...part.comparison, alpha } }
      : part;
  return {
    ...metrics,
    ...(metrics.baseline ? { baseline: give(metrics.baseline) } : {}),
    ...(metrics.crossValidated ? { crossValidated: give(metrics.crossValidated) } : {}),
  };
}

/** How a change was judged on every labelled object: "5-fold cross-validation", said by the card and the model page. */
export function crossValidationWords({ k }: { k: number }): string {
  return `${k}-fold cross-validation`;
}

/*
 * The words of the cross-validated comparison (metrics.crossValidated), shared by the pull-request report
 * ("Judged on every labelled object"), the evaluate stage's summary line and the model card, so that the three say
 * the same figures and the same verdict.
 */

/**
 * A cross-validated change and its range (confidenceLevel) with the decimals that show them: "+0.003, between +0.001 and +0.005
 * (`note`)", not "0.00, between 0.00 and 0.00"; a change the same in every resample has no range and says so.
 */
export function crossValidatedChange(
  { value, low, high }: Interval,
  { note, minChange = 0.01 }: { note?: string; minChange?: number | undefined } = {},
): string {
  // A tester: "a change of 0.00, between 0.00 and 0.00 … p = 0.002" beside "a change of +0.003": a change that is
  // not zero gets the decimals that show it, and its range the same.
  // Nor is a change under 0.01 written as 0.01: "+0.01, between +0.00 and +0.01" beside "under 0.01
  // (evaluate.min_change)" for +0.0072 on the 1,827 Egyptian objects.
  let digits = 2;
  const shown = (d: number) => Number(Math.abs(value).toFixed(d));
  const under = (d: number) => Math.abs(value) < minChange && shown(d) >= minChange;
  while (digits < 6 && value !== 0 && (shown(digits) === 0 || under(digits))) digits++;
  return low === high
    ? `${signed(value, digits)}, the same in every resample of the objects, so no range`
    : `${signed(value, digits)}, ${between(low, high, { digits })}${note ? ` (${note})` : ''}`;
}

/**
 * A cross-validated verdict in words: its name ("better", "no difference that matters", …) and why. A change under
 * evaluate.min_change whose whole range is off zero is more than chance but too small to matter: "no detectable
 * difference" beside p = 0.002 read as a contradiction. The verdict itself is unchanged.
 */
export function crossValidatedVerdict(
  comparison: { difference: Interval; minChange?: number; verdict: Verdict; relabelled?: Relabelled },
  /** The comparison's `before` (what the photographs said before the change): a better fit they did not support. */
  before?: LabelsBefore,
): {
  name: string;
  why: string;
} {
  const { difference, minChange, verdict } = comparison;
  // Both arms are scored on the labels now: "better" says the labels now fit the photographs better, not that they
  // are right (a tester: 25 beads moved to Pottery together were "better").
  const check = labelsToCheck({ comparison, before });
  if (check)
    return {
      name: 'better fit, but check the label changes',
      why:
        `the model fits the labels now better, but the photographs point to the old label for ` +
        `${check.old} of the ${check.relabelled} objects relabelled`,
    };
  // A change under evaluate.min_change over every object that counts for the objects relabelled says so.
  const moved = countedByRelabelled(comparison);
  const counted = moved
    ? `: over every object the change is under ${minChange} (evaluate.min_change), since only ` +
      `${moved.objects.toLocaleString('en-GB')} were relabelled; over those objects alone it is ` +
      `${signed(moved.candidate - moved.baseline, moved.candidate - moved.baseline < 0.1 ? 3 : 2)}`
    : '';
  if (verdict === 'better') return { name: 'better', why: `the labels now fit the photographs better${counted}` };
  if (verdict === 'worse') return { name: 'worse', why: `the labels now fit the photographs worse${counted}` };
  const { low, high } = difference;
  // Both said, neither hidden: all of the range on one side of zero is more than chance, and a change under
  // evaluate.min_change is no difference whatever its p-value (pairedMeanTest).
  if (tooSmallWords(comparison) && (low > 0 || high < 0))
    return {
      name: 'no difference that matters',
      why:
        `the whole range is ${low > 0 ? 'above' : 'below'} zero, so the change is more than chance alone would ` +
        `give, but it is under ${minChange} (evaluate.min_change), too small to matter; so the verdict is “no ` +
        'detectable difference”',
    };
  return {
    name: 'no detectable difference',
    why: tooSmallWords(comparison)
      ? `the change is within what chance alone could give (and under ${minChange}, evaluate.min_change, too ` +
        'small to matter anyway)'
      : 'the change is within what chance alone could give',
  };
}

/** metrics.crossValidated.before: what the photographs said before the change, for the objects relabelled. */
export interface LabelsBefore {
  relabelled: number;
  old: number;
  objects: { id: string; old: string; new: string }[];
}

/**
 * A "better" label change to check before merging: before it, the photographs pointed to the old label for most of
 * the objects relabelled (`before.old` of `before.relabelled`), and for at least LABELS_TO_CHECK_MIN of them. Both
 * arms are scored on the labels now, so a coherent group moved together to a wrong label fits the model as well as a
 * genuine fix does; a genuine fix is one the photographs already pointed to (that is how wrong labels are found).
 * A majority, not a sign test: with a handful of changes a sign test never fires, yet 4 of 5 changes against the
 * photographs are what staff should look at, and asking them to look costs little beside a wrong "Better". The
 * minimum leaves one or two doubtful objects to the list of labels that look wrong. Null: nothing to check.
 */
export function labelsToCheck({
  comparison,
  before,
}: {
  comparison: { verdict: Verdict };
  before?: LabelsBefore | undefined;
}): LabelsBefore | null {
  if (comparison.verdict !== 'better' || !before) return null;
  return before.old >= LABELS_TO_CHECK_MIN && before.old * 2 > before.relabelled ? before : null;
}

/** The fewest relabelled objects pointing to their old label that make a "better" label change one to check. */
export const LABELS_TO_CHECK_MIN = 3;

/**
 * The objects a cross-validated comparison scored, and on which labels. Objects whose label the change takes away
 * are scored on the label they had (compareLabelSets): a tester read "each of the 300 labelled objects … scored on
 * the labels now" when 298 had a label now.
 */
export function scoredObjectsWords({ objects, removed = 0 }: { objects: number; removed?: number }): {
  /** "the 300 objects labelled before or now", or "the 300 labelled objects" when no label was taken away. */
  objects: string;
  /** "on the labels now (298 objects) and, for the 2 that have no label the model can use now, on the label they had". */
  scoredOn: string;
} {
  if (removed <= 0) return { objects: `the ${objects} labelled objects`, scoredOn: 'on the labels now' };
  const now = objects - removed;
  return {
    objects: `the ${objects} objects labelled before or now`,
    scoredOn:
      `on the labels now (${now} ${now === 1 ? 'object' : 'objects'}) and, for the ${removed} that ` +
      `${removed === 1 ? 'has' : 'have'} no label the model can use now, on the label ${removed === 1 ? 'it' : 'they'} had`,
  };
}

/**
 * A p-value followed by what it means, as every summary a stage writes says it (the run log, the pull request's
 * "Where this result comes from", the site's monitoring page): "p = 0.012: with no real difference, one this large
 * would turn up by chance about 1 time in 80"; "p = –" alone when there is none.
 */
export function pValueWords(p: number | null | undefined): string {
  const words = chanceWords(p);
  return `${pValue(p)}${words ? `: ${words}` : ''}`;
}

/**
 * A p-value in plain words, for readers who do not know the term (an outside tester read "p = 0.012" with none):
 * "with no real difference, one this large would turn up by chance about 1 time in 80". Empty when there is none.
 */
export function chanceWords(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p) || p < 0) return '';
  const lead = 'with no real difference, one this large would turn up by chance';
  if (p < 0.001) return `${lead} less than 1 time in 1,000`;
  if (p >= 0.95) return `${lead} nearly always`;
  if (p >= 0.15) return `${lead} about ${Math.round(p * 10)} times in 10`;
  const n = 1 / p;
  const shown = n < 20 ? Math.round(n) : n < 100 ? Math.round(n / 10) * 10 : Number(n.toPrecision(2));
  return `${lead} about 1 time in ${shown.toLocaleString('en')}`;
}

/**
 * Why the label change is not judged on every labelled object (metrics.crossValidatedNotJudged), in the words the
 * run log and the pull-request report share: which labels being built up were set aside, what that leaves, and why
 * one label left is nothing to compare. `name`: how a label is written (the report quotes and escapes it).
 */
export function notJudgedWords(
  notJudged: Pick<NonNullable<Metrics['crossValidatedNotJudged']>, 'changed' | 'setAside' | 'left'>,
  { name = (label: string) => label }: { name?: (label: string) => string } = {},
): string {
  const { changed, setAside, left } = notJudged;
  const one = setAside.length === 1;
  const leaves = left.length === 0 ? 'no label' : `only ${listWords(left.map(name))}`;
  const why =
    setAside.length > 0
      ? `${listWords(setAside.map(name))} ${one ? 'is a label' : 'are labels'} being built up, too few objects to ` +
        `judge yet, and ${one ? 'is' : 'are'} left out of that comparison, which leaves ${leaves}`
      : `${leaves} has objects to score`;
  const nothing =
    left.length === 0
      ? 'No object is left to score'
      : 'A model with one label to choose from gives it to every object, trained on the labels before as on the ' +
        'labels now';
  return (
    `The change of ${changed} ${changed === 1 ? 'label' : 'labels'} is not judged on every labelled object yet: ` +
    `${why}. ${nothing}, so there is nothing to compare. The verdict rests on the test objects alone.`
  );
}
