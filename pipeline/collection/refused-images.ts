import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EMPTY_FILE } from '../dataset/picture-problems.ts';
import type { Workspace } from '../paths.ts';

/*
 * An object whose image file import refused under import.on_invalid "skip" (an empty file, a JPEG cut short, a PDF
 * saved as .jpg) is imported without a photograph. Its row in data/objects.csv then looks like one never
 * photographed, and the dataset stage, the report, the review queue and its public page said "No photograph yet"
 * (an outside tester's). Import keeps, beside data/objects.csv, which file it refused for which object and why;
 * the dataset stage says it of the object, as a photograph that cannot be used.
 */

/** In data/ (versioned with it by data.dvc): the image files the last import refused, by object id. */
export const REFUSED_IMAGES = '.refused-images.json';

/** One object's refused file: as the export named it, and why import refused it ("is an empty file (0 bytes) …"). */
export interface RefusedImage {
  image: string;
  reason: string;
  /**
   * The refused file's MD5 (as the data layer hashes files), when it could be read: the next import tells the same
   * file, refused again, from a changed one. Absent from what imports before it wrote.
   */
  md5?: string;
}

export function refusedImagesFile(ws: Workspace): string {
  return path.join(ws.data, REFUSED_IMAGES);
}

/**
 * The file's entries by object id; empty when there is none (nothing was refused, then) or it cannot be read, which
 * `unreadable` is told of, with why (import warns: the files it recorded are judged afresh; a reviewer).
 */
export async function readRefusedImages({
  ws,
  unreadable,
}: {
  ws: Workspace;
  unreadable?: (why: string) => void;
}): Promise<Map<string, RefusedImage>> {
  try {
    return parseRefusedImages(await readFile(refusedImagesFile(ws), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      unreadable?.(error instanceof SyntaxError ? 'it is not valid JSON' : code ? `${code}` : String(error));
    return new Map();
  }
}

/** The entries of the file's text by object id (those well formed); throws when it is not JSON. */
export function parseRefusedImages(text: string): Map<string, RefusedImage> {
  const parsed = JSON.parse(text) as Record<string, RefusedImage>;
  const out = new Map<string, RefusedImage>();
  for (const [id, entry] of Object.entries(parsed ?? {}))
    if (typeof entry?.image === 'string' && typeof entry.reason === 'string') out.set(id, entry);
  return out;
}

/**
 * What the dataset stage says of an object whose image file import refused, after its place ("data/objects.csv:5:
 * "). An empty file is said in the decoder's words (EMPTY_FILE), which the catalogue and the report tell apart.
 */
export function refusedImageMessage({ id, refused }: { id: string; refused: RefusedImage }): string {
  const empty = /^is an empty file\b/.test(refused.reason);
  const what = empty
    ? `"${refused.image}": ${EMPTY_FILE}, so there is no picture in it.`
    : `"${refused.image}" ${refused.reason.replace(/\.?$/, '.')}`;
  // Import's reason may say what to do already ("Copy or export it again from the original."): said once.
  const advised = !empty && /\b(copy|export|save|give this user)\b/i.test(refused.reason);
  const advice = /\bimport again\b/i.test(refused.reason)
    ? ''
    : advised
      ? ' Then import again.'
      : ' Put a good copy in the export under that name, then import again.';
  return (
    `the image file of object "${id}" was refused by import, so the object has no photograph: the image ` +
    `${what}${advice}`
  );
}

/** What kind of file import refused, told by its reason: what the public page and the review queue say of it. */
export type RefusedKind = 'denied' | 'empty' | 'damaged' | 'format' | 'unusable';

export function refusedKind(reason: string): RefusedKind {
  if (/may not read|permission denied|not permitted/i.test(reason)) return 'denied';
  if (/^is an empty file\b|\b0 bytes\b/.test(reason)) return 'empty';
  if (/ends before|cut short|damaged|zero bytes|cannot be decoded/i.test(reason)) return 'damaged';
  if (/camera raw|HEIC|HEIF|cannot read|does not take|PDF|not an image/i.test(reason)) return 'format';
  return 'unusable';
}

/** A refused file's reason in the public's words, by its kind. */
export const REFUSED_WORDS: Record<RefusedKind, string> = {
  denied: 'the file may not be read',
  empty: 'the file is empty',
  damaged: 'the file is damaged or cut short',
  format: 'the file is in a format that cannot be shown (it needs exporting as JPEG)',
  unusable: 'the file cannot be used',
};
