import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import { VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import { defaultParams, type Params, paramsHaveCollection } from '../params.ts';

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
  // A new export saved on its own (its photographs unchanged, still where import.images names them): that folder.
  if (!existsSync(moved)) return { folder, besideExport: false };
  return { folder: moved, besideExport: moved !== folder };
}

/** A path as params.yaml holds it: relative to the repository, with "/", absolute only where no relative path is. */
export function paramsPath({ root, file }: { root: string; file: string }): string {
  const relative = path.relative(root, file);
  return path.isAbsolute(relative) ? file : relative.split(path.sep).join('/') || '.';
}

/**
 * Before an import that will write its export into params.yaml (`file`, named `name`): a file with import settings
 * and no collection section is refused by every command (params.ts), so recording them there would leave a
 * repository nothing reads, under the demo's name (a reviewer: an import into a params.yaml of import.columns alone
 * went through, then every command said the museum's section "was deleted"). Refused before data/ changes.
 */
export async function refuseSourceWithoutCollection({ file, name }: { file: string; name: string }): Promise<void> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  // No params.yaml: nothing is recorded (recordImportSource).
  if (text === undefined || paramsHaveCollection({ text })) return;
  const demo = defaultParams().collection;
  throw new VitrineError(
    'IMPORT_NO_COLLECTION',
    `${name} has no collection section: "vitrine import" writes where it read the export into ${name} ` +
      "(import.metadata), and a repository that imports a museum's export must name the museum and its labels " +
      `there, or the catalogue, the reports and the model would take the demo's ("${demo.name}"; ` +
      `${demo.vocabulary.join(', ')}). Nothing was imported. Add these lines at the top of ${name}, with the ` +
      "collection's name and the labels of labels.csv the model is to learn, at least two, then run the same " +
      'import again:\ncollection:\n  name: Your Museum\n  vocabulary: [coin, mask]',
    { file },
  );
}

/**
 * Write the export just imported and its images folder into params.yaml (import.metadata, import.images), changing
 * only the text of those two values: staff commit the file, and its diff must show those lines alone (the YAML
 * library's own writing reflowed comments, long values and line ends). A setting not written in the file yet is
 * added by the library. Returns the settings changed (none when they already named them, or there is no params.yaml).
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
  // No params.yaml (a repository run on the defaults): nothing names an export to bring up to date.
  const read = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (read === undefined) return [];
  let text = read;
  const wanted = {
    metadata: paramsPath({ root, file: csvFile }),
    images: imageRoot === undefined ? undefined : paramsPath({ root, file: imageRoot }),
  };
  const changed: { key: 'metadata' | 'images'; value: string }[] = [];
  for (const key of ['metadata', 'images'] as const) {
    const value = wanted[key];
    if (value === undefined) continue;
    const doc = parseDocument(text);
    const node = doc.getIn(['import', key], true);
    const now = isScalar(node) ? node.value : undefined;
    if (typeof now === 'string' && now !== '' && path.resolve(root, now) === path.resolve(root, value)) continue;
    // A double-quoted YAML string is JSON's: any path is written as it is.
    if (isScalar(node) && node.range)
      text = text.slice(0, node.range[0]) + JSON.stringify(value) + text.slice(node.range[1]);
    else {
      doc.setIn(['import', key], value);
      text = doc.toString();
    }
    changed.push({ key, value });
  }
  if (changed.length > 0) await writeFileAtomic({ file, data: text });
  return changed;
}
