import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { writeFileAtomic } from '../fs.ts';
import type { Params } from '../params.ts';

/*
 * Where an export and its images are: params.yaml's import.metadata and import.images, which init writes and a bare
 * `vitrine import` reads. A museum gets a new export every month, often in a folder of its own (export-2024-02/):
 * given with --metadata, it is read with its own images, and params.yaml is brought up to date, so that the next
 * bare import reads it and not the first export (a tester's re-import brought back five deaccessioned objects and
 * an old photograph from export-2024-01).
 */

/**
 * The images folder of an import: --images when given; else import.images, but for another export given with
 * --metadata alone, the folder that stands to it as import.images stands to import.metadata (the export's folder,
 * or images/ inside it, as init writes them). A folder elsewhere (a share every export uses) stays as it is.
 */
export function imagesFolder({
  root,
  params,
  csvFile,
  images,
}: {
  root: string;
  params: Params;
  /** The export being imported (absolute). */
  csvFile: string;
  /** --images, when given (absolute or relative to root). */
  images?: string;
}): { folder: string; besideExport: boolean } {
  if (images) return { folder: path.resolve(root, images), besideExport: false };
  const configured = params.import.images;
  if (!configured) return { folder: path.dirname(csvFile), besideExport: false };
  const folder = path.resolve(root, configured);
  if (!params.import.metadata) return { folder, besideExport: false };
  const configuredCsv = path.resolve(root, params.import.metadata);
  if (configuredCsv === csvFile) return { folder, besideExport: false };
  const within = path.relative(path.dirname(configuredCsv), folder);
  if (within.startsWith('..') || path.isAbsolute(within)) return { folder, besideExport: false };
  const moved = path.resolve(path.dirname(csvFile), within);
  return { folder: moved, besideExport: moved !== folder };
}

/** A path as params.yaml holds it: relative to the repository, with "/", absolute only where no relative path is. */
export function paramsPath({ root, file }: { root: string; file: string }): string {
  const relative = path.relative(root, file);
  return path.isAbsolute(relative) ? file : relative.split(path.sep).join('/') || '.';
}

/**
 * Write the export just imported and its images folder into params.yaml (import.metadata, import.images), keeping
 * its comments and every other line. Returns the settings changed (none when they already named them).
 */
export async function recordImportSource({
  file,
  root,
  csvFile,
  imageRoot,
}: {
  /** params.yaml. */
  file: string;
  root: string;
  csvFile: string;
  /** The images folder, to record; undefined to leave import.images as it is (empty: the export's folder). */
  imageRoot?: string;
}): Promise<{ key: 'metadata' | 'images'; value: string }[]> {
  const text = await readFile(file, 'utf8');
  const doc = parseDocument(text);
  const wanted = {
    metadata: paramsPath({ root, file: csvFile }),
    images: imageRoot === undefined ? undefined : paramsPath({ root, file: imageRoot }),
  };
  const changed: { key: 'metadata' | 'images'; value: string }[] = [];
  for (const key of ['metadata', 'images'] as const) {
    if (wanted[key] === undefined) continue;
    const now = doc.getIn(['import', key]);
    const same = typeof now === 'string' && now !== '' && path.resolve(root, now) === path.resolve(root, wanted[key]!);
    if (same) continue;
    doc.setIn(['import', key], wanted[key]);
    changed.push({ key, value: wanted[key]! });
  }
  if (changed.length > 0) await writeFileAtomic({ file, data: doc.toString() });
  return changed;
}
