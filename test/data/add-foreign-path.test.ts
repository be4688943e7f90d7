import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Reviewer, 2026-12-02: `vitrine data add` rewrote data.dvc's "path: ../elsewhere" to "path: data" without a word
 * (exit 0): whoever edited that line, or copied data.dvc from elsewhere, never heard of it. It now refuses, naming
 * data.dvc and the line, and leaves the file as it was. The command line, on real files.
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-add-foreign-');
  repo = path.join(base, 'repo');
  await mkdir(repo);
  await writeFile(path.join(repo, 'params.yaml'), '');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await writeTree(path.join(base, 'elsewhere'), { 'other.png': 'another project' });
});
afterEach(async () => {
  await cleanup(base);
});

async function vitrine(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: repo, env: {}, stdout: () => {}, log });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('vitrine data add with a data.dvc whose path is not data/', () => {
  for (const [value, where] of [
    ['../elsewhere', 'outside the repository'],
    ['.github', 'another folder of the repository'],
  ] as const) {
    it(`refuses "path: ${value}" (${where}), naming data.dvc and its line, and rewrites nothing`, async () => {
      expect((await vitrine(['data', 'init', '../storage'])).code).toBe(0);
      expect((await vitrine(['data', 'add'])).code).toBe(0);
      const file = path.join(repo, 'data.dvc');
      const edited = (await readFile(file, 'utf8')).replace('path: data', `path: ${value}`);
      await writeFile(file, edited);
      const line = edited.split('\n').findIndex((l) => l.includes('path:')) + 1;
      const add = await vitrine(['data', 'add']);
      expect(add.code, add.messages).toBe(1);
      expect(add.messages).toContain(`data.dvc:${line}: "path: ${value}"`);
      expect(add.messages).toContain(where);
      expect(add.messages).toContain('data.dvc was left as it was');
      expect(add.messages).toContain('npx vitrine data add');
      expect(await readFile(file, 'utf8')).toBe(edited);
    });
  }
});
