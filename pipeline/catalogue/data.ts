import { type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { labelForm } from '../collection/hidden-characters.ts';
import { lastImportFile } from '../collection/import-edits.ts';
import { photographOrigins } from '../collection/imported-photographs.ts';
import { readRefusedImages } from '../collection/refused-images.ts';
import { type OutsideLabels, outsideVocabulary } from '../dataset/outside-vocabulary.ts';
import { datasetFile, readShownDataset } from '../dataset/read.ts';
import { objectIdOf } from '../dataset/validate.ts';
import { VitrineError } from '../errors.ts';
import { wilsonInterval } from '../evaluate/boundary.ts';
import { minTestPerClassOf } from '../evaluate/gate.ts';
import {
  countedByRelabelled,
  crossValidatedChange,
  crossValidatedVerdict,
  crossValidationWords,
  labelChangeWords,
  labelsToCheck,
  levelled,
  scoredObjectsWords,
  withAlpha,
} from '../evaluate/verdict-words.ts';
import { type Clock, clip, type Logger, systemClock } from '../log.ts';
import { selectBackend } from '../model/backend.ts';
import { embeddingConfigKey } from '../model/embed.ts';
import { openStore } from '../model/embedding-store.ts';
import { modelParams, namedOwners, type Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import {
  type AnnotationChange,
  type AnnotationChanges,
  annotationChangesFile,
  checkedChanges,
} from '../registry/annotation-changes.ts';
import { backboneWords, legacyBumpWords, macroF1OverWords, NSFWJS_NOTE, splitUsed } from '../registry/card.ts';
import { vocabularySet } from '../registry/retired-types.ts';
import { versionCacheDir } from '../registry/store.ts';
import { BUMP_MEANING, putBackSentences, stageName, withdrawnWords } from '../registry/words.ts';
import { LABEL_ISSUE_MIN } from '../review/index.ts';
import { hashJson } from '../stages/graph.ts';
import type { Annotation, Dataset, DatasetObject, LabelLine, Metrics, ModelInfo, Thumbnail } from '../types.ts';
import {
  ADDRESSES_ABOUT,
  keptAddresses,
  leftObjects,
  previousSlugs,
  savedAddresses,
  savedAddressesFile,
} from './addresses.ts';
import { colourIndex, distinctColours, normaliseValues } from './colour.ts';
import { centuriesOf, centuryName, parseDate, periodList, type YearRange } from './dates.ts';
import { altText, bucketOfRange, DATE_BUCKETS, nameSlug, suggestUrl, typeFacet } from './derive.ts';
import {
  datasetPhotographRules,
  embargoYear,
  forbidsPublication,
  type ImageRules,
  rightsGroup,
  type Withheld,
} from './image-rules.ts';
import { labelsAsRead } from './labels-read.ts';
import { copyDemoModel } from './model.ts';
import { type MonitoringInputs, monitoringFor, readMonitoring } from './monitoring.ts';
import { nearestNeighbours } from './neighbours.ts';
import { labelMayBeWrong, reviewSummary } from './pages.ts';
import { isPhotoProblem, namedImages, photoProblemsOf } from './photo-problems.ts';
import { iiifFolder, writeManifests, writePictures } from './pictures.ts';
import { extraFields, fieldText } from './plain-text.ts';
import { isTempLeftover, writePageDigests } from './plan.ts';
import {
  humanise,
  isRecord,
  parseRollbacks,
  parseVersions,
  type RollbackChange,
  readJsonOrNull,
  scalars,
  type VersionEntry,
} from './read.ts';
import { heldForRetiredType } from './retired-type.ts';
import { RIGHTS_READING, rightsOf } from './rights.ts';
import { datasetUnrecognisedShownInFull } from './rights-unrecognised.ts';
import {
  type CardMetrics,
  type Catalogue,
  type CatalogueObject,
  catalogueObjectSchema,
  catalogueSchema,
  type ModelCard,
} from './schema.ts';
import { shownTitle } from './shown-title.ts';
import { numberDateIndex, numberIndex } from './slug-rules.ts';
import { SMALL_FOLDER, writeSmallPictures } from './small-pictures.ts';
import { checkThumbnailLinks, type ThumbnailLinks } from './thumbnail-links.ts';
import { jsonPieces, writeIfChanged, writePiecesIfChanged } from './write.ts';

/** Where the catalogue stage keeps its files. */
export function catalogueFiles(ws: Workspace): { data: string; publicDir: string } {
  return { data: path.join(ws.catalogue, 'catalogue.json'), publicDir: path.join(ws.catalogue, 'public') };
}

/**
 * Gather the dataset, the promoted model's annotations, model cards and metrics into
 * `.vitrine/catalogue/catalogue.json` (validated), and put the files the site serves as they are
 * (thumbnails, the demo model, data downloads) in `.vitrine/catalogue/public/`.
 */
export async function buildCatalogueData({
  ws,
  params,
  log,
  clock = systemClock,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  clock?: Clock;
}): Promise<{ file: string; catalogue: Catalogue }> {
  const files = catalogueFiles(ws);
  const read = await readShownDataset({ ws });
  if (!read) {
    const file = datasetFile(ws);
    throw new VitrineError(
      'CATALOGUE_NO_DATASET',
      `${path.relative(ws.root, file)} is missing: run the dataset stage first (vitrine run)`,
      { file },
    );
  }
  // A picture given to many objects (IMAGE_PLACEHOLDER) is not the model's, but is shown on each object's page as
  // before: a set photographed together is a loss to hide (dataset/small-images.ts). As the report reads it.
  let dataset: Dataset | null = { ...read.dataset, objects: read.shown };
  const { standInOf } = read;
  const annotationsRaw = await readJsonOrNull({ file: path.join(ws.registry, 'annotations.json') });
  const annotations = new Map<string, Annotation>();
  if (Array.isArray(annotationsRaw))
    for (const a of annotationsRaw as Annotation[]) if (a && typeof a.id === 'string') annotations.set(a.id, a);
  const versionsFile = path.join(ws.registry, 'versions.json');
  const versionsRaw = await readJsonOrNull({ file: versionsFile });
  const versions = parseVersions({ raw: versionsRaw, file: versionsFile, log });
  const rollbacks = parseRollbacks({ raw: versionsRaw });
  const metrics = (await readJsonOrNull({ file: path.join(ws.evaluate, 'metrics.json') })) as Metrics | null;
  const changesRaw = await readJsonOrNull({ file: annotationChangesFile(ws) }).catch(() => 'not JSON');
  const changes = checkedChanges(changesRaw);
  if (changesRaw != null && !changes)
    log.warn(
      `${rel(ws, annotationChangesFile(ws))} is damaged, so "Recent changes" do not say what the model in production ` +
        'changed of the answers shown; the next promotion or rollback writes it again.',
    );
  const monitoring = await readMonitoring({ ws, log });
  const labelLines = new Map<string, number>();
  let labelsRead: LabelLine[] = [];
  try {
    // By the object each line names (an id written with its accents encoded another way is the object's).
    const objectOf = objectIdOf(dataset.objects.map((o) => o.id));
    // Those the dataset stage read (lock.json), not a file changed since: dataset.json's labels are from that one.
    const read = await labelsAsRead({ ws, log });
    labelsRead = read.lines.map((l) => ({ ...l, objectId: objectOf(l.objectId) }));
    if (read.lineNumbers) for (const l of labelsRead) labelLines.set(l.objectId, l.line);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== 'ENOENT' &&
      !(error instanceof VitrineError && /ENOENT|missing|not found/i.test(error.message))
    )
      throw error;
    log.warn('labels.csv was not found: "Suggest a correction" links open the file without a line');
  }

  // Which model's annotations are shown: the one in prod, else the one that wrote the annotations.
  const annotationVersion = mostCommon([...annotations.values()].map((a) => a.modelVersion));
  const current =
    versions.find((v) => v.stages.includes('prod'))?.version ?? annotationVersion ?? versions[0]?.version ?? null;

  // Deep-zoom tiles (slow to make), thumbnail links (600,000 at 100,000 objects), IIIF manifests and
  // the downloads are kept between builds, rewritten only when they change and pruned below;
  // everything else in public/ is written afresh.
  await mkdir(files.publicDir, { recursive: true });
  for (const entry of await readdir(files.publicDir))
    if (!KEPT_PUBLIC.includes(entry)) await rm(path.join(files.publicDir, entry), { recursive: true, force: true });
  // Files of data/ this build wrote or placed: the others (a removed version's card) are pruned at the end.
  const dataFiles = new Set<string>();

  // Objects. Each keeps the address it had in the last build: CI keeps .vitrine/cache between runs, not
  // catalogue.json, so the addresses are also kept there (catalogue.json is read when that file is missing).
  const ids = dataset.objects.map((o) => o.id);
  // The objects of the last build, for saying once which photographs it showed in full are now held back.
  const saved = await savedAddresses(savedAddressesFile(ws));
  const lastIds = new Set((saved?.slugs ?? (await previousSlugs(files.data).catch(() => new Map()))).keys());
  const slugs = await keptAddresses({ ws, ids, log, read: saved });
  // Each object's photograph, by its checksum: one that leaves and comes back under a new number is recognised by
  // it. Not a picture given to many objects (a "no image" card): it tells no object from another.
  const photos = dataset.objects.map((o) => (standInOf.has(o.id) ? '' : (o.imageMd5 ?? '')));
  const left = leftObjects({ saved, objects: ids.map((id, i) => ({ id, slug: slugs[i]!, photo: photos[i]! })) });
  // No title is kept: an object may leave for repatriation or for privacy, and its page then names its number only.
  const kept = left.map(({ id, slug, now }) => ({ id, slug, now }));
  await mkdir(ws.cache, { recursive: true });
  await writeIfChanged({
    file: savedAddressesFile(ws),
    data: JSON.stringify({ about: ADDRESSES_ABOUT, ids, slugs, photos, left: kept }),
  });
  // The published copy (data/addresses.json) without the checksums, of photographs not published too: a restore
  // from it keeps every address and page, but tells no renumbered object until a build has saved them again.
  const addresses = JSON.stringify({ about: ADDRESSES_ABOUT, ids, slugs, left: kept });
  let at = 0;
  const { repository, branch } = params.collection;
  const objects: CatalogueObject[] = [];
  const media = path.join(files.publicDir, 'media');
  const periods = periodList(params.catalogue.periods);
  // Staff labels outside the vocabulary: shown as the museum's word, and the guess held back (outsideVocabulary).
  const outsideLabels = outsideVocabulary({ dataset, labels: labelsRead });
  // A guess of a type renamed or removed since its model was trained is held back (retired-type.ts).
  const vocabulary = vocabularySet(dataset.labels);
  // Photographs that cannot be used (damaged, empty, missing...): each page says so, and staff get them to review.
  const issues = (dataset.issues ?? []).filter((i) => !(i.code === 'IMAGE_PLACEHOLDER' && standInOf.has(i.object!)));
  const someProblem = issues.some(isPhotoProblem);
  const images = someProblem ? await namedImages({ file: ws.objects }) : null;
  // The images the last import stored: one of them is fixed in the export, not in the data folder.
  const imported = someProblem ? await namedImages({ file: lastImportFile(ws) }) : null;
  const photoProblems = photoProblemsOf({
    issues,
    images,
    // The files import refused: named as the export names them, with what kind of file each is.
    ...(someProblem && { refused: await readRefusedImages({ ws }) }),
    imported,
    // And whether each still has the bytes import stored: one changed in data/ since is put back, not fixed there.
    ...(someProblem && {
      origins: await photographOrigins({
        ws,
        ids: issues.filter(isPhotoProblem).map((i) => i.object!),
        images,
        lastImport: imported,
      }),
    }),
  });
  // Thumbnails by their path in the dataset folder, which is also their path under media/.
  const thumbnails: string[] = [];
  // Objects whose photograph is shown small only (catalogue.images), with their dataset thumbnails.
  const small: { id: string; thumbnails: Thumbnail[] }[] = [];
  // Each date text read once: parsing is a fifth of this loop, and collections repeat their dates
  // ("19th century", "1st century BCE"). The parse is pure, so a repeat reads the same.
  const dateRanges = new Map<string, YearRange | null>();
  const readDate = (text: string) => {
    let range = dateRanges.get(text);
    if (range === undefined) dateRanges.set(text, (range = parseDate({ text, periods })));
    return range;
  };
  // Objects on lines of labels.csv that disagree (the dataset stage leaves them unlabelled): staff keep one line.
  const disagreeing = new Set(issues.filter((i) => i.code === 'LABEL_DUPLICATE' && i.object).map((i) => i.object!));
  // catalogue.images per photograph: objects sharing one (a set photographed together, a record entered twice) all
  // follow the strictest of their rights, else the open one would publish in full the photograph of one in copyright.
  // The rule is from the rights alone: an object with an original but no thumbnails (an older or hand-made dataset)
  // must not have its original published in full. Only the page's words follow the thumbnails: an object not
  // photographed yet has nothing withheld, its page says there is no photograph yet.
  const statements = new Map<string, CatalogueObject['rightsStatement']>();
  const statementOfText = (text: string) => {
    let s = statements.get(text);
    if (!s) statements.set(text, (s = statementOf(text)));
    return s;
  };
  const byPhotograph = datasetPhotographRules({ objects: dataset.objects, rules: params.catalogue.images });
  if (byPhotograph.disagree.length) {
    const names = (ids: string[]) =>
      `${ids
        .slice(0, -1)
        .map((id) => `"${id}"`)
        .join(', ')} and "${ids.at(-1)}"`;
    const shown = (ids: string[]) => byPhotograph.withheld.get(ids[0]!)?.shown ?? 'full';
    const words = { full: 'in full', thumbnail: 'small', none: 'not at all' } as const;
    for (const ids of byPhotograph.disagree.slice(0, 10))
      log.warn(
        `Catalogue: objects ${names(ids)} share one photograph but their rights differ: it is shown ` +
          `${words[shown(ids)]} for all of them, as the strictest of their rights asks (catalogue.images in ` +
          'params.yaml). Check their rights in the export if that is not meant.',
      );
    if (byPhotograph.disagree.length > 10)
      log.warn(
        `Catalogue: ${byPhotograph.disagree.length - 10} more shared photograph(s) whose objects’ rights differ`,
      );
  }
  // A photograph whose rights say not to publish it gives nothing of its look: no colours (page, colour pages and
  // counts, colours.json, downloads) and no look-alikes either way (their pictures would show it). T5 F4.
  const notForPublication = new Set(
    [...byPhotograph.withheld].flatMap(([id, w]) => (w?.reason === 'not-for-publication' ? [id] : [])),
  );
  sayNotForPublication({ objects: dataset.objects, log, year: clock.now().getUTCFullYear() });
  sayUnrecognised({ objects: dataset.objects, withheld: byPhotograph.withheld, log });
  for (const read of dataset.objects) {
    // The fields as the text they stand for: markup from the collection system does not show (plain-text.ts), nor
    // a control character or a bidi override, also one written as an entity (control-characters.ts).
    const o = {
      ...read,
      title: fieldText(read.title),
      maker: fieldText(read.maker),
      date: fieldText(read.date),
      department: fieldText(read.department),
      medium: fieldText(read.medium),
      creditLine: fieldText(read.creditLine),
      rights: fieldText(read.rights),
      description: fieldText(read.description),
      extra: extraFields(read.extra),
    };
    const a = annotations.get(o.id);
    const rightsStatement = { ...statementOfText(o.rights) };
    // catalogue.images: a photograph shown small or not at all has none of its thumbnails published (image-rules.ts).
    const withheld = o.thumbnails?.length ? (byPhotograph.withheld.get(o.id) ?? null) : null;
    const images = [];
    if (withheld) {
      if (withheld.shown === 'thumbnail' && o.thumbnails?.length) small.push({ id: o.id, thumbnails: o.thumbnails });
    } else
      for (const t of [...(o.thumbnails ?? [])].sort((x, y) => x.width - y.width)) {
        thumbnails.push(t.webp, t.jpeg);
        images.push({
          width: t.width,
          height: t.height,
          webp: webPath('media', t.webp),
          jpeg: webPath('media', t.jpeg),
        });
      }
    const line = labelLines.get(o.id) ?? null;
    const outside = outsideLabels.get(o.id) ?? null;
    const label = o.label ?? outside?.label ?? null;
    // None of a picture given to many objects (the grey of a “no image” card is not the object's colour), nor of
    // a photograph not to be published.
    const ownColours = standInOf.has(o.id) || notForPublication.has(o.id) ? [] : (o.colours ?? []);
    objects.push({
      id: o.id,
      slug: slugs[at++]!,
      title: o.title,
      maker: o.maker,
      date: o.date,
      ...datesOf(readDate(o.date)),
      department: o.department,
      medium: o.medium,
      mediumGroup: '',
      creditLine: o.creditLine,
      rights: o.rights,
      rightsStatement,
      description: o.description,
      extra: o.extra,
      // A picture given to many objects (a “no image” card) is not described to a screen reader as this object.
      alt: standInOf.has(o.id)
        ? `A picture shown for ${standInOf.get(o.id)!.objects.length} objects of the collection (most likely the ` +
          `museum’s stand-in), not a photograph of ${shownTitle(o.title) || o.id}`
        : altText({ title: o.title, maker: o.maker, date: o.date, label }),
      width: o.width ?? 0,
      height: o.height ?? 0,
      images,
      withheld,
      photoProblem: photoProblems.get(o.id) ?? null,
      standIn: standInOf.has(o.id)
        ? { objects: standInOf.get(o.id)!.objects.length, image: `data/${standInOf.get(o.id)!.image}` }
        : null,
      label,
      labelOutsideVocabulary: outside?.label != null,
      labelMeant: outside?.meant ?? null,
      // Two labels outside the vocabulary ("Misc", "Textile") are lines that disagree too.
      labelLinesDisagree: o.label === null && (disagreeing.has(o.id) || (outside !== null && outside.label === null)),
      split: o.split,
      // Against the label the model could give: it cannot answer a label outside its vocabulary. Without a photograph
      // the model could read (imageMd5 empty: none, or one that cannot be used), a guess is from one no longer there:
      // an earlier model's, kept by a branch preview. Not shown as the model's answer. Staff gave it a type outside
      // the vocabulary ("Misc": none of these types): the guess is only the model's nearest type, held back.
      annotation:
        a && o.imageMd5 && !standInOf.has(o.id)
          ? heldForRetiredType(heldForOutside(annotationOf(a, o.label), outside), vocabulary)
          : null,
      // Each name once: two patches of the photograph can take one name (distinctColours).
      colours: distinctColours(ownColours).map((c) => ({
        hex: c.hex,
        name: c.name,
        family: c.family,
        share: c.share,
        slug: nameSlug(`${c.family}-${c.name}`),
      })),
      zoom: null,
      similar: [],
      needsReview: false,
      reviewReason: null,
      labelLine: line,
      suggestUrl: suggestUrl({ repository, branch, line }),
    });
  }
  // Six thumbnails an object (600,000 at 100,000 objects). The links an earlier build left are checked on
  // a worker thread while this one writes the rest; the links are made once the check has answered (below).
  const thumbnailLinks = checkThumbnailLinks({ sourceDir: ws.dataset, mediaDir: media, files: thumbnails });
  // A failed check is awaited below; until then it must not count as an unhandled rejection.
  thumbnailLinks.catch(() => {});
  const thumbnailCount = thumbnails.length;
  thumbnails.length = 0;

  // Full-size pictures: large derivatives and deep-zoom tiles from the originals in data/.
  const siteBase = siteBaseOf(params);
  // Only of photographs shown in full: one shown small or not at all gets no large picture, tiles or IIIF image.
  // By the rule, not the page's `withheld`: an object without thumbnails has none, yet its original may be held back.
  const shownFull = new Set(objects.filter((o) => !byPhotograph.withheld.get(o.id)).map((o) => o.id));
  const originals = new Map(
    dataset.objects
      .filter((o) => o.image && shownFull.has(o.id))
      .map((o) => [o.id, { file: path.join(ws.data, o.image), md5: o.imageMd5 }]),
  );
  const smallPictures = await writeSmallPictures({
    wanted: small,
    datasetDir: ws.dataset,
    publicDir: files.publicDir,
    max: params.catalogue.images.thumbnail_max,
  });
  small.length = 0;
  for (const o of objects) {
    const picture = smallPictures.get(o.id);
    if (picture) o.images.push(picture);
  }
  const withheldCount = objects.filter((o) => o.withheld).length;
  if (withheldCount) {
    const shownSmall = objects.filter((o) => o.withheld?.shown === 'thumbnail').length;
    log.info(
      `Catalogue: ${withheldCount} photograph(s) not shown in full because of their rights (catalogue.images in ` +
        `params.yaml): ${shownSmall} shown small, ${withheldCount - shownSmall} not shown`,
    );
  }
  await sayNewlyWithheld({
    ws,
    objects,
    lastIds,
    lastCatalogue: files.data,
    rules: params.catalogue.images,
    images: new Map(dataset.objects.map((o) => [o.id, o.image])),
    shared: byPhotograph.disagree,
    log,
  });
  // The dataset is not needed past this point but for the images' checksums and its labels: let it go.
  // Not of a photograph not to be published: it has no vector, so it has no look-alikes and is none.
  const md5s = new Map(dataset.objects.filter((o) => !notForPublication.has(o.id)).map((o) => [o.id, o.imageMd5]));
  const datasetLabels = dataset.labels;
  dataset = null;
  annotations.clear();
  // Set while pictures and manifests are written, removed once they all are: a build that finds it
  // was stopped in the middle, and looks in every IIIF folder for what it left half-written.
  const unfinished = path.join(ws.catalogue, 'iiif-unfinished');
  const thorough = existsSync(unfinished);
  await mkdir(ws.catalogue, { recursive: true });
  await writeFile(unfinished, 'IIIF files are being written by a catalogue build\n');
  await writePictures({
    objects,
    originals,
    publicDir: files.publicDir,
    iiifBase: `${siteBase}iiif`,
    minSide: params.catalogue.deep_zoom_min_side,
    background: params.dataset.image.background,
    maxPixels: params.dataset.image.max_pixels,
    log,
  });

  await pruneIiif({ publicDir: files.publicDir, objects, thorough });

  // "Faience" and "faience", "travertine" and "Travertine (Egyptian alabaster)": one facet value.
  const mediumShown = normaliseValues(objects.map((o) => o.medium));
  for (const o of objects) o.mediumGroup = mediumShown.get(o.medium) ?? '';

  // catalogue.review_queue: 0 publishes no review queue: no object in it, and no doubt about a staff label on the
  // public pages or in catalogue.json (an outside tester: curators' right labels "may be wrong" for every visitor).
  // Staff see the labels to check with `npx vitrine review` and in the pull-request report.
  const queued = params.catalogue.review_queue > 0;
  if (!queued) for (const o of objects) if (o.annotation) o.annotation.labelIssue = null;
  const queue = queued ? reviewQueue({ objects, limit: params.catalogue.review_queue }) : [];
  const annotated = objects.filter((o) => o.annotation);
  const slugOf = new Map(objects.map((o) => [o.id, o.slug]));
  // A look-alike's page, for the object page to link to.
  for (const o of annotated) {
    const issue = o.annotation!.labelIssue;
    for (const l of [issue?.lookAlike, ...(issue?.lookAlikes ?? [])]) {
      const slug = l && slugOf.get(l.id);
      if (l && slug) l.slug = slug;
    }
  }

  // Model cards.
  // Model cards and monitoring name objects by their shown title (shown-title.ts).
  const byId = new Map(
    objects.map((o) => [o.id, { slug: o.slug, title: shownTitle(o.title), label: o.label, split: o.split }]),
  );
  const cardVersions = new Set<string>([...versions.map((v) => v.version), ...(current ? [current] : [])]);
  try {
    for (const f of await readdir(path.join(ws.registry, 'cards')))
      if (f.endsWith('.json')) cardVersions.add(f.slice(0, -5));
  } catch {
    // No cards folder yet: versions come from versions.json and the annotations alone.
  }
  const models: ModelCard[] = [];
  for (const version of [...cardVersions].sort(compareVersionsDesc)) {
    const entry = versions.find((v) => v.version === version) ?? null;
    models.push(
      await modelCard({
        ws,
        params,
        version,
        entry,
        current: version === current,
        metrics,
        monitoring,
        objects: byId,
        publicDir: files.publicDir,
        placed: dataFiles,
      }),
    );
  }

  // A guess held back as not sure enough: what its model publishes a guess of that type from (the object page says).
  const rules = new Map(models.map((card) => [card.version, card.metrics?.publication ?? null]));
  for (const o of objects) {
    const a = o.annotation;
    if (!a || a.published || a.unfamiliar || a.noThreshold || a.outsideVocabulary || a.retiredType) continue;
    const rule = rules.get(a.modelVersion);
    const threshold = rule?.thresholds[a.label];
    if (rule && typeof threshold === 'number') a.needed = { threshold, minPrecision: rule.minPrecision };
  }

  // Demo: the promoted version's restored files when the registry has them, else the trained model.
  let demo = null;
  if (current) {
    const restored = versionCacheDir({ ws, name: params.registry.model_name, version: current });
    const modelDir = (await stat(path.join(restored, 'model.json')).catch(() => null)) ? restored : ws.model;
    demo = await copyDemoModel({ ws, params, log, modelDir, publicDir: files.publicDir, version: current });
  } else {
    log.warn(
      'No promoted model yet: the catalogue shows staff labels only, with no machine annotations and no in-browser demo',
    );
  }

  if (current) {
    const restored = versionCacheDir({ ws, name: params.registry.model_name, version: current });
    const modelDir = (await stat(path.join(restored, 'model-info.json')).catch(() => null)) ? restored : ws.model;
    await linkSimilar({
      ws,
      params,
      log,
      objects,
      md5s,
      modelDir,
    });
  }

  const count = (values: string[], order?: readonly string[]) => {
    const m = new Map<string, number>();
    for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
    const rows = [...m].map(([value, n]) => ({ value, count: n }));
    return order
      ? rows.sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value))
      : rows.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  };
  // Each shade counts the objects that have it, as its family does: a photograph with two patches of one shade
  // (two "taupe" clusters) is one object, so no shade counts more objects than its family.
  const swatchMap = new Map<string, { family: string; name: string; hex: string; slug: string; count: number }>();
  for (const o of objects) {
    const seen = new Set<string>();
    for (const c of o.colours) {
      const key = `${c.family}\u0000${c.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const s = swatchMap.get(key) ?? { family: c.family, name: c.name, hex: c.hex, slug: c.slug, count: 0 };
      s.count++;
      swatchMap.set(key, s);
    }
  }

  const catalogue: Catalogue = {
    schema: 'vitrine.catalogue/1',
    generatedAt: clock.now().toISOString(),
    title: params.catalogue.title,
    collection: params.collection.name,
    repository,
    branch,
    labels: datasetLabels ?? params.collection.vocabulary,
    counts: {
      objects: objects.length,
      labelled: objects.filter((o) => o.label !== null).length,
      annotated: annotated.length,
      needsReview: queue.length,
      // None when no object has a department (an export with no such column): not one bar of "Unassigned".
      byDepartment: objects.some((o) => o.department) ? count(objects.map((o) => o.department || 'Unassigned')) : [],
      byLabel: count(objects.map(typeFacet)),
      byPredicted: count(annotated.filter((o) => o.annotation!.published).map((o) => o.annotation!.label)),
      byFamily: count(objects.flatMap((o) => [...new Set(o.colours.map((c) => c.family))])),
      byDate: count(
        objects.map((o) => o.dateBucket),
        DATE_BUCKETS,
      ),
      byMedium: count(objects.map((o) => o.mediumGroup).filter(Boolean)),
      byCentury: timeline(objects),
    },
    swatches: [...swatchMap.values()].sort((a, b) => a.family.localeCompare(b.family) || b.count - a.count),
    reviewQueue: queue.map((o) => o.id),
    reviewQueuePublic: queued,
    language: params.catalogue.language,
    models,
    demo,
    recent: recentChanges({ versions, rollbacks, metrics, changes, slugOf, production: current }),
    // Named by "number", not "id": previousSlugs reads an object's address from each `{"id":…,"slug":…`.
    departed: left.map((l) => ({
      number: l.id,
      slug: l.slug,
      now: l.now !== null && slugOf.has(l.now) ? { number: l.now, slug: slugOf.get(l.now)! } : null,
    })),
    objects,
  };
  const checked = validated(catalogue);
  // The manifests are compared and written on a worker thread: beside the large files, not after them.
  // Both end before this returns, also when one fails (nothing goes on writing behind a failed build).
  const writes = await Promise.allSettled([
    writeManifests({ catalogue: checked, publicDir: files.publicDir, siteBase }),
    (async () => {
      await writePiecesIfChanged({ file: files.data, pieces: jsonPieces(checked, 'objects') });
      await writeDownloads({ catalogue: checked, addresses, publicDir: files.publicDir, written: dataFiles });
    })(),
  ]);
  for (const w of writes) if (w.status === 'rejected') throw w.reason;
  await rm(unfinished, { force: true });
  // The pick-any-colour search's index, fetched by the Colours page only when a colour is picked.
  const index = colourIndex(
    checked.objects
      .filter((o) => o.colours.length)
      .map((o) => ({
        slug: o.slug,
        title: shownTitle(o.title),
        number: o.id,
        alt: o.alt,
        thumb: o.images[0]?.webp ?? null,
        colours: o.colours,
      })),
  );
  const coloursFile = path.join(files.publicDir, 'data', 'colours.json');
  await writeIfChanged({ file: coloursFile, data: JSON.stringify(index) });
  dataFiles.add(coloursFile);
  await pruneFolder({ dir: path.join(files.publicDir, 'data'), keep: dataFiles });
  await linkThumbnails({
    links: await thumbnailLinks,
    sourceDir: ws.dataset,
    mediaDir: media,
    count: thumbnailCount,
    log,
  });
  // What planning the site's pages needs of catalogue.json, while every object is in hand (plan.ts).
  await writePageDigests({ file: files.data, catalogue: checked });
  log.info(
    // The review queue in the words the home page and the review queue give (the evaluate stage's "labels to
    // review" are the staff labels that may be wrong alone).
    `Catalogue: ${objects.length} objects, ${annotated.length} annotated; ${reviewSummary(checked)}; ` +
      `${models.length} model card(s)${demo ? ', in-browser demo' : ''}`,
  );
  return { file: files.data, catalogue: checked };
}

/**
 * The catalogue checked against its schema, object by object: each object is replaced by its
 * checked copy as it goes, so the catalogue is never held twice (at 100,000 objects, a gigabyte).
 */
function validated(catalogue: Catalogue): Catalogue {
  const fail = (issue: { path: PropertyKey[]; message: string }, at: string) => {
    throw new VitrineError(
      'CATALOGUE_INVALID',
      `The catalogue data does not match its schema at ${issue.path.join('.')}${at}: ${issue.message}`,
      { path: issue.path },
    );
  };
  const { objects } = catalogue;
  const rest = catalogueSchema.safeParse({ ...catalogue, objects: [] });
  if (!rest.success) fail(rest.error.issues[0]!, '');
  for (let i = 0; i < objects.length; i++) {
    const one = catalogueObjectSchema.safeParse(objects[i]);
    if (!one.success) {
      const issue = one.error.issues[0]!;
      fail({ ...issue, path: ['objects', i, ...issue.path] }, ` (object "${objects[i]?.id}")`);
    } else objects[i] = one.data;
  }
  return { ...rest.data!, objects };
}

function statementOf(text: string): CatalogueObject['rightsStatement'] {
  const { uri, label, badge, download } = rightsOf(text);
  return { uri, label, badge, download };
}

/** The date facet's bucket, the years a date covers and the centuries it touches (the timeline facet). */
function datesOf(years: YearRange | null): Pick<CatalogueObject, 'dateBucket' | 'years' | 'centuries'> {
  // A copy: objects sharing a date must not share one range object in the catalogue.
  return {
    dateBucket: bucketOfRange(years),
    years: years && { ...years },
    centuries: years ? centuriesOf(years).map(centuryName) : [],
  };
}

/** Objects per century, every century from the oldest to the newest, so the histogram shows the gaps. */
function timeline(objects: CatalogueObject[]): Catalogue['counts']['byCentury'] {
  const counts = new Map<number, number>();
  for (const o of objects) if (o.years) for (const c of centuriesOf(o.years)) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size === 0) return [];
  const all = [...counts.keys()];
  const out: Catalogue['counts']['byCentury'] = [];
  for (let c = Math.min(...all); c <= Math.max(...all); c++)
    if (c !== 0) out.push({ century: c, name: centuryName(c), count: counts.get(c) ?? 0 });
  return out;
}

/** The site's address with its base path ("https://museum.github.io/collection/"), or the base path alone when unknown. */
function siteBaseOf(params: Params): string {
  const trimmed = params.catalogue.base.trim().replace(/^\/+|\/+$/g, '');
  const base = trimmed ? `/${trimmed}/` : '/';
  return params.catalogue.site ? new URL(base, params.catalogue.site).href : base;
}

/** Objects shown under "More like this" on each object page. */
const SIMILAR = 6;

/**
 * "More like this": each object's nearest objects by the embeddings the pipeline cached for the
 * shown model's backbone (`.vitrine/cache/embeddings/<config>/`). Objects without a cached vector
 * (no image, or not embedded yet) get none; nothing at all when the cache is missing.
 */
async function linkSimilar({
  ws,
  params,
  log,
  objects,
  md5s,
  modelDir,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  objects: CatalogueObject[];
  md5s: Map<string, string>;
  modelDir: string;
}): Promise<void> {
  const info = (await readJsonOrNull({ file: path.join(modelDir, 'model-info.json') })) as ModelInfo | null;
  if (!info?.backbone?.id) return;
  const key = embeddingConfigKey({
    backboneId: info.backbone.id,
    inputSize: info.backbone.inputSize,
    fit: info.backbone.fit,
    inputRange: info.backbone.inputRange ?? params.backbone.input_range,
    background: params.dataset.image.background,
  });
  const store = await openStore({ folder: path.join(ws.cache, 'embeddings', key), log });
  const withVector = objects.flatMap((o) => {
    const v = store.vectors.get(md5s.get(o.id) ?? '');
    return v ? [{ o, v }] : [];
  });
  if (withVector.length < 2) {
    if (objects.some((o) => o.images.length))
      log.warn('No embeddings cached for the shown model: object pages have no "More like this"');
    return;
  }
  const started = Date.now();
  const { tf } = await selectBackend({ preference: params.train.backend, log });
  const { neighbours, reducedTo } = await nearestNeighbours({ vectors: withVector.map((x) => x.v), k: SIMILAR, tf });
  neighbours.forEach((list, i) => {
    withVector[i]!.o.similar = list.map((j) => withVector[j]!.o.id);
  });
  log.info(
    `Catalogue: "More like this" for ${withVector.length} objects ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s${reducedTo ? ` (embeddings reduced to ${reducedTo} principal dimensions)` : ''}`,
  );
}

/**
 * The catalogue's view of an annotation: absent contract fields mean published, not scored. Labels are compared and
 * shown composed (NFC) with plain spaces (labelForm), as labels.csv and collection.vocabulary are read: "Céramique"
 * typed with a combining accent (as some Mac programs save text), or kept so by an older model or annotation, is the
 * model's "Céramique".
 */
function annotationOf(a: Annotation, staffLabel: string | null): NonNullable<CatalogueObject['annotation']> {
  // Anything but text is left as it is, for the catalogue's validation to name.
  // And with a plain space for one that prints as a space (labelForm), as they are read now: a model trained before on
  // "Epoche:\u00a0Neu" disagreed with every "Epoche: Neu" object, and its label issues were taken as settled.
  const nfc = <T>(value: T): T => (typeof value === 'string' ? (labelForm(value) as T) : value);
  const label = nfc(staffLabel);
  const model = nfc(a.label);
  // Scored against the label the object had when the model annotated it (`humanLabel`): once staff have
  // changed that label (a fix merged, a catalogue rebuilt before the next model), the issue is settled.
  // Without that record, only taking the suggestion settles it.
  const scoredAgainst = nfc(a.humanLabel ?? null);
  const suggested = nfc(String(a.labelIssue?.suggested ?? ''));
  // The issue's own label when recorded (after a rollback it is today's label, not the one the model learnt).
  const judged = typeof a.labelIssue?.label === 'string' ? nfc(a.labelIssue.label) : scoredAgainst;
  const settled = judged === null ? label !== null && suggested === label : judged !== label;
  // The label the model was annotated (and, when promoted, trained) against, recorded and no longer the object's: a
  // correction since, which the model has not learnt (a branch's fixes judged by the production model).
  const changed = label !== null && a.humanLabel !== undefined && scoredAgainst !== label;
  const issue =
    a.labelIssue && typeof a.labelIssue.score === 'number' && !settled
      ? {
          score: Math.min(1, Math.max(0, a.labelIssue.score)),
          suggested,
          // Annotations written before the two were told apart: flagged when the score says likely wrong.
          flagged: a.labelIssue.flagged ?? a.labelIssue.score >= LABEL_ISSUE_MIN,
          ...(lookAlikeOf(a.labelIssue.lookAlike) ? { lookAlike: lookAlikeOf(a.labelIssue.lookAlike)! } : {}),
          ...lookAlikesOf(a.labelIssue.lookAlikes),
        }
      : null;
  return {
    label: model,
    confidence: a.confidence,
    top: Array.isArray(a.top) ? a.top.map((t) => ({ ...t, label: nfc(t.label) })) : a.top,
    modelVersion: a.modelVersion,
    agrees: label === null ? null : model === label,
    published: a.published !== false,
    ...(a.published === false && a.unfamiliar === true ? { unfamiliar: true as const } : {}),
    ...(a.published === false && a.unfamiliar !== true && a.noThreshold === true ? { noThreshold: true as const } : {}),
    labelIssue: issue,
    ...(changed ? { labelChanged: true as const } : {}),
  };
}

/**
 * An annotation of an object staff gave a type outside the vocabulary (not a slip for one of its types): the museum's
 * word is that the object is none of the types the model knows, so the model's guess is its nearest type only, held
 * back whatever its confidence (not a value of the predicted-type facet), and not waiting for staff: they decided.
 */
function heldForOutside(
  a: NonNullable<CatalogueObject['annotation']>,
  outside: OutsideLabels | null,
): NonNullable<CatalogueObject['annotation']> {
  if (!outside?.held) return a;
  const { unfamiliar: _u, noThreshold: _n, ...rest } = a;
  return { ...rest, published: false, outsideVocabulary: true };
}

/** `{ lookAlikes }` of an annotation's group of look-alikes, when it lists at least two that can be read. */
function lookAlikesOf(x: unknown): { lookAlikes?: { id: string; label: string; similarity?: number }[] } {
  const others = Array.isArray(x) ? x.map(lookAlikeOf).filter((l) => l !== null) : [];
  return others.length >= 2 ? { lookAlikes: others } : {};
}

/**
 * An annotation's look-alike, when it is one (text id and label, and the photographs' similarity when recorded); its
 * slug is added once every page is known.
 */
function lookAlikeOf(x: unknown): { id: string; label: string; similarity?: number } | null {
  const l = x as { id?: unknown; label?: unknown; similarity?: unknown } | null | undefined;
  const similarity = typeof l?.similarity === 'number' && Number.isFinite(l.similarity) ? l.similarity : undefined;
  return l && typeof l.id === 'string' && typeof l.label === 'string'
    ? { id: l.id, label: l.label.normalize('NFC'), ...(similarity === undefined ? {} : { similarity }) }
    : null;
}

/**
 * The review queue (marks the objects in it): photographs that cannot be used first (all of them, a group of their
 * own: staff replace the file), then staff labels the dataset stage asked staff to correct, then likely label
 * mistakes — the registry's labelIssue score when it gives one, else the model's confidence in a disagreement —
 * then predictions waiting for staff (unpublished), then the least confident, a small share of the collection.
 */
function reviewQueue({ objects, limit }: { objects: CatalogueObject[]; limit: number }): CatalogueObject[] {
  const photos = objects.filter((o) => o.photoProblem);
  for (const o of photos) {
    o.needsReview = true;
    o.reviewReason = 'photo-unusable';
  }
  // Staff labels waiting for a correction the dataset stage asked for (a slip for a type, lines that disagree):
  // all of them, next; the model's guesses on them come after that correction.
  const staff = objects.filter((o) => !o.photoProblem && (o.labelMeant || o.labelLinesDisagree));
  for (const o of staff) {
    o.needsReview = true;
    o.reviewReason = 'staff-label';
  }
  // A guess held back for a staff type outside the vocabulary waits for no one: the staff label is the museum's word.
  // Nor one of a type the vocabulary no longer has: no one could publish it.
  const annotated = objects.filter(
    (o) => o.annotation && !o.needsReview && !o.annotation.outsideVocabulary && !o.annotation.retiredType,
  );
  // A label confident learning flags is an issue whatever its score: its own probability can be under its
  // class's threshold and still above every other label's, which puts the score under one half. A label staff changed
  // since the model was trained is not judged by its disagreement: the model has not learnt the correction yet.
  const isIssue = (o: CatalogueObject) => {
    const issue = o.annotation!.labelIssue;
    return issue ? labelMayBeWrong(issue) : o.annotation!.agrees === false && !o.annotation!.labelChanged;
  };
  const rank = (o: CatalogueObject) => o.annotation!.labelIssue?.score ?? o.annotation!.confidence;
  const issues = annotated.filter(isIssue).sort((x, y) => rank(y) - rank(x));
  const waiting = annotated
    .filter((o) => !isIssue(o) && !o.annotation!.published)
    .sort((x, y) => x.annotation!.confidence - y.annotation!.confidence);
  const unsure = annotated
    .filter((o) => !isIssue(o) && o.annotation!.published)
    .sort((x, y) => x.annotation!.confidence - y.annotation!.confidence);
  // The least-confident part stays a small share of the collection, so the queue stays a short list of real doubts.
  const first = [...issues, ...waiting].slice(0, limit);
  const unsureLimit = Math.min(Math.max(0, limit - first.length), Math.max(5, Math.ceil(annotated.length * 0.05)));
  const queue = [...first, ...unsure.slice(0, unsureLimit)];
  for (const o of queue) {
    const a = o.annotation!;
    o.needsReview = true;
    o.reviewReason = isIssue(o)
      ? a.labelIssue
        ? 'label-issue'
        : 'disagrees'
      : !a.published
        ? 'waiting'
        : 'least-confident';
  }
  return [...photos, ...staff, ...queue];
}

/** Folders of public/ kept from the last build (see `buildCatalogueData`). */
const KEPT_PUBLIC = ['data', 'iiif', 'media', SMALL_FOLDER];

/** Link the thumbnails the check found missing or replaced, and remove those no object has any longer. */
async function linkThumbnails({
  links,
  sourceDir,
  mediaDir,
  count,
  log,
}: {
  links: ThumbnailLinks;
  sourceDir: string;
  mediaDir: string;
  count: number;
  log: Logger;
}): Promise<void> {
  const progress = log.progress('Catalogue: linking thumbnails', count);
  progress.tick(count - links.missing.length);
  const folders = new Map<string, Promise<unknown>>();
  for (let i = 0; i < links.missing.length; i += 64)
    await Promise.all(
      links.missing.slice(i, i + 64).map(async ({ file, there }) => {
        const to = path.join(mediaDir, file);
        const folder = path.dirname(to);
        if (!folders.has(folder)) folders.set(folder, mkdir(folder, { recursive: true }));
        await folders.get(folder);
        await placeFile({ from: path.join(sourceDir, file), to, made: true, there });
        progress.tick();
      }),
    );
  progress.done();
  for (const f of links.stale) await rm(path.join(mediaDir, f), { force: true });
}

/** The files under `dir`, by path relative to it; read a folder at a time (600,000 thumbnails). */
async function filesUnder(dir: string): Promise<Set<string>> {
  const files = new Set<string>();
  const pending = [dir];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    for (const e of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const file = path.join(folder, e.name);
      if (e.isDirectory()) pending.push(file);
      else files.add(path.relative(dir, file));
    }
  }
  return files;
}

/** Delete the files under `dir` that are not in `keep` (full paths). */
async function pruneFolder({ dir, keep }: { dir: string; keep: Set<string> }): Promise<void> {
  for (const f of await filesUnder(dir)) if (!keep.has(path.join(dir, f))) await rm(path.join(dir, f), { force: true });
}

/**
 * Drop the deep-zoom folders of objects that left the collection or lost their tiles (a smaller
 * original), and half-written ones; the manifests are written afresh after this. Temporary files
 * inside the folders are looked for only after a build that stopped in the middle (`thorough`):
 * reading 100,000 folders costs seconds, and nothing else leaves them (nor are they published).
 */
async function pruneIiif({
  publicDir,
  objects,
  thorough,
}: {
  publicDir: string;
  objects: CatalogueObject[];
  thorough: boolean;
}): Promise<void> {
  const zoomed = new Set(objects.filter((o) => o.zoom).map((o) => iiifFolder(o.slug)));
  // A photograph shown small or not at all (catalogue.images) has no IIIF folder: no tiles, no manifest.
  const pictured = new Set(objects.filter((o) => o.images.length > 0 && !o.withheld).map((o) => iiifFolder(o.slug)));
  const dir = path.join(publicDir, 'iiif');
  // Synchronous reads: each takes microseconds, less than a promise's round trip (100,000 folders).
  let entries: Dirent[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isDirectory()) {
      if (isTempLeftover(e.name)) await rm(path.join(dir, e.name), { force: true });
      continue;
    }
    const folder = webPath('iiif', e.name);
    const here = path.join(dir, e.name);
    // A pictured object without tiles keeps its folder (its manifest is rewritten) unless tiles are left in it.
    const gone = !zoomed.has(folder) && (!pictured.has(folder) || existsSync(path.join(here, '.vitrine-source')));
    if (gone) await rm(here, { recursive: true, force: true });
    else if (thorough)
      for (const f of readdirSync(here)) if (isTempLeftover(f)) await rm(path.join(here, f), { force: true });
  }
}

/**
 * Hard-link a file into place (fast, no extra space), copying when links are not possible. A file
 * already there is kept when it is the same file (a link made by an earlier build), else replaced.
 */
async function placeFile({
  from,
  to,
  made = false,
  there = false,
}: {
  from: string;
  to: string;
  made?: boolean;
  /** A file is known to be at `to` already: compare before linking (a failed link costs more). */
  there?: boolean;
}): Promise<void> {
  if (there && sameFile(from, to)) return;
  if (!made) await mkdir(path.dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      const [a, b] = await Promise.all([stat(from).catch(() => null), stat(to)]);
      if (a && a.ino === b.ino && a.dev === b.dev) return;
      await rm(to, { force: true });
      return placeFile({ from, to, made: true });
    }
    if (code === 'ENOENT')
      throw new VitrineError(
        'CATALOGUE_THUMBNAIL_MISSING',
        `${from} is missing: rerun the dataset stage`,
        { file: from },
        { cause: error },
      );
    await copyFile(from, to);
  }
}

/**
 * Whether `from` and `to` are one file (a link an earlier build made). Synchronous: a stat of a cached
 * inode takes microseconds, less than a promise's round trip through the thread pool (a rebuild
 * checks 600,000 links at 100,000 objects).
 */
function sameFile(from: string, to: string): boolean {
  const a = statSync(from, { throwIfNoEntry: false });
  const b = statSync(to, { throwIfNoEntry: false });
  return a !== undefined && b !== undefined && a.ino === b.ino && a.dev === b.dev;
}

function webPath(...parts: string[]): string {
  return parts.join('/').split(path.sep).join('/');
}

function mostCommon(values: string[]): string | null {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of m) if (best === null || n > m.get(best)!) best = v;
  return best;
}

function compareVersionsDesc(a: string, b: string): number {
  const parse = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++)
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pb[i] ?? 0) - (pa[i] ?? 0);
  return b.localeCompare(a);
}

const SECTION_KEYS = [
  'summary',
  'description',
  'intendedUse',
  'trainingData',
  'evaluationData',
  'limitations',
  'ethics',
  'caveatsAndRecommendations',
];

/** Plain-words sections of a card: intended use, factors, ethics, caveats (strings or lists of strings). */
function cardSections(card: Record<string, unknown>): ModelCard['sections'] {
  const out: ModelCard['sections'] = [];
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
  const details = isRecord(card.details) ? card.details : {};
  const about: string[] = [];
  const changes = strings(details.changes).map(legacyBumpWords);
  // Said once: "Labels changed since v1.0.0, so this is a new minor version" under the changes already gives it.
  const reason = typeof details.reason === 'string' ? details.reason : '';
  const saidBelow = reason && changes.some((c) => c.toLowerCase().startsWith(reason.toLowerCase()));
  if (reason && !saidBelow) about.push(`Why this version: ${reason}`);
  if (typeof details.previous === 'string' && details.previous) about.push(`Previous version: ${details.previous}`);
  // The placeholder registry.owners starts with names no one: left out (an outside tester read it as a team's name).
  const owners = namedOwners(strings(details.owners));
  if (owners.length) about.push(`Owners: ${owners.join(', ')}`);
  // What the image model is, where the public reads the page, not only in the folded technical record (an outside
  // tester: "nsfwjs" was named with no word on why).
  const backbone = isRecord(card.lineage) && isRecord(card.lineage.backbone) ? card.lineage.backbone.id : undefined;
  const what = typeof backbone === 'string' ? backboneWords(backbone) : null;
  if (what)
    about.push(
      `How it sees a photograph: it recognises object types from the features computed by ${what}` +
        (/^nsfwjs-/.test(backbone as string) ? `; ${NSFWJS_NOTE}.` : '.'),
    );
  if (typeof details.licence === 'string' && details.licence) about.push(`Licence: ${details.licence}`);
  if (about.length || changes.length)
    out.push({ heading: 'About this version', text: about.join('\n'), items: changes });
  for (const key of SECTION_KEYS) {
    const v = card[key];
    if (typeof v === 'string' && v.trim()) out.push({ heading: humanise(key), text: v, items: [] });
    else if (strings(v).length)
      out.push({
        heading: key === 'caveatsAndRecommendations' ? 'Caveats and recommendations' : humanise(key),
        text: '',
        items: strings(v),
      });
    else if (key === 'intendedUse' && isRecord(v)) {
      const items = [
        ...strings(v.primary),
        ...strings(v.users).map((u) => `Users: ${u}`),
        ...strings(v.outOfScope).map((u) => `Not for: ${u}`),
      ];
      if (items.length) out.push({ heading: 'Intended use', text: '', items });
    }
  }
  if (Array.isArray(card.factors)) {
    const items = card.factors.filter(isRecord).map((f) => `${String(f.name ?? '')}: ${String(f.why ?? '')}`);
    if (items.length)
      out.push({
        heading: 'Factors checked',
        text: 'Scores are broken down by these, because each can make a model look better or worse than it is:',
        items,
      });
  }
  // Cards from elsewhere may carry ready-made sections; Vitrine's own are markdown of the above, so skip those.
  if (out.length === 0 && Array.isArray(card.sections)) {
    for (const sec of card.sections)
      if (isRecord(sec) && typeof sec.heading === 'string' && typeof sec.text === 'string')
        out.push({ heading: sec.heading, text: sec.text, items: [] });
  }
  return out;
}

async function modelCard({
  ws,
  params,
  version,
  entry,
  current,
  metrics,
  monitoring: inputs,
  objects,
  publicDir,
  placed,
}: {
  ws: Workspace;
  params: Params;
  version: string;
  entry: VersionEntry | null;
  current: boolean;
  metrics: Metrics | null;
  monitoring: MonitoringInputs;
  objects: Map<string, CatalogueObjectRef>;
  publicDir: string;
  /** Collects the files placed in public/data/. */
  placed?: Set<string>;
}): Promise<ModelCard> {
  const safe = version.replace(/[^\w.-]/g, '_');
  const cardJson = await readJsonOrNull({ file: path.join(ws.registry, 'cards', `${safe}.json`) });
  const card = isRecord(cardJson) ? cardJson : {};
  let markdown: string | null = null;
  const md = path.join(ws.registry, 'cards', `${safe}.md`);
  if (await stat(md).catch(() => null)) {
    await placeFile({ from: md, to: path.join(publicDir, 'data', 'cards', `${safe}.md`) });
    placed?.add(path.join(publicDir, 'data', 'cards', `${safe}.md`));
    markdown = `data/cards/${safe}.md`;
  }
  const sections = cardSections(card);
  // Lineage: where the version came from (registry entry first, the card's lineage overrides).
  const fromEntry = Object.fromEntries(
    Object.entries(entry?.fields ?? {}).filter(([k]) =>
      ['tag', 'commit', 'bump', 'reason', 'pullRequest.url', 'previous'].includes(k),
    ),
  );
  const lineageSource = { ...fromEntry, ...(isRecord(card.lineage) ? scalars(card.lineage) : {}) };
  const production = productionWords(entry?.fields ?? {});
  const lineage = Object.entries(lineageSource)
    .filter(([name]) => !/^(runtime\.packages|params\.values)/.test(name))
    .map(([name, value]) => lineageRow(name, value))
    // Put back since: the lineage's date is of its first promotion, not of the rollback (tester T10).
    .map((row) =>
      row.name === LINEAGE_NAMES.promotedAt && entry?.fields['putBack.date']
        ? { ...row, name: 'First put in production' }
        : row,
    );
  if (lineage.some((l) => /\bnsfwjs\b/.test(l.value))) lineage.push({ name: 'About nsfwjs', value: `${NSFWJS_NOTE}.` });
  // The card's own metrics when it has them; the evaluation's for the current version otherwise.
  const m = looksLikeMetrics(card.metrics)
    ? cardAlpha(card.metrics as Metrics, card.lineage)
    : current && looksLikeMetrics(metrics)
      ? withAlpha({ metrics, settings: { md5: hashJson(modelParams(params)), alpha: params.evaluate.alpha } })
      : null;
  const stages =
    entry?.stages ??
    (Array.isArray(card.stages)
      ? card.stages.filter((x): x is string => typeof x === 'string')
      : current
        ? ['prod']
        : []);
  const createdAt =
    entry?.createdAt ??
    (typeof card.date === 'string' ? card.date : typeof card.createdAt === 'string' ? card.createdAt : null);
  const monitoring = monitoringFor({ inputs, version, current, objects, params });
  return {
    version,
    stages,
    current,
    createdAt,
    sections,
    lineage,
    production,
    metrics: m
      ? cardMetrics({
          m,
          followed: followedPublication(card.followed),
        })
      : null,
    split: splitOf({ data: card.data, details: card.details, tested: m ? (m.n ?? null) : null }),
    flagged: flaggedOf({ details: card.details, objects }),
    markdown,
    monitoring,
  };
}

/**
 * What rollbacks did to a version, as versions.json records it (`withdrawn`, `putBack`, from the registry's tags): the
 * model page said only "Not in production" of a version withdrawn, and nothing of one put back (tester T10).
 */
function productionWords(fields: Record<string, string>): string | null {
  const f = (key: string) => fields[key] || null;
  const withdrawn = f('withdrawn.date');
  if (withdrawn) {
    const by = f('withdrawn.by');
    return `${withdrawnWords({ date: withdrawn, reason: f('withdrawn.reason') })}.${by ? ` ${by} was put back in its place.` : ''}`;
  }
  const putBack = f('putBack.date');
  if (!putBack) return null;
  // Production moved on since (reviewer V16): `until`, and `replacedBy` when a version holds it.
  const until = f('putBack.until') ?? undefined;
  const record = { from: f('putBack.from'), reason: f('putBack.reason'), until, replacedBy: f('putBack.replacedBy') };
  return `${putBackSentences({ date: putBack, ...record })}.`;
}

/** A catalogue object as the model pages name it: its page, shown title, label today and split. */
interface CatalogueObjectRef {
  slug: string;
  title: string;
  label: string | null;
  split: string;
}

/**
 * The labels train.flagged: drop left out of training (the card's details.flagged), each linked to its object's page
 * with its label today; null when the card records none (train.flagged: keep, an older card). Only objects in the
 * catalogue today are named: one taken out of it (a takedown, docs/data.md) is counted (`gone`), never named, and
 * left out of `differs` too. For a model saved before the list was recorded (`complete: false`, every flagged id),
 * test objects (still tested on) are dropped by the split the catalogue gives them.
 */
function flaggedOf({
  details,
  objects,
}: {
  details: unknown;
  objects: Map<string, CatalogueObjectRef>;
}): ModelCard['flagged'] {
  const f = isRecord(details) && isRecord(details.flagged) ? details.flagged : null;
  if (!f || !Array.isArray(f.objects)) return null;
  const complete = f.complete !== false;
  const ids = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && objects.has(x)) : [];
  const d = isRecord(f.differs) ? f.differs : null;
  const learnt = d ? ids(d.learnt) : [];
  const notFlagged = d ? ids(d.notFlagged) : [];
  const listed = f.objects
    .filter(isRecord)
    .filter((o): o is Record<string, unknown> & { id: string } => typeof o.id === 'string');
  const kept = listed.filter((o) => objects.has(o.id) && (complete || objects.get(o.id)!.split !== 'test'));
  return {
    complete,
    differs: learnt.length || notFlagged.length ? { learnt, notFlagged } : null,
    gone: listed.filter((o) => !objects.has(o.id)).length,
    why: f.why === 'no-folds' || f.why === 'guessing' || f.why === 'test-only' ? f.why : null,
    objects: kept.map((o) => {
      const now = objects.get(o.id)!;
      return {
        id: o.id,
        label: typeof o.label === 'string' ? o.label : null,
        labelNow: now.label,
        href: `objects/${now.slug}/`,
      };
    }),
  };
}

function looksLikeMetrics(m: unknown): m is Metrics {
  return (
    isRecord(m) &&
    isRecord(m.accuracy) &&
    typeof m.accuracy.value === 'number' &&
    isRecord(m.macroF1) &&
    Array.isArray(m.confusion)
  );
}

/**
 * A card's metrics, a comparison written before evaluate.alpha was stored with it given the alpha of the settings
 * the version was registered with (the card's lineage), when those made the metrics; otherwise no level is said.
 */
function cardAlpha(metrics: Metrics, lineage: unknown): Metrics {
  const recorded = isRecord(lineage) && isRecord(lineage.params) ? lineage.params : null;
  const values = recorded && isRecord(recorded.values) ? recorded.values : null;
  const evaluate = values && isRecord(values.evaluate) ? values.evaluate : null;
  return withAlpha({
    metrics,
    settings:
      recorded && typeof recorded.md5 === 'string'
        ? { md5: recorded.md5, alpha: typeof evaluate?.alpha === 'number' ? evaluate.alpha : undefined }
        : null,
  });
}

/**
 * The publication rule of the later evaluation the catalogue follows (the card's `followed`), when there is one:
 * undefined otherwise, and null when that evaluation had none.
 */
function followedPublication(followed: unknown): Metrics['publication'] | null | undefined {
  if (!isRecord(followed)) return undefined;
  return isRecord(followed.publication) ? (followed.publication as Metrics['publication']) : null;
}

/**
 * The card's split counts, for the page; null when the card has none. The dataset summary (the card's `data`) counts
 * every labelled object in its split, those without a usable picture too, which were neither trained on nor tested
 * (a tester read "2 for testing" beside "Measured on 1 test objects"). A card that records what its head was trained on
 * (`details.head`) gives the objects used: its training and validation counts, and the test objects scored (`n` of
 * the metrics the page shows); `unused` counts the labelled objects left out. An older or outside card: as recorded.
 */
function splitOf({
  data,
  details,
  tested,
}: {
  data: unknown;
  details: unknown;
  tested: number | null;
}): ModelCard['split'] {
  if (!isRecord(data) || !isRecord(data.bySplit)) return null;
  const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  const { train, validation, test } = data.bySplit;
  const recorded = { train: n(train), validation: n(validation), test: n(test) };
  const head = isRecord(details) && isRecord(details.head) ? details.head : null;
  // The card's rule (registry/card.ts): trained on and validated on as the model recorded, the test objects scored.
  const used = splitUsed({ recorded, trainCount: head?.trainCount, validationCount: head?.validationCount, tested });
  return { objects: n(data.objects), labelled: n(data.labelled), ...used };
}

function cardMetrics({ m, followed }: { m: Metrics; followed?: Metrics['publication'] | null }): CardMetrics {
  const b = m.baseline;
  const p = followed === undefined ? m.publication : followed;
  return {
    n: m.n ?? 0,
    // Recorded by the gate, else named in its class check; else none (reviewer V11): the gate recorded it since the rule
    // came in, so metrics that say nothing were judged before it, every class by its F1, whatever params.yaml says now.
    minTestPerClass: minTestPerClassOf(isRecord(m.gate) ? m.gate : null) ?? 0,
    building: (m.newLabels?.labels ?? []).map((l) => l.label),
    labels: m.labels ?? m.perClass.map((c) => c.label),
    accuracy: m.accuracy,
    macroF1: m.macroF1,
    // The card's words, in the site's ("types"), short enough for a table cell and the home page (reviewer V24 F6).
    macroF1Over:
      macroF1OverWords({
        scores: { perClass: m.perClass ?? [], confusion: m.confusion ?? [] },
        noun: 'types',
        names: 4,
      }) || null,
    topK: m.topK ?? null,
    ece: m.ece ?? null,
    perClass: m.perClass ?? [],
    confusion: m.confusion ?? [],
    factors: (m.factors ?? []).map((f) => ({
      factor: f.factor,
      groups: mergeGroups(f.groups).map((g) => {
        // Each group's accuracy is a count of right answers: its Wilson interval, as the headline scores use.
        const { low, high } =
          g.n > 0 ? wilsonInterval({ successes: Math.round(g.accuracy * g.n), n: g.n }) : { low: 0, high: 1 };
        return { ...g, low, high };
      }),
    })),
    baseline:
      b && b.comparison
        ? {
            version: b.version,
            metric: b.comparison.metric,
            difference: b.comparison.difference,
            ...(b.comparison.alpha === undefined ? {} : { alpha: b.comparison.alpha }),
            pValue: b.comparison.pValue,
            verdict: b.comparison.verdict,
          }
        : null,
    labelChange: m.crossValidated ? labelChangeOf(m.crossValidated) : null,
    publication:
      p && isRecord(p.thresholds) && typeof p.minPrecision === 'number'
        ? { minPrecision: p.minPrecision, thresholds: p.thresholds, familiarity: !!p.familiarity }
        : null,
  };
}

/**
 * The cross-validated verdict of the change that made a version, in the Markdown card's words
 * (crossValidationCardLines): a tester read "2 labels changed", "each of 300 objects' labels", no change and "no
 * detectable difference" beside p = 0.002 on the model page after the report and the card said "2 labels removed",
 * the objects scored, "+0.003, between +0.001 and +0.005" and "no difference that matters".
 */
function labelChangeOf(cv: NonNullable<Metrics['crossValidated']>): NonNullable<CardMetrics['labelChange']> {
  const c = cv.comparison;
  const verdict = crossValidatedVerdict(c, cv.before);
  const { objects, scoredOn } = scoredObjectsWords(cv);
  return {
    changed: cv.changed,
    objects: cv.objects,
    before: cv.probability.baseline,
    after: cv.probability.candidate,
    difference: c.difference,
    pValue: c.pValue,
    verdict: c.verdict,
    changes: labelChangeWords(cv),
    scored: objects,
    scoredOn,
    change: crossValidatedChange(c.difference, { note: levelled(c.alpha, 'interval'), minChange: c.minChange }),
    how: crossValidationWords(cv),
    verdictName: verdict.name,
    why: c.verdict === 'no detectable difference' || labelsToCheck(cv) || countedByRelabelled(c) ? verdict.why : '',
  };
}

type FactorGroup = Metrics['factors'][number]['groups'][number];

/**
 * Factor groups spelt differently ("Faience", "faience") become one, under the most common
 * spelling: sizes add up, accuracy and macro-F1 are averaged weighted by size (macro-F1 is then an
 * approximation: the per-class counts behind it are not in the metrics).
 */
function mergeGroups(groups: FactorGroup[]): FactorGroup[] {
  const shown = normaliseValues(groups.flatMap((g) => Array.from({ length: Math.max(1, g.n) }, () => g.value)));
  const merged = new Map<string, FactorGroup>();
  for (const g of groups) {
    const value = shown.get(g.value) ?? g.value;
    const m = merged.get(value) ?? { value, n: 0, accuracy: 0, macroF1: 0 };
    const n = m.n + g.n;
    if (n > 0) {
      m.accuracy = (m.accuracy * m.n + g.accuracy * g.n) / n;
      m.macroF1 = (m.macroF1 * m.n + g.macroF1 * g.n) / n;
    }
    m.n = n;
    merged.set(value, m);
  }
  return [...merged.values()];
}

function recentChanges({
  versions,
  rollbacks,
  metrics,
  changes,
  slugOf,
  production,
}: {
  versions: VersionEntry[];
  rollbacks: RollbackChange[];
  metrics: Metrics | null;
  /** What production's arrival changed of the answers shown, when annotating recorded it. */
  changes: AnnotationChanges | null;
  slugOf: Map<string, string>;
  /** The version whose annotations the catalogue shows. */
  production: string | null;
}): Catalogue['recent'] {
  // A rollback changes every annotation the public sees, as a promotion does: listed among them by date.
  const models: Catalogue['recent'] = [
    ...versions.map((v) => ({
      date: v.createdAt,
      text: `Model ${v.version} registered${v.stages.length ? ` (${v.stages.map(stageName).join(', ')})` : ''}`,
      href: `models/${v.version}/`,
    })),
    ...rollbacks.map((r) => ({
      date: r.date,
      text:
        `Model ${r.version} put back in production${r.from ? ` in place of ${r.from}` : ''}` +
        (r.reason ? `: ${r.reason}` : ''),
      href: `models/${r.version}/`,
    })),
  ];
  const out = models.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '')).slice(0, 5);
  // What production's arrival changed of every answer shown (annotation-changes.ts), when recorded for it.
  if (production && changes?.version === production && changes.changed > 0) {
    // Right under the newest entry of the version (its registration, or the rollback that put it back).
    const at = out.findIndex((m) => m.href === `models/${production}/`);
    const date = out[at]?.date ?? null;
    const lines = [
      {
        date,
        text: `Model ${production} changed the type shown for ${changes.changed.toLocaleString('en')} ${
          changes.changed === 1 ? 'object' : 'objects'
        }`,
        href: `models/${production}/`,
      },
      ...changes.objects.slice(0, 5).map((c) => {
        const slug = slugOf.get(c.id);
        return { date, text: `Object ${c.id}: ${changeWords(c)}`, href: slug ? `objects/${slug}/` : null };
      }),
    ];
    out.splice(at < 0 ? out.length : at + 1, 0, ...lines);
    return out;
  }
  // The evaluated model's changes, only while it is the one in production (registered from this evaluation's
  // commit): not while the model it was compared with still is (the gate refused it, or it was never promoted),
  // nor after a rollback put another back.
  const inProduction = versions.find((v) => v.version === production && v.stages.includes('prod'));
  // The evaluated model is production's (the same identity: registered from this evaluation, on its commit or, a
  // branch evaluated and merged, on the merge); versions registered before identities were recorded: by the commit.
  const identity = inProduction?.fields.identity;
  const promoted =
    metrics?.baseline != null &&
    inProduction !== undefined &&
    (identity
      ? identity === metrics.inputs?.model
      : metrics.inputs?.commit != null && inProduction.fields.commit === metrics.inputs.commit);
  for (const c of (promoted ? (metrics.changedPredictions ?? []) : []).slice(0, 5)) {
    const slug = slugOf.get(c.id);
    out.push({
      date: metrics?.createdAt ?? null,
      text: `Object ${c.id}: the new model says “${c.candidate}” where the previous said “${c.baseline}”`,
      href: slug ? `objects/${slug}/` : null,
    });
  }
  return out;
}

/**
 * A model card's record of where a version came from, in words a visitor can follow (a tester read "Bump first" and
 * "Labels md5"): the registry's field names, named; unknown fields as their names read.
 */
const LINEAGE_NAMES: Record<string, string> = {
  tag: 'Git tag of this version',
  commit: 'Commit it was registered from',
  bump: 'Kind of version',
  reason: 'Why this version',
  previous: 'Version before it',
  'pullRequest.url': 'Pull request',
  'data.hash': 'Photographs (data.dvc), their fingerprint',
  'data.source': 'Where the photographs are recorded',
  'labels.md5': 'Labels file (labels.csv), its fingerprint (md5)',
  'labels.commit': 'Commit that last changed the labels',
  'params.md5': 'Settings file (params.yaml), its fingerprint (md5)',
  'code.commit': 'Commit of the code that trained it',
  'backbone.id': 'Image model it builds on (backbone)',
  'backbone.source': 'Where that image model comes from',
  'backbone.licence': 'Licence of that image model',
  backend: 'Computed with (TensorFlow.js backend)',
  'runtime.node': 'Node.js version',
  'durations.embedMs': 'Time to read the photographs (ms)',
  'durations.trainMs': 'Time to train (ms)',
  'durations.evaluateMs': 'Time to test (ms)',
  promotedAt: 'Put in production',
};
const bumpKind = (bump: string): string =>
  bump === 'first' ? 'the first version' : BUMP_MEANING[bump] ? `${bump}: ${BUMP_MEANING[bump]}` : bump;

function lineageRow(name: string, value: string): { name: string; value: string } {
  return {
    name: LINEAGE_NAMES[name] ?? humanise(name),
    value: name === 'bump' ? bumpKind(value) : value,
  };
}

/** One object's changed answer, as the home page lists it. */
function changeWords({ before, after }: AnnotationChange): string {
  if (before !== null && after !== null) return `the model now says “${after}” where it said “${before}”`;
  if (after !== null) return `the model now says “${after}” (its guess waited for staff before)`;
  return `the model’s guess now waits for staff (it said “${before}”)`;
}

/** The catalogue as downloadable JSON and CSV (one row per object), written in pieces when changed. */
async function writeDownloads({
  catalogue,
  addresses,
  publicDir,
  written,
}: {
  catalogue: Catalogue;
  /** The saved addresses (savedAddressesFile), as they are published: without what only the build needs. */
  addresses: string;
  publicDir: string;
  written: Set<string>;
}): Promise<void> {
  const dir = path.join(publicDir, 'data');
  const file = (name: string) => {
    written.add(path.join(dir, name));
    return path.join(dir, name);
  };
  const download = {
    generatedAt: catalogue.generatedAt,
    collection: catalogue.collection,
    labels: catalogue.labels,
    objects: catalogue.objects,
  };
  await writePiecesIfChanged({
    file: file('catalogue.json'),
    pieces: jsonPieces(download, 'objects', ({ slug: _slug, images: _images, alt: _alt, ...o }: CatalogueObject) => o),
  });
  // Each object's address, in the shape of .vitrine/cache/catalogue-slugs.json: when CI's cache is gone,
  // the catalogue action puts the published copy there, so addresses outlive the cache (docs/security-addresses.md),
  // and so do the pages of objects that left the catalogue.
  const { objects } = catalogue;
  await writeIfChanged({ file: file('addresses.json'), data: addresses });
  // The object-number index the search and 404 pages read, one small piece per number key's hash (slug-rules.ts
  // numberIndex, the rule the pages read it by): every piece is written, empty ones too, so a number no object has
  // is a piece without it, not a missing file. Every build compares and rewrites them all: a site built with an
  // older index's form (keyed by plain address) has its pieces rewritten by the next build. The objects that left
  // are in it too, marked so: the 404 page offers their pages for a number typed as printed, the search page never.
  await mkdir(path.join(dir, 'numbers'), { recursive: true });
  const left = catalogue.departed.map((d) => ({ id: d.number, slug: d.slug, left: { now: d.now?.number ?? null } }));
  for (const [name, piece] of numberIndex([...objects, ...left]))
    await writeIfChanged({ file: file(`numbers/${name}.json`), data: JSON.stringify(piece) });
  // The dates that are or begin an object number ("c1900" of "C.1900.1"), pieced alike: the search page reads the one
  // piece of a date typed to search it as typed, not by its year (slug-rules.ts numberDateIndex).
  await mkdir(path.join(dir, 'number-dates'), { recursive: true });
  for (const [name, keys] of numberDateIndex(objects))
    await writeIfChanged({ file: file(`number-dates/${name}.json`), data: JSON.stringify(keys) });
  const first = catalogue.objects[0];
  const columns = Object.keys(first ? csvRow(first) : { id: '' });
  await writePiecesIfChanged({ file: file('catalogue.csv'), pieces: csvPieces(catalogue.objects, columns) });
  await writeIfChanged({
    file: file('datapackage.json'),
    data: JSON.stringify(dataPackage({ catalogue, columns }), null, 2),
  });
}

/**
 * The CSV, a thousand rows a piece (the same bytes as the whole table stringified at once), after the UTF-8
 * byte-order mark: without it, Excel on Windows reads the file in the computer's own code page and garbles accented
 * text ("Valparaíso" as "ValparaÃ­so"). Readers of the file skip the mark (csv-parse: `bom: true`); datapackage.json
 * says so: its encoding is "utf-8-sig" (dataPackage).
 */
function* csvPieces(objects: CatalogueObject[], columns: string[]): Generator<string> {
  yield '\uFEFF';
  if (objects.length === 0) yield stringify([], { header: true, columns });
  for (let i = 0; i < objects.length; i += 1000) {
    const rows = objects.slice(i, i + 1000).map((o) => {
      const r = csvRow(o);
      for (const [k, v] of Object.entries(r)) r[k] = spreadsheetText(v);
      return r;
    });
    yield stringify(rows, { header: i === 0, columns });
  }
}

/**
 * A cell a spreadsheet would read as a formula (its first character after spaces or a line break is
 * = + - @, or their full-width forms), quoted with ' so it shows as text (OWASP's CSV injection
 * advice). A plain number such as -500 cannot be a formula and is left as it is.
 */
export function spreadsheetText(value: string): string {
  if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  return /^[\s]*[=+\-@＝＋－＠]/u.test(value) && value.trim() !== '-' ? `'${value}` : value;
}

/** One object's row of the CSV download. */
function csvRow(o: CatalogueObject): Record<string, string> {
  return {
    id: o.id,
    title: o.title,
    maker: o.maker,
    date: o.date,
    department: o.department,
    medium: o.medium,
    credit_line: o.creditLine,
    rights: o.rights,
    rights_uri: o.rightsStatement.uri ?? '',
    description: o.description,
    year_start: o.years ? String(o.years.start) : '',
    year_end: o.years ? String(o.years.end) : '',
    label: o.label ?? '',
    predicted_label: o.annotation?.label ?? '',
    confidence: o.annotation ? o.annotation.confidence.toFixed(4) : '',
    model_version: o.annotation?.modelVersion ?? '',
    // The site withholds a guess below its type's threshold; the download must not pass it off as published.
    published: o.annotation ? (o.annotation.published ? 'yes' : 'no') : '',
    needs_review: o.needsReview ? 'yes' : 'no',
    colours: o.colours.map((c) => `${c.name} ${c.hex}`).join('; '),
    // Last: a column added after the others keeps theirs where a reader by position found them.
    photograph_shown: photographShown(o),
  };
}

/** What the site shows of an object's photograph, in the words of the CSV's photograph_shown column. */
function photographShown(o: CatalogueObject): 'full' | 'small' | 'not shown' | 'no photograph' {
  if (o.withheld) return o.withheld.shown === 'thumbnail' ? 'small' : 'not shown';
  return o.images.length > 0 ? 'full' : 'no photograph';
}

/** Types and descriptions of the CSV columns, for the data package's table schema. */
const COLUMNS: Record<string, { type: string; description: string; extra?: Record<string, unknown> }> = {
  id: { type: 'string', description: "The museum's object number" },
  title: { type: 'string', description: 'Title' },
  maker: { type: 'string', description: 'Maker' },
  date: { type: 'string', description: 'Date as the museum wrote it' },
  department: { type: 'string', description: 'Department' },
  medium: { type: 'string', description: 'Medium or material' },
  credit_line: { type: 'string', description: 'Credit line' },
  rights: { type: 'string', description: 'Rights as the museum wrote them' },
  rights_uri: {
    type: 'string',
    description: 'The rights as a Creative Commons or rightsstatements.org URI (empty: not recognised)',
  },
  description: { type: 'string', description: 'Description' },
  year_start: { type: 'integer', description: 'First year the date covers (negative: BCE; empty: undated)' },
  year_end: { type: 'integer', description: 'Last year the date covers (negative: BCE; empty: undated)' },
  label: { type: 'string', description: 'Object type given by staff (labels.csv); empty: not labelled yet' },
  predicted_label: { type: 'string', description: "The promoted model's predicted object type" },
  confidence: { type: 'number', description: "The model's probability for its prediction (0-1)" },
  model_version: { type: 'string', description: 'Model version that made the prediction' },
  published: {
    type: 'boolean',
    description:
      'Whether the museum publishes the prediction; no: below the confidence it asks for that type (the site says ' +
      '"Not sure: waiting for staff"), a type it publishes none of this model’s guesses of ("Not published: model not ' +
      'yet reliable on this type"), its photograph is unlike those the model learned from, or staff gave the object a type the ' +
      'model does not know (predicted_label is then only its nearest type)',
    extra: { trueValues: ['yes'], falseValues: ['no'] },
  },
  needs_review: {
    type: 'boolean',
    description: 'In the review queue',
    extra: { trueValues: ['yes'], falseValues: ['no'] },
  },
  colours: { type: 'string', description: 'Dominant colours: "name #hex" separated by "; "' },
  photograph_shown: {
    type: 'string',
    description:
      'What the site shows of the photograph (catalogue.images, by the rights of every object that shares it): ' +
      '"full" (every size, zoom, download when the rights allow it), "small" (one small picture, for copyright ' +
      'reasons), "not shown" (for copyright reasons), "no photograph" (none yet, or it cannot be used)',
    extra: { constraints: { enum: ['full', 'small', 'not shown', 'no photograph'] } },
  },
};

/**
 * The package's `licenses`: the standard statements its objects' rights are read as (rightsOf), the most objects'
 * first, then by address. Rights not recognised name none; with none recognised there is no `licenses`.
 */
function licensesOf(catalogue: Catalogue): { licenses?: { path: string; title: string }[] } {
  const seen = new Map<string, { path: string; title: string; n: number }>();
  for (const o of catalogue.objects) {
    const { uri, label } = o.rightsStatement;
    if (!uri) continue;
    const entry = seen.get(uri) ?? { path: uri, title: label, n: 0 };
    entry.n++;
    seen.set(uri, entry);
  }
  const licenses = [...seen.values()]
    .sort((a, b) => b.n - a.n || (a.path < b.path ? -1 : 1))
    .map(({ path, title }) => ({ path, title }));
  return licenses.length ? { licenses } : {};
}

/** A Frictionless data package (https://specs.frictionlessdata.io/data-package/) describing the downloads. */
function dataPackage({ catalogue, columns }: { catalogue: Catalogue; columns: string[] }): Record<string, unknown> {
  const name = nameSlug(catalogue.collection).replace(/^-+|-+$/g, '') || 'collection';
  return {
    profile: 'tabular-data-package',
    name: `${name}-catalogue`,
    title: `${catalogue.collection}: online collection data`,
    description:
      "Object metadata, staff labels and the promoted model's predicted labels, one row per object. Rights in " +
      'images vary per object (rights, rights_uri); licenses lists the standard statements they are given under.',
    created: catalogue.generatedAt,
    // The records' language (catalogue.language), as Frictionless's language-support pattern writes it (the first is
    // the data's); only when not English, so other collections' files stay as they were.
    ...(catalogue.language && !/^en(?:-|$)/i.test(catalogue.language) ? { languages: [catalogue.language] } : {}),
    ...licensesOf(catalogue),
    ...(catalogue.repository ? { homepage: `https://github.com/${catalogue.repository}` } : {}),
    resources: [
      {
        profile: 'tabular-data-resource',
        name: 'catalogue',
        path: 'catalogue.csv',
        format: 'csv',
        mediatype: 'text/csv',
        // UTF-8 after the byte-order mark csvPieces writes (for Excel): "utf-8-sig", the name Python and frictionless-py
        // (its describe) give such a file. With "utf-8", Python's csv read the first column as "\ufeffid".
        encoding: 'utf-8-sig',
        schema: {
          fields: columns.map((c) => ({
            name: c,
            type: COLUMNS[c]?.type ?? 'string',
            description: COLUMNS[c]?.description ?? '',
            ...(COLUMNS[c]?.extra ?? {}),
          })),
          primaryKey: 'id',
          missingValues: [''],
        },
      },
      {
        profile: 'data-resource',
        name: 'catalogue-json',
        path: 'catalogue.json',
        format: 'json',
        mediatype: 'application/json',
        encoding: 'utf-8',
        description: 'The same objects with every alternative the model considered',
      },
    ],
  };
}

/**
 * The objects whose photograph the last build held back for its rights (catalogue.images), in .vitrine/cache:
 * `withheld` (every one), `notShown` (those not shown at all; the others were shown small). A file of `withheld` alone
 * was written before it kept how (readWithheld). `rightsReading` (RIGHTS_READING) and `readAs` (the rights texts it
 * read as open, and as unknown) say how it read the texts, so that the next build can tell a photograph held back by a
 * new reading of an unchanged text from one held back by the setting or by a text changed in the export.
 */
function withheldFile(ws: Workspace): string {
  return path.join(ws.cache, 'catalogue-withheld.json');
}

/** What the last build held back, and how it read the rights texts (withheldFile). */
interface LastWithheld {
  /** The objects it held back, by how it showed them (`none`, `thumbnail`); null for one whose way is not known. */
  shown: Map<string, Withheld['shown'] | null>;
  /** The reading of the rights texts it read them by (RIGHTS_READING); null when not recorded (before reading 5). */
  reading: number | null;
  /**
   * The rights texts it read as open or as unknown; null when not recorded, or when the text each object had is not
   * (a file written before review V5), which the reading of an object's text cannot be told without.
   */
  readAs: Map<string, 'open' | 'unknown'> | null;
  /** The rights text each object read as open or unknown had, by id (with readAs). */
  textOf: Map<string, string>;
}

/**
 * The objects the last build held back, by how it showed them, from withheldFile, with how it read the rights texts.
 * Null when there is no file or it cannot be read (cut short, not JSON, no list): the last catalogue.json is read
 * instead (withheldIn).
 */
async function readWithheld(file: string): Promise<LastWithheld | null> {
  const out = new Map<string, Withheld['shown'] | null>();
  const saved = await readFile(file, 'utf8')
    .then(
      (text) =>
        JSON.parse(text) as {
          withheld?: unknown;
          notShown?: unknown;
          rightsReading?: unknown;
          readAs?: unknown;
          rights?: unknown;
        },
    )
    .catch(() => null);
  const ids = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((id): id is string => typeof id === 'string') : [];
  if (!saved || typeof saved !== 'object' || !Array.isArray(saved.withheld)) return null;
  const none = Array.isArray(saved.notShown) ? new Set(ids(saved.notShown)) : null;
  for (const id of ids(saved.withheld)) out.set(id, none ? (none.has(id) ? 'none' : 'thumbnail') : null);
  const reading = typeof saved.rightsReading === 'number' ? saved.rightsReading : null;
  const texts = saved.readAs as { open?: unknown; unknown?: unknown } | null | undefined;
  let readAs: LastWithheld['readAs'] = null;
  const textOf = new Map<string, string>();
  const rights = saved.rights;
  if (reading !== null && texts && typeof texts === 'object' && rights && typeof rights === 'object') {
    readAs = new Map();
    for (const t of ids(texts.unknown)) readAs.set(t, 'unknown');
    for (const t of ids(texts.open)) readAs.set(t, 'open');
    for (const [id, t] of Object.entries(rights)) if (typeof t === 'string') textOf.set(id, t);
  }
  return { shown: out, reading, readAs, textOf };
}

/**
 * The objects the last build held back, by how it showed them, from its catalogue.json (`file`): for a cache that lost
 * withheldFile. A catalogue.json from before catalogue.images held none back. Null when there is none to read.
 */
async function withheldIn(file: string): Promise<Map<string, Withheld['shown'] | null> | null> {
  const last = (await readJsonOrNull({ file }).catch(() => null)) as { objects?: unknown } | null;
  if (!last || !Array.isArray(last.objects)) return null;
  const out = new Map<string, Withheld['shown'] | null>();
  for (const o of last.objects as { id?: unknown; withheld?: { shown?: unknown } | null }[]) {
    const shown = o?.withheld?.shown;
    if (typeof o?.id === 'string' && (shown === 'none' || shown === 'thumbnail')) out.set(o.id, shown);
  }
  return out;
}

/**
 * Said once, by the first build that holds back photographs the last build showed in full (a museum that upgraded to
 * a Vitrine whose default shows works in copyright small, or made catalogue.images stricter): how many, which setting,
 * how to keep them. The objects held back are kept in .vitrine/cache for the next build to compare, else read from the
 * last catalogue.json; one whose objects have none (from before the setting existed) showed every photograph in full.
 * With neither (CI's cache evicted), nothing is said. Said once too, by the first
 * build that shows in full photographs the last build held back (sayNewlyShown).
 */
async function sayNewlyWithheld({
  ws,
  objects,
  lastIds,
  lastCatalogue,
  rules,
  images,
  shared,
  log,
}: {
  ws: Workspace;
  objects: CatalogueObject[];
  lastIds: Set<string>;
  /** The last build's catalogue.json, read when withheldFile is gone. */
  lastCatalogue: string;
  rules: ImageRules;
  /** Each object's image file under data/ (dataset.json `image`), to name the photographs. */
  images: Map<string, string>;
  /** The objects that share one photograph and whose rights differ (datasetPhotographRules `disagree`). */
  shared: string[][];
  log: Logger;
}): Promise<void> {
  const file = withheldFile(ws);
  // A file cut short or garbled is as good as gone (review V4): read as if it were not there.
  const saved = await readWithheld(file);
  const before = saved?.shown ?? (await withheldIn(lastCatalogue));
  const held = objects.filter((o) => o.withheld);
  // The texts read as open or unknown: a later build under another reading tells what it reads otherwise.
  const readAs = { open: new Set<string>(), unknown: new Set<string>() };
  // And the text each of those objects had: an object whose text was edited to one another object had is not read
  // otherwise by a new reading (review V5: looked up by the text alone, it was said to be unchanged).
  const textOf: Record<string, string> = {};
  for (const o of objects) {
    const group = rightsGroup(o.rightsStatement);
    if (group === 'in_copyright') continue;
    readAs[group].add(o.rights);
    textOf[o.id] = o.rights;
  }
  await writeIfChanged({
    file,
    data: JSON.stringify({
      about:
        'Objects whose photograph the last catalogue build held back (withheld), and of those not shown at all; the ' +
        'rights texts it read as open or unknown, the reading it read them by, and the text each object read so had',
      withheld: held.map((o) => o.id),
      notShown: held.filter((o) => o.withheld!.shown === 'none').map((o) => o.id),
      rightsReading: RIGHTS_READING,
      readAs: { open: [...readAs.open], unknown: [...readAs.unknown] },
      rights: textOf,
    }),
  });
  // Read as an open licence by this version, not recognised by the one that made the last build, the text unchanged:
  // a licence and a download the public now sees that no one at the museum chose (tester T15: "Video and metadata -
  // CC0" given CC0 and a download on upgrade, without a word).
  const lastRead = saved?.readAs;
  if (lastRead && saved.reading !== RIGHTS_READING) {
    const opened = objects.filter(
      (o) =>
        rightsGroup(o.rightsStatement) === 'open' &&
        saved.textOf.get(o.id) === o.rights &&
        lastRead.get(o.rights) === 'unknown',
    );
    if (opened.length) log.warn(readOpenAnewWords({ opened }));
  }
  // Neither the cache's list nor the last catalogue.json (CI keeps only .vitrine/cache, which GitHub evicts after 7
  // days unused): what the last build showed is not known, and nothing is said of it (review V3).
  if (!before) return;
  // Held back by the last build, shown in full by this one: not an object whose photograph is gone (no pictures).
  const shown = objects.filter((o) => before.has(o.id) && lastIds.has(o.id) && !o.withheld && o.images.length > 0);
  if (shown.length) log.warn(newlyShownWords({ shown, rules, images }));
  // Not shown by the last build, shown small by this one (a picture goes public), and the other way. Not said of a
  // last build whose file kept only ids: how it showed them is not known.
  const was = (o: CatalogueObject, how: Withheld['shown']) => lastIds.has(o.id) && before.get(o.id) === how;
  const nowSmall = held.filter((o) => o.withheld!.shown === 'thumbnail' && o.images.length > 0 && was(o, 'none'));
  if (nowSmall.length) log.warn(newlyShownSmallWords({ shown: nowSmall, rules, images }));
  // A photograph whose rights text says not to publish it is said of by every build (sayNotForPublication), and no
  // setting of catalogue.images shows it: not named again here with a setting to change.
  const forbidden = (o: CatalogueObject) => o.withheld!.reason === 'not-for-publication';
  const nowNone = held.filter((o) => o.withheld!.shown === 'none' && was(o, 'thumbnail') && !forbidden(o));
  if (nowNone.length) log.warn(noLongerSmallWords({ hidden: nowNone, rules }));
  const newlyHeld = held.filter((o) => lastIds.has(o.id) && !before.has(o.id) && !forbidden(o));
  if (newlyHeld.length === 0) return;
  // Held back because this Vitrine reads an unchanged rights text otherwise (RIGHTS_READING raised): not the setting's
  // doing, and not to be undone by it (task R5).
  const readAnew = await readOtherwise({ objects: newlyHeld, saved, lastCatalogue });
  const anew = newlyHeld.filter((o) => readAnew.was.has(o.id));
  // After going back to an older Vitrine (review V5), its reading is not "more careful": it is older.
  const older = saved?.reading != null && saved.reading > RIGHTS_READING;
  if (anew.length) log.warn(readAnewWords({ held: anew, was: readAnew.was, images, older }));
  // Held back with a photograph they share with one read otherwise: not the setting's doing either (review V5: the
  // build said to set in_copyright: full for them).
  const sharer = new Map<string, string>();
  for (const ids of shared) {
    const anewId = ids.find((id) => readAnew.was.has(id));
    if (anewId) for (const id of ids) if (!readAnew.was.has(id)) sharer.set(id, anewId);
  }
  const withShared = newlyHeld.filter((o) => sharer.has(o.id));
  if (withShared.length) log.warn(sharedReadAnewWords({ held: withShared, sharer, images }));
  const newly = newlyHeld.filter((o) => !readAnew.was.has(o.id) && !sharer.has(o.id));
  if (newly.length === 0) return;
  const small = newly.filter((o) => o.withheld!.shown === 'thumbnail').length;
  const none = newly.length - small;
  const how =
    small && none ? `shown small (${small}) or not at all (${none})` : small ? 'shown small' : 'not shown at all';
  const keys = [
    ...(newly.some((o) => o.withheld!.reason === 'in-copyright') ? ['catalogue.images.in_copyright: full'] : []),
    ...(newly.some((o) => o.withheld!.reason === 'rights-unknown') ? ['catalogue.images.unknown: full'] : []),
  ];
  const n = newly.length;
  const one = n === 1;
  const examples = newly.slice(0, 3).map((o) => `"${o.id}"`);
  const said = `in_copyright: ${rules.in_copyright}, unknown: ${rules.unknown}`;
  const setting = `catalogue.images in params.yaml says (${said})`;
  const newlyHow =
    `Catalogue: ${n} ${one ? 'photograph' : 'photographs'} the last build showed in full ${one ? 'is' : 'are'} ` +
    `now ${how} because of ${one ? 'its' : 'their'} rights`;
  const heldBack = `${newlyHow} (${examples.join(', ')}${n > 3 ? '…' : ''})`;
  // A field's text on one line, cut to 80 characters (an export's field may hold line breaks: reviewer V29).
  const quoted = (text: string) => {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > 80 ? `${line.slice(0, 79)}…` : line;
  };
  if (readAnew.unsure) {
    // Another reading made the last build, and what it read each text as is not known: the reading may be why, or the
    // setting. Correcting the rights comes first; the setting only if it was changed on purpose.
    const first = newly[0]!;
    const now = first.rightsStatement.uri === null ? 'a text not recognised' : first.rightsStatement.label;
    const text = quoted(first.rights);
    log.warn(
      `${heldBack}. This version of Vitrine ` +
        (older
          ? 'is older than the one that made the last build, and reads rights statements otherwise'
          : 'reads rights statements more carefully than the one that made the last build') +
        `, which may be why (${one ? '' : 'the first: '}"${text}", now read as ${now}); the last build did ` +
        `not keep how it read the texts. ${one ? 'It is' : 'They are'} shown as ${setting}. If the museum knows ` +
        `${one ? 'it is' : 'one is'} open (its licence covers the work, not only the photograph), correct ` +
        `${one ? 'its' : 'that object’s'} rights field in the collection system or its export (the licence alone, ` +
        'as "CC BY 4.0") and import it again. Only ' +
        `if catalogue.images in params.yaml was made stricter on purpose, set ${keys.join(' and ')} to show ` +
        `${one ? 'it' : 'them'} as before, once you are sure the licences allow it (docs/catalogue.md, "Rights").`,
    );
    return;
  }
  // Each object named with its text and how it was read: a text changed in the export (to "© …", say) is corrected
  // there. The setting is a rule for every photograph of its kind, not a way to show this one (tester T12: the build
  // said to set in_copyright: full "to show it in full as before", which shows every In Copyright photograph).
  const named = newly.slice(0, 3).map((o) => {
    const as = o.rightsStatement.uri === null ? 'a text not recognised' : o.rightsStatement.label;
    return `"${o.id}" has the rights text "${quoted(o.rights)}", read as ${as}`;
  });
  // "The licence covers the work" fits a text read as In Copyright for naming the photograph's holder, not one not
  // recognised (reviewer V29).
  const why = newly.some((o) => o.withheld!.reason === 'in-copyright')
    ? ' (the licence covers the work, not only the photograph)'
    : '';
  const every = [
    ...(keys.includes('catalogue.images.in_copyright: full') ? ['every In Copyright photograph'] : []),
    ...(keys.includes('catalogue.images.unknown: full')
      ? ['every photograph whose rights are not recorded or not recognised']
      : []),
  ];
  log.warn(
    `${newlyHow}, as ${setting}: ${named.join('; ')}${n > 3 ? `; and ${n - 3} more` : ''}. If ` +
      `${one ? 'that text is' : 'a text is'} wrong${why}, ` +
      'correct that object’s rights field in the collection system or its export and import it again: that is how ' +
      `to show ${one ? 'it' : 'them'} in full. Setting ${keys.join(' and ')} would show ${every.join(' and ')} in ` +
      `full, not only ${one ? 'this one' : 'these'}: set ${keys.length > 1 ? 'them' : 'it'} only if ` +
      'catalogue.images was made stricter on purpose and you are sure all their licences allow it ' +
      '(docs/catalogue.md, "Photographs and copyright").',
  );
}

/**
 * Of objects this build newly holds back, those the last build read otherwise with the same rights text: how it read
 * each (a statement's name, or "open", "unknown rights"), by id. From withheldFile when it says how it read the texts
 * under another reading than this one's; when it does not say (written before reading 5), from the last catalogue.json,
 * each object's text and statement (the same text read otherwise can only be a new reading). `unsure`: the list says
 * the last build read the texts by another reading (or by one before reading 5, which kept none), but neither says how.
 */
async function readOtherwise({
  objects,
  saved,
  lastCatalogue,
}: {
  objects: CatalogueObject[];
  saved: LastWithheld | null;
  lastCatalogue: string;
}): Promise<{ was: Map<string, string>; unsure: boolean }> {
  const was = new Map<string, string>();
  if (saved?.readAs) {
    if (saved.reading === RIGHTS_READING) return { was, unsure: false };
    for (const o of objects) {
      // Its text as the last build had it: one edited since is not read otherwise, whatever another object had.
      if (saved.textOf.get(o.id) !== o.rights) continue;
      const group = saved.readAs.get(o.rights);
      if (group && group !== rightsGroup(o.rightsStatement))
        was.set(o.id, group === 'open' ? 'open' : 'unknown rights');
    }
    return { was, unsure: false };
  }
  const last = (await readJsonOrNull({ file: lastCatalogue }).catch(() => null)) as { objects?: unknown } | null;
  // A list from before reading 5 and no catalogue.json (CI's): the reading changed, but what it read is not known.
  if (!last || !Array.isArray(last.objects)) return { was, unsure: saved !== null && saved.reading !== RIGHTS_READING };
  const wanted = new Map(objects.map((o) => [o.id, o]));
  for (const l of last.objects as { id?: unknown; rights?: unknown; rightsStatement?: unknown }[]) {
    const o = typeof l?.id === 'string' ? wanted.get(l.id) : undefined;
    const statement = l?.rightsStatement as { uri?: unknown; label?: unknown } | null | undefined;
    if (!o || l.rights !== o.rights || !statement || typeof statement !== 'object') continue;
    const uri = typeof statement.uri === 'string' ? statement.uri : null;
    if (rightsGroup({ uri }) === rightsGroup(o.rightsStatement)) continue;
    was.set(o.id, uri !== null && typeof statement.label === 'string' ? statement.label : 'a text not recognised');
  }
  return { was, unsure: false };
}

/**
 * What a build says of the photographs it newly holds back because this Vitrine reads their unchanged rights text
 * otherwise than the one that made the last build: which, the statements and how they are read now and were read then,
 * and how the museum corrects one it knows is open (in the export, not catalogue.images: that would show every work
 * in copyright in full).
 */
function readAnewWords({
  held,
  was,
  images,
  older,
}: {
  held: CatalogueObject[];
  /** How the last build read each one's text, by id. */
  was: Map<string, string>;
  images: Map<string, string>;
  /** The last build was made by a newer reading (a museum went back to an older Vitrine). */
  older: boolean;
}): string {
  const n = held.length;
  const small = held.filter((o) => o.withheld!.shown === 'thumbnail').length;
  const none = n - small;
  const how =
    small && none ? `shown small (${small}) or not at all (${none})` : small ? 'shown small' : 'not shown at all';
  const text = (t: string) => (t.length > 80 ? `${t.slice(0, 79)}…` : t);
  const statements = new Map<string, string>();
  for (const o of held) {
    if (statements.has(o.rights)) continue;
    const now = o.rightsStatement.uri === null ? 'a text not recognised' : o.rightsStatement.label;
    statements.set(o.rights, `"${text(o.rights)}", now read as ${now}, was read as ${was.get(o.id)}`);
  }
  const listed = [...statements.values()];
  const more = listed.length > 2 ? `; and ${listed.length - 2} more` : '';
  const one = n === 1;
  return (
    `Catalogue: ${n} ${one ? 'photograph' : 'photographs'} the last build showed in full ${one ? 'is' : 'are'} ` +
    `now ${how} (${namedPhotographs(held, images)}): this version of Vitrine ` +
    (older
      ? `is older than the one that made the last build, and reads ${one ? 'its' : 'their'} rights statement otherwise `
      : `reads ${one ? 'its' : 'their'} rights statement more carefully than the one that made the last build `) +
    `(${listed.slice(0, 2).join('; ')}${more}). ` +
    `${one ? 'Its rights text has' : 'Their rights texts have'} not changed since the last build. If the museum ` +
    `knows ${one ? 'it is' : 'one is'} open (its licence covers the work, not only the photograph), correct ` +
    `${one ? 'its' : 'that object’s'} rights field in the collection system or its export (the licence alone, as ` +
    '"CC BY 4.0") and import it again: a photograph shown in full by mistake is the museum’s legal risk, one shown ' +
    'small is not (docs/catalogue.md, "Rights").'
  );
}

/**
 * What a build says of the photographs it newly holds back because they are also the photograph of an object whose
 * rights text this Vitrine reads otherwise (readAnewWords): a shared photograph is shown as the strictest of its
 * objects' rights asks. Which objects, with which, and that the other object's rights are what to correct.
 */
function sharedReadAnewWords({
  held,
  sharer,
  images,
}: {
  held: CatalogueObject[];
  /** The object read otherwise that each one shares its photograph with, by id. */
  sharer: Map<string, string>;
  images: Map<string, string>;
}): string {
  const n = held.length;
  const one = n === 1;
  const small = held.filter((o) => o.withheld!.shown === 'thumbnail').length;
  const none = n - small;
  const how =
    small && none ? `shown small (${small}) or not at all (${none})` : small ? 'shown small' : 'not shown at all';
  const others = [...new Set(held.map((o) => sharer.get(o.id)!))];
  const named = others.slice(0, 3).map((id) => `"${id}"`);
  const otherWords = `${named.join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''}`;
  const sharers = others.length === 1 ? `object ${otherWords}, whose` : `objects ${otherWords}, whose`;
  return (
    `Catalogue: ${n} ${one ? 'photograph' : 'photographs'} the last build showed in full ${one ? 'is' : 'are'} ` +
    `now ${how} (${namedPhotographs(held, images)}): ` +
    `${one ? 'it is held back with the photograph it shares' : 'they are held back with the photographs they share'} ` +
    `with ${sharers} rights text this version of Vitrine now reads otherwise (said above); a shared photograph is ` +
    'shown as the strictest of its objects’ rights asks. ' +
    `${one ? 'Its own rights text has' : 'Their own rights texts have'} not changed. If the museum knows ` +
    `the photograph is open, correct the rights field of ${others.length === 1 ? 'that object' : 'those objects'} in ` +
    'the collection system or its export (the licence alone, as "CC BY 4.0") and import it again (docs/catalogue.md, ' +
    '"Rights").'
  );
}

/** Three objects named with their photograph, the rest counted: "a" (data/images/a.jpg), "b", "c" and 2 more. */
function namedPhotographs(list: CatalogueObject[], images: Map<string, string>): string {
  const named = list.slice(0, 3).map((o) => `"${o.id}"${images.get(o.id) ? ` (data/${images.get(o.id)})` : ''}`);
  return list.length > 3 ? `${named.join(', ')} and ${list.length - 3} more` : named.join(', ');
}

/**
 * The settings of catalogue.images that show these objects' photographs as they are now (by why each is held back:
 * in copyright or rights unknown), and what each says: "catalogue.images.in_copyright: thumbnail".
 */
function settingsOf(list: CatalogueObject[], rules: ImageRules): { key: string; said: string; n: number }[] {
  return (['in_copyright', 'unknown'] as const)
    .map((key) => {
      const reason = key === 'in_copyright' ? 'in-copyright' : 'rights-unknown';
      const n = list.filter((o) => o.withheld!.reason === reason).length;
      return { key: `catalogue.images.${key}`, said: `catalogue.images.${key}: ${rules[key]}`, n };
    })
    .filter((s) => s.n > 0);
}

/**
 * What a build says of the photographs the last build did not show for their rights and this one shows small: a
 * picture of them is now on the public site. Which objects and photographs, why (in copyright, or rights unknown, and
 * the setting that shows them small), and how to hold them back again.
 */
function newlyShownSmallWords({
  shown,
  rules,
  images,
}: {
  shown: CatalogueObject[];
  rules: ImageRules;
  images: Map<string, string>;
}): string {
  const n = shown.length;
  const settings = settingsOf(shown, rules);
  const why = settings.map(({ key, said, n: k }) => {
    const all = k === n;
    const who = key.endsWith('in_copyright')
      ? `${all ? (n === 1 ? 'it is' : 'they are') : `${k} ${k === 1 ? 'is' : 'are'}`} in copyright`
      : `${all ? (n === 1 ? 'its rights are' : 'their rights are') : `${k} ${k === 1 ? 'has' : 'have'} rights`} ` +
        'not recorded or not recognised';
    return `${who}, shown small as ${said} in params.yaml says`;
  });
  return (
    `Catalogue: ${n} ${n === 1 ? 'photograph' : 'photographs'} the last build did not show for ` +
    `${n === 1 ? 'its rights is' : 'their rights are'} now shown small (one picture of at most ` +
    `${rules.thumbnail_max} pixels) on the public site (${namedPhotographs(shown, images)}): ${why.join('; ')}. ` +
    `Anyone can copy a picture on the site, a small one too: check that ${
      n === 1 ? 'its licence allows' : 'their licences allow'
    } it. To show none, set ${settings.map((s) => `${s.key}: none`).join(' and ')} in params.yaml ` +
    '(docs/catalogue.md, "Photographs and copyright").'
  );
}

/**
 * What a build says of the photographs the last build showed small and this one does not show at all: which objects,
 * the setting that says so, and how to show them small as before.
 */
function noLongerSmallWords({ hidden, rules }: { hidden: CatalogueObject[]; rules: ImageRules }): string {
  const n = hidden.length;
  const examples = hidden.slice(0, 3).map((o) => `"${o.id}"`);
  const settings = settingsOf(hidden, rules);
  return (
    `Catalogue: ${n} ${
      n === 1 ? 'photograph the last build showed small is' : 'photographs the last build showed small are'
    } now not shown at all because of ${n === 1 ? 'its' : 'their'} rights (${examples.join(', ')}${
      n > 3 ? ` and ${n - 3} more` : ''
    }), as catalogue.images in params.yaml says (in_copyright: ${rules.in_copyright}, unknown: ${rules.unknown}). ` +
    `To show ${n === 1 ? 'it' : 'them'} small as before, set ${settings.map((s) => `${s.key}: thumbnail`).join(' and ')}` +
    ' (docs/catalogue.md, "Photographs and copyright").'
  );
}

/**
 * What a build says of the photographs the last build held back for their rights and this one shows in full (an
 * upgrade that reads more rights texts as open, rights corrected in the export, a laxer catalogue.images): which objects
 * and photographs, three named and the rest counted, and why, so that the museum sees what goes public that did not.
 */
/** The objects whose unchanged rights text this version reads as an open licence where the last build did not. */
function readOpenAnewWords({ opened }: { opened: CatalogueObject[] }): string {
  const n = opened.length;
  const one = n === 1;
  const text = (t: string) => {
    const line = t.replace(/\s+/g, ' ').trim();
    return line.length > 80 ? `${line.slice(0, 79)}…` : line;
  };
  const named = opened.slice(0, 3).map((o) => `"${o.id}" "${text(o.rights)}", now read as ${o.rightsStatement.label}`);
  const downloads = opened.filter((o) => o.rightsStatement.download).length;
  const which = downloads === n ? (one ? 'its photograph' : 'their photographs') : `${downloads} of their photographs`;
  const offered = downloads === 0 ? '' : ` and offers ${which} for download`;
  return (
    `Catalogue: this version of Vitrine reads the rights text of ${n} ${one ? 'object' : 'objects'} as an open ` +
    `licence that the version which made the last build did not recognise (${one ? 'its text has' : 'their texts have'} ` +
    `not changed): ${named.join('; ')}${n > 3 ? `; and ${n - 3} more` : ''}. The public site now gives ` +
    `${one ? 'it' : 'them'} that licence${offered}. If a text does not mean the photograph is free to use, correct ` +
    'that object’s rights field in the collection system or its export and import it again (docs/catalogue.md, "Rights").'
  );
}

function newlyShownWords({
  shown,
  rules,
  images,
}: {
  shown: CatalogueObject[];
  rules: ImageRules;
  images: Map<string, string>;
}): string {
  const n = shown.length;
  const list = namedPhotographs(shown, images);
  const by = { open: [] as CatalogueObject[], in_copyright: [] as CatalogueObject[], unknown: [] as CatalogueObject[] };
  for (const o of shown) by[rightsGroup(o.rightsStatement)].push(o);
  // "its rights are…" when all are of one kind, "2 have rights…" when not.
  const all = (k: number) => k === n;
  const have = (k: number) =>
    all(k) ? (n === 1 ? 'its rights are' : 'their rights are') : `${k} ${k === 1 ? 'has' : 'have'} rights`;
  const are = (k: number) => (all(k) ? (n === 1 ? 'it is' : 'they are') : `${k} ${k === 1 ? 'is' : 'are'}`);
  const why: string[] = [];
  const first = by.open[0];
  const text = (t: string) => (t.length > 80 ? `${t.slice(0, 79)}…` : t);
  if (first)
    why.push(
      `${have(by.open.length)} read as open (${by.open.length === 1 ? '' : 'the first: '}"${text(first.rights)}", ` +
        'read as ' +
        `${first.rightsStatement.label})`,
    );
  if (by.in_copyright.length)
    why.push(
      `${are(by.in_copyright.length)} in copyright, shown in full as catalogue.images.in_copyright: ` +
        `${rules.in_copyright} in params.yaml says`,
    );
  if (by.unknown.length)
    why.push(
      `${have(by.unknown.length)} not recorded or not recognised, shown in full as catalogue.images.unknown: ` +
        `${rules.unknown} in params.yaml says`,
    );
  return (
    `Catalogue: ${n} ${n === 1 ? 'photograph' : 'photographs'} the last build held back for ` +
    `${n === 1 ? 'its rights is' : 'their rights are'} now shown in full, every size with deep zoom and IIIF, on ` +
    `the public site (${list}): ${why.join('; ')}. Anyone can copy a photograph shown in full: check that ` +
    `${n === 1 ? 'its licence allows' : 'their licences allow'} it. To hold one back, correct its rights in the ` +
    'export, or set catalogue.images in params.yaml ' +
    '(docs/catalogue.md, "Photographs and copyright").'
  );
}

/**
 * Says, once per build, which rights texts Vitrine does not recognise whose photographs are shown in full
 * (catalogue.images.unknown: full), each text with its objects (rights-unrecognised.ts): a warning, since one that is
 * not open is the museum's legal risk (tester T3, F4).
 */
function sayUnrecognised({
  objects,
  withheld,
  log,
}: {
  objects: readonly Pick<DatasetObject, 'id' | 'rights' | 'image' | 'thumbnails'>[];
  withheld: Map<string, Withheld | null>;
  log: Logger;
}) {
  const said = datasetUnrecognisedShownInFull({ objects, withheld });
  if (said) log.warn(said);
}

/**
 * Says, once per build, which objects' photographs stay off the site because their rights text says not to publish
 * them ("Culturally sensitive - do not display"): whatever catalogue.images says, so the museum sees the text was read.
 */
function sayNotForPublication({
  objects,
  log,
  year,
}: {
  objects: readonly Pick<DatasetObject, 'id' | 'rights' | 'image' | 'thumbnails'>[];
  log: Logger;
  /** This year, by the build's clock: an embargo whose year is over is said (embargoYear). */
  year: number;
}) {
  // Objects with a photograph, as datasetPhotographRules counts them: one not photographed has nothing held back.
  const photographed = objects.filter((o) => o.thumbnails?.length || o.image);
  const held = photographed.filter((o) => forbidsPublication(fieldText(o.rights ?? '')));
  if (held.length === 0) return;
  const texts = [...new Set(held.map((o) => fieldText(o.rights ?? '')))];
  const one = held.length === 1;
  const quoted = texts.slice(0, 3).map((t) => `"${clip(t)}"`);
  const moreTexts = texts.length > 3 ? ` and ${texts.length - 3} more` : '';
  const ids = held.slice(0, 10).map((o) => `"${o.id}"`);
  const moreIds = held.length > 10 ? ` and ${held.length - 10} more` : '';
  log.info(
    `${one ? '1 photograph is' : `${held.length} photographs are`} not shown at all because ` +
      `${one ? 'its rights text says' : 'their rights texts say'} not to publish ${one ? 'it' : 'them'} ` +
      `(${quoted.join(', ')}${moreTexts}): ${one ? 'object' : 'objects'} ${ids.join(', ')}${moreIds}.`,
  );
  // An embargo whose date has passed is kept all the same (embargoYear): said, with what to do, once per text.
  const passed = texts.filter((t) => (embargoYear(t) ?? year) < year);
  for (const text of passed.slice(0, 5)) {
    const of = held.filter((o) => fieldText(o.rights ?? '') === text);
    const named = of.slice(0, 3).map((o) => `"${o.id}"`);
    log.warn(
      `The embargo date of "${clip(text)}" (${of.length === 1 ? 'object' : 'objects'} ${named.join(', ')}` +
        `${of.length > 3 ? ` and ${of.length - 3} more` : ''}) has passed: the ${
          of.length === 1 ? 'photograph stays' : 'photographs stay'
        } off the site until the rights text is changed in the collection system or its export, as Vitrine does not ` +
        'end an embargo by its date. If the embargo is over, remove it from the rights text; if the date is a slip, ' +
        'correct it.',
    );
  }
  if (passed.length > 5) log.warn(`${passed.length - 5} more rights texts name an embargo whose date has passed.`);
}
