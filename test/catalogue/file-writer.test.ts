import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFileWriter } from '../../pipeline/catalogue/file-writer.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The IIIF manifests are written on a worker thread, only when their bytes change: an unchanged file
 * keeps its inode (the site's hard link to it stays valid), a changed or new one is replaced whole,
 * and a write that fails names the file and stops the writer, leaving no temporary file behind.
 */

describe('startFileWriter', () => {
  it('writes new and changed files, leaves files with the same bytes untouched', async () => {
    const dir = await tempDir('vitrine-file-writer-');
    const same = path.join(dir, 'a', 'manifest.json');
    const changed = path.join(dir, 'b', 'manifest.json');
    await mkdir(path.dirname(same), { recursive: true });
    await mkdir(path.dirname(changed), { recursive: true });
    await writeFile(same, '{"label":"coin"}');
    await writeFile(changed, '{"label":"coin"}');
    const inode = (await stat(same)).ino;

    // Three batches with at most one queued: the writer makes the caller wait rather than queue them all.
    const writer = startFileWriter({ queued: 1 });
    await writer.write([{ file: same, data: '{"label":"coin"}' }]);
    await writer.write([{ file: changed, data: '{"label":"amulet"}' }]);
    await writer.write(
      Array.from({ length: 50 }, (_, i) => ({ file: path.join(dir, `new-${i}`, 'manifest.json'), data: `${i}` })),
    );
    expect(await writer.finish()).toBe(51);

    expect((await stat(same)).ino).toBe(inode);
    expect(await readFile(changed, 'utf8')).toBe('{"label":"amulet"}');
    expect(await readFile(path.join(dir, 'new-49', 'manifest.json'), 'utf8')).toBe('49');
    expect((await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('stops at a file it cannot write, naming it, with no temporary file left', async () => {
    const dir = await tempDir('vitrine-file-writer-');
    // An object whose folder holds a folder where its manifest should be.
    const blocked = path.join(dir, 'x', 'manifest.json');
    await mkdir(blocked, { recursive: true });
    const writer = startFileWriter({ queued: 1 });
    const failed = (async () => {
      await writer.write([{ file: blocked, data: '{}' }]);
      await writer.write([{ file: path.join(dir, 'y', 'manifest.json'), data: '{}' }]);
      await writer.write([{ file: path.join(dir, 'z', 'manifest.json'), data: '{}' }]);
      return writer.finish();
    })();
    await expect(failed).rejects.toMatchObject({ path: expect.stringContaining(path.join('x', 'manifest.json')) });
    expect((await readdir(path.join(dir, 'x'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Nothing after the failure was written.
    expect(await stat(path.join(dir, 'z')).catch(() => null)).toBeNull();
  });

  it('writes nothing more once aborted (its caller failed), and lets the process go', async () => {
    const dir = await tempDir('vitrine-file-writer-');
    const writer = startFileWriter({ queued: 8 });
    for (let b = 0; b < 8; b++)
      await writer.write(
        Array.from({ length: 500 }, (_, i) => ({ file: path.join(dir, `m-${b}-${i}`, 'manifest.json'), data: `${b}` })),
      );
    await writer.abort();
    const count = async () =>
      (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('manifest.json')).length;
    const atAbort = await count();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count()).toBe(atAbort);
    expect(atAbort).toBeLessThan(4000);
  });
});
