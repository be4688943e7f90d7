import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { CollectionObject } from '../types.ts';
import { formatLabels, parseCsv, writeObjects } from './index.ts';
import { writeFileAtomic } from '../fs.ts';

export interface ImportResult {
  objects: number;
  labelled: number;
  withoutImage: number;
  problems: { file: string; line: number; message: string }[];
}

/**
 * Bring an existing collection into `data/` and `labels.csv`: a folder of images and a metadata CSV
 * exported from the museum's collections management system, its columns mapped in params.yaml
 * (`import.columns`). Objects without a label are imported too: the model annotates them later.
 */
export async function importCollection({ ws, params, metadata, images, log }: { ws: Workspace; params: Params; metadata?: string; images?: string; log: Logger }): Promise<ImportResult> {
  const csvFile = path.resolve(ws.root, metadata || params.import.metadata);
  if (!metadata && !params.import.metadata) throw new VitrineError('IMPORT_NO_METADATA', 'Say which metadata CSV to import: give --metadata <file> or set import.metadata in params.yaml.');
  const imageRoot = path.resolve(ws.root, images || params.import.images || path.dirname(csvFile));
  let text: string;
  try {
    text = await readFile(csvFile, 'utf8');
  } catch {
    throw new VitrineError('IMPORT_METADATA_MISSING', `The metadata file ${csvFile} cannot be read. Check the path given with --metadata or import.metadata in params.yaml.`, { file: csvFile });
  }
  const { header, rows } = parseCsv({ text, file: csvFile });
  const columns = params.import.columns;
  for (const [field, column] of Object.entries(columns)) {
    if (column && !header.includes(column) && (field === 'id' || field === 'image')) {
      throw new VitrineError('IMPORT_COLUMN_MISSING', `${csvFile}:1: params.yaml maps "${field}" to the column "${column}", but the CSV has no such column (it has: ${header.join(', ')}). Fix import.columns.${field} in params.yaml.`, { file: csvFile, line: 1 });
    }
  }
  const problems: ImportResult['problems'] = [];
  const objects: CollectionObject[] = [];
  const labels: { objectId: string; label: string }[] = [];
  const seen = new Map<string, number>();
  const progress = log.progress('Importing objects', rows.length);
  await mkdir(ws.images, { recursive: true });
  for (const { line, cells } of rows) {
    progress.tick();
    const get = (column: string) => (column ? (cells[column] ?? '') : '');
    const id = get(columns.id);
    if (!id) {
      problems.push({ file: csvFile, line, message: 'this row has no object id; skipped' });
      continue;
    }
    if (seen.has(id)) {
      problems.push({ file: csvFile, line, message: `object "${id}" appears again (first on line ${seen.get(id)}); skipped` });
      continue;
    }
    seen.set(id, line);
    let image = '';
    const source = get(columns.image);
    if (source) {
      const from = path.resolve(imageRoot, source);
      const info = await stat(from).catch(() => null);
      if (!info?.isFile()) problems.push({ file: csvFile, line, message: `the image "${source}" of object "${id}" was not found in ${imageRoot}; the object is imported without an image` });
      else {
        image = `images/${safeFileName(id)}${path.extname(from).toLowerCase()}`;
        await copyFile(from, path.join(ws.data, image));
      }
    }
    const extra: Record<string, string> = {};
    for (const column of params.import.keep) extra[column] = cells[column] ?? '';
    objects.push({ id, title: get(columns.title), maker: get(columns.maker), date: get(columns.date), department: get(columns.department), medium: get(columns.medium), creditLine: get(columns.credit_line), rights: get(columns.rights), description: get(columns.description), image, extra });
    const label = get(columns.label);
    if (label) labels.push({ objectId: id, label });
  }
  progress.done();
  for (const p of problems) log.warn(p.message, { file: path.relative(ws.root, p.file) || p.file, line: p.line });
  await writeObjects({ file: ws.objects, objects });
  await writeFileAtomic({ file: ws.labels, data: formatLabels({ labels }) });
  return { objects: objects.length, labelled: labels.length, withoutImage: objects.filter((o) => !o.image).length, problems };
}

/** An object id as a file name: museums use slashes, spaces and dots in accession numbers. */
export function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
}
