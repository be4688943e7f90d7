import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * Every failure Vitrine reports on purpose is a VitrineError: a stable `code` that callers and
 * tests branch on, a plain-words `message` for the person reading the log, and `data` with the
 * file, line or object it is about. Only the boundaries (CLI, action entries) catch them.
 */
export class VitrineError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;

  constructor(code: string, message: string, data: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VitrineError';
    this.code = code;
    this.data = data;
  }
}

/** True when `error` is a VitrineError, optionally with the given code. */
export function isVitrineError(error: unknown, code?: string): error is VitrineError {
  return error instanceof VitrineError && (code === undefined || error.code === code);
}

/** A message for anything thrown, including values that are not Errors. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** Error codes of the operating system that mean the machine's disk or files stopped the run, not Vitrine. */
const SYSTEM_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EFBIG',
  'EROFS',
  'EACCES',
  'EPERM',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EIO',
]);

interface SystemErrorLike {
  code: string;
  path?: string;
  dest?: string;
  syscall?: string;
}

/** The Node system error (fs, child process) in `error` or its cause, if any. */
export function systemErrorOf(error: unknown): SystemErrorLike | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (isVitrineError(e)) return undefined;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && SYSTEM_CODES.has(code)) return e as SystemErrorLike;
  }
  return undefined;
}

/** The codes of a write refused by the disk or the permissions, not by what was read. */
const WRITE_REFUSALS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EACCES', 'EPERM', 'EEXIST']);

/**
 * Plain words for a full disk, a read-only file or a file where a folder should be (the machine, not a
 * bug in Vitrine), naming the path relative to the repository `root`; undefined for any other error.
 */
export function systemProblem({ error, root }: { error: unknown; root?: string }): string | undefined {
  const e = systemErrorOf(error);
  if (!e) return undefined;
  const show = (p: string) => {
    const relative = root ? path.relative(root, p) : '';
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
  };
  // A rename writes `dest` (the temp file is Vitrine's own); a failed mkdir or open names `path`. A link or
  // copy reads `path` and writes `dest`: refused for lack of space or of the right to write, `dest` is where.
  const writesDest =
    e.syscall === 'rename' || (['link', 'copyfile', 'symlink'].includes(e.syscall ?? '') && WRITE_REFUSALS.has(e.code));
  // Vitrine's temp files (`<file>.<hex>.tmp`, `<file>.vitrine-<host>-<pid>-<hex>.tmp`) are named by the file they
  // were to become.
  const target = (writesDest && e.dest ? e.dest : e.path)?.replace(
    /\.(?:[0-9a-f]{6,}|vitrine-[0-9a-f]{8}-\d+-[0-9a-f]{8})\.tmp$/,
    '',
  );
  const where = target ? show(target) : undefined;
  const file = where ?? 'a file';
  const verb = verbOf(e.syscall);
  const File = file.charAt(0).toUpperCase() + file.slice(1);
  switch (e.code) {
    case 'ENOSPC':
      return `The disk is full: Vitrine could not write ${file}. Free some space and run again.`;
    case 'EDQUOT':
      return (
        `The disk quota is used up: Vitrine could not write ${file}. ` +
        'Free some space (or ask for a larger quota) and run again.'
      );
    case 'EFBIG':
      return (
        `Vitrine could not write ${file}: it would be larger than this system lets one file be (EFBIG: a limit set ` +
        'with "ulimit -f", or a FAT32 disk). Raise the limit, or use a disk without it, and run again.'
      );
    case 'EROFS':
      return (
        `${where ?? 'The folder'} is on a read-only disk: Vitrine cannot write there. ` +
        'Run in a folder that can be written to.'
      );
    case 'EACCES':
    case 'EPERM': {
      const why = e.code === 'EPERM' ? 'operation not permitted' : 'permission denied';
      // An open both reads and writes: a file this user may not read is not "read-only".
      const state = {
        run: 'this user may not run it',
        read: 'it cannot be read by this user',
        open: 'it cannot be read or written by this user',
        'read or write': 'it cannot be read or written by this user',
        write: 'it is read-only or locked',
      }[verb];
      return `Vitrine could not ${verb} ${file}: ${state} (${why}). Check its permissions and run again.`;
    }
    case 'EEXIST':
      return e.syscall === 'mkdir' && where
        ? `${where} should be a folder but is a file: delete it and run again.`
        : `${File} is in the way (it already exists): move it away and run again.`;
    case 'ENOTDIR': {
      const blocking = target ? fileOnTheWay(target) : undefined;
      if (blocking) return `${show(blocking)} should be a folder but is a file: delete it and run again.`;
      return where
        ? `A folder on the way to ${where} is a file: delete that file and run again.`
        : 'Vitrine expected a folder but found a file; the system did not say which. ' +
            'Run the same command again with --verbose to see where.';
    }
    case 'EISDIR':
      // Node's read of a folder names no path: "a file should be a file" would say nothing.
      return where
        ? `${where} should be a file but is a folder: move the folder away and run again.`
        : 'Vitrine expected a file but found a folder; the system did not say which. ' +
            'Run the same command again with --verbose to see where.';
    case 'EMFILE':
    case 'ENFILE':
      return (
        `Too many files are open at once on this machine (${e.code}): close other programs, ` +
        'or raise the limit (ulimit -n), and run again.'
      );
    case 'EBUSY':
      return `${where ?? 'A file'} is busy (another program is using it): close that program and run again.`;
    default:
      return (
        `The disk gave an input/output error (EIO) as Vitrine tried to ${verb} ${file}: ` +
        'check the disk (or network drive) and run again.'
      );
  }
}

type Verb = 'run' | 'read' | 'open' | 'read or write' | 'write';

const READS = new Set(['read', 'scandir', 'opendir', 'stat', 'lstat', 'fstat', 'readlink', 'realpath', 'access']);
const WRITES = new Set([
  'write',
  'mkdir',
  'mkdtemp',
  'rename',
  'unlink',
  'rmdir',
  'rm',
  'copyfile',
  'link',
  'symlink',
  'utime',
  'futime',
  'chmod',
  'chown',
  'ftruncate',
  'fsync',
]);

/** What the failed system call was doing, from what Node says; an open (or no syscall) may be either. */
function verbOf(syscall: string | undefined): Verb {
  if (!syscall) return 'read or write';
  if (syscall.startsWith('spawn')) return 'run';
  if (syscall === 'open') return 'open';
  if (READS.has(syscall)) return 'read';
  return WRITES.has(syscall) ? 'write' : 'read or write';
}

/** The nearest file (not folder) at `target` or among its parents: what a path through it fails on (ENOTDIR). */
function fileOnTheWay(target: string): string | undefined {
  for (let p = target; path.dirname(p) !== p; p = path.dirname(p)) {
    try {
      return statSync(p).isDirectory() ? undefined : p;
    } catch {
      // Not there: look further up.
    }
  }
  return undefined;
}
