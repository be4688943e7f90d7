import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { gitIn } from '../fixtures/git.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * Tester T1 (LOW-1): `data add` recorded a photograph emptied or cut short over a good one without a word (exit 0,
 * "Recorded data/"), where import refuses such a file. It still records it (as `dvc add` would), but names each
 * photograph it cannot read, says the earlier version was readable, and gives the command that puts it back.
 */

let base: string;
let repo: string;
let whole: Buffer;
beforeEach(async () => {
  base = await tempDir('vitrine-add-unreadable-');
  repo = path.join(base, 'repo');
  const raw = Buffer.alloc(120 * 90 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + (i >> 7) * 11) & 255;
  whole = await sharp(raw, { raw: { width: 120, height: 90, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  await writeTree(path.join(repo, 'data'), {
    'objects.csv': 'id\nA1\nA2\nA3\n',
    'images/A1.jpg': whole,
    'images/A2.jpg': whole,
    'images/A3.jpg': whole,
  });
  await writeFile(path.join(repo, 'params.yaml'), '');
});
afterEach(async () => {
  await cleanup(base);
});

async function vitrine(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: repo, env: {}, stdout: () => {}, log });
  return { code, log, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('vitrine data add: a photograph that cannot be read as an image', () => {
  it('names each one emptied or cut short, says the earlier version was readable, and how to put it back', async () => {
    expect((await vitrine(['data', 'init', '../storage'])).code).toBe(0);
    const first = await vitrine(['data', 'add']);
    expect(first.code).toBe(0);
    expect(first.log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    const images = path.join(repo, 'data', 'images');
    await writeFile(path.join(images, 'A1.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    await writeFile(path.join(images, 'A2.jpg'), '');
    await writeFile(path.join(images, 'A4.jpg'), 'not a photograph');
    const add = await vitrine(['data', 'add']);
    expect(add.code).toBe(0);
    const warnings = add.log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toHaveLength(3);
    const [cut, empty, other] = warnings;
    expect(cut).toMatch(/^data\/images\/A1\.jpg ends before its picture data does/);
    expect(empty).toMatch(/^data\/images\/A2\.jpg is empty \(0 bytes\)/);
    expect(other).toMatch(/^data\/images\/A4\.jpg cannot be read as an image/);
    for (const words of [cut, empty]) expect(words).toContain('recorded before was a readable photograph');
    // A new file had no earlier version to offer.
    expect(other).not.toContain('recorded before');
    const summary = add.log.lines.filter((l) => l.level === 'info').at(-1)?.message ?? '';
    expect(summary).toContain('3 photographs named above cannot be read as images');
    expect(summary).not.toContain('Commit data.dvc to keep this version');
    // A folder git does not keep (no "git init" yet): "git checkout data.dvc" fails there (task D23).
    expect(summary).not.toContain('git checkout');
    expect(summary).toContain('put them right as said above');
    expect(summary).toContain('not a git repository, so no earlier data.dvc is kept to undo this whole add');
    // The command given puts the good photograph back; recording it again says nothing of it.
    const restore = /"npx vitrine (data restore --from [0-9a-f]{32} data\/images\/A1\.jpg)"/.exec(cut!)?.[1];
    expect(restore).toBeDefined();
    expect((await vitrine(restore!.split(' '))).code).toBe(0);
    expect(await readFile(path.join(images, 'A1.jpg'))).toEqual(whole);
    const again = await vitrine(['data', 'add']);
    expect(again.messages).not.toContain('A1.jpg');
  });

  it('says them again while data.dvc, not committed, records them over the readable ones git last committed', async () => {
    // Reviewer V24 (F2): the next add, with nothing changed, said "commit it to keep this version", no warning.
    const git = gitIn({ root: repo });
    git('init', '-q');
    expect((await vitrine(['data', 'init', '../storage'])).code).toBe(0);
    expect((await vitrine(['data', 'add'])).code).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'photographs');
    const images = path.join(repo, 'data', 'images');
    await writeFile(path.join(images, 'A1.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    expect((await vitrine(['data', 'add'])).messages).toContain('A1.jpg ends before its picture data does');
    // A photograph added since does not make the cut one recorded before it forgotten.
    await writeFile(path.join(images, 'A5.jpg'), whole);
    for (const args of [
      ['data', 'add'],
      ['data', 'add'],
    ]) {
      const again = await vitrine(args);
      const warnings = again.log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^data\/images\/A1\.jpg ends before its picture data does/);
      expect(warnings[0]).toContain('recorded before was a readable photograph');
      expect(again.messages).toContain('1 photograph named above cannot be read as an image');
      expect(again.messages).not.toMatch(/[Cc]ommit (it|data\.dvc) to keep this version/);
      // Git has a commit of data.dvc here: going back to it undoes the add.
      expect(again.messages).toContain('"git checkout data.dvc", then "npx vitrine data checkout"');
    }
    // Put right, the add says to commit, and nothing of A1.
    const restore = /"npx vitrine (data restore --from [0-9a-f]{32} data\/images\/A1\.jpg)"/.exec(
      (await vitrine(['data', 'add'])).messages,
    )?.[1];
    expect((await vitrine(restore!.split(' '))).code).toBe(0);
    const fixed = await vitrine(['data', 'add']);
    expect(fixed.messages).not.toContain('A1.jpg');
    expect(fixed.messages).toContain('Commit data.dvc to keep this version');
  });

  /** Cuts A1.jpg in half, then adds twice: what each add said. */
  async function cutAndAddTwice(): Promise<string[]> {
    await writeFile(path.join(repo, 'data', 'images', 'A1.jpg'), whole.subarray(0, whole.length >> 1));
    return [(await vitrine(['data', 'add'])).messages, (await vitrine(['data', 'add'])).messages];
  }

  it('says them again for a project in a subfolder of its git repository', async () => {
    // Reviewer V26 (F5): the committed record was looked for in the project folder, not at the repository top.
    const top = path.join(base, 'top');
    repo = path.join(top, 'museum');
    await writeTree(path.join(repo, 'data'), { 'objects.csv': 'id\nA1\n', 'images/A1.jpg': whole });
    await writeFile(path.join(repo, 'params.yaml'), '');
    const git = gitIn({ root: top });
    git('init', '-q');
    expect((await vitrine(['data', 'init', '../../storage'])).code).toBe(0);
    expect((await vitrine(['data', 'add'])).code).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'photographs');
    for (const said of await cutAndAddTwice()) {
      expect(said).toContain('data/images/A1.jpg ends before its picture data does');
      expect(said).not.toMatch(/[Cc]ommit (it|data\.dvc) to keep this version/);
    }
  });

  it('says them again in a repository with no commit yet, and gives no undo that needs one', async () => {
    // Reviewer V26 (F5): the second add said "commit it to keep this version", with no warning.
    gitIn({ root: repo })('init', '-q');
    expect((await vitrine(['data', 'init', '../storage'])).code).toBe(0);
    expect((await vitrine(['data', 'add'])).code).toBe(0);
    for (const said of await cutAndAddTwice()) {
      expect(said).toContain('data/images/A1.jpg ends before its picture data does');
      expect(said).toContain('1 photograph named above cannot be read as an image');
      expect(said).not.toMatch(/[Cc]ommit (it|data\.dvc) to keep this version/);
      // "git checkout data.dvc" fails where git has no commit.
      expect(said).not.toContain('git checkout data.dvc');
    }
  });
});
