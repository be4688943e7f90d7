import { isStandIn } from '../dataset/small-images.ts';
import { clip } from '../log.ts';
import { listWords } from '../words.ts';

/** A row of the export naming an image file another row names too. */
export interface SharingRow {
  line: number;
  id: string;
  /** The label the export gives the object ('' when none). */
  label: string;
}

/** More rows than this naming one file: not a pair or a set photographed together, but most likely a placeholder. */
const MANY_ROWS = 5;

/** Words in a file name (letters only, small) that name a picture standing in for a photograph ("noimage.jpg"). */
const PLACEHOLDER_WORDS =
  /placeholder|no(image|img|photo|picture|media)|(image|photo|picture)(not|un)available|notphotographed|missingimage/;
/** Whole names (letters only, small) of such a picture. */
const PLACEHOLDER_NAMES = /^(default|blank|dummy|missing|none|empty)(image|img|photo|picture)?$/;

/** Whether a file name reads as a placeholder's ("noimage.jpg", "No_Photo.png", "image-not-available.gif"). */
export function placeholderName(cell: string): boolean {
  const base = cell
    .split(/[\\/]/)
    .at(-1)!
    .replace(/\.[a-z0-9]{2,5}$/i, '');
  const letters = base.toLowerCase().replace(/[^a-z]/g, '');
  return PLACEHOLDER_WORDS.test(letters) || PLACEHOLDER_NAMES.test(letters);
}

/**
 * What import says, once, of an image file named by several rows (three or more, or a file named as a placeholder):
 * how many, the first few lines and objects, and what it likely is. A placeholder picture the collections system
 * exports for objects not yet photographed is not a photograph of each: the model would learn one picture under
 * each of their labels (an outside tester saw 39 warnings calling such a file “a pair of earrings”).
 */
export function sharedImageWords({ cell, rows }: { cell: string; rows: SharingRow[] }): string {
  const lines = listWords(
    rows.map((r) => String(r.line)),
    { max: 3 },
  );
  const ids = listWords(
    rows.map((r) => clip(r.id)),
    { max: 3 },
  );
  const labels = [...new Set(rows.map((r) => r.label).filter(Boolean))];
  const learnt =
    labels.length > 1
      ? `the model learns from that one picture under ${labels.length} labels (${listWords(
          labels.map((l) => `"${clip(l)}"`),
          { max: 5 },
        )})`
      : labels.length === 1
        ? `the model learns from that one picture ${rows.length} times, as "${clip(labels[0]!)}"`
        : 'the model learns from it for each of them that is labelled';
  const named = `the image "${clip(cell)}" is named by ${rows.length} rows (lines ${lines}: objects ${ids})`;
  // One picture under more than a few objects, not a set of one lot under one label: the dataset stage uses it for
  // none of them, whatever their labels (a card under 40 unlabelled objects: task F1).
  if (isStandIn({ ids: rows.map((r) => r.id), labels: labels.length }))
    return (
      `${named}: one picture for so many objects is most likely a placeholder (a “no image” picture the ` +
      'collections system exports for objects not yet photographed), not a photograph of each' +
      (labels.length > 1
        ? `, and under ${labels.length} labels (${listWords(
            labels.map((l) => `"${clip(l)}"`),
            { max: 5 },
          )}) it says nothing of any of them`
        : '') +
      '. They are imported and the catalogue shows it on their pages, but the ' +
      'model neither learns from it nor is tested on it. If it is a placeholder, leave their image cells empty in ' +
      'the export until each object is photographed (or name its own photograph), then import again; if it is a ' +
      'photograph of them together, it stays shown.'
    );
  if (rows.length > MANY_ROWS || placeholderName(cell))
    return (
      `${named}: ${rows.length > MANY_ROWS ? 'one picture for so many objects' : 'a file so named'} is most ` +
      'likely a placeholder (a “no image” picture the collections system exports for objects not yet ' +
      'photographed), not a photograph of each. As it is, each of them is imported with it and shown with it in ' +
      `the catalogue, and ${learnt}. In the export, leave their image cells empty until each object is ` +
      'photographed (or name its own photograph), then import again.'
    );
  return (
    `${named}: each is imported with the same photograph, shown for each in the catalogue, and ` +
    `${learnt}. If it is one photograph of several objects (a set photographed together), there is nothing to do. ` +
    'If some of these rows name the wrong file, write the right one in their image cells in the export (or leave ' +
    'them empty until the objects are photographed) and import again.'
  );
}

/** Whether the rows naming one file are said together (sharedImageWords) rather than row by row. */
export function saidTogether({ cell, rows }: { cell: string; rows: SharingRow[] }): boolean {
  return rows.length > 2 || placeholderName(cell);
}
