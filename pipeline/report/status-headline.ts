/**
 * The headline the commit status carries when a pull request takes labels out of the vocabulary: "Removes labels
 * mask, textile: " before the report's headline, within HEADLINE_ROOM, so that the gate-changes prefix still fits
 * GitHub's 140 characters. GitHub cuts a longer status at its end, where the warning and the gate are said (task D3).
 */

import { labelList } from '../collection/vocabulary.ts';
import { HEADLINE_ROOM } from './render.ts';

/**
 * "Removes labels mask, textile: " and the headline `line` makes in the room left. When both do not fit, the
 * middle gives way, in this order: the headline's longer words ("in the report"), then the label names ("Removes 3
 * labels: "); the verdict, the warning and the gate stay.
 */
export function statusHeadline({
  removed,
  line,
}: {
  /** The labels taken out of the vocabulary (report.json's labels.vocabularyRemoved). */
  removed: readonly { label: string }[];
  /** The report's headline within `room` characters (render.ts headline's room). */
  line: (room: number) => string;
}): string {
  const prefixes = removedPrefixes(removed);
  for (const prefix of prefixes) {
    const said = `${prefix}${line(HEADLINE_ROOM - prefix.length)}`;
    if (said.length <= HEADLINE_ROOM) return said;
  }
  const last = prefixes.at(-1) ?? '';
  return `${last}${line(HEADLINE_ROOM - last.length)}`;
}

/** The prefixes for removed labels, longest first: "Removes label textile: ", then "Removes 1 label: ". */
function removedPrefixes(removed: readonly { label: string }[]): string[] {
  if (removed.length === 0) return [''];
  const names = labelList(removed.map((r) => r.label));
  const count = `Removes ${removed.length} label${removed.length === 1 ? '' : 's'}: `;
  if (names.length > 30) return [count];
  return [`Removes label${removed.length === 1 ? '' : 's'} ${names}: `, count];
}
