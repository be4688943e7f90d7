import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseLabels } from '../collection/index.ts';
import { VitrineError } from '../errors.ts';
import { checkedOutBranch, isDescendant, readCommitSummary, readTextAtCommit, resolveCommit } from '../git/history.ts';
import { isShallow } from '../git/repo.ts';
import { misnamedData, SPREADSHEET } from '../github/guard.ts';
import { quoted } from '../log.ts';
import type { Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import { reportBase } from '../stages/report.ts';
import { type EmptyLabels, emptyLabelsWords, fillInWords } from './validate.ts';

/*
 * A labels.csv missing from the work tree is a new collection's, not labelled yet, unless git still has it: an
 * outside tester's branch deleted it and heard "labels.csv does not exist yet". Where it still is decides the words.
 */

/**
 * Where a missing labels.csv still is: the last commit (deleted in this folder only), the base this branch left, or
 * the history of this branch itself (a commit on main deleted it, and a run on main has no base to compare with).
 */
export type LabelsDeleted =
  | { from: 'last commit'; renamedTo?: string }
  | {
      from: 'base';
      base: string;
      commit: string;
      /** The file beside it whose name is labels.csv's in another spelling ("labels (1).csv"): a rename, said so. */
      renamedTo?: string;
    }
  | {
      from: 'history';
      /** The commit that deleted it, its message's first line, and how many commits came after it (0: the last). */
      commit: string;
      subject: string;
      after: number;
      /** The commit before it, which has it. */
      parent: string;
      /**
       * collection.branch (or the report's base), when the commit is that branch's, not this one's: the branch checked
       * out was made from it after the commit, and has no commit of its own since, or only commits that leave
       * labels.csv alone (`ownCommits`).
       */
      madeFrom?: string;
      /** With `madeFrom`: the branch has commits of its own (none of which touch labels.csv). */
      ownCommits?: boolean;
    };

/** How many commits back the history is searched for the one that deleted labels.csv. */
const HISTORY_DEPTH = 200;

/**
 * Where the missing labels.csv still is, without fetching anything: the last commit, else the base the report
 * compares with (VITRINE_BASE_REF, the pull request's base, or where this branch left collection.branch), else the
 * commit of this branch's own history (its first parents, HISTORY_DEPTH back) that deleted it. Null when labels.csv is
 * there, or git knows of none (a collection not labelled yet, a folder outside git).
 */
export async function labelsDeleted({
  ws,
  params,
  env,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
}): Promise<LabelsDeleted | null> {
  const there = await access(ws.labels).then(
    () => true,
    () => false,
  );
  if (there) return null;
  const filepath = rel(ws, ws.labels);
  const has = (commit: string) =>
    readTextAtCommit({ dir: ws.root, commit, filepath }).then(
      (text) => text !== null,
      () => false,
    );
  const where = await stillIn({ ws, params, env, has });
  if (where?.from !== 'base' && where?.from !== 'last commit') return where;
  const renamedTo = await renamedFile({ ws, filepath });
  return renamedTo ? { ...where, renamedTo } : where;
}

/**
 * The file beside a missing labels.csv whose name the GitHub guard reads as its in another spelling (misnamedData:
 * "labels (1).csv", Labels.csv, "labels.csv.txt"): what `git mv` or GitHub's web editor renamed it to. Not a
 * spreadsheet's own file (labels.xlsx), which is no rename of a CSV. Null when none, or more than one.
 */
async function renamedFile({ ws, filepath }: { ws: Workspace; filepath: string }): Promise<string | null> {
  const folder = path.dirname(ws.labels);
  const names = await readdir(folder).catch(() => [] as string[]);
  const found = names
    .map((name) => rel(ws, path.join(folder, name)))
    .filter((p) => !SPREADSHEET.test(p) && misnamedData({ path: p, allowed: [filepath] }) === filepath);
  return found.length === 1 ? found[0]! : null;
}

/**
 * The commit where labels.csv is still as `has` wants it: the last commit, else the report's base, else the commit of
 * this branch's history that changed it so. Null when git knows of none, or cannot be read.
 */
async function stillIn({
  ws,
  params,
  env,
  has,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
  has: (commit: string) => Promise<boolean>;
}): Promise<LabelsDeleted | null> {
  // Only words depend on this: a repository git cannot read leaves the plain "does not exist yet".
  try {
    const head = await resolveCommit({ dir: ws.root, ref: 'HEAD' }).catch(() => null);
    if (head && (await has(head))) return { from: 'last commit' };
    const base = await reportBase({ ws, params, env });
    const commit = base.ref ? await resolveCommit({ dir: ws.root, ref: base.ref }).catch(() => null) : null;
    if (commit && (await has(commit)))
      return { from: 'base', base: base.branchPoint ? `${base.name}, where this branch left it,` : base.name!, commit };
    // The base has none either: a commit of the branch's own did it (main had deleted it, the branch restored it,
    // then deleted it again), and it is named; or the base's history did, and this branch changes nothing in it
    // (main did, perhaps on purpose: a museum starting its labels again): said as for a branch with no commit of its
    // own, with main's commit and both ways out (a tester's branch with a commit of its own heard "labels.csv does
    // not exist yet"). None in the history: a collection not labelled yet.
    if (commit) {
      const own = head ? await deletedInHistory({ dir: ws.root, head, has }) : null;
      if (own?.from !== 'history') return null;
      if (await isDescendant({ dir: ws.root, commit: own.parent, ancestor: commit })) return own;
      return { ...own, madeFrom: base.name ?? params.collection.branch, ownCommits: commit !== head };
    }
    const found = head ? await deletedInHistory({ dir: ws.root, head, has }) : null;
    if (found?.from !== 'history' || base.code !== 'merged') return found;
    // A branch with no commit of its own (made from main, nothing committed yet): main did it, not the branch.
    const branch = await checkedOutBranch({ dir: ws.root, env }).catch(() => null);
    const main = params.collection.branch;
    return branch && branch !== main ? { ...found, madeFrom: main } : found;
  } catch {
    return null;
  }
}

/** The commit among `head`'s first parents that deleted the file (its parent has it), or null. */
async function deletedInHistory({
  dir,
  head,
  has,
}: {
  dir: string;
  head: string;
  has: (commit: string) => Promise<boolean>;
}): Promise<LabelsDeleted | null> {
  let commit = head;
  for (let after = 0; after < HISTORY_DEPTH; after++) {
    const { message, parents } = await readCommitSummary({ dir, commit });
    const parent = parents[0];
    // The first commit, or the end of a shallow clone's history: no commit known to have had it.
    if (!parent) return null;
    const known = await has(parent);
    if (known) return { from: 'history', commit, subject: firstLine(message), after, parent };
    commit = parent;
  }
  return null;
}

/** A commit message's first line, cut short at about 80 characters (a merge's can run long). */
function firstLine(message: string): string {
  const line = message.split('\n')[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79).trimEnd()}…` : line;
}

/**
 * "labels.csv is deleted on this branch (main, where this branch left it, has it)": the start of what is said. It
 * starts with the file's name, said once (a printed error can put "labels.csv:" before it).
 */
export function labelsDeletedWords({ deleted, name }: { deleted: LabelsDeleted; name: string }): string {
  if ((deleted.from === 'base' || deleted.from === 'last commit') && deleted.renamedTo)
    return `${name} was renamed to ${quoted(deleted.renamedTo)} ${deleted.from === 'base' ? 'on this branch' : 'in this folder'}`;
  if (deleted.from === 'base') return `${name} is deleted on this branch (${deleted.base} has it)`;
  if (deleted.from === 'last commit') return `${name} is missing from this folder, but the last commit has it`;
  const { commit, subject, after, madeFrom } = deleted;
  if (madeFrom)
    return (
      `${name} is missing on this branch, as on ${madeFrom}: ${unchangedWords({ name, deleted })}, and ${madeFrom} ` +
      'deleted ' +
      `it in ${commitWords(deleted)}`
    );
  const named = subject ? `, “${subject}”` : '';
  return after === 0
    ? `${name} was deleted by the last commit (${commit.slice(0, 12)}${named})`
    : `${name} was deleted by commit ${commit.slice(0, 12)} (${subject ? `“${subject}”, ` : ''}${after} ` +
        `${after === 1 ? 'commit' : 'commits'} before the last)`;
}

/** "this branch changes nothing in labels.csv (it has no commit of its own)", or "(its own commits leave it alone)". */
function unchangedWords({ name, deleted }: { name: string; deleted: LabelsDeleted & { from: 'history' } }): string {
  const why = deleted.ownCommits ? 'its own commits leave it alone' : 'it has no commit of its own';
  return `this branch changes nothing in ${name} (${why})`;
}

/** A commit as "commit 8ae2c499abcd (“Drop labels”)". */
function commitWords({ commit, subject }: { commit: string; subject: string }): string {
  return `commit ${commit.slice(0, 12)}${subject ? ` (“${subject}”)` : ''}`;
}

/**
 * The error for a missing labels.csv git still has: where it went, so nothing to train on, how to restore it; and,
 * when a commit of main deleted it (maybe on purpose: a museum starting its labels again), how to start a new one.
 */
export function labelsDeletedError({
  deleted,
  name,
  vocabulary,
  exampleId,
}: {
  deleted: LabelsDeleted;
  name: string;
  vocabulary: string[];
  exampleId?: string;
}): VitrineError {
  const slip =
    deleted.from === 'history' && deleted.madeFrom
      ? `If ${deleted.madeFrom} deleted it by mistake`
      : 'If that was not meant';
  const fillIn = fillInWords({ empty: { kind: 'zero-bytes' }, vocabulary, exampleId });
  // Renamed: renaming it back is the way, which GitHub's web editor does too (staff there cannot run git).
  if ((deleted.from === 'base' || deleted.from === 'last commit') && deleted.renamedTo)
    return new VitrineError(
      'DATASET_NO_LABELS',
      `${labelsDeletedWords({ deleted, name })}, so no object has a staff label and there is nothing to train on: ` +
        `Vitrine reads the labels only as ${name}, in exactly that spelling. Rename it back to ${name} ` +
        `(on GitHub: open the file, edit its name)${deleted.from === 'base' ? ' and commit' : ''}.`,
      { file: name },
    );
  return new VitrineError(
    'DATASET_NO_LABELS',
    `${labelsDeletedWords({ deleted, name })}, so no object has a staff label and there is nothing to train on. ` +
      `${slip}, ${restoreWords({ deleted, name })}.` +
      (deleted.from === 'history'
        ? ` If it was meant (to start the labels again), create ${name} with ${fillIn.replace(/^Add /, '')}.`
        : ''),
    { file: name },
  );
}

/** How to get it back: the command that restores it from where it still is. */
export function restoreWords({ deleted, name }: { deleted: LabelsDeleted; name: string }): string {
  if (deleted.from === 'last commit') return `restore it ("git checkout HEAD -- ${name}")`;
  const from = deleted.from === 'base' ? deleted.commit : deleted.parent;
  return `restore it ("git checkout ${from.slice(0, 12)} -- ${name}") and commit`;
}

/*
 * The same slip the other way: a tester's branch emptied labels.csv (0 bytes, or only its header) and heard the advice
 * for a new collection, "Add the header "object_id,label", then one line per object".
 */

/** Where the labels of an emptied labels.csv still are (as for a deleted one), and how many objects they label there. */
export type LabelsEmptied = LabelsDeleted & { labels: number };

/**
 * Where labels.csv, there but without a label, still has labels: the last commit (emptied in this folder only), the
 * base the report compares with, or the commit of this branch's history before the one that emptied it. Null when git
 * knows of none (a new collection not labelled yet, a folder outside git). Asked only of a labels.csv found empty.
 */
export async function labelsEmptied({
  ws,
  params,
  env,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
}): Promise<LabelsEmptied | null> {
  const filepath = rel(ws, ws.labels);
  const labelled = async (commit: string): Promise<number> => {
    const text = await readTextAtCommit({ dir: ws.root, commit, filepath }).catch(() => null);
    if (text === null) return 0;
    try {
      const ids = parseLabels({ text, file: filepath, blanks: [] }).map((l) => l.objectId);
      return new Set(ids).size;
    } catch {
      // A labels.csv that cannot be read there (a merge conflict left in it) is no place to restore it from.
      return 0;
    }
  };
  const where = await stillIn({ ws, params, env, has: async (commit) => (await labelled(commit)) > 0 });
  if (!where) return null;
  const from = where.from === 'last commit' ? 'HEAD' : where.from === 'base' ? where.commit : where.parent;
  const commit = await resolveCommit({ dir: ws.root, ref: from }).catch(() => null);
  const labels = commit ? await labelled(commit) : 0;
  return labels > 0 ? { ...where, labels } : null;
}

/**
 * The base branch whose labels.csv this copy of the repository cannot read (a shallow clone, as CI's, that lacks it
 * or does not reach where this branch left it), for an emptied labels.csv no commit known has labels in: whether this branch
 * emptied it cannot be told. Null on the base branch itself, outside git, or when the base was read.
 */
export async function unreadBase({
  ws,
  params,
  env,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
}): Promise<string | null> {
  try {
    // Only a shallow clone: a full history without the base (a new repository whose branch is "master") was searched
    // whole, and a new collection would hear of restoring what it never had.
    // Asked of pipeline/git/, which finds the git folder as git does (a .git file naming it, a worktree's).
    if (!(await isShallow(ws.root))) return null;
    const base = await reportBase({ ws, params, env });
    if (base.ref) {
      const commit = await resolveCommit({ dir: ws.root, ref: base.ref }).catch(() => null);
      return commit ? null : (base.name ?? base.ref);
    }
    return base.code === 'short-history' || base.code === 'no-branch' ? params.collection.branch : null;
  } catch {
    return null;
  }
}

/**
 * The error for an emptied labels.csv: "labels.csv is emptied on this branch: it has no rows below its header now,
 * while main, where this branch left it, has 149 labels. So … restore it ("git checkout 8ae2c499abcd -- labels.csv")
 * and commit." It starts with the file's name, said once (a printed error can put "labels.csv:" before it).
 */
export function labelsEmptiedError({
  emptied,
  empty,
  name,
  vocabulary,
  exampleId,
}: {
  emptied: LabelsEmptied;
  empty: EmptyLabels;
  name: string;
  /** For the advice to fill it in, given when a commit of this branch's own history emptied it (maybe on purpose). */
  vocabulary: string[];
  exampleId?: string;
}): VitrineError {
  if (emptied.from === 'history' && emptied.madeFrom)
    return emptiedOnBaseError({ emptied, empty, name, vocabulary, exampleId });
  const { commit, subject, after } = emptied.from === 'history' ? emptied : { commit: '', subject: '', after: 0 };
  const [start, source] =
    emptied.from === 'base'
      ? [`${name} is emptied on this branch`, emptied.base]
      : emptied.from === 'last commit'
        ? [`${name} was emptied in this folder`, 'the last commit']
        : after === 0
          ? [
              `${name} was emptied by the last commit (${commit.slice(0, 12)}${subject ? `, “${subject}”` : ''})`,
              'the commit before it',
            ]
          : [
              `${name} was emptied by commit ${commit.slice(0, 12)} (${subject ? `“${subject}”, ` : ''}${after} ` +
                `${after === 1 ? 'commit' : 'commits'} before the last)`,
              'the commit before it',
            ];
  return new VitrineError(
    'DATASET_NO_LABELS',
    `${start}: it ${emptyLabelsWords({ empty })} now, while ${source} has ${emptied.labels} ` +
      `${emptied.labels === 1 ? 'label' : 'labels'}. So no object has a staff label and there is nothing to train on. ` +
      `If that was not meant, ${restoreWords({ deleted: emptied, name })}.` +
      // On main itself, emptying it may have been meant (starting the labels again): how to fill it in, too.
      (emptied.from === 'history'
        ? ` If it was meant, ${lowerFirst(fillInWords({ empty, vocabulary, exampleId }))}.`
        : ''),
    { file: name },
  );
}

/**
 * labelsEmptiedError on a branch with no commit of its own: "labels.csv has no rows below its header on this branch,
 * as on main: this branch changes nothing in labels.csv (it has no commit of its own), and main emptied it in commit
 * 8ae2c499abcd (“…”), which removed its 149 labels." Then both ways, main's doing either way.
 */
function emptiedOnBaseError({
  emptied,
  empty,
  name,
  vocabulary,
  exampleId,
}: {
  emptied: LabelsEmptied & { from: 'history' };
  empty: EmptyLabels;
  name: string;
  vocabulary: string[];
  exampleId?: string;
}): VitrineError {
  const main = emptied.madeFrom!;
  const labels = `${emptied.labels} ${emptied.labels === 1 ? 'label' : 'labels'}`;
  return new VitrineError(
    'DATASET_NO_LABELS',
    `${name} ${emptyLabelsWords({ empty })} on this branch, as on ${main}: ` +
      `${unchangedWords({ name, deleted: emptied })}, and ${main} emptied it in ${commitWords(emptied)}, ` +
      `which removed its ${labels}. So no object has a staff label and there is nothing to train on. If ${main} ` +
      'emptied it on purpose (to start the labels again), ' +
      `${lowerFirst(fillInWords({ empty, vocabulary, exampleId }))}. If ${main} emptied it by mistake, ` +
      `${restoreWords({ deleted: emptied, name })}.`,
    { file: name },
  );
}

/** "Add one line …" as "add one line …", to follow "If it was meant,". */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
