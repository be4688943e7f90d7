import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A tester: init said "Imported 112 objects (112 labelled, 4 without an image)" and named the three whose file was
 * missing, but never the fourth, whose image cell was empty: the officer could not find it without opening the CSV.
 */

describe('a row whose image cell is empty', () => {
  it('is named with its line, as imported without an image', async () => {
    const root = await tempDir('vitrine-init-empty-cell-');
    const rows = ['A1,a1.jpg,coin', 'A2,a2.jpg,coin', 'A3,a3.jpg,vase', 'A4,a4.jpg,vase'].map((r) => r.split(','));
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    await appendFile(csv, 'A5,,vase\n');
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).toBe(0);
    expect(said).toMatch(/Imported 5 objects \(5 labelled, 1 without an image\)/);
    expect(said).toMatch(/objects\.csv: 1 row has no file name in its image column \("image"\): object A5 \(line 6\)/);
  });
});
