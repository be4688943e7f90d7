import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { readDvcConfig } from '../../pipeline/data/config.ts';
import { addData } from '../../pipeline/data/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * `vitrine data restore --from <md5> <file>`: the command import gives for a photograph changed by hand that it
 * replaced (test/collection/import-hand-changed-photograph.test.ts runs it from import's message). Here: what it
 * refuses, in plain words, leaving the file as it was. Real files in a temp folder, run as typed.
 */

const OLD = Buffer.from('the photograph as first recorded');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function repository(): Promise<string> {
  const root = await tempDir('vitrine-restore-');
  await mkdir(path.join(root, '.git'));
  await mkdir(path.join(root, 'data', 'images'), { recursive: true });
  await writeFile(path.join(root, 'data', 'images', 'A1.jpg'), OLD);
  await addData({ root, log: memoryLogger() });
  await writeFile(path.join(root, 'data', 'images', 'A1.jpg'), 'changed since');
  return root;
}

describe('vitrine data restore', () => {
  it('puts the version back from the data cache, writable, from a subfolder too', async () => {
    const root = await repository();
    const run = await vitrineIn({
      args: ['data', 'restore', '--from', md5(OLD), 'A1.jpg'],
      cwd: path.join(root, 'data', 'images'),
    });
    expect(run, run.said).toMatchObject({ code: 0 });
    expect(run.said).toContain('Put back data/images/A1.jpg from the data cache');
    expect(await readFile(path.join(root, 'data', 'images', 'A1.jpg'))).toEqual(OLD);
    expect((await stat(path.join(root, 'data', 'images', 'A1.jpg'))).mode & 0o200).toBe(0o200);
  });

  it('refuses an MD5 the cache does not hold, a file outside data/ and a malformed MD5, changing nothing', async () => {
    const root = await repository();
    const missing = await vitrineIn({
      args: ['data', 'restore', '--from', 'ab'.repeat(16), 'data/images/A1.jpg'],
      cwd: root,
    });
    expect(missing.code).toBe(1);
    expect(missing.said).toContain(`has no file with MD5 ${'ab'.repeat(16)}, so data/images/A1.jpg was left as it is`);
    const outside = await vitrineIn({ args: ['data', 'restore', '--from', md5(OLD), 'labels.csv'], cwd: root });
    expect(outside.code).toBe(1);
    expect(outside.said).toContain('labels.csv is not a file in data/');
    const malformed = await vitrineIn({
      args: ['data', 'restore', '--from', 'A1.jpg', 'data/images/A1.jpg'],
      cwd: root,
    });
    expect(malformed.code).toBe(2);
    expect(malformed.said).toContain('is not the MD5 of a file');
    expect(await readFile(path.join(root, 'labels.csv')).catch(() => 'none')).toBe('none');
    expect(await readFile(path.join(root, 'data', 'images', 'A1.jpg'), 'utf8')).toBe('changed since');
  });
  it('says to write forward slashes for a path written the Windows way (data\\images\\A1.jpg) outside Windows', async () => {
    if (path.sep === '\\') return;
    const root = await repository();
    const run = await vitrineIn({ args: ['data', 'restore', '--from', md5(OLD), 'data\\images\\A1.jpg'], cwd: root });
    expect(run.code).toBe(1);
    expect(run.said).toContain('write the path with forward slashes: data/images/A1.jpg');
    expect(run.said).not.toContain('is not a file in data/');
    expect(await readFile(path.join(root, 'data', 'images', 'A1.jpg'), 'utf8')).toBe('changed since');
  });

  it('with a damaged cache copy names the command that repairs it, leaving the file as it was', async () => {
    const root = await repository();
    const { cacheDir } = await readDvcConfig({ root });
    const copy = objectPath(cacheDir, md5(OLD));
    await chmod(copy, 0o644);
    await writeFile(copy, 'damaged on disk');
    const run = await vitrineIn({ args: ['data', 'restore', '--from', md5(OLD), 'data/images/A1.jpg'], cwd: root });
    expect(run.code).toBe(1);
    expect(run.said).toContain('is damaged');
    expect(run.said).toContain('"npx vitrine data verify --repair"');
    expect(run.said).toContain('data/images/A1.jpg was left as it is');
    expect(await readFile(path.join(root, 'data', 'images', 'A1.jpg'), 'utf8')).toBe('changed since');
  });

  it('takes the command as import prints it (from the repository’s folder) when typed in a subfolder', async () => {
    const root = await repository();
    const run = await vitrineIn({
      args: ['data', 'restore', '--from', md5(OLD), 'data/images/A1.jpg'],
      cwd: path.join(root, 'data'),
    });
    expect(run, run.said).toMatchObject({ code: 0 });
    expect(run.said).toContain('Put back data/images/A1.jpg from the data cache');
    expect(await readFile(path.join(root, 'data', 'images', 'A1.jpg'))).toEqual(OLD);
    expect(await stat(path.join(root, 'data', 'data')).catch(() => 'none')).toBe('none');
  });

  it('refuses a folder, and a path under a photograph, without advice to move or delete either', async () => {
    const root = await repository();
    const folder = await vitrineIn({ args: ['data', 'restore', '--from', md5(OLD), 'data/images'], cwd: root });
    expect(folder.code).toBe(1);
    expect(folder.said).toContain('data/images is a folder: name the file in it to put back');
    expect(folder.said).not.toMatch(/move the folder|delete it/);
    const under = await vitrineIn({ args: ['data', 'restore', '--from', md5(OLD), 'data/images/A1.jpg/x'], cwd: root });
    expect(under.code).toBe(1);
    expect(under.said).toContain('data/images/A1.jpg is a file, not a folder: data/images/A1.jpg/x cannot be put back');
    expect(under.said).not.toMatch(/move the folder|delete it/);
    expect(await readFile(path.join(root, 'data', 'images', 'A1.jpg'), 'utf8')).toBe('changed since');
  });
});
