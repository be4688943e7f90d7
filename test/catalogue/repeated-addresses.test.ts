import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAddresses } from '../../pipeline/catalogue/addresses.ts';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type FixtureObject, writeFixture } from '../site/fixture.ts';

/*
 * Attacker-tester (F7 #1): an addresses file in which two objects share one address (DM-0012's set to "dm-0013")
 * passed `vitrine catalogue --check-addresses`, and a build that read it as .vitrine/cache/catalogue-slugs.json (the
 * catalogue action downloads the published data/addresses.json when its caches are gone) moved DM-0013 to
 * dm-0013-<code> without a word and showed DM-0012 at objects/dm-0013/: printed QR codes opened another object.
 * Vitrine never saves one address for two objects, nor the names the build keeps for its own files.
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
const dirs: string[] = [];
const object = (id: string): FixtureObject => ({ id, title: `Object ${id}`, label: 'coin', image: img });
const addresses = (ids: string[], slugs: string[]) => JSON.stringify({ about: 'test', ids, slugs });

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function build(dir: string, objects: FixtureObject[]) {
  await writeFixture({ root: dir, objects, labels: ['coin'] });
  const log = memoryLogger();
  const { catalogue } = await buildCatalogueData({ ws: workspace(dir), params: defaultParams(), log });
  const warnings = log.lines.filter((l) => l.level === 'warn');
  return {
    slugs: new Map(catalogue.objects.map((o) => [o.id, o.slug])),
    warned: warnings.map((l) => l.message),
    warnings,
  };
}

async function fresh(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-repeated-addresses-'));
  dirs.push(dir);
  return dir;
}

describe('vitrine catalogue --check-addresses', () => {
  it('refuses one address given to two objects, naming both entries and objects', () => {
    const ids = ['DM-0011', 'DM-0012', 'DM-0013'];
    const result = checkAddresses(addresses(ids, ['dm-0011', 'dm-0013', 'dm-0013']));
    expect(result).toEqual({
      problem:
        'entries 2 and 3 of "ids" ("DM-0012" and "DM-0013") have one page address, objects/dm-0013/: Vitrine ' +
        'never gives two objects one address (the file was changed or damaged)',
    });
  });

  it('refuses two addresses that one folder would hold on Windows or macOS (final and medial sigma)', () => {
    const result = checkAddresses(addresses(['ΟΔΟΣ 1', 'ΟΔΟΣ-1'], ['οδος-1', 'οδοσ-1']));
    expect('problem' in result && result.problem).toMatch(/^entries 1 and 2 of "ids" \("ΟΔΟΣ 1" and "ΟΔΟΣ-1"\)/);
  });

  it('names the entries only, not an object number that could not be shown safely on one line', () => {
    const result = checkAddresses(addresses(['A-1', 'A-2\n::error::x'], ['a-1', 'a-1']));
    expect(result).toEqual({
      problem:
        'entries 1 and 2 of "ids" have one page address, objects/a-1/: Vitrine never gives two objects one address ' +
        '(the file was changed or damaged)',
    });
  });

  it('refuses the names the build keeps for its own files, which no object is ever given', () => {
    for (const slug of ['collection.json', 'dm-1.partial', 'dm-1.tmp'])
      expect(checkAddresses(addresses(['A-1', 'DM-1'], ['a-1', slug]))).toEqual({
        problem:
          `entry 2 of "slugs" is ${slug}, a name the catalogue keeps for its own files: Vitrine never gives it to ` +
          'an object (the file was changed or damaged)',
      });
  });

  it('still takes a Windows device name, which a Vitrine older than its rule for them published', () => {
    expect(checkAddresses(addresses(['CON', 'A.'], ['con', 'a.']))).toEqual({ objects: 2 });
  });
});

describe('a build whose saved addresses give one address to two objects', () => {
  const ids = ['DM-0011', 'DM-0012', 'DM-0013'];
  const cache = (dir: string) => path.join(dir, '.vitrine/cache/catalogue-slugs.json');

  it('leaves the address with the object that had it in the last catalogue, and says so', async () => {
    const dir = await fresh();
    await build(dir, ids.map(object));
    await writeFile(cache(dir), addresses(ids, ['dm-0011', 'dm-0013', 'dm-0013']));
    const { slugs, warned, warnings } = await build(dir, ids.map(object));
    expect(Object.fromEntries(slugs)).toEqual({ 'DM-0011': 'dm-0011', 'DM-0012': 'dm-0012', 'DM-0013': 'dm-0013' });
    // The file is named once, in the words ("warning: <file>: … (<file>)" said it twice).
    expect(warnings.find((w) => /gave one page address/.test(w.message))?.where).toBeUndefined();
    expect(warned).toContain(
      'The saved object addresses (.vitrine/cache/catalogue-slugs.json) gave one page address to two objects: ' +
        'objects/dm-0013/ to DM-0012 and DM-0013. Vitrine never saves that: the file was changed by hand or ' +
        'damaged. DM-0013 keeps objects/dm-0013/, its address in the last catalogue; DM-0012 is at objects/dm-0012/. ' +
        'Check that printed labels and QR codes of these objects open their pages on the published site.',
    );
    // The addresses saved and published for the next build are right again.
    const saved = JSON.parse(await readFile(cache(dir), 'utf8'));
    expect(saved.slugs).toEqual(['dm-0011', 'dm-0012', 'dm-0013']);
  }, 120_000);

  it('without the last catalogue (a download put back in CI): the object whose number makes that address', async () => {
    const dir = await fresh();
    await build(dir, ids.map(object));
    await rm(path.join(dir, '.vitrine/catalogue/catalogue.json'));
    await writeFile(cache(dir), addresses(ids, ['dm-0011', 'dm-0013', 'dm-0013']));
    const { slugs, warned } = await build(dir, ids.map(object));
    expect(Object.fromEntries(slugs)).toEqual({ 'DM-0011': 'dm-0011', 'DM-0012': 'dm-0012', 'DM-0013': 'dm-0013' });
    expect(warned.join('\n')).toContain(
      'DM-0013 keeps objects/dm-0013/, the address its number makes; DM-0012 is at objects/dm-0012/.',
    );
  }, 120_000);

  it('when nothing tells which object had it: neither keeps it, and each is said where it is now', async () => {
    const dir = await fresh();
    await build(dir, ids.map(object));
    await rm(path.join(dir, '.vitrine/catalogue/catalogue.json'));
    await writeFile(cache(dir), addresses(ids, ['dm-0011', 'old-page', 'old-page']));
    const { slugs, warned } = await build(dir, ids.map(object));
    expect(Object.fromEntries(slugs)).toEqual({ 'DM-0011': 'dm-0011', 'DM-0012': 'dm-0012', 'DM-0013': 'dm-0013' });
    expect(warned.join('\n')).toContain(
      'Vitrine cannot tell which of them had it, so neither keeps it: DM-0012 is at objects/dm-0012/, ' +
        'DM-0013 at objects/dm-0013/.',
    );
  }, 120_000);
});
