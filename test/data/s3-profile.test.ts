import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, initData, pushData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { SAMPLE, writeTree } from './helpers.ts';
import { s3ServerForFile } from './s3-fixture.ts';

/*
 * Tester T4 F12: DVC's `profile = NAME` under a remote was not read. The AWS SDK then took the key of the
 * credentials file's [default] profile (another account's, on a shared server), and the refusal named only
 * .dvc/config.local and the environment.
 */

const s3 = s3ServerForFile('vitrine-s3-profile-');

/** Run `fn` with the AWS SDK seeing only this credentials file: no keys in the environment, no instance role. */
async function withCredentialsFile<T>(text: string, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  const file = path.join(s3.base, `credentials-${Math.random().toString(16).slice(2)}`);
  await writeFile(file, text);
  process.env.AWS_SHARED_CREDENTIALS_FILE = file;
  process.env.AWS_CONFIG_FILE = path.join(s3.base, 'no-config');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/** A repository whose remote names an AWS profile and holds no key of its own. */
async function profileRepo(name: string, profile: string): Promise<string> {
  const repo = path.join(s3.base, name);
  await mkdir(repo, { recursive: true });
  await initData({ root: repo, remoteName: 'museum-s3', remoteUrl: `s3://museum/${name}` });
  await setDvcConfig({
    root: repo,
    values: [
      { section: 'remote "museum-s3"', key: 'endpointurl', value: s3.endpoint },
      { section: 'remote "museum-s3"', key: 'profile', value: profile },
    ],
  });
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await addData({ root: repo, log: silentLogger });
  return repo;
}

describe('a remote that names an AWS profile (profile = NAME, as DVC reads it)', () => {
  it('uses that profile’s key, not the [default] one', async () => {
    const repo = await profileRepo('profile-used', 'museum');
    const pushed = await withCredentialsFile(
      '[default]\naws_access_key_id = OTHERACCOUNT\naws_secret_access_key = nope\n\n' +
        '[museum]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n',
      () => pushData({ root: repo, log: silentLogger }),
    );
    expect(pushed).toEqual({ transferred: 3, skipped: 0 });
  }, 30_000);

  it('a profile the credentials file does not have is named, to check its spelling', async () => {
    // Reviewer V7: "profile = musuem" was told only "needs an access key, and none was found".
    const repo = await profileRepo('profile-misspelt', 'musuem');
    const error = await withCredentialsFile(
      '[museum]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n',
      () => pushData({ root: repo, log: silentLogger }).catch((e) => e),
    );
    expect(isVitrineError(error, 'REMOTE_NO_CREDENTIALS')).toBe(true);
    expect(error.message).toContain('It names the profile "musuem"');
    expect(error.message).toContain('has no key under that name; check its spelling');
  }, 30_000);

  it('a refused key names the profile it came from', async () => {
    const repo = await profileRepo('profile-refused', 'museum');
    const error = await withCredentialsFile(
      '[museum]\naws_access_key_id = WRONGKEY\naws_secret_access_key = nope\n',
      () => pushData({ root: repo, log: silentLogger }).catch((e) => e),
    );
    expect(isVitrineError(error, 'REMOTE_ACCESS_DENIED')).toBe(true);
    expect(error.message).toContain('did not accept the access key of remote "museum-s3"');
    expect(error.message).toContain('The key came from the profile "museum" of the AWS credentials file');
  }, 30_000);
});
