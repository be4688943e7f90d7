import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { writeLabels, writeObjects } from '../../pipeline/collection/index.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { CollectionObject } from '../../pipeline/types.ts';

const created: string[] = [];

/** A fresh temp directory, removed by `removeTempDirs`. */
export async function tempDir(prefix = 'vitrine-dataset-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Remove every temp directory made by this test file (call it in afterAll). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A solid-colour image of the given size, encoded as PNG (or as `format`). */
export async function solidImage({
  width = 48,
  height = 32,
  colour = '#c0221c',
  format = 'png',
}: {
  width?: number;
  height?: number;
  colour?: string;
  format?: 'png' | 'jpeg';
} = {}): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer();
}

/**
 * A PNG whose header claims `width`×`height` pixels but whose data is tiny: what a decompression
 * bomb looks like to a decoder that trusts the header.
 */
export function pixelBombPng({ width = 50_000, height = 50_000 }: { width?: number; height?: number } = {}): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An object with every field empty except the id and image. */
export function object(
  id: string,
  image = `images/${id}.png`,
  extra: Partial<CollectionObject> = {},
): CollectionObject {
  return {
    id,
    title: `Object ${id}`,
    maker: '',
    date: '',
    department: '',
    medium: '',
    creditLine: '',
    rights: '',
    description: '',
    image,
    extra: {},
    ...extra,
  };
}

/** Params with a small vocabulary and small thumbnails, for fast synthetic collections. */
export function testParams(edit?: (p: Params) => void): Params {
  const params = defaultParams();
  params.collection.vocabulary = ['coin', 'mask', 'vessel'];
  params.dataset.thumbnails.widths = [32, 64];
  params.dataset.min_test_per_class = 0;
  edit?.(params);
  return params;
}

/**
 * A workspace in a temp dir with `data/objects.csv`, `labels.csv` and one image per object; each
 * image's colour is derived from `colourOf(id)` so different ids have different bytes unless asked.
 */
export async function makeCollection({
  objects,
  labels,
  images,
  labelsText,
  objectsText,
}: {
  objects: CollectionObject[];
  labels?: { objectId: string; label: string }[];
  /** Image bytes by path relative to data/; default: a distinct solid PNG per object. */
  images?: Record<string, Buffer>;
  /** Raw labels.csv text (instead of `labels`), for duplicates and odd lines. */
  labelsText?: string;
  /** Raw objects.csv text (instead of `objects`), for duplicate ids. */
  objectsText?: string;
}): Promise<Workspace> {
  const ws = workspace(await tempDir());
  await mkdir(ws.images, { recursive: true });
  if (objectsText !== undefined) await writeFile(ws.objects, objectsText);
  else await writeObjects({ file: ws.objects, objects });
  if (labelsText !== undefined) await writeFile(ws.labels, labelsText);
  else if (labels) await writeLabels({ file: ws.labels, labels });
  const files =
    images ??
    Object.fromEntries(
      await Promise.all(
        objects
          .filter((o) => o.image)
          .map(async (o, i) => [o.image, await solidImage({ colour: colourFor(i) })] as const),
      ),
    );
  for (const [rel, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws.data, rel)), { recursive: true });
    await writeFile(path.join(ws.data, rel), data);
  }
  return ws;
}

/** A distinct colour for the i-th object (so every image has different bytes). */
export function colourFor(i: number): string {
  return `#${(0x102030 + i * 0x010307).toString(16).slice(-6).padStart(6, '0')}`;
}
