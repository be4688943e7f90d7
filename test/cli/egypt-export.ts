import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** The Egyptian set in ../shared (never copied into the repository: tests copy parts of it to temp folders). */
export const EGYPT = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'egyptian-antiquities');

/**
 * A copy of the Egyptian export (metadata.csv and images/<label>/<id>.jpg) in `dir`: the first `pick` objects
 * of each label, or every `everyNth` row; none of the labels in `leaveOut` (default none).
 */
export async function copyEgyptExport({
  dir,
  pick,
  leaveOut = [],
}: {
  dir: string;
  pick: number | { everyNth: number };
  leaveOut?: string[];
}): Promise<{ dir: string; header: string[]; rows: string[][] }> {
  const [header, ...all] = parse(await readFile(path.join(EGYPT, 'metadata.csv'), 'utf8')) as string[][];
  const rows = all.filter((r) => !leaveOut.includes(r[2]!));
  const taken = new Map<string, number>();
  const picked = rows.filter((r, i) => {
    if (typeof pick === 'object') return i % pick.everyNth === 0;
    const n = taken.get(r[2]!) ?? 0;
    taken.set(r[2]!, n + 1);
    return n < pick;
  });
  for (const row of picked) {
    await mkdir(path.join(dir, path.dirname(row[1]!)), { recursive: true });
    await copyFile(path.join(EGYPT, row[1]!), path.join(dir, row[1]!));
  }
  await writeFile(path.join(dir, 'metadata.csv'), stringify([header!, ...picked]));
  return { dir, header: header!, rows: picked };
}
