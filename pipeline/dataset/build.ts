import { lstat, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { plainSlug } from '../catalogue/derive.ts';
import { readImportedPhotographs } from '../collection/imported-photographs.ts';
import { compareIds, emptyRowsMessage } from '../collection/index.ts';
import { readRefusedImages, refusedImageMessage } from '../collection/refused-images.ts';
import { beginning, MAX_PATH_BYTES, overLimit } from '../collection/value-limits.ts';
import {
  checkVocabulary,
  keptNotLearnedWords,
  labelInList,
  labelsKeptNotLearned,
  minObjectsPerLabel,
  type VocabularyTypo,
  vocabularyEntryLines,
  vocabularyTypoMessage,
  vocabularyTypos,
} from '../collection/vocabulary.ts';
import { readDvcConfig } from '../data/config.ts';
import { hashTree, manifestHash, mapPool, type TreeHash } from '../data/hash.ts';
import { stateFileOf } from '../data/ops.ts';
import { tempName } from '../data/temp.ts';
import { VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import { clip, type Logger, quoted } from '../log.ts';
import type { Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import type { Dataset, DatasetIssue, DatasetObject, LabelLine, ShownOnly, Split } from '../types.ts';
import {
  type AnalysisSettings,
  analyseImage,
  type ImageAnalysis,
  loadAnalysesChecked,
  removeLeftTemps,
  saveAnalyses,
} from './analyse.ts';
import { holdImageCaches } from './caches-lock.ts';
import { loadFinished, removeFinished, saveFinished } from './finished.ts';
import { imageNames, twinsNamed } from './image-names.ts';
import {
  type DecodeFailure,
  decodeFailureError,
  decodeFailureOf,
  loadDecodeFailures,
  md5Of as md5OfBytes,
  readImageBytes,
  saveDecodeFailures,
} from './images.ts';
import { keepLabelsRead } from './labels-as-read.ts';
import { type LabelsDeleted, type LabelsEmptied, labelsEmptiedError } from './labels-deleted.ts';
import { linkOnTheWay, linkOutsideMessage, linksOutside } from './links.ts';
import { isPictureProblem, isWithheldField } from './picture-problems.ts';
import { datasetFile } from './read.ts';
import { type RenamedLabel, refuseRenamedLabels } from './renamed-labels.ts';
import {
  notPhotographs,
  type Pictured,
  PLACEHOLDER,
  placeholderWords,
  TOO_SMALL,
  warnThin,
  warnTooSmall,
} from './small-images.ts';
import { assignSplits, splitOfId } from './split.ts';
import {
  checkLabels,
  type EmptyLabels,
  emptyLabelsError,
  firstLabelLines,
  isOutsideVocabularyIssue,
  lookAlikeIds,
  type OutsideVocabularyIssue,
  readLabelsChecked,
  readObjectsChecked,
  unknownObjectsMessage,
  withoutOverlongFields,
  withoutUnusableIds,
} from './validate.ts';

/*
 * The dataset stage: join the objects table, the images under `data/` and the labels in git into
 * `.vitrine/dataset/dataset.json`, the one list every later stage reads. Bad rows are reported with
 * their file and line; `dataset.on_invalid` decides whether they are skipped or fail the run.
 */

export const SPLITS: Split[] = ['train', 'validation', 'test'];

const IMAGE_FILE = /\.(jpe?g|png|webp|tiff?|gif|avif|heic)$/i;

// Beyond this many, warnings are counted rather than printed (all are kept in dataset.json).
const MAX_PRINTED_ISSUES = 50;

/**
 * Build the dataset and write `.vitrine/dataset/dataset.json` (atomically) and its thumbnails.
 * Throws DATASET_INVALID when `params.dataset.on_invalid` is "fail" and any row has a problem.
 */
export async function buildDataset({
  ws,
  params,
  log,
  jobs = availableParallelism(),
  deleted = null,
  emptied,
  unread,
  renamed,
  onRead,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  jobs?: number;
  /** Where a missing labels.csv still is (labelsDeleted), for the words; null: it never was, as far as git knows. */
  deleted?: LabelsDeleted | null;
  /** Asked only when labels.csv holds no label: where git still has labels (labelsEmptied); none: a new collection's. */
  emptied?: () => Promise<LabelsEmptied | null>;
  /** Asked only when git has no labels for an empty labels.csv: the base branch this copy cannot read (unreadBase). */
  unread?: () => Promise<string | null>;
  /** Asked only for labels outside the vocabulary: those a commit renamed (renamedLabels); none: not asked. */
  renamed?: (labels: string[]) => Promise<Map<string, RenamedLabel>>;
  /**
   * Told the hashes of labels.csv and data/ as this build read them, keyed as the stage's inputs ("labels.csv",
   * "data"): data/objects.csv and labels.csv by the bytes parsed, the photographs as listed when they were hashed.
   */
  onRead?: (read: Record<string, string>) => void;
}): Promise<Dataset> {
  const p = params.dataset;
  const vocabulary = params.collection.vocabulary;
  const objectsName = rel(ws, ws.objects);
  const labelsName = rel(ws, ws.labels);

  const checked = await readObjectsChecked({ file: ws.objects, name: objectsName });
  // A field far too long (a text pasted into data/objects.csv) is withheld from the catalogue, its object kept.
  // An id far too long, or holding a character no id may hold, leaves its row out (an object is shown by its number).
  const ids = withoutUnusableIds({ objects: checked.objects, lineOf: checked.lineOf, name: objectsName });
  const overlong = withoutOverlongFields({ objects: ids.objects, lineOf: checked.lineOf, name: objectsName });
  const read = { ...checked, objects: overlong.objects };
  const issues: DatasetIssue[] = [...read.issues, ...ids.issues, ...overlong.issues];
  const { labels, blanks, missing, empty, emptyRows, tabs, ...labelsRead } = await readLabelsChecked({
    file: ws.labels,
    name: labelsName,
  });
  await refuseBeforeImages({ ws, params, objects: read.objects, labels, empty, emptied, unread, renamed });
  // Deleted or renamed: the stage stops with the same words (labelsDeletedError), said once, as the error.
  if (missing && !deleted) log.warn(`${labelsName} does not exist yet: every object is unlabelled.`);
  // Rows of empty cells, as a spreadsheet leaves below the last row: no rows of the tables, said once each.
  for (const [file, lines] of [[objectsName, read.emptyRows] as const, [labelsName, emptyRows] as const])
    if (lines.length > 0) log.info(emptyRowsMessage({ file, lines }));
  const objectIds = new Set(read.objects.map((o) => o.id));
  // data/ (and so objects.csv) is never in a pull request's diff; labels.csv is: image problems of a
  // labelled object also carry its labels.csv line, where CI can annotate them.
  const labelLineOf = firstLabelLines({ labels });
  const labelsLineOf = (id: string): { labelsLine?: number } =>
    labelLineOf.has(id) ? { labelsLine: labelLineOf.get(id)! } : {};
  for (const issue of overlong.issues) Object.assign(issue, labelsLineOf(issue.object!));

  // Every file under data/ with its md5; the state file (shared with the stage graph) spares re-reading.
  const tree = await hashTree({ dir: ws.data, stateFile: stateFileOf(ws.root) });
  const md5Of = new Map(tree.entries.map((e) => [e.relpath, e.md5]));
  onRead?.({ 'labels.csv': labelsRead.md5, data: dataAsRead({ ws, tree, objectsMd5: read.md5 }) });
  const imagePath = (image: string) => path.posix.normalize(image.split('\\').join('/'));
  // The file each image path names, under its name on disk: "Café" composed in the table, decomposed on disk.
  const names = imageNames(md5Of.keys());
  const onDisk = (image: string): string | undefined => {
    const found = image ? names.resolve(imagePath(image)) : undefined;
    return found && 'relpath' in found ? found.relpath : undefined;
  };
  // Never read: a link committed to git can lead to any file on this computer (links.ts).
  const outside = await linksOutside({
    dir: ws.data,
    cacheDir: (await readDvcConfig({ root: ws.root })).cacheDir,
    relpaths: read.objects.flatMap((o) => onDisk(o.image) ?? []),
  });

  // Objects whose image file import refused (import.on_invalid: skip), and why.
  const refusedImages = await readRefusedImages({ ws });
  // Objects with an image file.
  const withImage: { object: (typeof read.objects)[number]; relpath: string; md5: string }[] = [];
  // Objects without a usable picture (none, missing, a link outside data/, or unreadable): a photography problem,
  // not a reason to take the record out of the catalogue. They stay in dataset.json with image and imageMd5 empty,
  // which every later stage reads as "no picture": out of training, evaluation and annotation.
  const unpictured: (typeof read.objects)[number][] = [];
  for (const object of read.objects) {
    const line = read.lineOf.get(object.id);
    const relpath = imagePath(object.image);
    const where = { file: objectsName, line, object: object.id, ...labelsLineOf(object.id) };
    const refused = object.image ? undefined : refusedImages.get(object.id);
    if (refused) {
      // Its file was refused by import: a photograph that cannot be used, not one never taken.
      issues.push({
        code: 'IMAGE_UNREADABLE',
        message: `${objectsName}:${line}: ${refusedImageMessage({ id: object.id, refused })}`,
        ...where,
      });
      unpictured.push(object);
    } else if (!object.image) {
      issues.push({
        code: 'OBJECT_NO_IMAGE',
        message: `${objectsName}:${line}: object "${object.id}" has no image.`,
        ...where,
      });
      unpictured.push(object);
    } else if (overLimit({ value: object.image, most: MAX_PATH_BYTES })) {
      // A text pasted into the image cell: said by its start, never whole, and published nowhere (image emptied).
      issues.push({
        code: 'OBJECT_NO_IMAGE',
        message:
          `${objectsName}:${line}: the image path of object ${quoted(object.id)} is ` +
          `${overLimit({ value: object.image, most: MAX_PATH_BYTES })}: no file can have a path that long. A text ` +
          `pasted into the image cell by mistake? It begins ${beginning(object.image)}. The object stays in the ` +
          'catalogue without a picture until the path is corrected: correct it in the collections system and import ' +
          `again (or in ${objectsName}, then run "npx vitrine data add").`,
        ...where,
      });
      unpictured.push(object);
    } else if (relpath.startsWith('../') || path.posix.isAbsolute(relpath)) {
      issues.push({
        code: 'OBJECT_NO_IMAGE',
        message:
          `${objectsName}:${line}: the image of object "${object.id}" ("${object.image}") is outside the ` +
          `data folder; image paths are relative to data/, like "images/${object.id}.jpg".`,
        ...where,
      });
      unpictured.push(object);
    } else {
      const found = names.resolve(relpath);
      if (found && 'twins' in found) {
        // Not guessed: the two look the same, and may be two photographs.
        issues.push({
          code: 'OBJECT_NO_IMAGE',
          message:
            `${objectsName}:${line}: the image of object "${object.id}" (data/${relpath}) is not clear: ` +
            `${found.twins.length} files in data/ match it, ${twinsNamed(found.twins)}, one name with its accented ` +
            'letters stored in different ways. Keep the right one and delete the others, then run ' +
            '"npx vitrine data add".',
          ...where,
        });
        unpictured.push(object);
      } else if (!found) {
        // A link in the way (a linked folder, a link leading nowhere) is said as such: the file is not "missing".
        const link = await linkOnTheWay({ dir: ws.data, root: ws.root, relpath });
        // Something of that name that is no file (a pipe, a folder): named for what it is, and never opened.
        const other = link ? null : await notAFile(path.join(ws.data, relpath));
        issues.push({
          code: link ? 'IMAGE_LINK_NOT_FOLLOWED' : 'OBJECT_NO_IMAGE',
          message: link
            ? `${objectsName}:${line}: object "${object.id}": ${link.said}. ${link.advice}`
            : other
              ? `${objectsName}:${line}: the image of object "${object.id}" is not a file a photograph can be read ` +
                `from: data/${relpath} is ${other}, not a regular file. Put the photograph itself (a file) in its ` +
                'place, then run "npx vitrine data add".'
              : `${objectsName}:${line}: the image of object "${object.id}" is missing (no file data/${relpath})` +
                otherCaseHint(names.otherCase(relpath)),
          ...where,
        });
        unpictured.push(object);
      } else if (outside.has(found.relpath)) {
        issues.push({
          code: 'IMAGE_LINK_OUTSIDE',
          message:
            `${objectsName}:${line}: object "${object.id}": ` +
            linkOutsideMessage(found.relpath, outside.get(found.relpath)),
          ...where,
        });
        unpictured.push(object);
      } else {
        // Found in another Unicode form: the dataset names the file as it is on disk, which later stages read.
        const named = found.relpath === relpath ? object : { ...object, image: found.relpath };
        withImage.push({ object: named, relpath: found.relpath, md5: md5Of.get(found.relpath)! });
      }
    }
  }
  const twins = names.twins.filter((group) => group.some((name) => IMAGE_FILE.test(name)));
  if (twins.length > 0)
    log.warn(
      `data/ holds ${twins.length === 1 ? 'a file name' : `${twins.length} file names`} stored two ways: ` +
        `${twins.slice(0, 3).map(twinsNamed).join('; ')}${twins.length > 3 ? `; and ${twins.length - 3} more` : ''}. ` +
        'They look the same, and their accented letters are stored differently (composed, or a letter and an ' +
        'accent, as a Mac saves names): here they are different files, on a Mac one of them would replace the other. ' +
        'Keep one of each and delete the others, then run "npx vitrine data add".',
      { file: objectsName },
    );

  const used = new Set(withImage.map((w) => w.relpath));
  const unused = tree.entries.filter((e) => IMAGE_FILE.test(e.relpath) && !used.has(e.relpath));
  if (unused.length > 0)
    log.info(
      `${unused.length} image${unused.length === 1 ? '' : 's'} in data/ belong${unused.length === 1 ? 's' : ''} ` +
        `to no object in ${objectsName} (for example data/${unused[0]!.relpath}).`,
    );

  // Analyse each distinct image once; reuse the last run's answers.
  const settings = analysisSettings(params);
  const firstPathOf = new Map<string, string>();
  for (const { md5, relpath } of withImage) if (!firstPathOf.has(md5)) firstPathOf.set(md5, relpath);
  const { previous, unreadable, analyses, failures, analysed, resumed, refreshed } = await analyseImages({
    ws,
    settings,
    firstPathOf,
    jobs,
    log,
  });
  const toAnalyse = analysed;

  // Each photograph import stored, with the export's name of it: read only when some picture cannot be used.
  const stored = failures.size > 0 ? await readImportedPhotographs({ ws }) : null;
  const usable = withImage.filter(({ object, md5, relpath }) => {
    const failure = failures.get(md5);
    if (!failure) return true;
    const line = read.lineOf.get(object.id);
    // The failure names the first file of these bytes (read once): each object's problem names its own file.
    const { reason } = decodeFailureOf({ error: failure, file: `data/${firstPathOf.get(md5)}` });
    // The fix of one import stored (still its bytes) is in the export: its file there named too (tester T6 F10).
    const entry = stored?.get(object.id);
    const exported =
      entry?.exported && entry.image === relpath && entry.md5 === md5
        ? ` (from the export’s "${clip(entry.exported)}")`
        : '';
    issues.push({
      code: failure.code,
      message: `${objectsName}:${line}: object "${object.id}": data/${relpath}${exported}: ${reason}`,
      file: objectsName,
      line,
      object: object.id,
      ...labelsLineOf(object.id),
    });
    unpictured.push(object);
    return false;
  });

  const minPerLabel = minObjectsPerLabel({ minTestPerClass: p.min_test_per_class, testShare: p.split.test });
  // One paragraph with counts and the vocabulary to set, besides the warning on each line.
  const vocabularyOptions = {
    labels: labels.filter((l) => objectIds.has(l.objectId)),
    vocabulary,
    minPerLabel,
    labelsName,
  };
  // Each near miss already has its "did you mean" on its own line (checkLabels).
  let vocabularyCheck = checkVocabulary({ ...vocabularyOptions, nearMissesSaid: true });
  // Labels too few to learn that are no slip (a gallery's drawings): said in one line, not warned of on each line.
  // With on_invalid "fail" they stop the run, so they are said as problems, as before.
  const keptLabels = p.on_invalid === 'skip' ? labelsKeptNotLearned(vocabularyCheck) : [];
  const keptSet = new Set(keptLabels.map((c) => c.label));
  if (keptLabels.length > 0)
    vocabularyCheck = checkVocabulary({
      ...vocabularyOptions,
      labels: vocabularyOptions.labels.filter((l) => !keptSet.has(l.label)),
      nearMissesSaid: true,
    });
  const labelCheck = checkLabels({
    labels,
    blanks,
    objectIds,
    vocabulary,
    name: labelsName,
    minPerLabel,
    saidApart: keptSet,
    tabs,
    refused: ids.issues,
  });
  // A loop, not push(...): 140,000 lines naming unknown objects overflowed the stack as arguments.
  for (const issue of labelCheck.issues) issues.push(issue);

  // The same picture in other bytes (saved again with new metadata) is the same photograph: one split.
  const pictureOf = (md5: string) => analyses.get(md5)?.pixels ?? md5;
  // A picture that is no photograph of its object (a 1×1 stub, one placeholder given to many objects under different
  // labels): the object is kept without a picture, as for an empty file (small-images.ts).
  const asPictured: Pictured[] = usable.map(({ object, md5, relpath }) => ({
    id: object.id,
    relpath,
    picture: pictureOf(md5),
    width: analyses.get(md5)!.width,
    height: analyses.get(md5)!.height,
    label: labelCheck.labelOf.get(object.id),
  }));
  const notPhotos = notPhotographs({
    objects: asPictured,
    where: (id) => {
      const line = read.lineOf.get(id);
      return { at: `${objectsName}:${line}: `, file: objectsName, line, object: id, ...labelsLineOf(id) };
    },
  });
  for (const issue of notPhotos.issues) issues.push(issue);
  const notPhoto = new Set(notPhotos.issues.map((i) => i.object));
  const photographs = usable.filter(({ object }) => !notPhoto.has(object.id));
  for (const { object } of usable) if (notPhoto.has(object.id)) unpictured.push(object);
  // A placeholder picture, or one photograph of a set under different labels: out of training and testing, but the
  // catalogue still shows it on each object's page (shownOnly): a group photograph is a loss to hide.
  const placed = new Set(notPhotos.issues.filter((i) => i.code === PLACEHOLDER).map((i) => i.object));
  const shownOnly = new Map<string, ShownOnly>();
  for (const { object, md5, relpath } of usable) {
    if (!placed.has(object.id)) continue;
    const analysis = analyses.get(md5)!;
    shownOnly.set(object.id, {
      image: relpath,
      imageMd5: md5,
      width: analysis.width,
      height: analysis.height,
      colours: analysis.colours,
      thumbnails: analysis.thumbnails,
    });
  }
  const splits = assignSplits({
    objects: photographs.map(({ object, md5 }) => ({ id: object.id, image: pictureOf(md5) })),
    fractions: p.split,
  });
  const pictured: DatasetObject[] = photographs.map(({ object, md5 }) => {
    const analysis = analyses.get(md5)!;
    return {
      ...object,
      imageMd5: md5,
      width: analysis.width,
      height: analysis.height,
      label: labelCheck.labelOf.get(object.id) ?? null,
      split: splits.get(object.id)!,
      colours: analysis.colours,
      thumbnails: analysis.thumbnails,
    };
  });
  const objects: DatasetObject[] = [
    ...pictured,
    ...unpictured.map((object) => ({
      ...object,
      image: '',
      imageMd5: '',
      width: 0,
      height: 0,
      label: labelCheck.labelOf.get(object.id) ?? null,
      split: splitOfId({ id: object.id, ...p.split }),
      colours: [],
      thumbnails: [],
      ...(shownOnly.has(object.id) && { shownOnly: shownOnly.get(object.id)! }),
    })),
  ].sort((a, b) => compareIds(a.id, b.id));

  const dataset: Dataset = {
    schema: 'vitrine.dataset/1',
    labels: [...vocabulary],
    objects,
    issues: sortIssues(issues),
    // Each stand-in picture once, for those who list them once (the review, the report) and the catalogue's words.
    ...(notPhotos.placeholders.length > 0 && {
      standIns: notPhotos.placeholders.map(({ objects: given, labels: under }) => ({
        image: given[0]!.relpath,
        objects: given.map((o) => o.id),
        labels: under,
      })),
    }),
    // The training data: objects with a picture.
    counts: countObjects({ objects: pictured, vocabulary }),
  };

  const remembered = new Map(
    [...failures].map(([md5, error]) => [md5, decodeFailureOf({ error, file: `data/${firstPathOf.get(md5)}` })]),
  );
  const failuresChanged =
    remembered.size !== unreadable.size || [...remembered.keys()].some((md5) => !unreadable.has(md5));
  const kept = new Map([...analyses].filter(([md5]) => !failures.has(md5)));
  // Unchanged images and none gone: images.json and the thumbnails are already right. New stamps of thumbnails
  // found intact are saved, so they are not read again next time.
  // What a stopped run had finished goes into them too (resumed): its own files are removed once it is there.
  const analysesChanged = toAnalyse > 0 || resumed > 0 || kept.size !== previous.size || refreshed > 0;
  // A run that refuses the dataset leaves the last one in place: the thumbnails it names must stay (the catalogue of
  // the last good dataset is still built from them), so nothing is pruned then.
  const refused =
    (issues.length > 0 && p.on_invalid === 'fail') || (labels.length > 0 && dataset.counts.labelled === 0);
  if (failuresChanged || analysesChanged) {
    // Under the lock a shard run on this checkout adds to them under: neither writes over the other's files.
    const release = await holdImageCaches({ ws, what: 'a run writing the image caches', log });
    try {
      if (failuresChanged)
        await saveDecodeFailures({ dir: ws.dataset, maxPixels: p.image.max_pixels, failures: remembered });
      if (analysesChanged) await saveAnalyses({ datasetDir: ws.dataset, settings, analyses: kept, prune: !refused });
    } finally {
      await release();
    }
  }
  // Each image's answer is in images.json or unreadable.json now: its own file goes.
  const folded = new Set([...kept.keys(), ...remembered.keys()]);
  const done = await removeFinished({ datasetDir: ws.dataset, settings, folded, inUse: new Set(firstPathOf.keys()) });
  if (done > 0) log.debug(`Removed ${done} answers of single images, now kept in images.json and unreadable.json.`);
  // Every image is read by now: what a killed run left half-written (its thumbnails are made again above) goes.
  const removed = await removeLeftTemps({ datasetDir: ws.dataset });
  if (removed > 0) log.debug(`Removed ${removed} temporary files a stopped run left in ${rel(ws, ws.dataset)}.`);
  const unknown = unknownObjectsMessage({ unknown: labelCheck.unknown, labelsName, objectsName });
  // Those lines stay one issue each in dataset.json (annotations); printed, they are the one message.
  // A line whose label is kept, not learned, is said in keptNotLearnedWords' line (and with --verbose, on its own).
  const keptLine = (i: DatasetIssue) => isOutsideVocabularyIssue(i) && keptSet.has(i.label);
  for (const issue of dataset.issues.filter(keptLine)) log.debug(issue.message);
  const said = dataset.issues.filter((i) => !keptLine(i));
  // Pictures too small, and placeholders, are said in few lines below, not one each (small-images.ts).
  const saidApart = (i: DatasetIssue) => i.code === TOO_SMALL || i.code === PLACEHOLDER;
  const printed = (
    unknown ? said.filter((i) => !(i.code === 'LABEL_UNKNOWN_OBJECT' && i.line && unknown.lines.has(i.line))) : said
  ).filter((i) => !saidApart(i));
  warnTooSmall({ issues: said, log, labelsName });
  warnThin({ objects: asPictured, log });
  for (const placeholder of notPhotos.placeholders.slice(0, 10)) {
    const first = placeholder.objects.find((o) => labelLineOf.has(o.id));
    const where = first ? { file: labelsName, line: labelLineOf.get(first.id)! } : { file: objectsName };
    log.warn(placeholderWords(placeholder), where);
  }
  if (notPhotos.placeholders.length > 10)
    log.warn(`…and ${notPhotos.placeholders.length - 10} more such placeholder pictures (dataset.json lists them).`);
  reportIssues({
    issues: said,
    notLearned: notLearnedWords({ issues: dataset.issues, labelsName }),
    printed,
    grouped: unknown && { message: unknown.message, line: smallest(unknown.lines) },
    log,
    onInvalid: p.on_invalid,
    labelsName,
    vocabulary,
  });
  if (issues.length > 0 && p.on_invalid === 'fail') {
    const listed = [...(unknown ? [unknown.message] : []), ...printed.slice(0, 20).map((i) => i.message)].map(
      (m) => `  ${m}`,
    );
    const more = printed.length > 20 ? [`  ...and ${printed.length - 20} more.`] : [];
    throw new VitrineError(
      'DATASET_INVALID',
      `The dataset has ${dataset.issues.length} problem${dataset.issues.length === 1 ? '' : 's'} ` +
        `(dataset.on_invalid is "fail" in params.yaml):\n${[...listed, ...more].join('\n')}`,
      { issues: dataset.issues },
    );
  }
  if (keptLabels.length > 0) log.info(keptNotLearnedWords({ labels: keptLabels, minPerLabel, labelsName }));
  if (vocabularyCheck.message) log.warn(vocabularyCheck.message, vocabularyCheck.where);
  const alike = lookAlikeIds({ ids: read.objects.map((o) => o.id), lineOf: read.lineOf });
  if (alike) log.warn(`${objectsName}: ${alike}`, { file: objectsName });
  const sharing = sameAddress({ ids: read.objects.map((o) => o.id), lineOf: read.lineOf });
  if (sharing) log.warn(`${objectsName}: ${sharing}`, { file: objectsName });
  const conflicting = sameImageDifferentLabels({ objects: pictured, pictureOf });
  if (conflicting) log.warn(conflicting, { file: labelsName });
  if (labels.length > 0 && dataset.counts.labelled === 0)
    throw noUsableLabels({
      labels: labels.length,
      issues: dataset.issues,
      // The error is read alone (CI shows it last): with the near misses, so it names every reason.
      vocabularyMessage: checkVocabulary(vocabularyOptions).message,
      labelsName,
    });
  warnSmallClasses({ dataset, minTest: p.min_test_per_class, testShare: p.split.test, log, labelsName });
  // The labels.csv read, for the stages after this one: the labels they speak of are the ones the model learns.
  await keepLabelsRead({ ws, bytes: labelsRead.bytes });
  await writeJsonAtomic({ file: datasetFile(ws), value: dataset, temp: tempName });
  return dataset;
}

/**
 * Ids that make the same web address ("DM 0267" and "DM-0267": objects/dm-0267/), which a reviewer may not see
 * from the ids. The object that had the address keeps it; the other gets the address with a code added.
 */
function sameAddress({ ids, lineOf }: { ids: string[]; lineOf: Map<string, number> }): string | null {
  const groups = new Map<string, string[]>();
  for (const id of ids) groups.set(plainSlug(id), [...(groups.get(plainSlug(id)) ?? []), id]);
  const shared = [...groups].filter(([, g]) => g.length > 1);
  if (shared.length === 0) return null;
  const shown = shared.slice(0, 10).map(([slug, g]) => {
    const named = g.map((id) => `"${id.slice(0, 60)}" (line ${lineOf.get(id) ?? '?'})`);
    return `  ${named.slice(0, -1).join(', ')} and ${named.at(-1)} would share objects/${slug}/`;
  });
  const more = shared.length > 10 ? [`  …and ${shared.length - 10} more.`] : [];
  return [
    'some object ids make the same web address. Each object gets its own page: the one already published keeps ' +
      'its address, and an object added beside it gets a different web address (a code is added to it):',
    ...shown,
    ...more,
  ].join('\n');
}

/** The settings that shape each image's analysis (thumbnails, colours, pixel limit). */
export function analysisSettings(params: Params): AnalysisSettings {
  const p = params.dataset;
  return {
    widths: p.thumbnails.widths,
    quality: p.thumbnails.quality,
    maxPixels: p.image.max_pixels,
    background: p.image.background,
    colourCount: p.colours.count,
    colourMinShare: p.colours.min_share,
  };
}

/**
 * Analyse the images of `firstPathOf` (md5 → its first path under data/) that no earlier run (or a
 * shard's pulled cache) analysed, and recall why the known-unreadable ones failed. Writes only
 * thumbnails; the caller saves the analyses.
 */
export async function analyseImages({
  ws,
  settings,
  firstPathOf,
  jobs,
  log,
}: {
  ws: Workspace;
  settings: AnalysisSettings;
  firstPathOf: Map<string, string>;
  jobs: number;
  log: Logger;
}): Promise<{
  previous: Map<string, ImageAnalysis>;
  unreadable: Map<string, DecodeFailure>;
  analyses: Map<string, ImageAnalysis>;
  failures: Map<string, VitrineError>;
  /** How many images were decoded in this call. */
  analysed: number;
  /** How many images a run stopped part-way had finished (their analysis or failure taken, not redone). */
  resumed: number;
  /** How many reused analyses got new thumbnail stamps (files touched or copied back, content unchanged). */
  refreshed: number;
}> {
  const { analyses: previous, refreshed } = await loadAnalysesChecked({ datasetDir: ws.dataset, settings });
  // Images that failed to decode last time are reported again without decoding them again.
  const unreadable = await loadDecodeFailures({ dir: ws.dataset, maxPixels: settings.maxPixels });
  const unknown = new Set([...firstPathOf.keys()].filter((md5) => !previous.has(md5) && !unreadable.has(md5)));
  // What a run stopped part-way (Ctrl-C, kill, a crash) had finished is not done again (finished.ts).
  const done = await loadFinished({ datasetDir: ws.dataset, settings, wanted: unknown });
  const resumed = done.analyses.size + done.failures.size;
  const toAnalyse = [...firstPathOf].filter(
    ([md5]) => unknown.has(md5) && !done.analyses.has(md5) && !done.failures.has(md5),
  );
  const analyses = new Map<string, ImageAnalysis>();
  for (const md5 of firstPathOf.keys()) {
    const analysis = previous.get(md5) ?? done.analyses.get(md5);
    if (analysis) analyses.set(md5, analysis);
  }
  const unchanged = analyses.size - done.analyses.size;
  const failures = new Map<string, VitrineError>();
  for (const [md5, relpath] of firstPathOf) {
    const failure = !previous.has(md5) ? (unreadable.get(md5) ?? done.failures.get(md5)) : undefined;
    if (failure) failures.set(md5, decodeFailureError({ failure, file: `data/${relpath}` }));
  }
  const keptWords = `${resumed} kept from a run that was stopped before it finished`;
  if (toAnalyse.length === 0 && resumed > 0)
    log.info(`No new image to read (${unchanged} unchanged since the last run, ${keptWords}).`);
  if (toAnalyse.length > 0) {
    const s = toAnalyse.length === 1 ? '' : 's';
    log.info(
      `Reading ${toAnalyse.length} new image${s} (${unchanged} unchanged since the last run` +
        `${resumed > 0 ? `, ${keptWords}` : ''}).`,
    );
    const progress = log.progress('Images', toAnalyse.length);
    const changed: string[] = [];
    await mapPool(toAnalyse, jobs, async ([md5, relpath]) => {
      const file = path.join(ws.data, relpath);
      const name = `data/${relpath}`;
      try {
        const data = await readImageBytes({ file });
        // Replaced since data/ was hashed (a "data pull" meanwhile): what is read is not the photograph of `md5`,
        // and kept under it, every later run would take it for that photograph's. Said once every read is done.
        if (md5OfBytes(data) !== md5) return void changed.push(name);
        const analysis = await analyseImage({ file: name, data, md5, datasetDir: ws.dataset, settings });
        analyses.set(md5, analysis);
        // Kept as soon as it is known, after its thumbnails: a run stopped later does not read this image again.
        await saveFinished({ datasetDir: ws.dataset, settings, md5, result: { analysis } });
      } catch (error) {
        if (!(error instanceof VitrineError)) throw error;
        failures.set(md5, error);
        const failure = decodeFailureOf({ error, file: name });
        await saveFinished({ datasetDir: ws.dataset, settings, md5, result: { failure } });
      } finally {
        progress.tick();
      }
    });
    progress.done();
    if (changed.length > 0) throw changedWhileRead({ files: changed });
  }
  return { previous, unreadable, analyses, failures, analysed: toAnalyse.length, resumed, refreshed };
}

/** The refusal of photographs whose bytes are not those data/ was hashed with a moment before. */
function changedWhileRead({ files }: { files: string[] }): VitrineError {
  const named = `${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''}`;
  return new VitrineError(
    'DATASET_CHANGED_WHILE_READ',
    `${named} changed while the dataset stage read data/ (a "vitrine data pull", "data checkout", an import or a ` +
      `copy meanwhile), so what was read of ${files.length === 1 ? 'it' : 'them'} was not kept. Run again once ` +
      'that is done: the photographs already read are not read again.',
    { file: files[0], files },
  );
}

/**
 * The hash of data/ as the build read it: the folder as hashed, with data/objects.csv as the bytes parsed, which
 * were read before (a re-import in between changed the file, not what the dataset holds).
 */
function dataAsRead({ ws, tree, objectsMd5 }: { ws: Workspace; tree: TreeHash; objectsMd5: string }): string {
  const relpath = path.relative(ws.data, ws.objects).split(path.sep).join('/');
  const entries = tree.entries.filter((e) => e.relpath !== relpath);
  entries.push({ md5: objectsMd5, relpath, size: 0 });
  return manifestHash(entries);
}

/**
 * What is at a path that is no regular file ("a named pipe (FIFO)", "a folder"), read with lstat so a pipe is never
 * opened (opening one waits for a writer); null when there is nothing there, or a file.
 */
async function notAFile(file: string): Promise<string | null> {
  const info = await lstat(file).catch(() => null);
  if (!info || info.isFile()) return null;
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isDirectory()) return 'a folder';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return info.isSymbolicLink() ? 'a link' : 'a special file';
}

/** `: did you mean data/images/DM-0008.jpg? …` for a missing path that differs from files only in capitals. */
function otherCaseHint(files: string[]): string {
  if (files.length === 0) return '.';
  const named = files.slice(0, 3).map((f) => `data/${f}`);
  return (
    `: did you mean ${named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`}? ` +
    'Names must match in capitals too (the computers that run Vitrine tell them apart): correct the image path ' +
    `(in the export, then "npx vitrine import" again), or rename the file.`
  );
}

/**
 * The checks that stop the dataset stage before any image is read, in their order: an emptied labels.csv (said first
 * and alone), a typo in collection.vocabulary, a label's old name. Each shard job of a large collection (shard.ts)
 * makes them too, so that it stops with the same error before embedding and sending its share.
 */
export async function refuseBeforeImages({
  ws,
  params,
  objects,
  labels,
  empty,
  emptied,
  unread,
  renamed,
}: {
  ws: Workspace;
  params: Params;
  objects: { id: string }[];
  labels: LabelLine[];
  /** readLabelsChecked's `empty`: labels.csv holds no label. */
  empty?: EmptyLabels;
  emptied?: () => Promise<LabelsEmptied | null>;
  unread?: () => Promise<string | null>;
  renamed?: (labels: string[]) => Promise<Map<string, RenamedLabel>>;
}): Promise<void> {
  const vocabulary = params.collection.vocabulary;
  const labelsName = rel(ws, ws.labels);
  // An emptied labels.csv is said first and alone: reading every image to then warn of each label with no object
  // buried it. (A missing one is a collection not labelled yet, still built, for its catalogue and checks.)
  // Emptied where git still has labels (a branch, this folder): the slip said as for a deleted one, with the restore.
  const emptiedFrom = empty ? await emptied?.() : null;
  if (empty && emptiedFrom) {
    const exampleId = objects[0]?.id;
    throw labelsEmptiedError({ emptied: emptiedFrom, empty, name: labelsName, vocabulary, exampleId });
  }
  if (empty) {
    const unreadBase = await unread?.();
    throw emptyLabelsError({ empty, name: labelsName, vocabulary, exampleId: objects[0]?.id, unreadBase });
  }
  const objectIds = new Set(objects.map((o) => o.id));
  // A vocabulary label no object has, a letter from a label many lines use ("texitle" for "textile"): the typo is in
  // params.yaml. Said once, before any image is read; going on would leave all those objects out of training.
  const typos = vocabularyTypos({ labels: labels.filter((l) => objectIds.has(l.objectId)), vocabulary });
  if (typos.length > 0) throw await vocabularyTypoError({ ws, typos, labelsName });
  // A label's old name, on a line of a branch made before the rename and merged after it: said with the new name and
  // the commit, and the stage stops as for a typo (renamed-labels.ts). Before any image is read.
  if (renamed)
    await refuseRenamedLabels({ labels, objectIds, vocabulary, renamed, labelsName, paramsName: rel(ws, ws.params) });
}

/**
 * VOCABULARY_TYPO: each typo of collection.vocabulary on its line of params.yaml. Whatever dataset.on_invalid says:
 * it skips rows with a problem, and these rows are right; skipping them would train without one of the labels.
 */
async function vocabularyTypoError({
  ws,
  typos,
  labelsName,
}: {
  ws: Workspace;
  typos: VocabularyTypo[];
  labelsName: string;
}): Promise<VitrineError> {
  const paramsName = rel(ws, ws.params);
  const text = await readFile(ws.params, 'utf8').catch(() => '');
  const lines = vocabularyEntryLines(text);
  const left = typos.reduce((n, t) => n + t.count, 0);
  const message = [
    ...typos.map((typo) => vocabularyTypoMessage({ typo, line: lines.get(typo.entry), labelsName, paramsName })),
    `The dataset stops here rather than leave ${left} labelled object${left === 1 ? '' : 's'} out of training. ` +
      'After the correction, run "npx vitrine run dataset" again.',
  ].join('\n');
  const line = lines.get(typos[0]!.entry);
  return new VitrineError('VOCABULARY_TYPO', message, {
    file: paramsName,
    ...(line === undefined ? {} : { line }),
    typos: typos.map(({ entry, label, count }) => ({ entry, label, count })),
  });
}

/** How many labelled objects have a picture problem that `which` picks. */
function pictureless(issues: DatasetIssue[], which: (issue: DatasetIssue) => boolean): number {
  return issues.filter((i) => i.labelsLine !== undefined && isPictureProblem(i) && which(i)).length;
}

/** Labels exist but none reached the dataset: say why, by kind of problem, instead of training on nothing. */
function noUsableLabels({
  labels,
  issues,
  vocabularyMessage,
  labelsName,
}: {
  labels: number;
  issues: DatasetIssue[];
  vocabularyMessage: string;
  labelsName: string;
}): VitrineError {
  const count = (code: string) => issues.filter((i) => i.code === code).length;
  const reasons = [
    vocabularyMessage,
    count('LABEL_UNKNOWN_OBJECT')
      ? `${count('LABEL_UNKNOWN_OBJECT')} label lines name objects that are not in data/objects.csv.`
      : '',
    count('LABEL_DUPLICATE') ? `${count('LABEL_DUPLICATE')} label lines repeat an object.` : '',
    pictureless(issues, (i) => i.code !== PLACEHOLDER)
      ? `${pictureless(issues, (i) => i.code !== PLACEHOLDER)} labelled objects have no usable image.`
      : '',
    // Reviewer V9: "no usable image" for objects whose one picture is shared by many (still shown in the catalogue).
    pictureless(issues, (i) => i.code === PLACEHOLDER)
      ? `${pictureless(issues, (i) => i.code === PLACEHOLDER)} labelled objects share their picture with many other ` +
        'objects (a stand-in, not a photograph of each: shown in the catalogue, not learnt from); give each its own ' +
        'photograph in the export.'
      : '',
  ].filter(Boolean);
  return new VitrineError(
    'DATASET_NO_LABELS',
    `${labelsName} has ${labels} label${labels === 1 ? '' : 's'}, but none of them could be used, so there is ` +
      `nothing to train on:\n${reasons.join('\n')}`,
    { file: labelsName },
  );
}

/** Objects and labelled objects; `bySplit` and `byLabel` count labelled objects (the training data). */
export function countObjects({
  objects,
  vocabulary,
}: {
  objects: DatasetObject[];
  vocabulary: string[];
}): Dataset['counts'] {
  const empty = (): Record<Split, number> => ({ train: 0, validation: 0, test: 0 });
  const bySplit = empty();
  const byLabel: Record<string, Record<Split, number>> = Object.fromEntries(vocabulary.map((l) => [l, empty()]));
  let labelled = 0;
  for (const o of objects) {
    if (o.label === null) continue;
    labelled++;
    bySplit[o.split]++;
    byLabel[o.label]![o.split]++;
  }
  return { objects: objects.length, labelled, bySplit, byLabel };
}

function sortIssues(issues: DatasetIssue[]): DatasetIssue[] {
  return [...issues].sort(
    (a, b) => compareIds(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compareIds(a.code, b.code),
  );
}

/** Lines of one label outside the vocabulary, no slip suggested, from which they are said as one warning. */
const MANY_LINES = 4;

/**
 * A label outside the vocabulary on MANY_LINES lines or more, with no "Did you mean" (a label taken out of
 * collection.vocabulary): one warning with its count and first objects, not one alike per line (tester T3 read 50).
 * The issues stay one each in dataset.json, for the annotations; `rest` are said one by one.
 */
function manyLinesOutside({
  issues,
  vocabulary,
  labelsName,
}: {
  issues: DatasetIssue[];
  vocabulary: string[];
  labelsName: string;
}): { said: { message: string; line: number }[]; rest: DatasetIssue[] } {
  const byLabel = new Map<string, OutsideVocabularyIssue[]>();
  for (const i of issues)
    if (isOutsideVocabularyIssue(i) && i.meant === undefined && !i.message.includes('Did you mean'))
      byLabel.set(i.label, [...(byLabel.get(i.label) ?? []), i]);
  const grouped = [...byLabel].filter(([, lines]) => lines.length >= MANY_LINES && lines.every((l) => l.line));
  const inGroup = new Set(grouped.flatMap(([, lines]) => lines));
  const labels = `The labels are: ${vocabulary.map(labelInList).join(', ')} (collection.vocabulary in params.yaml).`;
  const said = grouped.map(([label, lines]) => {
    const first = lines.slice(0, 3).map((l) => `${l.object} (line ${l.line})`);
    const more = lines.length - first.length;
    return {
      message:
        `${labelsName}: ${quoted(label)} is not one of the labels of this collection, on ${lines.length} lines: ` +
        `${first.join(', ')}${more > 0 ? ` and ${more} more` : ''}. ${labels}`,
      line: lines[0]!.line!,
    };
  });
  return { said, rest: issues.filter((i) => !inGroup.has(i as OutsideVocabularyIssue)) };
}

function reportIssues({
  issues,
  notLearned,
  printed = issues,
  grouped,
  log,
  onInvalid,
  labelsName,
  vocabulary,
}: {
  issues: DatasetIssue[];
  /** notLearnedWords of every issue, those said in keptNotLearnedWords' line too: the summary's count. */
  notLearned: string;
  /** The issues said one by one; the others are said in `grouped`. */
  printed?: DatasetIssue[];
  /** Said once, annotated on the first of its lines. */
  grouped?: { message: string; line: number };
  log: Logger;
  onInvalid: 'skip' | 'fail';
  labelsName: string;
  /** collection.vocabulary, named in the one warning of a label outside it that many lines have. */
  vocabulary: string[];
}): void {
  if (issues.length === 0) return;
  if (grouped) log.warn(grouped.message, { file: labelsName, line: grouped.line });
  const many = manyLinesOutside({ issues: printed, vocabulary, labelsName });
  for (const g of many.said) log.warn(g.message, { file: labelsName, line: g.line });
  printed = many.rest;
  for (const issue of printed.slice(0, MAX_PRINTED_ISSUES)) {
    // The message keeps the objects.csv line; the annotation goes where the pull request can show it.
    const where =
      issue.labelsLine !== undefined
        ? { file: labelsName, line: issue.labelsLine, object: issue.object }
        : { file: issue.file, line: issue.line, object: issue.object };
    log.warn(issue.message, where);
  }
  if (printed.length > MAX_PRINTED_ISSUES)
    log.warn(
      `...and ${printed.length - MAX_PRINTED_ISSUES} more problems (all listed in .vitrine/dataset/dataset.json).`,
    );
  if (onInvalid !== 'skip') {
    log.warn(`${issues.length} row${issues.length === 1 ? '' : 's'} with problems: ${detailOf(issues)}.`);
    return;
  }
  // An object without a usable picture is not skipped: its record stays in the catalogue (build, "unpictured").
  // A picture given to many objects is still shown on their pages (small-images.ts): counted apart, in those words.
  const pictureless = issues.filter((i) => isPictureProblem(i) && i.code !== PLACEHOLDER);
  const standIns = issues.filter((i) => i.code === PLACEHOLDER).length;
  const withheld = issues.filter(isWithheldField);
  const skipped = issues.filter((i) => !isPictureProblem(i) && !isWithheldField(i));
  if (pictureless.length > 0)
    log.warn(
      `${pictureless.length} object${pictureless.length === 1 ? '' : 's'} kept in the catalogue without a usable ` +
        `photograph, and left out of training: ${detailOf(pictureless)}.`,
    );
  if (standIns > 0)
    log.warn(
      `${standIns} objects share one picture with many others (most likely a “no image” card, said above): left ` +
        'out of training and testing, and the model guesses none of their types; still shown in the catalogue.',
    );
  if (withheld.length > 0) log.warn(withheldFieldsWords(withheld));
  // A label outside the vocabulary keeps its object in the catalogue: not a skipped row, and said in the words and
  // count of the stage's summary (a tester's run said "3 rows skipped" there and "1 row skipped" in the summary).
  const rows = skipped.filter((i) => i.code !== NOT_IN_VOCABULARY);
  if (rows.length > 0) log.warn(`${rows.length} row${rows.length === 1 ? '' : 's'} skipped: ${detailOf(rows)}.`);
  if (notLearned && rows.length < skipped.length) log.warn(`${notLearned}.`);
}

const NOT_IN_VOCABULARY = 'LABEL_NOT_IN_VOCABULARY';

/**
 * "2 objects with a label the model does not learn (on 3 lines of labels.csv; kept in the catalogue)", or "" when
 * none: objects counted once however many lines name them (labels.csv pasted twice said 12 objects of 6; a tester).
 */
export function notLearnedWords({ issues, labelsName }: { issues: DatasetIssue[]; labelsName: string }): string {
  const lines = issues.filter((i) => i.code === NOT_IN_VOCABULARY);
  const objects = new Set(lines.map((i, n) => i.object ?? `line ${i.line ?? n}`)).size;
  if (objects === 0) return '';
  return `${objects} object${objects === 1 ? '' : 's'} with a label the model does not learn (${
    lines.length > objects ? `on ${lines.length} lines of ${labelsName}; ` : ''
  }kept in the catalogue)`;
}

/** "3 images that cannot be read, 1 label outside the vocabulary": how many issues of each kind. */
function detailOf(issues: DatasetIssue[]): string {
  const byCode = new Map<string, number>();
  for (const i of issues) byCode.set(i.code, (byCode.get(i.code) ?? 0) + 1);
  return [...byCode]
    .map(([code, n]) => {
      const words = ISSUE_WORDS[code];
      return `${n} ${words ? words[n === 1 ? 0 : 1] : code}`;
    })
    .join(', ');
}

/** Each kind of issue for one row and for several: "1 label outside the vocabulary", "3 labels …". */
const ISSUE_WORDS: Record<string, [string, string]> = {
  OBJECT_ID_MISSING: ['without an object id', 'without an object id'],
  OBJECT_DUPLICATE: ['repeated object id', 'repeated object ids'],
  OBJECT_NO_IMAGE: ['object without an image', 'objects without an image'],
  IMAGE_UNREADABLE: ['image that cannot be read', 'images that cannot be read'],
  IMAGE_TOO_LARGE: ['image over the pixel limit', 'images over the pixel limit'],
  IMAGE_MISSING: ['missing image file', 'missing image files'],
  IMAGE_LINK_OUTSIDE: ['image that is a link outside data/', 'images that are links outside data/'],
  IMAGE_TOO_SMALL: [
    'picture too small to be a photograph of its object',
    'pictures too small to be photographs of their objects',
  ],
  IMAGE_PLACEHOLDER: [
    'object given a placeholder picture (one picture given to many objects)',
    'objects given a placeholder picture (one picture given to many objects)',
  ],
  IMAGE_LINK_NOT_FOLLOWED: [
    'image behind a link Vitrine does not follow (a linked folder, or a link to nothing)',
    'images behind links Vitrine does not follow (linked folders, or links to nothing)',
  ],
  LABEL_UNKNOWN_OBJECT: ['label for an unknown object', 'labels for unknown objects'],
  LABEL_DUPLICATE: ['repeated label', 'repeated labels'],
  LABEL_NOT_IN_VOCABULARY: ['label outside the vocabulary', 'labels outside the vocabulary'],
  LABEL_TOO_LONG: ['label line with a value far too long', 'label lines with a value far too long'],
  OBJECT_FIELD_TOO_LONG: ['field far too long', 'fields far too long'],
  OBJECT_ID_TOO_LONG: ['object id far too long', 'object ids far too long'],
  OBJECT_ID_UNSEEN_CHARACTER: [
    'object id holding a character no id may hold',
    'object ids holding a character no id may hold',
  ],
};

/** "3 fields far too long (of 2 objects) withheld from the catalogue; the objects stay in it": said once. */
export function withheldFieldsWords(issues: DatasetIssue[]): string {
  const n = issues.length;
  const objects = new Set(issues.map((i) => i.object)).size;
  return (
    `${n} field${n === 1 ? '' : 's'} far too long (of ${objects} object${objects === 1 ? '' : 's'}) withheld from ` +
    `the catalogue; ${objects === 1 ? 'the object stays' : 'the objects stay'} in it.`
  );
}

/** Labels named one by one in each warning about the vocabulary's labels; the rest are counted in one line. */
const SHOWN_LABEL_WARNINGS = 10;

/**
 * Why a label has fewer than `minTest` test objects, and what helps. The split goes by object number, so with enough
 * labelled objects it is chance (tester T12: 0 of 19, where "Label more" read as if too few were labelled); with too
 * few, how many labelled give the minimum on average.
 */
function fewTestWords({
  label,
  test,
  total,
  minTest,
  testShare,
}: {
  label: string;
  test: number;
  total: number;
  minTest: number;
  testShare: number;
}): string {
  const share = `about 1 in ${Math.round(1 / testShare)} objects`;
  const how = `which takes ${share} by their object numbers (never by label, so a corrected label does not move an object)`;
  const objects = `${total} object${total === 1 ? '' : 's'}`;
  const said = `Only ${test} of the ${objects} labelled "${label}" ${test === 1 ? 'is' : 'are'} in the test split, ${how}`;
  const expected = Math.round(total * testShare);
  if (expected >= minTest)
    return (
      `${said}: about ${expected} would be expected, and fewer fell there by chance. At least ${minTest} are needed ` +
      'to say anything about this label (dataset.min_test_per_class), so its test scores are not to be relied on ' +
      `yet; each new labelled "${label}" object has the same 1 in ${Math.round(1 / testShare)} chance of adding to them.`
    );
  // A hair off a whole number (5 / 0.2) is that number.
  const needed = Math.ceil(minTest / testShare - 1e-9);
  return (
    `${said}. At least ${minTest} are needed to say anything about this label (dataset.min_test_per_class): about ` +
    `${needed} labelled "${label}" objects give that many on average, ${needed - total} more than now.`
  );
}

function warnSmallClasses({
  dataset,
  minTest,
  testShare,
  log,
  labelsName,
}: {
  dataset: Dataset;
  minTest: number;
  /** dataset.split.test: the share of objects the split puts in the test split. */
  testShare: number;
  log: Logger;
  labelsName: string;
}): void {
  // With no labelled object at all, one warning per label would only bury what labels.csv lacks.
  if (dataset.counts.labelled === 0) return;
  const unused: string[] = [];
  const few: string[] = [];
  for (const label of dataset.labels) {
    const { train, validation, test } = dataset.counts.byLabel[label]!;
    if (test >= minTest) continue;
    // A label of the vocabulary that no object has may be the one to change: said with both fixes, on params.yaml
    // (labels.csv has no line to point at).
    if (train + validation + test === 0) {
      unused.push(label);
      if (unused.length <= SHOWN_LABEL_WARNINGS)
        log.warn(
          `"${label}" is in collection.vocabulary in params.yaml, but no object of the dataset has it. Label ` +
            `objects "${label}" in ${labelsName}, or remove "${label}" from the vocabulary in params.yaml.`,
          { file: 'params.yaml' },
        );
      continue;
    }
    few.push(label);
    if (few.length <= SHOWN_LABEL_WARNINGS)
      log.warn(fewTestWords({ label, test, total: train + validation + test, minTest, testShare }), {
        file: labelsName,
      });
  }
  // A vocabulary of hundreds of labels gave a warning per label: the first few, then one line for the rest.
  const rest = (labels: string[]) => {
    const more = labels.slice(SHOWN_LABEL_WARNINGS);
    const named = more.slice(0, SHOWN_LABEL_WARNINGS).map((l) => `"${clip(l)}"`);
    return `${named.join(', ')}${more.length > named.length ? ` …and ${more.length - named.length} more` : ''}`;
  };
  if (unused.length > SHOWN_LABEL_WARNINGS)
    log.warn(
      `${unused.length} labels of collection.vocabulary have no object in the dataset (${SHOWN_LABEL_WARNINGS} ` +
        `named above; also ${rest(unused)}). Label objects with them in ${labelsName}, or remove them from the ` +
        'vocabulary in params.yaml.',
      { file: 'params.yaml' },
    );
  if (few.length > SHOWN_LABEL_WARNINGS)
    log.warn(
      `${few.length} labels have fewer than ${minTest} objects in the test split (${SHOWN_LABEL_WARNINGS} named ` +
        `above; also ${rest(few)}): dataset.min_test_per_class. Label more objects with them.`,
      { file: labelsName },
    );
}

/**
 * Objects that share one image (identical bytes, or the same picture saved again) but carry different labels: one
 * label is likely wrong, or one object was given the other's photograph. They share a split already (split.ts).
 */
function sameImageDifferentLabels({
  objects,
  pictureOf,
}: {
  objects: DatasetObject[];
  pictureOf: (md5: string) => string;
}): string | null {
  const byImage = new Map<string, DatasetObject[]>();
  for (const o of objects) {
    const picture = pictureOf(o.imageMd5);
    if (o.label === null) continue;
    const group = byImage.get(picture);
    if (group) group.push(o);
    else byImage.set(picture, [o]);
  }
  const groups = [...byImage.values()].filter((g) => new Set(g.map((o) => o.label)).size > 1);
  if (groups.length === 0) return null;
  // More than a few objects with one picture under different labels are placeholders, left out before this
  // (small-images.ts): these are pairs and small sets, a photograph of each.
  const shown = groups.slice(0, 10).map((g) => `  ${g.map((o) => `"${o.id}" (${o.label})`).join(', ')}`);
  const more = groups.length > 10 ? [`  …and ${groups.length - 10} more groups.`] : [];
  return [
    `Objects with different labels have the same image (identical files, or the same picture saved again) in ` +
      `${groups.length} ${groups.length === 1 ? 'case' : 'cases'}: one of the labels is likely wrong, or an object ` +
      'was given another one’s photograph:',
    ...shown,
    ...more,
  ].join('\n');
}

/** The smallest number (a loop: Math.min(...) over 100,000 lines overflows the stack). */
function smallest(numbers: Iterable<number>): number {
  let least = Number.POSITIVE_INFINITY;
  for (const n of numbers) if (n < least) least = n;
  return least;
}

// Readers import these from here too.
export { datasetFile, readDataset } from './read.ts';
