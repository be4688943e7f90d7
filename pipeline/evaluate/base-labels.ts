import path from 'node:path';
import { renumbered as renumberedRule } from '../catalogue/addresses.ts';
import { parseLabels } from '../collection/index.ts';
import { labelLinesAsRead } from '../dataset/labels-as-read.ts';
import { vocabularyOf } from '../dataset/renamed-labels.ts';
import { checkLabels } from '../dataset/validate.ts';
import { isVitrineError, messageOf } from '../errors.ts';
import { fetchBase, gitAuthHeaders, readTextAtCommit, resolveCommit } from '../git/history.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import { type BaseData, baseData } from '../report/base-data.ts';
import { gitToken, reportBase, reportBaseGiven } from '../stages/report.ts';
import type { LabelLine } from '../types.ts';
import { type LabelRename, labelRenames, renamed } from './label-renames.ts';

/*
 * The labels a pull request started from, for the cross-validated comparison of a label change: the
 * report's base (VITRINE_BASE_REF or the pull request's base branch, fetched when a shallow checkout
 * lacks it, as the report does); else, on a branch, where it left `collection.branch` (the report's
 * default base too: a local run of the README's walkthrough), so that labels changed on main since
 * the production model's commit are not credited to the branch; else (a run on main itself, outside
 * git, or no branch point in this copy) the commit the baseline model was registered on: the labels
 * production was trained with. Checked against today's collection and vocabulary exactly as the
 * dataset stage checks labels.csv.
 */

export interface BaseLabels {
  /** What the base is, in words: a ref ("main"), "main where this branch left it" or "the commit of v1.0.0". */
  ref: string;
  commit: string;
  /** Object id → label, after the dataset stage's checks (unknown objects, labels outside the vocabulary left out). */
  labelOf: Map<string, string>;
  /** Labels the change renames (label-renames.ts): `labelOf` has them under their new names already. */
  renames: LabelRename[];
  /**
   * Why renumbered objects could not be matched with their old numbers (renumberingUnmatched: the base's data is not
   * on this computer), said as a warning; null when they were, or when no label at the base is on a number gone now.
   */
  unmatched: string | null;
}

/** Where the base labels come from: a ref to resolve, or a known commit; `ref` names it in words. */
export interface BaseSource {
  ref: string;
  commit?: string;
  /** Where this branch left `collection.branch` (`commit`), rather than a given ref or the baseline's commit. */
  branchPoint?: boolean;
}

/**
 * Where the base labels come from, without reading them (null: no baseline, so nothing to compare with).
 * The order is reportBase's (pipeline/stages/report.ts), with the baseline's commit where it has no base.
 */
export async function baseSource({
  ws,
  params,
  env,
  baselineCommit,
  baselineVersion,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
  baselineCommit: string | null;
  baselineVersion: string | null;
}): Promise<BaseSource | null> {
  const ref = reportBaseGiven(env);
  if (ref) return { ref };
  // A base that cannot be worked out (a broken repository) leaves the baseline's commit, as before.
  const base = await reportBase({ ws, params, env }).catch(() => null);
  if (base?.branchPoint && base.ref)
    return { ref: `${base.name} where this branch left it`, commit: base.ref, branchPoint: true };
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
  now,
  renumbered,
  log,
}: {
  ws: Workspace;
  env: Record<string, string | undefined>;
  source: BaseSource | null;
  objectIds: Set<string>;
  vocabulary: string[];
  /** Today's labels (object id → label), to tell a renamed label from labels changed one by one. */
  now?: Map<string, string>;
  /**
   * The objects renumbered since the base commit, old number → new (renumberedSince): a label at the base is read
   * as the new number's, as the report reads it, so renumbering is no label taken out (reviewer V20, F4).
   */
  renumbered?: (commit: string) => Promise<Map<string, string> | null>;
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
    const parsed = text === null ? [] : parseLabels({ text, file: `${file} at ${source.ref}`, blanks });
    const moved = renumbered ? await renumbered(commit) : new Map<string, string>();
    const read = withNewNumbers({ lines: parsed, moved: moved ?? new Map() });
    // Only a label at the base on a number gone now can have been renumbered: else there is nothing to say.
    const unmatched =
      moved === null && parsed.some((l) => !objectIds.has(l.objectId))
        ? renumberingUnmatched({ ref: source.ref, commit })
        : null;
    // A warning, not the log's detail: a pull request that only renumbers objects may fail the label check.
    if (unmatched) log.warn(unmatched);
    const name = `${file} at ${source.ref}`;
    const before = new Map(read.filter((l) => objectIds.has(l.objectId)).map((l) => [l.objectId, l.label]));
    const renames = now
      ? labelRenames({
          before,
          now,
          vocabulary,
          ...(await labelsCarried({ ws, objectIds })),
          ...(await vocabularyAt({ ws, commit })),
        })
      : [];
    const lines = read.map((l) => ({ ...l, label: renamed(l.label, renames) }));
    const { labelOf } = checkLabels({ labels: lines, blanks, objectIds, vocabulary, name });
    return { ref: source.ref, commit, labelOf, renames, unmatched };
  } catch (error) {
    // Not a base that cannot be read: this run's own labels are gone, and any verdict would mix two sets.
    if (isVitrineError(error, 'LABELS_CHANGED_SINCE_READ')) throw error;
    log.info(
      `The labels at ${source.ref} could not be read (${messageOf(error)}), so the label change is judged on the test split only.`,
    );
    return null;
  }
}

/**
 * The objects renumbered between the base (its objects table and data.dvc listing) and today's photographs
 * (`photos`: object id → md5, '' for none), old number → new, by the rule the report and the catalogue use
 * (catalogue/addresses.ts renumbered). Empty when data.dvc at the base records no folder; null when it does but its
 * listing or objects table is not in the local DVC cache (or cannot be read): then nothing could be matched.
 */
export async function renumberedSince({
  base,
  photos,
}: {
  base: BaseData;
  photos: Map<string, string>;
}): Promise<Map<string, string> | null> {
  const [objects, listing] = [await base.objects(), await base.listing()];
  if (!listing) return new Map();
  if (!objects || !listing.files) return null;
  const files = listing.files;
  // Ids as the dataset stage reads them (NFC), as the report compares them.
  const before = objects.map((o) => ({
    id: o.id.normalize('NFC'),
    photo: (o.image && files.get(o.image.split(path.sep).join('/'))) || '',
  }));
  const now = [...photos].map(([id, photo]) => ({ id: id.normalize('NFC'), photo }));
  return renumberedRule({ before, now });
}

/**
 * readBaseLabels' `renumbered` for today's dataset objects: the base's data read at the commit (report/base-data.ts,
 * the local DVC cache; null when it lacks them).
 */
export function renumberedFor({
  ws,
  objects,
  log,
}: {
  ws: Workspace;
  objects: readonly { id: string; imageMd5: string }[];
  log: Logger;
}): (commit: string) => Promise<Map<string, string> | null> {
  const photos = new Map(objects.map((o) => [o.id, o.imageMd5]));
  return (commit) => renumberedSince({ base: baseData({ ws, commit, log }), photos });
}

/**
 * Renumbered objects not matched with their old numbers, in plain words: the base's data is not in the local DVC cache
 * (as the report says of the objects that leave the catalogue), and how to fetch it there. The stage's warning, and
 * the failed label check's last words (withLabelLossCheck).
 */
export function renumberingUnmatched({ ref, commit }: { ref: string; commit: string }): string {
  // Said of every number gone, not of renumbered objects: objects taken out of the collection meet the same condition
  // (reviewer V22). The advice moves data.dvc alone, not the whole checkout (labels.csv edits not yet committed stay).
  const at = commit.slice(0, 12);
  return (
    `Objects whose numbers are gone since ${ref} (taken out of the collection, or renumbered) could not be checked ` +
    `for a new number: the data of ${ref} is not on the computer that ran this (its data.dvc folder list or ` +
    'data/objects.csv is not in the local DVC cache, or cannot be read). Their labels there are left out, so more ' +
    'labels can seem removed than really were. To check them on your own computer, run ' +
    `"git checkout ${at} data.dvc" and "npx vitrine data pull", then "git checkout HEAD data.dvc" and ` +
    '"npx vitrine data checkout", and run this again.'
  );
}

/**
 * Label lines at the base with a renumbered object's old number given its new one: unless the base has a line for
 * the new number already (then the two would read as one object labelled twice).
 */
function withNewNumbers({ lines, moved }: { lines: LabelLine[]; moved: Map<string, string> }): LabelLine[] {
  if (moved.size === 0) return lines;
  const named = new Set(lines.map((l) => l.objectId.normalize('NFC')));
  return lines.map((l) => {
    const to = moved.get(l.objectId.normalize('NFC'));
    return to !== undefined && !named.has(to) ? { ...l, objectId: to } : l;
  });
}

/**
 * Every label labels.csv gives one of `objectIds`, in the vocabulary or not: the labels now the evaluate stage
 * has are the dataset's, without those outside the vocabulary, and a label still carried is not renamed
 * (labelRenames). Read as the dataset stage read it (labels-as-read.ts), not as a colleague saved it since: a line
 * put back to the old label while the run trained undid a rename the model learnt whole. Nothing when labels.csv
 * cannot be read: the dataset stage read it, and would have said so. Read as it is now, it would mix two sets of
 * labels: LABELS_CHANGED_SINCE_READ then, which stops the stage (run again).
 */
async function labelsCarried({
  ws,
  objectIds,
}: {
  ws: Workspace;
  objectIds: Set<string>;
}): Promise<{ carriedNow?: Set<string> }> {
  try {
    const { lines } = await labelLinesAsRead({ ws });
    return { carriedNow: new Set(lines.filter((l) => l.label && objectIds.has(l.objectId)).map((l) => l.label)) };
  } catch (error) {
    if (isVitrineError(error, 'LABELS_CHANGED_SINCE_READ')) throw error;
    return {};
  }
}

/** collection.vocabulary in params.yaml at `commit`: only a label of it can have been renamed. Nothing when unread. */
async function vocabularyAt({
  ws,
  commit,
}: {
  ws: Workspace;
  commit: string;
}): Promise<{ vocabularyBefore?: string[] }> {
  try {
    const text = await readTextAtCommit({ dir: ws.root, commit, filepath: rel(ws, ws.params) });
    const vocabulary = vocabularyOf(text);
    return vocabulary.length > 0 ? { vocabularyBefore: vocabulary } : {};
  } catch {
    return {};
  }
}
