import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { initData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { openShardIndex } from '../../pipeline/shard/index-store.ts';
import { cleanup, silentServer, tempDir } from '../data/helpers.ts';

/*
 * The shard caches' index on a storage server that accepts the connection and never answers: each call
 * gives up after the remote's read_timeout and says what it was listing, fetching or sending, where, how
 * long and how many times it waited, and what to do. It said only "timed out".
 */

let base: string;
let silent: Awaited<ReturnType<typeof silentServer>>;
let endpoint: string;

beforeAll(async () => {
  base = await tempDir('vitrine-shard-timeout-');
  silent = await silentServer();
  endpoint = silent.endpoint;
});
afterAll(async () => {
  silent?.close();
  await cleanup(base);
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('it did not fail'),
    (e: Error) => e,
  );
}

describe('the shard caches index on a server that never answers', { timeout: 30_000 }, () => {
  it('list, read and write each give up after read_timeout and say what, where, how long and what to do', async () => {
    const repo = path.join(base, 'repo');
    await initData({ root: repo, remoteName: 'storage', remoteUrl: 's3://museum/v1' });
    const values = Object.entries({
      endpointurl: endpoint,
      access_key_id: 'KEY',
      secret_access_key: 'SECRET',
      read_timeout: '0.3',
    }).map(([key, value]) => ({ section: 'remote "storage"', key, value }));
    await setDvcConfig({ root: repo, values });
    const index = await openShardIndex({ root: repo, env: {} });
    const name = `${'a'.repeat(32)}.json`;
    const calls = [
      {
        error: await failure(index.list()),
        what: "listing the shard caches' index (s3://museum/v1/vitrine/shard-caches/)",
      },
      {
        error: await failure(index.read(name)),
        what: `fetching the shard caches' index file s3://museum/v1/vitrine/shard-caches/${name}`,
      },
      {
        error: await failure(index.write(name, Buffer.from('{}'))),
        what: `sending the shard caches' index file s3://museum/v1/vitrine/shard-caches/${name}`,
      },
    ];
    for (const { error, what } of calls) {
      expect(isVitrineError(error, 'REMOTE_UNAVAILABLE'), String(error)).toBe(true);
      expect(error.message).toContain(`The storage server at ${endpoint} did not answer while Vitrine was ${what}`);
      expect(error.message).toContain('(remote "storage": it sent nothing for 0.3 s, 3 tries)');
      expect(error.message).toContain('run the command again');
      expect(error.message).toContain('read_timeout');
      // Staff have no dvc command: the message says which file and line to edit (the line is there: raise it).
      expect(error.message).toContain(`raise read_timeout (now 0.3 seconds) under ['remote "storage"'] in .dvc/config`);
      expect(error.message).not.toContain('add the line');
      expect(error.message).not.toContain('dvc remote');
      expect(error.message).not.toMatch(/\btimed out\b/);
    }
  });
});
