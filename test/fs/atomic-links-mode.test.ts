import { chmod, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from '../../pipeline/fs.ts';
import { removeTempDirs, tempDir } from '../dataset/fixtures.ts';

/*
 * The tester’s committed `labels.csv -> collection/labels.csv`: `vitrine demo --fix-labels` said "Corrected 19
 * labels" but replaced the link by a regular file (git status " T labels.csv") and left collection/labels.csv as
 * it was. And a group-shared checkout’s `chmod 664 labels.csv data.dvc` came back 644 after any write. An atomic
 * write now writes the file a link points to, beside it, and keeps the file’s mode. Failed before.
 */

afterAll(removeTempDirs);

describe('an atomic write', () => {
  it('through a relative link writes the file it points to and leaves the link a link', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'collection'));
    await writeFile(path.join(root, 'collection', 'labels.csv'), 'old\n');
    await symlink(path.join('collection', 'labels.csv'), path.join(root, 'labels.csv'));
    await writeFileAtomic({ file: path.join(root, 'labels.csv'), data: 'new\n' });
    expect((await lstat(path.join(root, 'labels.csv'))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(root, 'labels.csv'))).toBe(path.join('collection', 'labels.csv'));
    expect(await readFile(path.join(root, 'collection', 'labels.csv'), 'utf8')).toBe('new\n');
  });

  it('through a chain of links, and through a link to a file not yet there (it is made where the link points)', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'real'));
    await writeFile(path.join(root, 'real', 'params.yaml'), 'a: 1\n');
    await symlink(path.join(root, 'real', 'params.yaml'), path.join(root, 'middle.yaml'));
    await symlink('middle.yaml', path.join(root, 'params.yaml'));
    await writeJsonAtomic({ file: path.join(root, 'params.yaml'), value: { a: 2 } });
    expect((await lstat(path.join(root, 'params.yaml'))).isSymbolicLink()).toBe(true);
    expect((await lstat(path.join(root, 'middle.yaml'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(path.join(root, 'real', 'params.yaml'), 'utf8'))).toEqual({ a: 2 });

    await symlink(path.join('real', 'data.dvc'), path.join(root, 'data.dvc'));
    await writeFileAtomic({ file: path.join(root, 'data.dvc'), data: 'outs: []\n' });
    expect((await lstat(path.join(root, 'data.dvc'))).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(root, 'real', 'data.dvc'), 'utf8')).toBe('outs: []\n');
  });

  // The reviewer: “..” in a link inside a linked folder was read from the link’s path as written, not from where the
  // folder leads, and a new file was made in the wrong place.
  it('through a link in a linked folder, reads “..” from where the folder leads, as the system does', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'repo'));
    await mkdir(path.join(root, 'share', 'coll'), { recursive: true });
    await mkdir(path.join(root, 'share', 'common'));
    await writeFile(path.join(root, 'share', 'common', 'labels.csv'), 'old\n');
    await symlink(path.join('..', 'common', 'labels.csv'), path.join(root, 'share', 'coll', 'labels.csv'));
    await symlink(path.join('..', 'share', 'coll'), path.join(root, 'repo', 'collection'));
    await symlink(path.join('collection', 'labels.csv'), path.join(root, 'repo', 'labels.csv'));
    await writeFileAtomic({ file: path.join(root, 'repo', 'labels.csv'), data: 'new\n' });
    expect(await readFile(path.join(root, 'share', 'common', 'labels.csv'), 'utf8')).toBe('new\n');
    expect(await readFile(path.join(root, 'repo', 'labels.csv'), 'utf8')).toBe('new\n');
  });

  it('keeps the mode of the file it replaces (664 stays 664 under umask 022), and a new file gets the usual mode', async () => {
    const old = process.umask(0o022);
    try {
      const root = await tempDir();
      const file = path.join(root, 'labels.csv');
      await writeFile(file, 'old\n');
      await chmod(file, 0o664);
      await writeFileAtomic({ file, data: 'new\n' });
      expect((await stat(file)).mode & 0o7777).toBe(0o664);
      await chmod(file, 0o600);
      await writeFileAtomic({ file, data: 'newer\n' });
      expect((await stat(file)).mode & 0o7777).toBe(0o600);
      const fresh = path.join(root, 'fresh.json');
      await writeFileAtomic({ file: fresh, data: '{}\n' });
      expect((await stat(fresh)).mode & 0o7777).toBe(0o644);
    } finally {
      process.umask(old);
    }
  });

  it('through a link keeps the target’s mode', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'target.dvc'), 'x\n');
    await chmod(path.join(root, 'target.dvc'), 0o664);
    await symlink('target.dvc', path.join(root, 'data.dvc'));
    await writeFileAtomic({ file: path.join(root, 'data.dvc'), data: 'y\n' });
    expect((await stat(path.join(root, 'target.dvc'))).mode & 0o7777).toBe(0o664);
    expect(await readFile(path.join(root, 'target.dvc'), 'utf8')).toBe('y\n');
  });
});
