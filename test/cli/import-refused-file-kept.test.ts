import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/*
 * A reviewer: under import.on_invalid "skip", a row whose image file could not be used (not an image, unreadable)
 * dropped the whole object, whereas a missing file or a broken link kept the object without a picture. The object
 * is now kept the same way, without a picture (or with the one it had), the refused file listed, and the summary
 * says so apart from refused rows; the exit code is still 1. Failed before the fix.
 *
 * A reviewer, later: the same file, unchanged and already refused and recorded (data/.refused-images.json), was said
 * again as newly refused on every import under "skip", which exited 1 forever (under "fail" it was "still refused"
 * and 0). It is now said as still refused and not counted: the re-import exits 0; a file changed since is refused
 * afresh, and exits 1.
 */

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-refused-file-kept-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('keeps the object of a refused image file without a picture, as one whose file is missing', async () => {
  const dir = path.join(root, 'export');
  await mkdir(dir);
  for (const id of ['A1', 'A2', 'B1', 'B2'])
    await writeFile(path.join(dir, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
  await writeFile(path.join(dir, 'C1.jpg'), 'This is a text file, not a photograph.\n');
  const csv = path.join(dir, 'objects.csv');
  await writeFile(
    csv,
    'id,image,label,title\nA1,A1.jpg,coin,C\nA2,A2.jpg,coin,C\nB1,B1.jpg,jar,J\nB2,B2.jpg,jar,J\n' +
      'C1,C1.jpg,jar,Text\nM1,missing.jpg,jar,Missing\n',
  );
  const museum = path.join(root, 'museum');
  await mkdir(museum);
  const init = await runCli(museum, ['init', '--from', csv, '--name', 'T Kept', '--yes', '--on-invalid', 'skip']);
  expect(init.code, init.messages).toBe(1);
  const objects = await readFile(path.join(museum, 'data', 'objects.csv'), 'utf8');
  // The missing file's object and the refused file's object alike: in data/objects.csv, without an image.
  expect(objects).toMatch(/^M1,Missing,[^\n]*,$/m);
  expect(objects).toMatch(/^C1,Text,[^\n]*,$/m);
  expect(init.messages).toContain('the image "C1.jpg" of object "C1" is not an image');
  expect(init.messages).toContain('1 image file was refused');

  // Imported again unchanged: still refused, no new problem.
  const unchanged = await runCli(museum, ['import']);
  expect(unchanged.code, unchanged.messages).toBe(0);
  expect(unchanged.messages).toContain('the image "C1.jpg" of object "C1" is still refused');
  expect(unchanged.messages).not.toContain('image file was refused');
  expect(await readFile(path.join(museum, 'data', 'objects.csv'), 'utf8')).toMatch(/^C1,Text,[^\n]*,$/m);

  // The file changed since (another text file): refused afresh, and said so.
  await writeFile(path.join(dir, 'C1.jpg'), 'Still a text file, written again.\n');
  const again = await runCli(museum, ['import']);
  expect(again.code, again.messages).toBe(1);
  expect(again.messages).toContain('the object is imported without an image.');
  expect(again.messages).toContain('1 image file was refused (listed above; import.on_invalid is "skip")');
  expect(again.messages).toContain('(C1)');
  // One file: "its object was imported without it", not "without them" (an outside tester).
  expect(again.messages).toContain('its object was imported without it, or kept the image it had (C1)');
  expect(again.messages).not.toMatch(/rows? (was|were) refused/);
}, 120_000);
