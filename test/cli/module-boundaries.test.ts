import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The library's rules of where things happen, read from its source: `pipeline/` never imports @actions/* (the
 * actions' entries are its only users of the toolkit), and one place talks to git (pipeline/git/: isomorphic-git
 * and the git program), so that a question about git (a shallow clone, a worktree, credentials) has one answer.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

async function sources(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await sources(file)));
    else if (/\.(ts|mts)$/.test(entry.name)) found.push(file);
  }
  return found;
}

/** Each pipeline source file (relative to the repository) whose text matches `pattern`. */
async function filesMatching(pattern: RegExp): Promise<string[]> {
  const matching: string[] = [];
  for (const file of await sources(path.join(ROOT, 'pipeline'))) {
    if (pattern.test(await readFile(file, 'utf8'))) matching.push(path.relative(ROOT, file).split(path.sep).join('/'));
  }
  return matching.sort();
}

describe('where the library talks to the outside', () => {
  it('never imports the GitHub Actions toolkit', async () => {
    expect(await filesMatching(/from ['"]@actions\/|import\(['"]@actions\//)).toEqual([]);
  });

  it('talks to git in pipeline/git/ only: isomorphic-git and the git program', async () => {
    const isomorphic = await filesMatching(/from ['"]isomorphic-git|import\(['"]isomorphic-git/);
    expect(isomorphic.length).toBeGreaterThan(0);
    expect(isomorphic.filter((f) => !f.startsWith('pipeline/git/'))).toEqual([]);
    const program = await filesMatching(/(execFile|spawn|execFileSync|spawnSync)\(\s*['"]git['"]/);
    expect(program.length).toBeGreaterThan(0);
    expect(program.filter((f) => !f.startsWith('pipeline/git/'))).toEqual([]);
  });

  it('reads no file inside a .git folder outside pipeline/git/', async () => {
    // Session 50: labels-deleted.ts read <root>/.git/shallow itself, and missed a clone whose .git is a file naming its
    // git folder (--separate-git-dir, a submodule), which pipeline/git/ (isShallow) follows.
    const inside = await filesMatching(/join\([^)]*['"]\.git['"]\s*,/);
    expect(inside.filter((f) => !f.startsWith('pipeline/git/'))).toEqual([]);
  });
});
