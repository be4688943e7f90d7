import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { fiveMuseumsRows, writeFixture } from '../site/fixture.ts';

/*
 * Reviewer V3 (defence in depth): an object with no thumbnails counted as "nothing withheld", which also put its
 * original among the full-size pictures. A dataset.json where a work in copyright has an original but no thumbnails
 * (an older or hand-made dataset) then had its original tiled for deep zoom and published in full.
 */

describe('a work in copyright with an original but no thumbnails', () => {
  it('gets no large pictures, deep zoom or IIIF from its original', async () => {
    const root = await tempDir('vitrine-withheld-no-thumbs-');
    const rows = await fiveMuseumsRows();
    const row = rows[0]!;
    await writeFixture({
      root,
      labels: [row.label!],
      objects: [{ id: 'inc', title: 'Vase', rights: 'In copyright', label: row.label!, image: row.image }],
    });
    const ws = workspace(root);
    const datasetFile = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(datasetFile, 'utf8')) as Dataset;
    const bytes = await sharp(row.image).rotate().resize({ width: 1600 }).jpeg().toBuffer();
    await mkdir(path.join(ws.data, 'images'), { recursive: true });
    await writeFile(path.join(ws.data, dataset.objects[0]!.image), bytes);
    const meta = await sharp(bytes).metadata();
    Object.assign(dataset.objects[0]!, { width: meta.width, height: meta.height, thumbnails: [] });
    await writeFile(datasetFile, JSON.stringify(dataset));
    const params = defaultParams();
    params.catalogue.deep_zoom_min_side = 1000;
    const log = memoryLogger();
    const { catalogue } = await buildCatalogueData({ ws, params, log });
    const o = catalogue.objects[0]!;
    expect(o.zoom, JSON.stringify(log.lines)).toBeNull();
    expect(o.images).toEqual([]);
    const pub = path.join(ws.catalogue, 'public');
    const files = (await readdir(pub, { recursive: true })).map(String);
    expect(files.filter((f) => /iiif\/|tiles|\.dzi/.test(f) && !f.endsWith('collection.json'))).toEqual([]);
  }, 120_000);
});
