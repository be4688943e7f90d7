import path from 'node:path';
import { hashFile } from '../data/hash.ts';
import { readObjectsChecked } from '../dataset/validate.ts';
import { messageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import type { BaseData } from './base-data.ts';
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
  let now: Set<string>;
  try {
    // Read as the dataset stage reads it: a repeated id or a row without one does not hide the section.
    // By id as the dataset stage reads them: one saved again with its accents decomposed (NFD) is the same object.
    now = new Set(
      (await readObjectsChecked({ file: ws.objects, name: 'data/objects.csv' })).objects.map((o) =>
        o.id.normalize('NFC'),
      ),
    );
  } catch (error) {
    log.debug(`data/objects.csv could not be read to compare with the base's: ${messageOf(error)}`);
    return null;
  }
  return {
    objects: before
      .filter((o) => !now.has(o.id.normalize('NFC')))
      .map((o) => ({ id: o.id, title: o.title, labelled: labelled.has(o.id) })),
  };
}

/** 'DM-0010 “Bowl”': the id, and the title when there is one; escaped. */
function named(o: RemovedObject): string {
  return `${text(shorten(o.id))}${o.title ? ` “${text(shorten(o.title))}”` : ''}`;
}

/**
 * The comment's line: how many objects leave the catalogue, the first SHOWN_REMOVED named, why, whether their labels
 * stay in labels.csv and what to do if that was not meant. '' when none does (or it is not known).
 */
export function removedObjectsSection(removed: { objects: RemovedObject[] } | null): string {
  const all = removed?.objects ?? [];
  const n = all.length;
  if (n === 0) return '';
  const one = n === 1;
  const shown = all.slice(0, SHOWN_REMOVED).map(named);
  const rest = n - shown.length;
  const list =
    rest > 0
      ? `${shown.join(', ')} and ${rest} more`
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
    `If that was not meant, put the ${one ? 'row' : 'rows'} back.`
  );
}

/** Whether data/objects.csv in the work tree is the file the base's listing records (its md5). */
export async function tableAsRecorded({ ws, base }: { ws: Workspace; base: BaseData }): Promise<boolean> {
  const recorded = (await base.listing())?.files?.get(path.relative(ws.data, ws.objects).split(path.sep).join('/'));
  if (!recorded) return false;
  return (await hashFile({ file: ws.objects }).catch(() => null)) === recorded;
}
