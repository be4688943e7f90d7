import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { readDataset } from '../dataset/read.ts';
import { messageOf, VitrineError } from '../errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import { checkedOutBranch } from '../git/history.ts';
import { FETCH_HISTORY, isShallow } from '../git/repo.ts';
import type { Logger } from '../log.ts';
import { namedOwners, type Params, PLACEHOLDER_OWNERS } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { ReviewFile } from '../review/index.ts';
import type { Annotation, Metrics, ModelInfo } from '../types.ts';
import { listWords } from '../words.ts';
import {
  annotateCollection,
  annotationsFile,
  type EmbedObjects,
  labelsChangedSince,
  nothingPublishedWhy,
  type PredictObjects,
  predictAnnotations,
  reviewIfAny,
  writeAnnotations,
} from './annotate.ts';
import { annotationChangesFile } from './annotation-changes.ts';
import { buildCard, type DatasetSummary, type ModelCard, renderCardMarkdown } from './card.ts';
import { annotationsCoverage } from './coverage.ts';
import { evaluatedModel, type IdentifiedModel, modelIdentity, OTHER_MODEL_WORDS, sameModel } from './identity.ts';
import {
  type Headline,
  type RegistryState,
  type RollbackOptions,
  readRegistry,
  rollback,
  showVersion,
  type VersionRecord,
} from './registry.ts';
import { openModelRemote } from './remote.ts';
import { resolveModelDir } from './resolve.ts';
import { retiredTypesWarning } from './retired-types.ts';
import { checkDatasetCurrent } from './rollback-dataset.ts';
import { sameModelBefore } from './same-model.ts';
import { folderMatches, type Manifest, type ModelRemote, manifestOf, restoreFolder, versionCacheDir } from './store.ts';
import { type WithdrawnLabels, withdrawnLabelsKept } from './withdrawn-labels.ts';

/*
 * What the catalogue reads from the registry, rewritten whenever production changes (promotion or
 * rollback): `versions.json`, a card per version (markdown + JSON) and the collection's annotations
 * by the production model.
 */

/** One row of `.vitrine/registry/versions.json`. */
export interface VersionEntry {
  version: string;
  stages: string[];
  date: string;
  tag: string;
  commit: string;
  active: boolean;
  bump: string | null;
  /** The version this one was numbered from (the newest registered before it). */
  previous: string | null;
  /** What the model computes (identity.ts), as metrics.json's `inputs.model` names the model it evaluated. */
  identity: string | null;
  reason: string | null;
  headline: Headline | null;
  pullRequest: { number: number; url: string | null } | null;
  /** Card paths relative to `.vitrine/registry/`, null when the card could not be built. */
  card: { markdown: string; json: string } | null;
  /** A rollback took it out of production (registry.ts `VersionRecord`): the model page says when and why. */
  withdrawn?: VersionRecord['withdrawn'];
  /** A rollback put it back in production in place of another. */
  putBack?: VersionRecord['putBack'];
}

/** `.vitrine/registry/versions.json` */
export interface VersionsFile {
  schema: 'vitrine.versions/1';
  model: string;
  prod: string | null;
  /** Newest version first. */
  versions: VersionEntry[];
  /** Production put back to an earlier version (`vitrine models rollback`), newest first: the home page lists them. */
  rollbacks: RollbackEntry[];
}

export interface RollbackEntry {
  date: string;
  /** The version put back in production, and the one it replaced. */
  version: string;
  from: string | null;
  reason: string | null;
}

/** The rollbacks among the tags: assignments of `prod` whose payload says so (registry.ts `rollback`). */
function rollbacksOf(state: RegistryState): RollbackEntry[] {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return state.events
    .filter((e) => e.action === 'assign' && e.stage === 'prod' && e.payload?.rollback === true && text(e.payload.to))
    .sort((a, b) => b.timestamp - a.timestamp)
    .map((e) => ({
      date: e.createdAt,
      version: text(e.payload!.to)!,
      from: text(e.payload!.from),
      reason: text(e.payload!.reason),
    }));
}

/** Where the evidence of the version being promoted is staged before its number is known. */
export function evidenceStagingDir(ws: Workspace): string {
  return path.join(ws.registry, 'evidence');
}

/** Card files of a version, relative to `.vitrine/registry/`. */
export function cardPaths(version: string): { markdown: string; json: string } {
  return { markdown: `cards/${version}.md`, json: `cards/${version}.json` };
}

/**
 * Rewrite versions.json and every version's card, and annotate the collection with the production
 * model. A card whose evidence cannot be fetched is skipped with a warning (its old file stays).
 */
export async function publishRegistry({
  ws,
  params,
  log,
  remote,
  predict,
  embed,
  annotate = true,
  annotations,
  nothingPublished = null,
  recordOnly = false,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  remote?: ModelRemote;
  predict?: PredictObjects;
  embed?: EmbedObjects;
  /** False to skip annotation (no dataset yet). */
  annotate?: boolean;
  /**
   * Only the record of what the public sees now, which a promotion or rollback publishes over right after
   * (restoreRegistryRecord): the cards' missing owner and the count annotated are left to that publication, said once.
   */
  recordOnly?: boolean;
  /** Annotations already made by the production model (a rollback makes them before changing tags). */
  annotations?: Annotation[];
  /** With `annotations`: why none of them can be published as fact (`nothingPublishedWhy`), or null. */
  nothingPublished?: string | null;
}): Promise<{ prod: string | null; annotated: number; cards: string[] }> {
  const name = params.registry.model_name;
  const state = await readRegistry({ dir: ws.root, name });
  const prod = state.stages.prod ?? null;
  // The rule the production model's annotations follow, chosen before the cards: its card must state it.
  const made = annotate && prod !== null && annotations?.[0]?.modelVersion === prod;
  const rule =
    annotate && prod !== null && !made
      ? await productionPublication({ ws, params, state, version: prod, log, remote })
      : null;
  const followed = rule?.fresh && prod ? { version: prod, metrics: rule.fresh } : null;
  const cards = await writeCards({ ws, params, state, log, remote, followed, ownerSaid: recordOnly });
  const file: VersionsFile = {
    schema: 'vitrine.versions/1',
    model: name,
    prod: state.stages.prod ?? null,
    versions: [...state.versions].reverse().map((v) => ({
      version: v.version,
      stages: v.stages,
      date: v.createdAt,
      tag: v.tag,
      commit: v.commit,
      active: v.active,
      bump: v.registration?.bump ?? null,
      previous: v.registration?.previous ?? null,
      identity: v.registration?.identity ?? null,
      reason: v.registration?.reason ?? null,
      headline: v.registration?.headline ?? null,
      pullRequest: v.registration?.lineage?.pullRequest ?? null,
      card: cards.includes(v.version) ? cardPaths(v.version) : null,
      ...(v.withdrawn ? { withdrawn: v.withdrawn } : {}),
      ...(v.putBack ? { putBack: v.putBack } : {}),
    })),
    rollbacks: rollbacksOf(state),
  };
  await writeJsonAtomic({ file: path.join(ws.registry, 'versions.json'), value: file });
  let annotated = 0;
  if (made && annotations) {
    await writeAnnotations({ ws, annotations, log, nothingPublished, quiet: recordOnly });
    annotated = annotations.length;
  } else if (annotate && file.prod && rule) {
    const resolved = await resolveModelDir({ ws, params, version: 'prod', log, remote });
    if (resolved) {
      const { publication } = rule;
      // A version kept in production (rolled back to, say) learnt older labels: corrections since are not its errors.
      const trainedOn = state.versions.find((v) => v.version === resolved.version)?.registration?.lineage?.labels;
      const learnt = trainedOn ? await labelsChangedSince({ ws, trainedOn, log }) : null;
      const { annotations } = await annotateCollection({
        ws,
        params,
        modelDir: resolved.dir,
        modelVersion: resolved.version,
        log,
        predict,
        embed,
        publication,
        learnt,
        review: await reviewFor({ ws, state, version: resolved.version, remote, log }),
        quiet: recordOnly,
      });
      annotated = annotations.length;
    }
  } else if (!file.prod) {
    // No production model: the catalogue must not show stale machine labels.
    await rm(path.join(ws.registry, 'annotations.json'), { force: true });
    await rm(annotationChangesFile(ws), { force: true });
  }
  return { prod: file.prod, annotated, cards };
}

/**
 * The git tags are the registry; `.vitrine/registry` is this copy's record of them (cards, versions.json, the
 * production model's annotations), written by promotion and rollback. A fresh clone, or a CI runner whose cache
 * expired, has none: the catalogue would show no machine annotations and no model cards though the tags put a
 * version in production (an outside tester). Written again from the tags then: `restored`, or `failed` (maybe partly
 * written: a model remote that cannot be reached leaves the catalogue with staff labels only, and says why), or
 * `untouched` (nothing written: nothing to do, or no dataset to annotate yet).
 */
export async function restoreRegistryRecord({
  ws,
  params,
  log,
  remote,
  predict,
  embed,
  env = {},
  refreshStale = false,
  publishedAfter = false,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  remote?: ModelRemote;
  predict?: PredictObjects;
  embed?: EmbedObjects;
  /** The run's environment: on a CI runner the checked-out branch may be known only from it. */
  env?: Record<string, string | undefined>;
  /**
   * Also annotate again when the record's annotations were not made by production for today's collection (objects
   * added or photographed again since, a rollback elsewhere): the catalogue's. A promotion or rollback wants only
   * the record of what the public sees now, and annotates the collection itself right after.
   */
  refreshStale?: boolean;
  /**
   * A promotion or rollback publishes the registry right after (the record is written for what it changes): the
   * cards' missing owner and the count annotated are said then, once (tester T9: each twice on a fresh clone).
   */
  publishedAfter?: boolean;
}): Promise<'untouched' | 'restored' | 'failed'> {
  const present = (file: string) =>
    stat(file).then(
      () => true,
      () => false,
    );
  // Annotating needs the dataset (the catalogue stage refuses without it, saying to build it first); and a record
  // left half-written (cards, no annotations) is written again.
  if (!(await present(path.join(ws.dataset, 'dataset.json')))) return 'untouched';
  const cards = await present(path.join(ws.registry, 'versions.json'));
  // A merge whose model fails the gate builds the catalogue alone (--single): the month's new objects and new
  // photographs must still be annotated by production, as on a runner that starts without .vitrine.
  const { stale, madeBy } =
    cards && (await present(annotationsFile(ws)))
      ? refreshStale
        ? await annotationsCoverage({ ws, annotations: annotationsFile(ws) })
        : { stale: '', madeBy: [] }
      : { stale: null, madeBy: [] };
  const state = await readRegistry({ dir: ws.root, name: params.registry.model_name }).catch(
    // Not a git repository (a folder built by hand): no tags, nothing to restore.
    () => null,
  );
  const prod = state?.stages.prod ?? null;
  const other = madeBy.filter((v) => v !== prod);
  // Up to date, or annotated by a version the tags no longer hold (nothing Vitrine could annotate with instead).
  if (stale === '' && (!prod || other.length === 0)) return 'untouched';
  if (!prod && stale === null && (await isShallow(ws.root)))
    log.warn(
      'This copy of the repository holds only part of its history (a shallow clone), so the model registry’s git ' +
        `tags may be missing from it: the catalogue shows no machine annotations and no model cards. ${FETCH_HISTORY}`,
    );
  // A version registered by another tool has no files Vitrine can annotate with: nothing to write again, every build.
  if (!prod || !state?.versions.find((v) => v.version === prod)?.registration) return 'untouched';
  const missing = !cards
    ? 'This copy has no record of the promoted models (.vitrine/registry: a fresh clone)'
    : stale === null
      ? 'The record of the promoted models (.vitrine/registry) has no annotations'
      : `The production model’s annotations (.vitrine/registry) were made ${
          other.length > 0 ? `by ${listWords(other)}` : `before ${stale}`
        }`;
  const branch = await checkedOutBranch({ dir: ws.root, env });
  // A branch's catalogue is a preview: its objects, annotated by the model in production, not by the branch's own.
  const preview =
    branch && branch !== params.collection.branch
      ? ` (a preview on branch ${branch}: its objects as production’s model sees them; the merge's run annotates ` +
        'them with the model it promotes)'
      : '';
  log.info(
    `${missing}; the git tags put ${prod} in production: writing the model cards and annotating the collection ` +
      `with it${preview} …`,
  );
  try {
    const { annotated } = await publishRegistry({
      ws,
      params,
      log,
      remote,
      predict,
      embed,
      recordOnly: publishedAfter,
    });
    return annotated > 0 ? 'restored' : 'failed';
  } catch (error) {
    // Only a better catalogue was at stake: it is built with what there is (the annotations already made, or staff
    // labels only), and says why.
    log.warn(
      stale !== null
        ? `The collection could not be annotated with ${prod} again (${messageOf(error)}): the objects its ` +
            'annotations were not made for show staff labels only; the others keep their annotations.'
        : `The collection could not be annotated with ${prod} again (${messageOf(error)}): the catalogue shows staff ` +
            'labels only, with no machine annotations.',
    );
    return 'failed';
  }
}

/** Build the card of every registered version from its stored evidence; returns the versions carded. */
export async function writeCards({
  ws,
  params,
  state,
  log,
  remote,
  followed = null,
  ownerSaid = false,
}: {
  ws: Workspace;
  params: Params;
  state: RegistryState;
  log: Logger;
  remote?: ModelRemote;
  /** The missing owner is said by the publication that follows (publishRegistry's recordOnly): not here. */
  ownerSaid?: boolean;
  /**
   * The production version when its annotations follow a later evaluation of the same model than the one
   * stored at its registration (an unchanged model reused): its card states that evaluation's rule too.
   */
  followed?: { version: string; metrics: Partial<Metrics> } | null;
}): Promise<string[]> {
  const done: string[] = [];
  // The placeholder owner is left off the cards and model pages: the maintainer is told how to name one.
  if (!ownerSaid && state.versions.length > 0 && namedOwners(params.registry.owners).length === 0)
    log.warn(
      'The model cards name no owner: registry.owners in params.yaml is still the placeholder ' +
        `(${PLACEHOLDER_OWNERS.map((o) => `"${o}"`).join(', ')}), so the cards say "Owners: not named yet" and the ` +
        "catalogue's model pages leave it out. Set it to the people who answer for the model, for example " +
        '"registry: { owners: [Registrar, Collections Department] }" in params.yaml.',
    );
  const opener = remote ? async () => remote : () => openModelRemote({ ws, log });
  let previous: RegistryState['versions'][number]['registration'] = null;
  for (const v of state.versions) {
    const registration = v.registration;
    if (!registration?.evidence) {
      previous = registration ?? previous;
      continue;
    }
    try {
      const dir = await versionEvidenceDir({
        ws,
        name: state.name,
        version: v.version,
        evidence: registration.evidence,
        remote: opener,
        log,
      });
      const read = async <T>(f: string) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as T;
      const metrics = await read<Metrics>('metrics.json');
      const later = followed?.version === v.version ? followed.metrics : null;
      // Said only when the rule differs from the registration's (the first promotion stores the same evaluation).
      const differs = later && JSON.stringify(later.publication) !== JSON.stringify(metrics.publication);
      const card: ModelCard = buildCard({
        registration,
        metrics,
        followed:
          later && differs
            ? {
                createdAt: later.createdAt ?? null,
                commit: later.inputs?.commit ?? null,
                publication: later.publication ?? null,
              }
            : null,
        modelInfo: await read<ModelInfo>('model-info.json'),
        summary: await read<DatasetSummary>('dataset-summary.json'),
        // Stored since the review list travels with the model; a version registered before has none.
        // A damaged one (not JSON) only takes the comparison off the card: the card is still written.
        review: await read<ReviewFile>('review.json').catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT')
            log.warn(
              `The review list (review.json) stored with ${v.version} could not be read (${messageOf(error)}), so ` +
                'its model card does not compare it with the labels training left out.',
            );
          return null;
        }),
        previous: previous && previous.version !== registration.version ? previous : null,
        stages: v.stages,
        withdrawn: v.withdrawn ?? null,
        putBack: v.putBack ?? null,
        owners: params.registry.owners,
        collectionName: params.collection.name,
        sameModelAs: sameModelBefore({ versions: state.versions, version: v.version }),
      });
      const paths = cardPaths(v.version);
      await writeFileAtomic({ file: path.join(ws.registry, paths.markdown), data: renderCardMarkdown(card) });
      await writeJsonAtomic({ file: path.join(ws.registry, paths.json), value: card });
      done.push(v.version);
    } catch (error) {
      log.warn(`The model card of ${v.version} could not be written: ${messageOf(error)}`);
    }
    previous = registration;
  }
  return done;
}

/**
 * The folder of a version's stored evidence (metrics.json, model-info.json, dataset-summary.json),
 * `.vitrine/cache/registry/<name>/<version>.evidence`, restored from the staging folder or the remote when missing.
 */
async function versionEvidenceDir({
  ws,
  name,
  version,
  evidence,
  remote,
  log,
}: {
  ws: Workspace;
  name: string;
  version: string;
  evidence: Manifest;
  remote: () => Promise<ModelRemote>;
  log: Logger;
}): Promise<string> {
  const dir = `${versionCacheDir({ ws, name, version })}.evidence`;
  if (!(await folderMatches({ dir, manifest: evidence }))) {
    await mkdir(path.dirname(dir), { recursive: true });
    await restoreFolder({ dir, manifest: evidence, sources: [evidenceStagingDir(ws)], remote, log });
  }
  return dir;
}

/**
 * The publication rule (thresholds and familiarity cut) registered with `version`, from the metrics.json stored
 * with it: thresholds are on that model's own confidence scale, so another model's would publish or hold back
 * the wrong annotations. Null, with a warning, when the version has none (registered before Vitrine measured
 * them, evaluated with evaluate.folds 0, or registered by another tool) or its evidence cannot be fetched.
 * Null publishes nothing as fact rather than everything: without thresholds measured for this model nothing
 * says its annotations reach annotate.min_precision, and an annotation waiting for staff is only slower,
 * while a wrong one published is shown to the public as the museum's.
 */
export async function versionPublication({
  ws,
  params,
  state,
  version,
  log,
  remote,
}: {
  ws: Workspace;
  params: Params;
  state: RegistryState;
  version: string;
  log: Logger;
  remote?: ModelRemote;
}): Promise<Metrics['publication'] | null> {
  const evidence = state.versions.find((v) => v.version === version)?.registration?.evidence ?? null;
  const none = (why: string) => {
    log.warn(
      `Model version ${version} ${why}, so none of its annotations are published as fact: they all wait for staff ` +
        "(another version's thresholds would not fit its confidences). A version evaluated with cross-validation " +
        '(evaluate.folds above 0) publishes them again once in production.',
    );
    return null;
  };
  if (!evidence)
    return none('was registered without its evaluation (metrics.json), so it has no publication thresholds');
  let metrics: Partial<Metrics>;
  try {
    const opener = remote ? async () => remote : () => openModelRemote({ ws, log });
    const dir = await versionEvidenceDir({ ws, name: state.name, version, evidence, remote: opener, log });
    metrics = JSON.parse(await readFile(path.join(dir, 'metrics.json'), 'utf8')) as Partial<Metrics>;
  } catch (error) {
    return none(
      `has no publication thresholds here: its evaluation (metrics.json) could not be read (${messageOf(error)})`,
    );
  }
  if (
    evaluatedModel({ metrics, identity: state.versions.find((v) => v.version === version)?.registration?.identity }) ===
    'other'
  )
    return none('has no publication thresholds of its own: the metrics.json stored with it evaluated another model');
  if (!metrics.publication)
    return none(
      'has no publication thresholds (it was evaluated before Vitrine measured them, or with evaluate.folds 0)',
    );
  familiarityNote({ params, version, publication: metrics.publication, log });
  return metrics.publication;
}

/**
 * The labels that may be wrong: as the latest evaluation here found them, or else as the one that registered
 * `version` did (stored with its evidence), since a fresh clone has no .vitrine/evaluate and its review queue
 * would lose them (an outside tester: 22 objects instead of 50). Null when neither is at hand (a version
 * registered before the list was stored with it).
 */
async function reviewFor({
  ws,
  state,
  version,
  remote,
  log,
}: {
  ws: Workspace;
  state: RegistryState;
  version: string;
  remote?: ModelRemote;
  log: Logger;
}): Promise<ReviewFile | null> {
  const here = await reviewIfAny(ws);
  if (here) return here;
  const evidence = state.versions.find((v) => v.version === version)?.registration?.evidence;
  if (!evidence?.files.some((f) => f.relpath === 'review.json')) return null;
  try {
    const opener = remote ? async () => remote : () => openModelRemote({ ws, log });
    const dir = await versionEvidenceDir({ ws, name: state.name, version, evidence, remote: opener, log });
    return JSON.parse(await readFile(path.join(dir, 'review.json'), 'utf8')) as ReviewFile;
  } catch (error) {
    log.warn(
      `The staff labels that may be wrong, as found when ${version} was evaluated, could not be read ` +
        `(${messageOf(error)}): the review queue lists only the objects where the model disagrees with staff.`,
    );
    return null;
  }
}

/** Say when a publication rule has no familiarity cut although annotate.familiarity asks for one, and why. */
function familiarityNote({
  params,
  version,
  publication,
  log,
}: {
  params: Params;
  version: string;
  publication: NonNullable<Metrics['publication']>;
  log: Logger;
}): void {
  if (!params.annotate.familiarity || publication.familiarity) return;
  const few = publication.familiarityNotApplied;
  log.warn(
    few
      ? `Model version ${version}: too few labelled photographs (${few.reference}) to judge which photographs are ` +
          'unlike them; the check was not applied, so its annotations are published by its confidence thresholds alone.'
      : `Model version ${version} was evaluated without the check for photographs unlike the labelled ones ` +
          '(annotate.familiarity), so its annotations are published by its confidence thresholds alone.',
  );
}

/**
 * The publication rule for annotating with the production `version`. When production holds the very model the
 * workspace evaluated (a promotion that found the model unchanged and reused its version), the workspace's
 * metrics.json: it is a fresh evaluation of the same weights, on the same confidence scale, with today's
 * annotate.min_precision, familiarity check and folds, and the stored one may predate them. The stored evidence
 * is not refreshed instead: it is named in the version's tag, which other clones and the remote hold, so
 * changing it would rewrite the registry's history and the card of a version would no longer describe what was
 * registered (the card states the later rule beside it: `fresh`, the evaluation it comes from). Its own rule
 * instead when metrics.json evaluated another model (`inputs.model`), or measured no thresholds (evaluate.folds
 * 0: those measured for these weights at registration still hold). Any other version in production (a rollback
 * stands, or something newer holds it): its own rule.
 */
async function productionPublication({
  ws,
  params,
  state,
  version,
  log,
  remote,
}: {
  ws: Workspace;
  params: Params;
  state: RegistryState;
  version: string;
  log: Logger;
  remote?: ModelRemote;
}): Promise<{ publication: Metrics['publication'] | null; fresh: Partial<Metrics> | null }> {
  const own = async () => ({
    publication: await versionPublication({ ws, params, state, version, log, remote }),
    fresh: null,
  });
  const registration = state.versions.find((v) => v.version === version)?.registration ?? null;
  const evaluated = registration ? await workspaceEvaluation({ ws }) : null;
  if (!registration || !evaluated || !sameModel(registration, evaluated.model)) return own();
  if (evaluatedModel({ metrics: evaluated.metrics, identity: evaluated.model.identity }) === 'other') {
    // The model folder is this version's, but metrics.json evaluated something else (copied in, or trained since).
    log.warn(
      `Model version ${version} is annotated by the thresholds stored when it was registered: ${OTHER_MODEL_WORDS}.`,
    );
    return own();
  }
  if (!evaluated.metrics.publication) {
    // evaluate.folds 0 measures no thresholds: the ones measured for these very weights at registration still hold.
    log.info(
      `Model version ${version} was evaluated again without publication thresholds (evaluate.folds 0), so its ` +
        'annotations follow the thresholds stored when it was registered.',
    );
    return own();
  }
  familiarityNote({ params, version, publication: evaluated.metrics.publication, log });
  return { publication: evaluated.metrics.publication, fresh: evaluated.metrics };
}

/**
 * The model in the workspace and its evaluation (metrics.json), or null when either is missing. The promote
 * stage has checked that metrics.json evaluates these inputs and labels before calling publishRegistry.
 */
async function workspaceEvaluation({
  ws,
}: {
  ws: Workspace;
}): Promise<{ model: IdentifiedModel; metrics: Partial<Metrics> } | null> {
  try {
    const read = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;
    const metrics = await read<Partial<Metrics>>(path.join(ws.evaluate, 'metrics.json'));
    const info = await read<ModelInfo>(path.join(ws.model, 'model-info.json'));
    const manifest = await manifestOf({ dir: ws.model });
    const identity = await modelIdentity({ dir: ws.model, manifest, info });
    return { model: { identity, manifest, headline: { labels: info.labels } }, metrics };
  } catch {
    // No model or evaluation here (a fresh clone, a rollback on another machine): the version's own rule.
    return null;
  }
}

/** Roll production back to `version`, restore its files and re-annotate the collection with it. */
export async function rollbackAndPublish(
  options: RollbackOptions & {
    env?: Record<string, string | undefined>;
    remote?: ModelRemote;
    predict?: PredictObjects;
    embed?: EmbedObjects;
  },
): Promise<{
  version: string;
  from: string | null;
  tag: string;
  dir: string;
  annotated: number;
  /** The label changes of the version withdrawn that labels.csv still holds (withdrawn-labels.ts), or null. */
  withdrawnLabels: WithdrawnLabels | null;
}> {
  const { ws, params, version, log, remote, predict, embed } = options;
  // Production is everyone's: changed from the collection's branch, as promotion is (a rollback on a pull
  // request's branch changed it for all, and the next report judged that branch against an older model).
  const main = params.collection.branch;
  const branch = await checkedOutBranch({ dir: ws.root, env: options.env ?? {} });
  if (branch !== main)
    throw new VitrineError(
      'ROLLBACK_OFF_BRANCH',
      `Roll back on "${main}": this copy of the repository is on ${branch ? `branch "${branch}"` : 'no branch'}. ` +
        `The model in production is the same for everyone, and is changed on "${main}" only, as merging does. ` +
        `Switch to it first (git switch ${main}), then run the rollback again.`,
      { branch, main },
    );
  // Restore first: a rollback to files nobody can fetch must not change production.
  const record = await showVersion({ ws, params, version });
  // Checked again under the lock by rollback(); here to fail before restoring and predicting.
  if (record.stages.includes('prod'))
    throw new VitrineError(
      'ROLLBACK_NOOP',
      `Model version ${record.version} is already in production; nothing to roll back.`,
      { version: record.version },
    );
  const state = await readRegistry({ dir: ws.root, name: params.registry.model_name });
  // The annotations are made from the dataset: one built from another branch's files would be that branch's.
  await checkDatasetCurrent({
    ws,
    params,
    version: record.version,
    prod: state.stages.prod ?? null,
    reason: options.reason,
  });
  // A fresh runner (rollback.yml) has no record of what the public sees now: written first from the tags, so
  // that what the rollback changes of it can be said (annotation-changes.ts), as a promotion does.
  await restoreRegistryRecord({
    ws,
    params,
    log,
    remote,
    predict,
    embed,
    env: options.env ?? {},
    publishedAfter: true,
  });
  const probe = await resolveModelDir({ ws, params, version: record.version, log, remote });
  if (!probe) {
    throw new VitrineError(
      'MODEL_FILES_UNAVAILABLE',
      `Model version ${record.version} was registered without Vitrine's file list, so its files cannot be ` +
        `restored; production was not changed.`,
      { version: record.version },
    );
  }
  // Annotate before touching the tags: if predicting fails (images missing on this machine), production is unchanged.
  // Judged by its own thresholds, not the workspace's latest evaluation (most often the version rolled back from).
  const publication = await versionPublication({ ws, params, state, version: probe.version, log, remote });
  // Staff corrections since that model learnt are corrections, not its disagreements (humanLabel), as after a promotion.
  const trainedOn = record.registration?.lineage?.labels;
  const learnt = trainedOn ? await labelsChangedSince({ ws, trainedOn, log }) : null;
  const annotations = await predictAnnotations({
    ws,
    params,
    modelDir: probe.dir,
    modelVersion: probe.version,
    log,
    predict,
    embed,
    publication,
    learnt,
    review: await reviewFor({ ws, state, version: probe.version, remote, log }),
  });
  const result = await rollback({ ...options, version: probe.version });
  // Trained on types renamed or removed since: said plainly (its guesses of them are held back, retired-types.ts).
  const retired = retiredTypesWarning({
    version: probe.version,
    modelLabels: await modelLabelsOf({ dir: probe.dir, headline: record.registration?.headline ?? null }),
    vocabulary: (await readDataset({ ws })).labels ?? [],
  });
  if (retired) log.warn(retired);
  const nothingPublished = nothingPublishedWhy({ publication, version: probe.version });
  const { annotated } = await publishRegistry({ ws, params, log, remote, predict, annotations, nothingPublished });
  // The labels the withdrawn version learnt stay in labels.csv: the next merge learns them again (tester T10).
  const withdrawnLabels = await withdrawnLabelsKept({ ws, params, log });
  return { ...result, dir: probe.dir, annotated, withdrawnLabels };
}

/** The types a model folder was trained on (its model-info.json), else its registration's; none when neither. */
async function modelLabelsOf({ dir, headline }: { dir: string; headline: Headline | null }): Promise<string[]> {
  try {
    const info = JSON.parse(await readFile(path.join(dir, 'model-info.json'), 'utf8')) as Partial<ModelInfo>;
    if (Array.isArray(info.labels)) return info.labels;
  } catch {
    // A version registered without model-info.json: its registration's headline names its types.
  }
  return headline?.labels ?? [];
}
