import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { recordedPresence } from '../../pipeline/data/presence.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Tester: `cp data/images/DM-0001.jpg "data/images/$(printf 'caf\xe9.jpg')"` (a Latin-1 name, as an old Windows
 * share or zip gives). `data status`, `data add`, `run` and `data checkout --force` all ended with exit 70,
 * "Something went wrong that Vitrine did not expect … ENOENT … stat '…/caf�.jpg'": Node reads the name as text,
 * the byte 0xe9 becomes U+FFFD, and no file has that name. The file is now named, its bytes escaped, with the
 * advice to rename it: exit 1. Real files on disk with the raw byte in their name.
 */

let base: string;
let repo: string;
const BAD = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.jpg')]);

beforeEach(async () => {
  base = await tempDir('vitrine-not-utf8-');
  repo = path.join(base, 'repo');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await writeFile(path.join(repo, 'params.yaml'), 'collection:\n  name: Test Museum\n');
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
  const first = 'images/A1.png';
  const folder = Buffer.from(path.join(repo, 'data', path.dirname(first)) + path.sep);
  await copyFile(path.join(repo, 'data', first), Buffer.concat([folder, BAD]));
});
afterEach(async () => {
  await cleanup(base);
});

async function said(...argv: string[]): Promise<{ code: number; text: string }> {
  const log = memoryLogger();
  const printed: string[] = [];
  const code = await main(argv, { cwd: repo, env: {}, stdout: (t) => printed.push(t), log, interactive: false });
  return { code, text: [...printed, ...log.lines.map((l) => l.message)].join('\n') };
}

function expectNamed({ code, text }: { code: number; text: string }): void {
  expect(text).not.toContain('did not expect');
  expect(code, text).toBe(1);
  expect(text).toMatch(/caf\\xe9\.jpg/);
  expect(text).not.toContain('\ufffd');
  expect(text).toMatch(/[Rr]ename it/);
  expect(text).toContain('UTF-8');
}

describe('a file in data/ whose name is not UTF-8', () => {
  it('"data status" names it (bytes escaped) and says to rename it: exit 1', async () => {
    expectNamed(await said('data', 'status'));
  });

  it('"data add" too, and data.dvc is left as it was', async () => {
    const before = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    expectNamed(await said('data', 'add'));
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(before);
  });

  it('"data checkout --force" too', async () => {
    expectNamed(await said('data', 'checkout', '--force'));
  });

  it('the stages’ check of data/ (what "vitrine run" reads first) throws the same typed error', async () => {
    const error = await recordedPresence({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'DATA_NAME_NOT_UTF8'), String(error)).toBe(true);
  });
});
