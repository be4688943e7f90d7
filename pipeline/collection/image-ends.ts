import { type FileHandle, open } from 'node:fs/promises';
import { CUT_SHORT, zeroedWords } from './file-kind.ts';

/*
 * A PNG, TIFF or AVIF cut short keeps a header that reads (sharp's metadata()), yet does not decode ("libpng read
 * error", "bad seek"). Where each one's parts say they end is checked against the file's size, without decoding:
 * a PNG's chunks, what the directory of a TIFF's first page (the page the decoder shows) points to, an AVIF's or
 * HEIF's boxes. A JPEG's end is jpegDamage's (file-kind.ts).
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
    return zeros >= ZEROED_RUN || zeros * 20 >= reader.size ? zeroedWords(zeros, reader.size) : CUT_SHORT;
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

/** Bytes a TIFF value of each type takes (BYTE, ASCII, SHORT, LONG, RATIONAL, …, LONG8, SLONG8, IFD8). */
const TIFF_TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

/**
 * The TIFF tags a page's picture is decoded with: its size and samples, the strips or tiles and their byte counts,
 * compression, colour map and JPEG tables, YCbCr and sample format. A value of another tag out of the file is no damage.
 */
const PICTURE_TAGS = new Set([
  256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 317, 320, 322, 323, 324, 325, 338, 339, 347, 529, 530, 531, 532,
]);

/**
 * Whether what the directory of a TIFF's first page (classic or BigTIFF) points to lies within the file: each value of
 * PICTURE_TAGS too long to sit in its entry (a JPEG-compressed TIFF's JPEGTables, often last), and its strips or tiles.
 */
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
  // A page has entries (its size, its strips): none is zero bytes where the directory should be.
  if (count === 0) return 'broken';
  // The entries, then where the next page's directory is (the decoder reads it).
  const entries = await reader.at(ifd + countSize, count * entrySize + (big ? 8 : 4));
  if (!entries) return 'cut';
  const where = (at: number) => (big ? u64(entries, at + 12) : u32(entries, at + 8));
  const lengthOf = (at: number) => {
    const size = TIFF_TYPE_SIZES[u16(entries, at + 2)];
    return size === undefined ? 0 : size * (big ? u64(entries, at + 4) : u32(entries, at + 4));
  };
  for (let i = 0; i < count; i++) {
    // Only what the picture is read with: the reader skips another tag it cannot fetch (Software, a scanner's own
    // tag copied by a tool that did not move its value), and the file is whole to the dataset stage (reviewer V28).
    if (!PICTURE_TAGS.has(u16(entries, i * entrySize))) continue;
    const length = lengthOf(i * entrySize);
    // A value that fits in its entry is there; a longer one is where the entry says.
    if (length > (big ? 8 : 4) && where(i * entrySize) + length > reader.size) return 'cut';
  }
  const values = async (at: number): Promise<number[] | undefined> => {
    const size = { 3: 2, 4: 4, 13: 4, 16: 8, 18: 8 }[u16(entries, at + 2)];
    const n = big ? u64(entries, at + 4) : u32(entries, at + 4);
    if (!size || n > PARTS_WALKED) return undefined;
    const bytes =
      n * size <= (big ? 8 : 4) ? entries.subarray(at + (big ? 12 : 8)) : await reader.at(where(at), n * size);
    if (!bytes) return undefined;
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
  if (!offsets || !lengths) return undefined;
  for (let i = 0; i < Math.min(offsets.length, lengths.length); i++)
    if (lengths[i]! > 0 && offsets[i]! + lengths[i]! > reader.size) return 'cut';
  return undefined;
}

/**
 * Whether an ISO file's top-level boxes (ftyp, meta, mdat, …), as AVIF and HEIF photos are, end within it. Once the
 * boxes a picture needs are whole, what follows is not judged: a phone or tool may add bytes of its own (a trailer).
 * A file whose boxes end in a run of zero bytes (a copy or disk that failed) is damaged, as a JPEG's is.
 */
async function boxesEnd(reader: Reader): Promise<End> {
  const seen = new Set<string>();
  const whole = () => seen.has('ftyp') && seen.has('mdat') && (seen.has('meta') || seen.has('moov'));
  let at = 0;
  for (let n = 0; n < PARTS_WALKED && at + 8 <= reader.size && !whole(); n++) {
    const box = await reader.at(at, 8);
    if (!box) return 'cut';
    const size = box.readUInt32BE(0);
    const type = box.toString('latin1', 4, 8);
    // A box's type is four letters, digits or spaces: zero bytes or noise here is not a box.
    if (!/^[\x20-\x7e]{4}$/.test(type)) return 'broken';
    const large = size === 1 ? await reader.at(at + 8, 8) : undefined;
    if (size === 1 && !large) return 'cut';
    // 0: the box runs to the end of the file.
    const length = size === 0 ? reader.size - at : large ? Number(large.readBigUInt64BE(0)) : size;
    if (length < 8) return 'broken';
    if (at + length > reader.size) return 'cut';
    seen.add(type);
    at += length;
  }
  // Zero bytes within the boxes, not after them (padding a tool added): the picture's own data ends in them.
  const zeros = (await trailingZeros(reader)) - (reader.size - at);
  return zeros >= ZEROED_RUN || (zeros > 0 && zeros * 20 >= reader.size) ? 'broken' : undefined;
}

/** Zero bytes at a file's end that say it is damaged, as for a JPEG (file-kind.ts), or a twentieth of it. */
const ZEROED_RUN = 1024;

/** Bytes counted one by one at the end of a file; past them, a run of zero bytes is measured by probing blocks. */
const COUNTED = 1024 * 1024;

/** Bytes read by each probe of a long run of zero bytes. */
const PROBE = 4096;

/**
 * How many zero bytes the file ends with. A long run (a large file cut in half on a disk that keeps its size: a
 * gigabyte of zeros, 7 s to read) is measured by reading blocks, further back each time, then halving the step:
 * some sixty blocks. That takes the run to be unbroken; the file is judged damaged already, this is for the words.
 */
async function trailingZeros(reader: Reader): Promise<number> {
  const nonZeroEnd = (block: Buffer) => {
    let i = block.length;
    while (i > 0 && block[i - 1] === 0) i--;
    return i;
  };
  let zeros = 0;
  for (let end = reader.size; end > 0 && zeros < COUNTED; ) {
    const from = Math.max(0, end - WINDOW);
    const block = await reader.at(from, end - from);
    if (!block) return zeros;
    const i = nonZeroEnd(block);
    zeros += block.length - i;
    if (i > 0) return zeros;
    end = from;
  }
  // [zeroFrom, size) is zeros; a block at `data` holds a byte that is not (-1: none found yet).
  let zeroFrom = reader.size - zeros;
  let data = -1;
  const zeroAt = async (at: number) => {
    const block = await reader.at(at, Math.min(PROBE, reader.size - at));
    return block !== undefined && nonZeroEnd(block) === 0;
  };
  for (let step = COUNTED; data < 0 && zeroFrom > 0; step *= 2) {
    const at = Math.max(0, zeroFrom - step);
    if (await zeroAt(at)) zeroFrom = at;
    else data = at;
  }
  if (data < 0) return reader.size;
  while (zeroFrom - data > PROBE) {
    const mid = data + Math.floor((zeroFrom - data) / 2);
    if (await zeroAt(mid)) zeroFrom = mid;
    else data = mid;
  }
  const block = await reader.at(data, zeroFrom - data);
  return reader.size - (block ? data + nonZeroEnd(block) : zeroFrom);
}
