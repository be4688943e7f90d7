import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Messages advised a bare "vitrine run evaluate" (stages/promote.ts, evaluate, report...): in a museum's clone
 * nothing puts "vitrine" on PATH, so the step failed as typed. README types "npx vitrine"; so does every
 * message the command line prints, whichever module wrote it. Failed before (the promote stage's advice).
 */

let root: string;
beforeAll(async () => {
  root = path.join(os.tmpdir(), `vitrine-npx-advice-${process.pid}`);
  await mkdir(root, { recursive: true });
  await writeFile(
    path.join(root, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  // On main, so that promote asks for the evaluation it lacks.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', 'params.yaml');
  git('-c', 'user.name=Registrar', '-c', 'user.email=registrar@museum.test', 'commit', '-qm', 'settings');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function said(argv: string[], cwd: string): Promise<{ code: number; text: string }> {
  const log = memoryLogger();
  const code = await main(argv, { cwd, env: {}, stdout: () => {}, log });
  return { code, text: log.lines.map((l) => l.message).join('\n') };
}

it('"run promote" before evaluate advises "npx vitrine run evaluate", never a bare "vitrine run"', async () => {
  const { code, text } = await said(['run', 'promote', '--single'], root);
  expect(code).toBe(1);
  expect(text).toContain('(npx vitrine run evaluate)');
  expect(text).not.toMatch(/(?<!npx )\bvitrine (?:run|data|review|models)\b/);
});

it('with -C the advice names the repository after npx: "npx vitrine -C <folder> run ..."', async () => {
  const { code, text } = await said(['-C', path.basename(root), 'run', 'promote', '--single'], path.dirname(root));
  expect(code).toBe(1);
  expect(text).toContain(`npx vitrine -C ${path.basename(root)} run`);
  expect(text).not.toMatch(/(?<!npx )\bvitrine -C/);
});
