import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Write a file so that readers see the old content or the new, never half: temp name, then rename. */
export async function writeFileAtomic({ file, data }: { file: string; data: string | Uint8Array }): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Write JSON (two-space indent, trailing newline) atomically. */
export async function writeJsonAtomic({ file, value }: { file: string; value: unknown }): Promise<void> {
  await writeFileAtomic({ file, data: `${JSON.stringify(value, null, 2)}\n` });
}
