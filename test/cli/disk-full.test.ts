import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemProblem } from '../../pipeline/errors.ts';
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

async function failure(write: Promise<void>): Promise<NodeJS.ErrnoException> {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected an error, got ${String(error)}`);
  return error as NodeJS.ErrnoException;
}

describe.runIf(existsSync('/dev/full'))('a full disk while writing', () => {
  it("Node's own error names no file (why the write must say it)", async () => {
    const error = (await writeFile('/dev/full', 'x').catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.code).toBe('ENOSPC');
    expect(error.path).toBeUndefined();
  });

  it('names the file being written, relative to the repository, in plain words, and leaves no temp file', async () => {
    const root = await tempDir();
    const dir = path.join(root, '.vitrine', 'report');
    const file = path.join(dir, 'report.md');
    const error = await failure(writeFileAtomic({ file, data: '# Report\n', fs: fullDisk }));
    expect(error.code).toBe('ENOSPC');
    expect(error.path).toBe(file);
    expect(systemProblem({ error, root })).toBe(
      `The disk is full: Vitrine could not write ${path.join('.vitrine', 'report', 'report.md')}. ` +
        'Free some space and run again.',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('writeJsonAtomic too; the note for the pull request quotes it and points at the runner', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'metrics.json');
    const error = await failure(writeJsonAtomic({ file, value: { ok: true }, fs: fullDisk }));
    const { note, markdown } = failureNote({ error, root: dir });
    expect(note.code).toBe('ENOSPC');
    expect(markdown).toContain('The disk is full: Vitrine could not write metrics.json');
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
