import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { gitIn } from '../fixtures/git.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * Task D23 (7 December 2026): in a museum folder that is not yet a git repository, `data add` ended with "Commit
 * data.dvc to keep this version.", a command that fails there. It says what to do first: make the folder a
 * repository with "git init", then commit data.dvc.
 */

let repo: string;
beforeEach(async () => {
  repo = path.join(await tempDir('vitrine-add-outside-git-'), 'museum');
  const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#468' } })
    .jpeg()
    .toBuffer();
  await writeTree(path.join(repo, 'data'), { 'objects.csv': 'id\nA1\n', 'images/A1.jpg': photo });
  await writeTree(repo, { 'params.yaml': '' });
});
afterEach(async () => {
  await cleanup(path.dirname(repo));
});

async function add() {
  const log = memoryLogger();
  const out: string[] = [];
  const code = await main(['data', 'add'], { cwd: repo, env: {}, stdout: (s) => out.push(s), log });
  return { code, messages: [...log.lines.map((l) => l.message), ...out].join('\n') };
}

describe('vitrine data add in a folder that is not a git repository', () => {
  it('says to make it a repository with git init before committing data.dvc, first time and when unchanged', async () => {
    const first = await add();
    expect(first.code).toBe(0);
    expect(first.messages).toMatch(/not a git repository[^\n]*"git init"[^\n]*commit data\.dvc/);
    expect(first.messages).not.toMatch(/Commit data\.dvc to keep this version/);
    const again = await add();
    expect(again.messages).toMatch(/data\/ is unchanged/);
    expect(again.messages).toMatch(/not a git repository[^\n]*"git init"/);
  });

  it('keeps the plain advice in a repository', async () => {
    gitIn({ root: repo })('init', '-q');
    expect((await add()).messages).toMatch(/Commit data\.dvc to keep this version/);
  });
});
