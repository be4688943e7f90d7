import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Outside tester T6 (F4): an export with a title line above its column names had it said twice by init, once with the
 * file’s name before the proposal, then again with its path by the import init runs. Once is enough.
 */

describe('an export with a title line above its column names', () => {
  it('has init say once that the line is left out', async () => {
    const root = await tempDir('vitrine-init-title-line-');
    const rows = Array.from({ length: 6 }, (_, i) => [`A${i + 1}`, `o${i + 1}.jpg`, i % 2 ? 'coin' : 'vase']);
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    await writeFile(csv, `Export Collections du 07/12/2026,,\n${await readFile(csv, 'utf8')}`);
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).toBe(0);
    expect(said).toContain(
      'objects.csv: line 1 is above the column names, on line 2 (a title: "Export Collections du 07/12/2026"), and ' +
        'is left out.',
    );
    expect(said.match(/above the column names/g)).toHaveLength(1);
    expect(said).toMatch(/Imported 6 objects/);
  });
});
