import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectKey, objectPath, removeObject } from '../../pipeline/data/cache.ts';
import { parseDvcFile } from '../../pipeline/data/dvcfile.ts';
import { localRemote, s3Remote } from '../../pipeline/data/remote.ts';
import { cleanup, tempDir } from './helpers.ts';

/*
 * Defence in depth for finding 1 of the security report: whatever reaches the functions that make a
 * path or a key from an object id, only an id (32 hex digits, ".dir" for a folder list) gets through,
 * so no caller can be led outside `files/md5/` of a cache or remote.
 */

const GOOD = 'd751713988987e9331980363e24189ce';
const BAD = [
  'xx/../../../../SECRET.txt',
  '../d751713988987e9331980363e24189',
  `${GOOD.slice(0, 2)}/../${GOOD.slice(5)}`,
  GOOD.toUpperCase(),
  `${GOOD}.dir/..`,
  `${GOOD}\n`,
  '',
];

let base: string;
beforeEach(async () => {
  base = await tempDir('vitrine-ids-');
});
afterEach(async () => {
  await cleanup(base);
});

async function codeOf(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('objectPath and objectKey', () => {
  it('accept object ids', () => {
    expect(objectKey(GOOD)).toBe(`files/md5/d7/${GOOD.slice(2)}`);
    expect(objectKey(`${GOOD}.dir`)).toBe(`files/md5/d7/${GOOD.slice(2)}.dir`);
    expect(objectPath('/cache', GOOD)).toBe(path.join('/cache', 'files', 'md5', 'd7', GOOD.slice(2)));
  });

  it.each(BAD)('refuse %j with DATA_OBJECT_ID_INVALID', async (bad) => {
    expect(await codeOf(() => objectPath(base, bad))).toBe('DATA_OBJECT_ID_INVALID');
    expect(await codeOf(() => objectKey(bad))).toBe('DATA_OBJECT_ID_INVALID');
  });
});

describe('removeObject (a damaged copy)', () => {
  it('removes the object', async () => {
    const file = objectPath(base, GOOD);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'rot');
    await removeObject({ base, md5: GOOD });
    await expect(readFile(file)).rejects.toThrow();
  });

  it('never removes a file outside the cache', async () => {
    const cache = path.join(base, 'cache');
    const outside = path.join(base, 'SECRET.txt');
    await writeFile(outside, 'kept');
    const md5 = `xx/${path.relative(path.join(cache, 'files', 'md5', 'xx'), outside)}`;
    expect(await codeOf(() => removeObject({ base: cache, md5 }))).toBe('DATA_OBJECT_ID_INVALID');
    expect(await readFile(outside, 'utf8')).toBe('kept');
  });
});

describe('remotes refuse a bad id before any read, write or request', () => {
  it('a folder remote', async () => {
    const remote = localRemote({ name: 'local', dir: path.join(base, 'storage') });
    const outside = path.join(base, 'SECRET.txt');
    await writeFile(outside, 'kept');
    const md5 = `xx/${path.relative(path.join(base, 'storage', 'files', 'md5', 'xx'), outside)}`;
    expect(await codeOf(() => remote.has(md5))).toBe('DATA_OBJECT_ID_INVALID');
    expect(await codeOf(() => remote.inspect!(md5))).toBe('DATA_OBJECT_ID_INVALID');
    expect(await codeOf(() => remote.get({ md5, file: path.join(base, 'got') }))).toBe('DATA_OBJECT_ID_INVALID');
    expect(await codeOf(() => remote.put({ md5, file: outside }))).toBe('DATA_OBJECT_ID_INVALID');
    expect(await readFile(outside, 'utf8')).toBe('kept');
  });

  it('an S3 remote (no server needed: nothing is sent)', async () => {
    const remote = s3Remote({
      name: 's3',
      // Port 9 (discard): were a request made, it would fail as REMOTE_UNAVAILABLE instead.
      settings: {
        url: 's3://museum/v1',
        endpointurl: 'http://127.0.0.1:9',
        access_key_id: 'k',
        secret_access_key: 's',
      },
      env: {},
      idleTimeoutMs: 500,
    });
    const file = path.join(base, 'x');
    await writeFile(file, 'x');
    for (const md5 of ['xx/../../../other-prefix/secret', `../${GOOD}`]) {
      expect(await codeOf(() => remote.has(md5))).toBe('DATA_OBJECT_ID_INVALID');
      expect(await codeOf(() => remote.inspect!(md5))).toBe('DATA_OBJECT_ID_INVALID');
      expect(await codeOf(() => remote.get({ md5, file: path.join(base, 'got') }))).toBe('DATA_OBJECT_ID_INVALID');
      expect(await codeOf(() => remote.put({ md5, file }))).toBe('DATA_OBJECT_ID_INVALID');
    }
  });
});

describe('data.dvc numbers', () => {
  const out = (extra: string) => `outs:\n- md5: ${GOOD}.dir\n${extra}  hash: md5\n  path: data\n`;
  it.each([
    ['size', '123456789012345678901234567890'],
    ['nfiles', '9007199254740993'],
    ['size', '1e400'],
    ['nfiles', "'12'"],
    ['size', '-1'],
  ])('%s: %s is refused, naming the line', async (key, value) => {
    const run = () => parseDvcFile({ text: out(`  ${key}: ${value}\n`), file: 'data.dvc' });
    expect(await codeOf(run)).toBe('DVCFILE_INVALID');
    expect(() => run()).toThrow(/^data\.dvc:3: /);
  });

  it('whole numbers up to 2^53 - 1 are read as they are', () => {
    const parsed = parseDvcFile({ text: out('  size: 9007199254740991\n  nfiles: 100000\n'), file: 'data.dvc' });
    expect(parsed.outs[0]).toMatchObject({ size: 2 ** 53 - 1, nfiles: 100000 });
  });
});
