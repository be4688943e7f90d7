import { pastedInLabel } from '../collection/hidden-characters.ts';
import type { Dataset, LabelLine } from '../types.ts';
import { objectIdOf, writtenSlips } from './validate.ts';

/** What staff wrote of an object outside collection.vocabulary, and what the public is shown of it. */
export interface OutsideLabels {
  /** Its labels outside the vocabulary, each once, in the order of labels.csv. */
  labels: string[];
  /**
   * The one label shown as staff’s word; null when staff gave two (their lines disagree), unless both are slips for
   * the same type ("COIN" and "Coin").
   */
  label: string | null;
  /** The type of the vocabulary that one label is a slip for ("COIN" for "coin"), else null. */
  meant: string | null;
  /**
   * The model’s guess is never published: a line says the object is none of the model’s types ("Misc", not a slip
   * for one). Two such lines ("Misc", "Textile") say it twice; beside a slip ("COIN" and "Misc") staff disagree on
   * whether it is a coin, and a guess is not published over staff’s own doubt.
   */
  held: boolean;
}

/**
 * The one rule for staff labels outside the vocabulary, which the catalogue’s pages and the registry’s count of
 * changes the public sees ("Model X changed the type shown for N objects") both follow: the objects the dataset left
 * unlabelled for a LABEL_NOT_IN_VOCABULARY issue, with their lines of labels.csv outside the vocabulary, read by
 * object id (lines move when rows are added or sorted; an id written with its accents encoded another way is the
 * object’s). A slip the public is told of is writtenSlips’ (a label written only another way). A label holding a
 * character no label may hold (pastedInLabel) is none: the object is shown unlabelled, as the dataset has it.
 */
export function outsideVocabulary({
  dataset,
  labels,
}: {
  dataset: Dataset;
  labels: readonly LabelLine[];
}): Map<string, OutsideLabels> {
  const issues = dataset.issues ?? [];
  const reported = new Set(
    issues.filter((i) => i.code === 'LABEL_NOT_IN_VOCABULARY' && i.object).map((i) => i.object!),
  );
  const outside = new Map<string, OutsideLabels>();
  if (reported.size === 0) return outside;
  // By object and label: a slip reported of "Figurine" says nothing of another label the object has been given since.
  const slips = writtenSlips(issues);
  const vocabulary = new Set(dataset.labels ?? []);
  const unlabelled = new Set(dataset.objects.filter((o) => o.label === null).map((o) => o.id));
  const objectOf = objectIdOf(dataset.objects.map((o) => o.id));
  const found = new Map<string, Set<string>>();
  for (const l of labels) {
    const id = objectOf(l.objectId);
    const label = l.label.trim();
    if (!reported.has(id) || !unlabelled.has(id) || !label || vocabulary.has(label)) continue;
    // A character no label may hold (a bidi override, a zero-width space: params.yaml's rule) is shown nowhere: the
    // stage skipped the line, and "coin" + U+202E published as staff's word turned the page's text round (T16).
    if (pastedInLabel(label).length > 0) continue;
    found.set(id, (found.get(id) ?? new Set()).add(label));
  }
  for (const [id, set] of found) {
    const all = [...set];
    const meantOf = (label: string) => slips.get(`${id}\u0000${label}`) ?? null;
    // Two spellings of one type ("COIN", "Coin") are one label staff agree on: the first is shown.
    const meants = new Set(all.map(meantOf));
    const one = all.length === 1 || (meants.size === 1 && !meants.has(null)) ? all[0]! : null;
    outside.set(id, {
      labels: all,
      label: one,
      meant: one === null ? null : meantOf(one),
      held: all.some((label) => meantOf(label) === null),
    });
  }
  return outside;
}
