import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params, validateParams } from '../../pipeline/params.ts';
import { publishSite } from '../../pipeline/publish/s3.ts';
import { publishSettings } from '../../pipeline/publish/settings.ts';
import { writeTree } from '../data/helpers.ts';
import {
  bucket,
  failingProxy,
  keys,
  newSite,
  recordCatalogueBuild,
  sampleSite,
  target,
  through,
  useBucket,
} from './fixture.ts';

/*
 * Where a publish goes and with which keys (params.yaml, the environment, .dvc/config.local), and the
 * `vitrine publish` command, against s3rver on 127.0.0.1 (fixture.ts).
 */

useBucket();

describe('publish settings from params.yaml and the environment', () => {
  const s3Params = (s3: Record<string, unknown>, publish = 's3'): Params =>
    validateParams({ raw: { catalogue: { publish, s3 } } });

  it('defaults to GitHub Pages, with S3 settings empty', () => {
    const params = defaultParams();
    expect(params.catalogue.publish).toBe('pages');
    expect(params.catalogue.s3).toMatchObject({
      endpoint: '',
      bucket: '',
      prefix: '',
      region: 'us-east-1',
      image_base_url: '',
    });
  });

  it('bad settings are plain errors naming the key', async () => {
    expect(() => s3Params({ endpoint: 'minio.local:9000' })).toThrow(
      /"catalogue\.s3\.endpoint" is "minio\.local:9000"/,
    );
    expect(() => s3Params({ image_base_url: 'images/' })).toThrow(/"catalogue\.s3\.image_base_url"/);
    expect(() => s3Params({ prefix: '/site' })).toThrow(/"catalogue\.s3\.prefix"/);
    expect(() => validateParams({ raw: { catalogue: { publish: 'ftp' } } })).toThrow(
      /"catalogue\.publish" is "ftp", expected one of "pages", "s3"/,
    );
    const root = path.join(bucket.base, 'settings');
    await mkdir(root, { recursive: true });
    const noBucket = await publishSettings({ params: s3Params({ endpoint: bucket.endpoint }), env: {}, root }).catch(
      (e) => e,
    );
    expect(isVitrineError(noBucket, 'PUBLISH_SETTINGS')).toBe(true);
    expect(noBucket.message).toContain('catalogue.s3.bucket');
    const pages = await publishSettings({ params: defaultParams(), env: {}, root }).catch((e) => e);
    expect(isVitrineError(pages, 'PUBLISH_NOT_S3')).toBe(true);
    expect(pages.message).toContain('catalogue.publish');
    const halfKey = await publishSettings({
      params: s3Params({ bucket: 'www' }),
      env: { VITRINE_PUBLISH_ACCESS_KEY_ID: 'x' },
      root,
    }).catch((e) => e);
    expect(isVitrineError(halfKey, 'PUBLISH_SETTINGS')).toBe(true);
    expect(halfKey.message).toContain('VITRINE_PUBLISH_SECRET_ACCESS_KEY');
  });

  it('takes keys from VITRINE_PUBLISH_* or a .dvc/config.local remote, never from params.yaml', async () => {
    const root = path.join(bucket.base, 'keys');
    await mkdir(root, { recursive: true });
    const fromEnv = await publishSettings({
      params: s3Params({ bucket: 'www', prefix: 'site/', endpoint: bucket.endpoint }),
      env: { VITRINE_PUBLISH_ACCESS_KEY_ID: 'A', VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'B' },
      root,
    });
    expect(fromEnv).toMatchObject({
      bucket: 'www',
      prefix: 'site',
      endpoint: bucket.endpoint,
      credentials: { accessKeyId: 'A', secretAccessKey: 'B' },
    });
    await setDvcConfig({
      root,
      local: true,
      values: [
        { section: 'remote "storage"', key: 'access_key_id', value: 'C' },
        { section: 'remote "storage"', key: 'secret_access_key', value: 'D' },
      ],
    });
    const fromDvc = await publishSettings({
      params: s3Params({ bucket: 'www', credentials_remote: 'storage' }),
      env: {},
      root,
    });
    expect(fromDvc.credentials).toEqual({ accessKeyId: 'C', secretAccessKey: 'D' });
    const unknown = await publishSettings({
      params: s3Params({ bucket: 'www', credentials_remote: 'nowhere' }),
      env: {},
      root,
    }).catch((e) => e);
    expect(isVitrineError(unknown, 'PUBLISH_SETTINGS')).toBe(true);
    expect(unknown.message).toContain('catalogue.s3.credentials_remote');
    // Without keys anywhere, the AWS SDK's own sources apply (AWS_ACCESS_KEY_ID…, profiles).
    expect((await publishSettings({ params: s3Params({ bucket: 'www' }), env: {}, root })).credentials).toBeUndefined();
  });

  it('a wrong key or a missing bucket is named in plain words', async () => {
    const site = await newSite('denied', sampleSite());
    const wrongKey = await publishSite({
      site,
      target: target('x', { credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'x' } }),
      log: silentLogger,
    }).catch((e) => e);
    expect(isVitrineError(wrongKey, 'PUBLISH_ACCESS_DENIED')).toBe(true);
    expect(wrongKey.message).toContain('VITRINE_PUBLISH_ACCESS_KEY_ID');
    const noBucket = await publishSite({ site, target: { ...target('x'), bucket: 'nope' }, log: silentLogger }).catch(
      (e) => e,
    );
    expect(isVitrineError(noBucket, 'PUBLISH_NO_BUCKET')).toBe(true);
    expect(noBucket.message).toContain('catalogue.s3.bucket');
    const noSite = await publishSite({
      site: path.join(bucket.base, 'never-built'),
      target: target('x'),
      log: silentLogger,
    }).catch((e) => e);
    expect(isVitrineError(noSite, 'PUBLISH_NO_SITE')).toBe(true);
    expect(noSite.message).toContain('vitrine catalogue');
  });
});

describe('vitrine publish', () => {
  /** A repository whose built site lock.json records (`recorded`: not possible when params.yaml is not valid). */
  async function repo(name: string, catalogue: string, { recorded = true } = {}): Promise<string> {
    const root = path.join(bucket.base, name);
    await writeTree(root, { 'params.yaml': `catalogue:\n${catalogue}` });
    await writeTree(path.join(root, '.vitrine', 'site'), sampleSite());
    if (recorded) await recordCatalogueBuild(root);
    return root;
  }
  async function vitrine(root: string, args: string[], env: Record<string, string> = {}) {
    const { main } = await import('../../pipeline/cli.ts');
    let stdout = '';
    const log = memoryLogger();
    const code = await main(args, { cwd: root, env, stdout: (t) => (stdout += t), log, interactive: false });
    return { code, stdout, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
  }
  const keysEnv = { VITRINE_PUBLISH_ACCESS_KEY_ID: 'S3RVER', VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'S3RVER' };

  it('--dry-run, then a real publish, of the built site named in params.yaml', async () => {
    const root = await repo(
      'cli',
      `  publish: s3\n  s3:\n    endpoint: ${bucket.endpoint}\n    bucket: www\n    prefix: cli\n`,
    );
    const dry = await vitrine(root, ['publish', '--dry-run'], keysEnv);
    expect(dry.code).toBe(0);
    expect(dry.messages).toContain('Would upload 27 files to s3://www/cli/');
    expect(await keys('cli')).toEqual([]);
    const real = await vitrine(root, ['publish', '--json'], keysEnv);
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({
      unchanged: 0,
      deleted: [],
      dryRun: false,
      destination: 's3://www/cli/',
    });
    expect(await keys('cli')).toContain('objects/a-1/index.html');
  });

  it('--check says whether a publish could start, without a built site and leaving nothing behind', async () => {
    const settings = (name: string, endpoint = bucket.endpoint) =>
      `  publish: s3\n  s3:\n    endpoint: ${endpoint}\n    bucket: ${name}\n    prefix: checked\n`;
    const root = await repo('cli-check', settings('www'));
    await rm(path.join(root, '.vitrine', 'site'), { recursive: true });
    const ready = await vitrine(root, ['publish', '--check'], keysEnv);
    expect(ready.code, ready.messages).toBe(0);
    expect(ready.messages).toContain('Ready to publish to s3://www/checked/');
    expect(ready.messages).toContain('the key may list, write, read and delete there');
    expect(await keys('checked')).toEqual([]);

    const wrongKey = await vitrine(root, ['publish', '--check'], {
      VITRINE_PUBLISH_ACCESS_KEY_ID: 'NOBODY',
      VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'x',
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.messages).toContain('refused to list the files under checked/ in bucket "www"');
    const noBucket = await vitrine(await repo('cli-check-nobucket', settings('nope')), ['publish', '--check'], keysEnv);
    expect(noBucket.code).toBe(1);
    expect(noBucket.messages).toContain('has no bucket called "nope"');
    // A key that may read but not write (here a proxy refuses the write), or write but not delete.
    for (const [method, said] of [
      ['PUT', 'Could not upload checked/.vitrine-publish-check to bucket "www"'],
      ['GET', 'Could not read checked/.vitrine-publish-check in bucket "www"'],
      ['DELETE', 'The check left checked/.vitrine-publish-check in the bucket: delete it by hand.'],
    ] as const) {
      const proxied = await through(
        failingProxy((m, url) => m === method && url.includes('vitrine-publish-check')),
        async (endpoint) =>
          vitrine(await repo(`cli-${method}`, settings('www', endpoint)), ['publish', '--check'], keysEnv),
      );
      expect(proxied.code, method).toBe(1);
      expect(proxied.messages).toContain(said);
      // Nothing left in the public bucket, but where the key may not delete (the message says so).
      if (method !== 'DELETE') expect(await keys('checked'), method).toEqual([]);
    }
  });

  it('says plainly when there is nothing to publish to, or the settings are incomplete', async () => {
    const pages = await vitrine(await repo('cli-pages', '  publish: pages\n'), ['publish']);
    expect(pages.code).toBe(1);
    expect(pages.messages).toContain('"catalogue.publish" in params.yaml is "pages"');
    const noBucket = await vitrine(
      await repo('cli-nobucket', `  publish: s3\n  s3:\n    endpoint: ${bucket.endpoint}\n`),
      ['publish'],
    );
    expect(noBucket.code).toBe(1);
    expect(noBucket.messages).toContain('"catalogue.s3.bucket" in params.yaml is empty');
    const badEndpoint = await vitrine(
      await repo('cli-bad', '  publish: s3\n  s3:\n    endpoint: minio:9000\n', { recorded: false }),
      ['publish'],
    );
    expect(badEndpoint.code).toBe(1);
    expect(badEndpoint.messages).toMatch(/params\.yaml:4: "catalogue\.s3\.endpoint" is "minio:9000"/);
  });
});
