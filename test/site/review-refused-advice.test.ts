import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { lastImportFile } from '../../pipeline/collection/import-edits.ts';
import { writeObjects } from '../../pipeline/collection/index.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { makeCollection, object, removeTempDirs, solidImage, testParams } from '../dataset/fixtures.ts';

/*
 * A reviewer: in an imported collection whose unusable photographs are files import refused (an empty file, a camera
 * raw file), the review queue’s part for staff said, in general, to put a good copy in the collection’s data folder
 * and record it with data add, while the fix is in the export, imported again (the data folder holds no copy of those
 * files). So it is for a file in data/ that import stored from the export as it was (a damaged JPEG an older import
 * took): the next import brings the export’s file back. The data folder’s advice stays for a photograph put there by
 * hand. test/site/unusable-photo.test.ts has a collection not imported.
 */

afterAll(removeTempDirs);

const REFUSED = {
  'r-empty': { image: 'scans/empty.jpg', reason: 'is an empty file (0 bytes), not an image.' },
  'r-raw': { image: 'scans/R1.dng', reason: 'is a camera raw file (.dng): export it as JPEG' },
};

/**
 * A collection with files import refused and a damaged JPEG import stored (i-cut), imported: the last import’s table
 * is data/objects.csv, or without the objects of `byHand` (added to data/objects.csv by hand since).
 */
async function built(byHand: string[]): Promise<{ ws: Workspace; catalogue: Catalogue }> {
  const jpeg = await solidImage({ width: 200, height: 150, format: 'jpeg' });
  const objects = [
    object('a1'),
    object('a2'),
    object('r-empty', ''),
    object('r-raw', ''),
    object('i-cut', 'images/i-cut.jpg'),
    ...byHand.map((id) => object(id, `images/${id}.jpg`)),
  ];
  const cut = jpeg.subarray(0, Math.floor(jpeg.length / 3));
  const ws = await makeCollection({
    objects,
    labels: [
      { objectId: 'a1', label: 'coin' },
      { objectId: 'a2', label: 'mask' },
    ],
    images: {
      'images/a1.png': await solidImage(),
      'images/a2.png': await solidImage({ colour: '#123456' }),
      'images/i-cut.jpg': cut,
      ...Object.fromEntries(byHand.map((id) => [`images/${id}.jpg`, cut])),
    },
  });
  await writeFile(path.join(ws.data, '.refused-images.json'), JSON.stringify(REFUSED));
  if (byHand.length === 0) await copyFile(ws.objects, lastImportFile(ws));
  else await writeObjects({ file: lastImportFile(ws), objects: objects.filter((o) => !byHand.includes(o.id)) });
  const params = testParams();
  await buildDataset({ ws, params, log: memoryLogger() });
  const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
  await buildSite({ ws, params, log: memoryLogger() });
  return { ws, catalogue };
}

/** The review queue’s part for museum staff, tags removed and spaces collapsed. */
async function staffPart(ws: Workspace): Promise<string> {
  const html = await readFile(path.join(ws.site, 'review/index.html'), 'utf8');
  return (html.match(/<details class="staff"[\s\S]*?<\/details>/)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the review queue of an imported collection', () => {
  let ws: Workspace;
  let catalogue: Catalogue;
  beforeAll(async () => {
    ({ ws, catalogue } = await built([]));
  }, 300_000);

  it('gives the export’s advice, not the data folder’s, when every such photograph comes from the export', async () => {
    const staff = await staffPart(ws);
    expect(staff).toContain('scans/empty.jpg');
    expect(staff).toContain('scans/R1.dng');
    expect(staff).toMatch(/data\/images\/i-cut\.jpg \(stored by import from the export/);
    expect(staff).not.toMatch(/data folder \(a JPEG or PNG/);
    expect(staff).not.toContain('data add');
    expect(staff).toMatch(/fix the file in the export[^.]*then import again/i);
    // Import never copies a file it cannot use, and keeps a good copy put in data/: it brings nothing back.
    expect(staff).not.toMatch(/would not last|brings the export/);
    expect(catalogue.objects.find((o) => o.id === 'i-cut')!.photoProblem).toMatchObject({
      file: 'data/images/i-cut.jpg',
      fromExport: true,
    });
  });
});

describe('the review queue of an imported collection with a photograph put in the data folder by hand', () => {
  let ws: Workspace;
  let catalogue: Catalogue;
  beforeAll(async () => {
    ({ ws, catalogue } = await built(['h-cut']));
  }, 300_000);

  it('gives the data folder’s advice for that one, and the export’s for the others', async () => {
    const staff = await staffPart(ws);
    expect(staff).toMatch(/data\/images\/i-cut\.jpg \(stored by import from the export/);
    expect(staff).toMatch(/data\/images\/h-cut\.jpg(?! \(stored)/);
    expect(staff).toMatch(/Any other photograph that cannot be used: put a good copy of it in the collection's data/);
    expect(staff).toContain('data add');
    expect(staff).toMatch(/fix the file in the export[^.]*then import again/i);
    expect(catalogue.objects.find((o) => o.id === 'h-cut')!.photoProblem!.fromExport).toBeUndefined();
  });
});
