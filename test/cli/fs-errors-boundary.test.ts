import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentProblem } from '../../pipeline/cli/fs-errors.ts';
import { makeCollection, object, removeTempDirs, tempDir } from '../dataset/fixtures.ts';

/*
 * A file-system error that is the user's machine (a read-only folder, one this user may not write, a full
 * disk, too many open files) reaches the CLI's error boundary as plain words naming the folder (never
 * Vitrine's temp file in it) and exit 1, also when it crossed from one of the catalogue's child processes
 * (which hand back the message only); anything else is still "did not expect" (exit 70).
 *
 * The read-only folder is real: for root, whom chmod does not stop, a read-only bind mount in a mount
 * namespace of its own (unshare -m), which goes away with the process; for other users, chmod a-w.
 */

const NODE = path.resolve('node_modules/.bin/node');
const VITRINE = path.resolve('bin/vitrine.js');
const RUNNER = path.resolve('test/cli/fs-errors-boundary-runner.ts');
const isRoot = process.getuid?.() === 0;
/** Why a real read-only folder cannot be made here, if it cannot. */
let unavailable: string | undefined;

/** Run `node args` with `folder` read-only for it; stdout, stderr and the exit code. */
async function withReadOnly(folder: string, args: string[]) {
  if (!isRoot) {
    await chmod(folder, 0o555);
    try {
      return spawnSync(NODE, args, { encoding: 'utf8', timeout: 120_000 });
    } finally {
      await chmod(folder, 0o755);
    }
  }
  const script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec "$@"';
  return spawnSync('unshare', ['-m', 'sh', '-c', script, folder, NODE, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
}

beforeAll(async () => {
  if (!isRoot) return;
  const probe = await tempDir('vitrine-ro-probe-');
  try {
    execFileSync('unshare', ['-m', 'sh', '-c', 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0"', probe], {
      stdio: 'ignore',
    });
  } catch {
    unavailable = 'running as root without the right to make a mount namespace (unshare -m), chmod cannot stop root';
  }
});
afterAll(removeTempDirs);

describe('a read-only folder at the CLI error boundary', () => {
  it("the catalogue's child process writing into a read-only site folder: plain words naming the folder", async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const root = await tempDir('vitrine-ro-site-');
    const site = path.join(root, '.vitrine', 'site');
    await mkdir(path.join(site, 'data'), { recursive: true });
    const from = path.join(root, '.vitrine', 'astro-out', 'data', 'catalogue.json');
    await mkdir(path.dirname(from), { recursive: true });
    await writeFile(from, '{"objects":[]}');
    const run = await withReadOnly(site, [RUNNER, root, from, site]);
    expect(run.status, run.stderr).toBe(0);
    const { raw, words } = JSON.parse(run.stdout) as { raw: string; words?: string };
    // What crossed from the child: Node's message only (the tester's "EROFS: read-only file system, link …").
    expect(raw).toMatch(isRoot ? /^EROFS: read-only file system, link '/ : /^EACCES: permission denied, link '/);
    expect(words).toBeDefined();
    expect(words).toContain(`the folder ${path.join('.vitrine', 'site', 'data')}`);
    expect(words).not.toContain('.tmp');
    expect(words).not.toContain('astro-out');
    expect(words).toContain('then run "npx vitrine run" again.');
    expect(words).toMatch(isRoot ? /read-only disk \(EROFS\)/ : /permission to change files there/);
  }, 120_000);

  it('`vitrine dataset` with a read-only dataset folder: exit 1, names the folder, no "did not expect"', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const ws = await makeCollection({
      objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
      labels: [{ objectId: 'a1', label: 'coin' }],
    });
    await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
    // .vitrine itself read-only is refused by the run lock first (cli/run-lock.ts): its dataset folder is.
    const dataset = path.join(ws.root, '.vitrine', 'dataset');
    await mkdir(dataset, { recursive: true });
    const run = await withReadOnly(dataset, [VITRINE, '-C', ws.root, 'dataset', '--force']);
    expect(run.stderr).not.toContain('did not expect');
    expect(run.stderr).toMatch(/Vitrine (could not write in|may not write in) the folder \.vitrine\/dataset\b/);
    // As typed, with its --force (it was dropped: "run … dataset" again skipped the stage).
    expect(run.stderr).toContain(`then run "npx vitrine -C ${ws.root} dataset --force" again.`);
    expect(run.status, run.stderr).toBe(1);
  }, 120_000);
});

describe('the words, and what stays a bug', () => {
  const root = '/home/museum/collection';
  /** An error as Node's fs functions make them. */
  const nodeError = (code: string, syscall: string, p: string, dest?: string) =>
    Object.assign(new Error(`${code}: system error, ${syscall} '${p}'${dest ? ` -> '${dest}'` : ''}`), {
      code,
      syscall,
      path: p,
      ...(dest ? { dest } : {}),
    });

  it('a full disk or quota names the folder written to, not the temp file; too many open files names the limit', () => {
    const temp = `${root}/.vitrine/site/data/catalogue.json.a303c2b71a2e.tmp`;
    const full = environmentProblem({ error: nodeError('ENOSPC', 'link', `${root}/x`, temp), root, command: 'run' });
    expect(full).toBe(
      'The disk that holds the folder .vitrine/site/data is full (ENOSPC): Vitrine could not write there. ' +
        'Free some space on it, then run "npx vitrine run" again.',
    );
    const quota = environmentProblem({ error: nodeError('EDQUOT', 'open', temp), root, command: 'catalogue' });
    expect(quota).toContain('quota is used up on the disk that holds the folder .vitrine/site/data (EDQUOT)');
    // An outside tester under "ulimit -f": "Something went wrong that Vitrine did not expect … EFBIG", exit 70.
    const big = environmentProblem({ error: nodeError('EFBIG', 'write', temp), root, command: 'run' });
    expect(big).toBe(
      'Vitrine could not write in the folder .vitrine/site/data: a file there would be larger than this system ' +
        'lets one file be (EFBIG: a limit set with "ulimit -f", or a disk formatted FAT32, which holds files up to ' +
        '4 GB). Raise the limit, or move the repository to a disk without it, then run "npx vitrine run" again.',
    );
    const files = environmentProblem({ error: nodeError('EMFILE', 'open', temp), root, command: 'run' });
    expect(files).toContain('ulimit -n');
    const mkdirDenied = environmentProblem({
      error: nodeError('EACCES', 'mkdir', `${root}/.vitrine`),
      root,
      command: 'run',
    });
    expect(mkdirDenied).toMatch(
      /^Vitrine may not write in the folder \/home\/museum\/collection \(EACCES: permission denied\)/,
    );
    const read = environmentProblem({ error: nodeError('EACCES', 'scandir', `${root}/images`), root, command: 'run' });
    expect(read).toMatch(/^Vitrine may not read images \(EACCES: permission denied\)/);
    const open = environmentProblem({ error: nodeError('EACCES', 'open', `${root}/labels.csv`), root, command: 'run' });
    expect(open).toMatch(
      /^Vitrine may not open labels\.csv \(EACCES: permission denied\): this user may not read or change/,
    );
  });

  it('a full disk the system names no file of: the repository’s own disk when it is the full one', () => {
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
    });
    const full = environmentProblem({ error, root, command: 'run', freeBytes: () => 0 });
    expect(full).toBe(
      `The disk that holds the repository (${root}) is full (ENOSPC): Vitrine could not write there. ` +
        'Free some space on it, then run "npx vitrine run" again.',
    );
    const elsewhere = environmentProblem({ error, root, command: 'run', freeBytes: () => 5e9 });
    expect(elsewhere).toContain('a folder Vitrine writes to (the system did not say which)');
  });

  it('anything else is left to the "did not expect" path', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'label')");
    expect(environmentProblem({ error: bug, root, command: 'run' })).toBeUndefined();
    expect(
      environmentProblem({ error: new Error('EROFS is a word, not an error'), root, command: 'run' }),
    ).toBeUndefined();
    expect(
      environmentProblem({ error: nodeError('ENOENT', 'open', `${root}/a`), root, command: 'run' }),
    ).toBeUndefined();
    // A recursive mkdir's ENOENT where the nearest folder can be written is not a read-only disk.
    const missing = nodeError('ENOENT', 'mkdir', path.join(os.tmpdir(), 'vitrine-none', 'a'));
    expect(environmentProblem({ error: missing, root, command: 'run' })).toBeUndefined();
    // Other system errors keep their own words (errors.ts: systemProblem).
    expect(
      environmentProblem({ error: nodeError('ENOTDIR', 'mkdir', `${root}/a`), root, command: 'run' }),
    ).toBeUndefined();
  });
});

describe('the command to run again', () => {
  // Fault tester: a full disk during "vitrine run --force dataset" said to run "npx vitrine run" again, which skips
  // the stage that failed; "init --from …" lost where the export was.
  it('is the command as typed, without -C (messages add it) and without a secret', async () => {
    const { commandAsTyped, hoistGlobalOptions } = await import('../../pipeline/cli.ts');
    const typed = (...argv: string[]) => commandAsTyped(hoistGlobalOptions(argv));
    expect(typed('run', '--force', 'dataset')).toBe('run --force dataset');
    expect(typed('-C', '../our museum', 'data', 'status', '--remote')).toBe('data status --remote');
    expect(typed('init', '--from', 'export/Objets d’art.csv', '--yes', '--secret-access-key', 'AbC/123')).toBe(
      "init --from 'export/Objets d’art.csv' --yes --secret-access-key <your-secret-key>",
    );
    expect(typed('init', '--secret-access-key=AbC/123', '--cwd=../m')).toBe(
      'init --secret-access-key <your-secret-key>',
    );
    // The reviewer: a password in an address was repeated in full; -C glued to its folder was kept.
    expect(typed('data', 'remote', 'https://cur@tor:t@k3n@dav.museum.example/s', '--', 'https://a:b@c/d')).toBe(
      'data remote https://dav.museum.example/s -- https://c/d',
    );
    expect(typed('init', '--remote', 'https://curator:tok3n@dav.museum.example/store', '-C../m')).toBe(
      'init --remote https://dav.museum.example/store',
    );
    expect(typed('label', 'set', '--', '-C', 'x')).toBe('label set -- -C x');
  });
});
