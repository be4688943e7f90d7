import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The file functions a write uses: Node's own unless a caller (a test of a full disk) passes others. */
export interface WriteFs {
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  writeFile(file: string, data: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: true }): Promise<void>;
}

const nodeFs: WriteFs = { mkdir, writeFile, rename, rm };

/**
 * Write a file so that readers see the old content or the new, never half: temp name, then rename.
 * A failed write names the file even when Node's error does not (a full disk); `fs` defaults to Node's.
 */
export async function writeFileAtomic({
  file,
  data,
  fs = nodeFs,
}: {
  file: string;
  data: string | Uint8Array;
  fs?: WriteFs;
}): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.writeFile(temp, data);
      await fs.rename(temp, file);
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
}: {
  file: string;
  value: unknown;
  fs?: WriteFs;
}): Promise<void> {
  await writeFileAtomic({ file, data: `${JSON.stringify(value, null, 2)}\n`, fs });
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
