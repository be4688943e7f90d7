import { rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, pullData, pushData } from '../../pipeline/data/index.ts';
import { missingOnRemoteFileOf } from '../../pipeline/data/presence.ts';
import { checkDataPresent } from '../../pipeline/dataset/presence.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { cloneTracked, writeTree } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * The tester's pull with an image missing from the S3 remote: two files had its bytes (1987.1.png and
 * _12_3_.png), and the error named only the first. Then the dataset stage blamed "an interrupted data pull?"
 * and said to pull again, which cannot help while the remote lacks the file. Real files, real s3rver.
 * Failed before.
 */

const s3 = s3ServerForFile('vitrine-pull-missing-');
const collectionRepo = (name: string) => s3Repo({ s3, name, folder: 'collection' });

const SAME = 'the same photograph twice';
const OBJECTS =
  'id,title,image\n1987.1,Bowl,images/1987.1.png\n12/3,Coin,images/_12_3_.png\n1990.4,Mask,images/1990.4.png\n';

describe('pull with content missing from the S3 remote', () => {
  let clone: string;
  let pullError: Error;
  const log = memoryLogger();
  beforeAll(async () => {
    const origin = await collectionRepo('origin');
    await writeTree(path.join(origin, 'data'), {
      'objects.csv': OBJECTS,
      'images/1987.1.png': SAME,
      'images/_12_3_.png': SAME,
      'images/1990.4.png': 'another photograph',
    });
    const added = await addData({ root: origin, log: silentLogger });
    await pushData({ root: origin, log: silentLogger });
    // The remote loses the shared content (never pushed from the machine that added it, or deleted).
    const { createHash } = await import('node:crypto');
    const md5 = createHash('md5').update(SAME).digest('hex');
    const { S3Client, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await client.send(
      new DeleteObjectCommand({ Bucket: 'museum', Key: `collection/files/md5/${md5.slice(0, 2)}/${md5.slice(2)}` }),
    );
    expect(added.nfiles).toBe(4);
    clone = path.join(s3.base, 'clone');
    await cloneTracked(origin, clone);
    await setDvcConfig({
      root: clone,
      local: true,
      values: [
        { section: 'remote "museum-s3"', key: 'access_key_id', value: 'S3RVER' },
        { section: 'remote "museum-s3"', key: 'secret_access_key', value: 'S3RVER' },
        { section: 'remote "museum-s3"', key: 'region', value: 'us-east-1' },
      ],
    });
    pullError = await pullData({ root: clone, log }).then(
      () => new Error('it did not fail'),
      (error: Error) => error,
    );
  });

  it('names every file that has the missing content, in the error and in the lines before it', async () => {
    expect(pullError).toMatchObject({ code: 'REMOTE_OBJECT_MISSING' });
    expect(pullError.message).toContain('data/images/1987.1.png');
    expect(pullError.message).toContain('data/images/_12_3_.png');
    const said = log.lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('data/images/1987.1.png');
    expect(said[0]).toContain('data/images/_12_3_.png');
  });

  it('the dataset stage then says the remote does not have them, not "an interrupted pull"', async () => {
    const error = await checkDataPresent({ ws: workspace(clone), log: silentLogger }).then(
      () => new Error('it did not fail'),
      (e: Error) => e,
    );
    expect(error).toMatchObject({ code: 'DATA_INCOMPLETE' });
    expect(error.message).toContain('data/images/1987.1.png');
    expect(error.message).not.toMatch(/interrupted/);
    expect(error.message).toMatch(/the remote "museum-s3" does not have/);
    expect(error.message).toMatch(/data push/);
  });

  it('after a pull cut short (not a missing object), the advice to pull again stays', async () => {
    await rm(missingOnRemoteFileOf({ root: clone }), { force: true });
    const error = await checkDataPresent({ ws: workspace(clone), log: silentLogger }).then(
      () => new Error('it did not fail'),
      (e: Error) => e,
    );
    expect(error.message).toMatch(/never fetched to this machine/);
    expect(error.message).toMatch(/Run "npx vitrine data pull"/);
  });
});
