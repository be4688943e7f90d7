import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseObjects } from '../collection/index.ts';
import { REFUSED_WORDS, type RefusedImage, refusedKind } from '../collection/refused-images.ts';
import { MAX_PATH_BYTES, overLimit } from '../collection/value-limits.ts';
import { EMPTY_FILE, isPictureProblem } from '../dataset/picture-problems.ts';
import type { DatasetIssue } from '../types.ts';

/*
 * Objects whose photograph file is there (or named) but cannot be used: a damaged or empty file, a PDF saved as .jpg,
 * one over the pixel limit, a file gone missing. The dataset stage keeps their records without a picture and says why
 * in dataset.json's issues; the catalogue says it on their pages ("the file is damaged or not an image") rather than
 * "No photograph yet", and lists them for staff in the review queue with their file. An object with no photograph
 * named at all is not one of them: nothing is broken.
 */

/** What the catalogue keeps of an object's unusable photograph. */
export interface PhotoProblem {
  /** Its path in the collection ("data/images/x.jpg"), null when not known. */
  file: string | null;
  /** Why, in the public's words: "the file is damaged or not an image". */
  reason: string;
  /**
   * The file as the export names it, when import refused it (data/.refused-images.json): it is not in the data
   * folder; the fix is a good copy in the export, imported again. (Absent otherwise.)
   */
  exportFile?: string;
  /**
   * Its file in the data folder is the one the last import stored from the export for this object (data/.imported-
   * objects.csv names it): the fix is in the export too, imported again: until it is, a re-import under on_invalid
   * "fail" stops on the export's file. (Absent for a photograph put in the data folder by hand, and for one of a
   * collection never imported.) Only while it still has the bytes import stored (data/.imported-photographs.json),
   * or when import kept no record of them.
   */
  fromExport?: true;
  /**
   * Its file in the data folder is the one the last import stored from the export, but changed (or taken away) since,
   * by hand or by another program: importing again puts the export's copy back. (Absent otherwise.)
   */
  changedSinceImport?: true;
}

/**
 * Whether the dataset issue says its object's photograph file cannot be used. Not an object with no photograph named
 * ("has no image"): nothing is broken, its page says "No photograph yet".
 */
export function isPhotoProblem(issue: Pick<DatasetIssue, 'code' | 'object' | 'message'>): boolean {
  return !!issue.object && isPictureProblem(issue) && !/ has no image\.$/.test(issue.message);
}

/** Why the photograph cannot be used, in plain words, from the issue's code and message (dataset/build.ts). */
export function photoProblemReason({ code, message }: Pick<DatasetIssue, 'code' | 'message'>): string {
  if (code === 'IMAGE_UNREADABLE') {
    if (message.includes(EMPTY_FILE)) return 'the file is empty';
    // A phone's HEIC photo (dataset/images.ts imageError): whole, in a format that cannot be shown.
    if (/ is a HEIC photo\b/.test(message)) return REFUSED_WORDS.format;
    // The image reader's words are in brackets at the end (a dataset made before EMPTY_FILE: "(Input Buffer is empty)").
    const detail = /\(([^()]*)\)\.?$/.exec(message)?.[1] ?? '';
    return /\bempty\b|\b0 bytes\b/i.test(detail) ? 'the file is empty' : 'the file is damaged or not an image';
  }
  if (code === 'IMAGE_TOO_LARGE') return 'the file is too large to be shown';
  // Not a photograph of the object (dataset/small-images.ts): a stub or an icon, a placeholder given to many.
  if (code === 'IMAGE_TOO_SMALL') {
    const size = / is (\d+×\d+) pixels/.exec(message)?.[1];
    return `the picture is only ${size ?? 'a few'} pixels, too small to show the object`;
  }
  if (code === 'IMAGE_PLACEHOLDER') {
    const others = Number(/ as (\d+) other objects/.exec(message)?.[1] ?? Number.NaN);
    return (
      `the same picture is given to ${Number.isNaN(others) ? 'many' : others + 1} objects of different kinds, a ` +
      'stand-in rather than a photograph of this one'
    );
  }
  if (code === 'IMAGE_LINK_OUTSIDE' || code === 'IMAGE_LINK_NOT_FOLLOWED')
    return 'the file is a link to somewhere else, which is not followed';
  if (/is outside the data folder/.test(message)) return "the file is outside the collection's data folder";
  if (/is not clear/.test(message)) return 'several files have its name';
  return 'the file is missing';
}

/**
 * Where a photograph the objects table names is, as staff find it: "data/images/x.jpg". Null for a path outside
 * the data folder ("/Users/jane/Desktop/IMG_1.jpg"): the page is public, and a path on someone's computer is
 * neither the public's business nor in the data folder the page speaks of.
 */
function shownPath(image: string): string | null {
  const relpath = path.posix.normalize(image.split('\\').join('/'));
  return relpath.startsWith('../') || path.posix.isAbsolute(relpath) || /^[A-Za-z]:/.test(relpath)
    ? null
    : `data/${relpath}`;
}

/**
 * Each object whose photograph cannot be used, by id, from dataset.json's issues. `images` is each object's image
 * path as the objects table names it (null: the table could not be read; the file is then taken from the message).
 */
export function photoProblemsOf({
  issues,
  images,
  refused,
  imported,
  origins,
}: {
  issues: DatasetIssue[];
  images: Map<string, string> | null;
  /** The files import refused, by object (data/.refused-images.json); absent: not read. */
  refused?: Map<string, RefusedImage>;
  /** Each object's image path as the last import wrote it (data/.imported-objects.csv); absent: not read or none. */
  imported?: Map<string, string> | null;
  /**
   * Where each object's file came from, told by the MD5 import stored too (imported-photographs.ts); absent: by the
   * path alone (`imported`).
   */
  origins?: Map<string, 'export' | 'changed'>;
}): Map<string, PhotoProblem> {
  const out = new Map<string, PhotoProblem>();
  for (const issue of issues) {
    if (!isPhotoProblem(issue) || out.has(issue.object!)) continue;
    const named = images?.get(issue.object!);
    const entry = named ? undefined : refused?.get(issue.object!);
    if (entry) {
      const reason = REFUSED_WORDS[refusedKind(entry.reason)];
      out.set(issue.object!, { file: null, exportFile: entry.image, reason });
      continue;
    }
    // A file import refused is named as the export names it, never in the data folder: no path from its message.
    if (!named && /was refused by import/.test(issue.message)) {
      out.set(issue.object!, { file: null, reason: photoProblemReason(issue) });
      continue;
    }
    // After the place the message starts with ("data/objects.csv:12: "), the photograph's file.
    const said = issue.message.replace(/^[^\n]*?:\d+: /, '');
    const file = named ? shownPath(named) : (/\bdata\/[^\s"():]+\.[A-Za-z0-9]+/.exec(said)?.[0] ?? null);
    const origin = origins
      ? origins.get(issue.object!)
      : named && imported?.get(issue.object!) === named
        ? 'export'
        : undefined;
    out.set(issue.object!, {
      file,
      reason: photoProblemReason(issue),
      ...(origin === 'export' && { fromExport: true as const }),
      ...(origin === 'changed' && { changedSinceImport: true as const }),
    });
  }
  return out;
}

/**
 * The image path of each object of the objects table (`data/objects.csv`) that names one; null when it cannot be read
 * (the messages then name the files). Read only when some photograph has a problem: at 100,000 objects it takes time.
 */
export async function namedImages({ file }: { file: string }): Promise<Map<string, string> | null> {
  try {
    const { objects } = parseObjects({ text: await readFile(file, 'utf8'), file: 'data/objects.csv' });
    // A path no file can have (a text pasted into the cell: the dataset says so) is named by no page.
    const named = objects.filter((o) => o.image && !overLimit({ value: o.image, most: MAX_PATH_BYTES }));
    return new Map(named.map((o) => [o.id, o.image]));
  } catch {
    return null;
  }
}
