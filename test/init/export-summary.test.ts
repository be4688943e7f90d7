import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A tester's export had one object twice: init refused that row, imported 128 objects, and had begun by saying
 * "objects.csv: 129 objects". The export's rows are counted as rows: a row is an object only once it is imported.
 */

describe('what init says of an export', () => {
  it('counts its rows as rows, and only the rows imported as objects', async () => {
    const root = await tempDir('vitrine-init-summary-');
    const rows = ['A1,o1.jpg,coin', 'A2,o2.jpg,coin', 'A2,o3.jpg,vase', 'A4,o4.jpg,vase', 'A5,o1.jpg,vase'];
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows: rows.map((r) => r.split(',')) });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const args = ['init', '--from', csv, '--images', images, '--on-invalid', 'skip', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(said).toContain('objects.csv: 5 rows, 3 columns (CSV).');
    expect(said).not.toMatch(/5 objects/);
    expect(said).toMatch(/object "A2" appears again/);
    expect(said).toMatch(/Imported 4 objects/);
    expect(code, said).not.toBe(0);
  });
});
