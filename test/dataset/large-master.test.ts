import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PIXELS, readImageInfo } from '../../pipeline/dataset/images.ts';
import { defaultParams } from '../../pipeline/params.ts';

/*
 * Tester: a 12,000 × 9,000 master (108 million pixels, 633 kB) was refused "to protect memory" and shown to
 * the public as "too large to be shown"; decoding it took 2.4 s and about 300 MB. Masters of that size are
 * common, so the default limit is 250 million pixels.
 */

describe('a photograph of 108 million pixels', () => {
  it('is read with the default settings', async () => {
    const maxPixels = defaultParams().dataset.image.max_pixels;
    expect(maxPixels).toBe(DEFAULT_MAX_PIXELS);
    const data = await sharp({ create: { width: 12_000, height: 9_000, channels: 3, background: '#806040' } })
      .jpeg({ quality: 50 })
      .toBuffer();
    const info = await readImageInfo({ file: 'master.jpg', data, maxPixels });
    expect([info.width, info.height]).toEqual([12_000, 9_000]);
  }, 60_000);
});
