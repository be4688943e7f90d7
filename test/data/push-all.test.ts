import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { dataCommands } from '../../pipeline/data/commands.ts';
import { addData, pullData, pushData } from '../../pipeline/data/index.ts';
import { messageOf } from '../../pipeline/errors.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { openModelRemote } from '../../pipeline/registry/remote.ts';
import { checkRegisteredFiles } from '../../pipeline/registry/resend.ts';
import { restoreFolder } from '../../pipeline/registry/store.ts';
import { type Fixture, promoteStandIn, repoPerTest, sh } from '../registry/helpers.ts';
import { writeTree } from './helpers.ts';

/*
 * Tester T10 (HIGH): a maintainer moved the storage remote as docs/data.md said (data init with the new place, then
 * data push). Push sent the current version only: the older versions of data/ that commits and tags record, and the
 * registered models' files, stayed behind on the old remote, and a fresh clone could neither roll back a model nor
 * check out an older data.dvc. `data push --all` sends everything the history and the registry need.
 */

const newRepo = repoPerTest();

/** Every object id a folder remote holds. */
async function held(remoteDir: string): Promise<string[]> {
  const ids: string[] = [];
  const base = path.join(remoteDir, 'files', 'md5');
  for (const prefix of await readdir(base).catch(() => [])) {
    for (const rest of await readdir(path.join(base, prefix))) if (!rest.endsWith('.tmp')) ids.push(prefix + rest);
  }
  return ids.sort();
}

function context(root: string): CommandContext & { said: () => string } {
  const log = memoryLogger();
  return {
    ws: workspace(root),
    log,
    clock: systemClock,
    env: {},
    json: false,
    out: () => {},
    said: () => log.lines.map((l) => l.message).join('\n'),
  };
}

async function run(
  ctx: CommandContext,
  name: string,
  values: Record<string, unknown> = {},
  positionals: string[] = [],
) {
  const command = dataCommands.find((c) => c.name === name)!;
  return command.run(ctx, { values, positionals });
}

/**
 * A year of use, in short: two versions of data/ on main, one on a branch never merged, each pushed to the old remote
 * (`remote`, beside the repository), and a model version promoted (its files and evidence on that remote too).
 */
async function aYearOfUse(): Promise<Fixture> {
  const f = await newRepo();
  const log = memoryLogger();
  const commit = (message: string) => {
    sh(f.root, 'add', '-A');
    sh(f.root, 'commit', '-q', '-m', message);
  };
  sh(f.root, 'rm', '-r', '-q', '--cached', 'data');
  await writeTree(f.ws.data, { 'images/a.png': 'first a', 'images/b.png': 'first b' });
  await addData({ root: f.root, log });
  commit('First photographs');
  await pushData({ root: f.root, log });
  sh(f.root, 'checkout', '-q', '-b', 'idea');
  await writeTree(f.ws.data, { 'images/c.png': 'only on a branch' });
  await addData({ root: f.root, log });
  commit('An idea never merged');
  await pushData({ root: f.root, log });
  sh(f.root, 'checkout', '-q', 'main');
  await pullData({ root: f.root, log, force: true });
  await writeTree(f.ws.data, { 'images/b.png': 'second b', 'images/d.png': 'second d' });
  await addData({ root: f.root, log });
  commit('More photographs');
  await pushData({ root: f.root, log });
  await promoteStandIn(f);
  return f;
}

describe('moving the storage remote carries every version and the registry (T10)', () => {
  it('data push --all sends every data version git records and every registered model file to the new remote', async () => {
    const f = await aYearOfUse();
    const old = await held(f.remoteDir);
    expect(old.length).toBeGreaterThan(10);
    const init = context(f.root);
    await run(init, 'data init', { name: 'local' }, ['../new']);
    // Replacing a remote that held data, init says how to carry everything, not only the current images.
    expect(init.said()).toContain('npx vitrine data push --all');

    const push = context(f.root);
    expect(await run(push, 'data push', { all: true })).toBeFalsy();
    const moved = await held(path.join(f.parent, 'new'));
    expect(old.filter((id) => !moved.includes(id))).toEqual([]);
    expect(push.said()).toMatch(/3 versions of data\//);

    // The new remote is enough: a fresh clone rolls back to the model and checks out the first data version.
    sh(f.root, 'add', '.dvc/config');
    sh(f.root, 'commit', '-q', '-m', 'Images on the new storage');
    const clone = path.join(f.parent, 'clone');
    sh(f.parent, 'clone', '-q', f.root, clone);
    const ws = workspace(clone);
    const remote = await openModelRemote({ ws });
    expect(remote.url).toBe(path.join(f.parent, 'new'));
    const check = await checkRegisteredFiles({ ws, name: 'collection-classifier', remote, log: memoryLogger() });
    expect(check.missing).toEqual([]);
    const first = sh(clone, 'log', '--format=%H', '--grep', 'First photographs');
    sh(clone, 'checkout', '-q', first, '--', 'data.dvc');
    await expect(pullData({ root: clone, log: memoryLogger(), force: true })).resolves.toBeTruthy();
  }, 90_000);

  it('from a copy that lacks the older versions and the model files, --from fetches them from the old remote', async () => {
    const f = await aYearOfUse();
    const old = await held(f.remoteDir);
    await run(context(f.root), 'data init', { name: 'local' }, ['../new']);
    sh(f.root, 'add', '.dvc/config');
    sh(f.root, 'commit', '-q', '-m', 'Images on the new storage');
    // A fresh clone: no cache, no model, no evidence; the branch "idea" is only a remote-tracking branch here.
    const clone = path.join(f.parent, 'clone');
    sh(f.parent, 'clone', '-q', f.root, clone);

    const alone = context(clone);
    const failed = await run(alone, 'data push', { all: true }).then(
      (code) => ({ code, message: '' }),
      (error: unknown) => ({ code: 1, message: messageOf(error) }),
    );
    expect(failed.code).toBe(1);
    expect(`${alone.said()}\n${failed.message}`).toContain('--from');

    const from = context(clone);
    expect(await run(from, 'data push', { all: true, from: '../remote' })).toBeFalsy();
    const moved = await held(path.join(f.parent, 'new'));
    expect(old.filter((id) => !moved.includes(id))).toEqual([]);
  }, 90_000);

  it('a fresh clone whose remote lacks the older versions says the remote may have been moved, with the command', async () => {
    const f = await aYearOfUse();
    await run(context(f.root), 'data init', { name: 'local' }, ['../new']);
    // Only the documented push of old: the current version.
    await pushData({ root: f.root, log: memoryLogger() });
    sh(f.root, 'add', '.dvc/config');
    sh(f.root, 'commit', '-q', '-m', 'Images on the new storage');
    const clone = path.join(f.parent, 'clone');
    sh(f.parent, 'clone', '-q', f.root, clone);
    const ws = workspace(clone);

    const state = await readRegistry({ dir: clone, name: 'collection-classifier' });
    const manifest = state.versions[0]!.registration!.manifest;
    const model = await restoreFolder({
      dir: path.join(clone, 'restored'),
      manifest,
      remote: () => openModelRemote({ ws }),
      log: memoryLogger(),
    }).then(
      () => '',
      (error: unknown) => messageOf(error),
    );
    expect(model).toContain('is not on the remote');
    expect(model).toContain('moved');
    expect(model).toContain('npx vitrine data push --all');

    const first = sh(clone, 'log', '--format=%H', '--grep', 'First photographs');
    sh(clone, 'checkout', '-q', first, '--', 'data.dvc');
    const data = await pullData({ root: clone, log: memoryLogger(), force: true }).then(
      () => '',
      (error: unknown) => messageOf(error),
    );
    expect(data).toContain('is not on the remote');
    expect(data).toContain('moved');
    expect(data).toContain('npx vitrine data push --all');
  }, 90_000);
});

/** A command run as the command line runs it: its exit code, or 1 and the message of what it threw. */
async function attempt(ctx: CommandContext, values: Record<string, unknown>) {
  return run(ctx, 'data push', values).then(
    (code) => ({ code: code ?? 0, message: '' }),
    (error: unknown) => ({ code: 1, message: messageOf(error) }),
  );
}

/** The repository of aYearOfUse with its remote moved to ../new by data init, committed. */
async function moved(): Promise<Fixture> {
  const f = await aYearOfUse();
  await run(context(f.root), 'data init', { name: 'local' }, ['../new']);
  sh(f.root, 'add', '.dvc/config');
  sh(f.root, 'commit', '-q', '-m', 'Images on the new storage');
  return f;
}

/*
 * Reviewer V17: the moves data push --all met in use. A shallow clone (what CI runners make) reported success with 9
 * of 14 objects left behind; a stash of a version nobody pushed failed every run; --from a place that is not there, or
 * the very remote pushed to, got advice about the remote's own url; the model files summary was said twice.
 */
describe('data push --all in the clones and mistakes of real use (V17)', () => {
  it('refuses in a shallow clone (git clone --depth 1, as CI runners make), saying how to fetch the history', async () => {
    const f = await moved();
    const clone = path.join(f.parent, 'shallow');
    sh(f.parent, 'clone', '-q', '--depth', '1', `file://${f.root}`, clone);
    const ctx = context(clone);
    const result = await attempt(ctx, { all: true, from: '../remote' });
    expect(result.code).toBe(1);
    const said = `${ctx.said()}\n${result.message}`;
    expect(said).toContain('shallow');
    expect(said).toContain('git fetch --unshallow --tags');
    expect(said).toContain('CI');
    // Nothing sent, nothing claimed.
    expect(await held(path.join(f.parent, 'new'))).toEqual([]);
    expect(said).not.toContain('Registered model files');
  }, 90_000);

  it('refuses in a clone made without tags and with one branch, where the model versions cannot be known', async () => {
    const f = await moved();
    const clone = path.join(f.parent, 'narrow');
    sh(f.parent, 'clone', '-q', '--single-branch', '--no-tags', `file://${f.root}`, clone);
    const ctx = context(clone);
    const result = await attempt(ctx, { all: true, from: '../remote' });
    expect(result.code).toBe(1);
    expect(`${ctx.said()}\n${result.message}`).toContain('git fetch --tags');
    expect(await held(path.join(f.parent, 'new'))).toEqual([]);
  }, 90_000);

  it('leaves out a stashed version nobody pushed with a warning naming the stash, and names the branch of one', async () => {
    const f = await moved();
    // A data.dvc edited by hand and stashed: its folder list is on no computer and no remote.
    const text = sh(f.root, 'show', 'HEAD:data.dvc');
    const nowhere = (md5: string) => text.replace(/md5: [0-9a-f]{32}\.dir/, `md5: ${md5}.dir`);
    await writeFile(path.join(f.root, 'data.dvc'), nowhere('0123456789abcdef0123456789abcdef'));
    sh(f.root, 'stash', '-q');
    const stashed = context(f.root);
    expect((await attempt(stashed, { all: true })).code).toBe(0);
    expect(stashed.said()).toMatch(/stash/);
    expect(stashed.said()).toContain('0123456789abcdef0123456789abcdef');
    const old = await held(f.remoteDir);
    const now = await held(path.join(f.parent, 'new'));
    expect(old.filter((id) => !now.includes(id))).toEqual([]);

    // The same on a branch fails, and says which branch records it.
    sh(f.root, 'checkout', '-q', '-b', 'draft');
    await writeFile(path.join(f.root, 'data.dvc'), nowhere('fedcba9876543210fedcba9876543210'));
    sh(f.root, 'commit', '-q', '-am', 'A draft');
    sh(f.root, 'checkout', '-q', 'main');
    const branch = context(f.root);
    const result = await attempt(branch, { all: true });
    expect(result.code).toBe(1);
    expect(result.message).toContain('fedcba9876543210fedcba9876543210');
    expect(result.message).toContain('draft');
  }, 90_000);

  it('--from a folder that is not there says so of --from, and --from the remote pushed to is refused', async () => {
    const f = await moved();
    const clone = path.join(f.parent, 'clone');
    sh(f.parent, 'clone', '-q', f.root, clone);
    const nowhere = context(clone);
    const missing = await attempt(nowhere, { all: true, from: '../nowhere' });
    expect(missing.code).toBe(1);
    expect(missing.message).toContain('--from');
    expect(missing.message).toContain('is not there');
    expect(missing.message).not.toContain('mkdir');
    expect(missing.message).not.toContain('.dvc/config');
    expect(existsSync(path.join(f.parent, 'nowhere'))).toBe(false);
    for (const from of ['local', '../new']) {
      const ctx = context(clone);
      const result = await attempt(ctx, { all: true, from });
      expect(result.code).toBe(1);
      expect(result.message).toContain('the remote being pushed to');
      expect(`${ctx.said()}\n${result.message}`).not.toContain('Registered model files');
    }
  }, 90_000);

  it('says the registered model files summary once in a run, and not after the data push failed', async () => {
    const f = await moved();
    const clone = path.join(f.parent, 'clone');
    sh(f.parent, 'clone', '-q', f.root, clone);
    const failed = context(clone);
    expect((await attempt(failed, { all: true })).code).toBe(1);
    expect(failed.said()).not.toContain('Registered model files');
    expect(failed.said()).not.toContain('registered model files');
    const done = context(clone);
    expect((await attempt(done, { all: true, from: '../remote' })).code).toBe(0);
    expect(done.said().match(/registered model files/gi)).toHaveLength(1);
  }, 90_000);
});
