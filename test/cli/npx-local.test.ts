import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * Tester, session 22 #1: two `npx vitrine` started at once in Vitrine's folder; one failed with
 * "npm error 404 Not Found - GET https://registry.npmjs.org/vitrine". With no node_modules/.bin/vitrine,
 * npx falls back to looking the name up on the npm registry, where anyone could publish a "vitrine".
 * `npm ci` must link the project's own command into node_modules/.bin, so npx always finds it locally.
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A copy of the project's package.json and bin/, with its sources linked in (node_modules stays empty). */
async function project(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'vitrine-npx-'));
  folders.push(folder);
  await cp(path.join(ROOT, 'package.json'), path.join(folder, 'package.json'));
  await cp(path.join(ROOT, 'bin'), path.join(folder, 'bin'), { recursive: true });
  await symlink(path.join(ROOT, 'pipeline'), path.join(folder, 'pipeline'));
  return folder;
}

describe('npx vitrine in Vitrine’s own folder', () => {
  it('npm’s install scripts link the vitrine command into node_modules/.bin', async () => {
    const folder = await project();
    const pkg = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // `npm ci` runs the root project's prepare script after installing (not when installed as a dependency).
    expect(pkg.scripts.prepare, 'package.json scripts.prepare').toBeDefined();
    await run('npm', ['run', 'prepare', '--silent'], {
      cwd: folder,
      env: { ...process.env, npm_config_offline: 'true' },
    });
    const link = path.join(folder, 'node_modules', '.bin', 'vitrine');
    expect(path.resolve(path.dirname(link), await readlink(link))).toBe(path.join(folder, 'bin', 'vitrine.js'));
    // Running it twice (npm install after npm ci) keeps the link.
    await run('npm', ['run', 'prepare', '--silent'], {
      cwd: folder,
      env: { ...process.env, npm_config_offline: 'true' },
    });
    const { stdout } = await run(link, ['-V'], { cwd: folder });
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(stdout).toContain(version);
  });

  it('with the link present, npx vitrine -V runs without the network', async () => {
    const folder = await project();
    await run('npm', ['run', 'prepare', '--silent'], {
      cwd: folder,
      env: { ...process.env, npm_config_offline: 'true' },
    });
    const { stdout } = await run('npx', ['vitrine', '-V'], {
      cwd: folder,
      env: { ...process.env, npm_config_offline: 'true', npm_config_registry: 'http://127.0.0.1:9/' },
    });
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(stdout).toContain(version);
  });

  it('an install where the link cannot be made still succeeds, saying what to type instead', async () => {
    const folder = await project();
    // node_modules/.bin is a file: no folder, no link (as on a file system without links).
    await mkdir(path.join(folder, 'node_modules'));
    await writeFile(path.join(folder, 'node_modules', '.bin'), '');
    const { stderr } = await run(process.execPath, [path.join(folder, 'bin', 'link-self.js')], { cwd: folder });
    expect(stderr).toContain('could not link the vitrine command');
    expect(stderr).toContain('npm run vitrine -- <command>');
  });
});
