import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dataCommands } from '../../pipeline/data/commands.ts';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, pushData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { registryCommands } from '../../pipeline/registry/commands.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { s3ServerForFile } from '../data/s3-fixture.ts';
import { type Fixture, promoteStandIn, repoPerTest, steppingClock } from './helpers.ts';

/*
 * "vitrine data verify --remote" read the registered model versions' files from the remote one at a time, each
 * download waiting for the last, while data.dvc's objects went --jobs at once: every promotion made it slower. They
 * go through the same bounded pool now. A proxy on 127.0.0.1 in front of s3rver holds the downloads of registered
 * files until GATE of them are waiting at once (or, so that one at a time still ends, a while has passed), and
 * counts how many it held at once.
 */

const s3 = s3ServerForFile('vitrine-verify-pool-');
const newRepo = repoPerTest();
const GATE = 3;

interface GateProxy {
  endpoint: string;
  /** Hold requests of this method (GET until said otherwise) from now on, until GATE wait at once. */
  arm(method: string): void;
  /** The most downloads of registered files that were waiting at once. */
  most: number;
  close(): Promise<void>;
}

async function gateProxy(target: string, gated: (url: string) => boolean): Promise<GateProxy> {
  const upstream = new URL(target);
  let waiting: (() => void)[] = [];
  let open = false;
  let armed = 'GET';
  const state = { most: 0 };
  const server = http.createServer((req, res) => {
    let passed = false;
    const pass = () => {
      if (passed) return;
      passed = true;
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    };
    if (open || req.method !== armed || !gated(req.url ?? '')) return pass();
    waiting.push(pass);
    state.most = Math.max(state.most, waiting.length);
    const release = () => {
      const all = waiting;
      waiting = [];
      for (const go of all) go();
    };
    if (waiting.length >= GATE) {
      open = true;
      release();
    } else {
      // Not a timing assertion: only so that downloads one at a time still end (and the count says 1).
      const timer = setTimeout(() => {
        waiting = waiting.filter((go) => go !== pass);
        pass();
      }, 300);
      timer.unref();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get most() {
      return state.most;
    },
    arm(method) {
      [armed, open, state.most] = [method, false, 0];
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const proxies: GateProxy[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
});

/** The promoted fixture with its default remote moved to s3rver (through the proxy), data and model files sent. */
async function onS3(f: Fixture, folder: string): Promise<{ f: Fixture; proxy: GateProxy }> {
  const registration = (await readRegistry({ dir: f.root, name: 'collection-classifier' })).versions[0]!.registration!;
  const registered = [...registration.manifest.files, ...(registration.evidence?.files ?? [])].map((x) => x.md5);
  expect(new Set(registered).size).toBeGreaterThan(GATE);
  const keys = registered.map((md5) => `/files/md5/${md5.slice(0, 2)}/${md5.slice(2)}`);
  const proxy = await gateProxy(s3.endpoint, (url) => keys.some((k) => url.endsWith(k)));
  proxies.push(proxy);
  const section = 'remote "museum-s3"';
  await setDvcConfig({
    root: f.root,
    values: [
      { section: 'core', key: 'remote', value: 'museum-s3' },
      { section, key: 'url', value: `s3://museum/${folder}` },
      { section, key: 'endpointurl', value: proxy.endpoint },
      { section, key: 'access_key_id', value: 'S3RVER' },
      { section, key: 'secret_access_key', value: 'S3RVER' },
      { section, key: 'region', value: 'us-east-1' },
    ],
  });
  await addData({ root: f.root, log: silentLogger });
  await pushData({ root: f.root, log: silentLogger });
  const context = { ws: f.ws, log: memoryLogger(), clock: steppingClock(), env: {}, json: false, out: () => {} };
  const files = registryCommands.find((c) => c.name === 'models push')!;
  expect(await files.run(context, { values: { files: true }, positionals: [] })).toBe(0);
  return { f, proxy };
}

async function verify(f: Fixture, values: Record<string, unknown>) {
  const command = dataCommands.find((c) => c.name === 'data verify')!;
  const log = memoryLogger();
  const context = { ws: f.ws, log, clock: steppingClock(), env: {}, json: false, out: () => {} };
  const status = await command.run(context, { values, positionals: [] }).catch((error: Error) => error);
  return { status, text: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('data verify --remote reads the registered model files several at once', { timeout: 60_000 }, () => {
  it('as many at once as --jobs allows, with the same message as before', async () => {
    const { f, proxy } = await onS3(await promoteStandIn(await newRepo()), 'pool');
    const checked = await verify(f, { remote: true, jobs: '4' });
    expect(checked.status, checked.text).toBe(undefined);
    expect(checked.text).toMatch(/info: Registered model files on the remote "museum-s3": \d+ read and checked, none/);
    expect(proxy.most).toBeGreaterThanOrEqual(GATE);
  });

  it('"models push --files" asks the remote about several files at once too', async () => {
    const { f, proxy } = await onS3(await promoteStandIn(await newRepo()), 'push');
    proxy.arm('HEAD');
    const log = memoryLogger();
    const context = { ws: f.ws, log, clock: steppingClock(), env: {}, json: false, out: () => {} };
    const files = registryCommands.find((c) => c.name === 'models push')!;
    expect(await files.run(context, { values: { files: true }, positionals: [] })).toBe(0);
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(
      /Registered model files on .*: 0 sent, \d+ already there/,
    );
    expect(proxy.most).toBeGreaterThanOrEqual(GATE);
  });

  it('one at a time with --jobs 1: the pool is bounded', async () => {
    const { f, proxy } = await onS3(await promoteStandIn(await newRepo()), 'one');
    const checked = await verify(f, { remote: true, jobs: '1' });
    expect(checked.status, checked.text).toBe(undefined);
    expect(proxy.most).toBe(1);
  });
});
