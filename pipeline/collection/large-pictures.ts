import { clip } from '../log.ts';
import { pictureSize } from './file-kind.ts';

/*
 * Pictures over the dataset stage's pixel limit (dataset.image.max_pixels): a 30,000×30,000 PNG of 2.6 MB (a
 * "decompression bomb"), or a scan far larger than the limit. The dataset stage refuses them before decoding, to
 * protect memory, so the object has no photograph in the catalogue and the model does not learn from it. An outside
 * tester's (T6 F1) was imported without a word, and each run named it only as data/images/<id>.png, never as the
 * export's file. Import says it at the export's line, from the header alone (nothing is decoded), and imports the
 * file as it is: masters are copied byte for byte, and a raised limit makes a genuine one usable.
 */

/** A row whose picture has more pixels than the limit, with its size. */
export interface LargePicture {
  cell: string;
  line: number;
  id: string;
  width: number;
  height: number;
}

/** Such rows said one by one; more are said in one message. */
const SHOWN_LARGE = 5;

/**
 * A picture's width and height from its header, without decoding: JPEG, PNG, GIF and WebP read here (pictureSize),
 * TIFF and HEIF from the decoder's header reader. Undefined when the header is not understood.
 */
export async function headerSize({
  file,
  kind,
  size,
}: {
  file: string;
  kind: string;
  /** The size pictureSize already read, if any. */
  size?: { width: number; height: number };
}): Promise<{ width: number; height: number } | undefined> {
  const read = size ?? (await pictureSize({ file, kind }).catch(() => undefined));
  if (read || !['tiff', 'avif', 'heif'].includes(kind)) return read;
  // Loaded only for these formats, as import does for HEIF: a collection of JPEGs never loads the decoder.
  const { default: sharp } = await import('sharp');
  // The header alone: no limit applies to reading it, and a bomb is measured rather than refused unnamed.
  const meta = await sharp(file, { limitInputPixels: false })
    .metadata()
    .catch(() => undefined);
  return meta?.width && meta.height ? { width: meta.width, height: meta.height } : undefined;
}

/** Whether the dataset stage refuses a picture of this size (dataset/images.ts reads it with this limit). */
export function overPixelLimit({ width, height }: { width: number; height: number }, maxPixels: number): boolean {
  return width * height > maxPixels;
}

const count = (n: number) => n.toLocaleString('en');

/** `the image "photos/bombe.png" of object "D.18" is 30,000×30,000 pixels (900,000,000)` */
function largeNamed({ cell, id, width, height }: LargePicture): string {
  return (
    `the image "${clip(cell)}" of object "${clip(id)}" is ${count(width)}×${count(height)} pixels ` +
    `(${count(width * height)})`
  );
}

/** The limit, and why the dataset stage keeps it. */
function limitWords(maxPixels: number): string {
  return (
    `more than ${count(maxPixels)} pixels (dataset.image.max_pixels in params.yaml), the most the dataset stage ` +
    'reads: it refuses a larger picture before decoding it, to protect the memory of the computer that runs it (a ' +
    'small file can claim that many pixels)'
  );
}

/** What becomes of such pictures, and what to do. */
function largeAdvice({ several, maxPixels }: { several: boolean; maxPixels: number }): string {
  const w = several
    ? { they: 'They are imported as they are, but these objects stay', them: 'them', copy: 'smaller copies' }
    : { they: 'It is imported as it is, but the object stays', them: 'it', copy: 'a smaller copy' };
  return (
    `${w.they} without a photograph: the catalogue does not show ${w.them} and the model does not learn from ` +
    `${w.them}. Put ${w.copy} (at most ${count(maxPixels)} pixels) in the export under the same ` +
    `name${several ? 's' : ''} and import again, or raise dataset.image.max_pixels if the computers that run ` +
    'Vitrine have the memory (decoding takes at least 3 bytes a pixel)'
  );
}

/** What import says of the rows whose picture is over the limit: one note each, or one for many. */
export function largePicturesNotes({
  rows,
  maxPixels,
}: {
  rows: LargePicture[];
  maxPixels: number;
}): { line: number; message: string; id?: string }[] {
  if (rows.length === 0) return [];
  if (rows.length <= SHOWN_LARGE)
    return rows.map((r) => ({
      line: r.line,
      id: r.id,
      message: `${largeNamed(r)}, ${limitWords(maxPixels)}. ${largeAdvice({ several: false, maxPixels })}`,
    }));
  const shown = rows.slice(0, SHOWN_LARGE).map((r) => `line ${r.line}: ${largeNamed(r)}`);
  const more = `; and ${rows.length - SHOWN_LARGE} more`;
  return [
    {
      line: rows[0]!.line,
      message:
        `${rows.length} images of the export have ${limitWords(maxPixels)} (${shown.join('; ')}${more}). ` +
        largeAdvice({ several: true, maxPixels }),
    },
  ];
}
