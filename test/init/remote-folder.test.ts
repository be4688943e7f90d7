import { execFile, spawnSync } from 'node:child_process';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';
import { canMountTmpfs, cleanup, tempDir, VITRINE_BIN } from '../data/helpers.ts';

/*
 * An outside tester, setting up a small museum: `init --remote /tmp/w/share/vitrine` with no /tmp/w/share made the
 * folder and its parent on this computer's disk ("Made the folder …"), so a typo in the share's path, or a share not
 * mounted, put the only copy of the images here without a word. And a remote whose disk filled part-way left init
 * at exit 0 with 20 of 59 images not sent, though a script's `init --yes && git commit` relies on exit 1 then.
 */

const run = promisify(execFile);

let base: string;
let from: string;
beforeAll(async () => {
  base = await tempDir('vitrine-init-remote-folder-');
  from = path.join((await copyEgyptExport({ dir: path.join(base, 'export'), pick: 4 })).dir, 'metadata.csv');
});
afterAll(async () => {
  await cleanup(base);
});

async function init(name: string, remote: string) {
  const museum = path.join(base, name);
  await mkdir(museum);
  const log = memoryLogger();
  const args = ['init', '--from', from, '--remote', remote, '--yes'];
  const code = await main(args, { cwd: museum, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n'), museum };
}

describe('a data remote folder whose parent folder is missing', () => {
  it('init refuses before writing anything, and makes no folder', async () => {
    const share = path.join(base, 'share-not-mounted');
    const { code, messages, museum } = await init('museum-parent', path.join(share, 'vitrine'));
    expect(code, messages).not.toBe(0);
    expect(messages).toContain(`${share}, does not exist`);
    expect(messages).toContain('not mounted');
    expect(messages).toContain('Nothing was written');
    expect(await stat(share).catch(() => undefined)).toBeUndefined();
    expect(await readdir(museum)).toEqual([]);
  }, 60_000);

  it('data init refuses too; a new folder in an existing one is made as before', async () => {
    const museum = path.join(base, 'museum-data-init');
    await mkdir(museum);
    spawnSync('git', ['init', '-q'], { cwd: museum });
    const log = memoryLogger();
    const io = { cwd: museum, env: {}, stdout: () => {}, log, interactive: false };
    const said = () => log.lines.map((l) => l.message).join('\n');
    const missing = path.join(base, 'no-such-share', 'vitrine');
    expect(await main(['data', 'init', missing], io)).not.toBe(0);
    expect(said()).toContain(`${path.dirname(missing)}, does not exist`);
    expect(await stat(path.join(museum, '.dvc')).catch(() => undefined)).toBeUndefined();
    const fresh = path.join(base, 'storage-new');
    expect(await main(['data', 'init', fresh], io), said()).toBe(0);
    expect((await stat(fresh)).isDirectory()).toBe(true);
    expect(said()).toContain(`Made the folder ${fresh}`);
    expect(said()).not.toContain('not a mounted disk');
  }, 60_000);

  // A reviewer: the usual unmounted share is an empty mount point (/mnt/share exists), where the folder was made.
  it('data init warns when the folder it makes is in an empty folder that is no mounted disk', async () => {
    const museum = path.join(base, 'museum-mount-point');
    await mkdir(museum);
    spawnSync('git', ['init', '-q'], { cwd: museum });
    const mountPoint = path.join(base, 'mnt-share');
    await mkdir(mountPoint);
    const log = memoryLogger();
    const io = { cwd: museum, env: {}, stdout: () => {}, log, interactive: false };
    expect(await main(['data', 'init', path.join(mountPoint, 'vitrine')], io)).toBe(0);
    const warned = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warned.join('\n')).toContain(`${mountPoint}, where the data remote's folder was made, was empty`);
  }, 60_000);
});

describe.runIf(canMountTmpfs())('a data remote whose disk fills while init sends the images', () => {
  it('exits 1, and "Next:" says to free space, then push, before the commit', async () => {
    const museum = path.join(base, 'museum-full');
    const storage = path.join(base, 'storage-full');
    await mkdir(museum);
    await mkdir(storage);
    // 20 photographs of about 10 KB and more: they do not all fit in 96 KB.
    const script = `mount -t tmpfs -o size=96k tmpfs "$1" && exec "$2" "$3" init --from "$4" --remote "$1" --yes`;
    const result = await run(
      'unshare',
      ['-Urm', 'sh', '-c', script, 'sh', storage, process.execPath, VITRINE_BIN, from],
      {
        cwd: museum,
      },
    ).then(
      (r) => ({ code: 0, out: `${r.stdout}${r.stderr}` }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
    );
    expect(result.code, result.out).toBe(1);
    expect(result.out).toContain('ENOSPC');
    const next = result.out.slice(result.out.lastIndexOf('Next:'));
    const free = next.indexOf('Free some space on the disk that holds');
    const push = next.indexOf('data push');
    expect(free, result.out).toBeGreaterThan(0);
    expect(push).toBeGreaterThan(free);
    expect(next.indexOf('commit')).toBeGreaterThan(push);
  }, 120_000);
});
