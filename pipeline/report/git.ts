import fs from 'node:fs';
import git from 'isomorphic-git';
import { readFileAtRef, resolveCommit as resolveRef } from '../data/git.ts';
import { VitrineError, isVitrineError } from '../errors.ts';

/*
 * The git reading the report needs, over the data layer's helpers: the base of a pull request
 * (which a CI checkout only has as `origin/<branch>`), files at a commit, and the last commit that
 * touched labels.csv.
 */

/** Resolve a branch, tag or commit; a branch name is also tried as `origin/<name>`. */
export async function resolveCommit({ dir, ref }: { dir: string; ref: string }): Promise<string> {
  const candidates = /^[0-9a-f]{4,40}$/i.test(ref) ? [ref] : [ref, `origin/${ref}`];
  for (const candidate of candidates) {
    try {
      return await resolveRef({ dir, ref: candidate });
    } catch (error) {
      if (!isVitrineError(error, 'GIT_REF_UNKNOWN')) throw error;
    }
  }
  throw new VitrineError('GIT_REF_UNKNOWN', `The git reference "${ref}" was not found in ${dir}. In CI, fetch the base branch (actions/checkout with fetch-depth: 0).`, { ref, dir });
}

/** A file's text at a commit, or null when the file does not exist there. */
export async function readTextAtCommit({ dir, commit, filepath }: { dir: string; commit: string; filepath: string }): Promise<string | null> {
  return readFileAtRef({ dir, ref: commit, filepath });
}

/** The newest commit reachable from `ref` that changed `filepath` (looks back `depth` commits), or null. */
export async function lastCommitTouching({ dir, ref, filepath, depth = 200 }: { dir: string; ref: string; filepath: string; depth?: number }): Promise<string | null> {
  try {
    const entries = await git.log({ fs, dir, ref, filepath, depth });
    return entries[0]?.oid ?? null;
  } catch {
    // A shallow clone or a file with no history: the lineage just says "unknown".
    return null;
  }
}
