import { parseLabels } from '../collection/index.ts';
import { checkLabels } from '../dataset/validate.ts';
import { isVitrineError, messageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import { rel, type Workspace } from '../paths.ts';
import { fetchBase, gitAuthHeaders, readTextAtCommit, resolveCommit } from '../report/git.ts';
import { gitToken, reportBaseGiven } from '../stages/report.ts';
import type { LabelLine } from '../types.ts';

/*
 * The labels a pull request started from, for the cross-validated comparison of a label change: the
 * report's base (VITRINE_BASE_REF or the pull request's base branch, fetched when a shallow checkout
 * lacks it, as the report does), or else the commit the baseline model was registered on (a local
 * run of the README's walkthrough: the labels production was trained with). Checked against today's
 * collection and vocabulary exactly as the dataset stage checks labels.csv.
 */

export interface BaseLabels {
  /** What the base is, in words: a ref ("main") or "v1.0.0's commit". */
  ref: string;
  commit: string;
  /** Object id → label, after the dataset stage's checks (unknown objects, labels outside the vocabulary left out). */
  labelOf: Map<string, string>;
}

/** Where the base labels come from, without reading them: a ref to resolve, or a known commit. */
export function baseSource({
  env,
  baselineCommit,
  baselineVersion,
}: {
  env: Record<string, string | undefined>;
  baselineCommit: string | null;
  baselineVersion: string | null;
}): { ref: string; commit?: string } | null {
  const ref = reportBaseGiven(env);
  if (ref) return { ref };
  if (baselineCommit) return { ref: `the commit of ${baselineVersion ?? 'the baseline'}`, commit: baselineCommit };
  return null;
}

/**
 * Read and check labels.csv at the base. Returns null (with a log line saying why) when there is no
 * base, or it cannot be found or fetched: the verdict then rests on the test split alone.
 */
export async function readBaseLabels({
  ws,
  env,
  source,
  objectIds,
  vocabulary,
  log,
}: {
  ws: Workspace;
  env: Record<string, string | undefined>;
  source: { ref: string; commit?: string } | null;
  objectIds: Set<string>;
  vocabulary: string[];
  log: Logger;
}): Promise<BaseLabels | null> {
  if (!source) return null;
  let commit = source.commit ?? null;
  try {
    if (!commit) {
      try {
        commit = await resolveCommit({ dir: ws.root, ref: source.ref });
      } catch (error) {
        if (!isVitrineError(error, 'GIT_REF_UNKNOWN')) throw error;
        commit = (
          await fetchBase({ dir: ws.root, ref: source.ref, headers: gitAuthHeaders({ token: gitToken(env) }), log })
        ).commit;
      }
    }
    const file = rel(ws, ws.labels);
    const text = await readTextAtCommit({ dir: ws.root, commit, filepath: file });
    // Lines that disagree (an empty label cell beside a label too) leave the object unlabelled, as in the dataset.
    const blanks: LabelLine[] = [];
    const lines = text === null ? [] : parseLabels({ text, file: `${file} at ${source.ref}`, blanks });
    const name = `${file} at ${source.ref}`;
    const { labelOf } = checkLabels({ labels: lines, blanks, objectIds, vocabulary, name });
    return { ref: source.ref, commit, labelOf };
  } catch (error) {
    log.info(
      `The labels at ${source.ref} could not be read (${messageOf(error)}), so the label change is judged on the test split only.`,
    );
    return null;
  }
}
