import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isVitrineError, VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import { type Logger, silentLogger } from '../log.ts';
import { listWords } from '../words.ts';

/*
 * Embeddings on disk, packed: a folder of segment files, each holding many vectors (a JSON list of
 * keys, then the float32 values). One segment is written per batch of new vectors, atomically, so
 * an interrupted run keeps what it finished and a reader never sees half a file. Many small runs
 * make many segments; they are merged into one when there are too many. 10,000 vectors of 1,792
 * floats are one 72 MB file that loads in a fraction of a second — far cheaper than 10,000 files.
 *
 * Segment layout: "VTEMB01\n", uint32 LE header length, header JSON {dim, keys, sha256}, zero padding
 * to a multiple of 4, then keys.length × dim float32 little-endian. sha256 covers {dim, keys} and the
 * values: a file damaged without changing its size (bad blocks, a cache restored wrongly) would
 * otherwise be read as vectors, and a model trained on them is garbage. Hashing costs ~0.1 s per
 * 72 MB. Segments written before the checksum have none; for them, values that are not finite
 * numbers (what overwritten bytes usually read as) are taken as damage. A vector that is not finite
 * numbers (a backbone can give NaN) is never written, so only damage can put one in a file — except
 * in checksummed segments written before that check: there such a vector is simply left out.
 */

const MAGIC = Buffer.from('VTEMB01\n', 'latin1');
const SUFFIX = '.emb';

export interface EmbeddingStore {
  folder: string;
  /** Vectors by key (all segments). */
  vectors: Map<string, Float32Array>;
  /** Segment files read. */
  segments: string[];
}

/**
 * Read every segment of a store folder; a missing folder is an empty store. A damaged segment (a
 * disk that filled up, a cache restored in part) is deleted with a warning, so its embeddings are
 * computed again instead of every run stopping on it.
 */
export async function openStore({
  folder,
  log = silentLogger,
}: {
  folder: string;
  log?: Logger;
}): Promise<EmbeddingStore> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await readStore(folder, log);
    } catch (error) {
      // A concurrent compaction may delete a segment between listing and reading: list again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 2) continue;
      throw error;
    }
  }
}

async function readStore(folder: string, log: Logger): Promise<EmbeddingStore> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith(SUFFIX)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { folder, vectors: new Map(), segments: [] };
    throw error;
  }
  const vectors = new Map<string, Float32Array>();
  const segments: string[] = [];
  const known = decoded.folder === folder ? decoded.segments : new Map<string, DecodedSegment>();
  const kept = new Map<string, DecodedSegment>();
  for (const name of names) {
    const file = path.join(folder, name);
    let segment: ReturnType<typeof decodeSegment>;
    const info = await stat(file);
    const signature = `${info.ino}:${info.size}:${info.mtimeMs}`;
    const cached = known.get(name);
    try {
      segment = cached?.signature === signature ? cached : decodeSegment({ bytes: await readFile(file), file });
    } catch (error) {
      if (!isVitrineError(error, 'EMBEDDING_STORE')) throw error;
      // Deleted rather than kept aside: CI saves this folder, and a kept copy would travel with it.
      await rm(file, { force: true });
      log.warn(
        `${file}: this embedding cache file was damaged (${String(error.data.why ?? 'unreadable')}); it was ` +
          `deleted and the embeddings it held will be computed again.`,
      );
      continue;
    }
    const { dim, keys, data } = segment;
    keys.forEach((key, i) => vectors.set(key, data.subarray(i * dim, (i + 1) * dim)));
    segments.push(name);
    kept.set(name, { ...segment, signature });
  }
  decoded = { folder, segments: kept };
  return { folder, vectors, segments };
}

/** A segment as decoded, with the file's identity (inode, size, modification time) when it was read. */
type DecodedSegment = ReturnType<typeof decodeSegment> & { signature: string };

/*
 * The segments of the folder opened last, kept decoded: the stages of one run (train, evaluate,
 * promote) open the same cache again and again, and at 100,000 objects each read is 717 MB. A
 * segment is never rewritten in place (appendSegment and compactStore write new files), so one
 * whose file is still the same is reused; only one folder is kept, so memory stays one store's.
 */
let decoded: { folder: string; segments: Map<string, DecodedSegment> } = { folder: '', segments: new Map() };

/** Let the decoded segments go (the catalogue stage needs no vectors in this process, and they are large). */
export function forgetDecodedSegments(): void {
  decoded = { folder: '', segments: new Map() };
}

/**
 * Write vectors as one new segment (atomic); returns its file name. A vector holding a value that is
 * not a finite number is left out with a warning naming its key (callers that know the image check
 * first, with isFiniteVector, and name the file): written, it would make the segment read as damaged.
 */
export async function appendSegment({
  folder,
  entries: given,
  log = silentLogger,
}: {
  folder: string;
  entries: [string, Float32Array][];
  log?: Logger;
}): Promise<string | undefined> {
  const entries = given.filter(([, v]) => isFiniteVector(v));
  if (entries.length < given.length) {
    const left = given.filter(([, v]) => !isFiniteVector(v)).map(([key]) => key);
    log.warn(
      `The embeddings of ${listWords(left, { last: ',', max: 10 })} hold values that are not numbers; they were not saved in the ` +
        `embedding cache (${folder}).`,
    );
  }
  if (entries.length === 0) return undefined;
  const name = `${Date.now().toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}${SUFFIX}`;
  await writeFileAtomic({ file: path.join(folder, name), data: encodeSegment(entries) });
  return name;
}

/** Merge all segments into one when there are more than `maxSegments`. */
export async function compactStore({
  store,
  maxSegments = 8,
}: {
  store: EmbeddingStore;
  maxSegments?: number;
}): Promise<boolean> {
  if (store.segments.length <= maxSegments) return false;
  const merged = await appendSegment({ folder: store.folder, entries: [...store.vectors] });
  // Only the segments that were read are removed: anything written meanwhile by another run stays.
  await Promise.all(store.segments.map((name) => rm(path.join(store.folder, name), { force: true })));
  store.segments = merged ? [merged] : [];
  return true;
}

/** Whether every value of `v` is a finite number (x − x is 0 for a finite x, NaN otherwise: no branch per value). */
export function isFiniteVector(v: Float32Array): boolean {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! - v[i]!;
  return sum === 0;
}

/** Bytes of a segment holding `entries` (all vectors the same length, all finite numbers). */
export function encodeSegment(entries: [string, Float32Array][]): Uint8Array {
  const dim = entries[0]?.[1].length ?? 0;
  for (const [key, v] of entries) {
    if (v.length !== dim)
      throw new VitrineError(
        'EMBEDDING_STORE',
        `Embedding for ${key} has ${v.length} values; the others have ${dim}.`,
        { key },
      );
  }
  const notFinite = entries.filter(([, v]) => !isFiniteVector(v)).map(([key]) => key);
  // Written, they would make the whole segment read as damaged (appendSegment leaves them out first).
  if (notFinite.length > 0)
    throw new VitrineError(
      'EMBED_NOT_FINITE',
      `The embeddings of ${listWords(notFinite, { last: ',', max: 10 })} hold values that are not numbers; they cannot be saved.`,
      { keys: notFinite },
    );
  const keys = entries.map(([k]) => k);
  // The values go straight into the file's bytes (one 72 MB buffer, not two); the checksum is then
  // written into the header, whose length does not depend on it (64 hex digits).
  const headerWith = (sha256: string) => Buffer.from(JSON.stringify({ dim, keys, sha256 }), 'utf8');
  const length = headerWith('0'.repeat(64)).length;
  const start = align4(MAGIC.length + 4 + length);
  const out = new Uint8Array(start + entries.length * dim * 4);
  const floats = new Float32Array(out.buffer, start, entries.length * dim);
  entries.forEach(([, v], i) => floats.set(v, i * dim));
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, length, true);
  out.set(headerWith(checksum({ dim, keys, values: out.subarray(start) })), MAGIC.length + 4);
  return out;
}

/** Parse a segment; a damaged file is EMBEDDING_STORE naming it (openStore deletes it and recomputes). */
export function decodeSegment({ bytes, file }: { bytes: Uint8Array; file: string }): {
  dim: number;
  keys: string[];
  data: Float32Array;
} {
  const damaged = (why: string) =>
    new VitrineError(
      'EMBEDDING_STORE',
      `${file}: this embedding cache file is damaged (${why}). Delete it; the embeddings in it will be computed again.`,
      { file, why },
    );
  if (bytes.length < MAGIC.length + 4 || !Buffer.from(bytes.subarray(0, MAGIC.length)).equals(MAGIC))
    throw damaged('wrong header');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  let header: { dim: number; keys: string[]; sha256?: unknown };
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + length)).toString('utf8'));
  } catch {
    throw damaged('unreadable key list');
  }
  if (
    !Number.isInteger(header?.dim) ||
    header.dim < 0 ||
    !Array.isArray(header.keys) ||
    !header.keys.every((k) => typeof k === 'string')
  )
    throw damaged('unreadable key list');
  const start = align4(MAGIC.length + 4 + length);
  const count = header.keys.length * header.dim;
  if (bytes.length !== start + count * 4) throw damaged(`expected ${start + count * 4} bytes, found ${bytes.length}`);
  const values = bytes.subarray(start, start + count * 4);
  if (header.sha256 !== undefined && header.sha256 !== checksum({ dim: header.dim, keys: header.keys, values }))
    throw damaged('its contents do not match the checksum written with it');
  // Copy into an aligned buffer: a Buffer read from disk need not start at a multiple of 4.
  const data = new Float32Array(count);
  new Uint8Array(data.buffer).set(values);
  if (isFiniteVector(data)) return { dim: header.dim, keys: header.keys, data };
  const dim = header.dim;
  const bad = header.keys.map((_, i) => !isFiniteVector(data.subarray(i * dim, (i + 1) * dim)));
  // Without a checksum, a value that is not a number is what overwritten bytes usually read as: damage.
  if (header.sha256 === undefined)
    throw damaged(`the embedding of ${header.keys[bad.indexOf(true)]} holds a value that is not a number`);
  // With a matching checksum it was written so (before vectors were checked when written): only that
  // vector is unusable. It is left out, so it is computed again; the rest of the segment is good.
  const keys = header.keys.filter((_, i) => !bad[i]);
  const kept = new Float32Array(keys.length * dim);
  let row = 0;
  header.keys.forEach((_, i) => {
    if (!bad[i]) kept.set(data.subarray(i * dim, (i + 1) * dim), dim * row++);
  });
  return { dim, keys, data: kept };
}

/** sha256 (hex) of a segment's {dim, keys} and its value bytes. */
function checksum({ dim, keys, values }: { dim: number; keys: string[]; values: Uint8Array }): string {
  return createHash('sha256').update(JSON.stringify({ dim, keys })).update(values).digest('hex');
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
