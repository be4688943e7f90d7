import { VitrineError } from '../errors.ts';

/*
 * Many small files as one: the thumbnails a shard made travel in a few large objects, not six small
 * ones per image (100,000 images would be 600,000 uploads at some hundred per second). Layout, like
 * the embedding segments: "VTPACK1\n", uint32 LE header length, header JSON {files: [[name, bytes]]},
 * then the files' bytes one after the other.
 */

const MAGIC = Buffer.from('VTPACK1\n', 'latin1');

/** One pack holding `files`, in order. */
export function packFiles({ files }: { files: { name: string; bytes: Uint8Array }[] }): Buffer {
  const header = Buffer.from(JSON.stringify({ files: files.map((f) => [f.name, f.bytes.length]) }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([MAGIC, length, header, ...files.map((f) => f.bytes)]);
}

/** The files of a pack; a damaged one is SHARD_PACK_DAMAGED naming `where`. */
export function unpackFiles({ bytes, where }: { bytes: Uint8Array; where: string }): {
  name: string;
  bytes: Uint8Array;
}[] {
  const damaged = (why: string) =>
    new VitrineError('SHARD_PACK_DAMAGED', `${where}: this pack of shard files is damaged (${why}).`, { where });
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < MAGIC.length + 4 || !buffer.subarray(0, MAGIC.length).equals(MAGIC))
    throw damaged('wrong header');
  const headerLength = buffer.readUInt32LE(MAGIC.length);
  let header: { files: [string, number][] };
  try {
    header = JSON.parse(buffer.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength).toString('utf8'));
  } catch {
    throw damaged('unreadable file list');
  }
  let offset = MAGIC.length + 4 + headerLength;
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const [name, length] of header.files ?? []) {
    // Names become paths under the thumbnails folder: plain file names only (not ".", ".." or hidden).
    if (typeof name !== 'string' || !/^\w[\w.-]*$/.test(name) || !Number.isInteger(length) || length < 0)
      throw damaged('a bad file entry');
    out.push({ name, bytes: buffer.subarray(offset, offset + length) });
    offset += length;
  }
  if (offset !== buffer.length) throw damaged(`expected ${offset} bytes, found ${buffer.length}`);
  return out;
}
