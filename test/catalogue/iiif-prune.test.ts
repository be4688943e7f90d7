import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { iiifFolder } from '../../pipeline/catalogue/pictures.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from '../site/fixture.ts';

/*
 * Temporary files inside the 100,000 IIIF folders are looked for only after a build that stopped
 * while it wrote them: a build marks the catalogue while it writes pictures and manifests and clears
 * the mark once they are all written. A build that fails leaves the mark, and the next one then
 * reads every folder and removes what the failed one left half-written.
 */

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');
const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

async function collection() {
  const root = await tempDir('vitrine-iiif-prune-');
  const dir = path.join(shared, 'images', 'artic');
  const photo = path.join(dir, (await readdir(dir)).sort()[0]!);
  const objects = ['A-1', 'A-2', 'A-3'].map((id) => ({ id, title: `Object ${id}`, label: 'coin', image: photo }));
  await writeFixture({ root, objects, labels: ['coin', 'vase'] });
  return { ws: workspace(root), params: defaultParams() };
}

describe('IIIF folders after a build that stopped', () => {
  it('a finished build leaves no mark; a failed one does, and the next removes its half-written files', async () => {
    const { ws, params } = await collection();
    const mark = path.join(ws.catalogue, 'iiif-unfinished');
    const first = await buildCatalogueData({ ws, params, log: memoryLogger(), clock });
    expect(await stat(mark).catch(() => null)).toBeNull();
    const folder = path.join(ws.catalogue, 'public', iiifFolder(first.catalogue.objects[1]!.slug));

    // A manifest that cannot be written (a folder in its place) stops the build half-way.
    const manifest = path.join(folder, 'manifest.json');
    await rm(manifest);
    await mkdir(path.join(manifest, 'in-the-way'), { recursive: true });
    await expect(buildCatalogueData({ ws, params, log: memoryLogger(), clock })).rejects.toThrow();
    expect((await stat(mark)).isFile()).toBe(true);

    // What a build killed in the middle of a write leaves: a temporary file beside the manifest.
    const leftover = path.join(folder, 'manifest.json.0123456789ab.tmp');
    await writeFile(leftover, '{"half": ');
    await rm(manifest, { recursive: true });
    await buildCatalogueData({ ws, params, log: memoryLogger(), clock });
    expect(await stat(leftover).catch(() => null)).toBeNull();
    expect((await stat(manifest)).isFile()).toBe(true);
    expect(await stat(mark).catch(() => null)).toBeNull();
  });

  it('after a finished build, the folders are not read again for leftovers (they are never published)', async () => {
    const { ws, params } = await collection();
    const first = await buildCatalogueData({ ws, params, log: memoryLogger(), clock });
    const folder = path.join(ws.catalogue, 'public', iiifFolder(first.catalogue.objects[0]!.slug));
    const stray = path.join(folder, 'manifest.json.0123456789ab.tmp');
    await writeFile(stray, 'x');
    await buildCatalogueData({ ws, params, log: memoryLogger(), clock });
    expect((await stat(stray)).isFile()).toBe(true);
  });
});
