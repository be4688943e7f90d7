import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { dataCommands } from '../../pipeline/data/commands.ts';
import { addData, openRemote, pullData, pushData } from '../../pipeline/data/index.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { sh } from '../registry/helpers.ts';
import { writeTree } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * Tester T10, on S3: the bucket folder changed with "data init" under the remote's own name (its endpoint and keys
 * kept). "data push --all --from s3://…" in a fresh clone carries every version git records from the old folder.
 */

const s3 = s3ServerForFile('vitrine-s3-push-all-');
/** Another S3 server: the museum moving its storage from one provider to another (reviewer V17). */
const other = s3ServerForFile('vitrine-s3-push-all-other-');

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

const run = (ctx: CommandContext, name: string, values: Record<string, unknown>, positionals: string[] = []) =>
  dataCommands.find((c) => c.name === name)!.run(ctx, { values, positionals });

/** A repository named `name` on the S3 folder "old", two versions of data/ committed and pushed; what the remote holds. */
async function twoVersionsPushed(name: string) {
  const repo = await s3Repo({ s3, name, folder: 'old' });
  const log = memoryLogger();
  sh(repo, 'init', '-q');
  await writeTree(path.join(repo, 'data'), { 'objects.csv': 'id\nA1\n', 'images/A1.png': 'first' });
  await addData({ root: repo, log });
  sh(repo, 'add', '-A');
  sh(repo, 'commit', '-q', '-m', 'First');
  await pushData({ root: repo, log });
  await writeTree(path.join(repo, 'data'), { 'images/A1.png': 'second', 'images/A2.png': 'new' });
  await addData({ root: repo, log });
  sh(repo, 'commit', '-q', '-am', 'Second');
  await pushData({ root: repo, log });
  return { repo, old: await (await openRemote({ root: repo })).list!() };
}

describe('moving an S3 remote to another folder (T10)', () => {
  it('data push --all --from the old folder sends every version git records', async () => {
    const { repo, old } = await twoVersionsPushed('repo');

    const init = context(repo);
    await run(init, 'data init', { name: 'museum-s3' }, ['s3://museum/new']);
    expect(init.said()).toContain('"npx vitrine data push --all --from s3://museum/old"');
    sh(repo, 'commit', '-q', '-am', 'Images on the new folder');
    const clone = path.join(s3.base, 'clone');
    sh(s3.base, 'clone', '-q', repo, clone);
    await mkdir(path.join(clone, '.dvc'), { recursive: true });
    await copyFile(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));

    expect(await run(context(clone), 'data push', { all: true, from: 's3://museum/old' })).toBeFalsy();
    const moved = await (await openRemote({ root: clone })).list!();
    expect([...old.keys()].filter((id) => !moved.has(id))).toEqual([]);
    sh(clone, 'checkout', '-q', 'HEAD~2', '--', 'data.dvc');
    await expect(pullData({ root: clone, log: memoryLogger(), force: true })).resolves.toBeTruthy();
  }, 60_000);

  it('moving to another S3 server keeps the old one as a remote of its own, which --from names, its endpoint said', async () => {
    const { repo, old } = await twoVersionsPushed('servers');

    const init = context(repo);
    const values = { name: 'museum-s3', 'endpoint-url': other.endpoint };
    await run(init, 'data init', values, ['s3://museum/new']);
    expect(init.said()).toContain('"npx vitrine data push --all --from museum-s3-old"');
    expect(init.said()).toContain(s3.endpoint);
    const config = await readFile(path.join(repo, '.dvc', 'config'), 'utf8');
    expect(config).toMatch(/\[['"]?remote "museum-s3-old"['"]?\]\s+url = s3:\/\/museum\/old\s+endpointurl = /);
    expect(config).toContain(s3.endpoint);
    expect(config).not.toContain('S3RVER');
    expect(await readFile(path.join(repo, '.dvc', 'config.local'), 'utf8')).toMatch(/remote "museum-s3-old"/);
    // Without a local cache: everything comes from the old server.
    await rm(path.join(repo, '.dvc', 'cache'), { recursive: true, force: true });
    expect(await run(context(repo), 'data push', { all: true, from: 'museum-s3-old' })).toBeFalsy();
    const moved = await (await openRemote({ root: repo })).list!();
    expect([...old.keys()].filter((id) => !moved.has(id))).toEqual([]);
    // The old address as typed is opened with the kept remote's settings, not sent to the new server.
    expect(await run(context(repo), 'data push', { all: true, from: 's3://museum/old' })).toBeFalsy();
  }, 60_000);
});
