import { readFile } from 'node:fs/promises';
import { isVitrineError, messageOf } from '../errors.ts';
import type { GateChange } from '../evaluate/gate.ts';
import { writeFileAtomic } from '../fs.ts';
import { fetchBase, gitAuthHeaders, readFileFollowingLinks, resolveCommit } from '../git/history.ts';
import type { Logger } from '../log.ts';
import { parseParamsFile, refuseParamsLink } from '../params.ts';
import { rel, workspace } from '../paths.ts';
import { baseUnreadable, withBaseGate } from './guard.ts';

/*
 * A pull request's own checkout (the pull-request workflow for code runs the head) is judged by the base branch's
 * settings that decide its verdict, as the trusted workflow judges a data change: otherwise a pull request that
 * lowers the gate in params.yaml would pass by its own weakened gate. The settings it proposes apply after merge.
 */

/**
 * params.yaml in `root` with the base's verdict settings put back (withBaseGate), read from params.yaml at
 * `baseRef` (a branch, tag or commit; fetched when the clone lacks it). Returns the settings the checkout changes,
 * for the report's note and status. A params.yaml that does not validate, holds no settings or is a symbolic link, is
 * left as it is: the pipeline says why. A checkout without params.yaml has the defaults, and gets the base's values
 * in a new one. A base that cannot be found, or whose params.yaml cannot be read, fails (not judged by the head's
 * or the defaults instead); a base without params.yaml has the defaults.
 */
export async function keepBaseGate({
  root,
  baseRef,
  baseName = baseRef,
  token,
  log,
}: {
  root: string;
  /** The base's commit (the event's base.sha) or, failing that, its branch name. */
  baseRef: string;
  /** What messages call the base ("main"). */
  baseName?: string;
  /** Token to fetch the base with, when the clone lacks it (a shallow checkout). */
  token?: string;
  log: Logger;
}): Promise<{ changes: GateChange[]; baseCommit: string | null }> {
  const ws = workspace(root);
  // A link is neither read nor written through (it could lead to any file on the runner): the run refuses it.
  const link = await refuseParamsLink({ file: ws.params, name: 'params.yaml' }).catch((error: unknown) => error);
  if (link) {
    if (!isVitrineError(link, 'PARAMS_LINK')) throw link;
    log.info(
      'params.yaml is left as it is (it is a symbolic link, not a regular file): the pipeline says what to fix.',
    );
    return { changes: [], baseCommit: null };
  }
  const head = await readFile(ws.params, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  try {
    // As the run reads it: an empty one, or one whose collection lacks its name or labels, is refused there too.
    if (head !== null) parseParamsFile({ text: head, name: 'params.yaml' });
  } catch (error) {
    const codes = ['PARAMS_INVALID', 'PARAMS_YAML', 'PARAMS_EMPTY', 'PARAMS_MISSING'] as const;
    if (!codes.some((code) => isVitrineError(error, code))) throw error;
    log.info(`params.yaml is left as it is (${messageOf(error).split('\n')[0]}): the pipeline says what to fix.`);
    return { changes: [], baseCommit: null };
  }
  let commit: string;
  try {
    commit = await resolveCommit({ dir: root, ref: baseRef });
  } catch (error) {
    if (!isVitrineError(error, 'GIT_REF_UNKNOWN')) throw error;
    commit = (await fetchBase({ dir: root, ref: baseRef, headers: gitAuthHeaders({ token }), log })).commit;
  }
  let base: string | null;
  try {
    base = await readFileFollowingLinks({ dir: root, commit, filepath: rel(ws, ws.params) });
  } catch (error) {
    if (!isVitrineError(error) || !error.code.startsWith('GIT_')) throw error;
    throw baseUnreadable({ why: error.message.replace(/\.$/, ''), baseName });
  }
  // A base params.yaml that cannot be read fails here (withBaseGate): never judged by the defaults instead.
  const kept = withBaseGate({ head, base, baseName });
  if (kept.changes.length === 0) {
    log.info(`The settings that judge this change are the same as at ${baseName} (${commit.slice(0, 12)}).`);
    return { changes: [], baseCommit: commit };
  }
  await writeFileAtomic({ file: ws.params, data: kept.text });
  const keys = kept.changes.map((c) => c.key).join(', ');
  log.info(
    `This change sets ${keys} in params.yaml: it is judged by the values at ${baseName} (${commit.slice(0, 12)}), ` +
      'the rules in force; the new ones apply after it is merged.',
  );
  return { changes: kept.changes, baseCommit: commit };
}
