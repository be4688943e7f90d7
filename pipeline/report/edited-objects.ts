import { readObjectsChecked } from '../dataset/validate.ts';
import { messageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import type { CollectionObject } from '../types.ts';
import type { BaseData } from './base-data.ts';
import { shorten, text } from './markdown.ts';
import { tableAsRecorded } from './removed-objects.ts';
import type { EditedObject } from './types.ts';

/*
 * Tester C: a pull request correcting titles (which the model does not read) was said to keep production's model,
 * and nothing named what it changed: data/objects.csv is in the DVC cache, so GitHub's diff shows nothing of it.
 */

/** Objects listed in report.json (the count is of all); the comment names the first SHOWN_EDITED. */
const LISTED = 100;
export const SHOWN_EDITED = 5;

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

/** An object's fields, by the comment's names: its own columns, then the extra ones. */
function fieldsOf(o: CollectionObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, name] of Object.entries(FIELD_NAMES))
    out.set(name, String((o as unknown as Record<string, unknown>)[key] ?? ''));
  for (const [key, value] of Object.entries(o.extra ?? {})) if (!out.has(key)) out.set(key, value);
  return out;
}

/**
 * The objects both the base's data/objects.csv and the work tree's have whose rows differ, field by field, in the
 * work tree's order (the first LISTED; `count` is of all). Null when they cannot be compared (said in the log).
 */
export async function editedObjects({
  ws,
  base,
  log,
}: {
  ws: Workspace;
  base: BaseData;
  log: Logger;
}): Promise<{ count: number; objects: EditedObject[] } | null> {
  if ((await base.sameAsWorkTree()) && (await tableAsRecorded({ ws, base }))) return { count: 0, objects: [] };
  const before = await base.objects();
  if (!before) return null;
  let now: CollectionObject[];
  try {
    now = (await readObjectsChecked({ file: ws.objects, name: 'data/objects.csv' })).objects;
  } catch (error) {
    log.debug(`data/objects.csv could not be read to compare with the base's: ${messageOf(error)}`);
    return null;
  }
  const was = new Map(before.map((o) => [o.id, o]));
  const edited: EditedObject[] = [];
  let count = 0;
  for (const o of now) {
    const old = was.get(o.id);
    if (!old) continue;
    const a = fieldsOf(old);
    const b = fieldsOf(o);
    const fields = [...new Set([...a.keys(), ...b.keys()])]
      .filter((name) => (a.get(name) ?? '') !== (b.get(name) ?? ''))
      .map((name) => ({ name, before: a.get(name) ?? '', after: b.get(name) ?? '' }));
    if (fields.length === 0) continue;
    count++;
    if (edited.length < LISTED) edited.push({ id: o.id, fields });
  }
  return { count, objects: edited };
}

/** 'title “Bowl” → “Bowl with Fish”', 'date “c. 1400” (was empty)', 'maker removed (was “Unknown”)'; escaped. */
function fieldWords({ name, before, after }: EditedObject['fields'][number]): string {
  const q = (s: string) => `“${text(shorten(s))}”`;
  if (!before) return `${text(name)} ${q(after)} (was empty)`;
  if (!after) return `${text(name)} removed (was ${q(before)})`;
  return `${text(name)} ${q(before)} → ${q(after)}`;
}

/**
 * The comment's line: how many object records changed and the first SHOWN_EDITED, field by field; what the model reads
 * of them (only the photograph file). '' when none changed (or it is not known).
 */
export function editedObjectsSection(edited: { count: number; objects: EditedObject[] } | null): string {
  const n = edited?.count ?? 0;
  if (n === 0) return '';
  const shown = edited!.objects.slice(0, SHOWN_EDITED);
  const list = shown.map((o) => `${text(shorten(o.id))} ${o.fields.map(fieldWords).join(', ')}`).join('; ');
  const rest = n - shown.length;
  const photos = edited!.objects.some((o) => o.fields.some((f) => f.name === 'photograph file'));
  const reads = photos ? 'the model reads only the photograph file of them' : 'the model does not read them';
  return (
    `**${n.toLocaleString('en')} object ${n === 1 ? 'record' : 'records'} changed** in data/objects.csv (the ` +
    `catalogue shows them; ${reads}): ${list}${rest > 0 ? `; and ${rest.toLocaleString('en')} more` : ''}.`
  );
}
