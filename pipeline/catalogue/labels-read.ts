import { stat } from 'node:fs/promises';
import { parseLabels, readLabels } from '../collection/index.ts';
import { labelsTextAsRead } from '../dataset/labels-as-read.ts';
import { isVitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { rel, type Workspace } from '../paths.ts';
import type { LabelLine } from '../types.ts';

/**
 * The lines of the labels.csv the dataset stage read, for the catalogue's "Suggest a correction" links: found as
 * every stage after it finds that file (labelsTextAsRead: the file now, the copy the stage kept, or HEAD's). A file
 * changed since (a colleague's edit, a git pull, while the run trained) would put every line after an added one one
 * further down, and a link would open another object's line beside labels from the older file. When the file read is
 * found nowhere (a .vitrine/dataset from before the stage kept its copy): the file's lines as they are now, with
 * `lineNumbers` false (links open the file), said once. What is read by object (a staff label outside the
 * vocabulary, whose model guess is held back) still holds. A missing labels.csv throws as readLabels does.
 */
export async function labelsAsRead({
  ws,
  log,
}: {
  ws: Workspace;
  log: Logger;
}): Promise<{ lines: LabelLine[]; lineNumbers: boolean }> {
  const name = rel(ws, ws.labels);
  // No labels.csv now: said as a missing file is (readLabels throws), whatever the dataset stage read.
  if (!(await stat(ws.labels).catch(() => null)))
    return { lines: await readLabels({ file: ws.labels }), lineNumbers: true };
  const read = await labelsTextAsRead({ ws }).catch((error: unknown) => {
    if (isVitrineError(error, 'LABELS_CHANGED_SINCE_READ')) return null;
    throw error;
  });
  if (read && read.text !== null)
    return { lines: parseLabels({ text: read.text, file: ws.labels }), lineNumbers: true };
  // Found nowhere, or the stage read no labels.csv (there was none then): no lines of the file read to link to.
  log.warn(
    `${name} changed after the dataset stage read it (edited, or a git pull, while the run went on), so the ` +
      `catalogue's "Suggest a correction" links open ${name} without a line this time: its lines may now belong ` +
      `to other objects. Run "npx vitrine run" again to bring the catalogue up to date with ${name}.`,
    { file: name },
  );
  return { lines: await readLabels({ file: ws.labels }), lineNumbers: false };
}
