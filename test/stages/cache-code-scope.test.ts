import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { tilesCodeHash } from '../../pipeline/catalogue/pictures.ts';
import { catalogueCodeHash } from '../../pipeline/catalogue/plan.ts';
import { searchCodeHash } from '../../pipeline/catalogue/search-index.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueStageWith } from '../../pipeline/stages/catalogue.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import type { Stage } from '../../pipeline/stages/stage.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { fiveMuseumsRows, writeFixture } from '../site/fixture.ts';
import { upstreamNotRun } from './upstream.ts';

/*
 * The deep-zoom tiles and the search index's parts are each keyed on a narrow hash of the code that makes them
 * (tiles.ts and the decoding it runs, dataset/decode.ts, with sharp's versions; search-index.ts and what it runs
 * but errors.ts and fs.ts, with Pagefind's version), not on the hash of all the catalogue's code the catalogue stage's fingerprint holds:
 * a Vitrine upgrade that changes a site page rebuilds the site, and must not tile every picture again (tiling is
 * the slowest part of a build).
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A copy of Vitrine's own code (pipeline/ and site/, no packages), to change files of it. */
async function copyOfVitrine(): Promise<string> {
  const root = await tempDir('vitrine-code-scope-');
  await cp(path.join(ROOT, 'pipeline'), path.join(root, 'pipeline'), { recursive: true });
  await cp(path.join(ROOT, 'site'), path.join(root, 'site'), {
    recursive: true,
    filter: (f) => !/[/\\](node_modules|\.astro|dist)$/.test(f),
  });
  return root;
}

describe('the hashes of the code that makes the tiles and the search index', () => {
  it('change with that code and the packages doing the work, not with a site page, the manifests or the schema', async () => {
    const root = await copyOfVitrine();
    const tiles = (versions: Record<string, unknown> = { vips: '8.18.0' }) =>
      tilesCodeHash({ file: path.join(root, 'pipeline/catalogue/tiles.ts'), root, versions });
    const search = (pagefind = '1.4.0') =>
      searchCodeHash({ file: path.join(root, 'pipeline/catalogue/search-index.ts'), root, pagefind });
    const edit = async (f: string) =>
      writeFile(path.join(root, f), `${await readFile(path.join(root, f), 'utf8')}\n// changed by an upgrade\n`);
    const before = { tiles: tiles(), search: search(), catalogue: await catalogueCodeHash({ root }) };
    expect(tiles()).toBe(before.tiles);
    expect(search()).toBe(before.search);

    // Changes that rebuild the site (the catalogue's code hash changes), but neither the tiles nor the parts.
    let catalogue = before.catalogue;
    for (const f of [
      'site/src/pages/index.astro',
      'site/src/pages/objects/[slug].astro',
      'pipeline/catalogue/schema.ts',
      'pipeline/catalogue/pages.ts',
      'pipeline/catalogue/plan.ts',
      'pipeline/types.ts',
      'pipeline/log.ts',
    ]) {
      await edit(f);
      const now = await catalogueCodeHash({ root });
      expect(now, f).not.toBe(catalogue);
      catalogue = now;
      expect(tiles(), f).toBe(before.tiles);
      expect(search(), f).toBe(before.search);
    }
    // Code the picture-cutting code once imported, which decides no pixel: messages, safe writes, temporary names,
    // the rest of dataset/images.ts (a comment added to errors.ts had every picture of every museum tiled again).
    for (const f of [
      'pipeline/errors.ts',
      'pipeline/fs.ts',
      'pipeline/data/temp.ts',
      'pipeline/dataset/picture-problems.ts',
      'pipeline/dataset/images.ts',
    ]) {
      await edit(f);
      expect(tiles(), f).toBe(before.tiles);
      expect(search(), f).toBe(before.search);
    }
    const parts = before.search;

    // The manifests: the tiles stay; the search index is the other way round.
    await edit('pipeline/catalogue/pictures.ts');
    expect(tiles()).toBe(before.tiles);
    await edit('pipeline/catalogue/tiles.ts');
    expect(search()).toBe(parts);

    // What cuts the pictures: tiles.ts (above), how photographs are decoded, and sharp's and libvips' versions.
    const cut = tiles();
    expect(cut).not.toBe(before.tiles);
    await edit('pipeline/dataset/decode.ts');
    expect(tiles()).not.toBe(cut);
    expect(tiles({ vips: '8.19.0' })).not.toBe(tiles());
    expect(search()).toBe(parts);

    // What makes the parts: the searchable part of each page (searchable-part.ts), the compact metadata,
    // search-index.ts itself, and Pagefind's version (test/catalogue/search-code-scope.test.ts).
    await edit('pipeline/catalogue/search-meta.ts');
    const meta = search();
    expect(meta).not.toBe(parts);
    await edit('pipeline/catalogue/searchable-part.ts');
    const part = search();
    expect(part).not.toBe(meta);
    await edit('pipeline/catalogue/search-index.ts');
    expect(search()).not.toBe(part);
    expect(search('1.5.0')).not.toBe(search());
  });

  it('are the same for the same code, and computed in milliseconds', () => {
    const started = performance.now();
    const [a, b] = [tilesCodeHash(), searchCodeHash()];
    // Generous for a shared machine: measured 2 to 14 ms each (the speed target itself is in no test).
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(tilesCodeHash()).toBe(a);
    expect(searchCodeHash()).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).not.toBe(a);
  });
});

describe.runIf(process.platform === 'linux')('the catalogue stage after an upgrade that changed a site page', () => {
  it('builds the site again and keeps every deep-zoom tile and large picture as it was', async () => {
    const root = await tempDir('vitrine-tiles-kept-');
    const rows = (await fiveMuseumsRows()).filter((_, i) => i % 11 === 0).slice(0, 3);
    const objects = rows.map((r, i) => ({
      id: `TK-${i + 1}`,
      title: r.title!,
      rights: r.license,
      label: r.label!,
      image: r.image,
    }));
    await writeFixture({ root, objects, labels: [...new Set(rows.map((r) => r.label!))].sort(), withMetrics: false });
    const ws = workspace(root);
    // The originals, 1300 px wide, where the dataset says they are, and their sizes in the dataset.
    await mkdir(path.join(ws.data, 'images'), { recursive: true });
    const datasetFile = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(datasetFile, 'utf8')) as Dataset;
    for (const [i, o] of objects.entries()) {
      const original = await sharp(o.image)
        .resize({ width: 1300 })
        .jpeg()
        .toFile(path.join(ws.data, 'images', `${o.id}.jpg`));
      Object.assign(dataset.objects[i]!, { width: original.width, height: original.height });
    }
    await writeFile(datasetFile, JSON.stringify(dataset));
    await writeFile(
      path.join(root, 'params.yaml'),
      `collection:\n  name: Test Museum\n  vocabulary: [${[...new Set(rows.map((r) => r.label!))].sort().join(', ')}]\n` +
        'catalogue:\n  deep_zoom_min_side: 200\n',
    );
    execFileSync('git', ['init', '-q', '-b', 'main', root]);
    const params = await loadParams({ file: ws.params });
    let code = 'a'.repeat(64);
    const run = async () => {
      const stage: Stage = { ...catalogueStageWith({ code: async () => code }), prepare: undefined };
      const outcomes = await runStages({
        ctx: { ws, params, log: memoryLogger(), clock: systemClock, env: {} },
        stages: [...upstreamNotRun(), stage],
        targets: ['catalogue'],
        single: true,
      });
      return outcomes.find((o) => o.name === 'catalogue')!;
    };
    // Each object's tiles, large pictures, info.json and marker, by inode and time: a file made again has new ones.
    const stamps = async () => {
      const out: Record<string, string> = {};
      const iiif = path.join(ws.catalogue, 'public', 'iiif');
      for (const o of objects) {
        const folder = path.join(iiif, o.id.toLowerCase());
        for (const f of (await readdir(folder, { recursive: true })).sort()) {
          if (f === 'manifest.json' || !/\.(jpg|webp|json)$|^\.vitrine-source$/.test(f)) continue;
          const s = await stat(path.join(folder, f));
          out[`${o.id} ${f}`] = `${s.ino} ${s.mtimeMs}`;
        }
      }
      return out;
    };
    expect(await run()).toMatchObject({ status: 'ran' });
    const first = await stamps();
    for (const o of objects)
      for (const f of ['info.json', '.vitrine-source', 'large-1200.jpg', '0,0,512,512/512,512/0/default.jpg'])
        expect(Object.keys(first)).toContain(`${o.id} ${f}`);

    code = 'b'.repeat(64);
    expect(await run()).toMatchObject({ status: 'ran', reason: 'Vitrine’s catalogue code changed' });
    expect(await stamps()).toEqual(first);
  }, 600_000);
});
