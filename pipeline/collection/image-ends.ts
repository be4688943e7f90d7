import { type FileHandle, open } from 'node:fs/promises';
import { CUT_SHORT, zeroedWords } from './file-kind.ts';

/*
 * A PNG, TIFF or AVIF cut short keeps a header that reads (sharp's metadata()), yet does not decode ("libpng read
 * error", "bad seek"). Where each one's parts say they end is checked against the file's size, without decoding:
 * a PNG's chunks, the strips or tiles of a TIFF's first page (the page the decoder shows), an AVIF's or HEIF's
 * boxes. A JPEG's end is jpegDamage's (file-kind.ts).
 */

/** The most parts (chunks, boxes, strips or tiles) looked at: past it, a file is not judged. */
const PARTS_WALKED = 4_000_000;

/** Bytes read at a time while walking a file's parts. */
const WINDOW = 64 * 1024;

/** A file's bytes read through a window, so that walking thousands of small parts reads each block once. */
class Reader {
  private start = 0;
  private bytes = Buffer.alloc(0);
  private readonly handle: FileHandle;
  readonly size: number;
  constructor(handle: FileHandle, size: number) {
    this.handle = handle;
    this.size = size;
  }

  /** `length` bytes at `at`, or undefined when the file ends before them. */
  async at(at: number, length: number): Promise<Buffer | undefined> {
    if (at < 0 || at + length > this.size) return undefined;
    if (at < this.start || at + length > this.start + this.bytes.length) {
      const bytes = Buffer.alloc(Math.min(Math.max(length, WINDOW), this.size - at));
      const { bytesRead } = await this.handle.read(bytes, 0, bytes.length, at);
      this.start = at;
      this.bytes = bytes.subarray(0, bytesRead);
      if (bytesRead < length) return undefined;
    }
    return this.bytes.subarray(at - this.start, at - this.start + length);
  }
}

type End = 'cut' | 'broken' | undefined;

/**
 * Why a PNG, TIFF or AVIF/HEIF does not hold the parts it says it has, in words to follow the file's name, or
 * undefined (also for other formats, and for what is not understood: the decoder judges those).
 */
export async function imageEndDamage(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const reader = new Reader(handle, (await handle.stat()).size);
    const head = await reader.at(0, Math.min(16, reader.size));
    if (!head || head.length < 16) return undefined;
    const text = head.toString('latin1');
    const end: End = text.startsWith('\x89PNG\r\n\x1a\n')
      ? await pngEnd(reader)
      : /^(II\*\0|MM\0\*|II\+\0|MM\0\+)/.test(text)
        ? await tiffEnd(reader, head)
        : text.slice(4, 8) === 'ftyp'
          ? await boxesEnd(reader)
          : undefined;
    if (!end) return undefined;
    const zeros = await trailingZeros(reader);
    return zeros >= 1024 || zeros * 20 >= reader.size ? zeroedWords(zeros, reader.size) : CUT_SHORT;
  } finally {
    await handle.close();
  }
}

/** The PNG chunks that lead to IEND, or to the file's end (the decoder reads one without IEND). */
async function pngEnd(reader: Reader): Promise<End> {
  // Most PNGs end with IEND, found at once; one with bytes after it (a tool's trailer) has it near the end.
  const tailAt = Math.max(8, reader.size - WINDOW);
  const tail = await reader.at(tailAt, reader.size - tailAt);
  if (tail?.includes('\0\0\0\0IEND\xae\x42\x60\x82', 0, 'latin1')) return undefined;
  let at = 8;
  for (let n = 0; n < PARTS_WALKED && at < reader.size; n++) {
    const chunk = await reader.at(at, 8);
    if (!chunk) return 'cut';
    // A chunk's type is four letters: zero bytes or noise here is not a PNG's chunk.
    if (!/^[A-Za-z]{4}$/.test(chunk.toString('latin1', 4, 8))) return 'broken';
    at += 12 + chunk.readUInt32BE(0);
    if (chunk.toString('latin1', 4, 8) === 'IEND') return undefined;
    if (at > reader.size) return 'cut';
  }
  return undefined;
}

/** Whether the strips or tiles of a TIFF's first page (classic or BigTIFF) lie within the file. */
async function tiffEnd(reader: Reader, head: Buffer): Promise<End> {
  const le = head[0] === 0x49;
  const big = head[2] === 0x2b || head[3] === 0x2b;
  const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const u64 = (b: Buffer, at: number) => Number(le ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at));
  const ifd = big ? u64(head, 8) : u32(head, 4);
  if (ifd < 8) return undefined;
  const countSize = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  const countBytes = await reader.at(ifd, countSize);
  if (!countBytes) return 'cut';
  const count = big ? u64(countBytes, 0) : u16(countBytes, 0);
  const entries = await reader.at(ifd + countSize, count * entrySize);
  if (!entries) return 'cut';
  const sizes: Record<number, number> = { 3: 2, 4: 4, 13: 4, 16: 8, 18: 8 };
  const values = async (at: number): Promise<number[] | 'cut' | undefined> => {
    const type = u16(entries, at + 2);
    const n = big ? u64(entries, at + 4) : u32(entries, at + 4);
    const size = sizes[type];
    if (!size || n > PARTS_WALKED) return undefined;
    const inline = n * size <= (big ? 8 : 4);
    const where = inline ? undefined : big ? u64(entries, at + 12) : u32(entries, at + 8);
    const bytes = where === undefined ? entries.subarray(at + (big ? 12 : 8)) : await reader.at(where, n * size);
    if (!bytes) return 'cut';
    return Array.from({ length: n }, (_, i) =>
      size === 2 ? u16(bytes, i * 2) : size === 4 ? u32(bytes, i * 4) : u64(bytes, i * 8),
    );
  };
  const tags = new Map<number, number>();
  for (let i = 0; i < count; i++) tags.set(u16(entries, i * entrySize), i * entrySize);
  // Strips (273 offsets, 279 byte counts) or tiles (324, 325).
  const pair = tags.has(273) ? [273, 279] : [324, 325];
  const [offsetsAt, countsAt] = pair.map((tag) => tags.get(tag));
  if (offsetsAt === undefined || countsAt === undefined) return undefined;
  const offsets = await values(offsetsAt);
  const lengths = await values(countsAt);
  if (offsets === 'cut' || lengths === 'cut') return 'cut';
  if (!offsets || !lengths) return undefined;
  for (let i = 0; i < Math.min(offsets.length, lengths.length); i++)
    if (lengths[i]! > 0 && offsets[i]! + lengths[i]! > reader.size) return 'cut';
  return undefined;
}

/** Whether an ISO file's top-level boxes (ftyp, meta, mdat, …), as AVIF and HEIF photos are, end within it. */
async function boxesEnd(reader: Reader): Promise<End> {
  let at = 0;
  for (let n = 0; n < PARTS_WALKED && at + 8 <= reader.size; n++) {
    const box = await reader.at(at, 8);
    if (!box) return 'cut';
    const size = box.readUInt32BE(0);
    // 0: the box runs to the end of the file.
    if (size === 0) return undefined;
    const large = size === 1 ? await reader.at(at + 8, 8) : undefined;
    if (size === 1 && !large) return 'cut';
    const length = large ? Number(large.readBigUInt64BE(0)) : size;
    if (length < 8) return 'broken';
    at += length;
    if (at > reader.size) return 'cut';
  }
  return undefined;
}

/** How many zero bytes the file ends with. */
async function trailingZeros(reader: Reader): Promise<number> {
  let zeros = 0;
  for (let end = reader.size; end > 0; ) {
    const from = Math.max(0, end - WINDOW);
    const block = await reader.at(from, end - from);
    if (!block) return zeros;
    let i = block.length;
    while (i > 0 && block[i - 1] === 0) i--;
    zeros += block.length - i;
    if (i > 0) return zeros;
    end = from;
  }
  return zeros;
}
