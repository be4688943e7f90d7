import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePiecesIfChanged } from '../../pipeline/catalogue/write.ts';

// writePiecesIfChanged compares the new bytes with the old file block by block, stopping at the
// first difference: each case here must still end with the file holding exactly the new bytes.
describe('writePiecesIfChanged', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-write-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const big = (fill: string) => fill.repeat(3 * (1 << 20) + 17);

  it('leaves a file with the same bytes as it was (same inode, nothing written)', async () => {
    const file = path.join(dir, 'a.json');
    const text = big('x');
    await writeFile(file, text);
    const before = await stat(file);
    expect(await writePiecesIfChanged({ file, pieces: [text.slice(0, 1000), text.slice(1000)] })).toBe(false);
    expect((await stat(file)).ino).toBe(before.ino);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('writes a file of the same size that differs only in its last block, or only in its first byte', async () => {
    const file = path.join(dir, 'a.json');
    const text = big('x');
    await writeFile(file, text);
    const late = `${text.slice(0, -1)}y`;
    expect(await writePiecesIfChanged({ file, pieces: [late] })).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(late);
    const early = `z${late.slice(1)}`;
    expect(await writePiecesIfChanged({ file, pieces: [early.slice(0, 5), early.slice(5)] })).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(early);
  });

  it('writes a new file, an empty one, and a file whose size changed; leaves no temporary file', async () => {
    const file = path.join(dir, 'a.json');
    expect(await writePiecesIfChanged({ file, pieces: ['{}'] })).toBe(true);
    expect(await writePiecesIfChanged({ file, pieces: ['{"a":1}'] })).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('{"a":1}');
    const empty = path.join(dir, 'empty.json');
    expect(await writePiecesIfChanged({ file: empty, pieces: [] })).toBe(true);
    expect(await writePiecesIfChanged({ file: empty, pieces: [''] })).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'empty.json']);
  });
});
