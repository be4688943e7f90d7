import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isVitrineError, VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { copyVerified, exists, objectPath } from './cache.ts';
import { readDvcConfig } from './config.ts';
import { checkoutTempDirOf } from './ops.ts';

/*
 * `vitrine data restore --from <md5> <file>`: one file of data/ put back from the local data cache, where `data add`
 * and import keep every version they stored under its MD5. Import names it for a photograph changed by hand that it
 * replaced: the command is the same in every shell (cmd, PowerShell, sh), where `cp <cache file> <file>` was not,
 * and it finds the data cache itself (a cache folder set in .dvc/config needs no quoting).
 */

export interface RestoreResult {
  /** The file written, relative to the repository and with forward slashes ("data/images/A1.jpg"). */
  file: string;
  md5: string;
}

/**
 * Copies the data cache's object `md5` over `file` (relative to `cwd`, or absolute), which must be inside `data`;
 * the bytes are checked against the MD5 before the file is replaced, and the file is written to a temp name then
 * renamed. Nothing is recorded: the message says to run `data add`.
 */
export async function restoreFromCache({
  root,
  data,
  cwd = root,
  md5,
  file,
  log,
}: {
  root: string;
  /** The versioned folder (data/). */
  data: string;
  /** The folder file names are relative to (where the command was typed). */
  cwd?: string;
  md5: string;
  file: string;
  log: Logger;
}): Promise<RestoreResult> {
  const id = md5.trim().toLowerCase();
  if (id.endsWith('.dir') || !/^[0-9a-f]{32}$/.test(id))
    throw new VitrineError(
      'CLI_USAGE',
      `--from "${md5.slice(0, 80)}" is not the MD5 of a file: give the 32 characters (0-9, a-f) the message that ` +
        'suggested this command gave.',
      { option: 'from', value: md5 },
    );
  const folder = path.resolve(data);
  const dest = await target({ root, cwd, file });
  const inside = path.relative(folder, dest);
  const shown = (p: string) => path.relative(root, p).split(path.sep).join('/') || '.';
  // "data\\images\\A1.jpg" as Windows writes it: outside Windows a backslash is part of a file's name.
  const slashed = file.replaceAll('\\', '/');
  if (path.sep === '/' && slashed !== file && (await kind(await target({ root, cwd, file: slashed }))) === 'file')
    throw new VitrineError(
      'DATA_RESTORE_OUTSIDE',
      `${file} is written with backslashes, which name no folder on this computer: write the path with forward ` +
        `slashes: ${slashed}`,
      { file },
    );
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside))
    throw new VitrineError(
      'DATA_RESTORE_OUTSIDE',
      `${file} is not a file in ${shown(folder)}/: "data restore" only puts back files of ${shown(folder)}/ ` +
        `(such as ${shown(folder)}/images/A1.jpg).`,
      { file },
    );
  await refuseNotAFile({ dest, folder, shown, file });
  const { cacheDir } = await readDvcConfig({ root });
  const src = objectPath(cacheDir, id);
  const where = shown(dest);
  if (!(await exists(src)))
    throw new VitrineError(
      'DATA_RESTORE_NOT_CACHED',
      `The data cache of this computer (${cacheDir}) has no file with MD5 ${id}, so ${where} was left as it is. ` +
        '"npx vitrine data gc" may have removed it, or it was kept on another computer: run the command there.',
      { file: where, object: id },
    );
  await copyVerified({ src, dest, md5: id, tempDir: checkoutTempDirOf(root), what: `${src} (for ${where})` }).catch(
    (error: unknown) => {
      if (!isVitrineError(error, 'DATA_CORRUPT')) throw error;
      // What to do next: the repair takes the version from the storage remote (data/ holds another one now).
      throw new VitrineError(
        'DATA_CORRUPT',
        `${error.message} ${where} was left as it is. Run "npx vitrine data verify --repair" to restore the ` +
          'damaged copy from the storage remote, then run this command again; if the remote does not have it ' +
          'either, that version cannot be put back from this computer.',
        { ...error.data, file: where },
        { cause: error },
      );
    },
  );
  log.info(
    `Put back ${where} from the data cache (MD5 ${id}). Run "npx vitrine data add" to record it in data.dvc, ` +
      'then commit data.dvc.',
  );
  return { file: where, md5: id };
}

const kind = (p: string) =>
  stat(p).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => undefined,
  );

/**
 * The file named, relative to where the command was typed; but import prints it from the repository's folder
 * ("data/images/A1.jpg"), so when typed in a subfolder and no such file is there, the repository's one is meant
 * (it was put back as data/data/images/A1.jpg, a new stray file).
 */
async function target({ root, cwd, file }: { root: string; cwd: string; file: string }): Promise<string> {
  const here = path.resolve(cwd, file);
  const fromRoot = path.resolve(root, file);
  if (here === fromRoot || path.isAbsolute(file) || (await kind(here)) !== undefined) return here;
  return (await kind(fromRoot)) === 'file' ? fromRoot : here;
}

/** A folder, or a path under a file, is refused before anything is written (the copy's own errors said to move or
 * delete what was in the way: the images folder, or the photograph). */
async function refuseNotAFile({
  dest,
  folder,
  shown,
  file,
}: {
  dest: string;
  folder: string;
  shown: (p: string) => string;
  file: string;
}): Promise<void> {
  if ((await kind(dest)) === 'folder')
    throw new VitrineError(
      'DATA_RESTORE_NOT_A_FILE',
      `${shown(dest)} is a folder: name the file in it to put back (such as ${shown(folder)}/images/A1.jpg).`,
      { file },
    );
  for (let up = path.dirname(dest); up.startsWith(folder) && up !== folder; up = path.dirname(up))
    if ((await kind(up)) === 'file')
      throw new VitrineError(
        'DATA_RESTORE_NOT_A_FILE',
        `${shown(up)} is a file, not a folder: ${shown(dest)} cannot be put back. Check the file name given ` +
          '(as the message that suggested this command gave it).',
        { file },
      );
}
