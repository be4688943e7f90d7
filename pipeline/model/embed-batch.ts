import { prepareModelInput } from '../dataset/images.ts';
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

export type EmbedJobResult = { id: number; results: EmbeddedImage[] } | { id: number; error: { code: string; message: string; data: Record<string, unknown> } };

/** Prepare and embed one batch of images. */
export async function embedBatch({ backbone, job, maxPixels, background }: { backbone: Backbone; job: EmbedJob; maxPixels: number; background: string }): Promise<EmbeddedImage[]> {
  const inputs: Uint8Array[] = [];
  const slots: { index: number; flipped: boolean }[] = [];
  for (const [index, item] of job.items.entries()) {
    const pixels = await prepareModelInput({ file: item.file, size: backbone.inputSize, fit: backbone.fit, maxPixels, background });
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
