import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Outside tester D pressed Enter at init's storage question: the remote is .vitrine-remote, a folder inside the
 * repository that .gitignore leaves out. On another clone (a runner's checkout) "data pull" said the folder "is not
 * there" and advised making an empty one (mkdir -p), which leads a newcomer further astray; and "data add" said to
 * push "until then they are only on this computer, and no one else (nor CI) can pull them", though after the push
 * they still are. Both now say the folder is on the computer that made it only, and how to move to a shared remote.
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-remote-in-repo-');
  repo = path.join(base, 'museum');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteName: 'storage', remoteUrl: '.vitrine-remote' });
});
afterEach(async () => {
  await cleanup(base);
});

describe('a data remote in a folder inside the repository', () => {
  it('is said to be on this computer only when the images are recorded, not "until then"', async () => {
    const log = memoryLogger();
    await addData({ root: repo, log });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).not.toContain('until then they are only on this computer');
    expect(said).toMatch(/"storage".*inside this repository.*on this computer only.*no one else \(nor CI\)/);
    expect(said).toContain('"Moving the images to another remote" in docs/data.md');
  });

  it('pulled in another clone: says it was never shared, not to make an empty folder', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const runner = path.join(base, 'runner');
    await cloneTracked(repo, runner);
    const error = await pullData({ root: runner, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_MISSING'), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(path.join(runner, '.vitrine-remote'));
    expect(message).not.toContain('mkdir');
    expect(message).toMatch(/inside the repository.*only on the computer that/);
    expect(message).toContain('npx vitrine data init s3://bucket/folder --name storage');
    expect(message).toContain('"Moving the images to another remote" in docs/data.md');
  });
});
