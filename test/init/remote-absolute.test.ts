import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { readDvcConfig } from '../../pipeline/data/config.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A tester followed the README (`vitrine init --remote /mnt/collection-store/vitrine`): .dvc/config said
 * `url = ../../mnt/collection-store/vitrine`, so a clone at another depth (the runner's _work/museum/museum) looked
 * for the images in another folder and every workflow's data pull failed. DVC keeps an absolute folder absolute.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-remote-absolute-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a storage folder given to init as an absolute path', () => {
  it('is kept absolute, so a clone at another depth finds the same folder', async () => {
    const images = path.join(root, 'export', 'images');
    await mkdir(images, { recursive: true });
    for (const [i, name] of ['o1', 'o2'].entries())
      await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 90 * i, g: 20, b: 90 } } })
        .jpeg()
        .toFile(path.join(images, `${name}.jpg`));
    const csv = path.join(root, 'export', 'objects.csv');
    await writeFile(csv, 'id,image,type\nA1,o1.jpg,coin\nA2,o2.jpg,vase\n');
    const store = path.join(root, 'mnt', 'collection-store', 'vitrine');
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const log = memoryLogger();
    const code = await main(
      ['init', '--from', csv, '--images', images, '--remote', store, '--vocabulary', 'coin,vase', '--yes'],
      {
        cwd: museum,
        env: {},
        stdout: () => {},
        log,
        interactive: false,
      },
    );
    expect(code, log.lines.map((l) => l.message).join('\n')).toBe(0);
    expect(await readFile(path.join(museum, '.dvc', 'config'), 'utf8')).toContain(`url = ${store}\n`);
    // The runner's checkout: the same files two folders deeper.
    const runner = path.join(root, 'runner', '_work', 'museum', 'museum');
    await mkdir(runner, { recursive: true });
    await cp(path.join(museum, '.dvc'), path.join(runner, '.dvc'), { recursive: true });
    const config = await readDvcConfig({ root: runner });
    expect(config.remotes.storage?.url).toBe(store);
  });
});
