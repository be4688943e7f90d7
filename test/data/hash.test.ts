import { mkdir, mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  HashState,
  hashFile,
  hashTree,
  manifestBytes,
  manifestHash,
} from '../../pipeline/data/hash.ts';
import { isVitrineError } from '../../pipeline/errors.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-hash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTree(base: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(base, ...rel.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

describe('DVC 3.x folder hashes', () => {
  it("matches the example in DVC's own documentation of the cache (internal-files.md)", () => {
    // From iterative/dvc.org "Structure of the cache directory": data/images with cat.jpeg and index.jpeg.
    expect(
      manifestHash([
        { md5: '402e97968614f583ece3b35555971f64', relpath: 'index.jpeg' },
        { md5: 'de7371b0119f4f75f9de703c7c3bac16', relpath: 'cat.jpeg' },
      ]),
    ).toBe('6fdb5336fce0dbfd669f83065f107551.dir');
  });

  it('gives an empty folder DVC\'s well-known empty hash (md5 of "[]")', async () => {
    await mkdir(path.join(dir, 'empty', 'only-folders', 'deeper'), { recursive: true });
    const tree = await hashTree({ dir: path.join(dir, 'empty') });
    expect(tree).toEqual({ md5: 'd751713988987e9331980363e24189ce.dir', size: 0, nfiles: 0, entries: [] });
  });

  it('orders "." before "/" and non-ASCII names by code point, escaped as Python json.dumps does', async () => {
    // Expected values produced by Python: json.dumps(sorted(entries, key=relpath), sort_keys=True).
    const files: Record<string, string | Buffer> = {
      'a.b': 'dot',
      'a/b': 'slash',
      a0: 'zero',
      'café.txt': 'accent',
      '😀.txt': 'emoji',
      '！.txt': 'fullwidth',
      'sub/deep/x.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]),
      'q"uote\\.txt': 'q',
      'tab\tname': 't',
    };
    await writeTree(path.join(dir, 'data'), files);
    const tree = await hashTree({ dir: path.join(dir, 'data') });
    expect(tree.entries.map((e) => e.relpath)).toEqual([
      'a.b',
      'a/b',
      'a0',
      'café.txt',
      'q"uote\\.txt',
      'sub/deep/x.png',
      'tab\tname',
      '！.txt',
      '😀.txt',
    ]);
    expect(manifestBytes(tree.entries).toString('utf8')).toBe(
      '[{"md5": "69eb76c88557a8211cbfc9beda5fc062", "relpath": "a.b"}, {"md5": "9fbbaa4cc515bc46e0c12e82a31df736", "relpath": "a/b"}, ' +
        '{"md5": "d02c4c4cde7ae76252540d116a40f23a", "relpath": "a0"}, {"md5": ' +
        '"727b79a9a430ccddcf9260a381d5ab10", "relpath": "caf\\u00e9.txt"}, ' +
        '{"md5": "7694f4a66316e53c8cdd9d9954bd611d", "relpath": "q\\"uote\\\\.txt"}, {"md5": ' +
        '"8eece9cc616084e69299f7f1a53a6404", "relpath": "sub/deep/x.png"}, ' +
        '{"md5": "e358efa489f58062f10dd7316b65649e", "relpath": "tab\\tname"}, {"md5": ' +
        '"b8f38b4e11bfea1098ec6f86c33a3e44", "relpath": "\\uff01.txt"}, ' +
        '{"md5": "ba323c3f5b3f1b536461d41cc7f1ba60", "relpath": "\\ud83d\\ude00.txt"}]',
    );
    expect(tree.md5).toBe('db95c986685c8ed908618611eb5d5fa6.dir');
    expect(tree.size).toBe(40);
    expect(tree.nfiles).toBe(9);
  });

  it("sorts astral characters after U+FFxx, unlike JavaScript's default sort", () => {
    expect(['😀', '！'].sort()).toEqual(['😀', '！']);
    expect(['😀', '！'].sort(compareCodePoints)).toEqual(['！', '😀']);
  });

  it('hashes a file as the md5 of its raw bytes', async () => {
    await writeFile(path.join(dir, 'foo'), 'foo');
    expect(await hashFile({ file: path.join(dir, 'foo') })).toBe('acbd18db4cc2f85cedef654fccc4a4d8');
  });

  it('says DATA_MISSING for a folder that does not exist', async () => {
    const error = await hashTree({ dir: path.join(dir, 'nope') }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_MISSING')).toBe(true);
  });
});

describe('state cache', () => {
  it('does not re-read unchanged files, and notices a changed one', async () => {
    const data = path.join(dir, 'data');
    await writeTree(data, { 'a.txt': 'one', 'b/c.txt': 'two' });
    const stateFile = path.join(dir, '.dvc', 'tmp', 'vitrine-state.json');
    const fromState: boolean[] = [];
    const first = await hashTree({ dir: data, stateFile, onFile: (_, s) => fromState.push(s) });
    expect(fromState).toEqual([false, false]);
    fromState.length = 0;
    const second = await hashTree({ dir: data, stateFile, onFile: (_, s) => fromState.push(s) });
    expect(fromState).toEqual([true, true]);
    expect(second.md5).toBe(first.md5);

    // Same size, new content and mtime: must be re-read.
    await writeFile(path.join(data, 'a.txt'), 'uno');
    const later = new Date(Date.now() + 5000);
    await utimes(path.join(data, 'a.txt'), later, later);
    fromState.length = 0;
    const third = await hashTree({ dir: data, stateFile, onFile: (_e, s) => fromState.push(s) });
    expect(fromState.filter((s) => !s)).toHaveLength(1);
    expect(third.md5).not.toBe(first.md5);
  });

  it('trusts the state only for the same inode, mtime and size (a stale entry with the wrong md5 is never used)', async () => {
    const data = path.join(dir, 'data');
    await writeTree(data, { 'a.txt': 'one' });
    const stateFile = path.join(dir, 'state.json');
    await writeFile(
      stateFile,
      JSON.stringify({
        schema: 'vitrine.data-state/1',
        files: { 'data/a.txt': ['1', '1', 3, 'ffffffffffffffffffffffffffffffff'] },
      }),
    );
    const tree = await hashTree({ dir: data, stateFile });
    expect(tree.entries[0].md5).toBe('f97c5d29941bfb1b2fdab0874906ab82');
  });
});

describe('remembered folder hash', () => {
  it('an unchanged folder reuses its remembered hash, and any change to the files is still seen', async () => {
    const data = path.join(dir, 'data');
    await writeTree(data, { 'a.txt': 'one', 'b/c.txt': 'two', 'b/d.txt': 'three' });
    const stateFile = path.join(dir, '.dvc', 'tmp', 'vitrine-state.json');
    const fresh = async () => (await hashTree({ dir: data })).md5;
    const first = await hashTree({ dir: data, stateFile });
    // The folder hash is remembered beside the files' hashes.
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { trees?: Record<string, string> };
    expect(Object.values(saved.trees ?? {})).toEqual([`3 ${first.md5}`]);
    const again = await hashTree({ dir: data, stateFile });
    expect(again).toEqual(first);
    // Each change, one at a time: removed, added, renamed, edited; every time the state's answer is the true hash.
    const changes: (() => Promise<unknown>)[] = [
      () => rm(path.join(data, 'b', 'd.txt')),
      () => writeFile(path.join(data, 'e.txt'), 'four'),
      () => rename(path.join(data, 'e.txt'), path.join(data, 'f.txt')),
      async () => {
        await writeFile(path.join(data, 'a.txt'), 'uno');
        const later = new Date(Date.now() + 5000);
        await utimes(path.join(data, 'a.txt'), later, later);
      },
    ];
    let previous = first.md5;
    for (const change of changes) {
      await change();
      const viaState = await hashTree({ dir: data, stateFile });
      expect(viaState.md5).toBe(await fresh());
      expect(viaState.md5).not.toBe(previous);
      expect((await hashTree({ dir: data, stateFile })).md5).toBe(viaState.md5);
      previous = viaState.md5;
    }
  });

  it('a damaged state file (a folder hash that is not text) costs a re-read, never a crash', async () => {
    const data = path.join(dir, 'data');
    await writeTree(data, { 'a.txt': 'one' });
    const stateFile = path.join(dir, '.dvc', 'tmp', 'vitrine-state.json');
    const first = await hashTree({ dir: data, stateFile });
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { trees: Record<string, unknown> };
    for (const key of Object.keys(saved.trees)) saved.trees[key] = 12345;
    await writeFile(stateFile, JSON.stringify(saved));
    expect((await hashTree({ dir: data, stateFile })).md5).toBe(first.md5);
    await writeFile(stateFile, JSON.stringify({ ...saved, trees: ['not', 'a', 'map'] }));
    expect((await hashTree({ dir: data, stateFile })).md5).toBe(first.md5);
  });

  it('a remembered hash is dropped when a file record under the folder changes (e.g. by checkout)', async () => {
    const data = path.join(dir, 'data');
    await writeTree(data, { 'a.txt': 'one', 'b.txt': 'two' });
    const stateFile = path.join(dir, '.dvc', 'tmp', 'vitrine-state.json');
    await hashTree({ dir: data, stateFile });
    const state = await HashState.load({ file: stateFile });
    const info = await stat(path.join(data, 'a.txt'), { bigint: true });
    state.set(path.join(data, 'a.txt'), info, 'f97c5d29941bfb1b2fdab0874906ab82');
    await state.save();
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { trees?: Record<string, string> };
    expect(saved.trees ?? {}).toEqual({});
  });
});

describe('state file formats', () => {
  it('still reads the schema-1 state (one array per file), so an upgrade does not re-read every image', async () => {
    const data = path.join(dir, 'data');
    await writeTree(data, { 'a.txt': 'one' });
    const info = await stat(path.join(data, 'a.txt'), { bigint: true });
    const stateFile = path.join(dir, 'state.json');
    const remembered = 'abcdefabcdefabcdefabcdefabcdefab';
    const record = [String(info.ino), String(info.mtimeNs), Number(info.size), remembered];
    await writeFile(stateFile, JSON.stringify({ schema: 'vitrine.data-state/1', files: { 'data/a.txt': record } }));
    const fromState: boolean[] = [];
    const tree = await hashTree({ dir: data, stateFile, onFile: (_, s) => fromState.push(s) });
    expect(fromState).toEqual([true]);
    expect(tree.entries[0].md5).toBe(remembered);
  });
});

describe('state file, schema 3 (sorted paths and records in two lists)', () => {
  it('is written sorted, read back without re-reading a file, and still reads schema 2', async () => {
    const data = path.join(dir, 'data');
    await writeTree(data, { 'b.txt': 'two', 'a.txt': 'one', 'a/c.txt': 'three' });
    const stateFile = path.join(dir, '.dvc', 'tmp', 'vitrine-state.json');
    const first = await hashTree({ dir: data, stateFile });
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as {
      schema: string;
      paths: string[];
      records: string[];
    };
    expect(saved.schema).toBe('vitrine.data-state/3');
    expect(saved.paths).toEqual(['../../data/a.txt', '../../data/a/c.txt', '../../data/b.txt']);
    expect(saved.records.map((r) => r.split(' ')[3])).toEqual(first.entries.map((e) => e.md5));
    const read: string[] = [];
    await hashTree({ dir: data, stateFile, onFile: (e, fromState) => !fromState && read.push(e.relpath) });
    expect(read).toEqual([]);
    // The same records as schema 2 (one object keyed by path): still trusted, then rewritten as schema 3.
    const files = Object.fromEntries(saved.paths.map((p, i) => [p, saved.records[i]]));
    await writeFile(stateFile, JSON.stringify({ schema: 'vitrine.data-state/2', files }));
    await hashTree({ dir: data, stateFile, onFile: (e, fromState) => !fromState && read.push(e.relpath) });
    expect(read).toEqual([]);
    expect(JSON.parse(await readFile(stateFile, 'utf8')).schema).toBe('vitrine.data-state/3');
  });

  it('random lookups and changes (as checkout makes them) between sorted reads stay right', async () => {
    const data = path.join(dir, 'data');
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i % 3}/f${i}.txt`, `content ${i}`]));
    await writeTree(data, files);
    const stateFile = path.join(dir, '.dvc', 'tmp', 'vitrine-state.json');
    await hashTree({ dir: data, stateFile });
    const state = await HashState.load({ file: stateFile });
    const f7 = path.join(data, 'd1', 'f7.txt');
    const f3 = path.join(data, 'd0', 'f3.txt');
    expect(state.get(f7, await stat(f7, { bigint: true }))).toBe(await hashFile({ file: f7 }));
    expect(state.get(f3, await stat(f3, { bigint: true }))).toBe(await hashFile({ file: f3 }));
    state.set(f3, await stat(f3, { bigint: true }), 'abcdefabcdefabcdefabcdefabcdefab');
    expect(state.get(f3, await stat(f3, { bigint: true }))).toBe('abcdefabcdefabcdefabcdefabcdefab');
    expect(state.get(f7, await stat(f7, { bigint: true }))).toBe(await hashFile({ file: f7 }));
    await state.save();
    const tree = await hashTree({ dir: data, stateFile });
    expect(tree.entries.find((e) => e.relpath === 'd0/f3.txt')?.md5).toBe('abcdefabcdefabcdefabcdefabcdefab');
    expect(tree.entries.filter((e) => e.relpath !== 'd0/f3.txt')).toEqual(
      (await hashTree({ dir: data })).entries.filter((e) => e.relpath !== 'd0/f3.txt'),
    );
  });
});

describe('.dvcignore', () => {
  // DVC's own tests (tests/func/test_ignore.py) check that an ignored file leaves the folder hash as if it
  // were not there; the same vector here: the hash with ignored files equals the hash of the folder without them.
  it('leaves out what .dvcignore matches (gitignore syntax, from the repository root), and .git/.hg/.dvc folders', async () => {
    const kept: Record<string, string> = {
      'objects.csv': 'id,title\nA1,Bowl\n',
      'images/A1.png': 'png one',
      'images/keep.partial': 're-included',
      'notes/tmp/inside.txt': 'only /data/tmp is ignored, not notes/tmp',
    };
    const noise: Record<string, string> = {
      '.DS_Store': 'finder',
      'images/.DS_Store': 'finder again',
      'images/A2.partial': 'half copied',
      'tmp/scratch.png': 'scratch',
      '.git/HEAD': 'ref: refs/heads/main',
      'images/.dvc/config': '[core]',
    };
    const repoDir = path.join(dir, 'repo');
    await mkdir(path.join(repoDir, '.dvc'), { recursive: true });
    await writeFile(
      path.join(repoDir, '.dvcignore'),
      '# Finder files\n.DS_Store\n/data/tmp/\n*.partial\n!keep.partial\n',
    );
    await writeTree(path.join(repoDir, 'data'), { ...kept, ...noise });
    const clean = path.join(dir, 'clean', 'data');
    await writeTree(clean, kept);
    const expected = await hashTree({ dir: clean });
    expect(expected.nfiles).toBe(4);
    // The root is found from the .dvc folder, or given.
    expect(await hashTree({ dir: path.join(repoDir, 'data') })).toEqual(expected);
    expect(await hashTree({ dir: path.join(repoDir, 'data'), root: repoDir })).toEqual(expected);
  });

  it("matches case-sensitively, as DVC (gitignore rules) does on Linux: the folder hash stays DVC's", async () => {
    const repoDir = path.join(dir, 'repo');
    await mkdir(path.join(repoDir, '.dvc'), { recursive: true });
    await writeFile(path.join(repoDir, '.dvcignore'), 'Thumbs.db\n*.PARTIAL\n');
    await writeTree(path.join(repoDir, 'data'), {
      'Thumbs.db': 'x',
      'thumbs.db': 'y',
      'a.PARTIAL': 'z',
      'b.partial': 'w',
    });
    const tree = await hashTree({ dir: path.join(repoDir, 'data') });
    expect(tree.entries.map((e) => e.relpath)).toEqual(['b.partial', 'thumbs.db']);
  });

  it('without a .dvcignore every file counts, except inside .git/.hg/.dvc folders', async () => {
    const repoDir = path.join(dir, 'repo');
    await mkdir(path.join(repoDir, '.dvc'), { recursive: true });
    await writeTree(path.join(repoDir, 'data'), { '.DS_Store': 'finder', 'a.png': 'a', '.git/HEAD': 'x' });
    const tree = await hashTree({ dir: path.join(repoDir, 'data') });
    expect(tree.entries.map((e) => e.relpath)).toEqual(['.DS_Store', 'a.png']);
  });
});
