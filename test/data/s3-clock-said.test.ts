import { createHash } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { dataCommands } from '../../pipeline/data/commands.ts';
import { addData, pushData } from '../../pipeline/data/index.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { keptDataDvcWarning } from '../../pipeline/demo/replaced.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { registryCommands } from '../../pipeline/registry/commands.ts';
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
