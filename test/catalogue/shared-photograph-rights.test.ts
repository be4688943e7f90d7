import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { fiveMuseumsRows, writeFixture } from '../site/fixture.ts';

/*
 * Reviewer V2: one photograph shared by two objects whose rights differ (a set photographed together, a record
 * entered twice). Object "open" is CC0, object "inc" in copyright. The rules were applied per object, so the open one
 * published the shared photograph in full (thumbnails linked into media/, large pictures, zoom) and was the first
 * "More like this" card on the withheld page. The photograph now follows the strictest rule of the objects sharing it,
 * and the build log names them.
 */

describe('a photograph shared by objects with different rights', () => {
  it('is shown as the strictest of their rights asks, for every object that shares it, and the log says why', async () => {
    const root = await tempDir('vitrine-shared-photo-');
    const rows = await fiveMuseumsRows();
    const [one, two] = [rows[0]!, rows[7]!];
    await writeFixture({
      root,
      labels: [...new Set([one.label!, two.label!])].sort(),
      objects: [
        { id: 'open', title: 'Vase (set)', rights: 'CC0', label: one.label!, image: one.image },
        { id: 'inc', title: 'Vase', rights: 'In copyright', label: one.label!, image: one.image },
        { id: 'other', title: 'Bowl', rights: 'CC0', label: two.label!, image: two.image },
        { id: 'bare', title: 'Jug', rights: 'In copyright', label: two.label!, image: '' },
      ],
    });
    const ws = workspace(root);
    // The same photograph: the dataset gives both objects its checksum.
    const datasetFile = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(datasetFile, 'utf8')) as Dataset;
    dataset.objects[0]!.imageMd5 = dataset.objects[1]!.imageMd5;
    await writeFile(datasetFile, JSON.stringify(dataset));
    const log = memoryLogger();
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log });
    const byId = (id: string) => catalogue.objects.find((o) => o.id === id)!;
    expect(byId('inc').withheld).toEqual({ shown: 'thumbnail', reason: 'in-copyright' });
    expect(byId('open').withheld).toEqual({ shown: 'thumbnail', reason: 'in-copyright' });
    expect(byId('open').zoom).toBeNull();
    expect(byId('open').images.map((i) => i.jpeg)).toEqual(byId('inc').images.map((i) => i.jpeg));
    expect(byId('open').images.every((i) => !i.jpeg.includes('media/'))).toBe(true);
    expect(byId('other').withheld).toBeNull();
    // None of the shared photograph's thumbnails is linked into media/.
    const media = path.join(ws.catalogue, 'public', 'media');
    const linked = (await readdir(media, { recursive: true })).map(String);
    for (const t of dataset.objects[0]!.thumbnails ?? []) expect(linked).not.toContain(t.jpeg);
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain('objects "open" and "inc" share one photograph but their rights differ: it is shown small');
    // catalogue.csv says what the site shows of each object's photograph (found by an outside tester: it did not).
    const csvFile = path.join(ws.catalogue, 'public', 'data', 'catalogue.csv');
    const shown = async () =>
      Object.fromEntries(
        (parse(await readFile(csvFile, 'utf8'), { bom: true, columns: true }) as Record<string, string>[]).map((r) => [
          r.id,
          r.photograph_shown,
        ]),
      );
    expect(await shown()).toEqual({ open: 'small', inc: 'small', other: 'full', bare: 'no photograph' });
    const none = { ...defaultParams().catalogue.images, in_copyright: 'none' as const };
    const params = { ...defaultParams(), catalogue: { ...defaultParams().catalogue, images: none } };
    await buildCatalogueData({ ws, params, log });
    expect(await shown()).toEqual({ open: 'not shown', inc: 'not shown', other: 'full', bare: 'no photograph' });
  }, 120_000);
});
