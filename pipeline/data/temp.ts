import { createHash, randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/*
 * Our temp names say who writes them: `<name>.vitrine-<host>-<pid>-<random>.tmp`, so a later run can
 * tell the litter of a killed process (same host, pid gone; or untouched for an hour) from the work
 * of a live one. Earlier versions wrote `<name>.<12 hex>.tmp`, which only age makes stale.
 */
const HOST = createHash('md5').update(os.hostname()).digest('hex').slice(0, 8);
const TEMP_RE = /\.(?:vitrine-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}|[0-9a-f]{12})\.tmp$/;
/** A temp file nobody has written to for this long is stale whoever owns it. */
export const STALE_TEMP_MS = 60 * 60 * 1000;

/** A temp name beside `file` that no reader mistakes for an object, owned by `pid` on this host. */
export function tempNameFor({ file, pid }: { file: string; pid: number }): string {
  return `${file}.vitrine-${HOST}-${pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/** A temp name beside `file` owned by this process. */
export function tempName(file: string): string {
  return tempNameFor({ file, pid: process.pid });
}

/** The name our temp file `name` was to become (`a.jpg` for `a.jpg.vitrine-….tmp`), or null for any other name. */
export function tempTargetOf(name: string): string | null {
  const m = TEMP_RE.exec(name);
  return m ? name.slice(0, m.index) : null;
}

/** True for a file name Vitrine uses for its temp files (never a real image: scans skip these). */
export function isOurTemp(name: string): boolean {
  return TEMP_RE.test(name);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Staleness {
  now?: number;
  maxAgeMs?: number;
  /** Old-style names carry no owner; in a workspace only an old version could be writing them, so they are litter. */
  ownerlessIsStale?: boolean;
  /**
   * The caller has no write in flight where it looks: temp files named with its own pid are litter too (a killed
   * run's, whose pid this process was given again, as a container's first process often is).
   */
  mineIsStale?: boolean;
}

/** True when our temp file `name` (last written at `mtimeMs`) belongs to no live writer. */
export function isStaleTemp(options: { name: string; mtimeMs: number } & Staleness): boolean {
  const { name, mtimeMs, now = Date.now(), maxAgeMs = STALE_TEMP_MS, ownerlessIsStale = false } = options;
  const { mineIsStale = false } = options;
  const m = TEMP_RE.exec(name);
  if (!m) return false;
  if (now - mtimeMs > maxAgeMs) return true;
  if (m[1] === undefined) return ownerlessIsStale;
  // Another host's pid means nothing here: only age can tell (a shared folder remote on a network drive).
  if (m[1] !== HOST) return false;
  return m[2] === String(process.pid) ? mineIsStale : !isAlive(Number(m[2]));
}

/** Remove stale temp files (or set-aside folders) among `files` (absolute paths); returns how many were removed. */
export async function removeStaleTemps({ files, ...staleness }: { files: string[] } & Staleness): Promise<number> {
  let removed = 0;
  for (const file of files) {
    const info = await stat(file).catch(() => null);
    if (!info || !isStaleTemp({ name: path.basename(file), mtimeMs: info.mtimeMs, ...staleness })) continue;
    await rm(file, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
