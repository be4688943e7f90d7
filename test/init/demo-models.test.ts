import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Outside tester D followed README in its order: the demo (which promotes v1.0.0 and, with the label-fix walk-through,
 * v1.1.0), then init in the same copy. init replaced the demo collection but kept the demo's models: the registry's
 * tags (collection-classifier@v1.1.0, #prod#2) and the demo's stage outputs in .vitrine/, so the gallery's catalogue
 * showed the demo model's guesses ("textile" for van Gogh) and its model cards. The demo's models now go with it.
 */

const exec = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '..', '..');

let root: string;
let theExport: { csv: string; images: string };
beforeAll(async () => {
  root = await tempDir('vitrine-init-demo-models-');
  const rows = [
    ['A1', 'o1.jpg', 'coin'],
    ['A2', 'o2.jpg', 'vase'],
  ];
  theExport = await smallExport({ dir: path.join(root, 'export'), rows });
});

/** A copy of Vitrine's template files, committed, with the demo's tags and outputs as a demo run leaves them. */
async function demoCopy(name: string): Promise<string> {
  const museum = path.join(root, name);
  await mkdir(museum, { recursive: true });
  const files = ['params.yaml', 'labels.csv', 'data.dvc', 'README.md', '.gitignore', '.dvc/config', '.dvc/.gitignore'];
  const { stdout: archive } = await exec('git', ['archive', '--format=tar', 'HEAD', ...files], {
    cwd: REPO,
    encoding: 'buffer',
    maxBuffer: 1 << 26,
  });
  await writeFile(path.join(root, `${name}.tar`), archive);
  await exec('tar', ['-xf', path.join(root, `${name}.tar`)], { cwd: museum });
  const git = gitIn({ root: museum });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'template');
  for (const tag of ['collection-classifier@v1.0.0', 'collection-classifier@v1.1.0', 'collection-classifier#prod#2'])
    git('tag', '-a', tag, '-m', tag);
  // A tag of the museum's own is not the demo's.
  git('tag', 'first-day');
  for (const dir of ['registry', 'catalogue', 'site', 'evaluate', 'model', 'dataset', 'report', 'cache'])
    await mkdir(path.join(museum, '.vitrine', dir), { recursive: true });
  await writeFile(path.join(museum, '.vitrine', 'registry', 'versions.json'), '[{"version":"v1.1.0"}]\n');
  await writeFile(path.join(museum, '.vitrine', 'site', 'index.html'), '<p>demo</p>\n');
  await writeFile(path.join(museum, '.vitrine', 'lock.json'), '{}\n');
  await writeFile(path.join(museum, '.vitrine', 'cache', 'kept.txt'), 'a cache\n');
  return museum;
}

const present = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('init in the copy where the demo ran', () => {
  it('removes the demo’s models (tags and stage outputs) with the demo collection, and says so', async () => {
    const museum = await demoCopy('after-demo');
    const { csv, images } = theExport;
    const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--name', 'Smith', '--yes'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code, said).toBe(0);
    expect(said).toContain('Replaced the demo collection');
    const tags = gitIn({ root: museum })('tag', '--list').trim().split('\n');
    expect(tags).toEqual(['first-day']);
    for (const dir of ['registry', 'catalogue', 'site', 'evaluate', 'model', 'dataset', 'report'])
      expect(await present(path.join(museum, '.vitrine', dir)), dir).toBe(false);
    expect(await present(path.join(museum, '.vitrine', 'lock.json'))).toBe(false);
    expect(await readFile(path.join(museum, '.vitrine', 'cache', 'kept.txt'), 'utf8')).toBe('a cache\n');
    expect(said).toMatch(/demo’s models.*collection-classifier@v1\.0\.0, collection-classifier@v1\.1\.0.*removed/);
    // Pushed tags would come back from GitHub: the message says how to remove them there.
    expect(said).toContain('git push origin --delete');
  });
});
