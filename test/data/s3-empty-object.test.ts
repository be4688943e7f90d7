import { createHash } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectKey } from '../../pipeline/data/cache.ts';
import { addData, pullData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cloneTracked, readTree, writeTree } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * A tester killed s3rver in the middle of a large push: it kept an empty object, listed with Size 0 and an empty
 * ETag. The next push of 1,807 files (a large push lists the remote once) counted it as there already, "data status
 * --remote" said the remote had everything, and a clone's pull found the image damaged. An empty object is a
 * good copy only of an empty file. Real s3rver on 127.0.0.1, real files in temp folders.
 */

const s3 = s3ServerForFile('vitrine-s3-empty-');

// More files than a push checks one by one (it lists the remote from 64).
const IMAGES: Record<string, string> = Object.fromEntries(
  Array.from({ length: 80 }, (_, i) => [`images/DM-${1000 + i}.jpg`, `JPEG ${`photograph ${i} `.repeat(30)}`]),
);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('an empty object left on an S3 remote by a stopped upload', () => {
  it('is uploaded again by a large push, so a clone pulls every image whole', async () => {
    const repo = await s3Repo({ s3, name: 'museum' });
    await writeTree(path.join(repo, 'data'), IMAGES);
    await addData({ root: repo, log: silentLogger });
    expect((await pushData({ root: repo, log: silentLogger })).transferred).toBe(80);
    // What the stopped server kept: the object's bytes and its checksum file empty.
    const id = md5(IMAGES['images/DM-1007.jpg']!);
    const stored = `${path.join(s3.s3Dir, 'museum', 'museum', ...objectKey(id).split('/'))}._S3rver_object`;
    await writeFile(stored, '');
    await writeFile(`${stored}.md5`, '');
    expect(await readFile(stored, 'utf8')).toBe('');
    const again = await pushData({ root: repo, log: silentLogger });
    expect(again).toMatchObject({ transferred: 1, skipped: 79 });
    const clone = path.join(s3.base, 'clone');
    await cloneTracked(repo, clone);
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    await pullData({ root: clone, log: silentLogger });
    expect(await readTree(path.join(clone, 'data'))).toEqual(IMAGES);
  });
});
