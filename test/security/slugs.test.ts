import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAddresses, previousSlugs } from '../../pipeline/catalogue/addresses.ts';
import { assignSlugs } from '../../pipeline/catalogue/derive.ts';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { object as datasetObject, makeCollection, testParams } from '../dataset/fixtures.ts';
import { type FixtureObject, writeFixture } from '../site/fixture.ts';

/*
 * Object addresses (objects/<slug>/, iiif/<slug>/) are permanent links: printed labels, QR codes and IIIF
 * aggregators point at them. A new id that makes the same address ("DM 0267" beside "DM-0267") must not take
 * the existing object's address; an id named like a file the build writes beside the object folders
 * ("collection.json") must not stop the build.
 */

const img = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'datasets',
  'five-museums',
  'images',
  'nga',
  'nga_106382.jpg',
);
const hash = (id: string) => createHash('md5').update(id).digest('hex').slice(0, 8);
const dirs: string[] = [];
const object = (id: string, title = `Object ${id}`): FixtureObject => ({ id, title, label: 'coin', image: img });

async function build(dir: string, objects: FixtureObject[]) {
  await writeFixture({ root: dir, objects, labels: ['coin'] });
  const { catalogue } = await buildCatalogueData({ ws: workspace(dir), params: defaultParams(), log: memoryLogger() });
  return new Map(catalogue.objects.map((o) => [o.id, o.slug]));
}

async function fresh(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-slugs-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('an object keeps its address when a look-alike id is added', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fresh();
    const first = await build(dir, [object('DM-0267', 'Real object'), object('DM-0300')]);
    expect(first.get('DM-0267')).toBe('dm-0267');
  }, 120_000);

  it('gives the newcomer the suffixed address, not the incumbent', async () => {
    const second = await build(dir, [
      object('DM 0267', 'Look-alike'),
      object('DM-0267', 'Real object'),
      object('DM-0300'),
    ]);
    expect(second.get('DM-0267')).toBe('dm-0267');
    expect(second.get('DM 0267')).toBe(`dm-0267-${hash('DM 0267')}`);
    const manifest = JSON.parse(
      await readFile(path.join(dir, '.vitrine/catalogue/public/iiif/dm-0267/manifest.json'), 'utf8'),
    );
    expect(JSON.stringify(manifest.label)).toContain('Real object');
    // A lower-case twin added later does not win either, and the first look-alike keeps its own address.
    const third = await build(dir, [object('DM 0267'), object('DM-0267'), object('DM-0300'), object('dm-0267')]);
    expect(third.get('DM-0267')).toBe('dm-0267');
    expect(third.get('DM 0267')).toBe(`dm-0267-${hash('DM 0267')}`);
    expect(third.get('dm-0267')).toBe(`dm-0267-${hash('dm-0267')}`);
  }, 120_000);

  it('keeps the addresses when only .vitrine/cache is kept between runs, as in CI', async () => {
    const d = await fresh();
    await build(d, [object('DM-0267'), object('DM-0300')]);
    // CI restores .vitrine/cache, the tiles, the thumbnails and the site; not catalogue.json.
    await rm(path.join(d, '.vitrine/catalogue/catalogue.json'));
    const slugs = await build(d, [object('DM 0267'), object('DM-0267'), object('DM-0300')]);
    expect(slugs.get('DM-0267')).toBe('dm-0267');
    expect(slugs.get('DM 0267')).toBe(`dm-0267-${hash('DM 0267')}`);
  }, 120_000);

  it('keeps the addresses when the cache is gone and the published data/addresses.json is put back', async () => {
    const d = await fresh();
    await build(d, [object('DM-0267'), object('DM-0300')]);
    const published = path.join(d, '.vitrine/catalogue/public/data/addresses.json');
    const saved = await readFile(published, 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ ids: ['DM-0267', 'DM-0300'], slugs: ['dm-0267', 'dm-0300'] });
    // The catalogue action's check (vitrine catalogue --check-addresses) takes what the build publishes.
    expect(checkAddresses(saved)).toEqual({ objects: 2 });
    // A new runner, or the Actions cache evicted: nothing of the last build but what the site publishes,
    // which the catalogue action downloads into the cache (actions/catalogue/action.yml).
    await rm(path.join(d, '.vitrine'), { recursive: true });
    await mkdir(path.join(d, '.vitrine/cache'), { recursive: true });
    await writeFile(path.join(d, '.vitrine/cache/catalogue-slugs.json'), saved);
    const slugs = await build(d, [object('DM 0267'), object('DM-0267'), object('DM-0300')]);
    expect(slugs.get('DM-0267')).toBe('dm-0267');
    expect(slugs.get('DM 0267')).toBe(`dm-0267-${hash('DM 0267')}`);
    // With an address that has a code too.
    expect(checkAddresses(await readFile(published, 'utf8'))).toEqual({ objects: 3 });
  }, 120_000);

  it('keeps the rule of first in id order when there is no previous catalogue', async () => {
    const slugs = await build(await fresh(), [object('DM 0267'), object('DM-0267')]);
    expect(slugs.get('DM 0267')).toBe('dm-0267');
    expect(slugs.get('DM-0267')).toBe(`dm-0267-${hash('DM-0267')}`);
  }, 120_000);

  it('ignores a damaged previous catalogue', async () => {
    const d = await fresh();
    await build(d, [object('A-1')]);
    await rm(path.join(d, '.vitrine/cache/catalogue-slugs.json'));
    await writeFile(path.join(d, '.vitrine/catalogue/catalogue.json'), '{"objects":[{"id":"A 1","slug":"a-1"');
    const slugs = await build(d, [object('A 1'), object('A-1')]);
    // The damaged file still names "A 1" at a-1; nothing else is read from it.
    expect(slugs.get('A 1')).toBe('a-1');
    expect(slugs.get('A-1')).toBe(`a-1-${hash('A-1')}`);
  }, 120_000);
});

describe('reading the previous addresses', () => {
  it('reads every id and slug of a catalogue of several megabytes, ids of any characters, across read chunks', async () => {
    const d = await fresh();
    const ids = Array.from(
      { length: 4000 },
      (_, i) => [`A-${i}`, `q"uote\\${i}`, `é ${i} 中`, `{"id":"${i}","slug":"x"}`][i % 4]!,
    );
    const objects = ids.map((id, i) => ({
      id,
      slug: `s-${i}`,
      title: `{"id":"t${i}","slug":"bad"}`,
      text: 'x'.repeat(i % 1500),
    }));
    const file = path.join(d, 'catalogue.json');
    await writeFile(file, JSON.stringify({ recent: [{ text: 'a' }], objects }));
    const slugs = await previousSlugs(file);
    expect(slugs.size).toBe(ids.length);
    ids.forEach((id, i) => expect(slugs.get(id)).toBe(`s-${i}`));
    expect((await previousSlugs(path.join(d, 'none.json'))).size).toBe(0);
  });
});

describe('ids that make folder names Windows cannot create', () => {
  it('get the address with a code added (CON, nul.1, COM1, a name ending in a dot)', () => {
    const ids = ['CON', 'nul.1', 'COM1', 'LPT9.x', 'A.', 'CONSOLE', 'com10'];
    const slugs = assignSlugs({ ids, previous: new Map([['CON', 'con']]) });
    expect(slugs).toEqual([
      `con-${hash('CON')}`,
      `nul_1-${hash('nul.1')}`,
      `com1-${hash('COM1')}`,
      `lpt9_x-${hash('LPT9.x')}`,
      `a.-${hash('A.')}`,
      'console',
      'com10',
    ]);
  });
});

describe('ids named like the files beside the object folders', () => {
  it('builds when an object is numbered collection.json, giving it another address', async () => {
    const dir = await fresh();
    const slugs = await build(dir, [object('A1'), object('Collection.JSON'), object('x.partial'), object('y.tmp')]);
    expect(slugs.get('Collection.JSON')).toBe(`collection.json-${hash('Collection.JSON')}`);
    expect(slugs.get('x.partial')).toBe(`x.partial-${hash('x.partial')}`);
    expect(slugs.get('y.tmp')).toBe(`y.tmp-${hash('y.tmp')}`);
    const iiif = path.join(dir, '.vitrine/catalogue/public/iiif');
    expect((await stat(path.join(iiif, 'collection.json'))).isFile()).toBe(true);
    expect((await stat(path.join(iiif, slugs.get('Collection.JSON')!, 'manifest.json'))).isFile()).toBe(true);
    const published = await readFile(path.join(dir, '.vitrine/catalogue/public/data/addresses.json'), 'utf8');
    expect(checkAddresses(published)).toEqual({ objects: 4 });
  }, 120_000);
});

describe('slug assignment', () => {
  it("never gives two ids one address, even an id spelled like another id's suffixed address", () => {
    const spelled = `a-1-${hash('a-1')}`;
    expect(assignSlugs({ ids: ['A 1', spelled, 'a-1'], previous: new Map() })).toEqual([
      'a-1',
      spelled,
      `${spelled}-2`,
    ]);
  });

  it('does not keep a previous address that is reserved, malformed or claimed twice', () => {
    const previous = new Map([
      ['collection.json', 'collection.json'],
      ['B', 'Not a slug'],
      ['C', 'c'],
      ['D', 'c'],
    ]);
    expect(assignSlugs({ ids: ['collection.json', 'B', 'C', 'D'], previous })).toEqual([
      `collection.json-${hash('collection.json')}`,
      'b',
      'c',
      'd',
    ]);
  });
});

describe('the dataset stage', () => {
  it('says that a look-alike object gets a different web address', async () => {
    const ws = await makeCollection({
      objects: [datasetObject('DM-0267', 'images/a.png'), datasetObject('DM 0267', 'images/b.png')],
    });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams(), log });
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('same web address'));
    expect(warning?.message, JSON.stringify(log.lines)).toContain('gets a different web address');
    expect(warning?.message).toContain('"DM 0267" (line 2) and "DM-0267" (line 3) would share objects/dm-0267/');
  });
});
