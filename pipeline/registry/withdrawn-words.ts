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
  /** The version a rollback took out of production, when and why (a version passed over: the rollback's date). */
  version: string;
  date: string;
  reason: string | null;
  /**
   * Not in production when the rollback went back past it (registered and never assigned, or replaced by a newer
   * version before): not "withdrawn", but its label changes are in labels.csv all the same (task D5).
   */
  passedOver?: true;
  /** It never held production at all. */
  neverInProduction?: true;
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

/** The versions the rollback took out of production, and those it went back past (`passedOver`), oldest first. */
function split(w: WithdrawnLabels): { out: WithdrawnVersionLabels[]; past: WithdrawnVersionLabels[] } {
  return { out: w.versions.filter((v) => !v.passedOver), past: w.versions.filter((v) => v.passedOver) };
}

/** "v1.1.0 (never in production) and v1.3.0": the versions gone back past, each never in production said so. */
function pastNames(past: WithdrawnVersionLabels[]): string {
  return listWords(past.map((v) => `${v.version}${v.neverInProduction ? ' (never in production)' : ''}`));
}

/**
 * The head of the report's warning: "v1.2.0 was withdrawn (why)", "v1.1.0 (why) and v1.2.0 (why) were withdrawn",
 * followed by ", and the rollback went back past v1.1.0 (never in production)", or only "The rollback to v1.0.0 went
 * back past v1.1.0 (never in production)": a version never in production was not withdrawn (task D5). `why` says a
 * version's reason in the words of where it is shown.
 */
export function withdrawnHeadWords({
  w,
  why,
}: {
  w: WithdrawnLabels;
  why: (v: WithdrawnVersionLabels) => string;
}): string {
  const { out, past } = split(w);
  const withdrawn =
    out.length === 0
      ? ''
      : out.length === 1
        ? `${out[0]!.version} was withdrawn${why(out[0]!)}`
        : `${listWords(out.map((v) => `${v.version}${why(v)}`))} were withdrawn`;
  if (past.length === 0) return withdrawn;
  if (!withdrawn) return `The rollback to ${w.restored} went back past ${pastNames(past)}`;
  return `${withdrawn}, and the rollback went back past ${pastNames(past)}`;
}

/**
 * "what made v1.2.0 worse", "what made v1.2.0 worse, and the labels of v1.1.0", "the labels of v1.1.0": what a
 * model trained on labels.csv now learns again. A version the rollback went back past was not found worse.
 */
export function relearntWords(w: WithdrawnLabels): string {
  const { out, past } = split(w);
  const names = (vs: WithdrawnVersionLabels[]) => listWords(vs.map((v) => v.version));
  const worse = out.length > 0 ? `what made ${names(out)} worse` : '';
  const labels = past.length > 0 ? `the labels of ${names(past)}` : '';
  return [worse, labels].filter(Boolean).join(', and ');
}

/**
 * What the rollback says of the labels the withdrawn versions learnt (tester T10): still in labels.csv, learnt again
 * by the next merge unless reverted, and for each version the command that lists its own changes (reviewer V16).
 * A version the rollback went back past is said to be one, never "withdrawn" nor "worse" (task D5).
 */
export function withdrawnLabelsAdvice(w: WithdrawnLabels): string {
  const one = w.versions.length === 1;
  const names = withdrawnNames(w);
  const { past } = split(w);
  const never = past.filter((v) => v.neverInProduction);
  const before = past.filter((v) => !v.neverInProduction);
  const was = (vs: WithdrawnVersionLabels[], words: string) =>
    vs.length === 0 ? '' : `${listWords(vs.map((v) => v.version))} ${vs.length === 1 ? 'was' : 'were'} ${words}`;
  const why = [was(never, 'never in production'), was(before, 'out of production already')].filter(Boolean);
  const note =
    why.length === 0 ? '' : ` (${why.join(', ')}: the rollback went back past ${past.length === 1 ? 'it' : 'them'})`;
  const made =
    past.length > 0
      ? `${one ? 'change' : 'changes'} that made them`
      : `${one ? `change that made ${names}` : 'changes that made them'} worse`;
  const each = w.versions
    .map((v, i) => {
      const words = `${keptWords(v)} in labels.csv (${withdrawnDiffCommand(v)} lists those changes)`;
      return i === 0 ? words : words.replace(/^The/, 'the');
    })
    .join('; ');
  return (
    `The labels ${names} learnt from are still in labels.csv${note}: the next merge trains on them again unless ` +
    `the ${made} ${one ? 'is' : 'are'} reverted. ` +
    `${each}: put the right labels back in a pull request, or say in it why they stay.`
  );
}
