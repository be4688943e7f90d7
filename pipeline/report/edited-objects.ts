import { readObjectsChecked } from '../dataset/validate.ts';
import { messageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import type { CollectionObject } from '../types.ts';
import type { BaseData } from './base-data.ts';
import { shorten, text } from './markdown.ts';
import { tableAsRecorded } from './removed-objects.ts';
import type { EditedColumn, EditedObject, ObjectsEdited } from './types.ts';

/*
 * Tester C: a pull request correcting titles (which the model does not read) was said to keep production's model,
 * and nothing named what it changed: data/objects.csv is in the DVC cache, so GitHub's diff shows nothing of it.
 */

/** Objects listed in report.json (the count is of all); the comment names the first SHOWN_EDITED. */
const LISTED = 100;
export const SHOWN_EDITED = 5;
/** The longest stretch of a value the comment quotes: around the first difference in a long one. */
const QUOTED = 60;

/** The columns of data/objects.csv as the comment names them; extra columns by their own names. */
const FIELD_NAMES: Record<string, string> = {
  title: 'title',
  maker: 'maker',
  date: 'date',
  department: 'department',
  medium: 'medium',
  creditLine: 'credit line',
  rights: 'rights',
  description: 'description',
  image: 'photograph file',
};
const PHOTOGRAPH = FIELD_NAMES.image!;

/** An object's fields, by the comment's names: its own columns, then the extra ones. */
function fieldsOf(o: CollectionObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, name] of Object.entries(FIELD_NAMES))
    out.set(name, String((o as unknown as Record<string, unknown>)[key] ?? ''));
  for (const [key, value] of Object.entries(o.extra ?? {})) if (!out.has(key)) out.set(key, value);
  return out;
}

type FieldChange = EditedObject['fields'][number] & { id: string };

/**
 * A column filled where it was empty (or emptied where it had values) for at least half of the objects both tables
 * have, and never changed otherwise: a column added, removed or renamed, said once rather than per object.
 */
function columnChanges(changes: Map<string, FieldChange[]>, shared: number): EditedColumn[] {
  const out: EditedColumn[] = [];
  for (const [name, list] of changes) {
    if (list.length * 2 < shared) continue;
    if (list.every((c) => c.before === '')) out.push({ name, change: 'added', objects: list.length });
    else if (list.every((c) => c.after === '')) out.push({ name, change: 'emptied', objects: list.length });
  }
  // A column emptied whose values, object by object, are now those of a column added: renamed.
  for (const gone of out.filter((c) => c.change === 'emptied')) {
    const had = new Map(changes.get(gone.name)!.map((c) => [c.id, c.before]));
    const added = out.find(
      (c) =>
        c.change === 'added' &&
        c.objects === gone.objects &&
        changes.get(c.name)!.every((x) => had.get(x.id) === x.after),
    );
    if (!added) continue;
    Object.assign(gone, { change: 'renamed', to: added.name });
    out.splice(out.indexOf(added), 1);
  }
  return out;
}

/**
 * What changed between the base's data/objects.csv and the work tree's, for the objects both have (ids compared as
 * the dataset stage compares them: NFC). Null when they cannot be compared (said in the log).
 */
export async function editedObjects({
  ws,
  base,
  log,
}: {
  ws: Workspace;
  base: BaseData;
  log: Logger;
}): Promise<ObjectsEdited | null> {
  const none: ObjectsEdited = { columns: [], count: 0, photographs: 0, objects: [] };
  if ((await base.sameAsWorkTree()) && (await tableAsRecorded({ ws, base }))) return none;
  const before = await base.objects();
  if (!before) return null;
  let now: CollectionObject[];
  try {
    now = (await readObjectsChecked({ file: ws.objects, name: 'data/objects.csv' })).objects;
  } catch (error) {
    log.debug(`data/objects.csv could not be read to compare with the base's: ${messageOf(error)}`);
    return null;
  }
  const was = new Map(before.map((o) => [o.id.normalize('NFC'), o]));
  const rows: { id: string; fields: FieldChange[] }[] = [];
  const byField = new Map<string, FieldChange[]>();
  let shared = 0;
  for (const o of now) {
    const old = was.get(o.id.normalize('NFC'));
    if (!old) continue;
    shared++;
    const a = fieldsOf(old);
    const b = fieldsOf(o);
    const fields = [...new Set([...a.keys(), ...b.keys()])]
      .filter((name) => (a.get(name) ?? '') !== (b.get(name) ?? ''))
      .map((name) => ({ id: o.id, name, before: a.get(name) ?? '', after: b.get(name) ?? '' }));
    if (fields.length === 0) continue;
    rows.push({ id: o.id, fields });
    for (const f of fields) byField.set(f.name, [...(byField.get(f.name) ?? []), f]);
  }
  const columns = columnChanges(byField, shared);
  const asColumn = new Set(columns.flatMap((c) => (c.to ? [c.name, c.to] : [c.name])));
  const objects = rows
    .map((r) => ({
      id: r.id,
      fields: r.fields.filter((f) => !asColumn.has(f.name)).map(({ name, before, after }) => ({ name, before, after })),
    }))
    .filter((r) => r.fields.length > 0);
  return {
    columns,
    count: objects.length,
    photographs: objects.filter((o) => o.fields.some((f) => f.name === PHOTOGRAPH)).length,
    objects: objects.slice(0, LISTED),
  };
}

/**
 * The stretch of each value around their first difference, so a change past the start of a long description shows
 * ("…the end" → "…teh end"), at most QUOTED characters each.
 */
function around(before: string, after: string): [string, string] {
  const a = Array.from(before);
  const b = Array.from(after);
  if (a.length <= QUOTED && b.length <= QUOTED) return [before, after];
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 20);
  const cut = (cs: string[]) =>
    `${from > 0 ? '…' : ''}${cs.slice(from, from + QUOTED).join('')}${from + QUOTED < cs.length ? '…' : ''}`;
  return [cut(a), cut(b)];
}

/** 'title “Bowl” → “Bowl with Fish”', 'date “c. 1400” (was empty)', 'maker removed (was “Unknown”)'; escaped. */
function fieldWords({ name, before, after }: EditedObject['fields'][number]): string {
  const q = (s: string) => `“${text(shorten(s, QUOTED + 2))}”`;
  if (!before) return `${text(name)} ${q(after)} (was empty)`;
  if (!after) return `${text(name)} removed (was ${q(before)})`;
  // Spaces, tabs and line breaks only: a quote of either would read the same.
  if (before.replace(/\s+/g, ' ').trim() === after.replace(/\s+/g, ' ').trim()) return `${text(name)}: spacing only`;
  const [a, b] = around(before, after);
  return `${text(name)} ${q(a)} → ${q(b)}`;
}

/** 'a new column “location” (filled for 12 objects)', 'the column “description” renamed “notes” (12 objects)'. */
function columnWords(c: EditedColumn): string {
  const objects = `${c.objects.toLocaleString('en')} ${c.objects === 1 ? 'object' : 'objects'}`;
  if (c.change === 'renamed') return `the column “${text(c.name)}” renamed “${text(c.to ?? '')}” (${objects})`;
  return c.change === 'added'
    ? `a new column “${text(c.name)}” (filled for ${objects})`
    : `the column “${text(c.name)}” emptied or removed (it had values for ${objects})`;
}

/**
 * The comment's line: columns filled or emptied at once, then how many object records changed and the first
 * SHOWN_EDITED, field by field; what the model reads of them (only the photograph file). '' when none changed.
 */
export function editedObjectsSection(edited: ObjectsEdited | null): string {
  if (!edited) return '';
  const n = edited.count;
  const columns = edited.columns ?? [];
  if (n === 0 && columns.length === 0) return '';
  const parts: string[] = [];
  if (columns.length > 0) parts.push(`${columns.map(columnWords).join('; ')}`);
  if (n > 0) {
    const shown = edited.objects.slice(0, SHOWN_EDITED);
    const list = shown.map((o) => `${text(shorten(o.id))} ${o.fields.map(fieldWords).join(', ')}`).join('; ');
    const rest = n - shown.length;
    parts.push(`${list}${rest > 0 ? `; and ${rest.toLocaleString('en')} more` : ''}`);
  }
  const reads =
    (edited.photographs ?? 0) > 0
      ? `the model reads only the photograph file of them (${edited.photographs.toLocaleString('en')} changed)`
      : 'the model does not read them';
  const what =
    n > 0
      ? `${n.toLocaleString('en')} object ${n === 1 ? 'record' : 'records'} changed`
      : `${columns.length === 1 ? 'A column' : 'Columns'} changed`;
  return `**${what}** in data/objects.csv (the catalogue shows them; ${reads}): ${parts.join('; ')}.`;
}
