import path from 'node:path';
import { readDvcFile } from '../data/dvcfile.ts';
import { dataStatus } from '../data/index.ts';
import { systemFiles } from '../data/system-files.ts';
import { silentLogger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import { readLock } from './lock-file.ts';
import { unrecordedData } from './unrecorded.ts';

/*
 * A branch checked out without "vitrine data checkout" keeps the last branch's data/: when the dataset stage then
 * has nothing new to read, the run skips it and trains and reports on that data/ with no word (a tester's report
 * credited a branch with another branch's title change). The dataset stage warns only when it runs; this is what
 * the run says when it is skipped.
 */

/**
 * What the run says when it skips the dataset stage although the data/ it last read is not what data.dvc records:
 * plain words naming `npx vitrine data checkout`. Null when they agree, with no data.dvc, or no dataset read yet.
 * Cheap when they agree: reads lock.json and data.dvc (a skipped stage's data/ is the data/ it last read); when they
 * do not, compares data/ with data.dvc as "vitrine data status" does, to name what differs.
 */
export async function skippedDatasetWarning({ ws }: { ws: Workspace }): Promise<string | null> {
  const lock = await readLock({ file: ws.lock }).catch(() => null);
  const read = lock?.stages.dataset?.deps.paths[path.relative(ws.root, ws.data)];
  if (!read) return null;
  const recorded = await readDvcFile({ file: ws.dataDvc }).then(
    (dvc) => dvc.outs[0]?.md5,
    () => undefined,
  );
  if (!recorded || recorded === read) return null;
  // Which files differ, as "vitrine data status" says (its hashes are cached): only the files a computer makes in
  // folders (.DS_Store) is no other branch's data, and what the data layer cannot compare it says itself.
  const unrecorded = await unrecordedData({ ws, log: silentLogger }).catch(() => null);
  if (!unrecorded || unrecorded.onlySystemFiles || unrecorded.added + unrecorded.removed + unrecorded.changed === 0)
    return null;
  if (await onlyHarmlessFiles({ ws })) return null;
  return (
    `${unrecorded.words}. The dataset stage was skipped because data/ has not changed since it last read it, so ` +
    "this run trains and reports on data/ as it is, which may hold another branch's changes (a branch checked out " +
    'without its data, say). Run "npx vitrine data checkout" to put data/ back as data.dvc records, then run ' +
    'again. If the changes in data/ are meant, record them with "npx vitrine data add".'
  );
}

/**
 * A file an office program or a desktop makes by itself in a folder, never part of a collection: those the data layer
 * names (.DS_Store, Thumbs.db, desktop.ini, ._*), and the lock files of a file open in Excel or Word ("~$objects.csv")
 * or LibreOffice (".~lock.objects.csv#"), and macOS's custom folder icon ("Icon" and a carriage return).
 */
export function harmlessDataFile(relpath: string): boolean {
  if (systemFiles([relpath]).length > 0) return true;
  const name = path.posix.basename(relpath.replaceAll('\\', '/'));
  return name === 'Icon\r';
}

/**
 * data/ differs from what data.dvc records only by files office programs and desktops make (harmlessDataFile): its
 * data is as recorded, no other branch's (reviewer V12: Excel's "~$objects.csv" while objects.csv was open raised the
 * warning). False when nothing differs, anything else does, or the data layer cannot compare them.
 */
export async function onlyHarmlessFiles({ ws }: { ws: Workspace }): Promise<boolean> {
  // As unrecordedData: nothing read at the storage remote.
  const status = await dataStatus({ root: ws.root, log: silentLogger, checkRemoteMark: false }).catch(() => null);
  if (!status?.recorded || status.clean) return false;
  const { added, removed, modified, notFetched = [] } = status.changes;
  const files = [...added, ...removed, ...modified, ...notFetched];
  return files.length > 0 && files.every(harmlessDataFile);
}

/**
 * Whether the model and its scores were made from data/ as the dataset stage last read it: the evaluate stage ran
 * after it (lock.json). False when the dataset stage read data/ again after them (a stray file in data/: the dataset
 * ran, training and scoring were skipped as nothing they read changed). True when lock.json does not say.
 */
export async function scoredOnDataRead({ ws }: { ws: Workspace }): Promise<boolean> {
  const lock = await readLock({ file: ws.lock }).catch(() => null);
  const [read, scored] = [lock?.stages.dataset?.ranAt, lock?.stages.evaluate?.ranAt];
  if (!read || !scored) return true;
  return Date.parse(scored) >= Date.parse(read);
}
