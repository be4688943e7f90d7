import { labelForm, tabsShown } from '../collection/hidden-characters.ts';
import type { LabelLine } from '../types.ts';
import { listWords } from '../words.ts';
import { visibleLabel } from './invisible.ts';
import { shortLabel, text } from './markdown.ts';

/*
 * A tab inside a label of labels.csv is read as a space (labelForm), the label as staff most likely meant it: the run
 * goes on. But a tab does not look like a space where staff read the file (a wide gap in the pull request's changes,
 * a jump in a text editor), a line copied into a spreadsheet splits into two cells at it, and it most often comes
 * from two cells pasted into one. So the report says it as a tidy-up, not a warning (task D3). No-break spaces,
 * which print as a space everywhere, stay unsaid.
 */

/** A line of labels.csv whose label holds a tab. */
export interface TabbedLabel {
  id: string;
  line: number;
  /** The label as read, the tab a space (cut as the report shows labels, shortLabel). */
  label: string;
}

/** Lines named in the comment; the others are counted (report.json lists them all). */
const SHOWN = 10;

/** The lines parseLabels collected in its `tabs` (their labels as written), as report.json keeps them. */
export function tabbedLabels(tabs: readonly LabelLine[]): TabbedLabel[] {
  return tabs.map((l) => ({ id: l.objectId, line: l.line, label: shortLabel(labelForm(l.label)) }));
}

/**
 * The comment's paragraph: the line, the object, its label as written ("Roman→coin", → for the tab) and as read,
 * what to do. '' when no label holds a tab.
 */
export function tabbedLabelsSection({
  tabs,
  file = 'labels.csv',
  onMain = false,
}: {
  /** parseLabels' `tabs`: the labels as written. */
  tabs: readonly LabelLine[];
  file?: string;
  /** A run on the main branch itself: retyped in a new pull request. */
  onMain?: boolean;
}): string {
  if (tabs.length === 0) return '';
  const written = (l: LabelLine) => `“${text(visibleLabel(shortLabel(tabsShown(l.label))))}”`;
  const why =
    'A tab shows as a wide gap in the pull request’s changes, and splits the line into two cells when copied into ' +
    `a spreadsheet: retype it as a space${onMain ? ' in a new pull request' : ''}.`;
  if (tabs.length === 1) {
    const [l] = tabs as [LabelLine];
    const read = `“${text(visibleLabel(shortLabel(labelForm(l.label))))}”`;
    return (
      `**Line ${l.line} of ${text(file)} has a tab inside the label of ${text(l.objectId)} (${written(l)}, → for the ` +
      `tab): it is read as a space, ${read}.** ${why}`
    );
  }
  const named = tabs.slice(0, SHOWN).map((l) => `line ${l.line} (${text(l.objectId)}, ${written(l)})`);
  return (
    `**${tabs.length} labels of ${text(file)} have a tab inside, read as a space:** ` +
    `${listWords(named, { untold: Math.max(0, tabs.length - SHOWN) })} (→ for the tab). ` +
    why.replace('retype it', 'retype each tab')
  );
}
