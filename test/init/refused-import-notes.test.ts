import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A tester: init warned three times "the object is imported without an image", then refused the export for a
 * repeated object number ("nothing was changed"): the warnings said as done what was not done.
 */

describe('an image not found in an export that is refused', () => {
  it('says the object would be imported without an image, not that it is', async () => {
    const root = await tempDir('vitrine-init-refused-notes-');
    const rows = ['A1,a1.jpg,coin', 'A2,a2.jpg,coin', 'A3,a3.jpg,vase', 'A4,a4.jpg,vase'].map((r) => r.split(','));
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    await appendFile(csv, 'A5,gone.jpg,vase\nA4,a4.jpg,vase\n');
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).not.toBe(0);
    expect(said).toMatch(/cannot be imported, so nothing was changed/);
    expect(said).toMatch(
      /the image "gone\.jpg" of object "A5" was not found in .*; the object would be imported without an image/,
    );
    expect(said).not.toMatch(/the object is imported without an image/);
  });
});
