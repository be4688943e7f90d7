import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addData, pushData, s3Remote } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { publishSite } from '../../pipeline/publish/s3.ts';
import { type FaultProxy, faultProxy } from '../data/fault-proxy.ts';
import { cleanup, cloneTracked, tempDir, writeTree } from '../data/helpers.ts';
import { KEYS, page, recordCatalogueBuild, sampleSite } from '../publish/fixture.ts';
import { copyEgyptExport } from './egypt-export.ts';

/*
 * Ctrl-C while `vitrine data push`, `data pull` or `publish` waits on a storage server that stopped answering:
 * each says it was stopped, how far it got, that nothing is lost, and to run the same command again (the README:
 * "Stopped by Ctrl-C (it says so)"). They ended silently. A real `vitrine` process, a real SIGINT, a real server
 * (s3rver) behind a proxy that stops answering part-way.
 */

const NODE = path.resolve('node_modules/.bin/node');
const BIN = path.resolve('bin/vitrine.js');
let base: string;
let server: S3rver;
let s3: string;
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  base = await tempDir('vitrine-stopped-');
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(base, 's3'),
    configureBuckets: [
      { name: 'museum', configs: [] },
      { name: 'www', configs: [] },
    ],
  });
  s3 = `http://127.0.0.1:${((await server.run()) as { port: number }).port}`;
});
afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await server?.close();
  await cleanup(base);
});

async function proxy(options: Omit<Parameters<typeof faultProxy>[0], 'target'>): Promise<FaultProxy> {
  const started = await faultProxy({ target: s3, ...options });
  proxies.push(started);
  return started;
}

/** `npx vitrine -C <folder> …` as typed in `base`, sent SIGINT once the proxy holds `held` requests. */
async function stopped(args: string[], proxied: FaultProxy, held: number, signal: NodeJS.Signals = 'SIGINT') {
  const env = { ...process.env, VITRINE_PUBLISH_ACCESS_KEY_ID: 'S3RVER', VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'S3RVER' };
  const child = spawn(NODE, [BIN, ...args], { cwd: base, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  child.stdout.resume();
  const ended = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (c, s) => resolve(s ?? c)));
  await Promise.race([proxied.holding(held), ended]);
  child.kill(signal);
  return { how: await ended, stderr };
}

const config = (endpoint: string, folder = 'images') =>
  `[core]\n    remote = storage\n['remote "storage"']\n    url = s3://museum/${folder}\n    endpointurl = ${endpoint}\n` +
  '    access_key_id = S3RVER\n    secret_access_key = S3RVER\n';

const images: Record<string, string> = {};
for (let i = 1; i <= 10; i++) images[`images/A${i}.jpg`] = `image ${i}`;

describe('Ctrl-C while a transfer waits on a server', () => {
  it('data push says how many files were sent, that they stay on the remote, and to push again', async () => {
    const hanging = await proxy({ after: 3, mode: 'hang', methods: ['PUT'] });
    const root = path.join(base, 'push');
    await writeTree(path.join(root, 'data'), images);
    await writeTree(path.join(root, '.dvc'), { config: config(hanging.endpoint) });
    await addData({ root, log: silentLogger });
    const { how, stderr } = await stopped(['-C', 'push', 'data', 'push', '--jobs', '2'], hanging, 2);
    expect(how).toBe('SIGINT');
    expect(stderr).toContain(
      'warning: Stopped: Ctrl-C pressed. 3 of 10 files were sent to the remote "storage". Nothing is lost: the files ' +
        'sent stay on the remote; run "npx vitrine -C push data push" again to send the rest',
    );
  }, 60_000);

  it('a push stopped by SIGTERM (a job cancelled, kill) says so too, and ends as SIGTERM does', async () => {
    const hanging = await proxy({ after: 2, mode: 'hang', methods: ['PUT'] });
    const root = path.join(base, 'push-term');
    await writeTree(path.join(root, 'data'), images);
    // A folder of its own on the bucket: none of the files is there yet.
    await writeTree(path.join(root, '.dvc'), { config: config(hanging.endpoint, 'term') });
    await addData({ root, log: silentLogger });
    const { how, stderr } = await stopped(['-C', 'push-term', 'data', 'push', '--jobs', '2'], hanging, 2, 'SIGTERM');
    expect(how).toBe('SIGTERM');
    expect(stderr).toContain(
      'warning: Stopped: the process was told to stop (SIGTERM). 2 of 10 files were sent to the remote "storage".',
    );
  }, 60_000);

  it('data pull says how many files arrived, that they are kept in the cache, and to pull again', async () => {
    const root = path.join(base, 'pulled');
    await writeTree(path.join(root, 'data'), images);
    await writeTree(path.join(root, '.dvc'), { config: config(s3) });
    await addData({ root, log: silentLogger });
    const remote = s3Remote({
      name: 'storage',
      settings: { url: 's3://museum/images', endpointurl: s3, access_key_id: 'S3RVER', secret_access_key: 'S3RVER' },
      env: {},
    });
    await pushData({ root, remote, log: silentLogger });
    // A clone: data.dvc and .dvc/config, no data/ and no cache. The folder list, then 3 images come.
    const hanging = await proxy({ after: 4, mode: 'hang', methods: ['GET'] });
    const clone = path.join(base, 'clone');
    await cloneTracked(root, clone);
    await writeFile(path.join(clone, '.dvc', 'config'), config(hanging.endpoint));
    const { how, stderr } = await stopped(['-C', 'clone', 'data', 'pull', '--jobs', '2'], hanging, 2);
    expect(how).toBe('SIGINT');
    expect(stderr).toContain(
      'warning: Stopped: Ctrl-C pressed. 3 of 10 files were downloaded from the remote "storage". Nothing is lost: ' +
        'what arrived is kept in the local cache; run "npx vitrine -C clone data pull" again to fetch the rest',
    );
    // Kept indeed: the folder list and the 3 images; and the run lock is gone.
    const cached = await readdir(path.join(clone, '.dvc', 'cache', 'files', 'md5'), { recursive: true });
    expect(cached.filter((f) => /^[0-9a-f]{2}[/\\][0-9a-f]{30}/.test(f))).toHaveLength(4);
    expect(await stat(path.join(clone, '.vitrine', 'run.lock')).catch(() => null)).toBeNull();
  }, 60_000);

  it('data verify --remote says how far the check got, that nothing changed, and to run it again', async () => {
    const root = path.join(base, 'verify');
    await writeTree(path.join(root, 'data'), images);
    await writeTree(path.join(root, '.dvc'), { config: config(s3, 'verify') });
    await addData({ root, log: silentLogger });
    await pushData({ root, log: silentLogger });
    // The remote's objects are read one by one: the server stops answering after 4 of them.
    const hanging = await proxy({ after: 4, mode: 'hang', methods: ['GET'] });
    await writeFile(path.join(root, '.dvc', 'config'), config(hanging.endpoint, 'verify'));
    const { how, stderr } = await stopped(['-C', 'verify', 'data', 'verify', '--remote', '--jobs', '2'], hanging, 2);
    expect(how).toBe('SIGINT');
    expect(stderr).toContain(
      'warning: Stopped: Ctrl-C pressed. The local cache was checked: no damaged copy; 4 of 11 objects on the ' +
        'remote "storage" were checked; nothing is lost: run "npx vitrine -C verify data verify --remote" again ' +
        'to check everything.',
    );
  }, 60_000);

  it('init stopped while sending the images says the repository is whole, to push the rest, then commit', async () => {
    const from = (await copyEgyptExport({ dir: path.join(base, 'export'), pick: 4 })).dir;
    const hanging = await proxy({ after: 3, mode: 'hang', methods: ['PUT'] });
    const args = ['init', '-C', 'new-museum', '--from', path.join(from, 'metadata.csv'), '--yes'];
    const remote = ['--remote', 's3://museum/new', '--endpoint-url', hanging.endpoint];
    const keys = ['--access-key-id', 'S3RVER', '--secret-access-key', 'S3RVER'];
    const { how, stderr } = await stopped([...args, ...remote, ...keys], hanging, 2);
    expect(how).toBe('SIGINT');
    const stop = 'warning: Stopped: Ctrl-C pressed. The repository is written and the collection imported; init was ';
    expect(stderr).toContain(`${stop}sending the images to the data remote: `);
    expect(stderr).toMatch(/\d+ of \d+ files were sent to the remote "storage"\. Nothing is lost/);
    expect(stderr).toContain('run "npx vitrine -C new-museum data push" again to send the rest');
    expect(stderr).toContain('Then commit: git -C new-museum commit -m "Start Vitrine for ');
    // Whole indeed: no unfinished-init marker, and the files staged for that commit.
    const museum = path.join(base, 'new-museum');
    expect(await stat(path.join(museum, '.vitrine', 'init-unfinished')).catch(() => null)).toBeNull();
    const staged = await git.statusMatrix({ fs, dir: museum });
    expect(staged.filter(([, , , stage]) => stage === 2).map(([file]) => file)).toEqual(
      expect.arrayContaining(['params.yaml', 'labels.csv', 'data.dvc', '.dvc/config']),
    );
  }, 120_000);

  it('publish says what visitors see at that moment, and to publish again', async () => {
    const site = (title: string) => {
      const files = sampleSite();
      files['index.html'] = page(title);
      for (let i = 0; i < 20; i++) files[`objects/o-${i}/index.html`] = page(`Object ${i} ${title}`);
      return files;
    };
    const root = path.join(base, 'museum');
    await writeTree(path.join(root, '.vitrine', 'site'), site('Home'));
    const target = { bucket: 'www', prefix: 'c', endpoint: s3, region: 'us-east-1', credentials: KEYS };
    const built = path.join(root, '.vitrine', 'site');
    await publishSite({ site: built, target: { ...target, imageBaseUrl: '', base: '/' }, log: silentLogger });
    // A new build: 21 pages changed. The publish record goes up first, then 5 pages, then the server stops answering.
    await writeTree(path.join(root, '.vitrine', 'site'), site('Home 2'));
    const hanging = await proxy({ after: 6, mode: 'hang', methods: ['PUT'] });
    const s3Params = `    endpoint: ${hanging.endpoint}\n    bucket: www\n    prefix: c\n    jobs: 2\n`;
    await writeTree(root, { 'params.yaml': `catalogue:\n  publish: s3\n  s3:\n${s3Params}` });
    // Built by the catalogue stage, as lock.json records (publish refuses a site it does not).
    await recordCatalogueBuild(root);
    const { how, stderr } = await stopped(['-C', 'museum', 'publish'], hanging, 2);
    expect(how).toBe('SIGINT');
    expect(stderr).toContain(
      'warning: Stopped: Ctrl-C pressed. 5 of 21 changed pages are already the new ones; 16 pages are still the old version',
    );
    expect(stderr).toContain('Visitors see this mix of old and new pages until a publish finishes');
    expect(stderr).toContain('nothing was deleted. Run "npx vitrine -C museum publish" again to finish');
    // The run lock the publish held is gone with it: a run may start.
    expect(fs.existsSync(path.join(root, '.vitrine', 'run.lock'))).toBe(false);
  }, 60_000);
});
