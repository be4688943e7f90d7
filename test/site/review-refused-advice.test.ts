import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { makeCollection, object, removeTempDirs, testParams } from '../dataset/fixtures.ts';

/*
 * A reviewer: in an imported collection whose only unusable photographs are files import refused (an empty file, a
 * camera raw file), the review queue’s part for staff said, in general, to put a good copy in the collection’s data
 * folder and record it with data add, while the fix is in the export, imported again (the data folder holds no copy
 * of those files). The general advice follows where the files are; test/site/unusable-photo.test.ts has both kinds.
 */

let ws: Workspace;

beforeAll(async () => {
  ws = await makeCollection({
    objects: [object('a1'), object('a2'), object('r-empty', ''), object('r-raw', '')],
    labels: [
      { objectId: 'a1', label: 'coin' },
      { objectId: 'a2', label: 'mask' },
    ],
  });
  await writeFile(
    path.join(ws.data, '.refused-images.json'),
    JSON.stringify({
      'r-empty': { image: 'scans/empty.jpg', reason: 'is an empty file (0 bytes), not an image.' },
      'r-raw': { image: 'scans/R1.dng', reason: 'is a camera raw file (.dng): export it as JPEG' },
    }),
  );
  const params = testParams();
  await buildDataset({ ws, params, log: memoryLogger() });
  await buildCatalogueData({ ws, params, log: memoryLogger() });
  await buildSite({ ws, params, log: memoryLogger() });
}, 300_000);

afterAll(removeTempDirs);

/** The review queue’s part for museum staff, tags removed and spaces collapsed. */
async function staffPart(): Promise<string> {
  const html = await readFile(path.join(ws.site, 'review/index.html'), 'utf8');
  return (html.match(/<details class="staff"[\s\S]*?<\/details>/)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

it('gives the export’s advice, not the data folder’s, when every such photograph is a file import refused', async () => {
  const staff = await staffPart();
  expect(staff).toContain('scans/empty.jpg');
  expect(staff).toContain('scans/R1.dng');
  expect(staff).not.toMatch(/data folder \(a JPEG or PNG/);
  expect(staff).not.toContain('data add');
  expect(staff).toMatch(/fix the file in the export[^.]*then import again/i);
});
