import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePayload, parseOutputs, runAction } from './run-action.ts';

/*
 * The data-cache action's bundle as the runner runs it: the main step restores .dvc/cache, the
 * post step saves it. Here there is no cache service at all (as on a runner without one): both
 * steps must warn and succeed, never fail the job.
 */

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-cache-'));
  await writeFile(
    path.join(workspace, 'data.dvc'),
    'outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  size: 1\n  nfiles: 1\n  hash: md5\n  path: data\n',
  );
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('data-cache action', () => {
  it('restores nothing without a cache service, warns, remembers that for the post step, and succeeds', async () => {
    const state = path.join(workspace, 'state');
    await writeFile(state, '');
    const main = await runAction({
      name: 'data-cache',
      inputs: {},
      event: examplePayload('opened'),
      workspace,
      extraEnv: { GITHUB_STATE: state },
    });
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/::warning::The GitHub Actions cache is not available here/);
    expect(main.outputs['cache-hit']).toBe('false');
    expect(parseOutputs(await readFile(state, 'utf8'))).toEqual({ restored: 'true', hit: 'false' });

    const post = await runAction({
      name: 'data-cache',
      inputs: {},
      event: examplePayload('opened'),
      workspace,
      extraEnv: { STATE_restored: 'true', STATE_hit: 'false' },
    });
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(
      /::warning::The GitHub Actions cache is not available here, so the image cache was not saved/,
    );
  });

  it('refuses a path outside the workspace, naming the input', async () => {
    const result = await runAction({
      name: 'data-cache',
      inputs: { path: '../elsewhere' },
      event: examplePayload('opened'),
      workspace,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::.*"path"/);
  });
});
