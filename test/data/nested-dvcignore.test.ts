import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, dataStatus, hashTree, initData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { checkDataRecorded } from '../../pipeline/stages/promote.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * DVC reads a .dvcignore in any folder of the repository, not only the top one (dvc/ignore.py DvcIgnoreFilter): its
 * patterns are relative to the folder that holds it (dvc/pathspec_math.py change_rule turns "*.tmp" in
 * museum/.dvcignore into "/museum/**\/*.tmp"), they come after the patterns of the folders above (so "!keep.log"
 * keeps what the top .dvcignore leaves out), and one that a folder above leaves out is not read. But a .dvcignore
 * INSIDE the folder DVC records is refused: `dvc add data` stops with "file should not be in collected dir path"
 * (dvc_data hashfile/build.py, IgnoreInCollectedDirError; tests/func/test_ignore.py test_dvcignore_in_out_dir).
 * A folder's hash must be DVC's: the hash of the folder holding only the files DVC keeps.
 */

let base: string;
beforeEach(async () => {
  base = await tempDir('vitrine-nested-ignore-');
});
afterEach(async () => {
  await cleanup(base);
});

describe('a .dvcignore in a folder between the repository root and the recorded folder', () => {
  const kept: Record<string, string> = {
    'objects.csv': 'id,title\nA1,Bowl\n',
    'images/A1.png': 'png one',
    'images/keep.log': 're-included by museum/.dvcignore',
    'notes/data/scratch/y.png': '/data/scratch/ is anchored to museum/',
  };
  const ignored: Record<string, string> = {
    'a.partial': 'half copied',
    'images/deep/b.partial': 'half copied, any depth',
    'scratch/x.png': 'scratch',
    'other.log': 'the top .dvcignore leaves out logs',
  };

  async function museum(top: string): Promise<string> {
    const repo = path.join(base, 'repo');
    await mkdir(path.join(repo, '.dvc'), { recursive: true });
    await writeFile(path.join(repo, '.dvcignore'), top);
    await mkdir(path.join(repo, 'museum'), { recursive: true });
    await writeFile(path.join(repo, 'museum', '.dvcignore'), '*.partial\n/data/scratch/\n!keep.log\n');
    await writeTree(path.join(repo, 'museum', 'data'), { ...kept, ...ignored });
    return path.join(repo, 'museum', 'data');
  }

  it('leaves out what it matches, relative to its folder; the hash is that of the folder without those files', async () => {
    const data = await museum('*.log\n');
    const clean = path.join(base, 'clean', 'data');
    await writeTree(clean, kept);
    const expected = await hashTree({ dir: clean });
    const tree = await hashTree({ dir: data });
    expect(tree.entries.map((e) => e.relpath)).toEqual(expected.entries.map((e) => e.relpath));
    expect(tree).toEqual(expected);
  });

  it('is not read when the top .dvcignore leaves it out', async () => {
    const data = await museum('museum/.dvcignore\n');
    const tree = await hashTree({ dir: data });
    expect(tree.nfiles).toBe(Object.keys({ ...kept, ...ignored }).length);
  });
});

describe('a .dvcignore inside data/', () => {
  async function repoWith(files: Record<string, string>, top = ''): Promise<string> {
    const repo = path.join(base, 'repo');
    await writeTree(path.join(repo, 'data'), { ...SAMPLE, ...files });
    await initData({ root: repo, remoteUrl: '../storage' });
    if (top) await writeFile(path.join(repo, '.dvcignore'), top);
    return repo;
  }

  it('is refused by add, as DVC refuses it, naming it and saying where its lines go', async () => {
    const repo = await repoWith({ 'images/.dvcignore': '*.partial\n', 'images/c.partial': 'half copied' });
    const error = await addData({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_DVCIGNORE_INSIDE')).toBe(true);
    expect(error.message).toContain('data/images/.dvcignore is a .dvcignore inside data/');
    expect(error.message).toContain('"*.tmp" becomes "/data/images/**/*.tmp"');
    expect(await stat(path.join(repo, 'data.dvc')).catch(() => null)).toBeNull();
    // Its lines moved to the top .dvcignore as DVC rewrites them: add, status and promotion leave those files out.
    await writeFile(path.join(repo, '.dvcignore'), '/data/images/**/*.partial\n');
    await rm(path.join(repo, 'data', 'images', '.dvcignore'));
    const recorded = await addData({ root: repo, log: silentLogger });
    expect(recorded.nfiles).toBe(Object.keys(SAMPLE).length);
    await mkdir(path.join(repo, 'data', 'images', 'deep'));
    await writeFile(path.join(repo, 'data', 'images', 'deep', 'd.partial'), 'half copied');
    expect((await dataStatus({ root: repo, log: silentLogger })).clean).toBe(true);
    await checkDataRecorded({ ws: workspace(repo), log: silentLogger });
    expect((await addData({ root: repo, log: silentLogger })).md5).toBe(recorded.md5);
  });

  it('is a file like any other while it stands: its patterns leave nothing out', async () => {
    const repo = await repoWith({ 'images/.dvcignore': '*.partial\n', 'images/c.partial': 'half copied' });
    const tree = await hashTree({ dir: path.join(repo, 'data') });
    expect(tree.entries.map((e) => e.relpath)).toContain('images/.dvcignore');
    expect(tree.entries.map((e) => e.relpath)).toContain('images/c.partial');
  });

  it('that the top .dvcignore leaves out is neither listed nor refused', async () => {
    const repo = await repoWith({ 'images/.dvcignore': '*.png\n' }, '/data/**/.dvcignore\n');
    const recorded = await addData({ root: repo, log: silentLogger });
    expect(recorded.nfiles).toBe(Object.keys(SAMPLE).length);
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toContain(`nfiles: ${Object.keys(SAMPLE).length}`);
  });
});
