import { open } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';

/*
 * A file given where Vitrine reads a CSV (or JSON Lines) table, that is some other kind of file: a workbook saved
 * from Excel, a zip, a PDF, a photograph. Read as text, its bytes gave messages about NUL characters, UTF-16 or
 * UTF-32, or a table of nonsense. Its first bytes (a "magic number" each of these formats starts with) say what it
 * is before any of it is read as text.
 */

const SAVE_FROM_EXCEL = 'open it in Excel and save it as "CSV UTF-8 (Comma delimited)" (File > Save As)';

interface Kind {
  /** What the file is, as "is …" would go on: "an Excel workbook". */
  what: string;
  /** How to get the table out of it, as ": …" would go on; undefined for a photograph. */
  todo?: string;
  /** The todo gives a file to use already: no "then give that file instead". */
  unpack?: true;
}

/** What the bytes are, when they start as a file that is not a table of text does; undefined for anything else. */
export function fileKind({ bytes, file }: { bytes: Uint8Array; file: string }): Kind | undefined {
  const starts = (magic: string, at = 0) =>
    Buffer.from(bytes.subarray(at, at + magic.length)).toString('latin1') === magic;
  const ext = path.extname(file).toLowerCase();
  if (starts('PK\x03\x04') || starts('PK\x05\x06') || starts('PK\x07\x08')) return zipKind({ bytes, ext });
  if (starts('\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'))
    return { what: 'an Excel 97-2003 workbook (or another old Office document)', todo: SAVE_FROM_EXCEL };
  if (starts('%PDF-'))
    return {
      what: 'a PDF document',
      todo:
        'Vitrine needs the table itself, not a printout of it. Export the objects from the collections management ' +
        'system as CSV (UTF-8), or, if the table was made in Excel, save it from there as "CSV UTF-8 (Comma delimited)"',
    };
  if (starts('\x1f\x8b'))
    return {
      what: 'a compressed (gzip) file',
      todo: 'unpack it first (double-click it, or "gunzip" it) and use the file inside',
      unpack: true,
    };
  if (starts('\xff\xd8\xff')) return { what: 'a JPEG image' };
  if (starts('\x89PNG\r\n\x1a\n')) return { what: 'a PNG image' };
  if (starts('GIF87a') || starts('GIF89a')) return { what: 'a GIF image' };
  if (starts('II*\x00') || starts('MM\x00*')) return { what: 'a TIFF image' };
  if (starts('RIFF') && starts('WEBP', 8)) return { what: 'a WebP image' };
  if (starts('ftyp', 4)) {
    const brand = Buffer.from(bytes.subarray(8, 12)).toString('latin1');
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return { what: 'a HEIC image' };
    if (brand === 'avif' || brand === 'avis') return { what: 'an AVIF image' };
  }
  return undefined;
}

/** Camera raw files, by their names: most are TIFF inside (rawTiff tells most of those by their first page). */
/** File name endings import (and `data add`'s check) take as images: what the dataset stage's decoder (sharp) reads. */
export const IMAGE_EXTENSIONS = [
  '.jpg',
  '.jpeg',
  '.jpe',
  // JPEG as Windows saves some web images: stored under .jpg (KIND_ENDINGS), which every tool opens.
  '.jfif',
  '.jif',
  '.png',
  '.webp',
  '.tif',
  '.tiff',
  '.gif',
  '.avif',
  '.heic',
  '.heif',
];

export const CAMERA_RAW = new Set(
  '.cr2 .cr3 .crw .nef .nrw .arw .srf .sr2 .dng .orf .rw2 .raw .raf .pef .srw .x3f .erf .3fr .iiq .rwl .mrw .kdc .dcr'.split(
    ' ',
  ),
);

const SAVE_COPY = 'and name that file in the export';

/**
 * A camera raw file that starts as a TIFF does, told by its first page (IFD0) within `head`: Canon's CR2 mark,
 * the DNGVersion tag, or a first page that is a reduced-size preview (NewSubfileType 1), as DNG, NEF, ARW and PEF
 * write. The decoder reads that first page, so a raw master would become a thumbnail. A TIFF's own first page is
 * the full picture, pyramids and multi-page scans included.
 */
export function rawTiff(head: Uint8Array): boolean {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const order = bytes.toString('latin1', 0, 4);
  // A file cut off before its first page says nothing: the decoder refuses it on its own row.
  if ((order !== 'II*\0' && order !== 'MM\0*') || bytes.length < 16) return false;
  const le = order === 'II*\0';
  const u16 = (at: number) => (le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at: number) => (le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const ifd = u32(4);
  // Canon's CR2 header: "CR", major version 2, its first page right after (byte 16). An uncompressed TIFF's pixels
  // may start at byte 8 and read "CR" (a reviewer's 67, 82, … was refused as raw).
  if (bytes.toString('latin1', 8, 10) === 'CR' && bytes[10] === 2 && ifd === 16) return true;
  if (ifd + 2 > bytes.length) return false;
  const entries = u16(ifd);
  for (let i = 0; i < entries && ifd + 2 + (i + 1) * 12 <= bytes.length; i++) {
    const at = ifd + 2 + i * 12;
    const tag = u16(at);
    if (tag === 50706) return true;
    // NewSubfileType, a LONG (4) or a SHORT (3): bit 0 set says a reduced-size version of another page.
    if (tag === 254) {
      const value = u16(at + 2) === 3 ? u16(at + 8) : u32(at + 8);
      if ((value & 1) === 1) return true;
    }
  }
  return false;
}

/**
 * A camera raw file that does not start as a TIFF, told by its maker's mark: Fujifilm's RAF, Canon's CR3 (an
 * ISO box with the brand "crx "), Olympus's ORF, Panasonic's RW2, Canon's older CRW, Sigma's X3F, Minolta's MRW.
 */
export function rawByMark(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 16)).toString('latin1');
  return (
    text.startsWith('FUJIFILMCCD-RAW') ||
    text.slice(4, 12) === 'ftypcrx ' ||
    ['IIRO', 'IIRS', 'MMOR', 'IIU\0', 'FOVb', '\0MRM'].includes(text.slice(0, 4)) ||
    text.startsWith('II\x1a\0\0\0HEAPCCDR')
  );
}

/**
 * What an image file import refuses is, by its first bytes and its name, with what to do: a museum's master files
 * (JPEG 2000, camera raw, Photoshop) or a download that failed (a web page). Said after the file: "is a …".
 * Undefined for anything else.
 */
export function imageFileProblem({ head, file }: { head: Uint8Array; file: string }): string | undefined {
  const text = Buffer.from(head).toString('latin1');
  const starts = (magic: string, at = 0) => text.startsWith(magic, at);
  const ext = path.extname(file);
  if (starts('\x00\x00\x00\x0cjP  ') || starts('\xff\x4f\xff\x51'))
    return (
      'is a JPEG 2000 image, which Vitrine cannot read (its image decoder has no JPEG 2000 support): save a copy as ' +
      `JPEG or TIFF (collections systems often keep one for the web) ${SAVE_COPY}.`
    );
  if (CAMERA_RAW.has(ext.toLowerCase()) || rawTiff(head) || rawByMark(head))
    return (
      `is a camera raw file${CAMERA_RAW.has(ext.toLowerCase()) ? ` (${ext})` : ' (told by its first bytes: its name does not say so)'}, ` +
      'which Vitrine cannot read: export it as JPEG or TIFF from the photography software (Lightroom, Capture ' +
      `One, the camera maker's own) ${SAVE_COPY}.`
    );
  if (starts('8BPS'))
    return `is a Photoshop document, which Vitrine cannot read: save a copy as JPEG or TIFF (File > Save a Copy) ${SAVE_COPY}.`;
  if (starts('BM') && head.length >= 6)
    return `is a BMP (Windows bitmap) image, which Vitrine cannot read: save it as PNG or JPEG ${SAVE_COPY}.`;
  if (starts('\xff\x0a') || starts('\x00\x00\x00\x0cJXL '))
    return `is a JPEG XL image, which Vitrine cannot read: save a copy as JPEG or PNG ${SAVE_COPY}.`;
  if (starts('%PDF-'))
    return `is a PDF document, not an image: export the photograph in it as JPEG, or use the photograph itself, ${SAVE_COPY}.`;
  // The first tag, after a byte-order mark, blank lines, an XML declaration and comments: Illustrator writes
  // about 200 bytes of them before <svg, a browser's "Save page as" a comment with the address before <html.
  const opening = text
    .toLowerCase()
    .replace(/^(\xef\xbb\xbf)?(\s|<\?xml[^>]*>|<!--[\s\S]*?-->)*/, '')
    .slice(0, 100);
  if (opening.startsWith('<!doctype html') || opening.startsWith('<html') || opening.startsWith('<head'))
    return (
      'is a web page (HTML), not an image: most often an error page saved in place of the photograph by a download ' +
      'that failed. Download the image again, and check that the file opens as a picture.'
    );
  if (opening.startsWith('<svg') || opening.startsWith('<!doctype svg'))
    return `is an SVG drawing, which import does not take: save it as PNG ${SAVE_COPY}.`;
  // A HEIC's own first bytes are told by imageKind: named so, these are something else (a copy that did not finish).
  if (/^\.(heic|heif|hif)$/i.test(ext))
    return (
      `is named as a ${/^\.heic$/i.test(ext) ? 'HEIC' : 'HEIF'} photo (${ext}) but is not one: its first bytes are ` +
      'no image format (a copy or a download that did not finish, or another kind of file renamed). Export the ' +
      `photograph again as JPEG or TIFF ${SAVE_COPY}.`
    );
  return undefined;
}

/** The brands of a HEIF file whose picture is coded in HEVC, as phones and cameras write HEIC photos. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);

/** The file's first bytes say it is a HEIC photo (HEVC): its first box is "ftyp" with one of the HEVC brands. */
export function hevcBrand(head: Uint8Array): boolean {
  return (
    Buffer.from(head.subarray(4, 8)).toString('latin1') === 'ftyp' &&
    HEVC_BRANDS.has(Buffer.from(head.subarray(8, 12)).toString('latin1'))
  );
}

/**
 * A zip: Excel's .xlsx, LibreOffice's .ods and Apple's .numbers are all zip archives, told apart by the names of
 * the parts inside them (in the local headers at the start, and the directory at the end), then by the file's name.
 */
function zipKind({ bytes, ext }: { bytes: Uint8Array; ext: string }): Kind {
  const part = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  const names = part(0, 65_536) + part(Math.max(65_536, bytes.length - 65_536), bytes.length);
  const workbook = { what: 'an Excel workbook', todo: SAVE_FROM_EXCEL };
  if (/xl\/workbook\.(xml|bin)/.test(names)) return workbook;
  if (names.includes('application/vnd.oasis.opendocument.spreadsheet') || ext === '.ods')
    return {
      what: 'a LibreOffice (OpenDocument) spreadsheet',
      todo:
        'open it in LibreOffice Calc and save it as "Text CSV (.csv)" (File > Save As), with the character set ' +
        '"Unicode (UTF-8)" and commas between cells',
    };
  if (names.includes('Index/Document.iwa') || ext === '.numbers')
    return {
      what: 'a Numbers spreadsheet',
      todo: 'open it in Numbers and choose File > Export To > CSV, with the text encoding "Unicode (UTF-8)"',
    };
  if (['.xlsx', '.xlsm', '.xlsb'].includes(ext)) return workbook;
  return {
    what: 'a zip archive',
    todo: 'unzip it first (double-click it, or right-click it and choose "Extract All" on Windows) and use the CSV file inside',
    unpack: true,
  };
}

/**
 * The error for a file that is not a table of text, or undefined when its first bytes are not one of those
 * fileKind knows. `file` is how messages name it; labels.csv is in git, so a labels.csv overwritten by mistake is
 * told how to get it back.
 */
export function notATable({ bytes, file }: { bytes: Uint8Array; file: string }): VitrineError | undefined {
  const pointer = lfsPointer({ bytes, file });
  if (pointer) return pointer;
  const kind = fileKind({ bytes, file });
  if (!kind) return undefined;
  const base = path.basename(file);
  // Staff's own file, in git (an export may be called objects.csv, as Vitrine's data/objects.csv is: not this).
  const ownFile = /^labels\.csv$/i.test(base);
  // decodeText also reads the params.yaml of a pull request: not called a CSV.
  const expected = /\.(jsonl|ndjson)$/i.test(file)
    ? 'a JSON Lines'
    : /\.(ya?ml|json)$/i.test(file)
      ? 'a text'
      : 'a CSV';
  const todo =
    kind.todo ??
    (ownFile
      ? `Vitrine keeps ${base} as a table of text`
      : "Vitrine reads the objects from a table of text, the collections management system's metadata export saved " +
        "as CSV (one row per object); the photographs go in the images folder (--images), where the table's image " +
        'column finds them');
  const then = !kind.todo || kind.unpack ? '' : ownFile ? `, under the name ${base}` : ', then give that file instead';
  const restore = ownFile
    ? ` If ${base} was overwritten by mistake, "git checkout HEAD -- ${base}" puts back the last version committed to git.`
    : '';
  return new VitrineError('NOT_CSV', `${file} is ${kind.what}, not ${expected} file: ${todo}${then}.${restore}`, {
    file,
    kind: kind.what,
  });
}

/** How every Git LFS pointer file starts (git-lfs's spec: the version line comes first). */
const LFS_POINTER = 'version https://git-lfs.github.com/spec/';

/**
 * A Git LFS pointer in place of the file: a repository whose .gitattributes hands *.csv to Git LFS, checked out
 * where LFS files are not downloaded (actions/checkout does not by default). Read as a table it was "the first line
 * must be object_id,label (found version https://git-lfs…)", which says nothing of what to do.
 */
export function lfsPointer({ bytes, file }: { bytes: Uint8Array; file: string }): VitrineError | undefined {
  if (bytes.length > 1024 || Buffer.from(bytes.subarray(0, LFS_POINTER.length)).toString('latin1') !== LFS_POINTER)
    return undefined;
  const base = path.basename(file);
  // Staff's own files are read from git: they must be plain text there, where a pull request shows each change.
  const ours = /^(labels\.csv|params\.ya?ml)$/i.test(base);
  return new VitrineError(
    'GIT_LFS_POINTER',
    `${file} is a Git LFS pointer (a few lines naming a file that Git LFS keeps elsewhere), not the file itself. ` +
      (ours
        ? `Vitrine reads ${base} from git itself, as plain text (also through GitHub, which hands over the pointer ` +
          `only), so that a pull request shows each line changed: stop keeping it in Git LFS ("git lfs untrack ` +
          `${base}", then "git add --renormalize ${base}", and commit). Meanwhile, in a clone, "git lfs pull" brings ` +
          'the file itself.'
        : 'Where it was read, the files Git LFS keeps were not downloaded: run "git lfs pull" in the repository it ' +
          'comes from (in a GitHub workflow: actions/checkout with "lfs: true"), or give a copy of the file itself.'),
    { file },
  );
}

/** The most bytes of a JPEG read whole to find where its picture data ends (past it, the file is not looked at). */
const JPEG_WALKED = 256 * 1024 * 1024;

/**
 * Why a JPEG's picture data does not run to its end marker, in words to follow "the image … ", or undefined. A copy
 * whose second half was overwritten with zero bytes (a disk or transfer that failed) decodes without an error in
 * sharp, even with failOn "warning" (an outside tester's: its bottom half grey); one cut short does not (sharp:
 * "premature end of JPEG image"), so import asks the dataset stage's decoder what becomes of the file. Most
 * JPEGs end with their end marker (FF D9), which is all that is read of them; one with data after it (a phone's
 * motion photo, a camera's trailer) is walked marker by marker to the end of its picture data, and is whole.
 */
export async function jpegDamage(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  let bytes: Buffer;
  try {
    const { size } = await handle.stat();
    if (size < 4 || size > JPEG_WALKED) return undefined;
    const tailSize = Math.min(size, 64 * 1024);
    const tail = Buffer.alloc(tailSize);
    await handle.read(tail, 0, tailSize, size - tailSize);
    let end = tail.length;
    while (end > 0 && tail[end - 1] === 0) end--;
    if (end >= 2 && tail[end - 2] === 0xff && tail[end - 1] === 0xd9) return undefined;
    bytes = Buffer.alloc(size);
    await handle.read(bytes, 0, size, 0);
  } finally {
    await handle.close();
  }
  // Only a file whose picture data begins is judged: a few bytes of a header alone are not a photograph cut short.
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8 || pictureEnd(bytes) !== 'missing') return undefined;
  let zeros = 0;
  while (zeros < bytes.length && bytes[bytes.length - 1 - zeros] === 0) zeros++;
  if (zeros >= 1024 || zeros * 20 >= bytes.length) return zeroedWords(zeros, bytes.length);
  return CUT_SHORT;
}

/** What is said of an image file that ends before its picture data does (JPEG, PNG, TIFF, AVIF). */
export const CUT_SHORT = 'ends before its picture data does (a copy or download cut short?)';

/** What is said of an image file whose last `zeros` bytes (of `size`) are zero bytes. */
export function zeroedWords(zeros: number, size: number): string {
  return (
    `is damaged: its last ${zeros.toLocaleString('en')} bytes (${Math.round((zeros / size) * 100)}% of ` +
    'the file) are zero bytes where its picture data should be (a copy, disk or transfer that failed)'
  );
}

/** What import says of a damaged JPEG that the dataset stage's decoder reads: the part below the damage is grey. */
export const DAMAGED_GREY =
  'so its picture decodes with the part below the damage grey. Copy or export it again from the original';

/** What import says of a damaged JPEG that the dataset stage's decoder cannot read, with the decoder's words. */
export function damagedUnreadable(decoder: string): string {
  return (
    `and cannot be decoded (the image reader says "${decoder}"), so it can be neither shown in the catalogue nor ` +
    'learnt from. Copy or export it again from the original.'
  );
}

/**
 * Whether a JPEG's segments and picture data (each scan's, to the next marker) lead to its end marker (FF D9):
 * `found`; `missing` when its picture data began and the file ends (or breaks off) before that; `unknown` when the
 * file ends (or is not a JPEG's segments) before any picture data.
 */
function pictureEnd(bytes: Buffer): 'found' | 'missing' | 'unknown' {
  let at = 2;
  let scanned = false;
  const broken = () => (scanned ? 'missing' : 'unknown');
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return broken();
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd9) return 'found';
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (at + 3 >= bytes.length) return broken();
    at += 2 + bytes.readUInt16BE(at + 2);
    if (marker !== 0xda) continue;
    scanned = true;
    // Picture data: an FF in it is followed by 00 (a stuffed byte) or a restart marker; anything else ends it.
    for (;;) {
      const ff = bytes.indexOf(0xff, at);
      if (ff < 0 || ff + 1 >= bytes.length) return 'missing';
      const next = bytes[ff + 1]!;
      if (next === 0 || (next >= 0xd0 && next <= 0xd7)) at = ff + 2;
      else if (next === 0xff) at = ff + 1;
      else {
        at = ff;
        break;
      }
    }
  }
  return broken();
}

/** The most pages of a TIFF walked (tiffPages): a scan of a bound volume has hundreds, a loop in a damaged file none. */
const TIFF_PAGES_WALKED = 10_000;

/**
 * How many pages a classic TIFF holds, its reduced-size copies (a pyramid's levels, a preview: NewSubfileType bit 0)
 * and masks (bit 2) not counted; undefined when it is not one or cannot be walked (a BigTIFF, a file cut short).
 * The decoder shows the first page only: a TIFF of several (a scanned document, a recto and a verso) loses the rest.
 */
export async function tiffPages(file: string): Promise<number | undefined> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (at: number, length: number) => {
      if (at < 0 || at + length > size) return undefined;
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, at);
      return bytesRead === length ? bytes : undefined;
    };
    const header = await read(0, 8);
    const order = header?.toString('latin1', 0, 4);
    if (!header || (order !== 'II*\0' && order !== 'MM\0*')) return undefined;
    const le = order === 'II*\0';
    const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const visited = new Set<number>();
    let pages = 0;
    for (let ifd = u32(header, 4); ifd !== 0; ) {
      if (visited.has(ifd) || visited.size >= TIFF_PAGES_WALKED) return undefined;
      visited.add(ifd);
      const count = await read(ifd, 2);
      if (!count) return undefined;
      const entries = await read(ifd + 2, u16(count, 0) * 12 + 4);
      if (!entries) return undefined;
      let subfile = 0;
      for (let i = 0; i < u16(count, 0); i++) {
        if (u16(entries, i * 12) !== 254) continue;
        subfile = u16(entries, i * 12 + 2) === 3 ? u16(entries, i * 12 + 8) : u32(entries, i * 12 + 8);
      }
      if ((subfile & 0b101) === 0) pages++;
      ifd = u32(entries, u16(count, 0) * 12);
    }
    return pages;
  } finally {
    await handle.close();
  }
}

/** Bytes read first of an image to find its size: a PNG's, GIF's or WebP's is at its start, a JPEG's mostly too. */
const SIZE_HEAD = 4096;

/**
 * An image's width and height as its header says them, read without decoding (a few kilobytes; a JPEG's segments are
 * walked to its frame header, reading 4 bytes at each), or undefined for another format or a header not understood.
 * Import uses it to say early that a picture is too small to be a photograph (dataset/small-images.ts decides).
 */
export async function pictureSize({
  file,
  kind,
}: {
  file: string;
  kind: string;
}): Promise<{ width: number; height: number } | undefined> {
  if (!['jpeg', 'png', 'gif', 'webp'].includes(kind)) return undefined;
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(SIZE_HEAD);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    const at = async (offset: number, length: number): Promise<Buffer | undefined> => {
      if (offset + length <= bytes.length) return bytes.subarray(offset, offset + length);
      const more = Buffer.alloc(length);
      const { bytesRead: read } = await handle.read(more, 0, length, offset);
      return read === length ? more : undefined;
    };
    const sized = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : undefined);
    if (kind === 'png') return bytes.length >= 24 ? sized(bytes.readUInt32BE(16), bytes.readUInt32BE(20)) : undefined;
    if (kind === 'gif') return bytes.length >= 10 ? sized(bytes.readUInt16LE(6), bytes.readUInt16LE(8)) : undefined;
    if (kind === 'webp') {
      if (bytes.length < 30) return undefined;
      const chunk = bytes.toString('latin1', 12, 16);
      if (chunk === 'VP8X') return sized(1 + bytes.readUIntLE(24, 3), 1 + bytes.readUIntLE(27, 3));
      if (chunk === 'VP8L') {
        const bits = bytes.readUInt32LE(21);
        return sized(1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff));
      }
      if (chunk === 'VP8 ') return sized(bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff);
      return undefined;
    }
    // JPEG: markers from after SOI (FF D8) to a frame header (SOF0–SOF15 but DHT C4, JPG C8, DAC CC).
    let offset = 2;
    for (let segments = 0; segments < 1000; segments++) {
      const marker = await at(offset, 4);
      if (!marker || marker[0] !== 0xff) return undefined;
      const type = marker[1]!;
      // Fill bytes (FF FF) before a marker.
      if (type === 0xff) {
        offset += 1;
        continue;
      }
      if (type >= 0xc0 && type <= 0xcf && type !== 0xc4 && type !== 0xc8 && type !== 0xcc) {
        const frame = await at(offset + 5, 4);
        return frame ? sized(frame.readUInt16BE(2), frame.readUInt16BE(0)) : undefined;
      }
      // Start of scan or end of image before any frame header: not understood.
      if (type === 0xda || type === 0xd9) return undefined;
      offset += 2 + marker.readUInt16BE(2);
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
