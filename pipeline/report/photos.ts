import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isPhotoProblem, namedImages } from '../catalogue/photo-problems.ts';
import { lastImportFile } from '../collection/import-edits.ts';
import { photographOrigin, readImportedPhotographs } from '../collection/imported-photographs.ts';
import { type RefusedImage, readRefusedImages } from '../collection/refused-images.ts';
import { EMPTY_FILE } from '../dataset/picture-problems.ts';
import { standInsOf } from '../dataset/read.ts';
import type { Workspace } from '../paths.ts';
import type { Dataset, StandIn } from '../types.ts';
import type { BaseData } from './base-data.ts';
import { code, shorten, text } from './markdown.ts';
import type { UnusablePhoto } from './types.ts';

/*
 * Tester #1: a pull request that damages photographs (a truncated JPEG, a PDF renamed .jpg, an empty file, one over
 * dataset.image.max_pixels) was reported as harmless: the dataset stage warned in the run log and kept the objects
 * without a picture (dataset.json's issues), but the comment only counted them in the collapsed stage table, and after
 * the merge their catalogue pages said "No photograph yet". The report names them near the top, with what to do.
 */

/**
 * A label change's `photoUnusable` when its object has no photograph named at all: not photographed yet, which is
 * normal, so the object is not among the photographs that cannot be used.
 */
export const NO_PHOTO_NAMED = 'no photograph is named for it in data/objects.csv';

/** Objects named in the comment; the rest are counted (report.json has them all). */
export const SHOWN_PHOTOS = 20;

/** What a stand-in picture is and what becomes of it (dataset/small-images.ts). */
const STAND_IN =
  'a placeholder, or one photograph of them together, not used to train or test the model nor to guess their ' +
  'types, and still shown on their catalogue pages';

/**
 * Why a picture given to many objects is not used, from its group (Dataset.standIns): how many, their labels counted
 * ("2 labelled "coin", 40 without a label"), and that the catalogue still shows it.
 */
export function standInReason({ standIn, labelOf }: { standIn: StandIn; labelOf: Map<string, string | null> }): string {
  const count = new Map<string, number>();
  let without = 0;
  for (const id of standIn.objects) {
    const label = labelOf.get(id);
    if (label) count.set(label, (count.get(label) ?? 0) + 1);
    else without++;
  }
  const labelled = [...count].sort((a, b) => b[1] - a[1]).map(([label, n]) => `${n} labelled "${shorten(label, 40)}"`);
  const parts = [...labelled.slice(0, 4), ...(labelled.length > 4 ? [`${labelled.length - 4} other labels`] : [])];
  if (without > 0) parts.push(`${without} without a label`);
  return `the same picture is given to ${standIn.objects.length} objects (${parts.join(', ')}): ${STAND_IN}`;
}

/** The reason in plain words, from the issue's code and the decoder's message. */
export function photoReason({ code, message }: { code: string; message: string }): string {
  if (code === 'IMAGE_TOO_LARGE') {
    const size = /the image is (\d+)×(\d+)/.exec(message);
    const limit = /more than ([\d,]+)/.exec(message);
    const what = size ? `${size[1]} × ${size[2]} pixels` : 'too many pixels';
    return (
      `the photograph is too large (${what}, over the limit${limit ? ` of ${limit[1]} pixels` : ''} set in ` +
      'params.yaml, dataset.image.max_pixels)'
    );
  }
  if (code === 'IMAGE_UNREADABLE') {
    // The decoder's own words, kept short, after the plain ones: "VipsJpeg: premature end of JPEG image".
    const detail = /\(([^()]*)\)\.?$/.exec(message)?.[1]?.trim();
    const empty =
      /no size in its header/.test(message) || message.includes(EMPTY_FILE) || /empty|0 bytes/i.test(detail ?? '');
    return (
      `the file cannot be opened as a photograph; it is ${empty ? 'empty, ' : ''}damaged, cut short or not a ` +
      `picture at all${detail ? ` (the image reader said "${shorten(detail, 100)}")` : ''}`
    );
  }
  if (code === 'IMAGE_LINK_OUTSIDE' || code === 'IMAGE_LINK_NOT_FOLLOWED')
    return 'the file is a link to somewhere else, which Vitrine does not follow';
  // Not a photograph of the object (dataset/small-images.ts).
  if (code === 'IMAGE_TOO_SMALL') {
    const size = / is (\d+)×(\d+) pixels, under (\d+)/.exec(message);
    return (
      `the picture is ${size ? `${size[1]} × ${size[2]} pixels, under ${size[3]} on its short side` : 'very small'}: ` +
      'a “no image” stand-in or an icon, not a photograph of the object'
    );
  }
  if (code === 'IMAGE_PLACEHOLDER') {
    // From the message of a dataset that recorded no stand-ins (standInReason says it from the group).
    const others = /same picture as (\d+) other objects/.exec(message)?.[1];
    const labels = /same picture as \d+ other objects under (\d+) labels/.exec(message)?.[1];
    return (
      `the same picture is given to ${others ? `${Number(others) + 1} objects` : 'many objects'}` +
      `${labels ? ` under ${labels} labels` : ''}: ${STAND_IN}`
    );
  }
  // As the dataset stage says it: no copy can be put there (tester T16 F3).
  if (/is outside the data folder/.test(message))
    return 'its path in data/objects.csv leads outside the data folder, where Vitrine does not look';
  return 'the file is missing from the data folder';
}

/** A path (relative to data/, normalised) that leads outside data/: "../params.yaml", "/etc/passwd", "C:/x.jpg". */
function outsideData(relpath: string): boolean {
  return relpath === '..' || relpath.startsWith('../') || path.posix.isAbsolute(relpath) || /^[A-Za-z]:/.test(relpath);
}

/**
 * The photograph file of each object as data/objects.csv names it (relative to data/), or an empty map; or as `file`
 * names it (the table the last import wrote).
 */
async function imageFiles({ ws, file = ws.objects }: { ws: Workspace; file?: string }): Promise<Map<string, string>> {
  const named = (await namedImages({ file })) ?? new Map<string, string>();
  return new Map([...named].map(([id, image]) => [id, path.posix.normalize(image.split('\\').join('/'))]));
}

async function md5OfFile(file: string): Promise<string | null> {
  try {
    return createHash('md5')
      .update(await readFile(file))
      .digest('hex');
  } catch {
    return null;
  }
}

/**
 * The objects whose photograph the dataset stage could not use (dataset.json's issues), each with its file and reason.
 * With the base's data (its data.dvc listing in the local DVC cache), each says whether this pull request made it
 * unusable: the object is new, its file is new or changed since the base, or the pixel limit was lowered. An object
 * with no photograph named at all ("no photograph yet", isPhotoProblem) is not listed: nothing is broken, and a museum
 * adds objects before photographing them. Null when there is no dataset.json.
 */
export async function unusablePhotos({
  ws,
  dataset,
  base,
  maxPixels,
  baseMaxPixels,
}: {
  ws: Workspace;
  dataset: Pick<Dataset, 'objects' | 'issues' | 'standIns'> | null;
  /** The base's data (null: no base to compare with). */
  base: BaseData | null;
  maxPixels: number;
  /** dataset.image.max_pixels at the base (undefined: unknown). */
  baseMaxPixels?: number;
}): Promise<{ objects: UnusablePhoto[]; comparedWithBase: boolean } | null> {
  if (!dataset) return null;
  const titleOf = new Map(dataset.objects.map((o) => [o.id, o.title]));
  const labelOf = new Map(dataset.objects.map((o) => [o.id, o.label]));
  const problems = dataset.issues.filter(isPhotoProblem);
  if (problems.length === 0) return { objects: [], comparedWithBase: false };
  // A picture given to many objects is said once for them all (unusablePhotosSection), with what the group is.
  const standInOf = standInsOf(dataset);
  // objects.csv is read only when some photograph has a problem: it names the file of each.
  const files = await imageFiles({ ws });
  // The files import refused, by object: shown as the export names them, with import's reason.
  const refusedImages = await readRefusedImages({ ws });
  // The files the last import stored: one of them is fixed in the export, not in the data folder.
  const imported = await imageFiles({ ws, file: lastImportFile(ws) });
  // And their MD5 as stored: one changed in data/ since is not fixed in the export (null: no record, the path alone).
  const stored = await readImportedPhotographs({ ws });
  const seen = new Set<string>();
  const found: Omit<UnusablePhoto, 'newInChange'>[] = [];
  for (const issue of problems) {
    if (!issue.object || seen.has(issue.object)) continue;
    // After the place the message starts with ("data/objects.csv:12: "), which is not the photograph's file.
    const said = issue.message.replace(/^[^\n]*?:\d+: /, '');
    const named = files.get(issue.object);
    // Outside data/: shown as objects.csv names it, never as "data/../x" (no file there to replace or compare).
    const outside = named !== undefined && outsideData(named) ? named : undefined;
    const file = outside ? null : (named ?? /\bdata\/[^\s"():]+\.[A-Za-z0-9]+/.exec(said)?.[0]?.slice(5) ?? null);
    seen.add(issue.object);
    const standIn = issue.code === 'IMAGE_PLACEHOLDER' ? standInOf.get(issue.object) : undefined;
    const refused = files.get(issue.object) ? undefined : refusedImages.get(issue.object);
    const origin = refused
      ? undefined
      : await photographOrigin({
          ws,
          id: issue.object,
          image: files.get(issue.object),
          lastImport: imported,
          record: stored,
        });
    found.push({
      id: issue.object,
      title: titleOf.get(issue.object) ?? '',
      file: refused ? null : file ? `data/${file}` : null,
      ...(outside !== undefined && !refused && { outsideData: outside }),
      ...(refused && { exportFile: refused.image }),
      ...(origin === 'export' && { fromExport: true as const }),
      // The export's name of it, where import recorded it: the fix goes "in place of the file it came from" (T6 F10).
      ...(origin === 'export' &&
        stored?.get(issue.object)?.exported && { exportedAs: stored.get(issue.object)!.exported }),
      ...(origin === 'changed' && { changedSinceImport: true as const }),
      code: issue.code,
      ...(standIn && { standIn: { image: `data/${standIn.image}`, objects: standIn.objects.length } }),
      reason: refused ? refusedReason(refused) : standIn ? standInReason({ standIn, labelOf }) : photoReason(issue),
      labelled: (labelOf.get(issue.object) ?? null) !== null,
    });
  }
  if (found.length === 0) return { objects: [], comparedWithBase: false };
  const listing = base ? await base.listing() : null;
  // The same data.dvc at both ends: the pull request changed no photograph. Else the base's listing says which did.
  const sameData = !!base && (await base.sameAsWorkTree());
  const comparedWithBase = !!listing && (sameData || listing.files !== null);
  // An object the base did not have is new, whatever its file (the same data.dvc: the same objects).
  const baseIds = comparedWithBase && !sameData ? await base!.objects() : null;
  const known = baseIds && new Set(baseIds.map((o) => o.id));
  const limitLowered = baseMaxPixels !== undefined && baseMaxPixels > maxPixels;
  const objects = await Promise.all(
    found.map(async (o): Promise<UnusablePhoto> => {
      if (!comparedWithBase) return { ...o, newInChange: null };
      if (o.code === 'IMAGE_TOO_LARGE' && limitLowered) return { ...o, newInChange: true };
      if (sameData) return { ...o, newInChange: false };
      if (known && !known.has(o.id)) return { ...o, newInChange: true };
      if (o.exportFile !== undefined) return { ...o, newInChange: await refusedSinceBase({ o, base: base! }) };
      if (o.outsideData !== undefined) return { ...o, newInChange: await outsideSinceBase({ o, base: base! }) };
      if (!o.file) return { ...o, newInChange: false };
      const before = listing!.files!.get(o.file.slice('data/'.length));
      const now = await md5OfFile(path.join(ws.data, o.file.slice('data/'.length)));
      // Missing at both ends is not new; a file added, replaced or taken away since the base is.
      return { ...o, newInChange: before !== (now ?? undefined) };
    }),
  );
  // Those this pull request broke first, then the ones broken before it.
  objects.sort((a, b) => Number(b.newInChange === true) - Number(a.newInChange === true));
  return { objects, comparedWithBase };
}

/** Why import refused an object's file, in its words without the advice (the section says what to do). */
function refusedReason(refused: RefusedImage): string {
  const reason = refused.reason.replace(/\s*(Copy or export|Copy or save|Export)\b[^.]*\.?\s*$/, '').replace(/\.$/, '');
  return `import refused this file of the export: it ${reason}`;
}

/**
 * Whether import refused the object's file since the base: the base had a photograph for it, or had no refused file
 * for it, or another one. Unknown base (its list cannot be read): new when the base's objects.csv named a photograph.
 */
async function refusedSinceBase({
  o,
  base,
}: {
  o: Omit<UnusablePhoto, 'newInChange'>;
  base: BaseData;
}): Promise<boolean> {
  const before = await base.refusedImages?.();
  if (before) return before.get(o.id)?.image !== o.exportFile;
  const baseImage = (await base.objects())?.find((b) => b.id === o.id)?.image;
  return !!baseImage;
}

/** Whether the base named another path for the object's photograph than the one outside data/ it names now. */
async function outsideSinceBase({
  o,
  base,
}: {
  o: Omit<UnusablePhoto, 'newInChange'>;
  base: BaseData;
}): Promise<boolean> {
  const image = (await base.objects())?.find((b) => b.id === o.id)?.image;
  return image === undefined || path.posix.normalize(image.split('\\').join('/')) !== o.outsideData;
}

/** "DM-0001 (Coin number 1)": the id, and the title when there is one. */
function named(o: UnusablePhoto): string {
  return `${text(o.id)}${o.title ? ` (${text(shorten(o.title))})` : ''}`;
}

/**
 * The comment's section: a ⚠️ line, the objects (at most SHOWN_PHOTOS, newly broken first) with file and reason, what
 * merging does and what to do. '' when every photograph can be used. `onMain`: a run on the main branch itself, with
 * no pull request to commit the fix to (onMainItself).
 */
export function unusablePhotosSection({
  photos,
  onMain = false,
}: {
  photos: { objects: UnusablePhoto[]; comparedWithBase: boolean } | null;
  onMain?: boolean;
}): string {
  if (!photos || photos.objects.length === 0) return '';
  // Where the fix is committed: on main there is no pull request of this run.
  const toChange = onMain ? 'in a new pull request' : 'to this pull request';
  const all = photos.objects;
  const n = all.length;
  const fresh = all.filter((o) => o.newInChange === true).length;
  const one = n === 1;
  const because = photos.comparedWithBase
    ? fresh === n
      ? one
        ? ', because of this pull request'
        : ', all because of this pull request'
      : fresh > 0
        ? `: ${fresh} because of this pull request, ${n - fresh} already before it`
        : one
          ? ', not because of this pull request (it was already unusable before it)'
          : ', none because of this pull request (they were already unusable before it)'
    : '';
  // A picture given to many objects is still shown on their pages (dataset/small-images.ts): not “no photograph”.
  const standIns = all.filter((o) => o.code === 'IMAGE_PLACEHOLDER').length;
  const blank = n - standIns;
  const pages =
    standIns === 0
      ? `${one ? 'its page' : 'their pages'} in the public catalogue show${one ? 's' : ''} no photograph`
      : blank === 0
        ? 'guesses none of their types, while their pages in the public catalogue still show the picture they share'
        : `the public catalogue shows no photograph on the ${blank === 1 ? 'page' : `${blank} pages`} of ` +
          `${blank === 1 ? 'the object' : 'those'} whose file cannot be used, and still shows the picture ` +
          `${standIns} objects share on theirs`;
  const head =
    `⚠️ **${n.toLocaleString('en')} ${one ? "object's photograph cannot" : "objects' photographs cannot"} be used${because}.** ` +
    `${onMain ? 'The catalogue keeps' : 'Merging keeps'} ${one ? 'this object' : 'these objects'}` +
    `${onMain ? '' : ' in the catalogue'}, but the model is trained without ${one ? 'it' : 'them'} and ${pages}.`;
  const fix =
    'To fix: put a good copy of each photograph in the data folder under the name shown (a JPEG or PNG that ' +
    'opens, within the pixel limit), in place of the damaged file or where a missing one should be, then run ' +
    `\`npx vitrine data add\` and commit the changed data.dvc ${toChange}.`;
  // An object whose file import refused has none in data/: the good copy goes in the export, imported again. So
  // does one whose file in data/ import stored from the export: import never copies a file it cannot use, so a good
  // copy put in data/ is kept, but a re-import under on_invalid "fail" stops on the export's file until it is fixed.
  const refused = all.filter((o) => o.exportFile !== undefined).length;
  const stored = all.filter((o) => o.fromExport).length;
  // One too large opens fine: a smaller copy, or a higher limit (a reviewer).
  const large = all.filter((o) => o.fromExport && o.code === 'IMAGE_TOO_LARGE').length;
  const storedCopy =
    large === 0
      ? 'a good copy (a JPEG or PNG that opens)'
      : large === stored
        ? 'a smaller copy, within the pixel limit,'
        : 'a good copy (a JPEG or PNG that opens; for one too large, a smaller copy, within the pixel limit)';
  // One import stored that was changed in data/ since (by hand, another program): the export's copy is as import
  // stored it, so importing again puts it back, over the change. A change meant (a new photograph) is recorded with
  // data add instead, and the advice for its reason kept (a smaller copy, the pixel limit). No checkout advice: a pull
  // request's data.dvc records the change already (a reviewer).
  const changed = all.filter((o) => o.changedSinceImport).length;
  const changedLarge = all.filter((o) => o.changedSinceImport && o.code === 'IMAGE_TOO_LARGE').length;
  const changedCopy =
    changedLarge === 0
      ? 'a good copy (a JPEG or PNG that opens)'
      : changedLarge === changed
        ? 'a smaller copy, within the pixel limit,'
        : 'a good copy (a JPEG or PNG that opens; for one too large, a smaller copy, within the pixel limit)';
  // A stand-in is no file to replace (placeholderFix below says what to do with it); nor is a path outside data/.
  const outside = all.filter((o) => o.outsideData !== undefined).length;
  const inData = n - refused - stored - changed - standIns - outside;
  const outsideFix =
    outside === 0
      ? ''
      : ` ${n === outside ? 'To fix: name' : 'For a path outside the data folder (so said): name'} ` +
        'a file inside the data folder in its image cell, relative to it (like `images/DM-0001.jpg`), in the ' +
        `collections system and import again, or in data/objects.csv; then run \`npx vitrine data add\` and commit ` +
        `the changed data.dvc ${toChange}.`;
  const changedFix =
    changed === 0
      ? ''
      : `${
          inData + refused + stored > 0
            ? ' For a photograph changed in the data folder after import (so marked): its file there is'
            : changed === 1
              ? 'Its file in the data folder is'
              : 'Their files in the data folder are'
        } no longer what import stored from the export (changed or deleted since, by hand or by another program). ` +
        `If that was a mistake, run \`npx vitrine import\` again and commit what it changes ${toChange}: ` +
        'importing again replaces the file in the data folder with the export’s. If the new photograph was meant, ' +
        `do not import again: put ${changedCopy} in the data folder under the name shown, run ` +
        `\`npx vitrine data add\` and commit the changed data.dvc ${toChange}` +
        (changedLarge > 0 ? ', or raise `dataset.image.max_pixels` in params.yaml' : '') +
        '; and put the new photograph in the export too, in place of the file it came from, or the next import ' +
        'replaces it with the export’s again.';
  const refusedFix =
    refused === 0
      ? ''
      : `${inData + stored + changed === 0 ? 'To fix: put' : ' For a file import refused (the export’s name is shown): put'} a ` +
        'good copy (a JPEG or PNG that opens) in the export under the name shown, run `npx vitrine import` again and ' +
        `commit what it changes ${toChange}.`;
  const storedFix =
    stored === 0
      ? ''
      : `${inData + refused + changed === 0 ? 'To fix: put' : ' For a photograph stored by import from the export (so marked): put'} ` +
        `${storedCopy} in the export in place of the file it came from, run \`npx vitrine import\` again and ` +
        `commit what it changes ${toChange}` +
        (large > 0 ? ', or raise `dataset.image.max_pixels` in params.yaml' : '') +
        (large === stored
          ? '.'
          : ' (a good copy put in the data folder instead is kept, but until the export’s file is fixed, each ' +
            'import with `import.on_invalid: fail` stops on it).');
  // One entry an object, but one for all the objects given one picture: one thing to fix, not 40 suspects.
  const entries: UnusablePhoto[][] = [];
  const groupOf = new Map<string, UnusablePhoto[]>();
  for (const o of all) {
    const group = o.standIn ? groupOf.get(o.standIn.image) : undefined;
    if (group) group.push(o);
    else {
      entries.push([o]);
      if (o.standIn) groupOf.set(o.standIn.image, entries.at(-1)!);
    }
  }
  const shownEntries = entries.slice(0, SHOWN_PHOTOS);
  const lines = shownEntries.map((group) => {
    const o = group[0]!;
    if (o.standIn) {
      const fresh = group.some((g) => g.newInChange === true) ? ' — **new in this pull request**' : '';
      // The labelled first: those staff know by their labels, and the model would have learnt the picture as.
      const few = [...group]
        .sort((a, b) => Number(b.labelled) - Number(a.labelled))
        .slice(0, 3)
        .map(named);
      const ids = group.length > 3 ? `${few.join(', ')} and ${group.length - 3} more` : few.join(', ');
      return `- ${o.standIn.objects} objects share one picture ${code(o.standIn.image)} (${ids}): ${text(o.reason)}${fresh}`;
    }
    const mark = o.newInChange === true ? ' — **new in this pull request**' : '';
    const stored = o.fromExport
      ? ` (stored by import from the export${o.exportedAs ? `’s ${code(shorten(o.exportedAs, 120))}` : ''})`
      : o.changedSinceImport
        ? ' (changed in the data folder after import)'
        : '';
    const file = o.file
      ? ` ${code(o.file)}${stored}`
      : o.exportFile
        ? ` (the export’s ${code(o.exportFile)})`
        : o.outsideData !== undefined
          ? ` (data/objects.csv names ${code(shorten(o.outsideData, 120))})`
          : '';
    return `- ${named(o)}${file}: ${text(o.reason)}${mark}`;
  });
  const more = n - shownEntries.reduce((sum, group) => sum + group.length, 0);
  const rest =
    more > 0 ? `\n- …and ${more.toLocaleString('en')} more (report.json in the run's files lists them all)` : '';
  // A placeholder stands for objects not photographed yet (dataset/small-images.ts): no copy of it is the fix.
  const placeholders = all.filter((o) => o.code === 'IMAGE_PLACEHOLDER').length;
  const placeholderFix =
    placeholders === 0
      ? ''
      : ` For ${placeholders === n ? 'these objects' : 'an object whose picture is given to many (so said)'}, no ` +
        'copy of that picture will do: the catalogue still shows it on their pages, but the model learns from it ' +
        'for none of them. If it is a placeholder, leave their image cells empty in the export and import again ' +
        'until each is photographed; if it is a photograph of them together, give each its own photograph for the ' +
        'model to learn from.';
  const fixes = `${inData > 0 ? fix : ''}${refusedFix}${storedFix}${changedFix}${outsideFix}${placeholderFix}`.trim();
  return `### Photographs that cannot be used\n\n${head}\n\n${lines.join('\n')}${rest}\n\n${fixes}`;
}
