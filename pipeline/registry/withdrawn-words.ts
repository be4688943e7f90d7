/*
 * The words said of the labels withdrawn versions learnt (withdrawn-labels.ts finds them): by the rollback, and at
 * the top of the next report. No heavy imports: `models` commands load this with their formatting.
 */

import { listWords } from '../words.ts';

/**
 * Labels the versions withdrawn since the one put back learnt that labels.csv still gives, while the version put back
 * holds prod. Two rollbacks in a row (v1.2.0 to v1.1.0, then to v1.0.0) withdraw two versions, each with its own
 * label changes (reviewer V16: only the last one's were named).
 */
export interface WithdrawnLabels {
  /** The version put back, in production now, and when the rollback that put it back was. */
  restored: string;
  date: string;
  /** Each withdrawn version whose label changes labels.csv still holds, oldest version first; never empty. */
  versions: WithdrawnVersionLabels[];
  /** labels.csv is byte for byte the one the last of `versions` learnt from. */
  same: boolean;
}

/** One withdrawn version's own label changes: those it learnt on top of the version before it (`since`). */
export interface WithdrawnVersionLabels {
  /** The version a rollback took out of production, when and why. */
  version: string;
  date: string;
  reason: string | null;
  /** The version its changes are counted from: the one put back, or the version withdrawn before it. */
  since: string;
  /** Objects it learnt with another label than `since` (and than the version put back). */
  changes: number;
  /** Of them, those labels.csv still gives its label. */
  kept: number;
  /** The commits of the two versions' labels.csv: `git diff since version -- labels.csv` lists the changes. */
  commits: { since: string; version: string };
}

/** `git diff a b -- labels.csv`: the command that lists a withdrawn version's label changes. */
export function withdrawnDiffCommand(w: WithdrawnVersionLabels): string {
  return `git diff ${w.commits.since.slice(0, 7)} ${w.commits.version.slice(0, 7)} -- labels.csv`;
}

/**
 * "The 2 objects v1.2.0 learnt with other labels than v1.1.0 still have those labels", or "1 of the 3 objects …
 * still has …": how many of a withdrawn version's label changes labels.csv still holds.
 */
export function keptWords(w: WithdrawnVersionLabels): string {
  const objects = (n: number) => (n === 1 ? 'object' : 'objects');
  const which =
    w.kept < w.changes
      ? `${w.kept} of the ${w.changes} ${objects(w.changes)}`
      : `The ${w.changes === 1 ? 'one' : w.changes} ${objects(w.changes)}`;
  return (
    `${which} ${w.version} learnt with other labels than ${w.since} still ${w.kept === 1 ? 'has' : 'have'} ` +
    'those labels'
  );
}

/** "v1.1.0 and v1.2.0": the withdrawn versions, oldest first. */
export function withdrawnNames(w: WithdrawnLabels): string {
  return listWords(w.versions.map((v) => v.version));
}

/**
 * What the rollback says of the labels the withdrawn versions learnt (tester T10): still in labels.csv, learnt again
 * by the next merge unless reverted, and for each version the command that lists its own changes (reviewer V16).
 */
export function withdrawnLabelsAdvice(w: WithdrawnLabels): string {
  const one = w.versions.length === 1;
  const names = withdrawnNames(w);
  const each = w.versions
    .map((v, i) => {
      const words = `${keptWords(v)} in labels.csv (${withdrawnDiffCommand(v)} lists those changes)`;
      return i === 0 ? words : words.replace(/^The/, 'the');
    })
    .join('; ');
  return (
    `The labels ${names} learnt from are still in labels.csv: the next merge trains on them again unless the ` +
    `${one ? `change that made ${names}` : 'changes that made them'} worse ${one ? 'is' : 'are'} reverted. ` +
    `${each}: put the right labels back in a pull request, or say in it why they stay.`
  );
}
