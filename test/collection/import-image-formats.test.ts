import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Session 37, 2026-12-04, from an outside tester's list: a museum's master files (JPEG 2000, camera raw, Photoshop)
 * and a download that failed were all "not an image: import takes JPEG, PNG, …", with no word on what the file is
 * or what to do; a JPEG Windows saved as .jfif was "not an image" too.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-image-formats-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const FILES: [name: string, content: Buffer, said: RegExp][] = [
  [
    'jp2.jp2',
    bytes([0, 0, 0, 12], 'jP  \r\n\x87\n', [0, 0, 0, 20], 'ftypjp2 '),
    /is a JPEG 2000 image.*save a copy as JPEG or TIFF/,
  ],
  ['codestream.j2k', bytes([0xff, 0x4f, 0xff, 0x51, 0, 0x2f]), /is a JPEG 2000 image/],
  ['raw.CR2', bytes('II*\x00\x10\x00\x00\x00CR\x02\x00'), /is a camera raw file \(\.CR2\).*export it as JPEG or TIFF/],
  ['raw.nef', bytes('MM\x00*\x00\x00\x00\x08'), /is a camera raw file \(\.nef\)/],
  ['layers.psd', bytes('8BPS\x00\x01\x00\x00'), /is a Photoshop document.*save a copy as JPEG or TIFF/],
  ['paint.bmp', bytes('BM\x36\x00\x0c\x00\x00\x00'), /is a BMP \(Windows bitmap\) image/],
  ['page.jpg', bytes('\n<!DOCTYPE html><html><body>404 Not Found</body></html>'), /is a web page \(HTML\).*download/],
  ['scan.pdf', bytes('%PDF-1.7\n'), /is a PDF document/],
  ['text.jpg', bytes('just some notes'), /is not an image: import takes JPEG, PNG/],
  // A reviewer: the tag that says what these are comes after the first 128 bytes, which was all import read.
  [
    'drawing.svg',
    bytes(
      '<?xml version="1.0" encoding="utf-8"?>\r\n<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . ' +
        'SVG Version: 6.00 Build 0)  -->\r\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" ' +
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\r\n<svg version="1.1" id="Layer_1">',
    ),
    /is an SVG drawing/,
  ],
  [
    'saved.jpg',
    bytes(
      '\n'.repeat(3),
      '<!-- saved from url=(0093)https://collections.example.org/iiif/2/1987.12.4/full/max/0/default.jpg?download ' +
        'token=expired -->\n<!DOCTYPE html><html lang="en"><head><title>Session expired</title>',
    ),
    /is a web page \(HTML\).*download/,
  ],
];

describe('an image import cannot read', () => {
  it('is named for what it is, with what to do', async () => {
    const dir = path.join(root, 'formats');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    await writeFile(path.join(dir, 'images', 'good.jpg'), JPEG);
    for (const [name, content] of FILES) await writeFile(path.join(dir, 'images', name), content);
    const rows = [['G-0', 'good.jpg'], ...FILES.map(([name], i) => [`F-${i}`, name])];
    const csv = path.join(dir, 'export.csv');
    await writeFile(csv, ['id,image', ...rows.map((r) => r.join(','))].join('\n'));
    const p = defaultParams();
    p.import.on_invalid = 'skip';
    const result = await importCollection({
      ws: workspace(path.join(dir, 'repo')),
      params: p,
      metadata: csv,
      images: path.join(dir, 'images'),
      log: memoryLogger(),
    });
    // Under skip the objects are imported without the files, which are listed (a reviewer: the objects went).
    expect(result.objects).toBe(1 + FILES.length);
    for (const [i, [name, , said]] of FILES.entries()) {
      const refused = result.problems.filter((r) => r.imageRefused).find((r) => r.object === `F-${i}`);
      expect(refused?.message, name).toMatch(said);
    }
  });
});
