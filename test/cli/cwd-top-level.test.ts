import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageVersion, runCli } from './run-cli.ts';

/*
 * A tester typed `npx vitrine -C ../museum --help` (and -h, -V, --version, nothing after the folder): each said
 * "-C needs the repository's folder after it" with exit 2, and `-C ../museum help` called the folder "not a vitrine
 * command". -C and a folder followed by a top-level option, by `help`, or by nothing, are now as without -C.
 */

let root: string;
let museum: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-cwd-top-level-'));
  museum = path.join(root, 'museum');
  await mkdir(museum);
  await writeFile(
    path.join(museum, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const vitrine = (args: string[]) => runCli(root, args);

describe('-C <folder> before a top-level option, help, or nothing', () => {
  const table: { args: string[]; as: string[] }[] = [
    { args: ['-C', '../museum', '--help'], as: ['--help'] },
    { args: ['-C', '../museum', '-h'], as: ['--help'] },
    { args: ['-C', '../museum', '-V'], as: ['-V'] },
    { args: ['-C', '../museum', '--version'], as: ['--version'] },
    { args: ['-C', '../museum'], as: [] },
    { args: ['-C', '../museum', 'help'], as: ['help'] },
    { args: ['-C', '../museum', 'help', 'train'], as: ['help', 'train'] },
    { args: ['-C', '../museum', 'help', 'data', 'push'], as: ['help', 'data', 'push'] },
    { args: ['help', '-C', '../museum', 'train'], as: ['help', 'train'] },
    { args: ['--cwd', '../museum', '--help'], as: ['--help'] },
    { args: ['--cwd=../museum', '-V'], as: ['-V'] },
    { args: ['-q', '-C', '../museum', '--help'], as: ['--help'] },
  ];
  for (const { args, as } of table)
    it(`vitrine ${args.join(' ')} is vitrine ${as.join(' ') || '(nothing)'}`, async () => {
      // The tester typed it from a sibling folder: ../museum is relative to where the command is typed.
      const typed = await vitrine(args.map((a) => a.replace('../museum', museum)));
      const plain = await vitrine(as);
      expect(typed.code, typed.messages).toBe(0);
      expect(typed.messages).toBe('');
      expect(typed.stdout).toBe(plain.stdout);
      expect(typed.stdout.length).toBeGreaterThan(0);
    });

  it('the version is the version', async () => {
    expect((await vitrine(['-C', museum, '-V'])).stdout).toBe(`vitrine ${packageVersion}\n`);
  });

  it('-C with no folder, and a mistyped top-level option after a folder, are still mistakes (exit 2)', async () => {
    const bare = await vitrine(['-C']);
    expect(bare.code).toBe(2);
    expect(bare.messages).toMatch(/-C needs the repository's folder after it/);
    const typo = await vitrine(['-C', museum, '--verison']);
    expect(typo.code).toBe(2);
    expect(typo.messages).toMatch(/Did you mean "--version"\?/);
    expect(typo.messages).not.toMatch(/needs the repository's folder/);
  });

  it('a command after -C <folder> still runs in that folder', async () => {
    const got = await vitrine(['-C', museum, 'params', 'get', 'collection.name']);
    expect(got.code, got.messages).toBe(0);
    expect(got.stdout).toBe('Test Museum\n');
  });
});
