import { stat } from 'node:fs/promises';
import path from 'node:path';
import { renumbered } from '../catalogue/addresses.ts';
import { UNSEEN_IN_ID } from '../collection/value-limits.ts';
import { hashFile, mapPool } from '../data/hash.ts';
import { readObjectsChecked, withoutUnusableIds } from '../dataset/validate.ts';
import { messageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import type { CollectionObject } from '../types.ts';
import type { BaseData } from './base-data.ts';
import { visibleId } from './invisible.ts';
import { shorten, text } from './markdown.ts';
import type { RemovedObject } from './types.ts';

/*
 * Outside tester: a row deleted from data/objects.csv (an object with a label and a published page) was said only in
 * the log ("labels.csv:10: there is no object"). Its page leaves the catalogue when the pull request is merged, and
 * GitHub's diff shows nothing of it: data/objects.csv is in the DVC cache, not in git. The comment now says it.
 */

/** Objects named in the comment; the rest are counted (report.json has them all). */
export const SHOWN_REMOVED = 5;

/**
 * The objects the base's data/objects.csv has and the work tree's not, in the base's order, each with its title there
 * and whether labels.csv still names it (`labelled`). Null when they cannot be compared: the base's table is not in
 * git nor in the local DVC cache, or the work tree's cannot be read (said in the log).
 */
export async function removedObjects({
  ws,
  base,
  labelled,
  log,
}: {
  ws: Workspace;
  base: BaseData;
  /** The objects labels.csv at the head has a line for. */
  labelled: Set<string>;
  log: Logger;
}): Promise<{ objects: RemovedObject[] } | null> {
  // The same data folder at both ends and the table as data.dvc records it: the same objects table. (A table
  // edited here and not yet recorded with "data add" is what the dataset stage reads: compared below.)
  if ((await base.sameAsWorkTree()) && (await tableAsRecorded({ ws, base }))) return { objects: [] };
  const before = await base.objects();
  if (!before) {
    // No data.dvc at the base: nothing to compare with, nothing to say.
    if (!(await base.listing())) return null;
    log.info(
      "The report cannot say whether this pull request takes objects out of the catalogue: the base's " +
        'data/objects.csv is not in the local DVC cache, or cannot be read.',
    );
    return null;
  }
  let head: CollectionObject[];
  let refused: CollectionObject[];
  try {
    // Read as the dataset stage reads it: a repeated id or a row without one does not hide the section, and a row
    // whose id it refuses (too long, or holding a zero-width space) is not in the catalogue (reviewer V34 H1: an id
    // given a zero-width space was said as "renumbered" to itself).
    const read = await readObjectsChecked({ file: ws.objects, name: 'data/objects.csv' });
    head = withoutUnusableIds({ objects: read.objects, lineOf: read.lineOf, name: 'data/objects.csv' }).objects;
    const kept = new Set(head);
    refused = read.objects.filter((o) => !kept.has(o));
  } catch (error) {
    log.debug(`data/objects.csv could not be read to compare with the base's: ${messageOf(error)}`);
    return null;
  }
  // By id as the dataset stage reads them: one saved again with its accents decomposed (NFD) is the same object.
  const now = new Set(head.map((o) => o.id.normalize('NFC')));
  const gone = before.filter((o) => !now.has(o.id.normalize('NFC')));
  const newNumber = gone.length
    ? await renumberings({ ws, before, head, photos: (await base.listing())?.files })
    : null;
  // A refused id that is a gone one with characters no id may hold added: that object's row, its id spoilt.
  const spoilt = new Map(refused.map((o) => [withoutUnseen(o.id), o.id]));
  return {
    objects: gone.map((o) => {
      const refusedAs = spoilt.get(withoutUnseen(o.id));
      return {
        id: o.id,
        title: o.title,
        labelled: labelled.has(o.id),
        ...(refusedAs !== undefined && { refusedAs }),
        ...(refusedAs === undefined && newNumber?.has(o.id) && { renumbered: newNumber.get(o.id)! }),
      };
    }),
  };
}

/** An id without the characters no id may hold (idCharacters' rule), as NFC: what staff see of it. */
function withoutUnseen(id: string): string {
  return id.replace(new RegExp(`\\p{Cc}|${UNSEEN_IN_ID.source}`, 'gu'), '').normalize('NFC');
}

/**
 * The objects that leave and come back under a new number in the same pull request, by their old number: the new
 * one. The catalogue's rule (catalogue/addresses.ts renumbered), so the comment and the old number's page agree: the
 * photograph the base's listing records for one that leaves (its md5) is that of exactly one object now, new to the
 * table, and of no other at the base. Ids compared as NFC, as the dataset stage reads them.
 */
async function renumberings({
  ws,
  before,
  head,
  photos,
}: {
  ws: Workspace;
  before: CollectionObject[];
  head: CollectionObject[];
  /** The base's data.dvc listing: path under data/ → md5. */
  photos: Map<string, string> | null | undefined;
}): Promise<Map<string, string>> {
  const key = (o: CollectionObject) => o.id.normalize('NFC');
  const was = new Set(before.map(key));
  const arrived = head.filter((o) => !was.has(key(o)));
  if (!photos || arrived.length === 0) return new Map();
  const file = (o: CollectionObject) => path.join(ws.data, o.image);
  const then = before.map((o) => ({
    id: key(o),
    photo: (o.image && photos.get(o.image.split(path.sep).join('/'))) || '',
  }));
  // The photographs as they are in data/ now. The new objects' are read (a few files: only those of new rows).
  const md5 = (o: CollectionObject) => (o.image ? hashFile({ file: file(o) }).catch(() => '') : Promise.resolve(''));
  const now = new Map(await Promise.all(arrived.map(async (o) => [o, await md5(o)] as const)));
  // Those of objects that stay matter only when one of them is a photograph that left and arrived (rare): then only
  // the files of its size are read, not every photograph of the collection.
  const here = new Set(head.map(key));
  const leftWith = new Set(then.filter((o) => !here.has(o.id) && o.photo).map((o) => o.photo));
  const back = arrived.filter((o) => leftWith.has(now.get(o)!));
  if (back.length === 0) return new Map();
  const size = (o: CollectionObject) =>
    o.image
      ? stat(file(o)).then(
          (s) => s.size,
          () => -1,
        )
      : Promise.resolve(-1);
  const sizes = new Set(await Promise.all(back.map(size)));
  const staying = head.filter((o) => !now.has(o));
  await mapPool(staying, 16, async (o) => {
    now.set(o, sizes.has(await size(o)) ? await md5(o) : '');
  });
  const found = renumbered({ before: then, now: head.map((o) => ({ id: key(o), photo: now.get(o) ?? '' })) });
  // Named as the table names it now (an id saved again in another Unicode form is shown as it is written).
  const idOf = new Map(arrived.map((o) => [key(o), o.id]));
  return new Map(before.flatMap((o) => (found.has(key(o)) ? [[o.id, idOf.get(found.get(key(o))!)!] as const] : [])));
}

/** 'DM-0010 “Bowl”': the id, and the title when there is one; escaped. */
function named(o: RemovedObject): string {
  return `${text(shorten(visibleId(o.id)))}${o.title ? ` “${text(shorten(o.title))}”` : ''}`;
}

/**
 * The comment's line: how many objects leave the catalogue, the first SHOWN_REMOVED named, why, whether their labels
 * stay in labels.csv and what to do if that was not meant. '' when none does (or it is not known).
 */
export function removedObjectsSection(removed: { objects: RemovedObject[] } | null): string {
  const renumbered = [refusedWords(removed?.objects ?? []), renumberedWords(removed?.objects ?? [])]
    .filter(Boolean)
    .join('\n\n');
  const all = (removed?.objects ?? []).filter((o) => !o.renumbered && o.refusedAs === undefined);
  const n = all.length;
  if (n === 0) return renumbered;
  const one = n === 1;
  const shown = all.slice(0, SHOWN_REMOVED).map(named);
  const rest = n - shown.length;
  const list =
    rest > 0
      ? `${shown.join(', ')} and ${rest.toLocaleString('en')} more`
      : shown.length > 1
        ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`
        : shown[0];
  const kept = all.filter((o) => o.labelled).length;
  const labels = one
    ? kept
      ? '; its label stays in labels.csv'
      : ''
    : kept === n
      ? '; their labels stay in labels.csv'
      : kept === 1
        ? '; the label of 1 of them stays in labels.csv'
        : kept > 0
          ? `; the labels of ${kept} of them stay in labels.csv`
          : '';
  return (
    `**${n} ${one ? 'object leaves' : 'objects leave'} the catalogue:** ${list} ` +
    `(${one ? 'its row was' : 'their rows were'} removed from data/objects.csv${labels}). ` +
    `If that was not meant, put the ${one ? 'row' : 'rows'} back.${renumbered ? `\n\n${renumbered}` : ''}`
  );
}

/**
 * "**1 object leaves the catalogue: its id in data/objects.csv now holds a character no id may hold:** DM-0010
 * “Bowl” (now DM-0010⟨U+200B⟩; its label in labels.csv is not used). …": the objects whose row is still there, its id
 * given a zero-width space or a direction mark, which the dataset stage refuses (OBJECT_ID_UNSEEN_CHARACTER). Each
 * such character by its code: printed, it does not show, or turns the line round. '' when none.
 */
function refusedWords(objects: RemovedObject[]): string {
  const spoilt = objects.filter((o) => o.refusedAs !== undefined);
  const n = spoilt.length;
  if (n === 0) return '';
  const one = n === 1;
  const shown = spoilt.slice(0, SHOWN_REMOVED).map((o) => {
    const label = o.labelled ? `; ${one ? 'its' : 'the'} label in labels.csv is not used` : '';
    return `${named(o)} (now ${text(shorten(visibleId(o.refusedAs!)))}${label})`;
  });
  const rest = n > shown.length ? ` and ${(n - shown.length).toLocaleString('en')} more` : '';
  return (
    `**${n} ${one ? 'object leaves' : 'objects leave'} the catalogue: ${one ? 'its id' : 'their ids'} in ` +
    `data/objects.csv now ${one ? 'holds a character' : 'hold characters'} no id may hold** (it cannot be seen, ` +
    `and the id typed by hand would not match): ${shown.join(', ')}${rest}. Delete ${one ? 'it' : 'them'} from ` +
    `the ${one ? 'id' : 'ids'} in the collections system and import again (or in data/objects.csv, then run ` +
    '"npx vitrine data add").'
  );
}

/**
 * "**1 object renumbered:** DM-0011 renumbered DM-1011 (same photograph). …": the objects that leave under one number
 * and come back under another with the same photograph, the first SHOWN_REMOVED named. '' when none.
 */
function renumberedWords(objects: RemovedObject[]): string {
  const moved = objects.filter((o) => o.renumbered);
  const n = moved.length;
  if (n === 0) return '';
  const shown = moved
    .slice(0, SHOWN_REMOVED)
    .map((o) => `${text(shorten(visibleId(o.id)))} renumbered ${text(shorten(visibleId(o.renumbered!)))}`);
  const rest = n > shown.length ? ` and ${n - shown.length} more` : '';
  return (
    `**${n} ${n === 1 ? 'object' : 'objects'} renumbered:** ${shown.join(', ')}${rest} ` +
    `(same ${n === 1 ? 'photograph' : 'photographs'}). ` +
    `${n === 1 ? 'Its page at the old number says' : 'Their pages at the old numbers say'} so, with a link to the ` +
    `new one. If ${n === 1 ? 'that is' : 'these are'} not the same ${n === 1 ? 'object' : 'objects'}, check the ` +
    'photographs in data/.'
  );
}

/** Whether data/objects.csv in the work tree is the file the base's listing records (its md5). */
export async function tableAsRecorded({ ws, base }: { ws: Workspace; base: BaseData }): Promise<boolean> {
  const recorded = (await base.listing())?.files?.get(path.relative(ws.data, ws.objects).split(path.sep).join('/'));
  if (!recorded) return false;
  return (await hashFile({ file: ws.objects }).catch(() => null)) === recorded;
}
