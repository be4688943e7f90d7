import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Reviewer: `data add` with data.dvc's "path: ." said it points "outside the repository (to /repo)", though "." is
 * the repository itself; and "path: data\" (a Windows-style backslash) was said to be another folder of the
 * repository ("data\"). Now "." is named as the repository itself, not its data folder, and a backslash is refused
 * with a message that says to write a forward slash. The command line, on real files; data.dvc is left as it was.
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-add-path-wording-');
  repo = path.join(base, 'repo');
  await mkdir(repo);
  await writeFile(path.join(repo, 'params.yaml'), '');
  await writeTree(path.join(repo, 'data'), SAMPLE);
});
afterEach(async () => {
  await cleanup(base);
});

async function vitrine(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: repo, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

/** data.dvc recorded by `data add`, then its "path:" edited to `value`; the answer of `data add` run again. */
async function addWithPath(value: string) {
  expect((await vitrine(['data', 'init', '../storage'])).code).toBe(0);
  expect((await vitrine(['data', 'add'])).code).toBe(0);
  const file = path.join(repo, 'data.dvc');
  const edited = (await readFile(file, 'utf8')).replace('path: data', `path: ${value}`);
  await writeFile(file, edited);
  const line = edited.split('\n').findIndex((l) => l.includes('path:')) + 1;
  const add = await vitrine(['data', 'add']);
  expect(add.code, add.messages).toBe(1);
  expect(add.messages).toContain(`data.dvc:${line}: "path: ${value}"`);
  expect(add.messages).toContain('data.dvc was left as it was');
  expect(await readFile(file, 'utf8')).toBe(edited);
  return add.messages;
}

describe('vitrine data add: the words for a data.dvc path that is not data/', () => {
  for (const value of ['.', './']) {
    it(`"path: ${value}" is the repository itself, not its data folder (not "outside the repository")`, async () => {
      const messages = await addWithPath(value);
      expect(messages).toContain('is the repository itself (the folder data.dvc is in), not its data folder data/');
      expect(messages).not.toContain('outside the repository');
      expect(messages).toContain('Put back "path: data"');
    });
  }

  it('"path: data\\" (a Windows-style backslash) is refused with a message to use a forward slash', async () => {
    const messages = await addWithPath('data\\');
    expect(messages).toContain('backslash');
    expect(messages).toContain('forward slash');
    expect(messages).toContain('Put back "path: data"');
    expect(messages).not.toContain('another folder of the repository');
  });

  it('"path: ..\\elsewhere" is refused with the same advice on slashes', async () => {
    const messages = await addWithPath('..\\elsewhere');
    expect(messages).toContain('forward slash');
  });

  it('"path: ../elsewhere" still points outside the repository', async () => {
    expect(await addWithPath('../elsewhere')).toContain(`outside the repository (to ${path.join(base, 'elsewhere')})`);
  });
});
