import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * The report linked each object to the page name `slugFor` gives in dataset order, not to the address the catalogue
 * keeps (assignSlugs: an id keeps the address it had in the last catalogue). A look-alike id added beside a published
 * one ("DM 0007" before "DM-0007") took "dm-0007" in the report, so the link of DM-0007's label change opened the
 * other object's page. The report now asks for the addresses the way the catalogue assigns them.
 */

const ROOT = 'https://museum.example.org/catalogue/';
// The newcomer sorts first and comes first in the dataset, as a new row of objects.csv can.
const objects = [{ id: 'DM 0007', title: 'Look-alike', label: 'mask', split: 'train' as const }, ...demoObjects()];
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));

describe('report links to objects with look-alike ids', () => {
  it('point at the address the published catalogue kept, in the label changes and the mislabelled list', async () => {
    const { ws } = await makeRepo({ objects, base: { ...correct, 'DM-0007': 'coin' }, head: correct });
    const m = { checked: 37, candidates: 1, confident: 0, top: [] } as NonNullable<Metrics['mislabelled']>;
    m.top = [{ id: 'DM-0007', label: 'figurine', suggested: 'coin', score: 0.9, confidence: 0.9, confident: false }];
    await writeStageOutputs({ ws, objects, head: correct, metrics: { mislabelled: m } });
    // The last catalogue published DM-0007 at objects/dm-0007/ (DM 0007 is new: it gets the address with a code).
    await mkdir(ws.cache, { recursive: true });
    await writeFile(
      path.join(ws.cache, 'catalogue-slugs.json'),
      JSON.stringify({ about: '', ids: ['DM-0007'], slugs: ['dm-0007'] }),
    );
    const params = validateParams({ raw: { train: { epochs: 60 }, report: { catalogue_url: ROOT } } });
    const fetch = (async () => new Response('', { status: 200 })) as typeof globalThis.fetch;
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger, fetch });
    expect(json.labels.changes.find((c) => c.id === 'DM-0007')!.pageUrl).toBe(`${ROOT}objects/dm-0007/`);
    const links = [...markdown.matchAll(/\[DM-0007\]\(([^)]+)\)/g)].map((l) => l[1]);
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const url of links) expect(url).toBe(`${ROOT}objects/dm-0007/`);
  });

  it('reads the last catalogue.json when the saved addresses are gone, as the catalogue does', async () => {
    const { ws } = await makeRepo({ objects, base: { ...correct, 'DM-0007': 'coin' }, head: correct });
    await mkdir(ws.catalogue, { recursive: true });
    await writeFile(path.join(ws.catalogue, 'catalogue.json'), '{"objects":[{"id":"DM-0007","slug":"dm-0007"}]}');
    const params = validateParams({ raw: { train: { epochs: 60 }, report: { catalogue_url: ROOT } } });
    const fetch = (async () => new Response('', { status: 200 })) as typeof globalThis.fetch;
    const { json } = await buildReport({ ws, params, base: 'main', log: silentLogger, fetch });
    expect(json.labels.changes.find((c) => c.id === 'DM-0007')!.pageUrl).toBe(`${ROOT}objects/dm-0007/`);
  });
});
