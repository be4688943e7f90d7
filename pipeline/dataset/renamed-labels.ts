import { parse } from 'yaml';
import { parseLabels } from '../collection/index.ts';
import { VitrineError } from '../errors.ts';
import { labelRenames } from '../evaluate/label-renames.ts';
import { type FileCommit, fileAtCommit, fileHistory } from '../git/history.ts';
import { quoted } from '../log.ts';
import { rel, type Workspace } from '../paths.ts';
import type { LabelLine } from '../types.ts';

/*
 * A label renamed on one branch ("Mounted bird" → "Bird mount", in params.yaml and labels.csv) and a line written
 * with the old name on another, made before it: merged, git sees no conflict, and the line's label is outside the
 * vocabulary. An outside tester's run on main only warned "is not one of the labels", left the staff correction
 * out, promoted the model and published the object under the old name. The history of params.yaml tells a rename:
 * the commit that took the label out of the vocabulary, read with the rule the report and evaluation use
 * (labelRenames: its objects carry the new label after that commit).
 */

/** A label of labels.csv that a commit renamed, with what it is called now. */
export interface RenamedLabel {
  from: string;
  /** Its name now, in the vocabulary (a label renamed twice is followed to its last name). */
  to: string;
  /** The commit that renamed it (the last one, when renamed twice), and its message's first line. */
  commit: string;
  subject: string;
}

/** How many commits that changed params.yaml are read back. */
const HISTORY_DEPTH = 200;

/**
 * The labels among `labels` (outside `vocabulary`) that a commit of this branch's history renamed to a label of
 * `vocabulary`. Empty when there is none, or git cannot tell (no repository, no git program, a shallow clone that
 * does not reach the rename): only words depend on it.
 */
export async function renamedLabels({
  ws,
  labels,
  vocabulary,
}: {
  ws: Workspace;
  labels: string[];
  vocabulary: string[];
}): Promise<Map<string, RenamedLabel>> {
  const found = new Map<string, RenamedLabel>();
  if (labels.length === 0) return found;
  const paramsPath = rel(ws, ws.params);
  const labelsPath = rel(ws, ws.labels);
  let commits: FileCommit[];
  try {
    commits = await fileHistory({ dir: ws.root, file: paramsPath, depth: HISTORY_DEPTH });
  } catch {
    return found;
  }
  // Read and parsed once per commit: hundreds of labels outside the vocabulary search the same commits.
  const cached = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, read());
    return cache.get(key)!;
  };
  const textAt = (commit: string, file: string) => fileAtCommit({ dir: ws.root, commit, file });
  const vocabularies = new Map<string, Promise<Set<string>>>();
  const vocabularyAt = (commit: string) =>
    cached(vocabularies, commit, async () => new Set(vocabularyOf(await textAt(commit, paramsPath))));
  const labelMaps = new Map<string, Promise<Map<string, string>>>();
  const labelsAt = (commit: string) =>
    cached(labelMaps, commit, async () => {
      const text = await textAt(commit, labelsPath);
      try {
        return text === null ? new Map<string, string>() : labelMap(parseLabels({ text, file: labelsPath }));
      } catch {
        return new Map<string, string>();
      }
    });
  const current = new Set(vocabulary);
  // The commit that took `label` out of the vocabulary, and what its objects were renamed to there: among the
  // commits `indices` lists (the history is newest first).
  const renameOf = async (label: string, indices: number[]) => {
    for (const i of indices) {
      const { commit, parent, subject } = commits[i]!;
      const [was, is] = await Promise.all([vocabularyAt(parent), vocabularyAt(commit)]);
      if (!was.has(label) || is.has(label)) continue;
      const [before, now] = await Promise.all([labelsAt(parent), labelsAt(commit)]);
      const rename = labelRenames({ before, now, vocabulary: [...is] }).find((r) => r.from === label);
      return rename ? { to: rename.to, commit, subject, index: i } : null;
    }
    return null;
  };
  const all = commits.map((_, i) => i);
  for (const label of labels) {
    // The last commit that took it out; a label renamed twice ("Mounted bird" → "Bird" → "Bird mount") is followed
    // through the commits after it, oldest first, to its name now.
    let step = await renameOf(label, all);
    for (let hops = 0; step && !current.has(step.to) && hops < 5; hops++)
      step = await renameOf(step.to, all.slice(0, step.index).reverse());
    if (step && current.has(step.to))
      found.set(label, { from: label, to: step.to, commit: step.commit, subject: step.subject });
  }
  return found;
}

/** collection.vocabulary in a params.yaml's text, read loosely (an old file may not pass today's checks). */
export function vocabularyOf(text: string | null): string[] {
  if (text === null) return [];
  try {
    const vocabulary = (parse(text) as { collection?: { vocabulary?: unknown } } | null)?.collection?.vocabulary;
    return Array.isArray(vocabulary) ? vocabulary.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function labelMap(lines: LabelLine[]): Map<string, string> {
  return new Map(lines.filter((l) => l.label).map((l) => [l.objectId, l.label.trim()]));
}

/**
 * Stops with LABEL_RENAMED (renamedLabelsError) when a line of `labels`, of one of `objectIds`, has the old name of a
 * label a commit renamed: `renamed` is asked about the labels outside `vocabulary`, if any. The dataset stage
 * (build.ts) and each shard job of a large collection (shard.ts) call it before any image is read.
 */
export async function refuseRenamedLabels({
  labels,
  objectIds,
  vocabulary,
  renamed,
  labelsName,
  paramsName,
}: {
  labels: LabelLine[];
  objectIds: Set<string>;
  vocabulary: string[];
  /** renamedLabels, or what stands for it. */
  renamed: (labels: string[]) => Promise<Map<string, RenamedLabel>>;
  labelsName: string;
  paramsName: string;
}): Promise<void> {
  const inVocabulary = new Set(vocabulary);
  const unknownLabels = labels.filter((l) => objectIds.has(l.objectId) && l.label && !inVocabulary.has(l.label));
  if (unknownLabels.length === 0) return;
  const oldNames = await renamed([...new Set(unknownLabels.map((l) => l.label))]);
  if (oldNames.size > 0) throw renamedLabelsError({ renamed: oldNames, lines: unknownLabels, labelsName, paramsName });
}

/**
 * LABEL_RENAMED: each old name with its lines, its new name and the commit that renamed it. Whatever
 * dataset.on_invalid says, as for a typo in the vocabulary: the lines are right but for the name, and skipping them
 * would train without those labels and publish the objects under a name the collection no longer uses.
 */
export function renamedLabelsError({
  renamed,
  lines,
  labelsName,
  paramsName,
}: {
  renamed: Map<string, RenamedLabel>;
  /** The lines of labels.csv with a label outside the vocabulary, of known objects. */
  lines: LabelLine[];
  labelsName: string;
  paramsName: string;
}): VitrineError {
  const said: string[] = [];
  let first: number | undefined;
  let count = 0;
  for (const [label, { to, commit, subject }] of renamed) {
    const on = lines.filter((l) => l.label === label);
    if (on.length === 0) continue;
    count += on.length;
    first = Math.min(first ?? on[0]!.line, on[0]!.line);
    const by = `commit ${commit.slice(0, 12)}${subject ? ` (“${subject}”)` : ''}`;
    const shown = on.slice(0, 5).map((l) => String(l.line));
    const more = on.length > 5 ? ` and ${on.length - 5} more` : '';
    const where =
      on.length === 1
        ? `Write ${quoted(to)} on that line (object ${quoted(on[0]!.objectId)}).`
        : `Write ${quoted(to)} on those ${on.length} lines (${shown.join(', ')}${more}).`;
    said.push(
      `${labelsName}:${on[0]!.line}: ${quoted(label)}${on.length === 1 ? '' : ` (on ${on.length} lines)`} was ` +
        `renamed ${quoted(to)} in ${paramsName} by ${by}: did you mean ${quoted(to)}? ${where}`,
    );
  }
  said.push(
    `The dataset stops here rather than leave ${count === 1 ? 'this staff label' : `these ${count} staff labels`} ` +
      `out of training and show ${count === 1 ? 'its object' : 'their objects'} to the public under a name the ` +
      'collection no longer uses. Such a line most likely comes from a branch made before the rename and merged ' +
      'after it: git sees no conflict there. After the correction, run "npx vitrine run dataset" again.',
  );
  return new VitrineError('LABEL_RENAMED', said.join('\n'), {
    file: labelsName,
    ...(first === undefined ? {} : { line: first }),
    renamed: [...renamed.values()].map(({ from, to, commit }) => ({ from, to, commit })),
  });
}
