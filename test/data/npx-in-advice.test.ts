import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, initData, pushData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, tempDir, writeTree } from './helpers.ts';

/*
 * The tester's "vitrine -C … data pull" with an image missing from the remote advised
 * "vitrine -C … data push": without npx, as README never runs Vitrine (a bare "vitrine" is not a command
 * there). The data commands' advice says "npx vitrine …", which -C then names the repository in. Failed before.
 */

let base: string;
beforeAll(async () => {
  base = await tempDir('vitrine-npx-advice-');
});
afterAll(async () => {
  await cleanup(base);
});

it('"data pull" with -C advises "npx vitrine -C <repo> data push", never a bare "vitrine -C"', async () => {
  const origin = path.join(base, 'origin');
  await writeTree(path.join(origin, 'data'), {
    'objects.csv': 'id,image\nA1,images/A1.png\n',
    'images/A1.png': 'photo',
  });
  await initData({ root: origin, remoteUrl: path.join(base, 'storage') });
  await addData({ root: origin, log: silentLogger });
  await pushData({ root: origin, log: silentLogger });
  const md5 = createHash('md5').update('photo').digest('hex');
  await rm(path.join(base, 'storage', 'files', 'md5', md5.slice(0, 2), md5.slice(2)));
  await cloneTracked(origin, path.join(base, 'museum'));
  const log = memoryLogger();
  const code = await main(['-C', 'museum', 'data', 'pull'], { cwd: base, env: {}, stdout: () => {}, log });
  const said = log.lines.map((l) => l.message).join('\n');
  expect(code).toBe(1);
  expect(said).toContain('"npx vitrine -C museum data push"');
  expect(said).not.toMatch(/(?<!npx )vitrine -C/);
});
