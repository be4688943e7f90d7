import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { eachCardList, eachObjectPageProps } from '../../pipeline/catalogue/pages.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FixtureObject, fiveMuseumsRows, writeFixture } from '../site/fixture.ts';

/*
 * An outside tester (T5, F4): a photograph kept off the site because its rights say not to publish it ("Do not publish
 * online", "Secret/sacred") still gave away what it looks like: its palette (hex and share) on its page, in
 * data/colours.json ("Pick any colour"), in catalogue.csv/json, on the colour family and swatch pages and their counts,
 * and its look-alikes (`similar`) in catalogue.json. Now the data step gives such an object no colours and no
 * look-alikes, and lists it as no other's. A photograph held back for copyright only keeps both, as before.
 * Failed before the fix (data.ts).
 */

const SACRED = ['S-0', 'S-1'];
const COPYRIGHT = 'C-0';

let root: string;
let catalogue: Catalogue;
let dataset: Dataset;

beforeAll(async () => {
  root = await tempDir('vitrine-not-for-publication-colours-');
  // Six photographs of their own (every 5th row), each with colours.
  const rows = (await fiveMuseumsRows()).filter((_, i) => i % 5 === 0).slice(0, 6);
  const rights = ['Do not publish online', 'Secret/sacred', 'In Copyright', 'CC0', 'CC0', 'CC0'];
  const ids = [...SACRED, COPYRIGHT, 'O-0', 'O-1', 'O-2'];
  const objects: FixtureObject[] = rows.map((r, i) => ({
    id: ids[i]!,
    title: `Object ${i}`,
    label: i % 2 ? 'coin' : 'vase',
    image: r.image,
    rights: rights[i]!,
  }));
  await writeFixture({ root, objects, labels: ['coin', 'vase'], embeddingSize: 16, uniqueThumbnails: true });
  const ws = workspace(root);
  dataset = JSON.parse(await readFile(path.join(ws.dataset, 'dataset.json'), 'utf8')) as Dataset;
  const params = defaultParams();
  // Not shown at all for copyright: a separate decision, whose colours and look-alikes stay.
  params.catalogue.images.in_copyright = 'none';
  ({ catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() }));
}, 300_000);

const byId = (id: string) => catalogue.objects.find((o) => o.id === id)!;
const publicData = (name: string) => readFile(path.join(root, '.vitrine', 'catalogue', 'public', 'data', name), 'utf8');

describe('a photograph not to be published, in the catalogue’s data', () => {
  it('has no colours and no look-alikes, and is no other object’s look-alike', () => {
    // The photographs have palettes and look-alikes to give away: what the data must leave out.
    for (const id of SACRED) expect(dataset.objects.find((o) => o.id === id)!.colours.length, id).toBeGreaterThan(0);
    for (const id of SACRED) {
      expect(byId(id).withheld?.reason, id).toBe('not-for-publication');
      expect(byId(id).colours, id).toEqual([]);
      expect(byId(id).similar, id).toEqual([]);
    }
    for (const o of catalogue.objects) for (const id of SACRED) expect(o.similar, o.id).not.toContain(id);
    // The others still have look-alikes, among themselves.
    expect(byId('O-0').similar.length).toBeGreaterThan(0);
  });

  it('is left out of the colour counts, swatches and colour pages', () => {
    const sacredFamilies = new Set(
      dataset.objects.filter((o) => SACRED.includes(o.id)).flatMap((o) => o.colours.map((c) => c.family)),
    );
    const others = catalogue.objects.filter((o) => !SACRED.includes(o.id));
    for (const family of sacredFamilies) {
      const counting = others.filter((o) => o.colours.some((c) => c.family === family)).length;
      const counted = catalogue.counts.byFamily.find((f) => f.value === family)?.count ?? 0;
      expect(counted, family).toBe(counting);
    }
    const totalSwatches = catalogue.swatches.reduce((s, x) => s + x.count, 0);
    const shades = others.reduce((s, o) => s + new Set(o.colours.map((c) => `${c.family}/${c.name}`)).size, 0);
    expect(totalSwatches).toBe(shades);
    const slugs = new Set(SACRED.map((id) => byId(id).slug));
    eachCardList(catalogue, (list) => {
      if (!list.folder.startsWith('colours/')) return;
      for (const card of list.cards) expect(slugs.has(card.slug), `${list.folder} ${card.slug}`).toBe(false);
    });
  });

  it('gives no colours or look-alikes on its page, in colours.json, catalogue.json or catalogue.csv', async () => {
    eachObjectPageProps(catalogue, (p) => {
      if (!SACRED.includes(p.object.id)) return;
      expect(p.object.colours, p.object.id).toEqual([]);
      expect(p.similar, p.object.id).toEqual([]);
    });
    const index = JSON.parse(await publicData('colours.json')) as { objects: { slug: string }[] };
    const indexed = new Set(index.objects.map((o) => o.slug));
    for (const id of SACRED) expect(indexed.has(byId(id).slug), id).toBe(false);
    const download = JSON.parse(await publicData('catalogue.json')) as {
      objects: { id: string; colours: unknown[]; similar: string[] }[];
    };
    for (const o of download.objects)
      if (SACRED.includes(o.id)) expect([o.colours, o.similar], o.id).toEqual([[], []]);
      else for (const id of SACRED) expect(o.similar, o.id).not.toContain(id);
    const rows = parse(await publicData('catalogue.csv'), { columns: true, bom: true }) as Record<string, string>[];
    for (const id of SACRED) expect(rows.find((r) => r.id === id)!.colours, id).toBe('');
  });

  it('is not what a photograph held back for copyright only does: its colours and look-alikes stay', async () => {
    const copyright = byId(COPYRIGHT);
    expect(copyright.withheld).toEqual({ shown: 'none', reason: 'in-copyright' });
    expect(copyright.colours.length).toBeGreaterThan(0);
    expect(copyright.similar.length).toBeGreaterThan(0);
    const index = JSON.parse(await publicData('colours.json')) as { objects: { slug: string }[] };
    expect(index.objects.map((o) => o.slug)).toContain(copyright.slug);
    const rows = parse(await publicData('catalogue.csv'), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.find((r) => r.id === COPYRIGHT)!.colours).not.toBe('');
  });
});
