import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { mergeBase, readTextAtCommit, resolveCommit } from '../git/history.ts';
import { gitLayout } from '../git/repo.ts';

/*
 * Whether git stopped part-way through combining two histories (a merge, a rebase, a cherry-pick) with data.dvc
 * changed on both sides: then data.dvc, whatever it holds now, is not a record of data/ to build on, and recording
 * data/ over it would drop the other side's photographs. Read from the files git leaves in its folder, as git
 * status does; nothing here writes to git.
 */

/** What git is in the middle of. Only a merge can be finished by "vitrine data merge". */
export type GitOperation = 'merge' | 'rebase' | 'cherry-pick';

export interface Underway {
  operation: GitOperation;
  /** The commit being brought in (MERGE_HEAD, REBASE_HEAD, CHERRY_PICK_HEAD), when git names one. */
  other?: string;
}

/** The operation git stopped in, in the repository whose work tree is `root`; undefined when none (or no git). */
export async function gitUnderway({ root }: { root: string }): Promise<Underway | undefined> {
  const layout = await gitLayout({ dir: root }).catch(() => null);
  if (!layout) return undefined;
  const at = (name: string) => path.join(layout.gitdir, name);
  const commitIn = async (name: string) =>
    (await readFile(at(name), 'utf8').catch(() => '')).split('\n')[0]!.trim() || undefined;
  // A rebase first: one that replays a merge also leaves MERGE_HEAD. Its folder says one is under way, as git status
  // reads it; REBASE_HEAD names the commit it stopped on.
  if ((await exists(at('rebase-merge'))) || (await exists(at('rebase-apply')))) {
    const rebaseHead = await commitIn('REBASE_HEAD');
    return { operation: 'rebase', ...(rebaseHead ? { other: rebaseHead } : {}) };
  }
  const mergeHead = await commitIn('MERGE_HEAD');
  if (mergeHead) return { operation: 'merge', other: mergeHead };
  const picked = await commitIn('CHERRY_PICK_HEAD');
  if (picked) return { operation: 'cherry-pick', other: picked };
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The commits of a conflict in a .dvc file: this branch's (HEAD), the other side's, and where both started. */
export interface RecordConflict extends Underway {
  ours: string;
  other: string;
  base: string | null;
}

/**
 * The operation under way when both sides changed `dvcName` since they parted (each recorded data/ its own way), as
 * git decides a conflict: undefined when none is under way, when one side left the file as it was, or when git
 * does not name the other side's commit.
 */
export async function recordConflict({
  root,
  dvcName,
}: {
  root: string;
  dvcName: string;
}): Promise<RecordConflict | undefined> {
  const underway = await gitUnderway({ root });
  if (!underway?.other) return undefined;
  const { operation, other } = underway;
  try {
    const ours = await resolveCommit({ dir: root, ref: 'HEAD' });
    // A rebase or a cherry-pick applies one commit's change: git merges from that commit's parent.
    const base =
      operation === 'merge'
        ? await mergeBase({ dir: root, a: ours, b: other })
        : await resolveCommit({ dir: root, ref: `${other}~1` }).catch(() => null);
    const text = async (commit: string | null) =>
      commit
        ? ((await readTextAtCommit({ dir: root, commit, filepath: dvcName }))?.replace(/\r\n/g, '\n') ?? null)
        : null;
    const [mine, theirs, was] = await Promise.all([text(ours), text(other), text(base)]);
    if (mine === theirs || mine === was || theirs === was) return undefined;
    return { operation, ours, other, base };
  } catch {
    // History git itself could not read either (a shallow clone): the text of the file says what it can.
    return undefined;
  }
}

/**
 * The note "vitrine data merge" leaves once it has written the merge of a .dvc file: for which two commits, and the
 * folder list it (or a "data add" after it) recorded. While it stands, recording data/ again belongs to that merge.
 */
export function mergeNoteFile(root: string, target = 'data'): string {
  return path.join(path.resolve(root), '.dvc', 'tmp', `merge-recorded.${target.replace(/[\\/:]/g, '_')}`);
}

interface MergeNote {
  ours: string;
  other: string;
  md5: string;
}

/** Note that `md5` is the record of `target`/ written for the merge of `other` into `ours`. */
export async function noteMergeRecorded({
  root,
  target = 'data',
  ours,
  other,
  md5,
}: MergeNote & { root: string; target?: string }): Promise<void> {
  const file = mergeNoteFile(root, target);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ ours, other, md5 })}\n`);
}

/** Whether `md5` is what was recorded for this very merge (data merge, or a data add after it). */
export async function mergeRecorded({
  root,
  target = 'data',
  ours,
  other,
  md5,
}: MergeNote & { root: string; target?: string }): Promise<boolean> {
  try {
    const note = JSON.parse(await readFile(mergeNoteFile(root, target), 'utf8')) as Partial<MergeNote>;
    return note.ours === ours && note.other === other && note.md5 === md5;
  } catch {
    return false;
  }
}

/** A merge of data.dvc under way and not written yet: the conflict, and whether `md5` is what "data merge" wrote. */
export interface UnfinishedMerge extends RecordConflict {
  /** What data.dvc records now is the merge "data merge" wrote for these two commits (or a "data add" after it). */
  written: boolean;
}

/**
 * Whether git is combining two histories that both changed `target`.dvc, and whether what it records now (`md5`,
 * its folder list; undefined when it does not read) is the merge "vitrine data merge" wrote: only then may data/ be
 * recorded, filled or checked out from it. Anything else it holds (a conflict resolved by hand, one side kept
 * whole) has one branch's photographs only. Undefined when no such operation is under way.
 */
export async function unfinishedMerge({
  root,
  target = 'data',
  md5,
}: {
  root: string;
  target?: string;
  md5?: string;
}): Promise<UnfinishedMerge | undefined> {
  const conflict = await recordConflict({ root, dvcName: `${target}.dvc` });
  if (!conflict) return undefined;
  const { operation, ours, other } = conflict;
  const written =
    operation === 'merge' && md5 !== undefined && (await mergeRecorded({ root, target, ours, other, md5 }));
  return { ...conflict, written };
}

/** What was about to happen to data/ when an unfinished merge stopped it. */
export type MergeRefused = 'record' | 'pull' | 'checkout' | 'import' | 'run';

/**
 * The refusal of `refused` while a merge of `target`.dvc is unfinished (DATA_MERGE_UNFINISHED), or while a rebase or
 * a cherry-pick stopped on it (DATA_MERGE_REBASE): said before anything was changed, with the way to finish.
 */
export function unfinishedMergeError({
  conflict,
  target = 'data',
  refused,
}: {
  conflict: RecordConflict;
  target?: string;
  refused: MergeRefused;
}): VitrineError {
  const name = `${target}.dvc`;
  const { operation, ours, other } = conflict;
  const nothing =
    refused === 'record'
      ? 'Nothing was recorded.'
      : refused === 'run'
        ? 'The run stopped before any stage: nothing was trained.'
        : 'Nothing was changed.';
  const doing =
    refused === 'record'
      ? `recording ${target}/ now`
      : refused === 'import'
        ? 'an import now'
        : `a data ${refused} now, which fills ${target}/ from ${name},`;
  // A run changes no photographs: it would train and report on one side's as if they were the merge's.
  const trains = (side: 'side' | 'branch') =>
    `a run now would train and report on ${target}/ as it is, one ${side}’s photographs only, as if ${name} ` +
    'recorded the merge of both';
  if (operation !== 'merge')
    return new VitrineError(
      'DATA_MERGE_REBASE',
      `Git is in the middle of ${operationWords(operation)}, and both sides changed ${name} (each recorded ` +
        `${target}/ its own way): ${refused === 'run' ? trains('side') : `${doing} would drop the other side’s photographs`}. ` +
        `${nothing} ${notAMergeAdvice(operation)}`,
      { file: name, operation },
    );
  const notYet =
    `${name} does not hold their merge yet, whatever it holds now (a conflict resolved by hand, or one side kept, ` +
    'has one branch’s photographs only)';
  const why =
    refused === 'record'
      ? `recording ${target}/ now would write ${name} from this computer’s ${target}/ alone and drop the other ` +
        `branch’s photographs, whatever ${name} holds now.`
      : refused === 'import'
        ? `${notYet}: ${doing} would change ${target}/, which "data merge" reads as this branch’s, and record it ` +
          'without the other branch’s photographs, which committed would drop them.'
        : refused === 'run'
          ? `${notYet}: ${trains('branch')}.`
          : `${notYet}: ${doing} would leave ${target}/ with one branch’s photographs, and committed, it would drop ` +
            'the other branch’s photographs.';
  return new VitrineError(
    'DATA_MERGE_UNFINISHED',
    `A git merge is under way, and both branches changed ${name} (each recorded ${target}/ its own way): ${why} ` +
      `${nothing} Run "npx vitrine data merge": it reads both branches’ records from git, keeps what either ` +
      `added, removed or changed, fills ${target}/ and writes ${name}; then commit it (git add ${name}, then git ` +
      `commit)${refused === 'run' ? ', and run again' : ''}. To give up the merge instead, run "git merge --abort".`,
    { file: name, ours, other },
  );
}

/**
 * "data gc" while git combines two histories that both changed one of `files` (.dvc files, relative to `root`): what
 * it records now is neither side's whole, and "data merge" reads both sides' folder lists and photographs from the
 * cache (this branch's maybe never pushed), so none goes until the merge is committed. Checked by gcData itself, so
 * the command and the data-cache action are both refused.
 */
export async function refuseGcDuringMerge({ root, files }: { root: string; files: string[] }): Promise<void> {
  for (const file of files) {
    const conflict = await recordConflict({ root, dvcName: file });
    if (!conflict) continue;
    const { operation } = conflict;
    const would =
      `"npx vitrine data gc" now would remove from the local cache what ${file} does not record now, which the ` +
      `merge reads: this branch’s photographs and folder list among them, never pushed maybe. Nothing was removed.`;
    if (operation !== 'merge')
      throw new VitrineError(
        'DATA_MERGE_REBASE',
        `Git is in the middle of ${operationWords(operation)}, and both sides changed ${file}: ${would} ` +
          `${notAMergeAdvice(operation)} Once the merge is committed, run "npx vitrine data gc" again.`,
        { file, operation },
      );
    throw new VitrineError(
      'DATA_MERGE_UNFINISHED',
      `A git merge is under way, and both branches changed ${file}: ${would} Finish the merge first: run ` +
        `"npx vitrine data merge" (if it has not run yet), commit ${file} (git add ${file}, then git commit), then ` +
        'run "npx vitrine data gc" again.',
      { file, ours: conflict.ours, other: conflict.other },
    );
  }
}

/**
 * What to do when git stopped in an operation "vitrine data merge" cannot finish: give it up, then merge. The way
 * back is git's own (--abort puts the branch back as it was before), so nothing is lost.
 */
export function notAMergeAdvice(operation: Exclude<GitOperation, 'merge'>): string {
  if (operation === 'rebase')
    return (
      'Vitrine combines two records of data/ only in a merge, not in a rebase ("git pull --rebase" or ' +
      '"git rebase"). Run "git rebase --abort" (it puts your branch back as it was before), then ' +
      '"git pull --no-rebase" (or "git merge <branch>"), then "npx vitrine data merge". To have "git pull" merge ' +
      'from now on: "git config pull.rebase false".'
    );
  return (
    'Vitrine combines two records of data/ only in a merge, not in a cherry-pick. Run "git cherry-pick --abort" ' +
    '(it puts your branch back as it was before), then merge the other branch instead ("git merge <branch>"), then ' +
    '"npx vitrine data merge".'
  );
}

/** "a rebase", "a cherry-pick": what git is in the middle of, in words. */
export function operationWords(operation: GitOperation): string {
  return operation === 'rebase'
    ? 'a rebase ("git pull --rebase" or "git rebase")'
    : operation === 'cherry-pick'
      ? 'a cherry-pick ("git cherry-pick")'
      : 'a git merge';
}
