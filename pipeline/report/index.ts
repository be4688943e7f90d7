import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { slugFor } from '../catalogue/derive.ts';
import { datasetPhotographRules, type Withheld } from '../catalogue/image-rules.ts';
import { datasetUnrecognisedShownInFull } from '../catalogue/rights-unrecognised.ts';
import { parseLabels } from '../collection/index.ts';
import { MAX_ID_BYTES, MAX_LABEL_BYTES, overLimit } from '../collection/value-limits.ts';
import { labelsTextAsRead } from '../dataset/labels-as-read.ts';
import { refuseLinkedFile } from '../dataset/linked-file.ts';
import { readShownDataset } from '../dataset/read.ts';
import { agreedLabels, agreedLines, objectIdOf, spreadsheetLosses } from '../dataset/validate.ts';
import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import { labelLossWords, NO_GATE_CHECK } from '../evaluate/gate.ts';
import { renameVerb, renameWords } from '../evaluate/label-renames.ts';
import type { OofFile } from '../evaluate/oof.ts';
import { labelsToCheck, withAlpha } from '../evaluate/verdict-words.ts';
import { changedFiles, fetchBase, lastCommitTouching, readTextAtCommit, resolveCommit } from '../git/history.ts';
import { gitDir, readBytesAtRef } from '../git/repo.ts';
import { reportCommand } from '../init/invocation.ts';
import { type Logger, memoryLogger } from '../log.ts';
import type { ObjectToClassify } from '../model/predict.ts';
import type { DriftReport } from '../monitor/types.ts';
import { compareIdsNaturally } from '../natural-order.ts';
import { modelParams, type Params, validateParams } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import { evaluatedModel, folderIdentity, OTHER_MODEL_WORDS } from '../registry/identity.ts';
import { versionPublication } from '../registry/publish.ts';
import { readRegistry, showVersion } from '../registry/registry.ts';
import { rolledBackModel } from '../registry/rolled-back.ts';
import { withdrawnLabelsKept } from '../registry/withdrawn-labels.ts';
import { onlyHarmlessFiles, scoredOnDataRead } from '../stages/data-read-elsewhere.ts';
import { hashJson, hashPath } from '../stages/graph.ts';
import type { DatasetObject, LabelLine, Metrics, ModelInfo, Prediction } from '../types.ts';
import { catalogueAddresses } from './addresses.ts';
import { baseData } from './base-data.ts';
import { checkCatalogue } from './catalogue.ts';
import { diffLabels, diffParams } from './compare.ts';
import { editedObjects, editedObjectsSection } from './edited-objects.ts';
import { reportJsonToWrite } from './json-limits.ts';
import { COMMENT_ROOM, code, fitMarkdown, shortLabel, text } from './markdown.ts';
import { reportSections } from './mislabelled.ts';
import { asReadFromData, labelLossSaid, openingLines } from './opening.ts';
import { NO_PHOTO_NAMED, unusablePhotos, unusablePhotosSection } from './photos.ts';
import { publicationChanges } from './publication.ts';
import { removedObjects, removedObjectsSection } from './removed-objects.ts';
import { headline, onMainItself, renderMarkdown } from './render.ts';
import { type RepeatedLines, repeatedLines, repeatedLinesSection } from './repeated-lines.ts';
import { convertsLineEnds, savedDifferently } from './saved-as.ts';
import { statusHeadline } from './status-headline.ts';
import { tabbedLabels, tabbedLabelsSection } from './tabbed-labels.ts';
import type { LabelChange, NoBaseCode, ReportJson, TestPrediction } from './types.ts';
import { overlongIdLines, withUnknownIds } from './unknown-ids.ts';
import { withheldFieldsSection } from './withheld-fields.ts';

export { fetchBase, gitAuthHeaders } from '../git/history.ts';
export { type CatalogueStatus, checkCatalogue } from './catalogue.ts';
export { headline } from './render.ts';
export { type LabelChange, type NoBaseCode, REPORT_MARKER, type ReportJson, type TestPrediction } from './types.ts';

/** The stages whose outputs the report reads (monitor only when it ran), in pipeline order. */
/** Where the code that judges a pull request lives (its workflow, the actions, the pipeline). */
const CODE_FOLDERS = ['.github', 'actions', 'pipeline'] as const;

const UPSTREAM_STAGES = ['dataset', 'train', 'evaluate', 'monitor'] as const;

/**
 * Build the pull-request report from the stage outputs in `.vitrine/` and the git history: the
 * verdict and gate, the label changes between `base` and `head`, the scores, charts and lineage.
 * `base` is a branch, tag or commit (no base: no label or params diff); `head` defaults to the files
 * in the work tree. A base the clone does not have (a shallow checkout) is fetched from
 * `baseFetch.remote` (default origin) with `baseFetch.headers`; when that fails, the report says so
 * in its label section and goes on. Changed objects without a test prediction are shown to the
 * candidate model in `.vitrine/model/` with `predict` (default `predictObjects`; its embeddings
 * come from the content-keyed cache), their answers marked as seen in training. Publication per label is
 * compared with the metrics.json registered with the model in production (`basePublication`). `now` fixes the
 * report's time (tests).
 */
export async function buildReport({
  ws,
  params,
  base,
  baseName,
  noBase,
  head,
  catalogueUrl,
  fetch = globalThis.fetch,
  runUrl,
  baseFetch = {},
  log,
  now = new Date(),
  predict = defaultPredict,
  basePublication = registeredPublication,
}: {
  ws: Workspace;
  params: Params;
  base?: string;
  /** What the report calls the base ("main"); `branchPoint`: it is where this branch left that branch. */
  baseName?: { name: string; branchPoint: boolean };
  /**
   * Without a base: why, as a code the report decides on (`on-branch`: this run promotes) and in plain words
   * ("this run is on main itself") for the label section.
   */
  noBase?: { code: NoBaseCode; reason: string };
  head?: string;
  /**
   * The published catalogue's address given by the workflow (the GitHub Pages URL from
   * configure-pages); wins over params report.catalogue_url.
   */
  catalogueUrl?: string;
  /** For asking the catalogue which thumbnails it has (default: global fetch). */
  fetch?: typeof globalThis.fetch;
  runUrl?: string;
  /** Where and how to fetch a base the clone lacks. */
  baseFetch?: Omit<Parameters<typeof fetchBase>[0], 'dir' | 'ref' | 'log'>;
  log: Logger;
  now?: Date;
  /** How to ask a model about objects: `predictObjects`' signature (tests pass a stand-in). */
  predict?: (options: {
    ws: Workspace;
    params: Params;
    modelDir: string;
    objects: ObjectToClassify[];
    log: Logger;
  }) => Promise<Prediction[]>;
  /**
   * The publication rule (metrics.json's `publication`) of the model version in production, to compare each
   * label's with; null when it has none (default: the metrics.json registered with it, `registeredPublication`).
   */
  basePublication?: (options: {
    ws: Workspace;
    params: Params;
    version: string;
    log: Logger;
  }) => Promise<Metrics['publication'] | null>;
}): Promise<{ markdown: string; fullMarkdown: string; json: ReportJson }> {
  const given = catalogueUrl?.trim() || '';
  const catalogueRoot = given || params.report.catalogue_url.trim();
  const catalogueSource = given ? 'given' : catalogueRoot ? 'params' : null;
  const evaluated = (await readJson<Metrics>({ ws, file: path.join(ws.evaluate, 'metrics.json'), stage: 'evaluate' }))!;
  // Written before evaluate.alpha was stored with each comparison: params.yaml's, when they made these metrics.
  const metrics = withAlpha({
    metrics: evaluated,
    settings: { md5: hashJson(modelParams(params)), alpha: params.evaluate.alpha },
  });
  const predictions = await readJson<TestPrediction[]>({
    ws,
    file: path.join(ws.evaluate, 'predictions.json'),
    stage: 'evaluate',
    optional: true,
  });
  const model = await readJson<ModelInfo>({
    ws,
    file: path.join(ws.model, 'model-info.json'),
    stage: 'train',
    optional: true,
  });
  // As the catalogue reads it: what the model learnt from (dataset) and what the catalogue shows (shown), among which
  // the stand-in pictures still shown on their objects' pages.
  const datasetRead = await readShownDataset({ ws });
  const dataset = datasetRead?.dataset ?? null;
  const shownObjects = datasetRead?.shown ?? [];
  // Each object's catalogue address as the catalogue assigns it (kept from its last build), for the links.
  const addresses = await catalogueAddresses({ ws, ids: (dataset?.objects ?? []).map((o) => o.id) });
  // What the catalogue shows of each photograph, judged per photograph as the catalogue judges it: an open object
  // sharing one with an object in copyright is shown small there too.
  const shownOf = datasetPhotographRules({ objects: shownObjects, rules: params.catalogue.images }).withheld;
  const drift = await readJson<DriftReport>({
    ws,
    file: path.join(ws.monitor, 'drift.json'),
    stage: 'monitor',
    optional: true,
  });
  // Every labelled object's answer from a model trained without it (cross-validation).
  const oof = await readJson<OofFile>({
    ws,
    file: path.join(ws.evaluate, 'oof.json'),
    stage: 'evaluate',
    optional: true,
  });
  const lock = await readJson<{
    stages?: Record<string, { durationMs?: number; summary?: string; deps?: { paths?: Record<string, string> } }>;
  }>({
    ws,
    file: ws.lock,
    stage: 'run',
    optional: true,
  });

  // What the dataset stage read, when data/ was not what data.dvc records (a tester's report named data.dvc's).
  const read = lock?.stages?.dataset?.deps?.paths?.[path.relative(ws.root, ws.data)];
  const dataUsed =
    read &&
    metrics.inputs?.data &&
    read !== metrics.inputs.data &&
    (await stat(ws.dataDvc).then(
      () => true,
      () => false,
    )) &&
    !(await onlyHarmlessFiles({ ws }))
      ? read
      : undefined;
  // Training and scoring skipped after the dataset stage read it (nothing they read changed): not said to be made of it.
  const dataUsedAfterModel = dataUsed && !(await scoredOnDataRead({ ws }));

  const isRepo = (await gitDir({ dir: ws.root })) !== null;
  const headCommit = isRepo ? await resolveCommit({ dir: ws.root, ref: head ?? 'HEAD' }).catch(() => null) : null;
  let baseCommit: string | null = null;
  let baseUnavailable: { ref: string; reason: string } | null = null;
  if (base) {
    if (!isRepo)
      throw new VitrineError(
        'REPORT_NO_GIT',
        `The report was asked to compare with "${base}", but ${ws.root} is not a git repository.`,
        { base },
      );
    const goOn = 'The report goes on without the label changes and the params.yaml comparison.';
    try {
      baseCommit = await resolveCommit({ dir: ws.root, ref: base });
    } catch (error) {
      if (isVitrineError(error, 'GIT_HISTORY_MISSING')) {
        // An ancestry ref (HEAD~1) past a shallow clone's history: fetching by name cannot reach it.
        baseUnavailable = { ref: base, reason: error.message };
        log.warn(`${error.message} ${goOn}`);
      } else if (isVitrineError(error, 'GIT_REF_UNKNOWN')) {
        // A shallow checkout (actions/checkout's default) lacks the base: fetch it rather than lose the label diff.
        try {
          baseCommit = (await fetchBase({ dir: ws.root, ref: base, ...baseFetch, log })).commit;
        } catch (fetchError) {
          if (!isVitrineError(fetchError, 'REPORT_BASE_FETCH_FAILED')) throw fetchError;
          baseUnavailable = { ref: base, reason: String(fetchError.data.reason) };
          log.warn(`${fetchError.message} ${goOn}`);
        }
      } else throw error;
    }
  }

  // labels.csv at head (the work tree unless a head ref was given) and at base.
  const labelsFile = rel(ws, ws.labels);
  // An id written with its accents encoded another way is the object's (as the dataset stage reads it): a file
  // saved again that way changes no label, and a second line so written is a second line for the object.
  const objectOf = objectIdOf((dataset?.objects ?? []).map((o) => o.id));
  // Without a head ref, labels.csv as the dataset stage read it: the labels the model learnt, not a colleague's edit
  // saved while the run trained (said instead: `changedSinceRead`). A workspace whose dataset stage kept no copy of
  // an older file reads the file now, its changes marked as not in the dataset yet (`datasetStale`), as before.
  // A labels.csv that is a symbolic link is not read (nor its md5 taken): its lines would go into the comment.
  await refuseLinkedFile({ file: ws.labels, name: labelsFile });
  const asRead =
    head && headCommit
      ? null
      : await labelsTextAsRead({ ws }).catch((error: unknown) => {
          if (isVitrineError(error, 'LABELS_CHANGED_SINCE_READ')) return null;
          throw error;
        });
  const headLabelsText =
    head && headCommit
      ? await readTextAtCommit({ dir: ws.root, commit: headCommit, filepath: labelsFile })
      : asRead
        ? asRead.text
        : await readFile(ws.labels, 'utf8').catch(() => null);
  const changedSinceRead = asRead?.changed === true;
  if (changedSinceRead)
    log.warn(
      `${labelsFile} changed after the dataset stage read it (edited, or a git pull, while the run went on or ` +
        `since): the report lists the label changes of ${labelsFile} as that stage read it, the labels the model ` +
        'learnt. Run "npx vitrine run" again to train on it as it is now.',
      { file: labelsFile },
    );
  const headRead =
    headLabelsText === null
      ? null
      : readAgreed({ text: headLabelsText, file: labelsFile, vocabulary: params.collection.vocabulary, objectOf });
  const headLabels = headRead?.agreed ?? [];
  // params.yaml at the base: its vocabulary is how the dataset stage read the base's labels.csv there.
  const baseParams = baseCommit
    ? paramsFromText({
        text: await readTextAtCommit({ dir: ws.root, commit: baseCommit, filepath: rel(ws, ws.params) }),
        log,
      })
    : null;
  // Objects whose photograph cannot be used, those this pull request broke marked (the base's data.dvc listing).
  const baseMaxPixels = (baseParams as { dataset?: { image?: { max_pixels?: unknown } } } | null)?.dataset?.image
    ?.max_pixels;
  // The base's data folder (data.dvc there and the local DVC cache), read once for the sections that compare with it.
  const baseFolder = baseCommit ? baseData({ ws, commit: baseCommit, log }) : null;
  const photos = await unusablePhotos({
    ws,
    dataset,
    base: baseFolder,
    maxPixels: params.dataset.image.max_pixels,
    ...(typeof baseMaxPixels === 'number' ? { baseMaxPixels } : {}),
  });
  // Rows taken out of data/objects.csv: their pages leave the catalogue, and git's diff does not show it.
  const objectsRemoved = baseFolder
    ? await removedObjects({ ws, base: baseFolder, labelled: headRead?.named ?? new Set(), log })
    : null;
  const labelOf = new Map(headLabels.map((l) => [l.objectId, l.label]));
  const objectsEdited = baseFolder ? await editedObjects({ ws, base: baseFolder, labelOf, log }) : null;
  const photoReasonOf = new Map((photos?.objects ?? []).map((o) => [o.id, o.reason]));
  let changes: LabelChange[] = [];
  // Objects labelled at the base, for the share of them a pull request takes out (opening.ts).
  let labelledAtBase: number | undefined;
  if (baseCommit) {
    const baseText = await readTextAtCommit({ dir: ws.root, commit: baseCommit, filepath: labelsFile });
    // A label added to or removed from the vocabulary changes which of an object's lines count (one outside it is
    // set aside): the head's vocabulary would misread the base. An old params.yaml without one falls back to it.
    const baseVocabulary = vocabularyOf(baseParams) ?? params.collection.vocabulary;
    const baseRead =
      baseText === null
        ? null
        : readAgreed({ text: baseText, file: `${labelsFile} at ${base}`, vocabulary: baseVocabulary, objectOf });
    const baseLabels = baseRead?.agreed ?? [];
    labelledAtBase = baseLabels.length;
    const objects = new Map<string, DatasetObject>((dataset?.objects ?? []).map((o) => [o.id, o]));
    const byId = new Map((predictions ?? []).map((p) => [p.id, p]));
    // An id retyped near an object's ("dm-0006" for "DM-0006") is that object's line, as the dataset stage says.
    const diff = [
      ...withUnknownIds({
        changes: diffLabels({ base: baseLabels, head: headLabels }),
        objectIds: new Set(objects.keys()),
        vocabulary: params.collection.vocabulary,
      }),
      // A text pasted into an id cell: its line, said as the dataset stage says it, never a row of megabytes.
      ...overlongIdLines({
        head: headRead?.overlong ?? [],
        base: baseRead?.overlong ?? [],
        vocabulary: params.collection.vocabulary,
      }),
    ].sort((a, b) => compareIdsNaturally(a.id, b.id));
    const vocabulary = new Set(params.collection.vocabulary);
    const headCount = new Map<string, number>();
    for (const l of headLabels) headCount.set(l.label, (headCount.get(l.label) ?? 0) + 1);
    changes = diff.map((c) => {
      const object = objects.get(c.id);
      const p = byId.get(c.id);
      // Unlabelled at the head because its lines disagree, not because the label was taken out: said so.
      const lines = c.kind === 'removed' ? headRead?.disagreeing.get(c.id) : undefined;
      // Its line is still there with the label cell emptied: that line, not the base's, is where it is.
      const empty = c.kind === 'removed' && !lines && !c.unknownId ? headRead?.emptied.get(c.id) : undefined;
      return {
        ...c,
        ...(lines ? { disagreeing: lines.map((l) => ({ line: l.line, label: l.label })) } : {}),
        ...(empty ? { emptyLines: empty } : {}),
        title: object?.title ?? '',
        split: object?.split ?? null,
        // A text pasted into the label cell: how long, said before shortLabel keeps its beginning only (tester T7).
        ...(c.after !== null && overLimit({ value: c.after, most: MAX_LABEL_BYTES })
          ? { labelTooLong: overLimit({ value: c.after, most: MAX_LABEL_BYTES })! }
          : {}),
        // labels.csv says something, dataset.json nothing: the dataset stage skipped the line.
        ...(object && c.after !== null && object.label !== c.after ? { skipped: true } : {}),
        // A label outside the vocabulary that other objects have too: one of the collection's, not a typo.
        ...(c.after !== null && !vocabulary.has(c.after) && (headCount.get(c.after) ?? 0) > 1
          ? { keptOutside: true }
          : {}),
        // No usable photograph: no model learned from or was tested on the label, whatever the split says.
        ...(object && c.after !== null && !object.image
          ? { photoUnusable: photoReasonOf.get(c.id) ?? NO_PHOTO_NAMED }
          : {}),
        candidate: p ? { label: p.candidate.label, confidence: p.candidate.confidence } : null,
        baseline: p?.baseline ? { label: p.baseline.label, confidence: p.baseline.confidence } : null,
        ...catalogueLinks({
          params,
          root: catalogueRoot,
          id: c.id,
          slug: addresses.get(c.id),
          object,
          withheld: shownOf.get(c.id) ?? null,
        }),
      };
    });
    changes = await askModel({ ws, params, changes, objects, predict, log });
    changes = withHeldOut({ changes, oof });
    changes = withRenames({ changes, renames: metrics.labelRenames ?? [] });
  }
  // Saved by Excel (a byte-order mark, Windows line ends) over a file with Unix ones: git's diff shows every line as
  // changed. Judged on the files as committed, which the pull request shows (a Windows checkout's CRLF is not).
  const bytesAt = (commit: string | null) =>
    commit ? readBytesAtRef({ dir: ws.root, ref: commit, filepath: labelsFile }).catch(() => null) : null;
  const differently = baseCommit
    ? savedDifferently({ base: await bytesAt(baseCommit), head: await bytesAt(headCommit) })
    : null;
  // Its .gitattributes asking for Unix line ends already: the advice is how to commit, not the line to add.
  const attributes =
    differently && headCommit
      ? await readTextAtCommit({ dir: ws.root, commit: headCommit, filepath: '.gitattributes' }).catch(() => null)
      : null;
  const saved =
    differently && convertsLineEnds({ attributes, file: labelsFile })
      ? { ...differently, converted: true }
      : differently;
  // A changed line dataset.json does not hold may only be new to it: lock.json records the labels.csv the dataset
  // stage read (an older lock does not), and `run report --single` does not run that stage.
  const labelsRead = lock?.stages?.dataset?.deps?.paths?.[labelsFile];
  const datasetStale =
    !changedSinceRead &&
    changes.some((c) => c.skipped) &&
    typeof labelsRead === 'string' &&
    labelsRead !== (await hashPath({ file: ws.labels }));
  // Only pictures the published catalogue has: no broken images, and a word where one is missing.
  const shown = changes.slice(0, params.report.max_label_changes);
  // A set: includes() on the list for each change grew with changes × shown.
  const listed = new Set(shown);
  // A photograph withheld for its rights has no thumbnail on the site: its page is asked for instead.
  const askedFor = (c: LabelChange) => c.thumbnailUrl ?? (c.withheld ? c.pageUrl : null);
  const thumbnails = shown.flatMap((c) => (askedFor(c) ? [askedFor(c)!] : []));
  const { status: catalogue, available } = await checkCatalogue({
    url: catalogueRoot || null,
    source: catalogueSource,
    thumbnails,
    fetch,
  });
  if (catalogue.url && !catalogue.published) {
    log.info(
      `The catalogue at ${catalogue.url} is not published yet (${catalogue.reason}), so the report shows no thumbnails.`,
    );
  }
  changes = changes.map((c) => {
    if (!c.thumbnailUrl && !c.pageUrl) return c;
    if (!catalogue.published) return { ...c, thumbnailUrl: null, pageUrl: null };
    const asked = askedFor(c);
    if (!asked || available.has(asked)) return c;
    // Listed but not in the catalogue yet (new in this pull request): neither picture nor page exists.
    return { ...c, thumbnailUrl: null, pageUrl: null, ...(listed.has(c) ? { notInCatalogue: true } : {}) };
  });

  // Params changed since base, compared with defaults filled in (like `dvc params diff`).
  let paramChanges: ReportJson['lineage']['params'] = [];
  let vocabularyRemoved: { label: string; objects: number }[] = [];
  let vocabularyAdded: NonNullable<ReportJson['labels']['vocabularyAdded']> = [];
  if (baseCommit) {
    // With an explicit head ref, its params.yaml; otherwise the params this run uses.
    const headParams =
      head && headCommit
        ? paramsFromText({
            text: await readTextAtCommit({ dir: ws.root, commit: headCommit, filepath: rel(ws, ws.params) }),
            log,
          })
        : params;
    paramChanges = diffParams({ base: baseParams, head: headParams });
    // Labels the base's vocabulary has and the head's not: their objects become invalid rows, which
    // dataset.on_invalid: skip leaves out of training and of the test split, so the gate no longer sees them.
    const was = vocabularyOf(baseParams);
    const now = vocabularyOf(headParams);
    if (was && now) {
      // Counted once: a filter of every label line for each removed label grew with vocabulary × lines.
      const kept = new Set(now);
      const uses = new Map<string, number>();
      for (const l of headLabels) uses.set(l.label, (uses.get(l.label) ?? 0) + 1);
      // A label renamed (the evaluate stage told it by its objects) is not one removed.
      const renamedFrom = new Set((metrics.labelRenames ?? []).map((r) => r.from));
      vocabularyRemoved = was
        .filter((label) => !kept.has(label) && !renamedFrom.has(label))
        .map((label) => ({ label, objects: uses.get(label) ?? 0 }));
      // Labels new to the vocabulary (a rename's new name is said as a rename): their objects are learnt from now on.
      const had = new Set(was);
      const renamedTo = new Set((metrics.labelRenames ?? []).map((r) => r.to));
      vocabularyAdded = now
        .filter((label) => !had.has(label) && !renamedTo.has(label))
        .map((label) => ({ label, objects: uses.get(label) ?? 0 }));
      const building = new Set((metrics.newLabels?.labels ?? []).map((l) => l.label));
      vocabularyAdded = vocabularyAdded.map((a) => (building.has(a.label) ? { ...a, notJudged: true } : a));
    }
  }

  // A pull request of the repository runs its own workflow and pipeline: one that changes them can change how it
  // is judged, which the base's settings (base-gate) do not cover. Reviewers should know.
  const codeChanged =
    baseCommit && headCommit && !head
      ? await changedFiles({ dir: ws.root, base: baseCommit, head: headCommit, folders: CODE_FOLDERS }).catch(
          (error: unknown) => {
            log.debug(`The code changes could not be listed: ${messageOf(error)}`);
            return [];
          },
        )
      : [];

  const gate = gateOf({ metrics, params });
  // Scores of another model (trained or copied in after the evaluation) are said to be so, not shown as this one's.
  const identity = await folderIdentity({ dir: ws.model }).catch(() => null);
  if (evaluatedModel({ metrics, identity }) === 'other') gate.otherModel = true;
  const comparison = metrics.baseline
    ? {
        metric: metrics.baseline.comparison.metric,
        baselineVersion: metrics.baseline.version,
        baseline: metrics.baseline[metrics.baseline.comparison.metric].value,
        candidate: metrics[metrics.baseline.comparison.metric].value,
        difference: metrics.baseline.comparison.difference,
        ...(metrics.baseline.comparison.alpha === undefined ? {} : { alpha: metrics.baseline.comparison.alpha }),
        pValue: metrics.baseline.comparison.pValue,
        test: metrics.baseline.comparison.test,
      }
    : null;
  // A label change judged on every labelled object (cross-validated) has the power the test split lacks.
  const measured = metrics.baseline
    ? (metrics.crossValidated?.comparison.verdict ?? metrics.baseline.comparison.verdict)
    : 'first model';
  // Labels removed wholesale (a filter left on in a spreadsheet, a bad merge): scored on what is left, a model
  // can look perfect (one class left: right by construction). Never "better" then, whatever the scores say.
  // "Better" is how well the labels now fit the photographs: a coherent group moved to a wrong label fits too. When
  // the photographs pointed to the old labels before the change, staff must say whether it is deliberate.
  const check = metrics.crossValidated ? labelsToCheck(metrics.crossValidated) : null;
  const loss = metrics.labelLoss;
  const lossWords = labelLossWords(loss);
  const verdict: ReportJson['verdict'] =
    lossWords && measured !== 'worse' && measured !== 'first model'
      ? 'not comparable'
      : // No test object, and no comparison on every labelled object either: nothing was scored.
        metrics.n === 0 && !metrics.crossValidated
        ? 'not scored'
        : check
          ? 'check label changes'
          : measured;
  // What merging does to publication, label by label: against the rule of the model in production, whose
  // scores the comparison above uses. Without per-label figures on both sides nothing is said.
  const publication =
    metrics.baseline && metrics.publication
      ? publicationChanges({
          base: await basePublication({ ws, params, version: metrics.baseline.version, log }),
          head: metrics.publication,
          baseVersion: metrics.baseline.version,
        })
      : null;
  const labelsCommit = headCommit
    ? await lastCommitTouching({ dir: ws.root, ref: headCommit, filepath: labelsFile })
    : null;
  // A change the model does not read (a title): the evaluated model is production's own, scored again (a tester).
  const sameModelAs =
    metrics.baseline && metrics.inputs?.model
      ? // The identity registered with it; none (no registry here, a version registered before identities): not said.
        await showVersion({ ws, params, version: metrics.baseline.version }).then(
          (v) => (v.registration?.identity === metrics.inputs?.model ? v.version : null),
          () => null,
        )
      : null;
  // The model a rollback took out of production, trained again: merging does not put it back (a tester).
  const rolledBack = sameModelAs ? null : await rolledBackModel({ ws, params, identity: metrics.inputs?.model });
  // Production put back by a rollback, and the labels still hold what the withdrawn version learnt (tester T10).
  const withdrawnLabels = sameModelAs || rolledBack ? null : await withdrawnLabelsKept({ ws, params, log });
  // A label this pull request sets that the check of every label flags (a model that learnt, flagged, not ranked).
  // A renamed object's label was not set here: it kept its label under the new name (a reviewer).
  const setHere = new Map(changes.filter((c) => c.after !== null && !c.renamed).map((c) => [c.id, c.after]));
  const review = metrics.mislabelled;
  const lookWrong =
    review && review.agreement?.better !== false
      ? review.top
          // Lists written before `reason` say `confident` only (as the section below reads them).
          .filter(
            (i) => (i.reason ?? (i.confident ? 'flagged' : 'ranked')) === 'flagged' && setHere.get(i.id) === i.label,
          )
          .map((i) => ({ id: i.id, label: i.label, suggested: i.suggested }))
      : [];
  // The objects relabelled against what their photographs said, named with their titles (the label table's).
  const toCheck =
    check && verdict === 'check label changes'
      ? {
          relabelled: check.relabelled,
          old: check.old,
          objects: check.objects.map((o) => ({
            ...o,
            old: shortLabel(o.old),
            new: shortLabel(o.new),
            title: changes.find((c) => c.id === o.id)?.title ?? '',
          })),
        }
      : undefined;
  // Ids a spreadsheet changed ("1" for "00001"): labels lost by a broken edit, said first (the evaluate stage's count).
  const labelledNow = new Set((dataset?.objects ?? []).flatMap((o) => (o.label === null ? [] : [o.id])));
  const spreadsheetIds = dataset
    ? spreadsheetLosses({ issues: dataset.issues, labelled: (id) => labelledNow.has(id) })
    : [];
  // For its words on main itself (no "before merging"), as the comment's.
  const headlineLabels = { baseCommit, baseUnavailable, noBaseCode: base ? null : (noBase?.code ?? null) };
  const firstLine = (room: number, warns?: boolean) =>
    headline({ verdict, gate, labelsToCheck: toCheck, spreadsheetIds, labels: headlineLabels, warns, room });
  const json: ReportJson = {
    schema: 'vitrine.report/1',
    createdAt: now.toISOString(),
    headline: statusHeadline({ removed: vocabularyRemoved, line: firstLine }),
    verdict,
    gate,
    catalogue,
    collectionName: params.collection.name,
    statusContext: params.report.status_context,
    ...(codeChanged.length > 0 ? { codeChanged } : {}),
    ...(publication ? { publication } : {}),
    ...(photos ? { unusablePhotos: photos } : {}),
    ...(lookWrong.length > 0 ? { labelsThatLookWrong: lookWrong } : {}),
    ...(toCheck ? { labelsToCheck: toCheck } : {}),
    ...(sameModelAs ? { sameModelAs } : {}),
    ...(rolledBack ? { rolledBackModel: rolledBack.version, rolledBackProd: rolledBack.prod } : {}),
    ...(withdrawnLabels ? { withdrawnLabels } : {}),
    ...(objectsRemoved ? { objectsRemoved } : {}),
    ...(objectsEdited && (objectsEdited.count > 0 || objectsEdited.columns.length > 0) ? { objectsEdited } : {}),
    comparison,
    labels: {
      baseCommit,
      headCommit,
      baseUnavailable,
      baseName: baseCommit ? (baseName ?? (base ? { name: base, branchPoint: false } : null)) : null,
      noBaseReason: base ? null : (noBase?.reason ?? null),
      noBaseCode: base ? null : (noBase?.code ?? null),
      // A label pasted into labels.csv by mistake, thousands of characters long, kept by its start (shortLabel): a
      // fork's report.json holding it whole was refused (a string of it may have 2,000 characters).
      changes: changes.map(withShortLabels),
      counts: {
        changed: changes.filter((c) => c.kind === 'changed').length,
        added: changes.filter((c) => c.kind === 'added').length,
        removed: changes.filter((c) => c.kind === 'removed').length,
        skipped: changes.filter((c) => c.skipped).length,
        disagreeing: changes.filter((c) => c.disagreeing).length,
        unknownIds: changes.filter((c) => c.unknownId).length,
      },
      ...(datasetStale ? { datasetStale: true } : {}),
      ...(changedSinceRead ? { changedSinceRead: true } : {}),
      ...(saved ? { savedDifferently: saved } : {}),
      ...(dataset ? { vocabulary: dataset.labels } : {}),
      ...(vocabularyRemoved.length > 0 ? { vocabularyRemoved } : {}),
      ...(vocabularyAdded.length > 0 ? { vocabularyAdded } : {}),
      ...(labelledAtBase !== undefined ? { labelledAtBase } : {}),
      ...(loss && lossWords ? { labelLoss: { ...loss, words: lossWords } } : {}),
      ...(spreadsheetIds.length > 0 ? { spreadsheetIds } : {}),
      ...((headRead?.repeated.length ?? 0) > 0 ? { repeatedLines: headRead!.repeated } : {}),
      ...((headRead?.tabs.length ?? 0) > 0 ? { tabbedLabels: tabbedLabels(headRead!.tabs) } : {}),
    },
    lineage: {
      data: metrics.inputs?.data ?? '',
      ...(dataUsed ? { dataUsed } : {}),
      ...(dataUsedAfterModel ? { dataUsedAfterModel: true } : {}),
      labelsHash:
        metrics.inputs?.labels ??
        (headLabelsText === null ? '' : createHash('md5').update(headLabelsText).digest('hex')),
      labelsCommit,
      headCommit,
      baseCommit,
      params: paramChanges,
      backend: metrics.backend || model?.backend || 'unknown',
      backbone: metrics.backbone || model?.backbone.id || 'unknown',
      runUrl: runUrl ?? null,
      // Only what this report stands on, in pipeline order: lock.json also keeps promote, catalogue
      // and the like from earlier runs, which say nothing about this result.
      stages: UPSTREAM_STAGES.filter((name) => lock?.stages?.[name]).map((name) => {
        const s = lock!.stages![name]!;
        return { name, durationMs: s.durationMs ?? 0, summary: s.summary ?? '' };
      }),
    },
  };
  if (gate.otherModel) log.warn(`The gate and scores in this report are not this model's: ${OTHER_MODEL_WORDS}.`);
  if (gate.stale)
    log.warn(
      "params.yaml's model settings (the promotion gate among them) changed after the evaluate stage ran; the " +
        'report shows the gate as evaluate checked it. Run `npx vitrine run evaluate` again.',
    );
  // Thumbnails of objects that look mislabelled: only from a published catalogue, as for label changes.
  const links = (id: string, slug: string | undefined, object: Parameters<typeof catalogueLinks>[0]['object']) =>
    catalogue.published
      ? catalogueLinks({ params, root: catalogueRoot, id, slug, object, withheld: shownOf.get(id) ?? null })
      : { thumbnailUrl: null, pageUrl: null };
  const changed = new Map(changes.filter((c) => c.after !== null && !c.renamed).map((c) => [c.id, c.before]));
  // A run on main itself: no pull request of it to speak of, and its changes are merged already.
  const onMain = onMainItself(noBase?.code) && !base;
  const sections = reportSections({
    metrics,
    onMain,
    model,
    dataset,
    addresses,
    links,
    changes: changed,
    ...(baseCommit
      ? {
          // Renamed objects kept their label: neither evaluate's count nor this one counts them (a reviewer). Nor
          // does either count an added line naming no object of the collection: the table says it apart, as a line
          // whose label is not used (a tester read "4 labels changed" above "2 labels changed" and 2 such lines).
          listed: {
            changes: changes.filter((c) => !c.renamed && !(c.unknownId && c.kind === 'added')).length,
            photoUnusable: changes.filter((c) => c.photoUnusable && !c.renamed).length,
          },
        }
      : {}),
  });
  // Photographs that cannot be used come first: merging trains without them and publishes their pages without one.
  const photosSection = unusablePhotosSection({ photos, onMain });
  if (photosSection) sections.afterIntro = [photosSection, ...(sections.afterIntro ?? [])];
  // Texts far too long withheld from the catalogue: an unlabelled object's was said nowhere staff read.
  const withheldSection = withheldFieldsSection({ issues: dataset?.issues ?? [], onMain });
  if (withheldSection) sections.afterIntro = [...(sections.afterIntro ?? []), withheldSection];
  // Rights texts not recognised whose photographs the catalogue shows in full (catalogue.images.unknown: full), named
  // as `vitrine init` and each build name them: one that is not open is shown in full on merge (task R9). Last: it is
  // of the collection, not of this change.
  const unrecognised = datasetUnrecognisedShownInFull({ objects: shownObjects, withheld: shownOf });
  if (unrecognised) sections.afterIntro = [...(sections.afterIntro ?? []), `⚠️ ${text(unrecognised)}`];
  // An object on two lines with the same label: said in the log and on its line on GitHub, not read there (task D3).
  const repeated = repeatedLinesSection({ repeated: headRead?.repeated ?? [], file: labelsFile, onMain });
  if (repeated) sections.afterIntro = [...(sections.afterIntro ?? []), repeated];
  // A tab inside a label, read as a space: the file does not read as the model does (task D3).
  const tabbed = tabbedLabelsSection({ tabs: headRead?.tabs ?? [], file: labelsFile, onMain });
  if (tabbed) sections.afterIntro = [...(sections.afterIntro ?? []), tabbed];
  // From data/ as it was when it is not what data.dvc records: not credited to this pull request (tester T7).
  const editedSection = asReadFromData({ section: editedObjectsSection(objectsEdited), report: json });
  if (editedSection) sections.afterIntro = [editedSection, ...(sections.afterIntro ?? [])];
  const removedSection = asReadFromData({ section: removedObjectsSection(objectsRemoved), report: json });
  if (removedSection) sections.afterIntro = [removedSection, ...(sections.afterIntro ?? [])];
  if (codeChanged.length > 0)
    sections.afterIntro = [
      `⚠️ **This pull request also changes the code that judges it:** ${codeChanged.map((f) => code(f)).join(', ')}` +
        ' — review those changes before trusting this verdict.',
      ...(sections.afterIntro ?? []),
    ];
  const renames = metrics.labelRenames ?? [];
  if (renames.length > 0)
    sections.afterIntro = [
      // A run on main itself has no pull request: "this change" (the labels since the model in production).
      `**This ${onMain ? 'change' : 'pull request'} ${renameVerb(renames)}:** ` +
        `${text(renameWords(renames))}. ` +
        'The model in production and the labels before are compared under the new names, so a renamed object ' +
        'counts as keeping its label.',
      ...(sections.afterIntro ?? []),
    ];
  // Said right under the first line (render.ts), before the introduction.
  const opening: string[] = [];
  if (loss && lossWords) {
    const renamed = renamedLabels({ lost: loss.lost, changes, vocabulary: params.collection.vocabulary });
    const said = labelLossSaid({ loss, changes }) ?? lossWords;
    // Right under the first line: a registrar reads it before any score (tester T7).
    opening.push(`⚠️ **${text(said)}.**\n${lossMeaning(loss)}${renamed ? `\n${text(renamed)}` : ''}`);
  }
  // The warnings at the top, as the comment says them (render.ts): the commit status tells to read them, and
  // report.json keeps them; the status read "No detectable difference. The promotion gate passes." (reviewer V12).
  const mainItself = !baseCommit && !baseUnavailable && onMainItself(json.labels.noBaseCode);
  const warned = openingLines({ report: json, onMain: mainItself });
  if (warned.warns)
    json.headline = statusHeadline({ removed: vocabularyRemoved, line: (room) => firstLine(room, true) });
  const warnings = [
    ...(loss && lossWords ? [`${labelLossSaid({ loss, changes }) ?? lossWords}.`] : []),
    ...warned.warnings,
  ];
  if (warnings.length > 0) json.openingWarnings = warnings;
  // The merge's run says it too: its log is what a maintainer reads of it (tester T10).
  for (const w of warned.relearnt) log.warn(w);
  const vitrine = await reportCommand({ root: ws.root });
  const input = {
    report: json,
    metrics,
    model,
    dataset,
    drift,
    collectionName: params.collection.name,
    sections: { ...sections, opening },
    vitrine,
  };
  const maxLabelChanges = params.report.max_label_changes;
  const fullMarkdown = renderMarkdown({ ...input, maxLabelChanges, limit: Infinity });
  // Too long for a comment: list fewer label changes before cutting, so the scores and charts after
  // them stay; what still does not fit is cut at the end.
  let body = fullMarkdown;
  for (let rows = Math.min(maxLabelChanges, changes.length); body.length > COMMENT_ROOM && rows > 1; ) {
    rows = Math.max(1, Math.floor(rows / 2));
    body = renderMarkdown({ ...input, maxLabelChanges, labelRowsForRoom: rows, limit: Infinity });
  }
  const markdown = fitMarkdown({ body });
  if (markdown !== fullMarkdown) {
    log.info(
      `The report has ${fullMarkdown.length} characters, more than a comment takes: report.md lists fewer label ` +
        'changes or ends early; report-full.md is whole.',
    );
  }
  log.debug(
    `report: ${changes.length} label ${changes.length === 1 ? 'change' : 'changes'}, gate ${gate.passed ? 'passes' : 'fails'}`,
  );
  // The comment is made from the report whole; report.json holds it within the fork check's limits (tester T16).
  return { markdown, fullMarkdown, json: reportJsonToWrite(json) };
}

/**
 * The publication rule registered with `version` (the metrics.json stored with it, restored from the data remote
 * when missing), or null when it has none or it cannot be read. Why not goes to the log's detail only: what the
 * registry warns about concerns annotation, and here it only means the report has nothing to compare with.
 */
async function registeredPublication({
  ws,
  params,
  version,
  log,
}: {
  ws: Workspace;
  params: Params;
  version: string;
  log: Logger;
}): Promise<Metrics['publication'] | null> {
  const quiet = memoryLogger();
  try {
    const state = await readRegistry({ dir: ws.root, name: params.registry.model_name });
    return await versionPublication({ ws, params, state, version, log: quiet });
  } catch (error) {
    log.debug(`The publication figures of ${version} could not be read: ${messageOf(error)}`);
    return null;
  } finally {
    for (const line of quiet.lines) log.debug(`publication of ${version}: ${line.message}`);
  }
}

async function defaultPredict(
  options: Parameters<NonNullable<Parameters<typeof buildReport>[0]['predict']>>[0],
): Promise<Prediction[]> {
  // Loaded only when needed: reading a report must not load TensorFlow.js.
  const { predictObjects } = await import('../model/predict.ts');
  return predictObjects(options);
}

/**
 * The candidate model's answers for changed objects that the evaluate stage did not score (training
 * and validation objects): what the issue asks for, "what the model now predicts for them". These
 * objects shaped the model, so each answer is marked `seenInTraining`. When the model cannot answer
 * (no model files, no backend), the report goes on without them and says why in the log.
 */
async function askModel({
  ws,
  params,
  changes,
  objects,
  predict,
  log,
}: {
  ws: Workspace;
  params: Params;
  changes: LabelChange[];
  objects: Map<string, DatasetObject>;
  predict: NonNullable<Parameters<typeof buildReport>[0]['predict']>;
  log: Logger;
}): Promise<LabelChange[]> {
  const wanted = changes
    .filter((c) => c.candidate === null && c.after !== null && !c.skipped)
    .map((c) => objects.get(c.id))
    .filter((o): o is DatasetObject => !!o && !!o.image && !!o.imageMd5 && o.split !== null);
  if (wanted.length === 0) return changes;
  if (!(await fileExists(path.join(ws.model, 'model.json')))) {
    log.info(
      `There is no trained model in ${rel(ws, ws.model)}, so the report cannot say what the model predicts ` +
        `for ${wanted.length} changed object(s) outside the test set.`,
    );
    return changes;
  }
  let answers: Prediction[];
  try {
    answers = await predict({
      ws,
      params,
      modelDir: ws.model,
      objects: wanted.map((o) => ({ id: o.id, image: o.image, imageMd5: o.imageMd5 })),
      log,
    });
  } catch (error) {
    // The answers are a courtesy; the scores and the gate above do not depend on them.
    log.warn(
      `The model could not answer for ${wanted.length} changed object(s) outside the test ` +
        `set: ${messageOf(error)} The report goes on without those answers.`,
    );
    return changes;
  }
  const byId = new Map(answers.map((p) => [p.id, p]));
  return changes.map((c) => {
    const p = c.candidate === null ? byId.get(c.id) : undefined;
    if (!p) return c;
    const split = objects.get(c.id)?.split;
    return {
      ...c,
      candidate: { label: p.label, confidence: p.confidence, ...(split === 'test' ? {} : { seenInTraining: true }) },
    };
  });
}

/**
 * Beside the answers of the model that learned a changed object's label, the answer of a model
 * trained without the object (oof.json): the one "Objects that look mislabelled" ranks by, so the two
 * sections can be read together. Test objects' answers already come from a model that did not see them.
 */
/**
 * Each change that is a rename (its line's label before is a renamed label's old name and its label now the new one:
 * `labelRenames`, which the evaluate stage tells from the objects) marked as such. Its straggler objects, moved to
 * other labels with the rename, are label changes from the old name, as they really were (a reviewer).
 */
function withRenames({
  changes,
  renames,
}: {
  changes: LabelChange[];
  renames: { from: string; to: string }[];
}): LabelChange[] {
  if (renames.length === 0) return changes;
  const nfc = (s: string | null) => s?.normalize('NFC') ?? null;
  return changes.map((c) =>
    c.kind === 'changed' && renames.some((r) => nfc(r.from) === nfc(c.before) && nfc(r.to) === nfc(c.after))
      ? { ...c, renamed: true }
      : c,
  );
}

function withHeldOut({ changes, oof }: { changes: LabelChange[]; oof: OofFile | null }): LabelChange[] {
  if (!oof?.objects) return changes;
  const byId = new Map(oof.objects.map((o) => [o.id, o]));
  return changes.map((c) => {
    const o = byId.get(c.id);
    if (!o || c.after === null || c.skipped || c.split === 'test' || o.label !== c.after) return c;
    // A failed fold's row (NaN) says nothing.
    if (!o.probabilities.every(Number.isFinite)) return c;
    let best = -1;
    for (let i = 0; i < o.probabilities.length; i++)
      if (best < 0 || o.probabilities[i]! > o.probabilities[best]!) best = i;
    const label = oof.labels[best];
    return label === undefined ? c : { ...c, heldOut: { label, confidence: o.probabilities[best]! } };
  });
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await readFile(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The gate as the evaluate stage checked it (metrics.json), which is what promotion goes by. The
 * report never judges the gate itself; it only notices when params.yaml's model settings (the gate
 * among them) are no longer the ones evaluate ran with, so the comment can say to run it again.
 */
function gateOf({ metrics, params }: { metrics: Metrics; params: Params }): ReportJson['gate'] {
  if (!metrics.gate) {
    return {
      passed: false,
      stale: true,
      checks: [
        {
          name: NO_GATE_CHECK,
          passed: false,
          detail: 'metrics.json has no gate: it was written by an older version; run `npx vitrine run evaluate` again',
        },
      ],
    };
  }
  // The same fingerprint evaluate records (registry/lineage.ts currentInputs): md5 of the model params.
  const stale = !!metrics.inputs?.params && metrics.inputs.params !== hashJson(modelParams(params));
  return { passed: metrics.gate.passed, checks: metrics.gate.checks, ...(stale ? { stale: true } : {}) };
}

/**
 * Thumbnail and page of an object on the published catalogue at `root` (default
 * `report.catalogue_url`; none: no links). `report.object_page` may use {slug} (the catalogue's page
 * name) or {id}. Whether the catalogue has them is for checkCatalogue to say.
 */
export function catalogueLinks({
  params,
  root: given,
  id,
  slug,
  object,
  withheld: judged,
}: {
  params: Params;
  root?: string;
  id: string;
  slug?: string;
  object?: Pick<DatasetObject, 'thumbnails'> & Partial<Pick<DatasetObject, 'rights' | 'image' | 'imageMd5'>>;
  /**
   * What the catalogue shows of the object's photograph, judged with the objects it shares it with
   * (datasetPhotographRules); when not given, judged from the object's own rights.
   */
  withheld?: Withheld | null;
}): { thumbnailUrl: string | null; pageUrl: string | null; withheld?: 'thumbnail' | 'none' } {
  const root = (given ?? params.report.catalogue_url).trim();
  if (!root) return { thumbnailUrl: null, pageUrl: null };
  const baseUrl = root.endsWith('/') ? root : `${root}/`;
  const resolve = (p: string) => {
    try {
      return new URL(p, baseUrl).href;
    } catch {
      return null;
    }
  };
  const pageUrl = resolve(
    params.report.object_page
      .replaceAll('{id}', encodeURIComponent(id))
      .replaceAll('{slug}', encodeURIComponent(slug ?? slugFor({ id, taken: new Set() }))),
  );
  const folder = params.report.thumbnail_folder ? params.report.thumbnail_folder.replace(/\/?$/, '/') : '';
  const smallest = [...(object?.thumbnails ?? [])].sort((a, b) => a.width - b.width)[0];
  // catalogue.images: the site has no thumbnail of a photograph shown small or not at all for its rights (read as the
  // catalogue reads them), only the page; the report says why instead of "not published yet".
  const alone = () =>
    datasetPhotographRules({
      objects: [
        {
          id,
          rights: object!.rights!,
          image: object!.image ?? '',
          imageMd5: object!.imageMd5 ?? '',
          thumbnails: object!.thumbnails,
        },
      ],
      rules: params.catalogue.images,
    }).withheld.get(id) ?? null;
  const withheld = !smallest ? null : judged !== undefined ? judged : object?.rights !== undefined ? alone() : null;
  if (withheld) return { thumbnailUrl: null, pageUrl, withheld: withheld.shown };
  const thumbnailUrl = smallest
    ? resolve(`${folder}${smallest.jpeg.split('/').map(encodeURIComponent).join('/')}`)
    : null;
  return { thumbnailUrl, pageUrl };
}

/** collection.vocabulary of validated or raw params, or null when it is not a list of labels. */
function vocabularyOf(params: unknown): string[] | null {
  const v = (params as { collection?: { vocabulary?: unknown } } | null)?.collection?.vocabulary;
  return Array.isArray(v) && v.every((l) => typeof l === 'string') ? v : null;
}

/**
 * A label that lost all its objects because staff renamed it in labels.csv (vessel → ceramic on every line) and
 * not in collection.vocabulary, where the new name is not: said as a rename, with where to rename it too. Taken as
 * one when at least 4 in 5 of the label's objects at the base now have that one name. Null when none is.
 */
export function renamedLabels({
  lost,
  changes,
  vocabulary,
}: {
  lost: { label: string; objects: number }[];
  changes: Pick<LabelChange, 'before' | 'after'>[];
  vocabulary: string[];
}): string | null {
  const said: string[] = [];
  for (const { label, objects } of lost) {
    const now = new Map<string, number>();
    for (const c of changes) if (c.before === label && c.after !== null) now.set(c.after, (now.get(c.after) ?? 0) + 1);
    const [name, n] = [...now].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (name === undefined || vocabulary.includes(name) || 5 * n! < 4 * objects) continue;
    said.push(
      `${n === objects ? `All ${n}` : `${n} of the ${objects}`} objects labelled “${label}” now say “${name}”, ` +
        `which is not in collection.vocabulary: if “${label}” was renamed, rename it in collection.vocabulary in ` +
        `params.yaml too (“${label}” → “${name}”), in this pull request.`,
    );
  }
  return said.length > 0 ? said.join('\n') : null;
}

/** After labelLossWords, in the comment: what it means and what to do. */
function lossMeaning(loss: { lost: unknown[] }): string {
  return (
    'Scored on the labels that are left, a model looks better than it is (with one label left it cannot be ' +
    'wrong), so this change is not judged better.\n' +
    (loss.lost.length > 0
      ? 'This model would publish the objects of the missing labels under the ones left. '
      : 'This model learnt from far fewer labels than the one in production. ') +
    'If that was not meant (a filter left on in a spreadsheet, a bad merge), restore labels.csv.'
  );
}

function paramsFromText({ text, log }: { text: string | null; log: Logger }): unknown {
  if (text === null) return validateParams({ raw: {} });
  try {
    return validateParams({ raw: parseYaml(text), file: 'params.yaml (base)' });
  } catch (error) {
    // An older params.yaml may not fit today's schema; compare what it literally said.
    log.debug(`base params.yaml does not validate (${(error as Error).message}); comparing raw values`);
    try {
      return parseYaml(text);
    } catch {
      return {};
    }
  }
}

async function readJson<T>({
  ws,
  file,
  stage,
  optional = false,
}: {
  ws: Workspace;
  file: string;
  stage: string;
  optional?: boolean;
}): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (optional) return null;
      throw new VitrineError(
        'REPORT_INPUT_MISSING',
        `The report needs ${rel(ws, file)}, which the ${stage} stage writes. Run \`npx vitrine run ${stage}\` first.`,
        { file: rel(ws, file) },
      );
    }
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new VitrineError(
      'REPORT_INPUT_BROKEN',
      `${rel(ws, file)} is not valid JSON (${(error as Error).message}). Run \`npx vitrine run ${stage} --force\` to write it again.`,
      { file: rel(ws, file) },
      { cause: error },
    );
  }
}

/**
 * labels.csv's lines as the dataset stage counts them (`agreed`: lines that disagree leave their object unlabelled),
 * the objects whose lines disagree with those lines (`disagreeing`, by the same rule, agreedLines; read only for the
 * objects `agreed` leaves unlabelled, so a line outside the vocabulary beside one in it is shown, not counted), the
 * lines of objects whose only lines have the label cell empty (`emptied`), and every object with a line (`named`);
 * apart, the lines whose object id is longer than any may be (`overlong`), which the dataset stage skips.
 */
function readAgreed({
  text,
  file,
  vocabulary,
  objectOf,
}: {
  text: string;
  file: string;
  vocabulary: string[];
  /** The object a line's id names (objectIdOf): the lines are read by object, as the dataset stage reads them. */
  objectOf: (id: string) => string;
}): {
  agreed: LabelLine[];
  disagreeing: Map<string, LabelLine[]>;
  emptied: Map<string, number[]>;
  named: Set<string>;
  overlong: LabelLine[];
  repeated: RepeatedLines[];
  tabs: LabelLine[];
} {
  const read: LabelLine[] = [];
  // Lines whose id is longer than any may be are skipped by the dataset stage before it reads the others: set apart.
  const overlong = (l: LabelLine) => overLimit({ value: l.objectId, most: MAX_ID_BYTES }) !== undefined;
  const tabs: LabelLine[] = [];
  const parsed = parseLabels({ text, file, blanks: read, tabs });
  const labels = parsed.filter((l) => !overlong(l)).map((l) => ({ ...l, objectId: objectOf(l.objectId) }));
  const blanks = read.filter((l) => !overlong(l)).map((l) => ({ ...l, objectId: objectOf(l.objectId) }));
  const disagreeing = new Map<string, LabelLine[]>();
  for (const [id, { lines, agreed }] of agreedLines({ labels, blanks })) if (!agreed) disagreeing.set(id, lines);
  const labelled = new Set(labels.map((l) => l.objectId));
  const emptied = new Map<string, number[]>();
  for (const b of blanks)
    if (!labelled.has(b.objectId)) emptied.set(b.objectId, [...(emptied.get(b.objectId) ?? []), b.line]);
  return {
    agreed: agreedLabels({ labels, blanks, vocabulary }),
    disagreeing,
    emptied,
    named: new Set(labels.map((l) => l.objectId)),
    overlong: parsed.filter(overlong),
    repeated: repeatedLines({ labels, blanks, vocabulary }),
    tabs: tabs.filter((l) => !overlong(l)),
  };
}

/** A label change with its labels cut as the report shows them (shortLabel); one without a long label as it is. */
function withShortLabels(c: LabelChange): LabelChange {
  const long = (label: string | null) => label !== null && shortLabel(label) !== label;
  if (!long(c.before) && !long(c.after) && !c.disagreeing?.some((l) => long(l.label))) return c;
  return {
    ...c,
    before: shortLabel(c.before),
    after: shortLabel(c.after),
    ...(c.disagreeing ? { disagreeing: c.disagreeing.map((l) => ({ ...l, label: shortLabel(l.label) })) } : {}),
  };
}
