/*
 * A pull request that renames a label ("print" → "Prints & Drawings" in labels.csv and the vocabulary) changes
 * no object's label in meaning. Compared by name, the model in production and the labels before knew none of the
 * new names: every renamed object counted against them, and a rename was called "Better" (an outside tester:
 * +0.84 for four labels renamed). A rename is told by the objects: those that carried the old label now carry the
 * new one, and no object carried the new one before. The comparison then reads the old name as the new one.
 */

import { labelForm } from '../collection/hidden-characters.ts';

export interface LabelRename {
  from: string;
  to: string;
  /** Objects that carried `from` before and carry `to` now. */
  objects: number;
  /** `to` was a label objects carried before: `from` was merged into it. */
  joined?: boolean;
}

/** Share of a label's objects that must agree for a rename: a rename may come with a label or two corrected. */
const AGREEING = 0.9;

/**
 * The labels renamed or merged between `before` and `now` (object id → label). Each label before that is no
 * longer in `vocabulary`, whose objects (at least 90% of those labelled now; all of them when `to` was in use
 * before) carry one label of it, `to`, is
 * renamed to `to` when the objects labelled `to` before and now (at least 90%) carried one of the labels renamed
 * to it, or `to` itself. So two labels merged into a new one, or one merged into a label in use, are read as
 * that label: production's probabilities for the old labels add up (a reviewer: a merge was compared by name,
 * production penalised for the old names, and called "drawing is now …" beside "print removed"). A label split
 * between two is a label change. A label still in `carriedNow`, or not in `vocabularyBefore`, is never renamed.
 * Sorted by old name.
 */
export function labelRenames({
  before,
  now,
  vocabulary,
  carriedNow,
  vocabularyBefore,
}: {
  before: Map<string, string>;
  now: Map<string, string>;
  vocabulary: string[];
  /**
   * Every label labels.csv gives an object now, in the vocabulary or not, when `now` holds only those in it (the
   * dataset stage leaves the others out). An outside tester: one of 15 "Drawing" objects (a label outside the
   * vocabulary) moved to "Painting" read as "“Drawing” is now part of “Painting”", since the 14 left were not in
   * `now`. A label some object still carries is not gone, so not renamed.
   */
  carriedNow?: Set<string>;
  /**
   * The vocabulary at `before`: a label outside it was learnt by no model and renamed in no vocabulary, so its objects
   * moved to a label are corrections (the same tester: a gallery's one "Photograph" corrected to "Painting").
   */
  vocabularyBefore?: string[];
}): LabelRename[] {
  const known = new Set(vocabulary);
  // Read composed, as labels.csv's labels are (params.ts composes the vocabulary too).
  const learnable = vocabularyBefore ? new Set(vocabularyBefore.map((l) => l.normalize('NFC'))) : null;
  const usedBefore = new Set(before.values());
  const beforeIds = idsOf(before);
  const nowIds = idsOf(now);
  // Each label in the vocabulary, with the labels gone from it whose objects moved to it.
  const into = new Map<string, { from: string; objects: number }[]>();
  for (const [from, ids] of beforeIds) {
    if (known.has(from) || carriedNow?.has(from) || (learnable && !learnable.has(from.normalize('NFC')))) continue;
    const counts = new Map<string, number>();
    for (const id of ids) {
      const label = now.get(id);
      if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const labelledNow = [...counts.values()].reduce((a, b) => a + b, 0);
    const [to, agreeing] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
    if (to === undefined || !known.has(to) || agreeing < AGREEING * labelledNow) continue;
    // Into a label in use, every object must have moved: a label removed whose objects went, all but one, to the
    // label they belong to is a correction of each, to be judged, not a merge (a reviewer: 9 of 10 "figurine"
    // objects to "vessel", 1 to "mask", was called a merge and production credited for the 9).
    if (usedBefore.has(to) && agreeing < labelledNow) continue;
    into.set(to, [...(into.get(to) ?? []), { from, objects: agreeing }]);
  }
  const renames: LabelRename[] = [];
  for (const [to, sources] of into) {
    // Objects with no label before (new ones, labelled since) say nothing against a rename (a reviewer: production's
    // labels, months back, missed a rename that objects added since had joined).
    const carriers = (nowIds.get(to) ?? []).filter((id) => before.has(id));
    const names = new Set([to, ...sources.map((s) => s.from)]);
    const agreeing = carriers.filter((id) => names.has(before.get(id) as string)).length;
    if (agreeing < AGREEING * carriers.length) continue;
    const joined = usedBefore.has(to);
    for (const s of sources) renames.push({ from: s.from, to, objects: s.objects, ...(joined ? { joined } : {}) });
  }
  return renames.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

function idsOf(map: Map<string, string>): Map<string, string[]> {
  const ids = new Map<string, string[]>();
  for (const [id, label] of map) ids.set(label, [...(ids.get(label) ?? []), id]);
  return ids;
}

/** `label` under its new name, when it was renamed. */
export function renamed(label: string, renames: LabelRename[]): string {
  // An older model may keep a label decomposed ("e" and an accent), or with a no-break space: labels.csv's are read
  // in one form (labelForm).
  const composed = labelForm(label);
  return renames.find((r) => labelForm(r.from) === composed)?.to ?? label;
}

/**
 * "“print” is now “Prints & Drawings” (50 objects)", "“drawing” and “print” are now one label, “Works on paper”
 * (100 objects)" or "“print” is now part of “drawing” (10 objects)", joined.
 */
export function renameWords(renames: LabelRename[]): string {
  return [...groupedByNew(renames)]
    .map(([to, group]) => {
      const from = group.map((r) => `“${r.from}”`);
      const names = from.length === 1 ? from[0] : `${from.slice(0, -1).join(', ')} and ${from.at(-1)}`;
      const n = group.reduce((sum, r) => sum + r.objects, 0);
      const objects = `(${n} object${n === 1 ? '' : 's'})`;
      if (group[0]?.joined) return `${names} ${from.length === 1 ? 'is' : 'are'} now part of “${to}” ${objects}`;
      if (group.length > 1) return `${names} are now one label, “${to}” ${objects}`;
      return `${names} is now “${to}” ${objects}`;
    })
    .join('; ');
}

/** What the change does to labels, for "This pull request …": "renames a label", "merges labels", …. */
export function renameVerb(renames: LabelRename[]): string {
  const groups = [...groupedByNew(renames).values()];
  const merges = groups.filter((g) => g.length > 1 || g[0]?.joined).length;
  const plain = groups.length - merges;
  if (merges === 0) return plain === 1 ? 'renames a label' : 'renames labels';
  return plain === 0 ? 'merges labels' : 'renames and merges labels';
}

function groupedByNew(renames: LabelRename[]): Map<string, LabelRename[]> {
  const groups = new Map<string, LabelRename[]>();
  for (const r of renames) groups.set(r.to, [...(groups.get(r.to) ?? []), r]);
  return groups;
}
