import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepositoryRoot } from '../../pipeline/cli/root.ts';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Issue 15 #4: like git and dvc, a command run in a subfolder of the repository (`cd site && npx
 * vitrine data status`) works on the repository: the nearest folder up with params.yaml (or, without
 * one, with .git). -C names the repository itself. Outside any, one plain sentence says so.
 */

let tmp: string;
let repo: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vitrine-root-'));
  repo = path.join(tmp, 'museum');
  await mkdir(path.join(repo, 'export'), { recursive: true });
  await mkdir(path.join(repo, 'site', 'src'), { recursive: true });
  await writeFile(
    path.join(repo, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n' +
      'import:\n  metadata: export/objects.csv\n',
  );
  await writeFile(path.join(repo, 'export', 'objects.csv'), 'id,image,label\nA1,,coin\nA2,,vessel\n');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  let stdout = '';
  const code = await main(args, { cwd, env: {}, stdout: (t) => (stdout += t), log });
  return { code, stdout, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

const exists = (file: string) =>
  readFile(file).then(
    () => true,
    () => false,
  );

describe('the repository root', () => {
  it('is found from a subfolder, as git does', async () => {
    const result = await vitrine(['import'], path.join(repo, 'site', 'src'));
    expect(result.code, result.messages).toBe(0);
    expect(await readFile(path.join(repo, 'data', 'objects.csv'), 'utf8')).toContain('A2');
    expect(await exists(path.join(repo, 'site', 'src', 'labels.csv'))).toBe(false);
  });

  it('takes a file named from a subfolder relative to that subfolder', async () => {
    // A complete export with one object more (one that removed every object would be refused).
    await writeFile(path.join(repo, 'export', 'more.csv'), 'id,image,label\nA1,,coin\nA2,,vessel\nA3,,coin\n');
    const result = await vitrine(['import', '--metadata', 'more.csv'], path.join(repo, 'export'));
    expect(result.code, result.messages).toBe(0);
    expect(await readFile(path.join(repo, 'data', 'objects.csv'), 'utf8')).toContain('A3');
  });

  it('is the folder -C names, wherever the command starts', async () => {
    const other = path.join(tmp, 'other');
    // A repository of its own (git init): -C is "as if started in" it.
    await mkdir(path.join(other, '.git'), { recursive: true });
    await writeFile(path.join(other, 'objects.csv'), 'id,image,label\nB1,,coin\n');
    const result = await vitrine(['import', '-C', other, '--metadata', 'objects.csv'], path.join(repo, 'site'));
    expect(result.code, result.messages).toBe(0);
    expect(await readFile(path.join(other, 'data', 'objects.csv'), 'utf8')).toContain('B1');
  });

  it('is missing outside a repository: one plain sentence, exit 1', async () => {
    const outside = path.join(tmp, 'elsewhere', 'deeper');
    await mkdir(outside, { recursive: true });
    const result = await vitrine(['data', 'status'], outside);
    expect(result.code).toBe(1);
    expect(result.messages).toBe(
      `error: Not inside a Vitrine repository (no params.yaml, .git or .dvc found in ${outside} or its parents). ` +
        'Run "npx vitrine init --from <export>" to start one, or name the repository with -C <folder>.',
    );
  });

  it('is missing in a plain folder -C names: the same sentence, and nothing written there (an outside tester)', async () => {
    const plain = path.join(tmp, 'plain');
    await mkdir(plain, { recursive: true });
    for (const command of [['run'], ['demo']]) {
      const result = await vitrine(['-C', plain, ...command], repo);
      expect(result.code).toBe(1);
      expect(result.messages).toMatch(
        /^error: Not inside a Vitrine repository \(no params\.yaml, \.git or \.dvc found in /,
      );
      expect(await readdir(plain)).toEqual([]);
    }
  });

  it('stops at the nearest params.yaml, else at the top of a git repository', async () => {
    const gitOnly = path.join(tmp, 'git-only');
    await mkdir(path.join(gitOnly, '.git'), { recursive: true });
    await mkdir(path.join(gitOnly, 'a', 'b'), { recursive: true });
    expect(await findRepositoryRoot(path.join(gitOnly, 'a', 'b'))).toBe(gitOnly);
    expect(await findRepositoryRoot(path.join(repo, 'site', 'src'))).toBe(repo);
    expect(await findRepositoryRoot(repo)).toBe(repo);
    expect(await findRepositoryRoot(path.join(tmp, 'elsewhere'))).toBeUndefined();
    // A DVC repository (dvc init --no-scm): its .dvc folder marks the top too.
    const dvcOnly = path.join(tmp, 'dvc-only');
    await mkdir(path.join(dvcOnly, '.dvc'), { recursive: true });
    await mkdir(path.join(dvcOnly, 'data'), { recursive: true });
    expect(await findRepositoryRoot(path.join(dvcOnly, 'data'))).toBe(dvcOnly);
    // A git repository inside another Vitrine repository's folder is a repository of its own.
    const nested = path.join(repo, 'vendor', 'other-museum');
    await mkdir(path.join(nested, '.git'), { recursive: true });
    await mkdir(path.join(nested, 'docs'), { recursive: true });
    expect(await findRepositoryRoot(path.join(nested, 'docs'))).toBe(nested);
  });
});
