import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashTree, md5OfFiles } from '../../pipeline/data/hash.ts';
import { cleanup, tempDir } from './helpers.ts';

/* Hashing a fresh tree on every core (issue 16 #4): worker threads give the same hashes as one thread. */

let dir: string;
beforeEach(async () => {
  dir = await tempDir('vitrine-hash-threads-');
});
afterEach(async () => {
  await cleanup(dir);
});

describe('hashing with worker threads', () => {
  it('md5OfFiles hashes on worker threads, each file exactly as one thread does', async () => {
    const files: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(1000 + i * 97);
      const file = path.join(dir, `f${i}.bin`);
      await writeFile(file, bytes);
      files.push(file);
      expected.push(createHash('md5').update(bytes).digest('hex'));
    }
    const result = await md5OfFiles({ files, threads: 2 });
    expect(result.md5s).toEqual(expected);
    expect(result.threads).toBe(2);
  });

  it('a file that vanished is named', async () => {
    await writeFile(path.join(dir, 'here.bin'), 'x');
    const error = await md5OfFiles({
      files: [path.join(dir, 'here.bin'), path.join(dir, 'gone.bin')],
      threads: 2,
    }).catch((e) => e);
    expect(error.code).toBe('DATA_MISSING');
    expect(error.message).toContain('gone.bin');
  });

  it('hashTree gives the same tree with threads as without', async () => {
    const data = path.join(dir, 'data');
    for (let i = 0; i < 120; i++) {
      await mkdir(path.join(data, String(i % 7)), { recursive: true });
      await writeFile(path.join(data, String(i % 7), `image-${i}.jpg`), randomBytes(20_000 + i));
    }
    const single = await hashTree({ dir: data, threads: 1 });
    const many = await hashTree({ dir: data, threads: 2 });
    expect(many).toEqual(single);
  });

  it('a tree hashed on threads is remembered in the state: the next hash reads no file; sizes are right', async () => {
    const data = path.join(dir, 'data');
    for (let i = 0; i < 100; i++) {
      await mkdir(path.join(data, String(i % 5)), { recursive: true });
      await writeFile(path.join(data, String(i % 5), `image-${i}.jpg`), randomBytes(5_000 + i));
    }
    const stateFile = path.join(dir, '.dvc', 'tmp', 'vitrine-state.json');
    const first = await hashTree({ dir: data, stateFile, threads: 2 });
    expect(first).toEqual(await hashTree({ dir: data, threads: 1 }));
    expect(first.size).toBe(100 * 5_000 + (99 * 100) / 2);
    const read: string[] = [];
    const again = await hashTree({
      dir: data,
      stateFile,
      onFile: (e, fromState) => !fromState && read.push(e.relpath),
    });
    expect(read).toEqual([]);
    expect(again).toEqual(first);
  });
});
