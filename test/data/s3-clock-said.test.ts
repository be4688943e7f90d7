import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { dataCommands } from '../../pipeline/data/commands.ts';
import { addData, pushData, s3Remote } from '../../pipeline/data/index.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { keptDataDvcWarning } from '../../pipeline/demo/replaced.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { objectsAddedSince } from '../../pipeline/monitor/history.ts';
import { workspace } from '../../pipeline/paths.ts';
import { registryCommands } from '../../pipeline/registry/commands.ts';
import { openShardIndex } from '../../pipeline/shard/index-store.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { makeRepo, promoteStandIn, steppingClock } from '../registry/helpers.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';
import { type SkewedS3, skewedConfig, skewedS3 } from './skewed-s3.ts';

/*
 * A remote opened without the command's log corrected this computer's clock to the storage server's in silence:
 * "data verify --repair" fetching a good copy from the configured remote, the demo looking for the files of a data.dvc
 * it replaced, the shard caches, the monitor's old folder lists. And a command that opened the same remote twice
 * ("data verify --remote": data.dvc's objects, then the registered model files) said it twice. Now every remote a
 * command opens is given its log, and the correction is said once per command. A server 20 minutes ahead, on
 * 127.0.0.1.
 */

let s3: SkewedS3;
let base: string;
beforeAll(async () => {
  s3 = await skewedS3({ skewMs: 20 * 60_000 });
  base = await tempDir('vitrine-clock-said-');
});
afterAll(async () => {
  await s3?.close();
  await cleanup(base);
});

const clockLines = (log: ReturnType<typeof memoryLogger>) =>
  log.lines.filter((l) => /clock/.test(l.message)).map((l) => `${l.level}: ${l.message}`);
const CORRECTED = /^warn: This computer's clock is 20 minutes off; used the storage server's time \(remote "storage"/;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('a clock corrected to the storage server’s is said in the command’s log, once', { timeout: 60_000 }, () => {
  it('data verify --repair, fetching a good copy from the configured remote (without --remote)', async () => {
    const root = path.join(base, 'repair');
    await writeTree(path.join(root, 'data'), { 'images/A1.jpg': 'one photograph', 'images/A2.jpg': 'two' });
    await writeTree(path.join(root, '.dvc'), { config: skewedConfig(s3.endpoint, 'repair') });
    await addData({ root, log: silentLogger });
    await pushData({ root, log: silentLogger });
    // The cache copy damaged, and data/ changed since: the good copy is on the remote only.
    const object = objectPath(path.join(root, '.dvc', 'cache'), md5('one photograph'));
    await chmod(object, 0o644);
    await writeFile(object, 'bit rot');
    await writeFile(path.join(root, 'data', 'images', 'A1.jpg'), 'another photograph');
    const log = memoryLogger();
    const result = await verifyData({ root, log, repair: true });
    expect(result.cache.repaired).toBe(1);
    expect(clockLines(log)).toEqual([expect.stringMatching(CORRECTED)]);
  });

  it('the demo looking for the files of the data.dvc it replaced', async () => {
    const root = path.join(base, 'demo');
    await writeTree(path.join(root, '.dvc'), { config: skewedConfig(s3.endpoint, 'demo') });
    const text = `outs:\n- md5: ${md5('a list nobody sent')}.dir\n  path: data\n`;
    const log = memoryLogger();
    const said = await keptDataDvcWarning({ ws: workspace(root), kept: { copy: 'kept/data.dvc', text }, log });
    expect(said).toContain('nor on the data remote "storage"');
    expect(clockLines(log)).toEqual([expect.stringMatching(CORRECTED)]);
  });

  it('monitor, fetching the folder list of data.dvc at an older commit from the remote', async () => {
    const root = path.join(base, 'monitor');
    await writeTree(root, {
      '.dvc/config': skewedConfig(s3.endpoint, 'monitor'),
      'data.dvc': `outs:\n- md5: ${md5('a list only the remote had')}.dir\n  path: data\n`,
    });
    await git.init({ fs, dir: root });
    await git.add({ fs, dir: root, filepath: 'data.dvc' });
    const author = { name: 'Curator', email: 'curator@example.org', timestamp: 1_700_000_000, timezoneOffset: 0 };
    const commit = await git.commit({ fs, dir: root, message: 'data', author });
    const log = memoryLogger();
    const dataset = { objects: [] } as unknown as Dataset;
    const error = await objectsAddedSince({ ws: workspace(root), dataset, commit, log }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'DATA_MANIFEST_MISSING' });
    expect(clockLines(log)).toEqual([expect.stringMatching(CORRECTED)]);
  });

  it('data verify --remote, which opens the remote for data.dvc’s objects and the registered model files', async () => {
    const f = await promoteStandIn(await makeRepo());
    try {
      await writeFile(path.join(f.root, '.dvc', 'config'), skewedConfig(s3.endpoint, 'registry'));
      await addData({ root: f.root, log: silentLogger });
      await pushData({ root: f.root, log: silentLogger });
      const context = (log = memoryLogger()) => ({
        ws: f.ws,
        log,
        clock: steppingClock(),
        env: {},
        json: false,
        out: () => {},
      });
      const files = registryCommands.find((c) => c.name === 'models push')!;
      expect(await files.run(context(), { values: { files: true }, positionals: [] })).toBe(0);
      const log = memoryLogger();
      const verify = dataCommands.find((c) => c.name === 'data verify')!;
      const status = await verify.run(context(log), { values: { remote: true }, positionals: [] });
      expect(status, log.lines.map((l) => l.message).join('\n')).toBe(undefined);
      expect(log.lines.map((l) => l.message).join('\n')).toContain('Registered model files on the remote "storage"');
      expect(clockLines(log)).toEqual([expect.stringMatching(CORRECTED)]);
    } finally {
      await cleanup(f.parent);
    }
  });
});

describe('the shard caches’ index (the AWS SDK’s own client) says it too, once with the data', {
  timeout: 30_000,
}, () => {
  it('listing the index and checking an object of the same remote: one line', async () => {
    const root = path.join(base, 'shards');
    await writeTree(path.join(root, '.dvc'), { config: skewedConfig(s3.endpoint, 'shards') });
    const log = memoryLogger();
    const index = await openShardIndex({ root, env: {}, log });
    expect(await index.list()).toEqual([]);
    expect(clockLines(log)).toEqual([expect.stringMatching(CORRECTED)]);
    const remote = s3Remote({ name: 'storage', settings: settingsOf(s3, 'shards'), env: {}, log });
    expect(await remote.has(md5('nothing'))).toBe(false);
    expect(clockLines(log)).toEqual([expect.stringMatching(CORRECTED)]);
  });
});

const settingsOf = (server: SkewedS3, folder: string) => ({
  url: `s3://museum/${folder}`,
  endpointurl: server.endpoint,
  access_key_id: 'KEY',
  secret_access_key: 'SECRET',
  region: 'us-east-1',
});

/*
 * The AWS SDK, which lists a remote's objects, moved its clock to any answer's Date header: a server or a box in
 * front of it with no clock (1970), a date that is not an HTTP date. The log then said "this computer's clock is
 * 20,429 days off", and every later page was signed with 1970. The same bound as our own requests' now applies to
 * the SDK's: such a date is not a clock.
 */
describe('a listing whose Date is not a clock to trust', { timeout: 30_000 }, () => {
  let right: SkewedS3;
  beforeAll(async () => {
    right = await skewedS3({ skewMs: 0 });
    right.pageSize = 1;
  });
  afterAll(async () => {
    await right?.close();
  });
  const cases: [string, (now: number) => string][] = [
    ['1970 (a box with no clock)', () => new Date(0).toUTCString()],
    ['two years off', (now) => new Date(now - 2 * 365 * 86_400_000).toUTCString()],
    ['not an HTTP date', (now) => new Date(now - 60 * 60_000).toISOString()],
  ];
  for (const [what, date] of cases)
    it(`${what}: every page listed with this computer’s time, and no clock said`, async () => {
      const folder = `listed-${cases.findIndex(([w]) => w === what)}`;
      const log = memoryLogger();
      const remote = s3Remote({ name: 'storage', settings: settingsOf(right, folder), env: {}, log });
      const ids = ['a', 'b', 'c'].map((x) => md5(`${folder} ${x}`));
      const file = path.join(base, `${folder}.bin`);
      for (const x of ['a', 'b', 'c']) {
        await writeFile(file, `${folder} ${x}`);
        await remote.put({ md5: md5(`${folder} ${x}`), file });
      }
      right.dateHeader = (req, now) =>
        req.method === 'GET' && !/\/files\/md5\/..\//.test(req.url ?? '') ? date(now) : new Date(now).toUTCString();
      right.received.length = 0;
      try {
        expect([...(await remote.list!()).keys()].sort()).toEqual([...ids].sort());
      } finally {
        right.dateHeader = undefined;
      }
      expect(clockLines(log)).toEqual([]);
      // Three pages, each listed once: none refused for a time taken from the header.
      expect(right.received.filter((r) => r.startsWith('GET /museum/?'))).toHaveLength(3);
    });
});
