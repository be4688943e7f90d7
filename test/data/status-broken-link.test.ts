import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Tester: a link in data/images whose target is gone was left out without a word: `data status` said "data/ matches
 * data.dvc". `data add` warns of such a link (it records nothing for it); `data status` now says the same.
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-status-broken-link-');
  repo = path.join(base, 'repo');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await writeFile(
    path.join(repo, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(base);
});

it('"data status" warns of a link in data/ that leads nowhere, naming it and where it pointed', async () => {
  await symlink('/nowhere/DM-0099.jpg', path.join(repo, 'data', 'images', 'DM-0099.jpg'));
  const log = memoryLogger();
  const code = await main(['data', 'status'], { cwd: repo, env: {}, stdout: () => {}, log, interactive: false });
  expect(code).toBe(0);
  const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  expect(warnings.join('\n')).toContain(
    'data/images/DM-0099.jpg is a link to /nowhere/DM-0099.jpg, which does not exist',
  );
});
