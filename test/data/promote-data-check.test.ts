import { createHash } from 'node:crypto';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { addData, dataStatus, initData, objectPath } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { checkDataRecorded, promoteStage } from '../../pipeline/stages/promote.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Promotion refuses a data/ that is not what data.dvc records. A .DS_Store that macOS Finder left (or Windows'
 * Thumbs.db, desktop.ini) is enough: the refusal must name it and say how to leave such files out (.dvcignore),
 * not tell staff to record it. And it must say what is true about the cache: a missing cache copy is not data
 * that is "not recorded".
 */

let repo: string;
let recorded: string;
const cacheDir = () => path.join(repo, '.dvc', 'cache');
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

beforeEach(async () => {
  repo = await tempDir('vitrine-promote-data-');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
  recorded = (await addData({ root: repo, log: silentLogger })).md5;
});
afterEach(async () => {
  await cleanup(repo);
});

async function refusal(): Promise<Error & { code?: string; data?: Record<string, unknown> }> {
  const error = await checkDataRecorded({ ws: workspace(repo), log: silentLogger }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a refusal').toBeInstanceOf(Error);
  return error as Error & { code?: string };
}

describe("files the computer's system leaves in data/", () => {
  beforeEach(async () => {
    await writeFile(path.join(repo, 'data', '.DS_Store'), 'Finder');
    await writeFile(path.join(repo, 'data', 'images', 'Thumbs.db'), 'Explorer');
  });

  it('the refusal names them and gives the .dvcignore lines, rather than telling staff to record them', async () => {
    const error = await refusal();
    expect(error.code).toBe('PROMOTE_DATA_UNRECORDED');
    expect(error.message).toContain('data/.DS_Store, data/images/Thumbs.db are files the computer');
    expect(error.message).toContain('add the lines ".DS_Store" and "Thumbs.db" to the file .dvcignore');
    expect(error.message).not.toContain('vitrine data add');
    expect(error.message).toContain('Nothing was registered');
  });

  it('"vitrine data status" says the same', async () => {
    const lines = describeStatus(await dataStatus({ root: repo, log: silentLogger }));
    expect(lines).toContain('  added: data/.DS_Store');
    expect(lines.join('\n')).toContain('add the lines ".DS_Store" and "Thumbs.db" to the file .dvcignore');
  });

  it('once .dvcignore names them, status, add and promotion leave them out, as DVC does', async () => {
    await writeFile(path.join(repo, '.dvcignore'), '# Files the computer makes\n.DS_Store\nThumbs.db\n');
    expect((await dataStatus({ root: repo, log: silentLogger })).clean).toBe(true);
    await checkDataRecorded({ ws: workspace(repo), log: silentLogger });
    expect((await addData({ root: repo, log: silentLogger })).md5).toBe(recorded);
  });

  it('beside a real change, both are said: record the change, ignore the system files', async () => {
    await writeFile(path.join(repo, 'data', 'images', 'A4.png'), 'a new photograph');
    const error = await refusal();
    expect(error.message).toContain('added: data/.DS_Store, data/images/A4.png, data/images/Thumbs.db');
    expect(error.message).toContain('run "vitrine data add"');
    expect(error.message).toContain('to the file .dvcignore');
    // A plain checkout keeps files data.dvc does not list: taking the added ones away needs --force.
    expect(error.message).toContain('"vitrine data checkout --force" puts data/ back');
  });

  it("a branch's warning says it too", async () => {
    const { execFileSync } = await import('node:child_process');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd: repo });
    git('init', '-q', '-b', 'side');
    git('commit', '-q', '--allow-empty', '-m', 'start');
    await writeFile(
      path.join(repo, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    const log = memoryLogger();
    const ctx = {
      ws: workspace(repo),
      log,
      env: {},
      params: { collection: { branch: 'main' } },
    } as unknown as Parameters<typeof promoteStage.run>[0];
    await promoteStage.run(ctx);
    const warning = log.lines.find((l) => l.level === 'warn')?.message ?? '';
    expect(warning).toContain('data/.DS_Store');
    expect(warning).toContain('.dvcignore');
  });
});

describe('the cache, in the promotion data check', () => {
  it('a data/ that is what data.dvc records passes, even when the local cache lacks copies of its files', async () => {
    await rm(objectPath(cacheDir(), md5(SAMPLE['images/A1.png']!)));
    await rm(objectPath(cacheDir(), recorded));
    await checkDataRecorded({ ws: workspace(repo), log: silentLogger });
  });

  it("with data.dvc's list of files not in the cache, it says so and says to pull first", async () => {
    await writeFile(path.join(repo, 'data', 'images', 'A4.png'), 'a new photograph');
    await rm(objectPath(cacheDir(), recorded));
    const error = await refusal();
    expect(error.message).toContain('its list of files is not in the local cache');
    expect(error.message).toContain('Run "vitrine data pull" to fetch what data.dvc records');
    expect(error.message).not.toContain('"vitrine data checkout" puts data/ back');
  });

  it("with data.dvc's list of files damaged in the cache, it says damaged, not missing", async () => {
    await writeFile(path.join(repo, 'data', 'images', 'A4.png'), 'a new photograph');
    const list = objectPath(cacheDir(), recorded);
    await chmod(list, 0o644);
    await writeFile(list, `${await readFile(list, 'utf8')} `);
    const error = await refusal();
    expect(error.message).toContain('its list of files is damaged in the local cache');
    expect(error.message).toContain('Run "vitrine data pull"');
  });
});
