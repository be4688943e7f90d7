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
  // A rename writes `dest` (the temp file is Vitrine's own); a failed mkdir or open names `path`.
  const target = e.syscall === 'rename' && e.dest ? e.dest : e.path;
  const where = target ? show(target) : undefined;
  const file = where ?? 'a file';
  const writing =
    !e.syscall || /^(write|rename|mkdir|open|copyfile|unlink|rmdir|rm|symlink|link|utime|chmod)/.test(e.syscall);
  // A program Vitrine starts (Astro, git) is run, not read.
  const verb = e.syscall?.startsWith('spawn') ? 'run' : writing ? 'write' : 'read';
  switch (e.code) {
    case 'ENOSPC':
      return `The disk is full: Vitrine could not write ${file}. Free some space and run again.`;
    case 'EDQUOT':
      return (
        `The disk quota is used up: Vitrine could not write ${file}. ` +
        'Free some space (or ask for a larger quota) and run again.'
      );
    case 'EROFS':
      return (
        `${where ?? 'The folder'} is on a read-only disk: Vitrine cannot write there. ` +
        'Run in a folder that can be written to.'
      );
    case 'EACCES':
    case 'EPERM': {
      const why = e.code === 'EPERM' ? 'operation not permitted' : 'permission denied';
      return (
        `Vitrine could not ${verb} ${file}: it is read-only or locked (${why}). ` +
        'Check its permissions and run again.'
      );
    }
    case 'EEXIST':
      return e.syscall === 'mkdir' && where
        ? `${where} should be a folder but is a file: delete it and run again.`
        : `${file} is in the way (it already exists): move it away and run again.`;
    case 'ENOTDIR': {
      const blocking = target ? fileOnTheWay(target) : undefined;
      return blocking
        ? `${show(blocking)} should be a folder but is a file: delete it and run again.`
        : `A folder on the way to ${file} is a file: delete that file and run again.`;
    }
    case 'EISDIR':
      return `${file} should be a file but is a folder: move the folder away and run again.`;
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
