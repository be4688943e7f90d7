import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { labelForm } from '../collection/hidden-characters.ts';
import { parseLabels } from '../collection/index.ts';
import { readCachedManifest } from '../data/cache.ts';
import { readDvcConfig } from '../data/config.ts';
import { parseDvcFile } from '../data/dvcfile.ts';
import { diffMaps, loadManifest } from '../data/ops.ts';
import { openRemote } from '../data/remote.ts';
import { agreedLabels } from '../dataset/validate.ts';
import { isVitrineError, VitrineError } from '../errors.ts';
import { readCommitSummary } from '../git/history.ts';
import { readFileAtRef, resolveCommit as resolveGitCommit } from '../git/repo.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import type { Dataset, DatasetObject, LabelLine } from '../types.ts';
import type { CorrectionRate } from './types.ts';

/*
 * What changed in the repository since a model was promoted: which objects were added (or
 * re-photographed) and which labels were corrected. Read from git with isomorphic-git, and from the
 * DVC folder manifest of `data/` at the old commit, so nothing needs the git or dvc binaries.
 */

/** The commit a ref (branch, tag, full or short commit id) points at, peeling annotated tags. */
export async function resolveCommit({ root, ref }: { root: string; ref: string }): Promise<string> {
  try {
    return await resolveGitCommit({ dir: root, ref });
  } catch (error) {
    if (!isVitrineError(error, 'GIT_REF_UNKNOWN')) throw error;
    throw new VitrineError(
      'REF_UNKNOWN',
      `"${ref}" is not a branch, tag or commit of this repository (expected something like "main", ` +
        `"v1.2.0" or a commit id; on a shallow clone, fetch it first).`,
      { ref },
      { cause: error },
    );
  }
}

/** A file's text at a commit, or null when the file did not exist there. */
export async function textAtCommit({
  root,
  commit,
  filepath,
}: {
  root: string;
  commit: string;
  filepath: string;
}): Promise<string | null> {
  return readFileAtRef({ dir: root, ref: commit, filepath });
}

/**
 * Labels (object id → label) of `labels.csv` at a commit, read as the dataset stage reads it (agreedLines): an object
 * on lines that disagree, or with a label cell left empty beside its label, is unlabelled; the same label twice is
 * that label. (A plain map of the lines let the last line win, so monitoring counted a label the dataset never used.)
 * Empty when the file did not exist; a file that cannot be read fails with MONITOR_LABELS_UNREADABLE, naming the line
 * and the commit. Ids are keys in their composed form (NFC): an id saved with its accents encoded another way (as a
 * Mac saves text) in one commit is the same object in the next, as the dataset stage reads it (objectIdOf), not an
 * object removed and one added; look an object up by `labelKey(id)`.
 */
export async function labelsAtCommit({
  root,
  commit,
  paramsFile = 'params.yaml',
}: {
  root: string;
  commit: string;
  /** params.yaml's path in the repository: its vocabulary at `commit` is how the dataset stage read labels.csv there. */
  paramsFile?: string;
}): Promise<Map<string, string>> {
  const text = await textAtCommit({ root, commit, filepath: 'labels.csv' });
  if (text === null) return new Map();
  const blanks: LabelLine[] = [];
  let lines: LabelLine[];
  try {
    lines = parseLabels({ text, file: 'labels.csv', blanks });
  } catch (error) {
    if (!isVitrineError(error)) throw error;
    const line = typeof error.data.line === 'number' ? error.data.line : undefined;
    const problem = error.message.replace(/^labels\.csv(:\d+)?: /, '');
    throw new VitrineError(
      'MONITOR_LABELS_UNREADABLE',
      `labels.csv${line ? `, line ${line},` : ''} as it was at commit ${commit.slice(0, 7)} cannot be read: ${problem}`,
      { file: 'labels.csv', line, commit },
      { cause: error },
    );
  }
  // The report's rule, vocabulary step included: a line outside the vocabulary beside one in it is set aside.
  const vocabulary = await vocabularyAtCommit({ root, commit, paramsFile });
  const keyed = (list: LabelLine[]) => list.map((l) => ({ ...l, objectId: labelKey(l.objectId) }));
  return new Map(
    agreedLabels({ labels: keyed(lines), blanks: keyed(blanks), vocabulary }).map((l) => [l.objectId, l.label]),
  );
}

/** An object's id as labelsAtCommit's maps hold it: composed (NFC), whichever way its accents were saved. */
export function labelKey(id: string): string {
  return id.normalize('NFC');
}

/** collection.vocabulary in params.yaml at a commit; undefined when it has none or cannot be read (no step then). */
async function vocabularyAtCommit({ root, commit, paramsFile }: { root: string; commit: string; paramsFile: string }) {
  const text = await textAtCommit({ root, commit, filepath: paramsFile });
  if (text === null) return undefined;
  let v: unknown;
  try {
    v = (parseYaml(text) as { collection?: { vocabulary?: unknown } } | null)?.collection?.vocabulary;
  } catch {
    return undefined;
  }
  // In the form params.yaml's labels are read in (labelForm), as labels.csv's lines are: "Epoche:\u00a0Neu" is
  // "Epoche: Neu", which a line with a plain space matches.
  return Array.isArray(v) && v.every((l) => typeof l === 'string') ? (v as string[]).map(labelForm) : undefined;
}

/** How two label tables differ: labels changed, lines added (newly labelled) and removed. */
export function diffLabels({ before, after }: { before: Map<string, string>; after: Map<string, string> }): {
  changed: string[];
  added: string[];
  removed: string[];
} {
  const { changed, added, removed } = diffMaps({ before, after });
  return { changed: changed.sort(), added: added.sort(), removed: removed.sort() };
}

/**
 * Label corrections on the first-parent line of `head` since commit `since` (merged label pull
 * requests appear as one merge commit each). The totals compare labels.csv at `since` and at `head`
 * directly, so they are right even when the walk cannot reach `since` (a shallow clone, a tag on a
 * side branch); `byCommit` then lists what the walk saw, up to `maxCommits`.
 */
export async function correctionRate({
  root,
  since,
  head = 'HEAD',
  modelVersion,
  maxCommits = 500,
  log = silentLogger,
}: {
  root: string;
  /** Commit (or ref) the production model's labels came from. */
  since: string;
  head?: string;
  modelVersion: string;
  maxCommits?: number;
  /** Warned of: a commit of the walk whose labels.csv cannot be read, left out of `byCommit`. */
  log?: Logger;
}): Promise<CorrectionRate> {
  const sinceCommit = await resolveCommit({ root, ref: since });
  const headCommit = await resolveCommit({ root, ref: head });
  const before = await labelsAtCommit({ root, commit: sinceCommit });
  const after = await labelsAtCommit({ root, commit: headCommit });
  const total = diffLabels({ before, after });
  const byCommit: CorrectionRate['byCommit'] = [];
  // A labels.csv broken in one commit and mended in a later one cannot be fixed any more: the commits it makes
  // unreadable are left out of the list by commit, said once each; the totals above do not depend on them.
  const unreadable = new Map<string, VitrineError>();
  const labelsOf = async (commit: string): Promise<Map<string, string> | null> => {
    if (unreadable.has(commit)) return null;
    try {
      return await labelsAtCommit({ root, commit });
    } catch (error) {
      if (!isVitrineError(error, 'MONITOR_LABELS_UNREADABLE')) throw error;
      unreadable.set(commit, error);
      return null;
    }
  };
  let oid = headCommit;
  for (let i = 0; i < maxCommits && oid !== sinceCommit; i++) {
    const commit = await readCommitSummary({ dir: root, commit: oid });
    const parent = commit.parents[0];
    const mine = await textAtCommit({ root, commit: oid, filepath: 'labels.csv' });
    const theirs = parent ? await textAtCommit({ root, commit: parent, filepath: 'labels.csv' }) : null;
    if (mine !== theirs) {
      const after = await labelsOf(oid);
      const before = parent ? await labelsOf(parent) : new Map<string, string>();
      if (!after || !before) {
        if (!parent) break;
        oid = parent;
        continue;
      }
      const d = diffLabels({ before, after });
      byCommit.push({
        commit: oid,
        date: commit.committedAt,
        message: commit.message.split('\n')[0]!.trim(),
        changed: d.changed.length,
        added: d.added.length,
        removed: d.removed.length,
      });
    }
    if (!parent) break;
    oid = parent;
  }
  byCommit.reverse();
  for (const [commit, error] of unreadable)
    log.warn(
      `${error.message} The corrections of commit ${commit.slice(0, 7)}, and of the next commit to change labels.csv, ` +
        `are left out of the list by commit; the totals compare labels.csv at ${sinceCommit.slice(0, 7)} and now.`,
    );
  return {
    schema: 'vitrine.corrections/1',
    modelVersion,
    since: sinceCommit,
    until: headCommit,
    commits: byCommit.length,
    changed: total.changed.length,
    added: total.added.length,
    removed: total.removed.length,
    labelled: after.size,
    rate: before.size === 0 ? 0 : Math.round((total.changed.length / before.size) * 1e6) / 1e6,
    byCommit,
  };
}

/** Count labels that changed or were added since `since` (what the retraining trigger counts as new labels). */
export async function labelsChangedSince({
  root,
  since,
  head = 'HEAD',
}: {
  root: string;
  since: string;
  head?: string;
}): Promise<{ changed: number; added: number; removed: number; ids: string[] }> {
  const before = await labelsAtCommit({ root, commit: await resolveCommit({ root, ref: since }) });
  const after = await labelsAtCommit({ root, commit: await resolveCommit({ root, ref: head }) });
  const d = diffLabels({ before, after });
  return {
    changed: d.changed.length,
    added: d.added.length,
    removed: d.removed.length,
    ids: [...d.changed, ...d.added].sort(),
  };
}

/**
 * The data files (path inside `data/` → md5) at a commit: from `data.dvc`'s folder manifest in the
 * local DVC cache, or, for a repository that keeps `data/` in git itself, from `data/objects.csv`
 * (ids only, md5 unknown). Null when the commit has no collection at all.
 */
export async function dataFilesAtCommit({
  ws,
  commit,
  log,
}: {
  ws: Workspace;
  commit: string;
  /** Where the data remote, when opened for the folder list, says it corrected this computer's clock. */
  log?: Logger;
}): Promise<{ files: Map<string, string> | null; objectIds: Set<string> | null } | null> {
  const dvcText = await textAtCommit({ root: ws.root, commit, filepath: 'data.dvc' });
  if (dvcText !== null) {
    const dvc = parseDvcFile({ text: dvcText, file: `data.dvc at ${commit.slice(0, 7)}` });
    const out = dvc.outs[0];
    if (!out) return null;
    const { cacheDir } = await readDvcConfig({ root: ws.root });
    let entries = await readCachedManifest({ cacheDir, md5: out.md5 });
    if (!entries) {
      // CI restores only the current data; the old folder list is a small file on the remote.
      const remote = await openRemote({ root: ws.root, ...(log ? { log } : {}) }).catch(() => undefined);
      if (remote) entries = await loadManifest({ cacheDir, md5: out.md5, remote }).catch(() => undefined);
    }
    if (!entries) {
      throw new VitrineError(
        'DATA_MANIFEST_MISSING',
        `The list of data files at commit ${commit.slice(0, 7)} (${out.md5}) is neither in the local cache ` +
          `nor on the data remote: run "vitrine data pull" (or "dvc fetch") for that commit, or name ` +
          `another reference.`,
        { commit, md5: out.md5 },
      );
    }
    return { files: new Map(entries.map((e) => [e.relpath, e.md5])), objectIds: null };
  }
  const objectsText = await textAtCommit({ root: ws.root, commit, filepath: 'data/objects.csv' });
  if (objectsText === null) return null;
  const { parseObjects } = await import('../collection/index.ts');
  return {
    files: null,
    objectIds: new Set(
      parseObjects({ text: objectsText, file: `data/objects.csv at ${commit.slice(0, 7)}` }).objects.map((o) => o.id),
    ),
  };
}

/**
 * Split the dataset's objects into those that were there at `commit` with the same image ("before")
 * and those added or re-photographed since ("added"). Objects without an image are in neither.
 */
export async function objectsAddedSince({
  ws,
  dataset,
  commit,
  log,
}: {
  ws: Workspace;
  dataset: Dataset;
  commit: string;
  /** Where the data remote, when opened for the folder list, says it corrected this computer's clock. */
  log?: Logger;
}): Promise<{ before: DatasetObject[]; added: DatasetObject[] }> {
  const then = await dataFilesAtCommit({ ws, commit, ...(log ? { log } : {}) });
  const withImage = dataset.objects.filter((o) => o.image && o.imageMd5);
  if (!then) return { before: [], added: withImage };
  const before: DatasetObject[] = [];
  const added: DatasetObject[] = [];
  for (const o of withImage) {
    const known = then.files
      ? then.files.get(o.image.split(path.sep).join('/')) === o.imageMd5
      : then.objectIds!.has(o.id);
    (known ? before : added).push(o);
  }
  return { before, added };
}
