import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STALE_TEMP_MS } from '../data/temp.ts';
import { messageOf, VitrineError } from '../errors.ts';
import { isInside } from '../fs.ts';
import { holdLock } from '../lock.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import { listWords } from '../words.ts';

/*
 * An import changes data/images/, data/objects.csv and labels.csv, then records data/ in data.dvc. Killed part-way
 * (kill -9, a power cut, a closed laptop) it must leave a sign, and lose nothing:
 * - it holds `.vitrine/import.lock` (pipeline/lock.ts: a lock whose process is gone is taken over), so two
 *   imports never write at once, and a folder of `.vitrine/tmp/` no live import holds is litter;
 * - before its first change it writes `.vitrine/import-unfinished.json` (when, which process, its temp folder,
 *   the command), and removes it once it has finished: the next import, or `vitrine run`, finds it and says so;
 * - its new files are staged in its temp folder and renamed into place; a file they replace is first moved aside
 *   there, and `journal.json` lists every move before the first, so the next import puts back what a killed
 *   one had changed (the renames are undone) before it reads the collection again.
 */

/** The marker an import writes in `.vitrine/` before its first change, removed once it has finished. */
export const UNFINISHED_IMPORT = 'import-unfinished.json';
const LOCK = 'import.lock';
/** In the import's temp folder: the moves of its commit, written before the first. */
const JOURNAL = 'journal.json';
/** The temp folders of imports: `import-<pid>-<hex>` (earlier versions: `import-<12 hex>`). */
const TEMP_PREFIX = 'import-';
/**
 * In `.vitrine/`, by date: what a recovery could not put back, or would have put over a file changed since, and a
 * table a `--labels replace` changes that git's last commit does not hold (keptAsideFolder).
 */
const RECOVERED = 'import-recovered';
/** In a recovery's folder of `import-recovered/`: copies of labels.csv and data/objects.csv as staff changed them since. */
const EDITED = 'edited';

interface Marker {
  /** When the import started changing files (ISO time). */
  started: string;
  pid: number;
  /** Its temp folder, relative to the repository. */
  temp: string;
  /** `written`: data/, data/objects.csv and labels.csv hold the new import; data.dvc may not yet. */
  phase: 'writing' | 'written';
  /** The command to run again, as typed ("npx vitrine import --metadata export/objects.csv"). */
  command: string;
  /**
   * `written`: what labels.csv and data/objects.csv hold once the import is done (the journal is gone by then), so
   * the next import can tell a change staff made since and keep a copy of it.
   */
  tables: TableIdentity[];
  /**
   * `written`, then a later step failed: that step, in words ("recording data/ in data.dvc"). Not a killed import:
   * the note says which step failed, and stays until the same import, run again, finishes.
   */
  failed?: string;
  /** With `failed`: the import had found nothing to change in data/ or labels.csv. */
  unchanged?: boolean;
}

/**
 * What labels.csv or data/objects.csv holds once the import is done: what it places there, or, for a table it
 * does not change (the same labels), what the file holds already. A file there that holds something else after an
 * interruption was changed by hand since, and the next import keeps a copy of it.
 */
export interface TableIdentity {
  /** Relative to the repository. */
  to: string;
  placed: FileIdentity;
}

/** One move of the commit: `from` (in the temp folder) to `to` (relative to the repository). */
export interface JournalEntry {
  from: string;
  to: string;
  /** Where the file `to` replaces is moved aside (in the temp folder), when there was one. */
  backup?: string;
  /** What the file placed at `to` holds: recovery takes away or replaces only that file (absent in old journals). */
  placed?: FileIdentity;
  /**
   * What the file `to` replaces held, for labels.csv and data/objects.csv (absent in old journals): a file there that
   * holds neither this nor `placed` was changed by hand after the interruption, and recovery keeps a copy of it.
   */
  replaced?: FileIdentity;
}

/** A file changed by hand after an import was interrupted, copied aside by the next import before it changes it. */
export interface EditKept {
  /** The file (absolute): labels.csv or data/objects.csv. */
  file: string;
  /** Its copy (absolute), in `.vitrine/import-recovered/<date>/edited/`. */
  kept: string;
}

export interface FileIdentity {
  size: number;
  md5: string;
}

export interface ImportSession {
  /** This import's temp folder (absolute), in `.vitrine/tmp/`. */
  temp: string;
  /** Say, before the first change, that an import is under way (the marker). */
  begin(): Promise<void>;
  /** The moves of the commit, and what the tables hold once it is done, written (to disk) before the first move. */
  journal(options: { entries: JournalEntry[]; tables: TableIdentity[] }): Promise<void>;
  /** data/ and labels.csv hold the new import: an interruption from here on undoes nothing. */
  written(): Promise<void>;
  /**
   * A failed commit could not put every file back: its marker and temp folder (the files moved aside, the journal)
   * stay for the next import, which finishes the undoing.
   */
  keep(): void;
  /** True once `keep` (or `failedAfterWritten`) was called. */
  readonly kept: boolean;
  /** True once `written` was called: data/ and labels.csv hold the new import. */
  readonly placed: boolean;
  /** The command to run again, as typed ("npx vitrine import --metadata export/objects.csv"). */
  readonly command: string;
  /**
   * A step after `written` failed (`step`, in words: "recording data/ in data.dvc"): the note stays, saying which
   * step failed (not that the import was interrupted), so a run refuses until the same import, run again, finishes.
   * `unchanged`: the import had found nothing to change in data/ or labels.csv.
   */
  failedAfterWritten(options: { step: string; unchanged?: boolean }): Promise<void>;
  /**
   * labels.csv or data/objects.csv as staff had changed them after an interrupted import: copied aside by this one's
   * recovery, so a message about what this import changes in them can say where the change is kept.
   */
  readonly editsKept: readonly EditKept[];
  /** The import has ended (finished, or stopped with nothing changed): the marker goes, the lock is released. */
  finish(): Promise<void>;
  /**
   * An import before this one placed data/ and labels.csv but did not finish (interrupted, or a later step failed):
   * what data/ holds was written by it, not by an import that finished (data/.refused-images.json, say).
   */
  readonly afterUnfinished: boolean;
}

/**
 * Start an import: wait for another one to finish (or take over the lock of one that is gone), put back what an
 * interrupted import had changed, saying so, and remove the temp folders stopped imports left. `command` is what
 * the advice names should this import be interrupted too.
 */
export async function startImport({
  ws,
  log,
  command = 'npx vitrine import',
}: {
  ws: Workspace;
  log: Logger;
  command?: string;
}): Promise<ImportSession> {
  const release = await holdLock({ file: path.join(ws.work, LOCK), what: 'an import', log, root: ws.root });
  const markerFile = path.join(ws.work, UNFINISHED_IMPORT);
  const tmp = path.join(ws.work, 'tmp');
  const temp = path.join(tmp, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  let editsKept: EditKept[] = [];
  let afterUnfinished = false;
  try {
    const before = await readMarker(markerFile);
    afterUnfinished = before?.phase === 'written';
    if (before) {
      const { said, edits } = await recover({ ws, marker: before }).catch((error: unknown) => {
        throw recoveryFailed({ ws, marker: before, markerFile, error });
      });
      editsKept = edits;
      // A note of files placed but not recorded in data.dvc stays until this import begins its own (or finishes): an
      // import stopped before that (a mistyped export) took it away, and "run" went on (a reviewer).
      if (before.phase !== 'written') await rm(markerFile, { force: true });
      log.warn(`${interruptedWords(before)} ${said} This import starts again from the export.`, {
        file: path.relative(ws.root, markerFile),
      });
    }
    const removed = await removeStaleFolders({ tmp, keep: temp });
    if (removed > 0)
      log.info(
        `Removed ${removed} folder${removed === 1 ? '' : 's'} that stopped imports had left in ` +
          `${path.relative(ws.root, tmp)}/.`,
      );
  } catch (error) {
    await release();
    throw error;
  }
  let marker: Marker | undefined;
  let kept = false;
  let placed = false;
  /** What the tables hold once the commit is done, kept for `written`. */
  let journaled: TableIdentity[] = [];
  return {
    temp,
    keep() {
      kept = true;
    },
    get kept() {
      return kept;
    },
    get placed() {
      return placed;
    },
    command,
    async failedAfterWritten({ step, unchanged }) {
      kept = true;
      if (!marker) return;
      marker = { ...marker, failed: step, ...(unchanged ? { unchanged: true } : {}) };
      // Not written (a .vitrine/ that cannot be written now): the note of phase "written" stays all the same.
      await durableWrite(markerFile, `${JSON.stringify(marker, null, 2)}\n`).catch(() => {});
    },
    editsKept,
    afterUnfinished,
    async begin() {
      marker = {
        started: new Date().toISOString(),
        pid: process.pid,
        temp: path.relative(ws.root, temp).split(path.sep).join('/'),
        phase: 'writing',
        command,
        tables: [],
      };
      await durableWrite(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
    },
    async journal({ entries, tables }) {
      journaled = tables;
      await durableWrite(path.join(temp, JOURNAL), `${JSON.stringify({ entries, tables }, null, 2)}\n`);
    },
    async written() {
      if (!marker) return;
      marker = { ...marker, phase: 'written', tables: journaled };
      await durableWrite(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
      await rm(path.join(temp, JOURNAL), { force: true });
      placed = true;
    },
    async finish() {
      try {
        if (kept) return;
        await rm(temp, { recursive: true, force: true });
        if (marker) await rm(markerFile, { force: true });
      } finally {
        await release();
      }
    },
  };
}

/**
 * Before a run reads the collection: an import that was interrupted leaves data/ and labels.csv half changed, and
 * the run stops, saying so. One under way is waited for (its lock says who), then looked at again.
 */
export async function refuseUnfinishedImport({ ws, log }: { ws: Workspace; log: Logger }): Promise<void> {
  const markerFile = path.join(ws.work, UNFINISHED_IMPORT);
  if (!(await readMarker(markerFile))) return;
  const release = await holdLock({ file: path.join(ws.work, LOCK), what: 'an import', log, root: ws.root });
  let marker: Marker | undefined;
  try {
    marker = await readMarker(markerFile);
  } finally {
    await release();
  }
  if (!marker) return;
  if (marker.failed)
    throw new VitrineError(
      'IMPORT_NOT_FINISHED',
      `${interruptedWords(marker)} ${
        marker.unchanged ? 'data.dvc may not record data/ as it is.' : 'data.dvc may not record it yet.'
      } Nothing was run. Once what failed is mended (the import said what to do), run the import again ` +
        `(${marker.command}): it finishes. Then run this again.`,
      { file: path.relative(ws.root, markerFile) },
    );
  throw new VitrineError(
    'IMPORT_INTERRUPTED',
    `${interruptedWords(marker)} ${
      marker.phase === 'written'
        ? 'data/ and labels.csv hold what it imported, but data.dvc may not record it yet.'
        : 'data/ and labels.csv may hold part of it.'
    } Nothing was run. Run the import again (${marker.command}): it first puts back anything the interrupted ` +
      'import had half changed. Then run this again.',
    { file: path.relative(ws.root, markerFile) },
  );
}

/**
 * Putting back what an interrupted import had changed failed in a way no entry's skipping covers (the disk, the
 * permissions): the way out in plain words, and what is kept where. Never a bug exit: the note stays until then.
 */
function recoveryFailed({
  ws,
  marker,
  markerFile,
  error,
}: {
  ws: Workspace;
  marker: Marker;
  markerFile: string;
  error: unknown;
}): VitrineError {
  const note = path.relative(ws.root, markerFile).split(path.sep).join('/');
  const where = (error as NodeJS.ErrnoException).path;
  const temp = marker.temp || '.vitrine/tmp';
  return new VitrineError(
    'IMPORT_RECOVERY_FAILED',
    `${interruptedWords(marker)} Putting back what it had changed failed (${codeOf(error)}` +
      `${where ? ` on ${path.relative(ws.root, where).split(path.sep).join('/')}` : ''}), so this import changed ` +
      `nothing. The files it had moved aside are kept in ${temp}/ (journal.json there says where each "was-" file ` +
      `belongs: its "to"), and any already kept aside are in .vitrine/${RECOVERED}/. Fix the cause and run the ` +
      `import again (${marker.command}); or copy back from there what you need, delete ${note}, and run it again.`,
    { file: note },
    { cause: error },
  );
}

/**
 * "An import was interrupted on 3 December 2026 at 03:12 UTC (process 4242 stopped before it finished)."; or, for an
 * import that failed after it had placed its files, "An import on 3 December 2026 at 03:12 UTC placed its files in
 * data/ and labels.csv, then failed while recording data/ in data.dvc."
 */
function interruptedWords(marker: Marker): string {
  const when = new Date(marker.started);
  const date = Number.isNaN(when.getTime())
    ? 'an unknown date'
    : `${when.getUTCDate()} ${MONTHS[when.getUTCMonth()]} ${when.getUTCFullYear()} at ` +
      `${when.toISOString().slice(11, 16)} UTC`;
  if (marker.failed)
    return `An import on ${date} ${
      marker.unchanged ? 'found nothing to change in data/ or labels.csv' : 'placed its files in data/ and labels.csv'
    }, then failed while ${marker.failed}.`;
  return `An import was interrupted on ${date} (${marker.pid ? `process ${marker.pid}` : 'it'} stopped before it finished).`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

async function readMarker(file: string): Promise<Marker | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Marker>;
    return {
      started: String(value.started ?? ''),
      pid: Number(value.pid ?? 0),
      temp: String(value.temp ?? ''),
      phase: value.phase === 'written' ? 'written' : 'writing',
      command: typeof value.command === 'string' && value.command ? value.command : 'npx vitrine import',
      tables: tablesOf(value.tables),
      ...(typeof value.failed === 'string' && value.failed ? { failed: value.failed } : {}),
      ...(value.unchanged === true ? { unchanged: true } : {}),
    };
  } catch {
    // Cut short by a power cut as it was written: an import had begun all the same.
    return { started: '', pid: 0, temp: '', phase: 'writing', command: 'npx vitrine import', tables: [] };
  }
}

/**
 * Put back what the interrupted import of `marker` had changed, from its temp folder's journal, last first: a file
 * it had placed is taken away, and a file it had moved aside put back, only while the file there is still the one
 * it placed (`placed`: size and md5; a journal without them, from an earlier version, proves nothing unless the
 * file is the same bytes as the staged copy) or, for a file moved aside, while its place is empty. A file changed
 * since (staff edited labels.csv after "git checkout labels.csv") is left as it is, and the file the import had
 * replaced kept in `.vitrine/import-recovered/<when>/`, as is one that cannot be put back (its folder deleted
 * since): named, and the recovery completes. labels.csv or data/objects.csv holding neither what the import placed
 * nor what was there before it (changed by hand since) is also copied to `<when>/edited/`: the import that follows
 * may change it again (`--labels replace`), and the change must be kept somewhere. Safe to do twice (a second
 * interruption here): a file put back or kept aside is no longer in the temp folder. Returns what was done, in
 * words that name every file they speak of, and the copies of changed tables.
 */
async function recover({
  ws,
  marker,
}: {
  ws: Workspace;
  marker: Marker;
}): Promise<{ said: string; edits: EditKept[] }> {
  const temp = marker.temp ? path.resolve(ws.root, marker.temp) : '';
  const inTmp = temp && path.dirname(temp) === path.join(ws.work, 'tmp');
  const { entries: journal, tables: journalTables } =
    inTmp && marker.phase === 'writing'
      ? await readJournal(path.join(temp, JOURNAL))
      : { entries: undefined, tables: [] };
  const edits: EditKept[] = [];
  const recovered = keptAsideFolder({ ws });
  const words = (file: string) => path.relative(ws.root, file).split(path.sep).join('/');
  /** Files kept aside (what each held before the import), by their path in the repository. */
  const kept: string[] = [];
  /** Move a file the import had moved aside out of its temp folder (removed next), where staff can find it. */
  const keepAside = async (backup: string, rel: string): Promise<void> => {
    const file = path.join(recovered, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await rename(backup, file);
    kept.push(rel);
  };
  /** Copy a table changed by hand since to `<when>/edited/`: whole or not at all (a temp file there, then renamed). */
  const keepEdit = async (file: string, rel: string): Promise<void> => {
    const copy = path.join(recovered, EDITED, rel);
    await copyWhole({ file, copy });
    edits.push({ file, kept: copy });
  };
  const tables = new Set([ws.labels, ws.objects]);
  /** The sentence naming the copies of changed tables, if any. */
  const editsSaid = (): string[] =>
    edits.length === 0
      ? []
      : [
          edits.length === 1
            ? `A copy of ${words(edits[0]!.file)} as it is now, which may hold changes made after the import was ` +
              `interrupted, is kept in ${words(edits[0]!.kept)}, in case this import changes it.`
            : `Copies of ${listWords(
                edits.map((e) => words(e.file)),
                { max: 5 },
              )} as they are now, which may hold changes made ` +
              `after the import was interrupted, are kept in ${words(path.join(recovered, EDITED))}/, under the same ` +
              'paths, in case this import changes them.',
        ];
  /** Keep a copy of each of `states`' tables that holds something else now: a change of staff's since. */
  const keepChanged = async (states: TableIdentity[]): Promise<void> => {
    for (const table of states) {
      const to = path.resolve(ws.root, table.to);
      if (!tables.has(to) || !(await lstat(to).catch(() => null))?.isFile()) continue;
      const now = await identityOf(to);
      if (now.size !== table.placed.size || now.md5 !== table.placed.md5) await keepEdit(to, words(to));
    }
  };
  if (marker.phase === 'written') {
    // Its tables, changed since it wrote them, are changes of staff's: the import that follows may replace them.
    await keepChanged(marker.tables);
    const said = [
      'It had written data/ and labels.csv, but may not have recorded them in data.dvc yet.',
      ...editsSaid(),
    ];
    return { said: said.join(' '), edits };
  }
  if (!journal) return { said: 'It had not changed data/ or labels.csv yet.', edits };
  /** Files put back as they were before the import (it had moved them aside). */
  const putBack: string[] = [];
  /** Files taken away: the import had added them, where no file was before. */
  const removed: string[] = [];
  /** Files changed since the import placed them (or not provably its own): left as they are. */
  const left: string[] = [];
  /** Files that could not be put back, by why. */
  const failed = new Map<string, string[]>();
  const fail = (why: string, rel: string) => failed.set(why, [...(failed.get(why) ?? []), rel]);
  for (const entry of [...journal].reverse()) {
    const to = path.resolve(ws.root, entry.to);
    if (!isInside(ws.root, to)) continue;
    const rel = words(to);
    const backup = entry.backup ? path.join(temp, entry.backup) : undefined;
    const hasBackup = backup !== undefined && (await lstat(backup).catch(() => null)) !== null;
    const staged = path.join(temp, entry.from);
    const stillStaged = (await lstat(staged).catch(() => null)) !== null;
    const current = await lstat(to).catch(() => null);
    if (!current) {
      if (!hasBackup) continue;
      try {
        await rename(backup, to);
        putBack.push(rel);
      } catch (error) {
        const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
        fail(gone ? `the folder ${words(path.dirname(to))} is gone` : codeOf(error), rel);
        await keepAside(backup, rel);
      }
      continue;
    }
    const ours = current.isFile() && (await isPlaced({ entry, file: to, staged: stillStaged ? staged : undefined }));
    if (!ours) {
      // A table as it was before the import (put back by a recovery interrupted in turn) is no change of staff's.
      const before =
        tables.has(to) &&
        current.isFile() &&
        (await isBefore({ entry, file: to, backup: hasBackup ? backup : undefined }));
      if (tables.has(to) && current.isFile() && !before) await keepEdit(to, rel);
      if (hasBackup || (!stillStaged && !before)) left.push(rel);
      if (hasBackup) await keepAside(backup, rel);
      continue;
    }
    try {
      if (hasBackup) {
        await rename(backup, to);
        putBack.push(rel);
      } else if (!stillStaged) {
        // Placed, where no file was before: taken away again.
        await rm(to, { force: true });
        removed.push(rel);
      }
    } catch (error) {
      fail(codeOf(error), rel);
      if (hasBackup) await keepAside(backup, rel);
    }
  }
  // Tables it was not changing (no move of theirs in the journal), changed since: copied aside too.
  const moved = new Set(journal.map((e) => path.resolve(ws.root, e.to)));
  await keepChanged(journalTables.filter((t) => !moved.has(path.resolve(ws.root, t.to))));
  await unlink(path.join(temp, JOURNAL)).catch(() => {});
  // Named in the order the import placed them (they were undone last first).
  for (const list of [putBack, removed, left, kept, ...failed.values()]) list.reverse();
  edits.reverse();
  const said: string[] = [];
  const begun = 'It had begun to put its files in place:';
  if (putBack.length > 0)
    said.push(
      `${begun} ${listWords(putBack, { max: 5 })} ${putBack.length === 1 ? 'was put back as it was' : 'were put back as they were'} ` +
        'before it.',
    );
  // Files that were not there before the import are not "put back": said apart, and named.
  if (removed.length > 0)
    said.push(
      putBack.length > 0
        ? `${removed.length === 1 ? 'The file it had added was' : 'The files it had added were'} removed: ` +
            `${listWords(removed, { max: 5 })}.`
        : `${begun} ${listWords(removed, { max: 5 })}, which it had added, ${removed.length === 1 ? 'was' : 'were'} removed.`,
    );
  if (left.length > 0)
    said.push(
      `Left as ${left.length === 1 ? 'it is' : 'they are'}, because changed after the import was interrupted (or ` +
        `not provably what it had put there): ${listWords(left, { max: 5 })}.`,
    );
  for (const [why, files] of failed) said.push(`Could not put back ${listWords(files, { max: 5 })} (${why}).`);
  if (kept.length > 0)
    said.push(
      kept.length === 1
        ? `What ${kept[0]} held before the import is kept in ${words(path.join(recovered, kept[0]!))}.`
        : `What ${listWords(kept, { max: 5 })} held before the import is kept in ${words(recovered)}/, under the same paths.`,
    );
  said.push(...editsSaid());
  const named = [...left, ...[...failed.values()].flat()];
  if (named.length > 0) said.push(`Check ${listWords(named, { max: 5 })}, and copy back what you need.`);
  return { said: said.length === 0 ? 'It had not changed data/ or labels.csv yet.' : said.join(' '), edits };
}

/**
 * Whether `file` (labels.csv or data/objects.csv, not what the interrupted import placed) is what was there before
 * it: the same bytes as the file it had moved aside (`backup`), or what the journal records the file it replaces
 * held. A journal without that record (an earlier version) proves nothing; where no file was before, any file there
 * now was made since.
 */
async function isBefore({
  entry,
  file,
  backup,
}: {
  entry: JournalEntry;
  file: string;
  backup?: string;
}): Promise<boolean> {
  if (backup) {
    const [a, b] = await Promise.all([readFile(file).catch(() => undefined), readFile(backup).catch(() => undefined)]);
    return a !== undefined && b !== undefined && a.equals(b);
  }
  if (!entry.backup || !entry.replaced) return false;
  const now = await identityOf(file).catch(() => undefined);
  return now !== undefined && now.size === entry.replaced.size && now.md5 === entry.replaced.md5;
}

/**
 * Whether `file` is still what the interrupted import placed at its entry's `to`: its size and md5 as the journal
 * records them. A journal without them (an earlier version) proves it only by the same bytes as the staged copy.
 */
async function isPlaced({
  entry,
  file,
  staged,
}: {
  entry: JournalEntry;
  file: string;
  staged?: string;
}): Promise<boolean> {
  if (entry.placed) {
    const now = await identityOf(file).catch(() => undefined);
    return now !== undefined && now.size === entry.placed.size && now.md5 === entry.placed.md5;
  }
  if (!staged) return false;
  const [a, b] = await Promise.all([readFile(file).catch(() => undefined), readFile(staged).catch(() => undefined)]);
  return a !== undefined && b !== undefined && a.equals(b);
}

/** What a file holds, as the journal records it: its size and md5. */
export async function identityOf(file: string): Promise<FileIdentity> {
  const hash = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, md5: hash.digest('hex') };
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? messageOf(error);
}

async function readJournal(file: string): Promise<{ entries?: JournalEntry[]; tables: TableIdentity[] }> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return { tables: [] };
  try {
    const { entries, tables } = JSON.parse(text) as { entries?: JournalEntry[]; tables?: unknown };
    return Array.isArray(entries) ? { entries, tables: tablesOf(tables) } : { tables: [] };
  } catch {
    // Written in full (then renamed) before the first move: a damaged one was cut short before any.
    return { tables: [] };
  }
}

/** The well-formed table identities of a journal or marker (none in those of earlier versions). */
function tablesOf(value: unknown): TableIdentity[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (t: Partial<TableIdentity> | null) =>
      typeof t?.to === 'string' && typeof t.placed?.md5 === 'string' && typeof t.placed.size === 'number',
  );
}

/**
 * Remove the temp folders of imports that are not running: every `import-<pid>-…` folder but `keep` (this
 * process holds the import lock, which every import holds while its folder exists), and folders of earlier
 * versions (`import-<12 hex>`, which took no lock) untouched for an hour.
 */
async function removeStaleFolders({ tmp, keep }: { tmp: string; keep: string }): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const folder = path.join(tmp, name);
    if (folder === keep) continue;
    if (!/^import-\d+-[0-9a-f]{8}$/.test(name)) {
      const info = await stat(folder).catch(() => null);
      if (!info || Date.now() - info.mtimeMs <= STALE_TEMP_MS) continue;
    }
    await rm(folder, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/**
 * Where an import keeps files aside for staff, by the time it does (`.vitrine/import-recovered/<date>/`): what a
 * recovery could not put back, tables changed by hand after an interruption (`edited/`), and a table a
 * `--labels replace` changes that git's last commit does not hold (`before-replace/`).
 */
export function keptAsideFolder({ ws, now = new Date() }: { ws: Workspace; now?: Date }): string {
  const stamp = now
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  return path.join(ws.work, RECOVERED, stamp);
}

/** Copy `file` to `copy`, whole or not at all (a temp file next to it, synced, then renamed), making its folder. */
export async function copyWhole({ file, copy }: { file: string; copy: string }): Promise<void> {
  await mkdir(path.dirname(copy), { recursive: true });
  const part = `${copy}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await copyFile(file, part);
    await syncFile(part);
    await rename(part, copy);
  } catch (error) {
    await rm(part, { force: true }).catch(() => {});
    throw error;
  }
  await syncFile(path.dirname(copy));
}

/** Write `file` so that after a crash or power cut it holds the old text or the new, whole: temp, sync, rename. */
async function durableWrite(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await syncFile(temp);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  await syncFile(path.dirname(file));
}

/** Flush a file (or a folder's entries) to the disk; a system that cannot sync a folder (Windows) skips it. */
export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => {});
  } finally {
    await handle.close();
  }
}
