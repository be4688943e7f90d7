import { spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/*
 * A reviewer: an import that had placed its files (data/, data/objects.csv, labels.csv) and then failed in a later
 * step (removing the images of objects no longer exported, in a data/images this user may not change) took its
 * note away, so "vitrine run" went on with data.dvc not recording what data/ holds. The note now stays and says
 * which step failed, not that the import was "interrupted". Root may change any folder: as root, the import runs
 * as user nobody, who owns the repository but not data/images.
 */

const NODE = path.resolve('node_modules/.bin/node');
const BIN = path.resolve('bin/vitrine.js');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
const asRoot = process.getuid?.() === 0;
let root: string;
let museum: string;

async function exportOf(name: string, ids: string[]): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  for (const id of ids) await writeFile(path.join(dir, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
  const rows = ids.map((id) => [id, `${id}.jpg`, id.startsWith('C') ? 'coin' : 'vessel', 'Thing']);
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image', 'label', 'title'], ...rows]));
  return path.join(dir, 'objects.csv');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-after-placed-'));
  museum = path.join(root, 'museum');
  await mkdir(museum);
  const first = await exportOf('export-1', ['C1', 'C2', 'C3', 'V1', 'V2', 'V3']);
  const init = await runCli(museum, ['init', '--from', first, '--name', 'T After', '--yes']);
  expect(init.code, init.messages).toBe(0);
}, 120_000);

afterAll(async () => {
  await chmod(path.join(museum, 'data', 'images'), 0o755).catch(() => {});
  await rm(root, { recursive: true, force: true });
});

it('keeps the note when removing old images fails after the files were placed, and says which step failed', async () => {
  const second = await exportOf('export-2', ['C1', 'C2', 'C3', 'V1', 'V2']);
  spawnSync('chmod', ['-R', 'a+rX', root]);
  const images = path.join(museum, 'data', 'images');
  if (asRoot) {
    spawnSync('chown', ['-R', '65534:65534', museum]);
    await chown(images, 0, 0);
    await chmod(images, 0o755);
  } else await chmod(images, 0o555);
  const run = spawnSync(NODE, [BIN, 'import', '--metadata', second], {
    cwd: museum,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: root },
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  const output = `${run.stdout}${run.stderr}`;
  if (process.env.SHOW) console.log(output);
  expect(run.status, output).not.toBe(0);
  // The import had placed data/objects.csv without V3 before it failed.
  expect(await readFile(path.join(museum, 'data', 'objects.csv'), 'utf8')).not.toContain('V3');
  expect((await stat(path.join(museum, '.vitrine', 'import-unfinished.json'))).isFile()).toBe(true);
  expect(output).toContain('removing the images of objects no longer exported');
  expect(output).toContain('data.dvc does not record');
  expect(output).toContain(`run the same import again (npx vitrine import --metadata ${second})`);
  const refused = await runCli(museum, ['run', 'dataset']);
  expect(refused.code, refused.messages).toBe(1);
  if (process.env.SHOW) console.log(refused.messages);
  expect(refused.messages).toContain('Nothing was run.');
  expect(refused.messages).toContain('then failed while removing the images of objects no longer exported');
  expect(refused.messages).not.toContain('interrupted');
  expect(refused.messages).not.toContain('stopped before it finished');
}, 180_000);
