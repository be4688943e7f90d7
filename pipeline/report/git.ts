import fs from 'node:fs';
import git from 'isomorphic-git';
import { VitrineError } from '../errors.ts';

/*
 * The little git reading the report needs: a file as it was at the base of the pull request, the
 * commit a ref points to, and the last commit that touched a file. Kept here, small, until the data
 * layer's `readFileAtRef` (pipeline/data/git.ts) covers the same ground.
 */

/**
 * Resolve a branch, tag, remote branch or commit hash to a commit id. A branch name is also tried as
 * `origin/<name>`, which is how a pull request's base branch exists in a CI checkout.
 */
export async function resolveCommit({ dir, ref }: { dir: string; ref: string }): Promise<string> {
  const candidates = /^[0-9a-f]{40}$/i.test(ref) ? [ref] : [ref, `origin/${ref}`, `refs/remotes/origin/${ref}`];
  for (const candidate of candidates) {
    try {
      const oid = await git.resolveRef({ fs, dir, ref: candidate });
      // Annotated tags point to tag objects; peel to the commit.
      const { oid: commit } = await git.readCommit({ fs, dir, oid }).catch(async () => {
        const tag = await git.readTag({ fs, dir, oid });
        return { oid: tag.tag.object };
      });
      return commit;
    } catch {
      // Try the next spelling.
    }
  }
  throw new VitrineError('GIT_REF_UNKNOWN', `The git reference "${ref}" was not found in ${dir}. In CI, fetch the base branch (actions/checkout with fetch-depth: 0).`, { ref, dir });
}

/** A file's text at a commit, or null when the file does not exist there. */
export async function readTextAtCommit({ dir, commit, filepath }: { dir: string; commit: string; filepath: string }): Promise<string | null> {
  try {
    const { blob } = await git.readBlob({ fs, dir, oid: commit, filepath });
    return new TextDecoder().decode(blob);
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return null;
    throw error;
  }
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
