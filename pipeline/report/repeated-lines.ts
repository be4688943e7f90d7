import { agreedLines } from '../dataset/validate.ts';
import type { LabelLine } from '../types.ts';
import { listWords } from '../words.ts';
import { visibleLabel } from './invisible.ts';
import { shortLabel, text } from './markdown.ts';

/*
 * An object on several lines of labels.csv, each with the same label, keeps that label (the dataset stage's rule,
 * agreedLines), and the dataset stage says the extra lines in the run's log, on their lines on GitHub. Staff read the
 * report, not the log (task D3): it names them too, as a tidy-up, not a warning; the run goes on.
 */

/** An object on more than one line of labels.csv, every line with the same label in the vocabulary. */
export interface RepeatedLines {
  id: string;
  /** The label, cut as the report shows labels (shortLabel). */
  label: string;
  /** Its lines in labels.csv, in order. */
  lines: number[];
}

/** Objects named in the comment; the others are counted (report.json lists them all). */
const SHOWN = 10;
/** Lines named for one object; the others are counted. */
const LINES_SHOWN = 5;

/**
 * The objects of `labels` (and `blanks`, label cells left empty) on more than one line, all with one label of the
 * vocabulary, in the order of their first line. Lines that disagree are the label table's to say (disagreeing).
 */
export function repeatedLines({
  labels,
  blanks,
  vocabulary,
}: {
  labels: LabelLine[];
  blanks: LabelLine[];
  vocabulary: readonly string[];
}): RepeatedLines[] {
  const known = new Set(vocabulary);
  const out: RepeatedLines[] = [];
  for (const [id, { lines, agreed }] of agreedLines({ labels, blanks }))
    if (agreed && lines.length > 1 && known.has(agreed.label))
      out.push({ id, label: shortLabel(agreed.label), lines: lines.map((l) => l.line).sort((a, b) => a - b) });
  return out.sort((a, b) => a.lines[0]! - b.lines[0]!);
}

/**
 * The comment's paragraph: "DM-0012 is on lines 14 and 90 of labels.csv with the same label (coin); remove one
 * line.", or the objects listed with their lines. '' when there are none.
 */
export function repeatedLinesSection({
  repeated,
  file = 'labels.csv',
  onMain = false,
}: {
  repeated: readonly RepeatedLines[];
  file?: string;
  /** A run on the main branch itself: the lines are removed in a new pull request. */
  onMain?: boolean;
}): string {
  if (repeated.length === 0) return '';
  const where = onMain ? ' (in a new pull request)' : '';
  const linesOf = (r: RepeatedLines) => listWords(r.lines.map(String), { max: LINES_SHOWN });
  const label = (r: RepeatedLines) => text(visibleLabel(r.label));
  if (repeated.length === 1) {
    const [r] = repeated as [RepeatedLines];
    return (
      `**${text(r.id)} is on lines ${linesOf(r)} of ${text(file)} with the same label (${label(r)}); ` +
      `remove ${r.lines.length === 2 ? 'one line' : 'all but one'}${where}.** The object keeps its label ` +
      'meanwhile; nothing else needs doing.'
    );
  }
  const named = repeated.slice(0, SHOWN).map((r) => `${text(r.id)} (lines ${linesOf(r)}, ${label(r)})`);
  return (
    `**${repeated.length} objects are on more than one line of ${text(file)} with the same label:** ` +
    `${listWords(named, { untold: Math.max(0, repeated.length - SHOWN) })}. ` +
    `Remove the extra lines${where}, keeping one line for each object. Each keeps its label ` +
    'meanwhile; nothing else needs doing.'
  );
}
