import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../errors.ts';
import { clip, type Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import type { CollectionObject } from '../types.ts';
import { listWords } from '../words.ts';
import { decodeText, FIELD_OF, OBJECT_COLUMNS, parseObjects } from './index.ts';

/*
 * data/objects.csv always comes from the export: the collection system is the source of the objects' details. A
 * correction made in the repository instead (a title fixed in data/objects.csv, recorded with `vitrine data add`)
 * was put back by the next import with no word but "1 with other details (MET_544653: title)". To tell such an edit,
 * each import keeps the table it wrote beside it, in data/ (LAST_IMPORT): versioned with data/ by data.dvc, it comes
 * with `git merge` and `vitrine data pull` on a fresh clone, and it costs nothing in the data cache or remote while
 * it is the same as data/objects.csv (the same bytes are stored once). A value data/objects.csv holds otherwise than
 * that table was edited in the repository since the last import; the next import that writes another over it says so,
 * object by object.
 */

/** In data/: data/objects.csv as the last import wrote it. */
export const LAST_IMPORT = '.imported-objects.csv';

/** How many values put back are each said as a warning; the others are counted in one line (each with --verbose). */
const SAID = 10;

/** A value edited in data/objects.csv since the last import that this import puts back to the export's. */
export interface EditUndone {
  id: string;
  /** The column of data/objects.csv ("title", "credit_line", or one of import.keep). */
  column: string;
  /** What data/objects.csv held, edited since the last import. */
  repository: string;
  /** What the last import wrote. */
  imported: string;
  /** What the export says, which this import writes. */
  exported: string;
  /** The object's line in the export. */
  line: number;
}

export function lastImportFile(ws: Workspace): string {
  return path.join(ws.data, LAST_IMPORT);
}

/** An object's cells by data/objects.csv's columns (the id's left out), its extra columns after. */
function cellsOf(o: CollectionObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const column of OBJECT_COLUMNS) if (column !== 'id') out.set(column, String(o[FIELD_OF[column]] ?? ''));
  for (const [column, value] of Object.entries(o.extra ?? {})) if (!out.has(column)) out.set(column, value);
  return out;
}

/**
 * The table the last import wrote (LAST_IMPORT), by id; null when there is none (a repository imported into before
 * imports kept it) or it cannot be read (said in the log's detail).
 */
export async function lastImported({
  ws,
  log,
}: {
  ws: Workspace;
  log: Logger;
}): Promise<Map<string, CollectionObject> | null> {
  const file = lastImportFile(ws);
  try {
    const bytes = await readFile(file);
    const name = path.relative(ws.root, file).split(path.sep).join('/');
    const { objects } = parseObjects({ text: decodeText({ bytes, file: name }), file: name });
    return new Map(objects.map((o) => [o.id, o]));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      log.debug(`The table the last import wrote could not be read: ${messageOf(error)}`);
    return null;
  }
}

/**
 * The values data/objects.csv (`current`) holds otherwise than the last import wrote them (`imported`), which the
 * export (`exported`) now says otherwise again: this import puts the export's back. A value the export has as the
 * repository does (corrected in the collection system too) is not one.
 */
export function editsUndone({
  imported,
  current,
  exported,
}: {
  imported: Map<string, CollectionObject> | null;
  current: Map<string, CollectionObject>;
  exported: { object: CollectionObject; line: number }[];
}): EditUndone[] {
  if (!imported) return [];
  const out: EditUndone[] = [];
  for (const { object, line } of exported) {
    const was = imported.get(object.id);
    const now = current.get(object.id);
    if (!was || !now) continue;
    const a = cellsOf(was);
    const b = cellsOf(now);
    const c = cellsOf(object);
    for (const column of new Set([...a.keys(), ...b.keys(), ...c.keys()])) {
      const [before, edited, next] = [a, b, c].map((cells) => cells.get(column) ?? '') as [string, string, string];
      if (edited === before || next === edited) continue;
      out.push({ id: object.id, column, repository: edited, imported: before, exported: next, line });
    }
  }
  return out;
}

/** A value quoted for a message: "…" (clipped), or "(empty)". */
function quoted(value: string): string {
  return value ? `"${clip(value)}"` : '(empty)';
}

/**
 * Each value put back, as a warning on the export's line that names the object, the column, the repository's value
 * and the export's, and says to correct it in the collection system; past SAID, one line counts the rest.
 */
export function sayEditsUndone({
  undone,
  name,
  objectsName,
  log,
}: {
  undone: EditUndone[];
  /** The export, as messages name it. */
  name: string;
  objectsName: string;
  log: Logger;
}): void {
  const fix = 'Correct it in the collection system, then export and import again.';
  const words = (u: EditUndone) =>
    `object "${clip(u.id)}": its ${u.column} was changed in ${objectsName} since the last import, to ` +
    `${quoted(u.repository)}, but the export ${u.exported === u.imported ? 'still says' : 'says'} ` +
    `${quoted(u.exported)}, and ${objectsName} takes the export’s values.`;
  for (const u of undone.slice(0, SAID)) log.warn(`${words(u)} ${fix}`, { file: name, line: u.line, object: u.id });
  const rest = undone.slice(SAID);
  if (rest.length === 0) return;
  for (const u of rest) log.debug(words(u));
  const ids = [...new Set(rest.map((u) => u.id))];
  log.warn(
    `${rest.length} more ${rest.length === 1 ? 'value' : 'values'} changed in ${objectsName} since the last import ` +
      `${rest.length === 1 ? 'is' : 'are'} put back to the export’s (${listWords(ids, { last: ',', max: 10 })}): ` +
      'import with --verbose to see each. Correct them in the collection system, then export and import again.',
    { file: name, line: rest[0]!.line },
  );
}
