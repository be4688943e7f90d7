import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from './fixture.ts';

/*
 * A tester rolled production back (`vitrine models rollback`) and the home page's "Recent changes" still led with
 * the version that was taken out: it listed registrations only. A rollback changes every annotation the public
 * sees, so it is listed among them by date.
 */

async function catalogueWith(rollbacks: unknown[] | undefined) {
  const root = await tempDir('vitrine-recent-rollback-');
  await writeFixture({
    root,
    objects: ['A-1', 'A-2'].map((id, i) => ({ id, title: `Object ${id}`, label: ['coin', 'vase'][i]!, image: null })),
    labels: ['coin', 'vase'],
  });
  const ws = workspace(root);
  const file = path.join(ws.registry, 'versions.json');
  const versions = JSON.parse(await readFile(file, 'utf8'));
  await writeFile(file, JSON.stringify(rollbacks ? { ...versions, prod: 'v1.0.0', rollbacks } : versions));
  const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
  return catalogue.recent;
}

describe('the home page’s recent changes', () => {
  it('list a rollback of production first when it is the newest change, with its reason', async () => {
    const recent = await catalogueWith([
      { date: '2026-11-30T09:00:00Z', version: 'v1.0.0', from: 'v1.1.0', reason: 'misreads vessels' },
    ]);
    expect(recent[0]).toEqual({
      date: '2026-11-30T09:00:00Z',
      text: 'Model v1.0.0 put back in production in place of v1.1.0: misreads vessels',
      href: 'models/v1.0.0/',
    });
    expect(recent[1]?.text).toMatch(/^Model v1\.1\.0 registered/);
  });

  it('read a versions.json written before rollbacks were listed as it was', async () => {
    const recent = await catalogueWith(undefined);
    expect(recent[0]?.text).toMatch(/^Model v1\.1\.0 registered/);
    expect(recent.some((r) => r.text.includes('put back'))).toBe(false);
  });
});
