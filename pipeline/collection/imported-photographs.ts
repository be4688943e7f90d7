import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { hashFile } from '../data/hash.ts';
import type { Workspace } from '../paths.ts';

/*
 * The advice for a photograph that cannot be used follows where its file came from: one import stored from the export
 * is fixed in the export and imported again. That was told by the path alone (data/.imported-objects.csv names the
 * file), so a photograph damaged in data/ by hand after import was still said to come from the export, where its copy
 * is good. Import now keeps, beside data/objects.csv, the MD5 of each object's photograph as it stored it (the MD5 is
 * known at import: each file it places is hashed for its journal, and one already there is in the data layer's hash
 * state); a file in data/ that no longer has those bytes was changed after import.
 */

/** In data/ (versioned with it by data.dvc): each object's photograph as the last import stored it, by object id. */
export const IMPORTED_PHOTOGRAPHS = '.imported-photographs.json';

/** One object's photograph as import stored it from the export. */
export interface ImportedPhotograph {
  /** Its path in data/, as data/objects.csv names it ("images/A1.jpg"). */
  image: string;
  /** The MD5 of its bytes, as the data layer hashes files. */
  md5: string;
  /**
   * The last import did not take it from the export, but kept the file already in data/ (the export's is gone, or
   * refused): importing again would not put it back, so a change made to it in data/ is for the data folder.
   */
  kept?: true;
  /**
   * The export's image cell it came from, as written there ("photos\\2019\\bombe.png"): a picture the dataset stage
   * cannot use is fixed in the export, and named as the export names it (tester T6 F10). Absent from older records.
   */
  exported?: string;
}

export function importedPhotographsFile(ws: Workspace): string {
  return path.join(ws.data, IMPORTED_PHOTOGRAPHS);
}

/**
 * The record's text: one entry a line, by id in code-point order, each entry's keys in one order, so the same
 * photographs give the same bytes (an entry kept again put "kept" after "exported", then before it: data.dvc changed
 * on the same export imported again, reviewer V24).
 */
export function formatImportedPhotographs(record: Map<string, ImportedPhotograph>): string {
  const ids = [...record.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const inOrder = ({ image, md5, kept, exported }: ImportedPhotograph): ImportedPhotograph => ({
    image,
    md5,
    ...(kept && { kept }),
    ...(exported !== undefined && { exported }),
  });
  return `${JSON.stringify(Object.fromEntries(ids.map((id) => [id, inOrder(record.get(id)!)])), null, 2)}\n`;
}

/** An MD5 as the data layer writes it: 32 lowercase hexadecimal digits. */
const MD5 = /^[0-9a-f]{32}$/;

/**
 * The record's text by object id, its well-formed entries only (an image path, and an MD5 of 32 lowercase hex
 * digits); throws a SyntaxError when it is not JSON, or not a record (a list, a number).
 */
export function parseImportedPhotographs(text: string): Map<string, ImportedPhotograph> {
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SyntaxError('it is not a list of photographs by object');
  const out = new Map<string, ImportedPhotograph>();
  for (const [id, entry] of Object.entries(parsed)) {
    const { image, md5 } = (entry ?? {}) as Partial<ImportedPhotograph>;
    const { kept, exported } = (entry ?? {}) as Partial<ImportedPhotograph>;
    if (typeof image === 'string' && image !== '' && typeof md5 === 'string' && MD5.test(md5))
      out.set(id, {
        image,
        md5,
        ...(kept === true && { kept }),
        ...(typeof exported === 'string' && exported !== '' && { exported }),
      });
  }
  return out;
}

/**
 * The record by object id (its well-formed entries); null when there is none (a repository imported into before
 * imports kept it, or never imported) or it cannot be read, which `unreadable` is told of, with why: the advice then
 * goes by the path alone, as before.
 */
export async function readImportedPhotographs({
  ws,
  unreadable,
}: {
  ws: Workspace;
  unreadable?: (why: string) => void;
}): Promise<Map<string, ImportedPhotograph> | null> {
  try {
    return parseImportedPhotographs(await readFile(importedPhotographsFile(ws), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      unreadable?.(
        error instanceof SyntaxError
          ? /^it is /.test(error.message)
            ? error.message
            : 'it is not valid JSON'
          : code === 'EISDIR'
            ? 'it is a folder, not a file'
            : code
              ? `${code}`
              : String(error),
      );
    return null;
  }
}

/**
 * Where an object's photograph in data/ came from, for what to do about it:
 * - `export`: import stored it from the export, and it still has the bytes import stored (fixed in the export);
 * - `changed`: import stored it, but the file in data/ has other bytes now, or is gone (changed after import, by hand
 *   or by another program: importing again puts it back);
 * - undefined: not the file the last import named for the object (put in data/ by hand, or never imported), or one
 *   changed since that the export cannot put back (the last import kept it: the export's is gone, or refused), for
 *   which importing again would change nothing: it is fixed in the data folder.
 * `image` is its path in data/ as data/objects.csv names it; `lastImport` each object's as the last import wrote it.
 * With no record of the MD5 (`record` null: imported before imports kept it), or none for this object, the path
 * alone says it: `export` when the last import named this file, as before the record was kept.
 */
export async function photographOrigin({
  ws,
  id,
  image,
  lastImport,
  record,
}: {
  ws: Workspace;
  id: string;
  image: string | undefined;
  lastImport: Map<string, string> | null | undefined;
  record: Map<string, ImportedPhotograph> | null;
}): Promise<'export' | 'changed' | undefined> {
  if (!image || lastImport?.get(id) !== image) return undefined;
  const stored = record?.get(id);
  if (!stored || stored.image !== image) return 'export';
  const now = await hashFile({ file: path.join(ws.data, image) }).catch(() => null);
  return now === stored.md5 ? 'export' : stored.kept ? undefined : 'changed';
}

/**
 * photographOrigin for each of `ids` (objects whose photograph cannot be used: only their files are read), the record
 * read once. `images` is each object's path in data/ as data/objects.csv names it.
 */
export async function photographOrigins({
  ws,
  ids,
  images,
  lastImport,
}: {
  ws: Workspace;
  ids: string[];
  images: Map<string, string> | null;
  lastImport: Map<string, string> | null | undefined;
}): Promise<Map<string, 'export' | 'changed'>> {
  const record = await readImportedPhotographs({ ws });
  const out = new Map<string, 'export' | 'changed'>();
  for (const id of new Set(ids)) {
    const origin = await photographOrigin({ ws, id, image: images?.get(id), lastImport, record });
    if (origin) out.set(id, origin);
  }
  return out;
}
