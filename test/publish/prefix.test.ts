import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { type Params, validateParams } from '../../pipeline/params.ts';
import { publishSettings } from '../../pipeline/publish/settings.ts';

/*
 * catalogue.s3.prefix is a folder in the bucket. S3 keys are plain strings: "site/../other" is not the folder
 * "other" but a key with ".." in it, which most servers and CDNs then resolve differently (or refuse). A prefix
 * with "..", ".", a backslash or an empty segment ("a//b") is refused with a message naming params.yaml and the
 * setting; slashes at the ends are tolerated (a leading "/" is refused when params.yaml is read).
 */

const params = (prefix: string): Params =>
  validateParams({ raw: { catalogue: { publish: 's3', s3: { bucket: 'www', prefix } } } });
const settings = (prefix: string) => publishSettings({ params: params(prefix), env: {}, root: '/nonexistent' });

describe('catalogue.s3.prefix', () => {
  it.each(['site/../other', '../x', '..', 'site/..', 'a/./b', '.', 'site\\collection', 'a//b'])(
    'refuses %j, naming params.yaml and the setting',
    async (prefix) => {
      const error = await settings(prefix).catch((e) => e);
      expect(isVitrineError(error, 'PUBLISH_SETTINGS')).toBe(true);
      expect(error.message).toContain('"catalogue.s3.prefix" in params.yaml');
      expect(error.message).toContain(JSON.stringify(prefix));
      expect(error.data).toMatchObject({ key: 'catalogue.s3.prefix', file: 'params.yaml' });
    },
  );

  it('is refused with a leading "/" when params.yaml is read', () => {
    expect(() => params('/site')).toThrow(/"catalogue\.s3\.prefix"/);
  });

  it.each([
    ['', ''],
    ['site', 'site'],
    ['site/', 'site'],
    ['museum/collection', 'museum/collection'],
    ['site..old/v1.2', 'site..old/v1.2'],
    ['.well-known-ish/x', '.well-known-ish/x'],
  ])('keeps %j as %j', async (prefix, kept) => {
    expect((await settings(prefix)).prefix).toBe(kept);
  });
});
