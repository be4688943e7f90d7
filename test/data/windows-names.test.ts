import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { windowsUnsafeRelpath } from '../../pipeline/data/cache.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * A museum may clone the repository on Windows: there "CON", "NUL.jpg", "com1.tif" are devices, not files, and a
 * name ending in a dot or a space loses it. `vitrine data add` records such files (they are fine here) but says
 * which ones a Windows checkout could not write.
 */

let base: string;
beforeEach(async () => {
  base = await tempDir('vitrine-winnames-');
});
afterEach(async () => {
  await cleanup(base);
});

describe('file names Windows cannot take', () => {
  it.each([
    'CON',
    'con.jpg',
    'images/NUL.jpg',
    'Aux.tar.gz',
    'prn',
    'COM1.tif',
    'lpt9',
    'images/com5/a.jpg',
    'images/a.',
    'images/b ',
    'dots./a.jpg',
  ])('%j is named', (relpath) => {
    expect(windowsUnsafeRelpath(relpath)).toMatch(/Windows/);
  });

  it.each(['CONSOLE.jpg', 'icon.jpg', 'COM0.jpg', 'COM10.jpg', 'LPT.jpg', 'a.b', 'nul_.jpg', 'images/.hidden'])(
    '%j is fine',
    (relpath) => {
      expect(windowsUnsafeRelpath(relpath)).toBeUndefined();
    },
  );

  it('add records them and warns, naming the files', async () => {
    const repo = path.join(base, 'repo');
    await writeTree(path.join(repo, 'data'), {
      'images/CON.jpg': 'a',
      'images/ok.jpg': 'b',
      'images/trailing.': 'c',
    });
    await initData({ root: repo, remoteUrl: '../storage' });
    const log = memoryLogger();
    const result = await addData({ root: repo, log });
    expect(result.nfiles).toBe(3);
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"data/images/CON.jpg"');
    expect(warnings[0]).toContain('"data/images/trailing."');
    expect(warnings[0]).not.toContain('ok.jpg');
    expect(warnings[0]).toMatch(/Windows/);
  });
});
