import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, dataStatus, hashTree, initData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { checkDataRecorded } from '../../pipeline/stages/promote.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * DVC reads a .dvcignore in any folder, not only the repository's top one (dvc/ignore.py DvcIgnoreFilter): its
 * patterns are relative to the folder that holds it (dvc/pathspec_math.py change_rule turns "*.tmp" in
 * data/images/.dvcignore into "/data/images/**\/*.tmp" and "/raw/" into "/data/images/raw/"), they come after the
 * parent folders' patterns (so "!keep.log" re-includes what the top .dvcignore left out), and a .dvcignore that a
 * parent's patterns match is not read. The .dvcignore files themselves are files of the folder: DVC lists them.
 * A folder's hash must be DVC's: the hash of the folder holding only the files DVC keeps.
 */

let base: string;
beforeEach(async () => {
  base = await tempDir('vitrine-nested-ignore-');
});
afterEach(async () => {
  await cleanup(base);
});

const kept: Record<string, string> = {
  '.dvcignore': '*.partial\n',
  'objects.csv': 'id,title\nA1,Bowl\n',
  'images/.dvcignore': '# scans\n/scratch/\nraw.tif\n!keep.log\n',
  'images/A1.png': 'png one',
  'images/keep.log': 're-included below images/',
  'images/sub/A2.png': 'png two',
  'scratch/kept.png': 'only images/scratch is ignored',
  'raw.tif': 'only raw.tif under images/ is ignored',
  'notes/.dvcignore': '*.txt\n',
  'notes/readme.md': 'a note',
  'docs/a.txt': 'notes/.dvcignore says nothing about docs/',
};
const ignored: Record<string, string> = {
  'a.partial': 'half copied',
  'images/b.partial': 'half copied, one level down',
  'images/raw.tif': 'raw scan',
  'images/sub/raw.tif': 'raw scan, any depth',
  'images/scratch/x.png': 'scratch',
  'other.log': 'the top .dvcignore leaves out logs',
  'notes/draft.txt': 'a draft',
  'notes/deep/more.txt': 'a draft, deeper',
};

async function repoWith(files: Record<string, string>, top = '*.log\n'): Promise<string> {
  const repo = path.join(base, 'repo');
  await mkdir(path.join(repo, '.dvc'), { recursive: true });
  await writeFile(path.join(repo, '.dvcignore'), top);
  await writeTree(path.join(repo, 'data'), files);
  return repo;
}

describe('.dvcignore files in folders below the top', () => {
  it('leave out what they match, relative to their folder; the hash is that of the folder without it', async () => {
    const repo = await repoWith({ ...kept, ...ignored });
    const clean = path.join(base, 'clean', 'data');
    await writeTree(clean, kept);
    const expected = await hashTree({ dir: clean });
    expect(expected.nfiles).toBe(Object.keys(kept).length);
    const tree = await hashTree({ dir: path.join(repo, 'data') });
    expect(tree.entries.map((e) => e.relpath)).toEqual(expected.entries.map((e) => e.relpath));
    expect(tree).toEqual(expected);
  });

  it("one that a parent folder's .dvcignore matches is not read (and not listed)", async () => {
    const repo = await repoWith(
      { 'notes/.dvcignore': '*.txt\n', 'notes/a.txt': 'kept: the .dvcignore beside it is ignored' },
      'data/notes/.dvcignore\n',
    );
    const tree = await hashTree({ dir: path.join(repo, 'data') });
    expect(tree.entries.map((e) => e.relpath)).toEqual(['notes/a.txt']);
  });

  it('a file named only with dots beside a nested .dvcignore is listed, not a crash', async () => {
    const repo = await repoWith({ 'images/.dvcignore': '*.tmp\n', 'images/...': 'dots', 'images/a.tmp': 'x' });
    const tree = await hashTree({ dir: path.join(repo, 'data') });
    expect(tree.entries.map((e) => e.relpath)).toEqual(['images/...', 'images/.dvcignore']);
  });

  it('add, status and the promotion check honour them', async () => {
    const repo = path.join(base, 'repo');
    await writeTree(path.join(repo, 'data'), { ...SAMPLE, 'images/.dvcignore': '*.partial\n' });
    await initData({ root: repo, remoteUrl: '../storage' });
    const recorded = await addData({ root: repo, log: silentLogger });
    await writeFile(path.join(repo, 'data', 'images', 'A9.partial'), 'half copied');
    await mkdir(path.join(repo, 'data', 'images', 'deep'));
    await writeFile(path.join(repo, 'data', 'images', 'deep', 'A8.partial'), 'half copied');
    expect((await dataStatus({ root: repo, log: silentLogger })).clean).toBe(true);
    await checkDataRecorded({ ws: workspace(repo), log: silentLogger });
    expect((await addData({ root: repo, log: silentLogger })).md5).toBe(recorded.md5);
    // A file the nested .dvcignore does not match is a change.
    await writeFile(path.join(repo, 'data', 'A9.partial'), 'outside images/');
    expect((await dataStatus({ root: repo, log: silentLogger })).clean).toBe(false);
  });
});
