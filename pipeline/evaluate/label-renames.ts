/*
 * A pull request that renames a label ("print" → "Prints & Drawings" in labels.csv and the vocabulary) changes
 * no object's label in meaning. Compared by name, the model in production and the labels before knew none of the
 * new names: every renamed object counted against them, and a rename was called "Better" (an outside tester:
 * +0.84 for four labels renamed). A rename is told by the objects: those that carried the old label now carry the
 * new one, and no object carried the new one before. The comparison then reads the old name as the new one.
 */

export interface LabelRename {
  from: string;
  to: string;
  /** Objects that carried `from` before and carry `to` now. */
  objects: number;
}

/** Share of a label's objects that must agree for a rename: a rename may come with a label or two corrected. */
const AGREEING = 0.9;

/**
 * The labels renamed between `before` and `now` (object id → label): each label before that is no longer in
 * `vocabulary`, whose objects (at least 90% of those labelled now) carry one new label, which no object carried
 * before and whose objects labelled before (at least 90%) carried the old one. Sorted by old name.
 */
export function labelRenames({
  before,
  now,
  vocabulary,
}: {
  before: Map<string, string>;
  now: Map<string, string>;
  vocabulary: string[];
}): LabelRename[] {
  const known = new Set(vocabulary);
  const usedBefore = new Set(before.values());
  const idsOf = (map: Map<string, string>) => {
    const ids = new Map<string, string[]>();
    for (const [id, label] of map) ids.set(label, [...(ids.get(label) ?? []), id]);
    return ids;
  };
  const beforeIds = idsOf(before);
  const nowIds = idsOf(now);
  const renames: LabelRename[] = [];
  const taken = new Set<string>();
  for (const [from, ids] of [...beforeIds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (known.has(from)) continue;
    const counts = new Map<string, number>();
    for (const id of ids) {
      const label = now.get(id);
      if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const labelledNow = [...counts.values()].reduce((a, b) => a + b, 0);
    const [to, agreeing] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
    if (to === undefined || !known.has(to) || usedBefore.has(to) || taken.has(to)) continue;
    if (agreeing < AGREEING * labelledNow) continue;
    // Objects with no label before (new ones, labelled since) say nothing against a rename (a reviewer: production's
    // labels, months back, missed a rename that objects added since had joined).
    const carriers = (nowIds.get(to) ?? []).filter((id) => before.has(id));
    const hadFrom = carriers.filter((id) => before.get(id) === from).length;
    if (hadFrom < AGREEING * carriers.length) continue;
    taken.add(to);
    renames.push({ from, to, objects: hadFrom });
  }
  return renames;
}

/** `label` under its new name, when it was renamed. */
export function renamed(label: string, renames: LabelRename[]): string {
  // An older model may keep a label decomposed ("e" and an accent): labels.csv's are read composed (NFC).
  const composed = label.normalize('NFC');
  return renames.find((r) => r.from.normalize('NFC') === composed)?.to ?? label;
}

/** "“print” is now “Prints & Drawings” (50 objects)", joined. */
export function renameWords(renames: LabelRename[]): string {
  return renames
    .map((r) => `“${r.from}” is now “${r.to}” (${r.objects} object${r.objects === 1 ? '' : 's'})`)
    .join(', ');
}
