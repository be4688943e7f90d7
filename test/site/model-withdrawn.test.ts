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
 * Tester T10: after a rollback the model page of the version withdrawn said only "Not in production", and the page of
 * the version put back gave its first promotion's date as when it was put in production. versions.json records both
 * from the registry's tags (pipeline/registry/publish.ts); the pages say them.
 */

const REASON = 'misreads masks as figurines';

describe('the model pages after a rollback', () => {
  it('say when and why a version was withdrawn, and when the one put back replaced it', async () => {
    const root = await tempDir('vitrine-model-withdrawn-');
    await writeFixture({
      root,
      objects: ['A-1', 'A-2'].map((id, i) => ({ id, title: `Object ${id}`, label: ['coin', 'vase'][i]!, image: null })),
      labels: ['coin', 'vase'],
    });
    const ws = workspace(root);
    const file = path.join(ws.registry, 'versions.json');
    const versions = JSON.parse(await readFile(file, 'utf8'));
    const date = '2026-11-30T09:00:00Z';
    const [current, older] = versions.versions;
    current.putBack = { date, from: 'v1.2.0', reason: REASON };
    versions.versions.unshift({
      ...older,
      version: 'v1.2.0',
      tag: 'collection-classifier@v1.2.0',
      withdrawn: { date, reason: REASON, by: current.version },
    });
    await writeFile(file, JSON.stringify(versions));
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    const page = (v: string) => catalogue.models.find((m) => m.version === v)!;
    expect(page('v1.2.0').production).toBe(
      `Withdrawn from production on 2026-11-30: ${REASON}. ${current.version} was put back in its place.`,
    );
    expect(page(current.version).production).toBe(
      `Put back in production on 2026-11-30 in place of v1.2.0: ${REASON}.`,
    );
    expect(page('v1.0.0').production).toBeNull();
  });

  // Reviewer V16: "Put back … in place of v1.2.0" stayed on the page of a version production had moved on from.
  it('say when production moved on from a version put back, and by which version', async () => {
    const root = await tempDir('vitrine-model-replaced-');
    await writeFixture({
      root,
      objects: ['A-1', 'A-2'].map((id, i) => ({ id, title: `Object ${id}`, label: ['coin', 'vase'][i]!, image: null })),
      labels: ['coin', 'vase'],
    });
    const ws = workspace(root);
    const file = path.join(ws.registry, 'versions.json');
    const versions = JSON.parse(await readFile(file, 'utf8'));
    const older = versions.versions[1];
    older.putBack = {
      date: '2026-11-30T09:00:00Z',
      from: 'v1.2.0',
      reason: REASON,
      until: '2026-12-05T10:00:00Z',
      replacedBy: versions.versions[0].version,
    };
    await writeFile(file, JSON.stringify(versions));
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    expect(catalogue.models.find((m) => m.version === older.version)!.production).toBe(
      `Put back in production on 2026-11-30 in place of v1.2.0: ${REASON}. ` +
        `Replaced in production by ${versions.versions[0].version} on 2026-12-05.`,
    );
  });
});
