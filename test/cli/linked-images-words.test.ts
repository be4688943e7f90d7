import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { solidImage } from '../dataset/fixtures.ts';

/*
 * Reviewer, 2026-12-02: an image behind a symbolic link that Vitrine does not read through (in a linked folder of
 * data/images, or a link whose target is gone) was called "missing": "the image of object "O3" is missing (no file
 * data/images/egypt/O3.png)", or "data/ lacks 1 of the files data.dvc records ... Run "npx vitrine data pull"",
 * while the file was there to see. The words now say it is a link, where it leads, which object and what to do.
 * Real repositories in temp folders, real links, the command line.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function vitrine(root: string, args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

/** A repository with four imported objects O1–O4 (data/images/O1.png …), recorded in data.dvc. */
async function imported(): Promise<{ root: string; outside: string }> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-linked-words-'));
  dirs.push(base);
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'shared');
  await mkdir(path.join(root, 'export', 'images'), { recursive: true });
  await mkdir(outside);
  const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];
  const rows = ['id,image,label'];
  for (const [i, colour] of colours.entries()) {
    await writeFile(path.join(root, 'export', 'images', `o${i + 1}.png`), await solidImage({ colour }));
    rows.push(`O${i + 1},images/o${i + 1}.png,${i % 2 ? 'mask' : 'coin'}`);
  }
  await writeFile(path.join(root, 'export', 'objects.csv'), `${rows.join('\n')}\n`);
  await writeFile(
    path.join(root, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n' +
      'import:\n  metadata: export/objects.csv\n',
  );
  expect((await vitrine(root, ['data', 'init', '../storage'])).code).toBe(0);
  const imported = await vitrine(root, ['import']);
  expect(imported.code, imported.messages).toBe(0);
  return { root, outside };
}

describe('an image behind a link the data layer does not read through', () => {
  it('a link leading nowhere, recorded in data.dvc: named as a link with its object, not "run data pull"', async () => {
    const { root } = await imported();
    const image = path.join(root, 'data', 'images', 'O2.png');
    await rm(image);
    await symlink('/nowhere/O2.png', image);
    const run = await vitrine(root, ['run', 'dataset']);
    expect(run.code, run.messages).toBe(1);
    expect(run.messages).toContain(
      'object "O2": data/images/O2.png is a link to /nowhere/O2.png, which does not exist (the link leads nowhere)',
    );
    expect(run.messages).toContain('not missing but behind a link');
    expect(run.messages).toContain('then run "npx vitrine data add"');
    expect(run.messages).not.toContain('data pull');
  });

  it('data/images a link to a folder outside the repository: each object named, the link and where it leads', async () => {
    const { root, outside } = await imported();
    await rename(path.join(root, 'data', 'images'), path.join(outside, 'images'));
    await symlink(path.join(outside, 'images'), path.join(root, 'data', 'images'));
    const run = await vitrine(root, ['run', 'dataset']);
    expect(run.code, run.messages).toBe(1);
    expect(run.messages).toContain(
      `object "O1": data/images/O1.png is in data/images, a link to the folder ${path.join(outside, 'images')}, ` +
        'outside the repository, and Vitrine does not follow links to folders',
    );
    expect(run.messages).toContain('object "O3"');
    expect(run.messages).toContain('; and 1 more');
    expect(run.messages).not.toContain('lacks');
    expect(run.messages).not.toContain('data pull');
  });

  it('not yet recorded: the dataset names the object, the linked folder and the fix, not "is missing"', async () => {
    const { root, outside } = await imported();
    await rm(path.join(root, 'data.dvc'));
    // The Egyptian department's photographs, linked in from a shared drive.
    await mkdir(path.join(outside, 'egypt'));
    await rename(path.join(root, 'data', 'images', 'O3.png'), path.join(outside, 'egypt', 'O3.png'));
    await symlink(path.join(outside, 'egypt'), path.join(root, 'data', 'images', 'egypt'));
    const objects = path.join(root, 'data', 'objects.csv');
    await writeFile(objects, (await readFile(objects, 'utf8')).replace('images/O3.png', 'images/egypt/O3.png'));
    const run = await vitrine(root, ['run', 'dataset']);
    expect(run.messages).toMatch(
      new RegExp(
        'data/objects\\.csv:\\d: object "O3": data/images/egypt/O3\\.png is in data/images/egypt, a link to the ' +
          'folder [^ ]+, outside the repository, and Vitrine does not follow links to folders, so it does not read ' +
          'it\\. Put the folder itself \\(its files, not a link\\) in data/images/ in place of the link, then run ' +
          '"npx vitrine data add"\\.',
      ),
    );
    expect(run.messages).toContain('1 image behind a link Vitrine does not follow');
    expect(run.messages).not.toContain('is missing');
  });
});

describe('a link that leads nowhere, on the way in', () => {
  it('import: an export image that is a broken link is named as one, not "not found"', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-linked-in-'));
    dirs.push(base);
    const root = path.join(base, 'repo');
    await mkdir(path.join(root, 'export', 'images'), { recursive: true });
    await writeFile(path.join(root, 'export', 'images', 'o1.png'), await solidImage({ colour: '#ff0000' }));
    // o2.png: a link to a photograph on a drive that is not connected.
    await symlink('/Volumes/photos/o2.png', path.join(root, 'export', 'images', 'o2.png'));
    await writeFile(path.join(root, 'export', 'objects.csv'), 'id,image\nO1,images/o1.png\nO2,images/o2.png\n');
    await writeFile(
      path.join(root, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n' +
        'import:\n  metadata: export/objects.csv\n',
    );
    expect((await vitrine(root, ['data', 'init', '../storage'])).code).toBe(0);
    const run = await vitrine(root, ['import']);
    expect(run.code, run.messages).toBe(0);
    expect(run.messages).toContain(
      'the image "images/o2.png" of object "O2" is a link to /Volumes/photos/o2.png, which does not exist (the ' +
        'link leads nowhere',
    );
    expect(run.messages).not.toContain('was not found');
  });

  it('data add: a broken link in data/ is said, naming it, not left out without a word', async () => {
    const { root } = await imported();
    const image = path.join(root, 'data', 'images', 'O2.png');
    await rm(image);
    await symlink('/nowhere/O2.png', image);
    const add = await vitrine(root, ['data', 'add']);
    expect(add.messages).toContain(
      'data/images/O2.png is a link to /nowhere/O2.png, which does not exist (the link leads nowhere): it is not recorded',
    );
  });
});
