import path from 'node:path';
import { md5Of, prepareModelInput, readImageBytes } from '../dataset/images.ts';
import { VitrineError } from '../errors.ts';
import type { Backbone } from './backbone.ts';

/*
 * The unit of embedding work shared by the main thread and the worker threads, so that both
 * produce exactly the same vectors: read and prepare each image, optionally mirror it, embed.
 */

export interface EmbedJob {
  id: number;
  items: { key: string; file: string }[];
  /** Embed the image as it is. */
  plain: boolean[];
  /** Also embed the mirrored image. */
  flip: boolean[];
}

export interface EmbeddedImage {
  key: string;
  vector?: Float32Array;
  flipped?: Float32Array;
}

export type EmbedJobResult =
  | { id: number; results: EmbeddedImage[] }
  | { id: number; error: { code: string; message: string; data: Record<string, unknown> } };

/**
 * Prepare and embed one batch of images. Each image's bytes are hashed as they are read: a vector
 * is cached under its key (the md5 the dataset recorded), so bytes that no longer match it — an image
 * replaced after the dataset was built — would poison the cache for good. That is IMAGE_CHANGED.
 */
export async function embedBatch({
  backbone,
  job,
  maxPixels,
  background,
  root,
}: {
  backbone: Backbone;
  job: EmbedJob;
  maxPixels: number;
  background: string;
  root?: string;
}): Promise<EmbeddedImage[]> {
  const inputs: Uint8Array[] = [];
  const slots: { index: number; flipped: boolean }[] = [];
  for (const [index, item] of job.items.entries()) {
    const data = await readImageBytes({ file: item.file });
    const found = md5Of(data);
    if (found !== item.key) {
      const shown = shownPath({ file: item.file, root });
      throw new VitrineError(
        'IMAGE_CHANGED',
        `${shown} changed since the dataset was built; run \`vitrine run dataset\` (or \`vitrine run\`).`,
        { file: shown, expected: item.key, found },
      );
    }
    const pixels = await prepareModelInput({
      file: item.file,
      data,
      size: backbone.inputSize,
      fit: backbone.fit,
      maxPixels,
      background,
    });
    if (job.plain[index]) {
      inputs.push(pixels);
      slots.push({ index, flipped: false });
    }
    if (job.flip[index]) {
      inputs.push(flipHorizontal({ pixels, size: backbone.inputSize }));
      slots.push({ index, flipped: true });
    }
  }
  const vectors = await backbone.embed(inputs);
  const out: EmbeddedImage[] = job.items.map((item) => ({ key: item.key }));
  slots.forEach((slot, i) => {
    if (slot.flipped) out[slot.index]!.flipped = vectors[i]!;
    else out[slot.index]!.vector = vectors[i]!;
  });
  return out;
}

/** `file` relative to `root` with forward slashes when it lies inside it (as the museum sees it), else as given. */
export function shownPath({ file, root }: { file: string; root?: string }): string {
  if (!root) return file;
  const rel = path.relative(root, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

/** The mirror image (left-right) of a square RGB image. */
export function flipHorizontal({ pixels, size }: { pixels: Uint8Array; size: number }): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < size; y++) {
    const row = y * size * 3;
    for (let x = 0; x < size; x++) {
      const from = row + x * 3;
      const to = row + (size - 1 - x) * 3;
      out[to] = pixels[from]!;
      out[to + 1] = pixels[from + 1]!;
      out[to + 2] = pixels[from + 2]!;
    }
  }
  return out;
}
