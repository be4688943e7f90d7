import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { initData } from '../../pipeline/data/index.ts';
import { cleanup, tempDir } from './helpers.ts';

/*
 * A real S3 server (s3rver) on 127.0.0.1 for a test file, with a bucket "museum", and repositories whose default
 * remote "museum-s3" is a folder of it: started before the file's tests, stopped and removed after them.
 */

export interface S3Server {
  /** The temp folder of the file: repositories go here, the server's files under s3/. */
  base: string;
  endpoint: string;
  /** Where s3rver keeps the bucket's objects (bucket folder "museum" inside). */
  s3Dir: string;
}

/** Start s3rver for this test file; the returned object is filled once beforeAll has run. */
export function s3ServerForFile(prefix: string): S3Server {
  const state = { base: '', endpoint: '', s3Dir: '' };
  let server: S3rver | undefined;
  beforeAll(async () => {
    state.base = await tempDir(prefix);
    state.s3Dir = path.join(state.base, 's3');
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: state.s3Dir,
      configureBuckets: [{ name: 'museum', configs: [] }],
    });
    state.endpoint = `http://127.0.0.1:${((await server.run()) as { port: number }).port}`;
  });
  afterAll(async () => {
    await server?.close();
    await cleanup(state.base);
  });
  return state;
}

/** A DVC repository at `base`/`name` whose default remote "museum-s3" is s3://museum/`folder`, with s3rver's keys. */
export async function s3Repo({ s3, name, folder = name }: { s3: S3Server; name: string; folder?: string }) {
  const repo = path.join(s3.base, name);
  await initData({ root: repo, remoteName: 'museum-s3', remoteUrl: `s3://museum/${folder}` });
  await setDvcConfig({
    root: repo,
    values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: s3.endpoint }],
  });
  await setDvcConfig({
    root: repo,
    local: true,
    values: [
      { section: 'remote "museum-s3"', key: 'access_key_id', value: 'S3RVER' },
      { section: 'remote "museum-s3"', key: 'secret_access_key', value: 'S3RVER' },
      { section: 'remote "museum-s3"', key: 'region', value: 'us-east-1' },
    ],
  });
  return repo;
}
