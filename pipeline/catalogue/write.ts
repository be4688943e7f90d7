import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs.ts';

/*
 * Catalogue files are written only when their bytes change, so a rebuild after one label change
 * leaves the other 99,999 IIIF manifests (and their hard links in the site) as they were; and large
 * files are written as a stream of pieces rather than made into one string first (at 100,000
 * objects `catalogue.json` is over 100 MB of text, twice that as a JavaScript string). Every write
 * stays atomic: a temporary file, then a rename.
 */

/** Write `data` to `file` (atomically) unless the file already holds exactly these bytes; true when written. */
export async function writeIfChanged({ file, data }: { file: string; data: string }): Promise<boolean> {
  const bytes = Buffer.from(data);
  if (sameBytes(file, bytes)) return false;
  await writeFileAtomic({ file, data: bytes });
  return true;
}

/**
 * Whether `file` holds exactly `bytes`. Read synchronously: for a small file that takes microseconds,
 * less than the four round trips through the thread pool of an asynchronous read (100,000 manifests).
 */
function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    return readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/** Pieces gathered up to this size before a write: fewer, larger writes. */
const BATCH = 1 << 20;

/**
 * Write the concatenation of `pieces` to `file` through a stream (a temporary file next to it,
 * then a rename), unless the file already holds exactly these bytes; true when written.
 */
export async function writePiecesIfChanged({
  file,
  pieces,
}: {
  file: string;
  pieces: Iterable<string>;
}): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const out = createWriteStream(temp);
  let size = 0;
  try {
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    failed.catch(() => {});
    let batch: string[] = [];
    let length = 0;
    const flush = async () => {
      const chunk = Buffer.from(batch.join(''));
      batch = [];
      length = 0;
      size += chunk.length;
      if (!out.write(chunk)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
    };
    for (const piece of pieces) {
      batch.push(piece);
      length += piece.length;
      if (length >= BATCH) await flush();
    }
    await flush();
    await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
    const old = await stat(file).catch(() => null);
    if (old?.isFile() && old.size === size && (await sameFiles(file, temp, size))) {
      await rm(temp, { force: true });
      return false;
    }
    await rename(temp, file);
    return true;
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Whether two files of `size` bytes hold the same bytes, read side by side up to the first
 * difference: `catalogue.json` differs from the last build's in its first bytes (the build time),
 * so a rebuild reads 1 MB of it, not all of it (167 MB at 100,000 objects) twice through a hash.
 */
async function sameFiles(a: string, b: string, size: number): Promise<boolean> {
  const [ha, hb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const [ba, bb] = [Buffer.alloc(BATCH), Buffer.alloc(BATCH)];
    for (let at = 0; at < size; at += BATCH) {
      const [ra, rb] = await Promise.all([ha.read(ba, 0, BATCH, at), hb.read(bb, 0, BATCH, at)]);
      if (ra.bytesRead !== rb.bytesRead || !ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead)))
        return false;
      if (ra.bytesRead === 0) break;
    }
    return true;
  } finally {
    await Promise.all([ha.close(), hb.close()]);
  }
}

/**
 * `JSON.stringify(value)` in pieces, for an object whose `key` holds a long array: the rest of the
 * object as one piece, then each element of the array. The bytes equal `JSON.stringify(value)`.
 */
export function* jsonPieces<T extends Record<string, unknown>>(
  value: T,
  key: keyof T & string,
  each: (item: never) => unknown = (item) => item,
): Generator<string> {
  const items = value[key] as unknown[];
  const mark = `\u0000vitrine-pieces-${randomBytes(6).toString('hex')}\u0000`;
  const whole = JSON.stringify({ ...value, [key]: mark });
  const at = whole.indexOf(JSON.stringify(mark));
  yield `${whole.slice(0, at)}[`;
  for (let i = 0; i < items.length; i++) yield `${i ? ',' : ''}${JSON.stringify(each(items[i] as never))}`;
  yield `]${whole.slice(at + JSON.stringify(mark).length)}`;
}
