/*
 * What the monitoring page says of the latest drift check, in one sentence before its summary. Without drift, it said
 * "The new objects look like the ones the model knows" whatever share of them was unlike any reference photograph: an
 * outside tester's 20 paintings added to an Egyptian collection, pooled with 83 Egyptian objects, were "No drift",
 * and 16% of the new objects (8 of the paintings among them) were listed below as unlike anything the model knows.
 */

/** Unusual is beyond the 99th percentile of the reference photographs' own distances: about 1% by chance. */
export const UNUSUAL_BY_CHANCE = 0.01;
/** A share of unusual objects this many times what chance gives is said, drift or not. */
const NOTABLE = 5;

export function latestFinding({ drifted, unusualShare }: { drifted: boolean; unusualShare: number | null }): string {
  if (drifted) return 'The new objects differ in ways the model may not handle well.';
  if (unusualShare !== null && unusualShare >= NOTABLE * UNUSUAL_BY_CHANCE) {
    const share = Math.round(unusualShare * 100);
    // Most of them: "taken together, they look familiar" would contradict the rest (reviewer V10: "but 100% of them").
    if (unusualShare >= 0.5)
      return (
        `${share}% of the new objects are unlike any photograph the model was compared with (about 1% would be by ` +
        'chance), though the drift signals found no change overall: a new kind of object may have arrived. Check the ' +
        'least familiar objects below before trusting their labels.'
      );
    return (
      `Taken together, the new objects look like the ones the model knows, but ${share}% of them are unlike any ` +
      'photograph it was compared with (about 1% would be by chance): a new kind of object may have arrived. ' +
      'Check the least familiar objects below before trusting their labels.'
    );
  }
  return 'The new objects look like the ones the model knows.';
}
