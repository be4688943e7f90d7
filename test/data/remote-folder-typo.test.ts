import { cp } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, pullData, pushData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cloneTracked, SAMPLE, writeTree } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * Tester T4 F8: a remote whose folder is misspelt (s3://museum/Collection for …/collection) holds nothing, and a
 * pull blamed a colleague: "Whoever changed data.dvc may not have run data push". It is the address to check.
 */

const s3 = s3ServerForFile('vitrine-remote-typo-');

describe('a pull from a remote folder that holds nothing at all', () => {
  it('says the folder is empty and to check its address, not that someone forgot to push', async () => {
    const repo = await s3Repo({ s3, name: 'museum-repo', folder: 'collection' });
    await writeTree(path.join(repo, 'data'), SAMPLE);
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const clone = path.join(s3.base, 'clone');
    await cloneTracked(repo, clone);
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    await setDvcConfig({
      root: clone,
      values: [{ section: 'remote "museum-s3"', key: 'url', value: 's3://museum/Collection' }],
    });
    const error = await pullData({ root: clone, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'REMOTE_EMPTY')).toBe(true);
    expect(error.message).toContain('s3://museum/Collection holds no Vitrine data at all');
    expect(error.message).toContain(`url under ['remote "museum-s3"'] in .dvc/config`);
    expect(error.message).not.toContain('may not have run');
    // The right address pulls everything: the message was about the address, not the data.
    await setDvcConfig({
      root: clone,
      values: [{ section: 'remote "museum-s3"', key: 'url', value: 's3://museum/collection' }],
    });
    await pullData({ root: clone, log: silentLogger });
  }, 30_000);
});
