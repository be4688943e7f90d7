import { access } from 'node:fs/promises';
import { readTextAtCommit, resolveCommit } from '../git/history.ts';
import type { Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import { reportBase } from '../stages/report.ts';

/*
 * A labels.csv missing from the work tree is a new collection's, not labelled yet, unless git still has it: an
 * outside tester's branch deleted it and heard "labels.csv does not exist yet". Where it still is decides the words.
 */

/** Where a missing labels.csv still is: the last commit (deleted in this folder only) or the base this branch left. */
export type LabelsDeleted = { from: 'last commit' } | { from: 'base'; base: string; commit: string };

/**
 * Where the missing labels.csv still is, without fetching anything: the last commit, else the base the report
 * compares with (VITRINE_BASE_REF, the pull request's base, or where this branch left collection.branch). Null when
 * labels.csv is there, or git knows of none (a collection not labelled yet, a folder outside git).
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
  // Only words depend on this: a repository git cannot read leaves the plain "does not exist yet".
  try {
    const head = await resolveCommit({ dir: ws.root, ref: 'HEAD' }).catch(() => null);
    if (head && (await has(head))) return { from: 'last commit' };
    const base = await reportBase({ ws, params, env });
    if (!base.ref) return null;
    const commit = await resolveCommit({ dir: ws.root, ref: base.ref }).catch(() => null);
    if (!commit || !(await has(commit))) return null;
    return { from: 'base', base: base.branchPoint ? `${base.name} where this branch left it` : base.name!, commit };
  } catch {
    return null;
  }
}

/** "This branch deletes labels.csv (main where this branch left it has it)": the start of what is said. */
export function labelsDeletedWords({ deleted, name }: { deleted: LabelsDeleted; name: string }): string {
  return deleted.from === 'base'
    ? `This branch deletes ${name} (${deleted.base} has it)`
    : `${name} is missing from this folder, but the last commit has it`;
}

/** How to get it back: the command that restores it from where it still is. */
export function restoreWords({ deleted, name }: { deleted: LabelsDeleted; name: string }): string {
  return deleted.from === 'base'
    ? `restore it ("git checkout ${deleted.commit.slice(0, 12)} -- ${name}") and commit`
    : `restore it ("git checkout -- ${name}")`;
}
