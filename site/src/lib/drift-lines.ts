/*
 * Which points of a drift-over-time chart a line joins. Since the objects added since the model are judged on their
 * own, a run judged either them or the pool of them and the unlabelled objects (as every run before did): a line
 * through both would draw a change of group as a change in the collection. So each group has its own line, through
 * its own runs in order (passing over the other group's), broken where a run did not measure the signal.
 */

/**
 * The groups of checks whose objects are not known (lines written before 7 December 2026 that do not say): never
 * joined, as two of them may have judged different objects.
 */
export function isNotKnown(group: string): boolean {
  return group === 'unknown' || group === 'reference-unknown';
}

/** The runs each line joins (indices into `values`), per group in the order the groups first appear. */
export function chartLines({
  values,
  groups,
}: {
  /** One value per run; null where the run did not measure it. */
  values: (number | null)[];
  /** The group each run judged, same order. */
  groups: string[];
}): { group: string; runs: number[] }[] {
  const lines: { group: string; runs: number[] }[] = [];
  for (const group of new Set(groups)) {
    if (isNotKnown(group)) continue;
    let runs: number[] = [];
    values.forEach((v, i) => {
      if (groups[i] !== group) return;
      if (v !== null) runs.push(i);
      else {
        if (runs.length > 1) lines.push({ group, runs });
        runs = [];
      }
    });
    if (runs.length > 1) lines.push({ group, runs });
  }
  return lines;
}

/** How many references (`vitrine monitor --reference`) a chart draws and the page names each on their own. */
export const NAMED_REFERENCES = 2;

/** Is this the group of the objects added since a ref of the run's own ("reference-3")? */
export function isReference(group: string): boolean {
  return /^reference-[1-9][0-9]*$/.test(group);
}

/**
 * The reference groups drawn and named each on their own: the NAMED_REFERENCES checked most recently. A maintainer
 * who checks each batch against its own ref gets a group per batch; the older ones share one stroke and one name
 * ("3 other references"), and the page's table names each check's objects.
 */
export function namedReferences({
  groups,
}: {
  /** The group each run judged, oldest first. */ groups: string[];
}): Set<string> {
  const named = new Set<string>();
  for (let i = groups.length - 1; i >= 0 && named.size < NAMED_REFERENCES; i--)
    if (isReference(groups[i]!)) named.add(groups[i]!);
  return named;
}

/**
 * "3 older comparisons with other references (the table names each)": each judged its own objects, which "the objects
 * added since 3 other references" read as one set.
 */
export function otherReferencesWords(count: number): string {
  return count === 1
    ? '1 older comparison with another reference (the table names it)'
    : `${count} older comparisons with other references (the table names each)`;
}
