import { checkLabels, isUnknownObjectIssue, unknownObjectsMessage } from '../dataset/validate.ts';
import { clip } from '../log.ts';
import type { LabelLine } from '../types.ts';

/** The file name checkLabels puts in its messages (not shown: the report keeps the hint's words only). */
const NAME = 'labels.csv';

/**
 * A line of labels.csv whose object id is not in the collection: one object's id written another way, or (no `meant`
 * in checkLabels) an id near no object.
 */
export interface UnknownId {
  /** The id as the line has it ("dm-0006"). */
  id: string;
  /** Its line in the head's labels.csv. */
  line: number;
  /**
   * The dataset stage's words for it ('it differs from an id in the collection only in capitals. Did you mean
   * "DM-0006"?'; "check the id for a typo." for an id near no object).
   */
  hint: string;
  /**
   * The line's id ('id') or label ('label') is longer than any may be (a text pasted into the cell by mistake), so the
   * dataset stage skips the line: `hint` is its warning's words, and a long id's `id` its beginning, as that warning
   * shows it. (Absent otherwise, and in older reports.)
   */
  tooLong?: 'id' | 'label';
}

interface Change {
  id: string;
  kind: 'changed' | 'added' | 'removed';
  after: string | null;
  line: number;
}

/**
 * Label changes with the dataset stage's "Did you mean" (checkLabels, its one rule for an unknown object id) on
 * each added line whose id is not in the collection but is one object's id written another way: in other capitals,
 * with an invisible character, rewritten by a spreadsheet. When that object's label is removed by the same pull
 * request, the id was retyped, not a new object labelled: the added line is dropped and the object's removal carries
 * the hint (`unknownId`). Otherwise the added line carries it. An added line whose id is near no object carries the
 * dataset stage's "check the id for a typo" (tester: `NOPE-1,print` was counted as an object newly labelled), or, when
 * many lines are, its words for objects an export left out.
 */
export function withUnknownIds<C extends Change>({
  changes,
  objectIds,
  vocabulary,
}: {
  changes: C[];
  /** Every object id of the collection (dataset.json's objects); none known, nothing is said. */
  objectIds: Set<string>;
  vocabulary: string[];
}): (C & { unknownId?: UnknownId })[] {
  if (objectIds.size === 0) return changes;
  const lines = changes.flatMap((c) =>
    c.kind === 'added' && c.after !== null && !objectIds.has(c.id)
      ? [{ objectId: c.id, label: c.after, line: c.line }]
      : [],
  );
  if (lines.length === 0) return changes;
  // One call for every line: checkLabels indexes the collection's ids once.
  const { issues, unknown } = checkLabels({ labels: lines, objectIds, vocabulary, name: NAME });
  // By line: includes() on the unknown lines for each line grew with lines × lines (a thousand gone objects).
  const far = new Map(unknown.map((l) => [l.line, l]));
  const near = new Set(lines.filter((l) => !far.has(l.line)).map((l) => l.line));
  const hintOf = new Map<number, UnknownId & { meant: string }>();
  // A label far too long on a line of an unknown id: the dataset stage skips the line for it, and says so.
  const tooLong = new Map<number, UnknownId>();
  for (const issue of issues)
    if (issue.code === 'LABEL_TOO_LONG' && issue.line !== undefined && near.has(issue.line))
      tooLong.set(issue.line, {
        id: issue.object ?? '',
        line: issue.line,
        hint: withoutPlace({ message: issue.message, line: issue.line }),
        tooLong: 'label',
      });
  for (const issue of issues) {
    // The object meant and the words for it, as checkLabels gives them (never read back from its message).
    if (!isUnknownObjectIssue(issue) || issue.line === undefined || !near.has(issue.line)) continue;
    hintOf.set(issue.line, { id: issue.object ?? '', line: issue.line, hint: issue.hint, meant: issue.meant });
  }
  const removed = new Set(changes.filter((c) => c.kind === 'removed').map((c) => c.id));
  // The object each hint names, when the pull request removed its label.
  const retyped = new Map<string, UnknownId>();
  const dropped = new Set<number>();
  for (const { meant, ...u } of hintOf.values()) {
    if (!removed.has(meant) || retyped.has(meant)) continue;
    retyped.set(meant, u);
    dropped.add(u.line);
  }
  // Many ids near no object are most likely objects an export left out, not typos: the dataset stage says so once.
  const many = unknownObjectsMessage({ unknown, labelsName: NAME, objectsName: 'data/objects.csv' }) !== undefined;
  const farHint = many
    ? 'so many lines of this change name no object that they are most likely objects the last import left out: ' +
      'remove the lines of objects that have left the collection, or import the complete export again.'
    : 'check the id for a typo.';
  const hintAt = (line: number): UnknownId | undefined => {
    const long = tooLong.get(line);
    if (long) return long;
    const h = hintOf.get(line);
    if (h) return { id: h.id, line: h.line, hint: h.hint };
    const l = far.get(line);
    return l && { id: l.objectId, line, hint: farHint };
  };
  return changes.flatMap((c) => {
    if (c.kind === 'added' && dropped.has(c.line) && hintOf.get(c.line)?.id === c.id) return [];
    const u = c.kind === 'removed' ? retyped.get(c.id) : c.kind === 'added' ? hintAt(c.line) : undefined;
    return [u && (c.kind === 'removed' || u.id === c.id) ? { ...c, unknownId: u } : c];
  });
}

/**
 * The lines of the head's labels.csv whose object id is longer than any may be (`overlong`: a text pasted into the
 * cell by mistake, which the dataset stage skips), that the base does not have, as added lines carrying the dataset
 * stage's warning for them and their id cut to its beginning (as that warning cuts it). A tester's 5 MB id was a
 * change "newly labelled", "not in the dataset", a 5 MB row that pushed the real changes out of the comment.
 */
export function overlongIdLines({
  head,
  base,
  vocabulary,
}: {
  head: LabelLine[];
  base: LabelLine[];
  vocabulary: string[];
}): { id: string; kind: 'added'; before: null; after: string; line: number; unknownId: UnknownId }[] {
  if (head.length === 0) return [];
  // The same line at the base is no change of this pull request (the dataset stage skipped it there too).
  const was = new Set(base.map((l) => `${l.label}\n${l.objectId}`));
  const lines = head.filter((l) => !was.has(`${l.label}\n${l.objectId}`));
  if (lines.length === 0) return [];
  // The dataset stage's words for each line (its one rule), without the file and line it begins with.
  const { issues } = checkLabels({ labels: lines, objectIds: new Set(), vocabulary, name: NAME });
  const said = new Map(issues.flatMap((i) => (i.code === 'LABEL_TOO_LONG' && i.line ? [[i.line, i.message]] : [])));
  return lines.flatMap((l) => {
    const words = said.get(l.line);
    if (!words) return [];
    const hint = withoutPlace({ message: words, line: l.line });
    const id = clip(l.objectId, 40);
    return [
      {
        id,
        kind: 'added',
        before: null,
        after: l.label,
        line: l.line,
        unknownId: { id, line: l.line, hint, tooLong: 'id' },
      },
    ];
  });
}

/** A message of checkLabels without the file and line it begins with ("labels.csv:168: "): the row names its line. */
function withoutPlace({ message, line }: { message: string; line: number }): string {
  const prefix = `${NAME}:${line}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
