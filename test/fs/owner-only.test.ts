import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type WriteFs, writeFileAtomic } from '../../pipeline/fs.ts';
import { removeTempDirs, tempDir } from '../dataset/fixtures.ts';

/*
 * .dvc/config.local holds the storage's key and is written readable by its owner only (tester T4 F7). Reviewer V7: on
 * a file system without Unix modes (a FAT or exFAT stick) chmod is refused, and the write must not fail for it, while
 * any other failure of chmod still stops it.
 */

afterAll(removeTempDirs);

const refusing = (code: string): WriteFs => ({
  mkdir,
  writeFile,
  rename,
  rm,
  chmod: async () => {
    throw Object.assign(new Error(`${code}: operation refused`), { code });
  },
});

describe('a write readable by its owner only', () => {
  it('is made 0600, also over a file that was readable by all', async () => {
    const file = path.join(await tempDir(), 'config.local');
    await writeFile(file, 'old\n', { mode: 0o644 });
    await writeFileAtomic({ file, data: 'secret_access_key = x\n', ownerOnly: true });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('is written where chmod is not supported (EPERM, ENOTSUP), and fails on any other chmod error', async () => {
    const file = path.join(await tempDir(), 'config.local');
    for (const code of ['EPERM', 'ENOTSUP']) {
      await writeFileAtomic({ file, data: `${code}\n`, ownerOnly: true, fs: refusing(code) });
      expect(await readFile(file, 'utf8')).toBe(`${code}\n`);
    }
    const failed = await writeFileAtomic({ file, data: 'EIO\n', ownerOnly: true, fs: refusing('EIO') }).catch((e) => e);
    expect(failed.code).toBe('EIO');
    expect(await readFile(file, 'utf8')).toBe('ENOTSUP\n');
  });
});
