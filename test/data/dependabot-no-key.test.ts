import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Remote } from '../../pipeline/data/remote.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { checkPublishTarget } from '../../pipeline/publish/s3.ts';
import type { PublishTarget } from '../../pipeline/publish/settings.ts';

/*
 * D40: GitHub gives a run Dependabot started only the Dependabot secrets. The workflow's key check says so, but the
 * pipeline's own "needs an access key" did not (a maintainer's re-run keeps Dependabot as the actor, or the check
 * was skipped). The actor comes in with the environment the remote is opened with (GITHUB_ACTOR), never read at
 * import. No server is reached: the AWS SDK finds no key before any request (nothing listens on port 9).
 */

let dir = '';
const saved = { ...process.env };
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-dependabot-'));
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
  process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});
afterAll(async () => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  await rm(dir, { recursive: true, force: true });
});

const ENDPOINT = 'http://127.0.0.1:9';
const MD5 = 'd751713988987e9331980363e24189ce';

async function remoteError(actor: string | undefined) {
  const remote = s3Remote({
    name: 'museum-s3',
    settings: { url: 's3://museum/collection', endpointurl: ENDPOINT },
    env: actor ? { GITHUB_ACTOR: actor } : {},
  });
  return remote.has(MD5).catch((e) => e);
}

const target: PublishTarget = {
  bucket: 'site',
  prefix: '',
  endpoint: ENDPOINT,
  region: 'us-east-1',
  imageBaseUrl: '',
  base: '/',
};

describe('no key of the data remote in a run Dependabot started', () => {
  it('says that Dependabot runs get only Dependabot secrets, and to add the read-only key as those', async () => {
    const error = await remoteError('dependabot[bot]');
    expect(isVitrineError(error, 'REMOTE_NO_CREDENTIALS')).toBe(true);
    expect(error.message).toContain('needs an access key, and none was found');
    expect(error.message).toContain('started by Dependabot');
    expect(error.message).toContain('Dependabot secrets');
    expect(error.message).toContain('VITRINE_REMOTE_READ_ACCESS_KEY_ID');
    expect(error.message).toContain('never the write key');
  }, 15_000);

  it('says nothing of Dependabot to a run a person started, or outside GitHub', async () => {
    for (const actor of ['octocat', undefined]) {
      const error = await remoteError(actor);
      expect(isVitrineError(error, 'REMOTE_NO_CREDENTIALS')).toBe(true);
      expect(error.message).not.toContain('Dependabot');
    }
  }, 15_000);
});

describe('no publishing key in a run Dependabot started', () => {
  it('says that Dependabot runs get no publishing key and to publish from a run a person starts', async () => {
    const error = await checkPublishTarget({ target, log: silentLogger, actor: 'dependabot[bot]' }).catch((e) => e);
    expect(isVitrineError(error, 'PUBLISH_NO_CREDENTIALS')).toBe(true);
    expect(error.message).toContain('started by Dependabot');
    expect(error.message).toContain('Dependabot secrets');
    const person = await checkPublishTarget({ target, log: silentLogger, actor: 'octocat' }).catch((e) => e);
    expect(isVitrineError(person, 'PUBLISH_NO_CREDENTIALS')).toBe(true);
    expect(person.message).not.toContain('Dependabot');
  }, 15_000);
});
