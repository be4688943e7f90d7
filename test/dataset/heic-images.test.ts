import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { photoProblemReason } from '../../pipeline/catalogue/photo-problems.ts';
import { REFUSED_WORDS } from '../../pipeline/collection/refused-images.ts';
import { prepareModelInput, readSmallPixels } from '../../pipeline/dataset/images.ts';
import { hevcHeic } from '../fixtures/heic.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A phone's HEIC photo in data/ (put there by hand, or stored by an import made before import refused them): the
 * dataset stage said "this image cannot be decoded; it may be damaged or in an unsupported format (heif: …)",
 * nothing of HEIC or of what to do.
 */

describe('a HEIC photo from a phone in the collection', () => {
  it('is said to be one, with what to export instead, by every reader that decodes it', async () => {
    const file = path.join(await tempDir('vitrine-heic-images-'), 'IMG_0042.heic');
    await writeFile(file, await hevcHeic());
    for (const read of [() => readSmallPixels({ file }), () => prepareModelInput({ file, size: 8, fit: 'crop' })]) {
      const error = (await read().catch((e: unknown) => e)) as Error & { code?: string };
      expect(error.code).toBe('IMAGE_UNREADABLE');
      expect(error.message).toMatch(/^\S+IMG_0042\.heic: this is a HEIC photo from a phone \(HEVC\), which cannot be /);
      expect(error.message).toMatch(/export it as JPEG or TIFF/i);
      // The object's public page says it is in a format that cannot be shown, not that it is damaged.
      expect(photoProblemReason({ code: error.code!, message: error.message })).toBe(REFUSED_WORDS.format);
    }
  });
});
