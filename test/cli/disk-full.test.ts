import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVitrineError, systemProblem, type VitrineError } from '../../pipeline/errors.ts';
import { type WriteFs, writeFileAtomic, writeJsonAtomic } from '../../pipeline/fs.ts';
import { failureNote } from '../../pipeline/report/failure.ts';
import { removeTempDirs, tempDir } from '../dataset/fixtures.ts';

/*
 * A full disk while a file is written: Node's error for the failed write names no file ("ENOSPC: no space
 * left on device, write"), so staff read "could not write a file". The write says which file and folder.
 * Linux's /dev/full fails every write with ENOSPC as a full disk does: the writes below go there.
 */

afterAll(removeTempDirs);

/** Node's own file functions, except that every file's bytes go to /dev/full. */
const fullDisk: WriteFs = { mkdir, rename, rm, writeFile: (_file, data) => writeFile('/dev/full', data) };

async function failure(write: Promise<void>): Promise<VitrineError> {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isVitrineError(error)) throw new Error(`expected a VitrineError, got ${String(error)}`);
  return error;
}

describe.runIf(existsSync('/dev/full'))('a full disk while writing', () => {
  it("Node's own error names no file (why the write must say it)", async () => {
    const error = (await writeFile('/dev/full', 'x').catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.code).toBe('ENOSPC');
    expect(error.path).toBeUndefined();
  });

  it('names the file being written and its folder, in plain words, and leaves no temp file', async () => {
    const dir = path.join(await tempDir(), '.vitrine', 'report');
    const file = path.join(dir, 'report.md');
    const error = await failure(writeFileAtomic({ file, data: '# Report\n', fs: fullDisk }));
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toBe(
      `The disk is full while writing report.md in ${dir}: free some space on that disk and run again.`,
    );
    expect(error.data).toMatchObject({ path: file, folder: dir });
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(await readdir(dir)).toEqual([]);
  });

  it('writeJsonAtomic too; the note for the pull request quotes it and points at the runner', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'metrics.json');
    const error = await failure(writeJsonAtomic({ file, value: { ok: true }, fs: fullDisk }));
    expect(error.message).toMatch(/^The disk is full while writing metrics\.json in /);
    const { note, markdown } = failureNote({ error, root: dir });
    expect(note.code).toBe('DISK_FULL');
    expect(markdown).toContain('The disk is full while writing metrics.json');
    expect(markdown).toContain('the runner needs looking at');
  });

  it('any other failure of a write keeps its own code and names the file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'labels.csv');
    const io = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', errno: -5, syscall: 'write' });
    const broken: WriteFs = {
      ...fullDisk,
      writeFile: async () => {
        throw io;
      },
    };
    const error = await writeFileAtomic({ file, data: 'x', fs: broken }).catch((e: unknown) => e);
    expect(error).toBe(io);
    expect(systemProblem({ error, root: dir })).toMatch(/as Vitrine tried to write labels\.csv:/);
  });
});
