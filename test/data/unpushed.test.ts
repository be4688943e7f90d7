import { execFileSync } from 'node:child_process';
import { chmod, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData } from '../../pipeline/data/ops.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { promoteStage } from '../../pipeline/stages/promote.ts';
import { cleanup, cloneTracked, SAMPLE, silentServer, tempDir, writeTree } from './helpers.ts';

/*
 * Tester: after "npx vitrine data add" and a merge, "npx vitrine run" on main registered v1.1.0 on images that
 * were only on this machine. "data add" said only "Commit data.dvc to keep this version" (even when data.dvc did
 * not change), plain "data status" said "data/ matches data.dvc", and only "data status --remote" told. Now add
 * says to push, plain status says what this machine knows (a note push and pull keep, no network), and the
 * promote stage on main warns, naming "npx vitrine data push".
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-unpushed-');
  repo = path.join(base, 'museum');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await writeFile(
    path.join(repo, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
});
afterEach(async () => {
  await cleanup(base);
});

/** Every file under `dir`, recursively. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function vitrine(cwd: string, ...argv: string[]): Promise<{ code: number; text: string }> {
  const log = memoryLogger();
  const printed: string[] = [];
  const code = await main(argv, { cwd, env: {}, stdout: (t) => printed.push(t), log });
  return { code, text: [...printed, ...log.lines.map((l) => l.message)].join('\n') };
}

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd: repo, stdio: 'pipe' });

describe('images recorded but never pushed', () => {
  beforeEach(async () => {
    expect((await vitrine(repo, 'data', 'init', '../storage')).code).toBe(0);
  });

  it('"data add" says to commit data.dvc and to push the images with "npx vitrine data push"', async () => {
    const { code, text } = await vitrine(repo, 'data', 'add');
    expect(code).toBe(0);
    expect(text).toMatch(/commit data\.dvc/i);
    expect(text).toContain('"npx vitrine data push"');
    expect(text).toContain('the remote "local"');
  });

  it('init and demo, which push right after recording, are not told to push first (it was said twice)', async () => {
    const log = memoryLogger();
    await addData({ root: repo, log, pushNext: true });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toMatch(/commit data\.dvc/i);
    expect(said).not.toContain('data push');
  });

  it('"data add" with nothing changed does not say to commit data.dvc; it still says to push until pushed', async () => {
    git('init', '-q', '-b', 'main');
    await vitrine(repo, 'data', 'add');
    git('add', 'data.dvc', '.gitignore', '.dvc', 'params.yaml');
    git('commit', '-q', '-m', 'data');
    const again = await vitrine(repo, 'data', 'add');
    expect(again.code).toBe(0);
    expect(again.text).not.toContain('Commit data.dvc');
    expect(again.text).toContain('data.dvc already records');
    expect(again.text).toContain('"npx vitrine data push"');
    await vitrine(repo, 'data', 'push');
    const pushed = await vitrine(repo, 'data', 'add');
    expect(pushed.text).not.toContain('Commit data.dvc');
    expect(pushed.text).not.toContain('data push');
  });

  // Tester: "data/ is unchanged: data.dvc already records it (325 files, 2.7 MB (325 new in the cache))".
  it('"data add" of an unchanged data/ whose cache copies were gone says they were copied in, in its own sentence', async () => {
    await vitrine(repo, 'data', 'add');
    await rm(path.join(repo, '.dvc', 'cache'), { recursive: true, force: true });
    const again = await vitrine(repo, 'data', 'add');
    expect(again.code).toBe(0);
    const files = Object.keys(SAMPLE).length;
    expect(again.text).toMatch(/data\/ is unchanged: data\.dvc already records it \(\d+ files, [^()]+\)[.,]/);
    expect(again.text).toContain(`${files} of them were copied into this computer's cache.`);
    expect(again.text).not.toContain('new in the cache');
  });

  it('"data add" that replaces a damaged cache copy says so in its own sentence, one level of brackets', async () => {
    await vitrine(repo, 'data', 'add');
    const cached = await listFiles(path.join(repo, '.dvc', 'cache'));
    const image = cached.find((f) => !f.endsWith('.dir'))!;
    await chmod(image, 0o644);
    await writeFile(image, 'damaged');
    const again = await vitrine(repo, 'data', 'add');
    expect(again.code, again.text).toBe(0);
    // A tester: "(151 files, 1.7 MB (1 damaged cache copies replaced))".
    expect(again.text).toMatch(/already records it \(\d+ files, [^()]+\)\./);
    expect(again.text).toContain('The damaged cache copy named above was replaced.');
    expect(again.text).not.toMatch(/copies replaced\)/);
  });

  it('"data add" of a changed data/ says to commit even when data.dvc was rewritten before, not committed', async () => {
    git('init', '-q', '-b', 'main');
    await vitrine(repo, 'data', 'add');
    git('add', 'data.dvc', '.gitignore', '.dvc', 'params.yaml');
    git('commit', '-q', '-m', 'data');
    await writeFile(path.join(repo, 'data', 'images', 'A9.png'), 'a new photograph');
    await vitrine(repo, 'data', 'add');
    // data.dvc is as the last add left it, but not committed: committing is still to do.
    expect((await vitrine(repo, 'data', 'add')).text).toContain(
      'data.dvc already records it (5 files, 95 B), but data.dvc is not committed yet: commit it to keep this version.',
    );
  });

  it('plain "data status" says the images were not pushed from here, without contacting the remote', async () => {
    await vitrine(repo, 'data', 'add');
    const before = await vitrine(repo, 'data', 'status');
    expect(before.text).toContain('data/ matches data.dvc');
    expect(before.text).toContain('"npx vitrine data push"');
    expect(before.text).toContain('the remote "local"');
    // Not known here is not "never sent": an upgrade of Vitrine, or a push from another computer, leaves no record.
    expect(before.text).toContain('or they were sent from another computer, or by a Vitrine that kept no such record');
    await vitrine(repo, 'data', 'push');
    const after = await vitrine(repo, 'data', 'status');
    expect(after.text).toContain('data/ matches data.dvc');
    expect(after.text).not.toContain('data push');
  });

  it('a clone that pulled the version knows the remote has it', async () => {
    await vitrine(repo, 'data', 'add');
    await vitrine(repo, 'data', 'push');
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    await writeFile(
      path.join(clone, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    expect((await vitrine(clone, 'data', 'pull')).code).toBe(0);
    expect((await vitrine(clone, 'data', 'status')).text).not.toContain('data push');
  });

  it('"data status --remote" that finds everything there is remembered by plain status', async () => {
    await vitrine(repo, 'data', 'add');
    // Pushed by another tool (DVC itself): this machine has no note, until the remote is asked once.
    const clone = path.join(base, 'other');
    await cloneTracked(repo, clone);
    await writeFile(
      path.join(clone, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    await vitrine(repo, 'data', 'push');
    await vitrine(clone, 'data', 'pull');
    await writeFile(path.join(repo, '.dvc', 'tmp', 'vitrine-on-remote.json'), '{}');
    expect((await vitrine(repo, 'data', 'status')).text).toContain('data push');
    expect((await vitrine(repo, 'data', 'status', '--remote')).text).toContain('has everything');
    expect((await vitrine(repo, 'data', 'status')).text).not.toContain('data push');
  });

  it('the promote stage on main warns (and goes on) when data.dvc was never pushed from here', async () => {
    git('init', '-q', '-b', 'main');
    await vitrine(repo, 'data', 'add');
    git('add', 'data.dvc', '.gitignore', '.dvc', 'params.yaml');
    git('commit', '-q', '-m', 'data');
    const log = memoryLogger();
    const ctx = {
      ws: workspace(repo),
      log,
      env: {},
      params: { collection: { branch: 'main' }, registry: { model_name: 'm' } },
    } as unknown as Parameters<typeof promoteStage.run>[0];
    // No model was evaluated here: the promotion stops at that, after the warning.
    await promoteStage.run(ctx).catch(() => undefined);
    const warning = log.lines.find((l) => l.level === 'warn')?.message ?? '';
    expect(warning).toContain('the remote "local"');
    expect(warning).toContain('"npx vitrine data push"');
    // As `data status` says it: an upgrade, or a push from another computer, leaves no record here either.
    expect(warning).toContain('or they were sent from another computer, or by a Vitrine that kept no such record');
    expect(warning).toContain('"npx vitrine data status --remote" to ask the remote');
    // In CI the data was pulled from the remote: there it is there by definition, and nothing is said.
    const ci = memoryLogger();
    await promoteStage.run({ ...ctx, log: ci, env: { GITHUB_ACTIONS: 'true' } }).catch(() => undefined);
    expect(ci.lines.filter((l) => l.level === 'warn')).toEqual([]);
    // Pushed: nothing to say either.
    await vitrine(repo, 'data', 'push');
    const done = memoryLogger();
    await promoteStage.run({ ...ctx, log: done }).catch(() => undefined);
    expect(done.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('plain "data status" asks no server: with an S3 remote that never answers, it says the same at once', async () => {
    const server = await silentServer();
    try {
      await vitrine(repo, 'data', 'add');
      const s3 = ['data', 'init', 's3://bucket/museum', '--name', 'cloud', '--endpoint-url', server.endpoint];
      expect((await vitrine(repo, ...s3)).code).toBe(0);
      const { code, text } = await vitrine(repo, 'data', 'status');
      expect(code).toBe(0);
      // Asked nothing of the server (which never answers): no connection was made.
      expect(server.connections()).toBe(0);
      expect(text).toContain('the remote "cloud" (s3://bucket/museum)');
      expect(text).toContain('"npx vitrine data push"');
    } finally {
      server.close();
    }
  });
});
