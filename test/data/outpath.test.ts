import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, checkoutData, dataStatus, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/* data.dvc's "path:" must name the data folder beside it, never another folder of the repository. */

let base: string;
let repo: string;
const WORKFLOW = 'on: push\njobs: {}\n';
beforeEach(async () => {
  base = await tempDir('vitrine-outpath-');
  repo = path.join(base, 'repo');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await writeTree(path.join(repo, '.github'), { 'workflows/ci.yml': WORKFLOW });
  await writeTree(path.join(repo, 'pipeline'), { 'train.ts': 'export {};\n' });
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(base);
});

async function pointAt(value: string): Promise<void> {
  const file = path.join(repo, 'data.dvc');
  await writeFile(file, (await readFile(file, 'utf8')).replace('path: data', `path: ${value}`));
}

describe('data.dvc naming another folder of the repository', () => {
  for (const value of ['.github', 'pipeline', 'images', 'data/images']) {
    it(`"path: ${value}" is refused by every command, naming the file, line and value, and nothing is touched`, async () => {
      await pointAt(value);
      const runs: [string, () => Promise<unknown>][] = [
        ['status', () => dataStatus({ root: repo, log: silentLogger })],
        ['checkout --force', () => checkoutData({ root: repo, log: silentLogger, force: true })],
        ['pull', () => pullData({ root: repo, log: silentLogger, force: true })],
        ['push', () => pushData({ root: repo, log: silentLogger })],
        ['verify', () => verifyData({ root: repo, log: silentLogger, repair: true })],
      ];
      for (const [name, run] of runs) {
        const error = await run().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isVitrineError(error, 'DVCFILE_PATH_OUTSIDE'), `${name}: ${String(error)}`).toBe(true);
        const message = (error as Error).message;
        expect(message).toContain('data.dvc:6');
        expect(message).toContain(`"path: ${value}"`);
        expect(message).toContain('"path: data"');
      }
      expect(await readFile(path.join(repo, '.github', 'workflows', 'ci.yml'), 'utf8')).toBe(WORKFLOW);
      expect(await readdir(path.join(repo, '.github'))).toEqual(['workflows']);
      expect(await readdir(path.join(repo, 'pipeline'))).toEqual(['train.ts']);
    });
  }

  it('"path: data" (and "./data", "data/") still works', async () => {
    for (const value of ['./data', 'data/']) {
      await pointAt(value);
      const status = await dataStatus({ root: repo, log: silentLogger });
      expect(status.clean).toBe(true);
      const text = await readFile(path.join(repo, 'data.dvc'), 'utf8');
      await writeFile(path.join(repo, 'data.dvc'), text.replace(`path: ${value}`, 'path: data'));
    }
    expect((await checkoutData({ root: repo, log: silentLogger })).unchanged).toBe(4);
  });
});
