import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/index.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import { repoPerTest, sh, stageContext, standInPredict, writeDataset, writeMetrics, writeModel } from './helpers.ts';

/*
 * An outside tester: `vitrine run` stopped at the promote stage because the S3 storage server was down, and said only
 * "The storage server at http://127.0.0.1:45681 did not answer (remote "storage", ECONNREFUSED)… then try again":
 * not which stage stopped, whether the model was registered, nor that the catalogue was not rebuilt. And another: each
 * such stop left its staged evidence (.vitrine/registry/evidence.<random>.tmp) behind, a new folder every try.
 */

const newRepo = repoPerTest();

/** A port on 127.0.0.1 that was just free: nothing listens there, so a connection is refused. */
async function refusedPort(): Promise<number> {
  const probe = createServer();
  const port = await new Promise<number>((resolve) =>
    probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
  );
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A repository with a model evaluated and ready to promote, whose S3 remote is a port where nothing listens. */
async function downRemote() {
  const f = await newRepo();
  const port = await refusedPort();
  await setDvcConfig({
    root: f.root,
    values: [
      { section: 'remote "storage"', key: 'url', value: 's3://archive/vitrine' },
      { section: 'remote "storage"', key: 'endpointurl', value: `http://127.0.0.1:${port}` },
      { section: 'core', key: 'remote', value: 'storage' },
    ],
  });
  await setDvcConfig({
    root: f.root,
    local: true,
    values: [
      { section: 'remote "storage"', key: 'access_key_id', value: 'KEY' },
      { section: 'remote "storage"', key: 'secret_access_key', value: 'SECRET' },
      { section: 'remote "storage"', key: 'region', value: 'us-east-1' },
    ],
  });
  sh(f.root, 'add', '-A');
  sh(f.root, 'commit', '-q', '-m', 'S3 remote');
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts: 'coin' });
  await writeMetrics({ ws: f.ws, params: f.params });
  return { ...f, port };
}

describe('promotion with the storage server down', () => {
  it('says the promote stage stopped, that nothing was registered, and that the catalogue was not rebuilt', async () => {
    const { port, ...f } = await downRemote();
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REMOTE_UNAVAILABLE', data: { stage: 'promote', registered: null } });
    const message = (error as Error).message;
    expect(message).toMatch(/^The promote stage stopped/);
    expect(message).toContain(`The storage server at http://127.0.0.1:${port} did not answer`);
    expect(message).toContain('Nothing was registered and production is unchanged');
    expect(message).toContain('the catalogue was not rebuilt');
    expect(message).toContain('run "npx vitrine run" again');
    expect(sh(f.root, 'tag', '-l')).toBe('');
    expect((await readRegistry({ dir: f.root, name: f.params.registry.model_name })).versions).toEqual([]);
  }, 120_000);

  it('leaves no staged evidence folder behind, and sweeps one left a day ago by a run that was stopped', async () => {
    const f = await downRemote();
    const registry = path.join(f.root, '.vitrine', 'registry');
    // A run killed in the middle a day ago left its staging folder; another run's, begun just now, is left alone.
    const old = path.join(registry, 'evidence.0123456789ab.tmp');
    const fresh = path.join(registry, 'evidence.ba9876543210.tmp');
    for (const dir of [old, fresh]) {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'metrics.json'), '{}');
    }
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await utimes(old, dayAgo, dayAgo);
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REMOTE_UNAVAILABLE', data: { stage: 'promote', registered: null } });
    const left = (await readdir(registry)).filter((name) => name.endsWith('.tmp'));
    expect(left).toEqual(['evidence.ba9876543210.tmp']);
  }, 120_000);
});
