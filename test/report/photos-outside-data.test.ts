import { afterAll, describe, expect, it } from 'vitest';
import { photoReason, unusablePhotos, unusablePhotosSection } from '../../pipeline/report/photos.ts';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';

/*
 * Tester T16 F3: image paths outside data/ in data/objects.csv ("../../../../etc/passwd", "/etc/passwd",
 * "images/../../params.yaml") were listed as missing from the data folder, shown as data/../params.yaml, with the
 * advice to put a good copy under the name shown, which cannot be done. The dataset stage says "outside the data
 * folder"; so does the report, with the fix: name a file inside data/.
 */

afterAll(removeTempDirs);

const message = (line: number, id: string, image: string) =>
  `data/objects.csv:${line}: the image of object "${id}" ("${image}") is outside the data folder; image paths ` +
  `are relative to data/, like "images/${id}.jpg".`;

describe('a photograph path outside the data folder', () => {
  it('is said to be outside the data folder, not missing', () => {
    const reason = photoReason({ code: 'OBJECT_NO_IMAGE', message: message(2, 'DM-1', '/etc/passwd') });
    expect(reason).toMatch(/outside the data folder/);
    expect(reason).not.toMatch(/missing/);
  });

  it('is shown as objects.csv names it, never under data/, with a fix that names a file inside data/', async () => {
    const paths = ['../../../../etc/passwd', '/etc/passwd', 'images/../../params.yaml'];
    const objects = paths.map((image, i) => object(`DM-${i + 1}`, image));
    const ws = await makeCollection({ objects, images: {} });
    const issues = objects.map((o, i) => ({
      code: 'OBJECT_NO_IMAGE',
      object: o.id,
      file: 'data/objects.csv',
      line: i + 2,
      message: message(i + 2, o.id, o.image),
    }));
    const dataset = { objects: objects.map((o) => ({ id: o.id, title: o.title, label: 'coin' })), issues };
    const photos = await unusablePhotos({ ws, dataset: dataset as never, base: null, maxPixels: 1e8 });
    expect(photos!.objects.map((o) => o.file)).toEqual([null, null, null]);
    const md = unusablePhotosSection({ photos });
    expect(md).not.toMatch(/data\/\.\.|data\/\/etc|missing|under the name shown/);
    expect(md).toContain('`/etc/passwd`');
    expect(md).toContain('`../params.yaml`');
    expect(md).toMatch(/outside the data folder/);
    expect(md).toMatch(/name a file inside the data folder/);
  });
});
