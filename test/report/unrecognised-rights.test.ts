import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Rights texts Vitrine does not recognise are shown in full by default (catalogue.images.unknown: full). `vitrine init`
 * and every catalogue build name them with their objects (task R8); the pull request’s comment, the one place staff
 * read, did not: a text that is not open ("Rights TBC by the registrar") was shown in full on merge without a word there.
 * It now names them as the build log does. Failed before the fix.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const base: Record<string, string> = { ...correct, 'DM-0007': 'coin' };

describe('rights texts not recognised, in the pull request’s comment', () => {
  it('names the texts shown in full and their objects, and says nothing when all are recognised or not shown', async () => {
    const rightsOf = (id: string) =>
      id === 'DM-0007' || id === 'DM-0012' ? 'Rights TBC by the registrar' : id === 'DM-0002' ? 'In Copyright' : 'CC0';
    const { ws } = await makeRepo({
      objects: objects.map((o) => ({ ...o, rights: rightsOf(o.id) })),
      base,
      head: correct,
    });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain('2 objects have a rights text Vitrine does not recognise');
    expect(markdown).toContain('Rights TBC by the registrar');
    expect(markdown).toMatch(/DM-0007, DM-0012/);
    expect(markdown).not.toContain('"CC0"');
    // Shown small: nothing to say.
    const small = validateParams({ raw: { train: { epochs: 60 }, catalogue: { images: { unknown: 'thumbnail' } } } });
    const again = await buildReport({ ws, params: small, base: 'main', log: silentLogger });
    expect(again.markdown).not.toContain('does not recognise');
  });

  it('counts a stand-in picture the catalogue still shows in full, as the catalogue build does (task F1)', async () => {
    const rightsOf = (id: string) => (id === 'DM-0007' || id === 'DM-0012' ? 'Rights TBC by the registrar' : 'CC0');
    const { ws } = await makeRepo({
      objects: objects.map((o) => ({ ...o, rights: rightsOf(o.id) })),
      base,
      head: correct,
    });
    // As the dataset stage writes a picture given to many (IMAGE_PLACEHOLDER): no picture for the model, the one the
    // catalogue shows kept in shownOnly.
    const file = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
    dataset.objects = dataset.objects.map((o) =>
      o.id === 'DM-0007' || o.id === 'DM-0012'
        ? {
            ...o,
            ...{ image: '', imageMd5: '', width: 0, height: 0, colours: [], thumbnails: [] },
            shownOnly: {
              image: o.image,
              imageMd5: o.imageMd5,
              width: o.width,
              height: o.height,
              colours: o.colours,
              thumbnails: o.thumbnails,
            },
          }
        : o,
    );
    await writeFile(file, JSON.stringify(dataset));
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain('2 objects have a rights text Vitrine does not recognise');
    expect(markdown).toMatch(/DM-0007, DM-0012/);
  });
});
