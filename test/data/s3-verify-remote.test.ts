import { createHash } from 'node:crypto';
import { chmod, cp, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectKey, objectPath } from '../../pipeline/data/cache.ts';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { addData, dataStatus, pullData, pushData } from '../../pipeline/data/index.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cloneTracked, readTree, writeTree } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * The tester’s damaged S3 object: 8 bytes overwritten in s3rver’s stored file, its size unchanged. S3 (and
 * s3rver) keep the ETag of what was uploaded, so a check by HEAD sees nothing: "data verify --remote" said
 * "326 checked, 0 repaired", and "data push --verify" and "data verify --remote --repair" left the damage
 * while a clone’s pull refused the file. Real s3rver on 127.0.0.1, real files in temp folders. Failed before.
 */

const s3 = s3ServerForFile('vitrine-s3-verify-');

const IMAGES: Record<string, string> = {
  'objects.csv': 'id,title\nDM-0118,Jug\nDM-0119,Plate\n',
  'images/DM-0118.jpg': `JPEG ${'a photograph of a jug '.repeat(40)}`,
  'images/DM-0119.jpg': `JPEG ${'a photograph of a plate '.repeat(40)}`,
};
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const JUG = md5(IMAGES['images/DM-0118.jpg']);

async function pushedRepo(name: string): Promise<string> {
  const repo = await s3Repo({ s3, name });
  await writeTree(path.join(repo, 'data'), IMAGES);
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  return repo;
}

/** s3rver’s file holding object `id` of the remote under `prefix`. */
const storedFile = (prefix: string, id: string) =>
  `${path.join(s3.s3Dir, 'museum', prefix, ...objectKey(id).split('/'))}._S3rver_object`;

/** Overwrite 8 bytes in the middle of the stored file, as damage at rest does: same size, same ETag. */
async function damageAtRest(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.from('XXXXXXXX'), 0, 8, 100);
  } finally {
    await handle.close();
  }
}

describe('a damaged object on the S3 remote, same size and ETag', { timeout: 60_000 }, () => {
  it('verify --remote reads every object, names the file, and its advice keeps --remote inside the quotes', async () => {
    const repo = await pushedRepo('found');
    const before = await readFile(storedFile('found', JUG));
    await damageAtRest(storedFile('found', JUG));
    expect((await readFile(storedFile('found', JUG))).length).toBe(before.length);
    const error = await verifyData({ root: repo, log: silentLogger, remote: true }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT'), String(error)).toBe(true);
    expect(error.message).toContain('data/images/DM-0118.jpg');
    expect(error.message).toContain(
      'Run "npx vitrine data verify --repair --remote" to restore them from the local cache, data/ or the remote',
    );
    expect(error.data.remote.damaged).toEqual([{ object: JUG, file: 'data/images/DM-0118.jpg' }]);
    expect(error.data.remote.checked).toBe(4);
  });

  it('status --remote stays a presence check and claims nothing about the bytes', async () => {
    const repo = await pushedRepo('status');
    await damageAtRest(storedFile('status', JUG));
    const status = await dataStatus({ root: repo, log: silentLogger, remote: true });
    expect(status.remote).toMatchObject({ missing: 0 });
    const line = describeStatus(status).find((l) => l.includes('museum-s3'));
    expect(line).toBe('The remote "museum-s3" has everything.');
  });

  it('verify --remote --repair replaces it from the good cache copy and says so; a clone can then pull', async () => {
    const repo = await pushedRepo('repaired');
    await damageAtRest(storedFile('repaired', JUG));
    const log = memoryLogger();
    const result = await verifyData({ root: repo, log, remote: true, repair: true });
    expect(result.remote).toMatchObject({ checked: 4, repaired: 1, missing: 0 });
    expect(result.remote?.damaged).toEqual([{ object: JUG, file: 'data/images/DM-0118.jpg' }]);
    expect(await readFile(storedFile('repaired', JUG), 'utf8')).toBe(IMAGES['images/DM-0118.jpg']);
    const summary = log.lines.filter((l) => l.level === 'info').at(-1)?.message ?? '';
    expect(summary).toContain('1 damaged copy replaced from the local cache');
    // Checked again: nothing left to repair.
    expect((await verifyData({ root: repo, log: silentLogger, remote: true })).remote?.damaged).toEqual([]);
    const clone = path.join(s3.base, 'repaired-clone');
    await cloneTracked(repo, clone);
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    await pullData({ root: clone, log: silentLogger });
    expect(await readTree(path.join(clone, 'data'))).toEqual(IMAGES);
  });

  it('push --verify, as a clone’s pull advises, uploads a good copy and counts it', async () => {
    const repo = await pushedRepo('pushed');
    await damageAtRest(storedFile('pushed', JUG));
    const clone = path.join(s3.base, 'pushed-clone');
    await cloneTracked(repo, clone);
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    const refused = await pullData({ root: clone, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(refused, 'DATA_CORRUPT'), String(refused)).toBe(true);
    expect(refused.message).toContain('npx vitrine data push --verify');
    const log = memoryLogger();
    expect(await pushData({ root: repo, log, verify: true })).toEqual({ transferred: 1, skipped: 2, repaired: 1 });
    expect(log.lines.some((l) => l.message.includes('1 file uploaded (1 of them replacing damaged copies)'))).toBe(
      true,
    );
    expect(await readFile(storedFile('pushed', JUG), 'utf8')).toBe(IMAGES['images/DM-0118.jpg']);
    await pullData({ root: clone, log: silentLogger });
    expect(await readTree(path.join(clone, 'data'))).toEqual(IMAGES);
  });

  it('a damaged remote copy is not replaced by a cache copy that is damaged too', async () => {
    const repo = await pushedRepo('both');
    await damageAtRest(storedFile('both', JUG));
    const cached = objectPath(path.join(repo, '.dvc', 'cache'), JUG);
    await chmod(cached, 0o644);
    await writeFile(cached, 'X'.repeat(IMAGES['images/DM-0118.jpg'].length));
    // data/ changed too: no good copy anywhere.
    await writeFile(path.join(repo, 'data', 'images', 'DM-0118.jpg'), 'a new photograph');
    const damaged = await readFile(storedFile('both', JUG));
    const error = await verifyData({ root: repo, log: silentLogger, remote: true, repair: true }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT'), String(error)).toBe(true);
    expect(error.message).toContain('data/images/DM-0118.jpg');
    expect(error.message).toContain('no good copy');
    expect(error.data.remote.repaired).toBe(0);
    expect(await readFile(storedFile('both', JUG))).toEqual(damaged);
  });
});
