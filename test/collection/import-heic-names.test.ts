import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { refusedKind } from '../../pipeline/collection/refused-images.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * HEIC files that are not the whole photograph a phone wrote: a file whose first bytes say HEIC but whose picture
 * is cut short or missing (a copy or a sync that stopped), and a file named .heic whose bytes are no image at all.
 * They were refused in the decoder's words ("heif: Invalid input: Unspecified: Insufficient input data (2.0)") or
 * as "not an image", with nothing said of HEIC, or of what to export instead.
 */

const PNG = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
    .png()
    .toBuffer();

/** The first box of a HEIC file as a phone writes it (brand heic, compatible mif1 and heic), then no picture. */
const HEIC_HEADER = Buffer.concat([
  Buffer.from([0, 0, 0, 24]),
  Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
  Buffer.alloc(200, 7),
]);

async function imported(files: Record<string, Buffer>, onInvalid: 'skip' | 'fail' = 'skip') {
  const dir = await tempDir('vitrine-heic-names-');
  const images = path.join(dir, 'images');
  await mkdir(images);
  const rows = Object.keys(files).map((file, i) => `H-${i + 1},${file},coin`);
  for (const [file, data] of Object.entries(files)) await writeFile(path.join(images, file), data);
  await writeFile(path.join(dir, 'objects.csv'), ['id,image,label', ...rows, ''].join('\n'));
  const p = defaultParams();
  p.import.on_invalid = onInvalid;
  const result = (await importCollection({
    ws: workspace(path.join(dir, 'repo')),
    params: p,
    metadata: path.join(dir, 'objects.csv'),
    images,
    log: memoryLogger(),
  })) as ImportResult;
  return new Map(result.problems.filter((r) => r.imageRefused).map((r) => [r.object!, r.message]));
}

describe('a .heic file that is not a whole photograph', () => {
  it('whose first bytes say HEIC is refused as a HEIC photo, with what to export instead', async () => {
    const said = await imported({ 'IMG_0001.heic': HEIC_HEADER, 'fine.png': await PNG() });
    const message = said.get('H-1')!;
    expect(message).toContain('the image "IMG_0001.heic" of object "H-1" is a HEIC photo');
    expect(message).toMatch(/Export it as JPEG or TIFF/);
    expect(message).not.toMatch(/Invalid input|Insufficient|heif:/);
    expect(refusedKind(message)).toBe('format');
  });

  it('whose bytes are no image is refused naming it as a .heic that is not one, with what to export', async () => {
    const said = await imported({
      'IMG_0002.heic': Buffer.from('this is not a photograph, just some bytes under a photograph’s name'),
      'IMG_0003.HEIF': Buffer.alloc(300),
      'fine.png': await PNG(),
    });
    expect([...said.keys()]).toEqual(['H-1', 'H-2']);
    expect(said.get('H-1')).toContain('the image "IMG_0002.heic" of object "H-1" is named as a HEIC photo (.heic)');
    expect(said.get('H-2')).toContain('the image "IMG_0003.HEIF" of object "H-2" is named as a HEIF photo (.HEIF)');
    for (const message of said.values()) expect(message).toMatch(/export the photograph again as JPEG or TIFF/i);
  });

  it('all of an export’s photographs refused so: said as refused, not as a wrong images folder', async () => {
    const error = await imported({ 'IMG_0001.heic': HEIC_HEADER, 'IMG_0002.heic': HEIC_HEADER }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^None of the 2 images named in \S+objects\.csv can be used: each was found in \S+images and refused/,
    );
    expect(message).toContain('line 2: the image "IMG_0001.heic" of object "H-1" is a HEIC photo');
    expect(message).not.toContain('--images');
  });

  it('a phone’s HEVC photo is told to be exported as JPEG or TIFF', async () => {
    const { HEVC_REFUSED } = await import('../../pipeline/collection/import.ts');
    expect(HEVC_REFUSED).toMatch(/Export it as JPEG or TIFF/);
  });
});
