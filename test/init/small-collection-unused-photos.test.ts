import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseParams } from '../../pipeline/params.ts';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Tester T9: init counted a 16×16 picture as a photograph when it set the small-collection gate. The dataset stage
 * leaves such a picture out (IMAGE_TOO_SMALL), so the first run had one labelled test object fewer than the
 * gate.min_test_objects init wrote, and failed "not enough evidence". init counts what the dataset stage uses.
 */

const rows = [
  ...Array.from({ length: 26 }, (_, i) => [`P${i + 1}`, `p${i + 1}.jpg`, 'Painting']),
  ...Array.from({ length: 25 }, (_, i) => [`S${i + 1}`, `s${i + 1}.jpg`, 'Sculpture']),
  ...Array.from({ length: 4 }, (_, i) => [`D${i + 1}`, `d${i + 1}.jpg`, 'Drawing']),
];

describe('vitrine init on a small collection with a picture the dataset stage leaves out', () => {
  it('counts only the photographs the dataset stage uses when it sets gate.min_test_objects', async () => {
    const root = await tempDir('vitrine-init-small-unused-');
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    // P3 falls in the test split (test/init/small-collection-gate.test.ts): a 16×16 stub, not a photograph.
    await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 9, g: 9, b: 9 } } })
      .jpeg()
      .toFile(path.join(images, 'p3.jpg'));
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).toBe(0);
    const text = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    const { gate } = parseParams({ text, name: 'params.yaml' });
    // P8, P20, S16, S25 labelled, D3 not: 4 labelled test objects with a photograph the model is scored on.
    expect(gate.min_test_objects).toBe(4);
    expect(text).toContain('its test split holds 5 objects with a photograph (4 of them labelled)');
    expect(said).toContain('its test split holds 5 objects with a photograph, fewer than');
    // The dataset built to count them is gone: the first run builds its own.
    expect((await readdir(path.join(museum, '.vitrine'))).filter((f) => f.startsWith('init-'))).toEqual([]);
  });
});
