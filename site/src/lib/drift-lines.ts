/*
 * Which points of a drift-over-time chart a line joins. Since the objects added since the model are judged on their
 * own, a run judged either them or the pool of them and the unlabelled objects (as every run before did): a line
 * through both would draw a change of group as a change in the collection. So each group has its own line, through
 * its own runs in order (passing over the other group's), broken where a run did not measure the signal.
 */

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
