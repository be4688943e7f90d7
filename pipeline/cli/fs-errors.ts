import { accessSync, constants, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isVitrineError, systemErrorOf } from '../errors.ts';

/*
 * The CLI's error boundary: a file-system error that is the user's machine (a read-only disk, a folder this
 * user may not write, a full disk, a used-up quota, a file-size limit, too many open files) is not a bug in Vitrine. It gets
 * plain words naming the folder (never Vitrine's own temp file in it), what it means and what to do, and
 * exit 1. Every other error keeps the "did not expect" path, so real bugs still ask to be reported.
 */

const ENVIRONMENT = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'EFBIG', 'EMFILE']);

/**
 * Node's own message for such an error ("EROFS: read-only file system, link 'a' -> 'b'"). An error that
 * crossed from a child process (the catalogue's site placement, catalogue/apart.ts) arrives as its message
 * only, without `code`, `path` or `dest`.
 */
const NODE_MESSAGE =
  /^(EROFS|EACCES|EPERM|ENOSPC|EDQUOT|EFBIG|EMFILE): [^,\n]+, (\w+)(?: '([^'\n]*)'(?: -> '([^'\n]*)')?)?$/;

interface FsError {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

/** The user's-environment file-system error in `error` or its causes, from its fields or Node's message. */
function environmentError(error: unknown): FsError | undefined {
  const system = systemErrorOf(error);
  if (system) return ENVIRONMENT.has(system.code) ? system : undefined;
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (isVitrineError(e)) return undefined;
    const m = NODE_MESSAGE.exec(e.message);
    if (m) return { code: m[1]!, syscall: m[2], path: m[3], dest: m[4] };
    const made = unwritableParent(e as Error & Partial<FsError>);
    if (made) return made;
  }
  return undefined;
}

/**
 * Node's `mkdir(…, { recursive: true })` says ENOENT, not EROFS or EACCES, when the folder it starts from is
 * read-only or locked. Asked after the failure, the nearest folder that exists says which it is.
 */
function unwritableParent(e: Partial<FsError>): FsError | undefined {
  if (e.code !== 'ENOENT' || e.syscall !== 'mkdir' || !e.path) return undefined;
  let below = e.path;
  for (let p = path.dirname(e.path); p !== below; below = p, p = path.dirname(p)) {
    if (!statSync(p, { throwIfNoEntry: false })?.isDirectory()) continue;
    try {
      accessSync(p, constants.W_OK);
      return undefined;
    } catch (error) {
      const code = (error as FsError).code;
      return ENVIRONMENT.has(code) ? { code, syscall: 'mkdir', path: below } : undefined;
    }
  }
  return undefined;
}

const FULL = new Set(['ENOSPC', 'EDQUOT']);

/** Bytes this user may still write on the disk that holds `dir`; undefined when the system does not say. */
function freeBytesOn(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** Calls that create or replace the file at `dest` (the second path); the others act on `path`. */
const TO_DEST = new Set(['link', 'symlink', 'rename', 'copyfile', 'cp']);
const READS = new Set(['read', 'scandir', 'opendir', 'stat', 'lstat', 'readlink', 'realpath', 'access']);

/**
 * Plain words for a file-system error that is the user's environment, naming the folder relative to the
 * repository `root` and the command to run again; undefined for anything else (a bug, or another error).
 */
export function environmentProblem({
  error,
  root,
  command,
  afterwards,
  freeBytes = freeBytesOn,
}: {
  error: unknown;
  root: string;
  /** The command as typed after "vitrine" ("run", "catalogue"). */
  command: string;
  /** What to do once mended, instead of running `command` again ("then import again."). */
  afterwards?: string;
  /** Bytes free for this user on the disk that holds a folder (passed in by tests; statfs by default). */
  freeBytes?: (dir: string) => number | undefined;
}): string | undefined {
  const e = environmentError(error);
  if (!e) return undefined;
  const again = afterwards ?? `then run "npx vitrine ${command}" again.`;
  if (e.code === 'EMFILE')
    return (
      'Vitrine had too many files open at once for this system (EMFILE): the limit is set for each program. ' +
      `Raise it in the shell you run Vitrine from (for example "ulimit -n 4096"), ${again}`
    );
  const written = TO_DEST.has(e.syscall ?? '') && e.dest ? e.dest : e.path;
  const show = (p: string) => {
    const relative = path.relative(root, p);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
  };
  // A folder that could not be made is in its parent; a file (Vitrine's temp file or not) is in its folder.
  const folder = written ? show(path.dirname(written)) : undefined;
  // No path from the system: a full disk is most often the repository's own (an outside tester), which can be seen.
  const fullHere = !folder && FULL.has(e.code) && (freeBytes(root) ?? Number.POSITIVE_INFINITY) < 1024 * 1024;
  const the = folder
    ? `the folder ${folder}`
    : fullHere
      ? `the repository (${root})`
      : 'a folder Vitrine writes to (the system did not say which)';
  const inRepository = written === undefined || show(written) !== written;
  switch (e.code) {
    case 'EROFS':
      return (
        `Vitrine could not write in ${the}: it is on a read-only disk (EROFS), so nothing there can change. ` +
        // The folder may be the storage remote's, not the repository's (a tester: "move the repository" for a
        // read-only remote at data init).
        `Make that disk writable, or ${inRepository ? 'move the repository to one that is' : 'use a folder on one that is'}, ${again}`
      );
    case 'ENOSPC':
      return `The disk that holds ${the} is full (ENOSPC): Vitrine could not write there. Free some space on it, ${again}`;
    case 'EDQUOT':
      return (
        `Your disk quota is used up on the disk that holds ${the} (EDQUOT): Vitrine could not write there. ` +
        `Free some space, or ask for a larger quota, ${again}`
      );
    case 'EFBIG':
      return (
        `Vitrine could not write in ${the}: a file there would be larger than this system lets one file be ` +
        '(EFBIG: a limit set with "ulimit -f", or a disk formatted FAT32, which holds files up to 4 GB). Raise the ' +
        `limit, or move the repository to a disk without it, ${again}`
      );
    default: {
      const why = e.code === 'EPERM' ? 'operation not permitted' : 'permission denied';
      const shown = written ? show(written) : undefined;
      // An open both reads and writes: Node does not say which was refused.
      if (e.syscall === 'open' && shown)
        return (
          `Vitrine may not open ${shown} (${e.code}: ${why}): this user may not read or change it, or may not ` +
          `write in its folder. Give this user permission there (or run as the user who owns it), ${again}`
        );
      if (READS.has(e.syscall ?? '') && shown)
        return (
          `Vitrine may not read ${shown} (${e.code}: ${why}): this user has no permission to. ` +
          `Give this user read permission there (or run as the user who owns it), ${again}`
        );
      return (
        `Vitrine may not write in ${the} (${e.code}: ${why}): this user has no permission to change files ` +
        `there, or the folder is locked. Give this user write permission there (or run as the user who owns it), ${again}`
      );
    }
  }
}
