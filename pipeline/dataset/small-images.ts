import { clip, type Logger } from '../log.ts';
import { compareIdsNaturally } from '../natural-order.ts';
import type { DatasetIssue } from '../types.ts';
import { listWords } from '../words.ts';

/*
 * Pictures that are no photograph of their object (outside tester T3, F11 and F14). A 1×1 stub or an icon exported in
 * place of the photograph decodes fine, and one “no image” picture given to forty objects looks like forty
 * photographs: the model learnt the stub, and the one picture under each of the forty labels, and the catalogue showed
 * a 1-pixel box, or the same grey card on forty pages as each object's photograph. Such an object keeps its record
 * and its label, without a photograph (as for an empty file): the catalogue says why, the review queue and the pull
 * request's report list it, and training and evaluation leave it out.
 *
 * The rules, plain: a picture under MIN_IMAGE_SIDE pixels on its short side and under MIN_LONG_SIDE on its long side
 * (a 1×1 or 8×8 stub, a 40×20 icon); and one picture (the same file, or the same picture saved again) given to more
 * than PLACEHOLDER_OBJECTS objects, unless they are a set of one lot under at most one label (isStandIn). A thin
 * picture (a flute at 120×30, a thumbnail of the five-museums set) is a photograph of its object: kept, with a warning
 * that a model learns little from it. A set photographed together under one label or none (six beads of a necklace,
 * "1919.618.a" to "1919.618.f"), or two to five objects in one photograph (a jar and its stick), is a photograph of
 * each: kept, as before. A “no image” card under forty objects, most of them unlabelled, is not (task F1): counting
 * labels missed it, as an unlabelled object has none, and the model would have published a guess made from the card
 * on forty pages.
 */

/** Shorter side under this many pixels (and the long side under MIN_LONG_SIDE): too small to be a photograph. */
export const MIN_IMAGE_SIDE = 32;
/** Long side under this many pixels (and the short side under MIN_IMAGE_SIDE): too small to be a photograph. */
export const MIN_LONG_SIDE = 64;

/**
 * Whether a picture is too small to be a photograph of its object: a stub or an icon. A thin one (120×30, 200×20) is
 * not: a long thin object photographed small. The one rule of the dataset stage and of import.
 */
export function tooSmall({ width, height }: { width: number; height: number }): boolean {
  return Math.min(width, height) < MIN_IMAGE_SIDE && Math.max(width, height) < MIN_LONG_SIDE;
}

/** Whether a picture is thin: under MIN_IMAGE_SIDE on its short side, yet not too small. Kept, with a warning. */
export function thin({ width, height }: { width: number; height: number }): boolean {
  return Math.min(width, height) < MIN_IMAGE_SIDE && !tooSmall({ width, height });
}

/** More objects than this with one picture: a placeholder, not a photograph of each, unless a set (isStandIn). */
export const PLACEHOLDER_OBJECTS = 5;
/** More objects than this with one picture: a placeholder even when one lot under one label (a dozen). */
export const SET_OBJECTS = 12;

/**
 * Whether objects given one picture are too many for it to be a photograph of each: more than PLACEHOLDER_OBJECTS
 * under two labels or more, or of numbers that are not one lot, or more than SET_OBJECTS whatever they are. A set of
 * one lot photographed together (beads of a necklace, under one label or none yet) is a photograph of each.
 */
export function isStandIn({ ids, labels }: { ids: string[]; labels: number }): boolean {
  if (ids.length <= PLACEHOLDER_OBJECTS) return false;
  return labels >= 2 || ids.length > SET_OBJECTS || !oneLot(ids);
}

/**
 * Whether ids read as one lot: alike but for one short part ("1919.618.a" to "1919.618.f"; "C.12-1975" to
 * "C.17-1975", "121/1975" to "126/1975", "1975.1.1a" to "1975.1.3b", "1975.1" with "1975.1a" to "1975.1e": what is
 * left once the part all share at the start and at the end is taken off has at most LOT_PART characters), and when that
 * part is a number in every id, numbers close together ("MET_544128" to "MET_544131"; not "MET_543913" and
 * "MET_546192", which a “no image” card given across a collection has). Reviewer V9: the last part alone missed the
 * V&A's "number-year" and a set record with its parts, and set photographs were taken for stand-ins.
 */
export function oneLot(ids: string[]): boolean {
  const forms = ids.map((id) => id.normalize('NFC').toLowerCase());
  const start = sharedStart(forms);
  const rests = forms.map((f) => f.slice(start));
  let end = sharedStart(rests.map((r) => [...r].reverse().join('')));
  // A shared end never starts inside a number: "10" to "60" share "0", and "1" to "6" are not how far apart they are.
  while (end > 0 && /\d/.test(rests[0]![rests[0]!.length - end]!)) end--;
  const parts = rests.map((r) => r.slice(0, r.length - end));
  if (parts.some((part) => part.length > LOT_PART)) return false;
  if (!parts.every((part) => /^\d+$/.test(part))) return true;
  const numbers = parts.map(Number);
  // Numbers of one lot follow each other, with a gap or two: a lot of six within twelve numbers.
  return Math.max(...numbers) - Math.min(...numbers) < 2 * ids.length;
}

/** The longest part of one lot's ids that differs from one to the next ("12" of "C.12-1975"; "1b" of "1975.1.1b"). */
const LOT_PART = 3;

/** How many characters all of `texts` share at their start. */
function sharedStart(texts: string[]): number {
  const [first = '', ...rest] = texts;
  let n = 0;
  while (n < first.length && rest.every((t) => t[n] === first[n])) n++;
  return n;
}

/** Objects named one by one before the rest are counted. */
const LISTED = 5;

/** The codes of the two kinds (picture-problems.ts: the object keeps its record, without a picture). */
export const TOO_SMALL = 'IMAGE_TOO_SMALL';
export const PLACEHOLDER = 'IMAGE_PLACEHOLDER';

/** An object with a picture that decodes, as the rules read it. */
export interface Pictured {
  id: string;
  /** Its file under data/ ("images/x.jpg"). */
  relpath: string;
  /** What tells the same picture (the md5 of its pixels, or of its bytes). */
  picture: string;
  width: number;
  height: number;
  /** Its label in the vocabulary, or undefined. */
  label: string | undefined;
}

/** A placeholder picture and the objects given it. */
export interface Placeholder {
  objects: Pictured[];
  labels: string[];
}

/**
 * The objects whose picture is no photograph of them: each with its issue (file and line added by the caller), and
 * the placeholder pictures, to be said once each (placeholderWords).
 */
export function notPhotographs({
  objects,
  where,
}: {
  objects: Pictured[];
  /** The file, line (and labels.csv line) of an object's issue, and the place its message starts with. */
  where: (id: string) => Omit<DatasetIssue, 'code' | 'message'> & { at: string };
}): { issues: DatasetIssue[]; placeholders: Placeholder[] } {
  const issues: DatasetIssue[] = [];
  const small = new Set<string>();
  for (const o of objects) {
    if (!tooSmall(o)) continue;
    small.add(o.id);
    const { at, ...place } = where(o.id);
    issues.push({
      code: TOO_SMALL,
      message:
        `${at}object "${o.id}": data/${o.relpath} is ${o.width}×${o.height} pixels, under ${MIN_IMAGE_SIDE} on its ` +
        `short side and ${MIN_LONG_SIDE} on its long side: not a photograph of the object (a “no image” stand-in ` +
        'or an icon, most likely). The object stays in the catalogue without a photograph, and the model does not ' +
        'learn from it or test on it. Put a real photograph in its place (in the export, then import again; or in ' +
        'data/, then run "npx vitrine data add").',
      ...place,
    });
  }
  const byPicture = new Map<string, Pictured[]>();
  for (const o of objects) {
    if (small.has(o.id)) continue;
    // Pushed, not copied: one placeholder under 40,000 objects made this quadratic.
    const group = byPicture.get(o.picture);
    if (group) group.push(o);
    else byPicture.set(o.picture, [o]);
  }
  const placeholders: Placeholder[] = [];
  for (const group of byPicture.values()) {
    if (group.length <= PLACEHOLDER_OBJECTS) continue;
    const labels = [...new Set(group.flatMap((o) => o.label ?? []))];
    if (!isStandIn({ ids: group.map((o) => o.id), labels: labels.length })) continue;
    group.sort((a, b) => compareIdsNaturally(a.id, b.id));
    placeholders.push({ objects: group, labels });
    for (const o of group) {
      const { at, ...place } = where(o.id);
      issues.push({
        code: PLACEHOLDER,
        message:
          `${at}object "${o.id}": data/${o.relpath} is the same picture as ${group.length - 1} other objects ` +
          `${labelsWords(group, labels)}: most likely a placeholder, or a photograph of them together, not of this ` +
          'object alone. The model does not learn from it, test on it or guess from it; the catalogue still shows ' +
          "it on the object's page.",
        ...place,
      });
    }
  }
  return { issues, placeholders };
}

/**
 * The labels of objects given one picture, in words that are true of them: "under 3 labels", "all labelled
 * "coin"", "none of them labelled", with how many have no label.
 */
function labelsWords(objects: Pictured[], labels: string[]): string {
  const without = objects.filter((o) => !o.label).length;
  const rest = `${without} of them without a label`;
  if (labels.length >= 2) return `under ${labels.length} labels${without > 0 ? ` (${rest})` : ''}`;
  if (labels.length === 1)
    return without > 0 ? `(${rest}, the others labelled "${clip(labels[0]!)}")` : `all labelled "${clip(labels[0]!)}"`;
  return 'none of them labelled';
}

/** The warning said once for a placeholder picture: how many objects, a few of them, the labels, what to do. */
export function placeholderWords({ objects, labels }: Placeholder): string {
  const objectsOf = new Map<string, string[]>();
  for (const o of objects) {
    if (!o.label) continue;
    const ids = objectsOf.get(o.label);
    if (ids) ids.push(o.id);
    else objectsOf.set(o.label, [o.id]);
  }
  // The rarest label first: one object labelled apart from the others shows among the few named.
  const ordered = [...labels].sort((a, b) => objectsOf.get(a)!.length - objectsOf.get(b)!.length);
  const named = ordered.flatMap((l) => objectsOf.get(l)!.map((id) => `"${clip(id)}" (${clip(l)})`));
  const unlabelled = objects.filter((o) => !o.label).map((o) => `"${clip(o.id)}"`);
  const without = unlabelled.length;
  const labelled =
    labels.length >= 2
      ? `under ${labels.length} labels (${listWords(
          labels.map((l) => `"${clip(l)}"`),
          { max: 5 },
        )})${without > 0 ? `, ${without} of them without a label` : ''}`
      : labels.length === 1
        ? without > 0
          ? `${without} of them without a label, the others labelled "${clip(labels[0]!)}"`
          : `all labelled "${clip(labels[0]!)}"`
        : 'none of them labelled';
  const why =
    labels.length >= 2
      ? 'It says nothing of any of these labels'
      : 'One picture for so many objects says nothing of each';
  return (
    `${objects.length} objects (${listWords([...named, ...unlabelled], { max: 3 })}) have the same picture ` +
    `(data/${clip(objects[0]!.relpath)} and the others' copies of it), ${labelled}: most likely a placeholder (a ` +
    '“no image” picture a collections system gives objects not yet photographed), not a photograph of each. ' +
    `${why}, so it is not used to train or test the model, nor to guess their types; the catalogue still shows it ` +
    "on these objects' pages, and their labels are kept. If it is a placeholder, leave their image cells empty in " +
    'the export and import again, until each object is photographed. If it is a photograph of them together (a ' +
    'set), it stays shown; give each object its own photograph for the model to learn from it.'
  );
}

/**
 * Thin pictures (under MIN_IMAGE_SIDE on the short side, not too small: a flute at 120×30) are kept, trained on and
 * shown: said one by one for the first few, then counted, as a model learns little from them.
 */
export function warnThin({ objects, log }: { objects: Pictured[]; log: Logger }): number {
  const thinOnes = objects.filter(thin).sort((a, b) => compareIdsNaturally(a.id, b.id));
  for (const o of thinOnes.slice(0, LISTED))
    log.warn(
      `The image of object "${clip(o.id)}" (data/${clip(o.relpath)}) is very small: ${o.width}×${o.height} pixels, ` +
        `under ${MIN_IMAGE_SIDE} on the short side. It is kept and shown, but the model can learn little from it; ` +
        'replace it with a larger photograph when there is one.',
      { object: o.id },
    );
  if (thinOnes.length > LISTED) {
    const rest = thinOnes.slice(LISTED).map((o) => clip(o.id));
    log.warn(
      `${thinOnes.length} objects have very small images (under ${MIN_IMAGE_SIDE} pixels on the short side), kept ` +
        `and shown; ${rest.length} more not listed above: ${rest.slice(0, 10).join(', ')}` +
        `${rest.length > 10 ? ', …' : ''}.`,
    );
  }
  return thinOnes.length;
}

/** The pictures too small said one by one for the first few, then counted (natural order of ids). */
export function warnTooSmall({
  issues,
  log,
  labelsName,
}: {
  issues: DatasetIssue[];
  log: Logger;
  labelsName: string;
}): void {
  const small = issues
    .filter((i) => i.code === TOO_SMALL)
    .sort((a, b) => compareIdsNaturally(a.object ?? '', b.object ?? ''));
  for (const issue of small.slice(0, LISTED))
    log.warn(issue.message, {
      file: issue.labelsLine !== undefined ? labelsName : issue.file,
      line: issue.labelsLine ?? issue.line,
      object: issue.object,
    });
  if (small.length > LISTED) {
    const rest = small.slice(LISTED).map((i) => i.object ?? '');
    log.warn(
      `${small.length} objects have pictures under ${MIN_IMAGE_SIDE} pixels on the short side and ${MIN_LONG_SIDE} ` +
        'on the long side, kept in the catalogue ' +
        `without a photograph and not used to train; ${rest.length} more not listed above: ` +
        `${rest.slice(0, 10).join(', ')}${rest.length > 10 ? ', …' : ''}.`,
    );
  }
}
