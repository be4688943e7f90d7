/*
 * The words said of the labels a withdrawn version learnt (withdrawn-labels.ts finds them): by the rollback, and at
 * the top of the next report. No heavy imports: `models` commands load this with their formatting.
 */

/** Labels a withdrawn version learnt that labels.csv still gives, while the version put back in its place holds prod. */
export interface WithdrawnLabels {
  /** The version a rollback took out of production, when and why. */
  withdrawn: string;
  date: string;
  reason: string | null;
  /** The version put back in its place, in production now. */
  restored: string;
  /** Objects the withdrawn version learnt with another label than the restored one. */
  changes: number;
  /** Of them, those labels.csv still gives the withdrawn version's label. */
  kept: number;
  /** labels.csv is byte for byte the one the withdrawn version learnt from. */
  same: boolean;
  /** The commits of the two versions' labels.csv: `git diff restored withdrawn -- labels.csv` lists the changes. */
  commits: { restored: string; withdrawn: string };
}

/** `git diff a b -- labels.csv`: the command that lists the withdrawn version's label changes. */
export function withdrawnDiffCommand(w: WithdrawnLabels): string {
  return `git diff ${w.commits.restored.slice(0, 7)} ${w.commits.withdrawn.slice(0, 7)} -- labels.csv`;
}

/**
 * "The 2 objects v1.2.0 learnt with other labels than v1.1.0 still have those labels", or "1 of the 3 objects …
 * still has …": how many of the withdrawn version's label changes labels.csv still holds.
 */
export function keptWords(w: WithdrawnLabels): string {
  const objects = (n: number) => (n === 1 ? 'object' : 'objects');
  const which =
    w.kept < w.changes
      ? `${w.kept} of the ${w.changes} ${objects(w.changes)}`
      : `The ${w.changes === 1 ? 'one' : w.changes} ${objects(w.changes)}`;
  return (
    `${which} ${w.withdrawn} learnt with other labels than ${w.restored} still ${w.kept === 1 ? 'has' : 'have'} ` +
    'those labels'
  );
}

/**
 * What the rollback says of the labels the withdrawn version learnt (tester T10): still in labels.csv, learnt again by
 * the next merge unless reverted, and the command that lists them.
 */
export function withdrawnLabelsAdvice(w: WithdrawnLabels): string {
  return (
    `The labels ${w.withdrawn} learnt from are still in labels.csv: the next merge trains on them again unless the ` +
    `change that made ${w.withdrawn} worse is reverted. ${keptWords(w)} in labels.csv ` +
    `(${withdrawnDiffCommand(w)} lists those changes): put the right labels back in a pull request, or say in it ` +
    'why they stay.'
  );
}
