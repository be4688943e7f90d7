import { cp, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDvcConfig } from '../../pipeline/data/config.ts';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A tester followed the README (`vitrine init --remote /mnt/collection-store/vitrine`): .dvc/config said
 * `url = ../../mnt/collection-store/vitrine`, so a clone at another depth (the runner's _work/museum/museum) looked
 * for the images in another folder and every workflow's data pull failed. DVC keeps an absolute folder absolute.
 */

describe('a storage folder given to init as an absolute path', () => {
  it('is kept absolute, so a clone at another depth finds the same folder', async () => {
    const root = await tempDir('vitrine-remote-absolute-');
    const rows = [
      ['A1', 'o1.jpg', 'coin'],
      ['A2', 'o2.jpg', 'vase'],
    ];
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    const store = path.join(root, 'mnt', 'collection-store', 'vitrine');
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    // The share is mounted: the folder the remote goes in is there (a missing one is refused: remote-folder.test).
    await mkdir(path.dirname(store), { recursive: true });
    const args = ['init', '--from', csv, '--images', images, '--remote', store, '--vocabulary', 'coin,vase', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    expect(await readFile(path.join(museum, '.dvc', 'config'), 'utf8')).toContain(`url = ${store}\n`);
    // The runner's checkout: the same files two folders deeper.
    const runner = path.join(root, 'runner', '_work', 'museum', 'museum');
    await mkdir(runner, { recursive: true });
    await cp(path.join(museum, '.dvc'), path.join(runner, '.dvc'), { recursive: true });
    const config = await readDvcConfig({ root: runner });
    expect(config.remotes.storage?.url).toBe(store);
  });
});
