import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, tempDir } from '../dataset/fixtures.ts';

/*
 * Fault tester: a repository whose .gitattributes hands *.csv to Git LFS, checked out where LFS files are not
 * downloaded (actions/checkout's default), has a pointer in place of labels.csv. The run said only "labels.csv:1: the
 * first line must be "object_id,label" (found "version https://git-lfs.github.com/spec/v1")".
 */

const POINTER =
  'version https://git-lfs.github.com/spec/v1\n' +
  'oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 2048\n';

afterAll(removeTempDirs);

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; text: string }> {
  const log = memoryLogger();
  const code = await main(argv, { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, text: log.lines.map((l) => l.message).join('\n') };
}

describe('a Git LFS pointer in place of a table', () => {
  it('labels.csv: the run says what it is and to run git lfs pull, or to stop keeping it in LFS', async () => {
    const ws = await makeCollection({ objects: ['a1', 'a2'].map((id) => object(id)), labelsText: POINTER });
    await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
    const { code, text } = await run(ws.root, 'run', 'dataset');
    expect(code, text).toBe(1);
    expect(text).toContain('labels.csv is a Git LFS pointer');
    expect(text).toContain('git lfs untrack labels.csv');
    expect(text).toContain('git lfs pull');
    expect(text).not.toContain('object_id,label');
  });

  // The reviewer: params.yaml in LFS was "the file holds text (…), expected a mapping".
  it('params.yaml too', async () => {
    const ws = await makeCollection({ objects: ['a1', 'a2'].map((id) => object(id)) });
    await writeFile(ws.params, POINTER);
    const { code, text } = await run(ws.root, 'run', 'dataset');
    expect(code, text).toBe(1);
    expect(text).toContain('params.yaml is a Git LFS pointer');
    expect(text).toContain('git lfs untrack params.yaml');
  });

  it('an export: named, with git lfs pull, and nothing imported', async () => {
    const ws = await makeCollection({ objects: [object('a1')] });
    await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
    const csv = path.join(await tempDir('vitrine-lfs-export-'), 'museum-export.csv');
    await writeFile(csv, POINTER);
    const { code, text } = await run(ws.root, 'import', '--metadata', csv, '--images', ws.images);
    expect(code, text).toBe(1);
    expect(text).toContain('museum-export.csv is a Git LFS pointer');
    expect(text).toContain('git lfs pull');
    expect(text).toContain('"lfs: true"');
    expect(text).not.toContain('untrack');
  });
});
