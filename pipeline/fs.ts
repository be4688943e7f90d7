import { randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  lstat,
  mkdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';

/** The file functions a write uses: Node's own unless a caller (a test of a full disk) passes others. */
export interface WriteFs {
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  writeFile(file: string, data: string | Uint8Array, options?: { mode: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: true }): Promise<void>;
  /** Only for `ownerOnly` writes; Node's when absent. */
  chmod?(file: string, mode: number): Promise<void>;
}

const nodeFs: WriteFs = { mkdir, writeFile, rename, rm };

/** Links followed before a write gives up on a loop of links (Linux's own limit is 40). */
const MAX_LINKS = 40;

/**
 * The file a write to `file` should replace: `file` itself, or, when it is a symbolic link (a committed
 * `labels.csv -> collection/labels.csv`), the file the link points to, followed link by link. Renaming onto
 * the link would replace the link with a regular file and leave its target as it was. A link to a file not
 * there yet gives the path it points to, so the write makes the file there.
 */
export async function writeTarget(file: string): Promise<string> {
  let target = file;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    const info = await lstat(target).catch(() => null);
    if (!info?.isSymbolicLink()) return target;
    // Relative to the folder as the kernel reaches it: ".." after a linked folder is that folder's parent.
    const folder = await realpath(path.dirname(target)).catch(() => path.dirname(target));
    target = path.resolve(folder, await readlink(target));
  }
  throw Object.assign(new Error(`ELOOP: too many symbolic links encountered, open '${file}'`), {
    code: 'ELOOP',
    syscall: 'open',
    path: file,
  });
}

/**
 * Give the temp file `temp` the mode of the file it replaces (a group-shared checkout's 664 would otherwise
 * become the umask's 644), and its group and owner when this user may set them (best effort: only root may
 * give a file away, and only to one of the user's own groups may a group be set). A new file keeps the usual mode.
 */
export async function keepModeOf({ target, temp }: { target: string; temp: string }): Promise<void> {
  // Not through a link, nor from a file linked elsewhere: an image the data layer linked from its cache has the
  // cache's read-only mode, which is not the user's (the new file is not linked).
  const old = await lstat(target).catch(() => null);
  if (!old?.isFile() || old.nlink > 1) return;
  const made = await stat(temp);
  let chowned = false;
  if (made.uid !== old.uid || made.gid !== old.gid) {
    chowned = await chown(temp, old.uid, old.gid).then(
      () => true,
      () =>
        chown(temp, made.uid, old.gid).then(
          () => true,
          () => false,
        ),
    );
  }
  // After chown, which clears the setuid and setgid bits.
  if (chowned || (made.mode & 0o7777) !== (old.mode & 0o7777)) await chmod(temp, old.mode & 0o7777);
}

/**
 * Write a file so that readers see the old content or the new, never half: temp name, then rename.
 * A symbolic link is written through (the file it points to is replaced, the link stays), and the replaced
 * file's mode is kept. A failed write names the file even when Node's error does not (a full disk); `fs`
 * defaults to Node's. `temp` names the temp file beside the file written (default `<file>.<12 hex>.tmp`): a writer
 * whose leftovers a later run removes names them so that it can tell a killed process's from a live one's.
 * `ownerOnly` writes the file readable by its owner only (0600), whatever its mode was: it holds keys.
 */
export async function writeFileAtomic({
  file,
  data,
  fs = nodeFs,
  temp: tempOf = (target) => `${target}.${randomBytes(6).toString('hex')}.tmp`,
  ownerOnly = false,
}: {
  file: string;
  data: string | Uint8Array;
  fs?: WriteFs;
  temp?: (target: string) => string;
  ownerOnly?: boolean;
}): Promise<void> {
  try {
    const target = await writeTarget(file);
    // Beside the target, so that the rename stays on one file system.
    const temp = tempOf(target);
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      if (ownerOnly) {
        // Made 0600, so that the keys are never readable by others, not even between write and chmod.
        await fs.writeFile(temp, data, { mode: 0o600 });
        // A file system without Unix modes (a FAT or exFAT stick) refuses chmod: the file is then as private as it can be.
        await (fs.chmod ?? chmod)(temp, 0o600).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPERM' && error.code !== 'ENOTSUP' && error.code !== 'EOPNOTSUPP') throw error;
        });
      } else {
        await fs.writeFile(temp, data);
        await keepModeOf({ target, temp });
      }
      await fs.rename(temp, target);
    } catch (error) {
      // Removing the temp file must not hide why the write failed.
      await fs.rm(temp, { force: true }).catch(() => {});
      throw error;
    }
  } catch (error) {
    throw writeTrouble({ error, file });
  }
}

/** Write JSON (two-space indent, trailing newline) atomically. */
export async function writeJsonAtomic({
  file,
  value,
  fs,
  temp,
}: {
  file: string;
  value: unknown;
  fs?: WriteFs;
  temp?: (target: string) => string;
}): Promise<void> {
  await writeFileAtomic({ file, data: `${JSON.stringify(value, null, 2)}\n`, fs, temp });
}

/**
 * A write that failed, saying which file: Node's error for a write on an open file names none
 * ("ENOSPC: no space left on device, write"). The error keeps its code and gets the file's path, which
 * systemProblem (errors.ts) then words at the boundary ("The disk is full: Vitrine could not write …").
 */
function writeTrouble({ error, file }: { error: unknown; file: string }): unknown {
  const e = error as NodeJS.ErrnoException | undefined;
  if (e && typeof e === 'object' && typeof e.syscall === 'string' && !e.path) e.path = file;
  return error;
}

/** Whether `file` is inside `folder` (not the folder itself), by their paths: links are not followed. */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The text of `file` (UTF-8), or null when it does not exist (a stage that has not run yet). Any other failure (a
 * folder in its place, no right to read it) is thrown: it is not "not written yet".
 */
export async function readTextOrNull({ file }: { file: string }): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
