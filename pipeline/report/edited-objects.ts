import path from 'node:path';
import { hashFile } from '../data/hash.ts';
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
/**
 * The field of a photograph replaced under the same file name (a new export's other picture), `before` and `after`
 * the md5 of its bytes: data/objects.csv is unchanged, but the model reads another picture.
 */
const NEW_PHOTOGRAPH = 'photograph';

/** The photograph file an object names, as data.dvc's listing spells it (relative to data/, forward slashes). */
function imageKey(image: string): string {
  return path.posix.normalize(image.split('\\').join('/'));
}

/**
 * md5 of each object's photograph now, by file (relative to data/): from the work tree's data.dvc listing, else read
 * from the data folder (a file that cannot be read is left out).
 */
async function photographsNow({
  ws,
  base,
  files,
}: {
  ws: Workspace;
  base: BaseData;
  files: string[];
}): Promise<Map<string, string>> {
  const listed = await base.workTreeFiles();
  const out = new Map<string, string>();
  for (const file of files) {
    const md5 = listed ? listed.get(file) : await hashFile({ file: path.join(ws.data, file) }).catch(() => undefined);
    if (md5) out.set(file, md5);
  }
  return out;
}

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
  labelOf,
  log,
}: {
  ws: Workspace;
  base: BaseData;
  /** Each labelled object's label: an object whose photograph changed names it, so staff check it still fits. */
  labelOf?: ReadonlyMap<string, string>;
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
  // Photographs whose file name stayed: their bytes at the base (data.dvc's listing there) and now.
  const keptFile: { id: string; file: string }[] = [];
  let shared = 0;
  for (const o of now) {
    const old = was.get(o.id.normalize('NFC'));
    if (!old) continue;
    shared++;
    if (o.image && imageKey(o.image) === imageKey(old.image ?? ''))
      keptFile.push({ id: o.id, file: imageKey(o.image) });
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
  const replaced = await replacedPhotographs({ ws, base, keptFile, log });
  const edited = new Map(rows.map((r) => [r.id, r.fields.filter((f) => !asColumn.has(f.name))]));
  for (const [id, change] of replaced) edited.set(id, [{ id, ...change }, ...(edited.get(id) ?? [])]);
  const photographChanged = (fields: { name: string }[]) =>
    fields.some((f) => f.name === PHOTOGRAPH || f.name === NEW_PHOTOGRAPH);
  const changedPhotograph = now.filter((o) => photographChanged(edited.get(o.id) ?? []));
  const sharing = await samePhotographs({ base, now, of: changedPhotograph, labelOf, log });
  const objects: EditedObject[] = [];
  for (const o of now) {
    const fields = edited.get(o.id);
    if (!fields?.length) continue;
    const label = photographChanged(fields) ? labelOf?.get(o.id) : undefined;
    const same = sharing.get(o.id);
    objects.push({
      id: o.id,
      fields: fields.map(({ name, before, after }) => ({ name, before, after })),
      ...(label ? { label } : {}),
      ...(same ? { samePhotograph: same.others, samePhotographCount: same.count } : {}),
    });
  }
  // Those whose photograph changed first: the model reads it, and a label may no longer fit. Before them, those whose
  // new photograph is another object's under another label: the first line names them and sends staff to this list.
  const rank = (o: EditedObject) => (copiedPhotograph(o) ? 2 : Number(photographChanged(o.fields)));
  objects.sort((a, b) => rank(b) - rank(a));
  return {
    columns,
    count: objects.length,
    photographs: objects.filter((o) => photographChanged(o.fields)).length,
    // Of all, not of the LISTED: the first line counts them (more than 100 copies said "100").
    copied: objects.filter(copiedPhotograph).length,
    objects: objects.slice(0, LISTED),
  };
}

/**
 * The objects whose photograph file kept its name but holds another picture since the base (md5 at the base from its
 * data.dvc listing, now from the work tree's), as a NEW_PHOTOGRAPH change. None when the base's listing is not in the
 * local DVC cache (said in the log's detail); a file missing at either end is not one (the photographs section says
 * which cannot be used).
 */
async function replacedPhotographs({
  ws,
  base,
  keptFile,
  log,
}: {
  ws: Workspace;
  base: BaseData;
  keptFile: { id: string; file: string }[];
  log: Logger;
}): Promise<Map<string, { name: string; before: string; after: string }>> {
  const out = new Map<string, { name: string; before: string; after: string }>();
  if (keptFile.length === 0) return out;
  const files = (await base.listing())?.files;
  if (!files) {
    log.debug("The base's photographs could not be compared with these: its data.dvc listing is not in the cache.");
    return out;
  }
  const now = await photographsNow({ ws, base, files: keptFile.map((k) => k.file) });
  for (const { id, file } of keptFile) {
    const before = files.get(file);
    const after = now.get(file);
    if (before && after && before !== after) out.set(id, { name: NEW_PHOTOGRAPH, before, after });
  }
  return out;
}

/** Its new photograph is another object's under another label: one of the two labels, or the photograph, is wrong. */
export function copiedPhotograph(o: EditedObject): boolean {
  return (o.samePhotograph ?? []).some((x) => x.label !== undefined && o.label !== undefined && x.label !== o.label);
}

/** Other objects named at most for one whose new photograph is theirs too; listed in report.json at most. */
const SAME_PHOTOGRAPH_SHOWN = 3;
const SAME_PHOTOGRAPH_LISTED = 10;

/**
 * For each object of `of` (those whose photograph changed), the other objects whose photograph file holds the same
 * bytes now, by the work tree's data.dvc listing (none when the local DVC cache lacks it: said in the log's detail).
 * A tester gave an object a copy of another's photograph: the run log warned, the comment did not name the other.
 */
async function samePhotographs({
  base,
  now,
  of,
  labelOf,
  log,
}: {
  base: BaseData;
  now: CollectionObject[];
  of: CollectionObject[];
  labelOf?: ReadonlyMap<string, string>;
  log: Logger;
}): Promise<Map<string, { others: { id: string; label?: string }[]; count: number }>> {
  const out = new Map<string, { others: { id: string; label?: string }[]; count: number }>();
  if (of.length === 0) return out;
  const listed = await base.workTreeFiles();
  if (!listed) {
    log.debug('New photographs were not compared with the others: the data.dvc listing is not in the local cache.');
    return out;
  }
  const md5Of = (o: CollectionObject) => (o.image ? listed.get(imageKey(o.image)) : undefined);
  const wanted = new Set(of.flatMap((o) => md5Of(o) ?? []));
  const byMd5 = new Map<string, CollectionObject[]>();
  for (const o of now) {
    const md5 = md5Of(o);
    if (!md5 || !wanted.has(md5)) continue;
    // Pushed, not copied: a placeholder picture may be thousands of objects'.
    const group = byMd5.get(md5);
    if (group) group.push(o);
    else byMd5.set(md5, [o]);
  }
  for (const o of of) {
    const md5 = md5Of(o);
    const others = (md5 ? (byMd5.get(md5) ?? []) : []).filter((x) => x.id !== o.id);
    if (others.length === 0) continue;
    // Those with another label first: one of the two labels is wrong, or the photograph.
    const label = labelOf?.get(o.id);
    const differ = others.filter((x) => labelOf?.get(x.id) !== label);
    const ranked = [...differ, ...others.filter((x) => labelOf?.get(x.id) === label)];
    // The first few, with the count: one placeholder picture given to thousands would list them all for each.
    const listed = ranked.slice(0, SAME_PHOTOGRAPH_LISTED).map((x) => {
      const l = labelOf?.get(x.id);
      return { id: x.id, ...(l ? { label: l } : {}) };
    });
    out.set(o.id, { others: listed, count: others.length });
  }
  return out;
}

/**
 * What to say after an object whose photograph changed: its label to check ", labelled “Mineral”: check the label
 * still fits"; when its new photograph is another object's too (`samePhotograph`), that object and what it means
 * (", labelled “Mineral”, ⚠️ the same photograph as L.0123426’s, labelled “Fossil”: one of the two labels is wrong,
 * or one of the two objects was given the other’s photograph; check which"). Escaped; '' for neither.
 */
function photographWords(o: EditedObject): string {
  const labelled = o.label ? `, labelled “${text(shorten(o.label))}”` : '';
  const same = o.samePhotograph ?? [];
  if (same.length === 0) return labelled ? `${labelled}: check the label still fits` : '';
  const shown = same.slice(0, SAME_PHOTOGRAPH_SHOWN);
  const whose = (x: { id: string; label?: string }) =>
    `${text(shorten(x.id))}’s${
      x.label === undefined
        ? ' (not labelled)'
        : x.label === o.label
          ? ' (labelled the same)'
          : `, labelled “${text(shorten(x.label))}”`
    }`;
  const total = o.samePhotographCount ?? same.length;
  const rest = total - shown.length;
  const names = `${shown.map(whose).join(', ')}${rest > 0 ? ` and ${rest.toLocaleString('en')} more objects’` : ''}`;
  const two = total === 1;
  const differ = o.label !== undefined && same.some((x) => x.label !== undefined && x.label !== o.label);
  const what = differ
    ? `${two ? 'one of the two labels is wrong' : 'one of these labels is wrong'}, or ` +
      `${two ? 'one of the two objects was given the other’s' : 'an object was given another one’s'} photograph; ` +
      'check which'
    : `unless ${two ? 'both objects are' : 'they are all'} in the photograph, ` +
      `${two ? 'one of the two objects was given the other’s' : 'an object was given another one’s'} photograph`;
  return `${labelled}, ⚠️ the same photograph as ${names}: ${what}`;
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
  if (name === NEW_PHOTOGRAPH) return 'new photograph under the same file name';
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
    const list = shown
      .map((o) => `${text(shorten(o.id))} ${o.fields.map(fieldWords).join(', ')}${photographWords(o)}`)
      .join('; ');
    const rest = n - shown.length;
    parts.push(`${list}${rest > 0 ? `; and ${rest.toLocaleString('en')} more` : ''}`);
  }
  // In sentences of their own, after the list (a tester: "(the catalogue shows them; the model reads only the
  // photograph of them (1 changed))" was hard to read).
  const photographs = edited.photographs ?? 0;
  const reads =
    photographs > 0
      ? `The model reads only the photographs, and ${photographs.toLocaleString('en')} ` +
        `${photographs === 1 ? 'photograph' : 'photographs'} changed.`
      : 'The model does not read them: it reads only the photographs.';
  const what =
    n > 0
      ? `${n.toLocaleString('en')} object ${n === 1 ? 'record' : 'records'} changed`
      : `${columns.length === 1 ? 'A column' : 'Columns'} changed`;
  return `**${what}** in data/objects.csv: ${parts.join('; ')}. The catalogue shows these changes. ${reads}`;
}
