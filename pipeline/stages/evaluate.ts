import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { labelForm } from '../collection/hidden-characters.ts';
import { labelList } from '../collection/vocabulary.ts';
import { listWords, plural, stateFileOf } from '../data/ops.ts';
import { readDataset } from '../dataset/build.ts';
import { spreadsheetLosses, spreadsheetLossWords } from '../dataset/validate.ts';
import { VitrineError } from '../errors.ts';
import { baseSource, readBaseLabels, renumberedFor } from '../evaluate/base-labels.ts';
import { crossValidateCollection } from '../evaluate/collection-cv.ts';
import { FOLD_RULE } from '../evaluate/crossval.ts';
import { FAMILIARITY_K, familiarityCut, referenceObjects } from '../evaluate/familiarity.ts';
import {
  grownCollection,
  grownCollectionWords,
  labelLossOf,
  withLabelLossCheck,
  withSmallCollectionWayOut,
  withSpreadsheetIdsCheck,
  withUnseenSourceCheck,
} from '../evaluate/gate.ts';
import { crossValidatedSummary } from '../evaluate/label-change.ts';
import { renamed, renameVerb, renameWords } from '../evaluate/label-renames.ts';
import { buildMetrics } from '../evaluate/metrics.ts';
import { labelsBeingBuilt } from '../evaluate/new-labels.ts';
import { embedObjects, type OofFile } from '../evaluate/oof.ts';
import { type BaselineOverlap, baselineOverlap } from '../evaluate/overlap.ts';
import { publicationEstimate, unpublishedWords } from '../evaluate/publication.ts';
import {
  type SettingChange,
  settingAdvice,
  settingChangeWords,
  trainingSettingChanges,
  withSettingChanges,
} from '../evaluate/trained-with.ts';
import { pValueWords } from '../evaluate/verdict-words.ts';
import { writeJsonAtomic } from '../fs.ts';
import { readTextAtCommit, resolveCommit } from '../git/history.ts';
import { FETCH_HISTORY, isShallow } from '../git/repo.ts';
import { headCommit } from '../git/tags.ts';
import { type Logger, silentLogger } from '../log.ts';
import { selectBackend } from '../model/backend.ts';
import { readModelInfo } from '../model/io.ts';
import { leftOutError, warnLeftOut } from '../model/left-out.ts';
import { type Classified, classifyObjects } from '../model/predict.ts';
import { MODEL_PARAM_KEYS, type Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import { isGtoVersion } from '../registry/gto.ts';
import { folderIdentity } from '../registry/identity.ts';
import { type CurrentInputs, currentInputs } from '../registry/lineage.ts';
import { findVersion, type Headline, readRegistry, unknownVersion } from '../registry/registry.ts';
import { resolveModelDir } from '../registry/resolve.ts';
import { folderMatches } from '../registry/store.ts';
import type { TestPrediction } from '../report/types.ts';
import { flaggedDifferWords } from '../review/flagged.ts';
import { labelsThatMayBeWrong, reasonOf, reviewFromOof } from '../review/index.ts';
import type { Dataset, DatasetObject, Metrics, ModelInfo } from '../types.ts';
import { hashPath, readLock } from './graph.ts';
import { reportBaseGiven } from './report.ts';
import type { Stage, StageContext } from './stage.ts';
import { leftOutField } from './train.ts';

/** Which baseline the evaluation compares with (promoting another model changes it). */
async function baselineFingerprint({ ws, params }: StageContext): Promise<{ baseline: string | null }> {
  const wanted = params.evaluate.baseline;
  if (wanted === 'none') return { baseline: null };
  try {
    const state = await readRegistry({ dir: ws.root, name: params.registry.model_name });
    const baseline = findVersion({ state, version: wanted });
    // Promoting the model this stage just evaluated makes it the baseline of itself: nothing new
    // to compare with, so the baseline stays the one it was evaluated against.
    const manifest = baseline?.registration?.manifest;
    if (manifest && (await folderMatches({ dir: ws.model, manifest }).catch(() => false))) {
      const metrics = JSON.parse(
        await readFile(path.join(ws.evaluate, EVALUATE_FILES.metrics), 'utf8').catch(() => '{}'),
      ) as Partial<Metrics>;
      return { baseline: metrics.baseline?.version ?? null };
    }
    return { baseline: baseline?.version ?? null };
  } catch {
    return { baseline: null };
  }
}

/**
 * evaluate.baseline naming a version that is not registered (a typo, a version of another collection) stops the
 * evaluation, naming the registered ones: taken for "no model yet", the model would be judged on its own, without
 * the check against the baseline (a tester's much worse model was promoted so). prod or latest with no model
 * registered yet is the first model, judged on its own.
 */
async function refuseUnknownBaseline({ ws, params }: Pick<StageContext, 'ws' | 'params'>): Promise<void> {
  const wanted = params.evaluate.baseline;
  if (['none', 'prod', 'latest'].includes(wanted)) return;
  const name = params.registry.model_name;
  const state = await readRegistry({ dir: ws.root, name });
  if (findVersion({ state, version: wanted })) return;
  const unknown = unknownVersion({ name, version: wanted, state });
  // A shallow clone may only lack the registry's tags.
  const shallow = (await isShallow(ws.root))
    ? ` This copy of the repository holds only part of its history (a shallow clone), so the model registry's git ` +
      `tags may be missing from it. ${FETCH_HISTORY}`
    : '';
  throw new VitrineError(
    'EVALUATE_BASELINE_UNKNOWN',
    `params.yaml: evaluate.baseline is "${wanted}", the model to compare this one with, but it cannot be found. ` +
      `${unknown.message} Without it this model would be judged as a first model, with no check against the ` +
      'model it replaces: set evaluate.baseline to prod (the model in production), to one of the registered ' +
      'versions or stages, or to none to judge the model on its own (a stage other than prod is assigned by hand, ' +
      `with \`gto assign\`: Vitrine assigns only prod).${shallow}`,
    { ...unknown.data, baseline: wanted },
  );
}

/** The commit a registered model version is tagged on, or null when the registry cannot say. */
async function registeredCommit(options: {
  ws: { root: string };
  params: { registry: { model_name: string } };
  version: string;
}): Promise<string | null> {
  return (await registered(options))?.commit ?? null;
}

/** A registered model version's tag commit and the params recorded with it, or null when the registry cannot say. */
async function registered({
  ws,
  params,
  version,
}: {
  ws: { root: string };
  params: { registry: { model_name: string } };
  version: string;
}): Promise<{ commit: string; params: unknown; headline: Headline | null } | null> {
  try {
    const state = await readRegistry({ dir: ws.root, name: params.registry.model_name });
    const found = findVersion({ state, version });
    return found
      ? {
          commit: found.commit,
          params: found.registration?.lineage?.params?.values,
          headline: found.registration?.headline ?? null,
        }
      : null;
  } catch {
    return null;
  }
}

/** `.vitrine/evaluate/metrics.json` and `predictions.json`. */
export const EVALUATE_FILES = {
  metrics: 'metrics.json',
  predictions: 'predictions.json',
  oof: 'oof.json',
  review: 'review.json',
} as const;

/**
 * Probability rows re-ordered from a model's labels to `labels` (the current vocabulary). A label the
 * model never knew gets probability 0; probability on labels no longer in the vocabulary is dropped.
 */
export function alignProbabilities({
  rows,
  from,
  to,
}: {
  rows: ArrayLike<number>[];
  from: string[];
  to: string[];
}): number[][] {
  // Labels are read in one form (labelForm: NFC, plain spaces) since labels.csv and params.yaml are: a model trained
  // before on a label stored decomposed ("e" and an accent), or with a no-break space, still has it that way.
  const own = from.map(labelForm);
  // Every column of a label, summed: a renamed label (label-renames.ts) may land on a name the model also knew,
  // unused (a reviewer: the first column alone dropped the old label's probabilities, and a rename was "Better").
  const columns = to.map((label) => own.flatMap((name, j) => (name === labelForm(label) ? [j] : [])));
  return rows.map((row) => columns.map((js) => js.reduce((sum, j) => sum + row[j]!, 0)));
}

/** The baseline as evaluate.baseline names it: production (prod), the newest version (latest), a version or a stage. */
function baselineWords(baseline: string): string {
  if (baseline === 'prod') return 'production';
  if (baseline === 'latest') return 'the newest version';
  // Another stage assigned with GTO ("staging"), which the registry finds a version by.
  return isGtoVersion(/^\d/.test(baseline) ? `v${baseline}` : baseline)
    ? 'the version asked for'
    : `the model in stage ${baseline}`;
}

/** Each cross-validated object's embedding by id (look-alike.ts), from the cache cross-validation filled. */
async function oofVectors({
  ws,
  params,
  info,
  dataset,
  oof,
  log,
}: {
  ws: Workspace;
  params: Params;
  info: ModelInfo;
  dataset: Dataset;
  oof: OofFile;
  log: Logger;
}): Promise<Map<string, Float32Array>> {
  const ids = new Set(oof.objects.map((o) => o.id));
  const objects = dataset.objects.filter((o) => ids.has(o.id) && o.imageMd5 !== '');
  const vectors = await embedObjects({ ws, params, info, objects, log });
  return new Map(objects.flatMap((o) => (vectors.has(o.imageMd5) ? [[o.id, vectors.get(o.imageMd5)!] as const] : [])));
}

/** The objects (in order) every one of `classified` answered for: those with a usable embedding. */
function answeredBy<T extends { id: string }>({
  objects,
  classified,
}: {
  objects: T[];
  classified: Classified[];
}): T[] {
  const sets = classified.map((c) => new Set(c.ids));
  return objects.filter((o) => sets.every((ids) => ids.has(o.id)));
}

/** `objects` (a subset of what was classified) that are not in `kept`. */
function leftOutOf<T extends { id: string }>({ objects, kept }: { objects: T[]; kept: T[] }): T[] {
  const ids = new Set(kept.map((o) => o.id));
  return objects.filter((o) => !ids.has(o.id));
}

/** A classification cut down to `objects` (each answered), in their order. */
function onlyFor({ classified, objects }: { classified: Classified; objects: { id: string }[] }): Classified {
  const at = new Map(classified.ids.map((id, i) => [id, i]));
  const rows = objects.map((o) => at.get(o.id)!);
  return {
    ...classified,
    ids: objects.map((o) => o.id),
    probabilities: rows.map((i) => classified.probabilities[i]!),
    predictions: rows.map((i) => classified.predictions[i]!),
  };
}

/**
 * The evaluate stage: the trained model and the baseline (the promoted model by default) on the same
 * labelled test objects with today's labels; scores with intervals, the paired comparison and the gate.
 */
export const evaluateStage: Stage = {
  name: 'evaluate',
  summary:
    'Score the trained model on the test split, compare it with the promoted model on the same objects, and check the promotion gate.',
  deps: {
    // labels.csv, data.dvc and the model-shaping params are hashed into metrics.json's inputs
    // (promotion refuses a model whose inputs changed), so a change to any of them reruns this stage.
    paths: ['labels.csv', 'data.dvc'],
    // annotate: the publication thresholds are chosen here.
    params: [...MODEL_PARAM_KEYS, 'annotate'],
    stages: ['dataset', 'train'],
  },
  outs: ['.vitrine/evaluate'],
  // Promoting (or rolling back) another model changes the baseline: rerun. So does another way of drawing the
  // cross-validation's folds (FOLD_RULE): oof.json, the review list and the verdict from the old folds are not kept.
  async fingerprint(ctx) {
    const ref = reportBaseGiven(ctx.env);
    const found = { ...(await baselineFingerprint(ctx)), 'cross-validation folds': FOLD_RULE };
    // The pull request's base holds the labels the cross-validated comparison starts from.
    if (ref)
      return {
        ...found,
        labelsBase: { ref, commit: await resolveCommit({ dir: ctx.ws.root, ref }).catch(() => null) },
      };
    if (found.baseline === null) return found;
    // Without one, on a branch: the labels where it left collection.branch. Where they are not production's (main
    // moved on with labels since, or its model was rolled back or failed the gate), their content is fingerprinted:
    // a branch that takes in main's new labels, or is merged (its run on main compares with production's commit), is
    // judged again, while a rebase over code alone keeps its minutes of cross-validation. Where they are production's
    // (the README walkthrough), the baseline's version already fixes them, and a merged branch's evaluation stays
    // valid on main (its words then say "main where this branch left it": the same labels as production's).
    const { ws, params, env } = ctx;
    const source = await baseSource({ ws, params, env, baselineCommit: null, baselineVersion: null });
    if (!source?.commit || !source.branchPoint) return found;
    const production = await registeredCommit({ ws, params, version: found.baseline });
    const labelsAt = (commit: string) =>
      readTextAtCommit({ dir: ws.root, commit, filepath: rel(ws, ws.labels) }).catch(() => null);
    const text = await labelsAt(source.commit);
    if (production && text === (await labelsAt(production))) return found;
    const labels = text === null ? null : createHash('sha256').update(text).digest('hex');
    return { ...found, labelsBase: { ref: source.ref, labels } };
  },
  async run({ ws, params, log, clock, env }) {
    // Before minutes of scoring: the comparison this run is for.
    await refuseUnknownBaseline({ ws, params });
    const dataset = await readDataset({ ws });
    const labels = dataset.labels;
    const candidateInfo = await readModelInfo({ dir: ws.model });
    // Which model these scores and thresholds are for (read first: what is scored is what is named); promotion
    // and annotation refuse them for any other model.
    const evaluatedIdentity = await folderIdentity({ dir: ws.model });
    if (candidateInfo.labels.join('\n') !== labels.join('\n')) {
      throw new VitrineError(
        'EVALUATE_LABELS_CHANGED',
        `The trained model knows the labels ${labelList(candidateInfo.labels)}, but the dataset's vocabulary is ` +
          `now ${labelList(labels)}. Run "vitrine run train" again.`,
        {},
      );
    }
    const classOf = new Map(labels.map((l, i) => [l, i]));
    const labelledTest = dataset.objects.filter(
      (o): o is DatasetObject & { label: string } =>
        o.split === 'test' && o.label !== null && classOf.has(o.label) && o.image !== '' && o.imageMd5 !== '',
    );
    if (labelledTest.length === 0)
      log.warn(
        'There are no labelled test objects, so the model cannot be scored: label more objects (about a fifth ' +
          'of them land in the test split).',
      );

    // One backend for both models (and one notice in the log).
    const backend = await selectBackend({ preference: params.train.backend, log });
    // Progress in words: evaluate can take minutes on a large collection (the tester saw 5 min of silence).
    log.info(`Evaluating: scoring this model on ${plural(labelledTest.length, 'test object')} …`);
    const candidateAll = await classifyObjects({ ws, params, modelDir: ws.model, objects: labelledTest, log, backend });
    // This model's own scores use every test object it could embed (left-out.ts).
    const test = answeredBy({ objects: labelledTest, classified: [candidateAll] });
    const candidate = onlyFor({ classified: candidateAll, objects: test });

    let baseline: {
      version: string;
      /** The baseline's answers for `paired`, in its order. */
      classified: Classified;
      /** The test objects both models answered: the comparison is paired on these. */
      paired: typeof test;
      overlap: BaselineOverlap;
    } | null = null;
    let settingChanges: SettingChange[] = [];
    // What the baseline was registered with: the report says why today's score of it differs.
    let baselineHeadline: Headline | null = null;
    if (params.evaluate.baseline !== 'none') {
      const resolved = await resolveModelDir({ ws, params, version: params.evaluate.baseline, log });
      if (resolved) {
        log.info(
          `Evaluating: comparing with ${baselineWords(params.evaluate.baseline)} (${resolved.version}) on the same ` +
            `${plural(test.length, 'test object')} …`,
        );
        const baselineAll = await classifyObjects({ ws, params, modelDir: resolved.dir, objects: test, log, backend });
        // A baseline on another backbone may not read images this model reads: those images are fine, they
        // only leave the comparison (paired, on the objects both answered), never this model's own scores.
        const paired = answeredBy({ objects: test, classified: [baselineAll] });
        const unread = leftOutOf({ objects: test, kept: paired });
        const backboneOf = `its backbone (${baselineAll.info.backbone.id}) gave no usable numbers for them`;
        if (paired.length === 0 && test.length > 0) {
          log.warn(
            `The baseline ${resolved.version} could read none of the ${plural(test.length, 'test object')}' ` +
              `images (${backboneOf}; this model read them), so there is nothing to compare it with: this model ` +
              'is judged on its own, as when no model is in production.',
          );
        } else {
          const unreadIds = listWords(
            unread.map((o) => o.id),
            { last: ',', max: 10 },
          );
          if (unread.length > 0)
            log.warn(
              `The baseline ${resolved.version} could not read the images of ${unread.length} of the ${test.length} ` +
                `test objects (${unreadIds}): ${backboneOf}, while this model read them, so the images are ` +
                `fine. They are left out of the comparison with it, which uses the other ${paired.length}; this ` +
                `model's own scores still use all ${test.length}.`,
            );
          const classified = onlyFor({ classified: baselineAll, objects: paired });
          const overlap = baselineOverlap({ info: classified.info, split: params.dataset.split, objects: paired });
          baseline = { version: resolved.version, classified, paired, overlap };
          if (overlap.excluded > 0) {
            log.warn(
              `${overlap.excluded} of the ${paired.length} test objects${unread.length > 0 ? ' it could read' : ''} ` +
                `were in the training data of the baseline ${resolved.version}` +
                `${overlap.splitChanged ? ' (the split settings, dataset.split, changed since it was trained)' : ''}. ` +
                `They are left out of the comparison with it, which uses the ` +
                `other ${paired.length - overlap.excluded}; this model's own scores still use all ${test.length}.`,
            );
          } else if (overlap.splitChanged && !overlap.imagesKnown) {
            log.warn(
              `The split settings (dataset.split) changed since the baseline ${resolved.version} was trained, so ` +
                `some of today's test objects may have been in its training data: the comparison may favour the baseline.`,
            );
          } else if (overlap.splitChanged === null) {
            log.info(
              `The baseline ${resolved.version} does not record how its dataset was split; if dataset.split ` +
                `changed since it was trained, the comparison may favour it.`,
            );
          }
          // Trained with other settings (a pull request's change, or an upgrade of Vitrine with new defaults):
          // the comparison is also one of those settings, said here and, when the gate fails, in its detail.
          const record = await registered({ ws, params, version: resolved.version });
          baselineHeadline = record?.headline ?? null;
          settingChanges = trainingSettingChanges({
            recorded: record?.params,
            now: params,
          });
          if (settingChanges.length > 0)
            log.warn(
              `The model compared with (${resolved.version}) was trained with other training settings than this ` +
                `one: ${settingChangeWords(settingChanges)}. The comparison with it is also a comparison of those ` +
                `settings. ${settingAdvice({ changes: settingChanges, version: resolved.version })}.`,
            );
        }
      } else {
        const none = `No model is registered as "${params.evaluate.baseline}" yet: this model is judged on its own.`;
        // A shallow clone may only lack the registry's tags: the comparison with production would be lost unsaid.
        if (await isShallow(ws.root))
          log.warn(
            `${none} But this copy of the repository holds only part of its history (a shallow clone), so the model ` +
              `registry's git tags may be missing from it. ${FETCH_HISTORY}`,
          );
        else log.info(none);
      }
    }
    const testLeftOut = leftOutOf({ objects: labelledTest, kept: test });
    if (test.length === 0 && testLeftOut.length > 0)
      throw leftOutError({
        code: 'EVALUATE_NO_EMBEDDINGS',
        problem: 'No test object can be scored',
        leftOut: testLeftOut,
      });
    warnLeftOut({
      leftOut: testLeftOut,
      what: `the test scores${baseline ? ' and the comparison with the baseline' : ''}`,
      consequence: `The scores are on the other ${plural(test.length, 'test object')}.`,
      log,
    });
    const y = test.map((o) => classOf.get(o.label)!);

    // Every labelled object, predicted by a head trained on the other folds (cheap: cached embeddings),
    // and a label change judged on all of them when the base's labels are known.
    const baselineCommit = baseline ? await registeredCommit({ ws, params, version: baseline.version }) : null;
    // The labels before: the given base, else where this branch left collection.branch, else the baseline's commit.
    const source = baseline
      ? await baseSource({ ws, params, env, baselineCommit, baselineVersion: baseline.version })
      : null;
    if (source?.branchPoint)
      log.info(`The labels before this change are those of ${source.ref} (commit ${source.commit!.slice(0, 12)}).`);
    // evaluate.folds: 0 switches it off (very large collections: each fold trains a head).
    if (params.evaluate.folds >= 2)
      log.info(
        `Evaluating: cross-validating on all labelled objects (${params.evaluate.folds} folds, each trains a model` +
          `${source ? `, and the same on the labels at ${source.ref} if they differ` : ''}) …`,
      );
    const cv =
      params.evaluate.folds >= 2
        ? await crossValidateCollection({
            ws,
            params,
            env,
            dataset,
            info: candidateInfo,
            tf: backend.tf,
            log,
            source,
          })
        : null;
    const {
      oof = null,
      crossValidated = null,
      notJudged = null,
      outOfCollection = null,
      outOfCollectionMissing = null,
      leftOut: cvLeftOut = [],
    } = cv ?? {};
    // The labels the change started from, to see labels that lost all their objects: the test split cannot show
    // them (a vanished label has no test objects), and scored on one class left any model is right.
    const labelledNow = new Map(
      dataset.objects.flatMap((o) => (o.label !== null && classOf.has(o.label) ? [[o.id, o.label] as const] : [])),
    );
    const objectIds = new Set(dataset.objects.map((o) => o.id));
    const baseLabels = cv
      ? cv.base
      : baseline
        ? await readBaseLabels({
            ws,
            env,
            source,
            objectIds,
            vocabulary: labels,
            now: labelledNow,
            renumbered: renumberedFor({ ws, objects: dataset.objects, log }),
            log,
          })
        : null;
    // A renamed label: the base's old name is read as the new one (label-renames.ts).
    const renames = baseLabels?.renames ?? [];
    if (renames.length > 0)
      log.info(
        `This change ${renameVerb(renames)}: ${renameWords(renames)}. The labels before and the model in production ` +
          'are compared under the new names.',
      );
    // The model in production may have been trained before a rename main already has (a rollback, a merge not
    // promoted): the labels at the commit it was registered on tell the names it is read under (a reviewer).
    const productionRenames =
      baseline && baselineCommit && baseLabels?.commit !== baselineCommit
        ? ((
            await readBaseLabels({
              ws,
              env,
              source: { ref: `the commit of ${baseline.version}`, commit: baselineCommit },
              objectIds,
              vocabulary: labels,
              now: labelledNow,
              log: silentLogger,
            })
          )?.renames ?? [])
        : renames;
    // Said only of renames this change does not make (a reviewer: a pull request's own rename was said twice).
    const earlier = productionRenames.filter((r) => !renames.some((own) => own.from === r.from && own.to === r.to));
    if (baseline && earlier.length > 0)
      log.info(
        `The model in production (${baseline.version}) was trained before labels were renamed ` +
          `(${renameWords(earlier)}): it is compared under the new names.`,
      );
    const known = new Set(baseline?.classified.info.labels.map((l) => labelForm(renamed(l, productionRenames))));
    if (baseline && labels.some((l) => !known.has(labelForm(l))))
      log.warn(
        `The baseline ${baseline.version} knows the labels ${labelList([...known])}; it is scored on ` +
          `today's vocabulary (${labelList(labels)}), where labels it never learnt count against it.`,
      );
    const labelLoss = baseLabels
      ? labelLossOf({
          ref: baseLabels.ref,
          base: baseLabels.labelOf,
          now: labelledNow,
          vocabulary: labels,
        })
      : null;
    // The photographs' embeddings (cached by cross-validation), to tell look-alikes with conflicting labels.
    const listed = oof
      ? reviewFromOof({ oof, vectors: await oofVectors({ ws, params, info: candidateInfo, dataset, oof, log }) })
      : null;
    // train.flagged: drop: which labels the model was trained without, for `vitrine review` to say which list is which.
    const review =
      listed && candidateInfo.flagged
        ? { ...listed, leftOut: trainedWithout({ info: candidateInfo, dataset }) }
        : listed;
    // train.flagged: drop: the labels training left out are the ones the list flags, unless the folds learnt from
    // other objects than training's search did; then the run log names them (a museum reads "trained without them").
    const differ =
      review && candidateInfo.flagged
        ? flaggedDifferWords({
            left: candidateInfo.flagged.ids,
            review,
            splitOf: new Map(dataset.objects.map((o) => [o.id, o.split])),
            cvMaxObjects: params.evaluate.cv_max_objects,
          })
        : null;
    if (differ) log.warn(differ);
    const publication = oof
      ? publicationEstimate({
          y: oof.objects.map((o) => labels.indexOf(o.label)),
          probs: oof.objects.map((o) => o.probabilities),
          folds: oof.objects.map((o) => o.fold),
          k: oof.k,
          labels,
          ids: oof.objects.map((o) => o.id),
          minPrecision: params.annotate.min_precision,
          resamples: params.evaluate.bootstrap,
        })
      : null;
    for (const [label, entry] of Object.entries(publication?.unpublished ?? {}))
      log.warn(unpublishedWords({ label, entry, minPrecision: params.annotate.min_precision }));
    if (publication && params.annotate.familiarity) {
      // What "a photograph like the labelled ones" means, for annotation to hold back the others (familiarity.ts).
      const reference = referenceObjects({ objects: dataset.objects, labels });
      const vectors = await embedObjects({ ws, params, info: candidateInfo, objects: reference, log });
      const rows = reference.map((o) => vectors.get(o.imageMd5)).filter((v) => v !== undefined);
      const q = params.annotate.familiarity_quantile;
      const familiarity = await familiarityCut({ tf: backend.tf, reference: rows, q });
      if (familiarity) publication.familiarity = { ...familiarity, backbone: candidateInfo.backbone.id };
      else {
        // Recorded, so annotation says why the check did not run rather than that it was never asked for.
        publication.familiarityNotApplied = { reference: rows.length, k: FAMILIARITY_K };
        log.warn(
          `Too few labelled photographs (${rows.length}) to judge which photographs are unlike them; the check ` +
            '(annotate.familiarity) was not applied, so annotations are published by their confidence alone.',
        );
      }
    }
    for (const [name, value] of [
      [EVALUATE_FILES.oof, oof],
      [EVALUATE_FILES.review, review],
    ] as const) {
      // Without cross-validation, no stale file from an earlier run may speak for this one.
      if (value) await writeJsonAtomic({ file: path.join(ws.evaluate, name), value });
      else await rm(path.join(ws.evaluate, name), { force: true });
    }
    if (!cv)
      log.info(
        'evaluate.folds is 0: no cross-validation, so no review list, publication thresholds or verdict on every ' +
          'labelled object. Promoted as a new version, this model publishes none of its annotations as fact: all ' +
          'wait for staff (a model already registered keeps the thresholds stored with it).',
      );

    const inputs = await inputsOfDataset({ ws, params });
    // The baseline's rows in test order: an object it could not read gets a placeholder row, left out of
    // its scores and of the comparison like one it trained on (buildMetrics' `exclude`).
    const pairedRow = new Map((baseline?.paired ?? []).map((o, i) => [o.id, i]));
    const unread = baseline ? test.length - baseline.paired.length : 0;
    const baselineRows = baseline
      ? alignProbabilities({
          rows: baseline.classified.probabilities,
          from: baseline.classified.info.labels.map((l) => renamed(l, productionRenames)),
          to: labels,
        })
      : [];
    const placeholder = labels.map(() => 1 / labels.length);
    const metrics: Metrics = buildMetrics({
      labels,
      objects: test,
      y,
      candidate: candidate.probabilities,
      baseline: baseline
        ? {
            version: baseline.version,
            probs: test.map((o) => baselineRows[pairedRow.get(o.id) ?? -1] ?? placeholder),
            exclude: test.map((o) => {
              const i = pairedRow.get(o.id);
              return i === undefined || baseline.overlap.seen[i]!;
            }),
            splitChanged: baseline.overlap.splitChanged,
          }
        : null,
      params,
      createdAt: clock.now().toISOString(),
      backend: candidate.backend,
      backbone: candidateInfo.backbone.id,
      inputs: {
        data: inputs.data,
        labels: inputs.labels,
        params: inputs.params,
        commit: await headCommit({ dir: ws.root }),
        model: evaluatedIdentity,
      },
      // A label new in this change (or still being built up) on a few objects: not judged by its F1 yet.
      newLabels: labelsBeingBuilt({
        labels,
        objects: dataset.objects.map((o) => ({
          split: o.split,
          now: labelledNow.get(o.id) ?? null,
          before: baseLabels?.labelOf.get(o.id) ?? null,
        })),
        base: baseLabels !== null,
        minTestPerClass: params.dataset.min_test_per_class,
        testShare: params.dataset.split.test,
      }),
    });
    if (metrics.baseline && baselineHeadline) {
      const { macroF1, accuracy, n } = baselineHeadline;
      if ([macroF1, accuracy, n].every(Number.isFinite)) metrics.baseline.registered = { macroF1, accuracy, n };
    }
    if (metrics.baseline && unread > 0) {
      // `excluded` counts both kinds; the test's words name each.
      metrics.baseline.unanswered = unread;
      const trained = baseline!.overlap.excluded;
      const c = metrics.baseline.comparison;
      c.test =
        c.test.replace(/; \d+ test objects? the baseline trained on left out$/, '') +
        (trained > 0 ? `; ${plural(trained, 'test object')} the baseline trained on left out` : '') +
        `; ${plural(unread, 'test object')} whose images the baseline could not read left out`;
      metrics.changedPredictions = metrics.changedPredictions.filter((p) => pairedRow.has(p.id));
    }
    // Counted once each: an object left out of the test scores is left out of cross-validation too.
    const leftOutIds = new Set([...testLeftOut, ...cvLeftOut].map((o) => o.id));
    Object.assign(metrics, leftOutField(dataset.objects.filter((o) => leftOutIds.has(o.id))));
    if (crossValidated) metrics.crossValidated = crossValidated;
    if (notJudged) metrics.crossValidatedNotJudged = notJudged;
    if (publication) metrics.publication = publication;
    if (outOfCollection) metrics.outOfCollection = outOfCollection;
    // Also without an estimate: a check the gate asks for that could not be made fails, saying why.
    metrics.gate = withUnseenSourceCheck({
      gate: metrics.gate,
      estimate: outOfCollection,
      minimum: params.gate.min_unseen_macro_f1,
      why: outOfCollectionMissing,
    });
    metrics.gate = withLabelLossCheck({ gate: metrics.gate, loss: labelLoss, unmatched: baseLabels?.unmatched });
    // A collection too small to reach gate.min_test_objects is told the settings to set, not to label more.
    const photographedInTest = dataset.objects.filter((o) => o.split === 'test' && o.imageMd5).length;
    metrics.gate = withSmallCollectionWayOut({
      gate: metrics.gate,
      scored: metrics.perClass.reduce((sum, c) => sum + c.support, 0),
      photographedInTest,
      minimum: params.gate.min_test_objects,
      maxDrop: params.gate.max_macro_f1_drop,
    });
    // labels.csv naming objects by ids a spreadsheet changed ("1" for "00001"): staff labels lost by a broken edit,
    // which fails the gate (the report's first line says the same count, from the same function and dataset.json).
    const labelledIds = new Set(dataset.objects.flatMap((o) => (o.label === null ? [] : [o.id])));
    const spreadsheet = spreadsheetLosses({ issues: dataset.issues, labelled: (id) => labelledIds.has(id) });
    const spreadsheetWords = spreadsheetLossWords({ losses: spreadsheet });
    if (spreadsheetWords) log.warn(spreadsheetWords.long, { file: 'labels.csv', line: spreadsheet[0]!.line });
    metrics.gate = withSpreadsheetIdsCheck({ gate: metrics.gate, losses: spreadsheet });
    if (baseline)
      metrics.gate = withSettingChanges({ gate: metrics.gate, changes: settingChanges, version: baseline.version });
    // A collection that has outgrown the lower gate set for a small one (vitrine init): said once here, and in the
    // report's gate section.
    const grown = grownCollection({ photographedInTest, gate: params.gate });
    if (grown) {
      metrics.gate = { ...metrics.gate, grown };
      log.info(grownCollectionWords({ grown }));
    }
    // The report says it beside the comparison, whether or not the gate passes.
    if (metrics.baseline && settingChanges.length > 0) metrics.baseline.settingChanges = settingChanges;
    // The report says it, and withholds "Better" when a change removes labels wholesale (labelLossWords).
    if (labelLoss) metrics.labelLoss = labelLoss;
    if (renames.length > 0) metrics.labelRenames = renames;
    if (review) {
      metrics.mislabelled = {
        checked: review.checked,
        candidates: review.items.length,
        confident: review.confident,
        // Flagged against only ranked high: the report marks what `vitrine review` and the catalogue mark.
        flagged: review.items.filter((i) => reasonOf(i, review.agreement) === 'flagged').length,
        ...(review.agreement ? { agreement: review.agreement } : {}),
        top: review.items.slice(0, 20).map((i) => ({
          id: i.id,
          label: i.label,
          suggested: i.suggested,
          score: i.score,
          confidence: i.confidence,
          confident: i.confident,
          reason: reasonOf(i, review.agreement),
          ...(i.lookAlike ? { lookAlike: i.lookAlike } : {}),
          ...(i.lookAlikes ? { lookAlikes: i.lookAlikes } : {}),
        })),
      };
    }
    const predictions: TestPrediction[] = test.map((o, i) => ({
      id: o.id,
      label: o.label,
      candidate: candidate.predictions[i]!,
      baseline: baseline ? (baseline.classified.predictions[pairedRow.get(o.id) ?? -1] ?? null) : null,
    }));
    await writeJsonAtomic({ file: path.join(ws.evaluate, EVALUATE_FILES.predictions), value: predictions });
    await writeJsonAtomic({ file: path.join(ws.evaluate, EVALUATE_FILES.metrics), value: metrics });

    const summary = evaluateSummary({
      metrics,
      unread,
      leftOut: leftOutIds.size,
      mayBeWrong: review ? labelsThatMayBeWrong(review).length : null,
      spreadsheetLost: spreadsheet.length,
    });
    return { summary };
  },
};

/**
 * The evaluate stage's summary (the run log, and the report's "Where this result comes from"), each p-value followed
 * by what it means: "…; better than v1.0.0 (p = 0.012: with no real difference, one this large would turn up by
 * chance about 1 time in 80); …; gate passed". `unread`: test objects whose images the baseline could not read;
 * `leftOut`: objects the image model could not use; `mayBeWrong`: staff labels that may be wrong (null: not checked).
 */
export function evaluateSummary({
  metrics,
  unread,
  leftOut,
  mayBeWrong,
  spreadsheetLost = 0,
}: {
  metrics: Metrics;
  unread: number;
  leftOut: number;
  mayBeWrong: number | null;
  /** Labels lost to ids a spreadsheet changed (spreadsheetLosses), the report's first line's count. */
  spreadsheetLost?: number;
}): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const f1 = metrics.macroF1;
  // Scored on nothing, the figures are zeros, not scores (a tester read "macro-F1 0.00 … no detectable difference").
  const parts = [
    metrics.n === 0
      ? 'not scored: no labelled object is in the test split'
      : // Plain words first, the term after (testers read the comment's stage table, where this is shown).
        `overall score ${f1.value.toFixed(2)}, each label counting equally (macro-F1; 95% range ` +
        `${f1.low.toFixed(2)}–${f1.high.toFixed(2)}), and ${pct(metrics.accuracy.value)} right on ` +
        plural(metrics.n, 'test object'),
  ];
  if (metrics.baseline && metrics.n > 0) {
    const c = metrics.baseline.comparison;
    const trainedOn = (metrics.baseline.excluded ?? 0) - unread;
    parts.push(
      (c.verdict === 'no detectable difference'
        ? `no detectable difference from ${metrics.baseline.version}`
        : `${c.verdict} than ${metrics.baseline.version}`) +
        ` (${pValueWords(c.pValue)}` +
        (trainedOn > 0 ? `, leaving out ${plural(trainedOn, 'test object')} it trained on` : '') +
        (unread > 0 ? `, leaving out ${plural(unread, 'test object')} whose images it could not read` : '') +
        ')',
    );
  }
  if (metrics.crossValidated) parts.push(crossValidatedSummary(metrics.crossValidated));
  const notJudged = metrics.crossValidatedNotJudged;
  if (notJudged)
    parts.push(
      `not judged on every labelled object (${
        notJudged.left.length === 0 ? 'no label' : `only ${listWords(notJudged.left)}`
      } left to score${notJudged.setAside.length > 0 ? ` without ${listWords(notJudged.setAside)}, being built up` : ''})`,
    );
  if (metrics.outOfCollection) {
    const { field } = metrics.outOfCollection;
    const o = metrics.outOfCollection.macroF1;
    parts.push(
      `on a ${field} it has not seen: macro-F1 ${o.value.toFixed(2)} (${o.low.toFixed(2)}–${o.high.toFixed(2)})`,
    );
  }
  if (leftOut > 0) parts.push(`${plural(leftOut, 'object')} left out (the image model could not use the photograph)`);
  if (spreadsheetLost > 0)
    parts.push(`${plural(spreadsheetLost, 'label')} lost to ids a spreadsheet changed in labels.csv`);
  parts.push(`gate ${metrics.gate.passed ? 'passed' : 'failed'}`);
  // The same words and count as the catalogue's review page, where these are one part of the queue.
  if (mayBeWrong !== null) parts.push(`${plural(mayBeWrong, 'staff label')} that may be wrong`);
  return parts.join('; ');
}

/**
 * The training and validation objects a model trained with train.flagged: drop left out (model-info.json
 * `flagged.leftOut`; for a model saved before it was recorded, its flagged ids outside today's test split).
 */
function trainedWithout({ info, dataset }: { info: ModelInfo; dataset: Dataset }): string[] {
  const f = info.flagged!;
  if (f.leftOut) return f.leftOut.map((o) => o.id);
  const test = new Set(dataset.objects.filter((o) => o.split === 'test').map((o) => o.id));
  return f.ids.filter((id) => !test.has(id));
}

/**
 * The labels, data and params the evaluated model was made from: those the dataset stage read (lock.json records
 * them as it starts), not those on disk now. A label correction committed while the run trained (a colleague's, a
 * git pull) would otherwise be recorded as learnt, and the model registered on that commit though it never saw
 * it; recorded as read, promotion refuses it as made from other labels than the commit's (an outside tester).
 */
export async function inputsOfDataset({ ws, params }: { ws: Workspace; params: Params }): Promise<CurrentInputs> {
  const now = await currentInputs({ ws, params });
  const read = (await readLock({ file: ws.lock })).stages.dataset?.deps.paths;
  if (!read) return now;
  const labels = read['labels.csv'];
  if (labels !== undefined && labels !== (await hashPath({ file: ws.labels }))) now.labels = labels;
  const data = read.data;
  if (data !== undefined && data !== (await hashPath({ file: ws.data, stateFile: stateFileOf(ws.root) })))
    now.data = data;
  return now;
}
