import path from 'node:path';
import { readDataset } from '../dataset/read.ts';
import { VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import { headCommit, isGitRepo } from '../git/tags.ts';
import { type Clock, type Logger, systemClock } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { readRegistry, type VersionRecord } from '../registry/registry.ts';
import type { Dataset } from '../types.ts';
import { CLASSIFIER_FOLDS } from './classifier-test.ts';
import { computeDrift, type EmbedImages, writeDriftReport } from './drift.ts';
import {
  correctionRate,
  labelKey,
  labelsAtCommit,
  labelsChangedSince,
  objectsAddedSince,
  resolveCommit,
} from './history.ts';
import { retrainDecision } from './triggers.ts';
import type { CorrectionRate, DriftReport, DriftSide, RetrainDecision } from './types.ts';

/*
 * The monitoring runs behind `vitrine monitor`: decide what to compare (the production model's
 * training objects against the objects added since, or a named data version against now), compute
 * drift, write it, and decide whether the scheduled run should retrain.
 */

/** The production model version and the commits its data and labels came from; null when none. */
export interface ProductionModel {
  version: string;
  /** Commit the version was registered at (its data). */
  commit: string;
  /** Commit of the labels it was trained with (lineage), else `commit`. */
  labelsCommit: string;
  record: VersionRecord;
}

/** The version holding `stage` (default "prod") in the registry, with its commits. */
export async function productionModel({
  ws,
  params,
  stage = 'prod',
}: {
  ws: Workspace;
  params: Params;
  stage?: string;
}): Promise<ProductionModel | null> {
  if (!(await isGitRepo({ dir: ws.root }))) return null;
  const state = await readRegistry({ dir: ws.root, name: params.registry.model_name });
  const version = state.stages[stage];
  const record = version ? state.versions.find((v) => v.version === version) : undefined;
  if (!record) return null;
  return {
    version: record.version,
    commit: record.commit,
    labelsCommit: record.registration?.lineage?.labels?.commit ?? record.commit,
    record,
  };
}

/** Which objects to compare, and how to describe them. */
export interface MonitorSides {
  reference: string[];
  current: string[];
  describe: NonNullable<Parameters<typeof computeDrift>[0]['describe']>;
  modelVersion: string | null;
  /** The commit the comparison starts from. */
  base: string;
  /**
   * How the current side is made up: objects added since the production model, and unlabelled ones before it;
   * `tooFew` when the added ones were too few to judge on their own and are judged with the unlabelled ones.
   */
  counts?: { added: number; unlabelled: number; tooFew?: boolean };
  /**
   * The objects added since with the unlabelled ones already there, compared beside the objects added since (which
   * `current` then holds alone); absent when there is only one group.
   */
  pooled?: { current: string[]; describe: Omit<DriftSide, 'count'> };
}

/**
 * Reference and current objects. With `reference` (a git ref): the objects that were there at that
 * ref against the objects added or re-photographed since. Without: the production model's training
 * objects (training split, labelled at its labels commit, present at its commit) against the objects
 * added since it was registered.
 */
export async function monitorSides({
  ws,
  dataset,
  reference,
  prod,
  log,
}: {
  ws: Workspace;
  dataset: Dataset;
  reference?: string;
  prod: ProductionModel | null;
  /** Where the data remote, when opened for an old folder list, says it corrected this computer's clock. */
  log?: Logger;
}): Promise<MonitorSides> {
  if (reference) {
    const base = await resolveCommit({ root: ws.root, ref: reference });
    const { before, added } = await objectsAddedSince({ ws, dataset, commit: base, ...(log ? { log } : {}) });
    return {
      reference: before.map((o) => o.id),
      current: added.map((o) => o.id),
      describe: {
        reference: {
          kind: 'data-version',
          description: `the objects at ${reference}`,
          ref: reference,
          commit: base,
          modelVersion: prod?.version ?? null,
        },
        current: {
          kind: 'added-since',
          description: `the objects added since ${reference}`,
          ref: 'HEAD',
          modelVersion: null,
        },
      },
      modelVersion: prod?.version ?? null,
      base,
    };
  }
  if (!prod) {
    throw new VitrineError(
      'NO_REFERENCE',
      'There is no model in production to compare with: promote a model first, or name a data version to ' +
        'compare with, e.g. "vitrine monitor --reference main".',
      {},
    );
  }
  const labelled = await labelsAtCommit({ root: ws.root, commit: prod.labelsCommit });
  const { before, added } = await objectsAddedSince({
    ws,
    dataset,
    commit: prod.commit,
    ...(log ? { log } : {}),
  });
  const training = before.filter((o) => o.split === 'train' && labelled.has(labelKey(o.id)));
  // Unlabelled objects are what the model annotates without anyone checking, including those that
  // came with the first import (never "added since"). The objects added since the model are judged on their own
  // (pooled with hundreds of old unlabelled ones, a batch of 20 paintings among 103 new objects was diluted away);
  // the pool of both is kept beside them. With none added, the unlabelled objects are the ones judged.
  const addedIds = new Set(added.map((o) => o.id));
  const unlabelled = before.filter((o) => o.label === null && !labelled.has(labelKey(o.id)) && !addedIds.has(o.id));
  const trainingSide: Omit<DriftSide, 'count'> = {
    kind: 'model-training',
    description: `the training objects of ${prod.version}`,
    modelVersion: prod.version,
    ref: prod.commit,
  };
  // Too few added to judge on their own (the classifier test needs CLASSIFIER_FOLDS on each side; with one object
  // nothing can be told, and a verdict of "no drift" hid the unlabelled ones drifting): the pool is judged, as before
  // they were judged apart, and its words say so (reviewer V11).
  const withImages = added.filter((o) => o.image && o.imageMd5).length;
  const tooFew = added.length > 0 && withImages < CLASSIFIER_FOLDS;
  const counts = { added: added.length, unlabelled: unlabelled.length, ...(tooFew ? { tooFew: true } : {}) };
  const addedAlone: Omit<DriftSide, 'count'> = {
    kind: 'added-since',
    description: `the objects added since ${prod.version}`,
    modelVersion: null,
    ref: 'HEAD',
  };
  const pool: Omit<DriftSide, 'count'> = {
    kind: 'new-and-unlabelled',
    description:
      added.length === 0
        ? `the unlabelled objects (none added since ${prod.version})`
        : tooFew
          ? `${added.length === 1 ? 'the object' : `the ${added.length} objects`} added since ${prod.version} ` +
            `(too few to judge on ${added.length === 1 ? 'its' : 'their'} own: at least ${CLASSIFIER_FOLDS} are ` +
            `needed) with the ${unlabelledWords(unlabelled.length)} already there`
          : `the objects added since ${prod.version} with the ${unlabelledWords(unlabelled.length)} already there`,
    modelVersion: null,
    ref: 'HEAD',
  };
  const one = { reference: training.map((o) => o.id), modelVersion: prod.version, base: prod.commit, counts };
  if (unlabelled.length === 0)
    return { ...one, current: added.map((o) => o.id), describe: { reference: trainingSide, current: addedAlone } };
  if (added.length === 0 || tooFew)
    return {
      ...one,
      current: [...added, ...unlabelled].map((o) => o.id),
      describe: { reference: trainingSide, current: pool },
    };
  return {
    ...one,
    current: added.map((o) => o.id),
    describe: { reference: trainingSide, current: addedAlone },
    pooled: { current: [...added, ...unlabelled].map((o) => o.id), describe: pool },
  };
}

/** "1 unlabelled object", "80 unlabelled objects". */
function unlabelledWords(n: number): string {
  return `${n} unlabelled object${n === 1 ? '' : 's'}`;
}

/** Compute drift, write drift.json, history.json and (with a production model) corrections.json. */
export async function monitorDrift({
  ws,
  params,
  log,
  clock = systemClock,
  reference,
  embed,
  dataset,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  clock?: Clock;
  /** A git ref to compare against instead of the production model's training data. */
  reference?: string;
  embed?: EmbedImages;
  dataset?: Dataset;
}): Promise<{ report: DriftReport; corrections: CorrectionRate | null; files: string[] }> {
  const data = dataset ?? (await readDataset({ ws }));
  const prod = await productionModel({ ws, params });
  const sides = await monitorSides({ ws, dataset: data, reference, prod, log });
  const mix = sides.counts && sides.counts.unlabelled > 0 ? sides.counts : null;
  const added = mix?.added ?? 0;
  log.info(
    sides.pooled && mix
      ? `Comparing the ${mix.added} objects added since ${sides.modelVersion} with ${sides.reference.length} ` +
          `reference objects, and beside them those with the ${unlabelledWords(mix.unlabelled)} already there ` +
          `(${sides.pooled.current.length}).`
      : mix?.tooFew
        ? `Only ${added === 1 ? '1 object was' : `${added} objects were`} added since ${sides.modelVersion}, too few ` +
          `to judge on ${added === 1 ? 'its' : 'their'} own (at least ${CLASSIFIER_FOLDS} are needed): comparing ` +
          `${added === 1 ? 'it' : 'them'} with the ${unlabelledWords(mix.unlabelled)} already there ` +
          `(${sides.current.length} in all) and ${sides.reference.length} reference objects.`
        : mix
          ? `Comparing ${sides.current.length} unlabelled objects (none added since ${sides.modelVersion}) with ` +
            `${sides.reference.length} reference objects.`
          : `Comparing ${sides.current.length} new objects with ${sides.reference.length} reference objects.`,
  );
  const notes = notesOnce(log);
  // Both groups in one computation: each photograph is embedded and measured once.
  const report = await computeDrift({
    ws,
    params,
    log: notes.first,
    clock,
    dataset: data,
    reference: sides.reference,
    current: sides.current,
    describe: sides.describe,
    modelVersion: sides.modelVersion,
    embed,
    ...(sides.pooled
      ? { pooled: { current: sides.pooled.current, describe: sides.pooled.describe, log: notes.again } }
      : {}),
  });
  const commit = await headCommit({ dir: ws.root });
  const written = await writeDriftReport({ ws, report, commit });
  const files = [written.file, written.history];
  let corrections: CorrectionRate | null = null;
  if (prod) {
    corrections = await correctionRate({ root: ws.root, since: prod.labelsCommit, modelVersion: prod.version, log });
    const file = path.join(ws.monitor, 'corrections.json');
    await writeJsonAtomic({ file, value: corrections });
    files.push(file);
  }
  return { report, corrections, files };
}

/**
 * Loggers for two comparisons of the same reference and mostly the same objects (the objects added since, then the
 * pool beside them): the second one's notes ("The classifier test needs…", "3 object(s) have no embedding…") say
 * again, with other counts, what the first said, so a note is said there only when none of its kind was (its kind:
 * its words without numbers and brackets). Errors are always said.
 */
function notesOnce(log: Logger): { first: Logger; again: Logger } {
  const kindOf = (message: string) => message.replace(/\([^)]*\)/g, '()').replace(/\d+(\.\d+)?/g, '#');
  const said = new Set<string>();
  const first: Logger = {
    info: (m) => (said.add(kindOf(m)), log.info(m)),
    warn: (m, where) => (said.add(kindOf(m)), log.warn(m, where)),
    error: (m, where) => log.error(m, where),
    debug: (m) => (said.add(kindOf(m)), log.debug(m)),
    progress: (label, total) => log.progress(label, total),
  };
  const again: Logger = {
    info: (m) => void (said.has(kindOf(m)) || log.info(m)),
    warn: (m, where) => void (said.has(kindOf(m)) || log.warn(m, where)),
    error: (m, where) => log.error(m, where),
    debug: (m) => void (said.has(kindOf(m)) || log.debug(m)),
    progress: (label, total) => log.progress(label, total),
  };
  return { first, again };
}

/**
 * Should the scheduled run retrain? Counts labels changed and objects added since the production
 * model and, when `params.retrain.on_drift`, measures drift (writing drift.json like `vitrine monitor`).
 */
export async function checkRetrain({
  ws,
  params,
  log,
  clock = systemClock,
  embed,
  dataset,
  measureDrift = params.retrain.on_drift,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  clock?: Clock;
  embed?: EmbedImages;
  dataset?: Dataset;
  measureDrift?: boolean;
}): Promise<RetrainDecision & { report: DriftReport | null }> {
  const prod = await productionModel({ ws, params });
  if (!prod) return { ...retrainDecision({ params, newLabels: 0, newObjects: 0, hasModel: false }), report: null };
  const data = dataset ?? (await readDataset({ ws }));
  const labels = await labelsChangedSince({ root: ws.root, since: prod.labelsCommit });
  const sides = await monitorSides({ ws, dataset: data, prod, log });
  let report: DriftReport | null = null;
  if (measureDrift && sides.current.length >= 2) {
    ({ report } = await monitorDrift({ ws, params, log, clock, embed, dataset: data }));
  } else if (measureDrift) {
    const c = sides.counts ?? { added: sides.current.length, unlabelled: 0 };
    log.info(
      `Drift is not measured: there are fewer than two objects to compare since ${prod.version} ` +
        `(${c.added} added, ${c.unlabelled === 0 ? 'none' : c.unlabelled} unlabelled).`,
    );
  }
  const decision = retrainDecision({
    params,
    newLabels: labels.changed + labels.added,
    newObjects: sides.counts ? sides.counts.added : sides.current.length,
    // Not measured (too few objects) is said as such, never as "no drift" (reviewer V11).
    drift: measureDrift ? report : null,
    modelVersion: prod.version,
  });
  return { ...decision, report };
}
