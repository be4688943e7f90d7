import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftObjects } from '../../pipeline/catalogue/addresses.ts';
import { writeObjects } from '../../pipeline/collection/index.ts';
import { hashFile } from '../../pipeline/data/hash.ts';
import { silentLogger } from '../../pipeline/log.ts';
import type { BaseData } from '../../pipeline/report/base-data.ts';
import { removedObjects } from '../../pipeline/report/removed-objects.ts';
import type { CollectionObject } from '../../pipeline/types.ts';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';

/*
 * Reviewer V18 (F3, LOW): DM-0011 leaves, DM-1011 arrives with its photograph, and DM-0001, which stays, is given
 * that photograph in the same pull request. The report said "DM-0011 renumbered DM-1011" (it counted the photograph
 * among new objects only); the catalogue says DM-0011 is no longer in it. Both now use one rule. Plain functions over
 * a temp folder: the base's data is what data.dvc's listing records (path → md5), given as data.
 */

afterAll(removeTempDirs);

const ids = ['DM-0001', 'DM-0002', 'DM-0011'];
const before: CollectionObject[] = ids.map((id) => object(id));

/** The base's three objects; the head renumbers DM-0011 as DM-1011 (its photograph copied). */
async function pullRequest({ stayerTakesPhoto }: { stayerTakesPhoto: boolean }) {
  const ws = await makeCollection({ objects: before });
  const photo = (id: string) => path.join(ws.images, `${id}.png`);
  // The base as data.dvc records it: each photograph's md5, and its objects table.
  const files = new Map<string, string>();
  for (const id of ids) files.set(`images/${id}.png`, await hashFile({ file: photo(id) }));
  const base: BaseData = {
    listing: async () => ({ md5: 'base.dir', files }),
    sameAsWorkTree: async () => false,
    objects: async () => before,
    workTreeFiles: async () => null,
  };
  await copyFile(photo('DM-0011'), photo('DM-1011'));
  // DM-0001 stays, with the photograph DM-0011 had (a set photographed together, in the same pull request).
  if (stayerTakesPhoto) await copyFile(photo('DM-0011'), photo('DM-0001'));
  const head = [...before.filter((o) => o.id !== 'DM-0011'), object('DM-1011')];
  await writeObjects({ file: ws.objects, objects: head });
  const removed = await removedObjects({ ws, base, labelled: new Set(), log: silentLogger });
  // What the catalogue's next build says of DM-0011, from the same photographs (its saved addresses and the head's).
  const md5 = async (o: CollectionObject) => hashFile({ file: path.join(ws.data, o.image) });
  const left = leftObjects({
    saved: {
      slugs: new Map(before.map((o) => [o.id, o.id.toLowerCase()])),
      photos: new Map(await Promise.all(before.map(async (o) => [o.id, files.get(o.image)!] as const))),
      left: [],
    },
    objects: await Promise.all(head.map(async (o) => ({ id: o.id, slug: o.id.toLowerCase(), photo: await md5(o) }))),
  });
  return { removed: removed?.objects.find((o) => o.id === 'DM-0011'), catalogue: left.find((l) => l.id === 'DM-0011') };
}

describe('an object that leaves, when its photograph comes back on a new number', () => {
  it('is renumbered when no object that stays has that photograph, in the report as in the catalogue', async () => {
    const { removed, catalogue } = await pullRequest({ stayerTakesPhoto: false });
    expect(removed?.renumbered).toBe('DM-1011');
    expect(catalogue?.now).toBe('DM-1011');
  });

  it('is not renumbered when an object that stays is given that photograph in the same pull request', async () => {
    const { removed, catalogue } = await pullRequest({ stayerTakesPhoto: true });
    expect(catalogue?.now).toBeNull();
    expect(removed).toBeDefined();
    expect(removed?.renumbered).toBeUndefined();
  });
});
