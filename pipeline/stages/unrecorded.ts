import { readDvcFile } from '../data/dvcfile.ts';
import { type DataStatus, dataStatus } from '../data/index.ts';
import { unfinishedMerge, unfinishedMergeError } from '../data/merge-state.ts';
import { systemFiles, systemFilesAdvice } from '../data/system-files.ts';
import { isVitrineError } from '../errors.ts';
import type { StageContext } from './stage.ts';

/*
 * data/ that data.dvc does not record: images added or objects.csv edited without "vitrine data add", or a
 * branch checked out without "vitrine data checkout". The dataset stage warns before it reads data/ (the run
 * then trains and reports on data/ as it is), a branch's promote stage warns that the merge would be refused,
 * and promote on the main branch refuses.
 */

/** What to do when data/ holds data that data.dvc does not record (said in the refusal and in a branch's warning). */
export const RECORD_DATA = 'run "vitrine data add", then commit data.dvc and push the data with "vitrine data push"';

/** How data/ differs from what data.dvc records, in plain words with examples; null when it does not. */
export interface UnrecordedData {
  /** "data/ differs from what data.dvc records: 2 added, 0 removed, 1 changed (added: data/images/…)". */
  words: string;
  /**
   * "vitrine data pull" first: recorded files were never fetched to this machine ("data add" would drop them), or
   * data.dvc's list of files is not in the local cache (nothing can be compared or checked out without it).
   */
  pullFirst: boolean;
  /** Files the computer's system made in data/ (.DS_Store, Thumbs.db) and what to do about them; '' when none. */
  systemAdvice: string;
  /** Those files are all that differs: deleting or ignoring them is all there is to do. */
  onlySystemFiles: boolean;
  added: number;
  removed: number;
  changed: number;
  notFetched: number;
}

/**
 * A run while git combines two histories that both changed data.dvc (a merge, a rebase, a cherry-pick stopped on
 * it), before "vitrine data merge" has written their merge: whatever data.dvc holds (git's markers, a conflict
 * resolved by hand, one side kept), data/ has one side's photographs only, and comparing the two says nothing of the
 * other's. Refused (DATA_MERGE_UNFINISHED, DATA_MERGE_REBASE, or DVCFILE_MERGE_CONFLICT at its line) before any stage
 * reads data/, with the advice data pull, checkout, add and import give; once "data merge" has written it, allowed.
 */
export async function refuseUnfinishedDataMerge({ ws }: { ws: StageContext['ws'] }): Promise<void> {
  const md5 = await readDvcFile({ file: ws.dataDvc }).then(
    (parsed) => parsed.outs[0]?.md5,
    (error: unknown) => {
      if (isVitrineError(error, 'DVCFILE_MERGE_CONFLICT')) throw error;
      // No data.dvc (the lineage hashes data/ itself), or one that does not read: the data layer says it.
      return undefined;
    },
  );
  const unfinished = await unfinishedMerge({ root: ws.root, target: 'data', md5 });
  if (unfinished && !unfinished.written) throw unfinishedMergeError({ conflict: unfinished, refused: 'run' });
}

/**
 * Compare data/ with data.dvc through the data layer's status (as "vitrine data status", without its look at a
 * folder remote's mark: nothing is read at the remote). Nothing to say without data.dvc: the lineage then hashes
 * data/ itself. Refused while a merge of data.dvc is unfinished (refuseUnfinishedDataMerge): data.dvc is then no
 * record to compare with.
 */
export async function unrecordedData({
  ws,
  log,
}: {
  ws: StageContext['ws'];
  log: StageContext['log'];
}): Promise<UnrecordedData | null> {
  // Nothing read at the storage remote: a share that cannot be reached would hang the run (reviewer V24, F3).
  const status = await dataStatus({ root: ws.root, log, checkRemoteMark: false });
  if (status.mergeUnfinished) await refuseUnfinishedDataMerge({ ws });
  if (!status.recorded || status.clean) return null;
  return describeUnrecorded(status);
}

function describeUnrecorded(status: DataStatus): UnrecordedData {
  const { added, removed, modified } = status.changes;
  const notFetched = status.changes.notFetched ?? [];
  const counts = {
    added: added.length,
    removed: removed.length,
    changed: modified.length,
    notFetched: notFetched.length,
  };
  const examples = (label: string, files: string[]) =>
    files.length === 0
      ? []
      : [
          `${label}: ${files
            .slice(0, 3)
            .map((f) => `data/${f}`)
            .join(', ')}${files.length > 3 ? ', …' : ''}`,
        ];
  let words: string;
  if (!status.workspace) words = 'data/ is missing, so it is not what data.dvc records';
  else if (!status.cache.hasManifest)
    // Without data.dvc's file list in the cache the files cannot be compared one by one: say so, not "0 changed".
    words =
      `data/ differs from what data.dvc records (its list of files is ${status.cache.listDamaged ? 'damaged in' : 'not in'} ` +
      'the local cache, so which files differ is not known here; "vitrine data status" says more)';
  else {
    const listed = [
      ...examples('added', added),
      ...examples('removed', removed),
      ...examples('changed', modified),
      ...examples('never fetched', notFetched),
    ];
    words =
      `data/ differs from what data.dvc records: ${counts.added} added, ${counts.removed} removed, ` +
      `${counts.changed} changed` +
      (counts.notFetched > 0 ? `, ${counts.notFetched} never fetched to this machine` : '') +
      (listed.length > 0 ? ` (${listed.join('; ')})` : '');
  }
  const system = systemFiles(added);
  return {
    words,
    pullFirst: !status.workspace || !status.cache.hasManifest || counts.notFetched > 0,
    systemAdvice: systemFilesAdvice({ files: added }),
    onlySystemFiles:
      system.length > 0 && system.length === added.length && counts.removed + counts.changed + counts.notFetched === 0,
    ...counts,
  };
}

/** What to do, after the words of an UnrecordedData: shared by the refusal and a branch's warning. */
export function unrecordedAdvice(unrecorded: UnrecordedData, meant: string): string {
  if (unrecorded.onlySystemFiles) return unrecorded.systemAdvice;
  const system = unrecorded.systemAdvice ? ` ${unrecorded.systemAdvice}` : '';
  return unrecorded.pullFirst
    ? 'Run "vitrine data pull" to fetch what data.dvc records, then "vitrine data status"; if data/ still ' +
        `differs, ${RECORD_DATA}.${system}`
    : `${meant}${system}`;
}
