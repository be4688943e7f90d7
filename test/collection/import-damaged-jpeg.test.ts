import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * An outside tester: a JPEG whose second half was overwritten with zero bytes (a damaged copy) was imported without
 * a word, and decodes to a picture whose bottom half is grey; sharp reports nothing for it, even with failOn
 * "warning". Import now warns, naming the file, line and object; a whole JPEG, one with padding after its end, and
 * one with data after its end (a phone's motion photo) are imported without a warning. Failed before the fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-damaged-jpeg-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A real photograph-like JPEG: noise, so that its compressed data is spread over the whole file. */
async function photograph(seed: number): Promise<Buffer> {
  const width = 192;
  const height = 192;
  const raw = Buffer.alloc(width * height * 3);
  let x = seed;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = (x >> 16) & 255;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

it('warns of a JPEG whose second half is zero bytes, and not of whole or merely unusual ones', async () => {
  const dir = path.join(root, 'export');
  await mkdir(dir, { recursive: true });
  const whole = await photograph(1);
  const zeroed = Buffer.from(await photograph(2));
  zeroed.fill(0, Math.floor(zeroed.length / 2));
  const padded = Buffer.concat([await photograph(3), Buffer.alloc(512)]);
  const motion = Buffer.concat([await photograph(4), Buffer.from('\0\0\0\x18ftypmp42 a video follows')]);
  // The damage sharp does not tell: it decodes the zeroed file without an error.
  await expect(sharp(zeroed, { failOn: 'warning' }).stats()).resolves.toBeDefined();
  const files = { 'A.jpg': whole, 'B.jpg': zeroed, 'C.jpg': padded, 'D.jpg': motion };
  for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
  const metadata = path.join(dir, 'objects.csv');
  await writeFile(metadata, 'id,image,label,title\nA,A.jpg,coin,A\nB,B.jpg,coin,B\nC,C.jpg,coin,C\nD,D.jpg,coin,D\n');
  const log = memoryLogger();
  const result = await importCollection({
    ws: workspace(path.join(root, 'repo')),
    params: defaultParams(),
    metadata,
    log,
  });
  expect(result.objects).toBe(4);
  const notes = result.problems.filter((p) => !p.refused);
  expect(notes.map((p) => p.object)).toEqual(['B']);
  expect(notes[0]!.line).toBe(3);
  expect(notes[0]!.message).toContain('"B.jpg"');
  expect(notes[0]!.message).toMatch(/zero bytes/);
  expect(notes[0]!.message).toMatch(/grey/);
});
