import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

/*
 * An outside tester: an image in a folder this user may not open (chmod 000 images/locked) was "not found", the
 * object imported without it, exit 0; image files this user may not read stopped the import one at a time (two
 * locked files: the first named only), even with import.on_invalid: skip. Each is now a refused row that says
 * permission: every one listed at once, and under skip the other rows are imported. The files are really
 * unreadable for the importing process: for root (whom chmod does not stop) the import runs as user nobody.
 */

const NODE = path.resolve('node_modules/.bin/node');
const RUNNER = path.resolve('test/collection/import-read-only-runner.ts');
const isRoot = process.getuid?.() === 0;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]);
let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-unreadable-'));
});
afterAll(async () => {
  await chmod(path.join(base, 'export', 'images', 'locked'), 0o755).catch(() => {});
  await rm(base, { recursive: true, force: true });
});

async function openTree(dir: string): Promise<void> {
  await chmod(dir, 0o777);
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, item.name);
    if (item.isSymbolicLink()) continue;
    if (item.isDirectory()) await openTree(p);
    else await chmod(p, 0o666);
  }
}

function importAs(repo: string, csv: string, images: string, onInvalid: string) {
  const run = spawnSync(NODE, [RUNNER, repo, csv, images, onInvalid], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: base,
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { code?: string; message: string; objects?: number; refused?: string[] };
}

it('images this user may not read are refused rows saying permission, all listed, the rest imported with skip', async () => {
  const images = path.join(base, 'export', 'images');
  await mkdir(path.join(images, 'locked'), { recursive: true });
  for (const name of ['A.png', 'B.png', 'C.png', 'locked/D.png']) await writeFile(path.join(images, name), PNG);
  const csv = path.join(base, 'export', 'objects.csv');
  await writeFile(
    csv,
    'id,image,label,title\nA,A.png,coin,Coin\nB,B.png,coin,Coin\nC,C.png,coin,Coin\nD,locked/D.png,coin,Coin\n',
  );
  for (const name of ['fail', 'skip']) await mkdir(path.join(base, name, 'data'), { recursive: true });
  await openTree(base);
  await chmod(path.join(images, 'A.png'), 0o000);
  await chmod(path.join(images, 'B.png'), 0o000);
  await chmod(path.join(images, 'locked'), 0o000);

  const failed = importAs(path.join(base, 'fail'), csv, images, 'fail');
  expect(failed.message).not.toBe('it did not fail');
  expect(failed.message).not.toContain('was not found');
  for (const name of ['A.png', 'B.png', 'locked/D.png']) expect(failed.message).toContain(`"${name}"`);
  expect(failed.message).toMatch(/permission/);

  // Under skip the objects are imported without the files they cannot read, as without a missing file (a reviewer:
  // they were dropped whole), and the files are listed.
  const skipped = importAs(path.join(base, 'skip'), csv, images, 'skip');
  expect(skipped.message).toBe('it did not fail');
  expect(skipped.objects).toBe(4);
  expect(skipped.refused).toHaveLength(0);
  const notes = (skipped as { notes?: string[] }).notes!;
  expect(notes).toHaveLength(3);
  expect(notes.join('\n')).not.toContain('was not found');
  expect(notes[0]).toContain('"A.png"');
  expect(notes[0]).toMatch(/cannot be read: this user may not read it \(EACCES/);
  expect(notes[0]).toContain(
    'The file is refused (import.on_invalid is "skip"): the object is imported without an image.',
  );
  expect(notes[2]).toContain('"locked/D.png"');
  expect(notes[2]).toMatch(/cannot be read: this user may not open the folder "locked" in the images folder \(EACCES/);
}, 120_000);

// An outside tester: an images folder this user may not open at all (chmod 000 on the folder itself) was named as
// if it were a file ("may not read it") or a folder inside it. The message now says it is the images folder.
it('a locked images folder is named as the images folder, not as a file or a folder in it', async () => {
  const images = path.join(base, 'locked-export', 'images');
  await mkdir(images, { recursive: true });
  for (const name of ['A.png', 'B.png']) await writeFile(path.join(images, name), PNG);
  const csv = path.join(base, 'locked-export', 'objects.csv');
  await writeFile(csv, 'id,image,label,title\nA,A.png,coin,Coin\nB,B.png,coin,Coin\n');
  await mkdir(path.join(base, 'locked-repo', 'data'), { recursive: true });
  await openTree(base);
  await chmod(images, 0o000);
  try {
    const failed = importAs(path.join(base, 'locked-repo'), csv, images, 'fail');
    expect(failed.message).not.toBe('it did not fail');
    expect(failed.message).toContain(`may not open the images folder (${images})`);
    expect(failed.message).not.toContain('may not read it');
    expect(failed.message).not.toContain('was not found');
  } finally {
    await chmod(images, 0o755);
  }
}, 120_000);
