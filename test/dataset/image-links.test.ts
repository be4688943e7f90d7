import { createHash } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { analyseShard } from '../../pipeline/dataset/shard.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, solidImage, tempDir, testParams } from './fixtures.ts';

afterAll(removeTempDirs);

/*
 * A symbolic link can be committed to git and so point anywhere on the runner. The data layer refuses to
 * record one that leads outside data/ (DATA_PATH_LINK); the dataset stage must not read it either, or a
 * photograph (or any file) from elsewhere on the computer is decoded, and published in the catalogue.
 */
describe('image files that are symbolic links', () => {
  async function collection() {
    const outside = await tempDir('vitrine-outside-');
    await writeFile(path.join(outside, 'elsewhere.png'), await solidImage({ colour: '#00ff00' }));
    await writeFile(path.join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    const objects = [object('L1'), object('L2'), object('L3'), object('L4'), object('L5', 'images/sub/L5.png')];
    objects.push(object('L6', 'images/linked/elsewhere.png'));
    const ws = await makeCollection({
      objects,
      images: { 'images/L1.png': await solidImage({ colour: '#ff0000' }) },
      labels: [
        { objectId: 'L1', label: 'coin' },
        { objectId: 'L2', label: 'mask' },
      ],
    });
    // L2: an image outside the repository; L3: not an image at all; L4: another image of data/ (read as it, as
    // DVC does); L5: a link inside data/ to a link that leads outside (followed to the end).
    await symlink(path.join(outside, 'elsewhere.png'), path.join(ws.images, 'L2.png'));
    await symlink(path.join(outside, 'passwd'), path.join(ws.images, 'L3.png'));
    await symlink(path.join(ws.images, 'L1.png'), path.join(ws.images, 'L4.png'));
    await mkdir(path.join(ws.images, 'sub'));
    await symlink('../L2.png', path.join(ws.images, 'sub', 'L5.png'));
    // L6: in a linked folder, which is not followed at all (as when recording).
    await symlink(outside, path.join(ws.images, 'linked'));
    return ws;
  }

  it('leaves out an object whose image is a link outside data/, named by its objects.csv line', async () => {
    const ws = await collection();
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.objects.filter((o) => o.image !== '').map((o) => o.id)).toEqual(['L1', 'L4']);
    expect(dataset.issues.map((i) => [i.code, i.file, i.line, i.object, i.labelsLine])).toEqual([
      ['IMAGE_LINK_OUTSIDE', 'data/objects.csv', 3, 'L2', 3],
      ['IMAGE_LINK_OUTSIDE', 'data/objects.csv', 4, 'L3', undefined],
      ['IMAGE_LINK_OUTSIDE', 'data/objects.csv', 6, 'L5', undefined],
      ['IMAGE_LINK_NOT_FOLLOWED', 'data/objects.csv', 7, 'L6', undefined],
    ]);
    expect(dataset.issues[0]!.message).toBe(
      'data/objects.csv:3: object "L2": data/images/L2.png is a link to a file outside data/: Vitrine does not ' +
        'follow it; put the image itself in data/images/.',
    );
    expect(dataset.issues[2]!.message).toContain('put the image itself in data/images/sub/.');
    // Not read: no "cannot be decoded" for the file that is not an image.
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings.some((m) => m.includes('cannot be decoded'))).toBe(false);
    expect(warnings.at(-1)).toContain('3 images that are links outside data/');
    // Not "missing": the file is there, behind a link to a folder, which is not followed.
    expect(dataset.issues[3]!.message).toContain(
      'object "L6": data/images/linked/elsewhere.png is in data/images/linked, a link to the folder',
    );
    // The link inside data/ is its target's image.
    const l4 = dataset.objects.find((o) => o.id === 'L4')!;
    expect(l4.imageMd5).toBe(dataset.objects.find((o) => o.id === 'L1')!.imageMd5);
  });

  it('fails the run when dataset.on_invalid is "fail"', async () => {
    const ws = await collection();
    const params = testParams((p) => (p.dataset.on_invalid = 'fail'));
    const error = await buildDataset({ ws, params, log: memoryLogger() }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('data/images/L3.png is a link to a file outside data/');
  });

  it('is not read by a shard job either', async () => {
    const ws = await collection();
    const shard = await analyseShard({
      ws,
      params: testParams(),
      log: memoryLogger(),
      jobs: 1,
      shard: { index: 1, count: 1 },
    });
    expect(shard.images.map((i) => path.relative(ws.data, i.file)).sort()).toEqual(['images/L1.png']);
    expect(shard.failures.size).toBe(0);
  });
});

describe('image files linked into the DVC cache (cache.type: symlink)', () => {
  it('are read as the objects data.dvc records, as `vitrine data add` reads them', async () => {
    const png = await solidImage({ colour: '#0000ff' });
    const ws = await makeCollection({
      objects: [object('C1'), object('C2')],
      images: { 'images/C2.png': await solidImage({ colour: '#ff0000' }) },
      labels: [{ objectId: 'C1', label: 'coin' }],
    });
    // DVC with cache.type: symlink leaves data/ files as links to .dvc/cache/files/md5/<2>/<30>.
    const md5 = createHash('md5').update(png).digest('hex');
    const cached = path.join(ws.root, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2));
    await mkdir(path.dirname(cached), { recursive: true });
    await writeFile(cached, png);
    await symlink(cached, path.join(ws.images, 'C1.png'));
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => i.code)).not.toContain('IMAGE_LINK_OUTSIDE');
    expect(dataset.objects.map((o) => o.id)).toEqual(['C1', 'C2']);
  });

  it("names a link into DVC 2's cache layout as such, with the way to migrate", async () => {
    const png = await solidImage({ colour: '#0000ff' });
    const ws = await makeCollection({
      objects: [object('D1'), object('D2')],
      images: { 'images/D2.png': await solidImage({ colour: '#ff0000' }) },
      labels: [
        { objectId: 'D1', label: 'coin' },
        { objectId: 'D2', label: 'mask' },
      ],
    });
    // DVC 2 kept objects at .dvc/cache/<2>/<30>, without files/md5/: Vitrine does not read that layout.
    const md5 = createHash('md5').update(png).digest('hex');
    const cached = path.join(ws.root, '.dvc', 'cache', md5.slice(0, 2), md5.slice(2));
    await mkdir(path.dirname(cached), { recursive: true });
    await writeFile(cached, png);
    await symlink(cached, path.join(ws.images, 'D1.png'));
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.objects.filter((o) => o.image !== '').map((o) => o.id)).toEqual(['D2']);
    const issue = dataset.issues.find((i) => i.object === 'D1')!;
    expect(issue.code).toBe('IMAGE_LINK_OUTSIDE');
    expect(issue.message).toContain("data/images/D1.png is a link into the cache in DVC 2's layout");
    expect(issue.message).toContain('dvc cache migrate --dvc-files');
    expect(issue.message).not.toContain('outside data/');
  });
});
