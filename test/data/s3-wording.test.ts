import { cp, mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
import { main } from '../../pipeline/cli.ts';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, initData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, readTree, tempDir, writeTree } from './helpers.ts';

/*
 * What staff read from `vitrine data pull` / `push` against S3: no internal object ids as a prefix
 * of a server-wide problem, and a checkout after a pull that says what happened.
 */

let base: string;
let server: S3rver;
let endpoint: string;
let downEndpoint: string;

/** 70 images: enough for a push to list the bucket and a pull to write files as they arrive. */
const MANY: Record<string, string> = {};
for (let i = 0; i < 70; i++) MANY[`images/object-${i}.jpg`] = `photograph ${i}`;

beforeAll(async () => {
  base = await tempDir('vitrine-s3-wording-');
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(base, 's3'),
    configureBuckets: [{ name: 'museum', configs: [] }],
  });
  endpoint = `http://127.0.0.1:${((await server.run()) as { port: number }).port}`;
  // A port that was just free: nothing listens there.
  const probe = net.createServer();
  const port = await new Promise<number>((resolve) =>
    probe.listen(0, '127.0.0.1', () => resolve((probe.address() as net.AddressInfo).port)),
  );
  await new Promise((resolve) => probe.close(resolve));
  downEndpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server?.close();
  await cleanup(base);
});

async function repoWith(name: string, serverUrl: string): Promise<string> {
  const repo = path.join(base, name);
  await mkdir(repo, { recursive: true });
  await initData({ root: repo, remoteName: 'storage', remoteUrl: `s3://museum/${name}` });
  await setDvcConfig({ root: repo, values: [{ section: 'remote "storage"', key: 'endpointurl', value: serverUrl }] });
  await setDvcConfig({
    root: repo,
    local: true,
    values: [
      { section: 'remote "storage"', key: 'access_key_id', value: 'S3RVER' },
      { section: 'remote "storage"', key: 'secret_access_key', value: 'S3RVER' },
    ],
  });
  await writeTree(path.join(repo, 'data'), MANY);
  await addData({ root: repo, log: silentLogger });
  return repo;
}

/** Run the CLI in `cwd` as a person would (not on a terminal); returns the exit code and what it wrote. */
async function vitrine(cwd: string, ...argv: string[]): Promise<{ code: number; text: string }> {
  // A Vitrine repository has params.yaml (a name is enough here: the rest defaults).
  await writeFile(
    path.join(cwd, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  let text = '';
  const log = terminalLogger({ write: (t) => (text += t), isTTY: false });
  const code = await main(argv, { cwd, env: {}, stdout: (t) => (text += t), log, interactive: false });
  return { code, text };
}

describe('S3 messages in plain words', () => {
  it('a server-wide failure is not prefixed with an object id (pull: the folder listing; push: the listing)', async () => {
    const repo = await repoWith('down', downEndpoint);
    const pushed = await vitrine(repo, 'data', 'push');
    expect(pushed.code).not.toBe(0);
    expect(pushed.text).toContain(`The storage server at ${downEndpoint} did not answer`);
    expect(pushed.text).not.toMatch(/object \(all\)/);
    const clone = path.join(base, 'down-clone');
    await cloneTracked(repo, clone);
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    const pulled = await vitrine(clone, 'data', 'pull');
    expect(pulled.code).not.toBe(0);
    expect(pulled.text).toContain(`The storage server at ${downEndpoint} did not answer`);
    expect(pulled.text).not.toMatch(/error: object [0-9a-f]{32}/);
  });

  it('the checkout after a pull that wrote the files says they were written, with no rate over no time', async () => {
    const repo = await repoWith('pulled', endpoint);
    await pushData({ root: repo, log: silentLogger });
    const clone = path.join(base, 'pulled-clone');
    await cloneTracked(repo, clone);
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    const pulled = await vitrine(clone, 'data', 'pull');
    expect(pulled.code, pulled.text).toBe(0);
    expect(await readTree(path.join(clone, 'data'))).toEqual(MANY);
    expect(pulled.text).toContain('Checked out data/: 70 written');
    expect(pulled.text).not.toMatch(/: 0 written/);
    expect(pulled.text).not.toMatch(/Checking out data\//);
    // A checkout with nothing to do says so in a sentence.
    const again = await vitrine(clone, 'data', 'checkout');
    expect(again.code, again.text).toBe(0);
    expect(again.text).toContain('All 70 files in data/ are up to date.');
    expect(again.text).not.toMatch(/Checking out data\//);
  });
});
