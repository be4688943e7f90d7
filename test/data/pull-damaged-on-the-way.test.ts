import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, pullData, pushData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { type FaultProxy, faultProxy } from './fault-proxy.ts';
import { cloneTracked, SAMPLE, writeTree } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * Tester T4 F10: every photograph of a pull arrived changed on the way (a proxy rewriting downloads), and the pull
 * said "damaged on the remote" and to push again from another machine, though the remote's copies were good.
 */

const s3 = s3ServerForFile('vitrine-pull-on-the-way-');
let proxy: FaultProxy | undefined;
afterAll(async () => proxy?.close());

describe('a pull whose every download arrives changed', () => {
  it('says the copies may be good and something on the way changed them, before blaming the remote', async () => {
    const repo = await s3Repo({ s3, name: 'museum-repo', folder: 'collection' });
    await writeTree(path.join(repo, 'data'), SAMPLE);
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    proxy = await faultProxy({ target: s3.endpoint, after: 0, mode: 'flip' });
    const clone = path.join(s3.base, 'clone');
    await cloneTracked(repo, clone);
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    await setDvcConfig({
      root: clone,
      values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: proxy.endpoint }],
    });
    const error = await pullData({ root: clone, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT')).toBe(true);
    expect(error.message).toContain('Every file downloaded arrived damaged');
    expect(error.message).toContain('a proxy, an antivirus or a VPN');
    // Straight from the server, the same pull gets every file: the remote's copies were good.
    await setDvcConfig({
      root: clone,
      values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: s3.endpoint }],
    });
    await pullData({ root: clone, log: silentLogger });
  }, 30_000);
});
