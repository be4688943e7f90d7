import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { labelList } from '../collection/vocabulary.ts';
import { NO_RECORD_ADVICE, noRecordWords, unsentVersion } from '../data/pushed.ts';
import { readDataset } from '../dataset/read.ts';
import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import { checkedOutBranch, historyOf, isDescendant } from '../git/history.ts';
import { FETCH_HISTORY, isShallow, sameAsCommitted } from '../git/repo.ts';
import { headCommit } from '../git/tags.ts';
import { loadParams, modelParams } from '../params.ts';
import { rel } from '../paths.ts';
import type { PredictObjects } from '../registry/annotate.ts';
import { summariseDataset } from '../registry/card.ts';
import { evaluatedModel, modelIdentity, OTHER_MODEL_WORDS } from '../registry/identity.ts';
import { type CurrentInputs, collectLineage, currentInputs } from '../registry/lineage.ts';
import { evidenceStagingDir, publishRegistry, restoreRegistryRecord } from '../registry/publish.ts';
import { assignStage, type Headline, readRegistry, registerVersion } from '../registry/registry.ts';
import { describeRemote, openModelRemote } from '../registry/remote.ts';
import { type ModelRemote, manifestOf, pushFiles } from '../registry/store.ts';
import { reviewFile } from '../review/index.ts';
import type { Metrics, ModelInfo } from '../types.ts';
import { hashJson } from './graph.ts';
import type { Stage, StageContext, StageResult } from './stage.ts';
import { RECORD_DATA, unrecordedAdvice, unrecordedData } from './unrecorded.ts';

/*
 * Promotion, run on the default branch after a merge: refuse a model that failed the gate or whose
 * evaluation no longer matches the data, labels and params of this commit; otherwise store its files
 * in the data remote, register the next version, put it in production, and rewrite the cards,
 * versions.json and the collection's annotations.
 */

async function readJson<T>({
  file,
  ws,
  missing,
}: {
  file: string;
  ws: StageContext['ws'];
  missing: string;
}): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new VitrineError('PROMOTE_INPUT_MISSING', `${rel(ws, file)} is missing. ${missing}`, {
        file: rel(ws, file),
      });
    throw new VitrineError(
      'PROMOTE_INPUT_UNREADABLE',
      `${rel(ws, file)} cannot be read: ${messageOf(error)}`,
      { file: rel(ws, file) },
      { cause: error },
    );
  }
}

/** Refuse when the gate failed, naming each failed check. */
export function checkGate({ metrics }: { metrics: Metrics }): void {
  if (metrics.gate.passed) return;
  const failed = metrics.gate.checks.filter((c) => !c.passed);
  throw new VitrineError(
    'PROMOTE_GATE_FAILED',
    `This model did not pass the promotion gate, so it was not registered and production is ` +
      'unchanged. ' +
      (failed.length
        ? `Failed check${failed.length === 1 ? '' : 's'}: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}.`
        : 'The evaluation marked the gate as failed without naming a check; see .vitrine/evaluate/metrics.json.') +
      // Said for both places the gate runs: a pull request's checks, and main or a staff member's machine.
      ' Improve the labels or parameters, then evaluate again: push the change to the pull request (its checks ' +
      'run again), or run "npx vitrine run" on main or on this machine. The catalogue can be ' +
      'built without this model (human labels, and the production model if there is one): ' +
      'npx vitrine run catalogue --single',
    { failed },
  );
}

/** Refuse when the evaluation was made on other data, labels or params than this commit has. */
export function checkInputs({
  metrics,
  current,
  head,
}: {
  metrics: Metrics;
  current: CurrentInputs;
  /** The commit checked out now: an evaluation at this very commit is not named (its files changed since). */
  head?: string | null;
}): void {
  const changed: { what: string; evaluated: string; now: string; rerun: string }[] = [];
  if (metrics.inputs.data !== current.data)
    changed.push({
      what: 'the images or object data (data.dvc)',
      evaluated: metrics.inputs.data,
      now: current.data,
      rerun: 'dataset, train and evaluate',
    });
  if (metrics.inputs.labels !== current.labels)
    changed.push({
      what: 'the labels (labels.csv)',
      evaluated: metrics.inputs.labels,
      now: current.labels,
      rerun: 'dataset, train and evaluate',
    });
  if (metrics.inputs.params !== current.params)
    changed.push({
      what: 'the parameters (params.yaml)',
      evaluated: metrics.inputs.params,
      now: current.params,
      rerun: 'the stages whose parameters changed, then evaluate',
    });
  if (changed.length === 0) return;
  const evaluatedAt = metrics.inputs.commit && metrics.inputs.commit !== head ? metrics.inputs.commit : null;
  throw new VitrineError(
    'PROMOTE_INPUTS_CHANGED',
    `The evaluated model does not match this commit: ${changed.map((c) => c.what).join(', ')} changed after the ` +
      `model was made from them${evaluatedAt ? ` (evaluated at commit ${evaluatedAt.slice(0, 7)})` : ''}: ` +
      'edited, committed or pulled while a run was going, or after the evaluation. ' +
      `Nothing was registered. Rerun ${[...new Set(changed.map((c) => c.rerun))].join('; ')} ("vitrine run ` +
      `evaluate" reruns what changed), or re-run the pull request's checks, then promote again.`,
    { changed },
  );
}

/** The words and the rerun for each part of params.yaml that a registered version stands on. */
const READ_SETTINGS = [
  {
    what: 'the parameters (params.yaml)',
    of: (p: StageContext['params']) => modelParams(p),
    made: 'The model was trained and evaluated with them as they were then',
    rerun: 'the stages whose parameters changed, then evaluate',
  },
  {
    // Which guesses are published as annotations: the version would publish with settings its commit does not hold.
    what: 'the publication settings (annotate in params.yaml)',
    of: (p: StageContext['params']) => p.annotate,
    made: 'The model’s guesses would be published as annotations with them as they were then',
    rerun: 'evaluate',
  },
] as const;

/**
 * Refuse when params.yaml is not what this run read as it began: changed by a commit or "git pull" while it trained,
 * the version would be tagged on a commit whose params.yaml did not make it, with settings that commit does not hold.
 * Compared: the settings that shape the model, and the annotate section (which of its guesses are published). The
 * catalogue's settings are not: lock.json records the site as built with those the run read, so the next run builds
 * it again and "vitrine publish" says it is older than them. Without a params.yaml there is nothing to compare (the
 * run used the defaults, or the params its caller gave).
 */
export async function checkParamsRead({
  ws,
  params,
  commit,
}: {
  ws: StageContext['ws'];
  /** The params the run read as it began. */
  params: StageContext['params'];
  /** The commit the version would be tagged on, for the words. */
  commit: string | null;
}): Promise<void> {
  if (
    !(await stat(ws.params).then(
      () => true,
      () => false,
    ))
  )
    return;
  // One that cannot be read now is not what the run read: the next run says what is wrong with it.
  const current = await loadParams({ file: ws.params }).catch(() => null);
  const changed = READ_SETTINGS.map((part) => ({
    ...part,
    evaluated: hashJson(part.of(params)),
    now: current ? hashJson(part.of(current)) : 'unreadable',
  })).filter((part) => part.evaluated !== part.now);
  if (changed.length === 0) return;
  const what = changed.map((c) => c.what).join(' and ');
  throw new VitrineError(
    'PROMOTE_INPUTS_CHANGED',
    `Not promoted: ${what} changed after this run read them as it began: while this run was going (a commit, ` +
      `"git pull" or an edit meanwhile). ${changed[0]!.made}, so a version registered on ` +
      `${commit ? `commit ${commit.slice(0, 7)}` : 'this commit'} would record settings it was not made with. ` +
      'Nothing was registered and production is unchanged. Run "npx vitrine run" again: it reruns the stages ' +
      'whose parameters changed, then promotes.',
    { changed: changed.map(({ what, evaluated, now, rerun }) => ({ what, evaluated, now, rerun })) },
  );
}

/**
 * Refuse when metrics.json evaluated another model than the one in `.vitrine/model/` (trained with
 * `vitrine run train --single` or copied in after the evaluation): its gate, scores and publication thresholds
 * would be registered and used for a model they do not describe. A metrics.json written before it named the
 * model is trusted as before, with a note.
 */
export function checkEvaluatedModel({
  metrics,
  identity,
  log,
}: {
  metrics: Metrics;
  identity: string;
  log: StageContext['log'];
}): void {
  const evaluated = evaluatedModel({ metrics, identity });
  if (evaluated === 'unknown')
    log.info(
      'metrics.json does not say which model it evaluated (it was written by an older Vitrine), so it is taken ' +
        'to be this model\'s evaluation; "vitrine run evaluate" records it.',
    );
  if (evaluated !== 'other') return;
  throw new VitrineError(
    'PROMOTE_MODEL_MISMATCH',
    `Not promoted: ${OTHER_MODEL_WORDS}. The model in .vitrine/model was trained or copied after that ` +
      'evaluation, so its gate, scores and publication thresholds do not describe it. Nothing was registered and ' +
      'production is unchanged.',
    { evaluated: metrics.inputs.model, model: identity },
  );
}

/** The files a model version's lineage points at in its commit. */
const RECORDED_FILES = ['labels.csv', 'data.dvc', 'params.yaml'] as const;

/**
 * Refuse when labels, data pointer or params differ from the commit the version would be tagged on:
 * the tag would then claim a lineage the commit does not hold.
 */
export async function checkCommitted({
  ws,
  commit,
  env,
}: {
  ws: StageContext['ws'];
  commit: string;
  /** The run's environment: where git's user and system settings are (core.autocrlf). */
  env: StageContext['env'];
}): Promise<void> {
  const uncommitted: string[] = [];
  // As "git status" judges: a symbolic link by its target, line ends as git converts them (core.autocrlf).
  for (const file of RECORDED_FILES)
    if (!(await sameAsCommitted({ dir: ws.root, ref: commit, filepath: file, env }))) uncommitted.push(file);
  if (uncommitted.length === 0) return;
  throw new VitrineError(
    'PROMOTE_UNCOMMITTED',
    `${uncommitted.join(', ')} ${uncommitted.length === 1 ? 'has' : 'have'} changes that are not committed. A ` +
      `model version is tagged on a commit and records the labels, data and parameters of that commit, so ` +
      `commit the changes (in a pull request, as staff do) and run again. Nothing was registered.`,
    { files: uncommitted },
  );
}

/**
 * Refuse when data/ is not what data.dvc records: the model was trained on data/ as it is, but its version
 * records data.dvc's hash, so that data could not reproduce it, and a rollback or "vitrine data checkout"
 * would bring back data that never trained it.
 */
export async function checkDataRecorded({
  ws,
  log,
}: {
  ws: StageContext['ws'];
  log: StageContext['log'];
}): Promise<void> {
  const unrecorded = await unrecordedData({ ws, log });
  if (!unrecorded) return;
  const { words, added, removed, changed, notFetched } = unrecorded;
  throw new VitrineError(
    'PROMOTE_DATA_UNRECORDED',
    `Not promoted: ${words}. A model version records the data of data.dvc, so the model trained on data/ as it ` +
      'is could not be made again from its commit, and a rollback would bring back data that never trained it. ' +
      unrecordedAdvice(
        unrecorded,
        // A plain checkout keeps files data.dvc does not list: only --force takes added ones away.
        `If the changes are meant, ${RECORD_DATA}, then run again; if not, "vitrine data checkout` +
          `${added > 0 ? ' --force' : ''}" puts data/ back as data.dvc records.`,
      ) +
      ' Nothing was registered and production is unchanged.',
    { added, removed, changed, notFetched },
  );
}

/** The promotion, with the remote and predictor injectable for tests; the stage calls it with the defaults. */
export async function promote({
  ctx,
  remote,
  predict,
}: {
  ctx: StageContext;
  remote?: ModelRemote;
  predict?: PredictObjects;
}): Promise<StageResult & { version: string; reused: boolean; prod: string | null; annotated: number }> {
  const { ws, params, log, clock, env } = ctx;
  const name = params.registry.model_name;
  const metrics = await readJson<Metrics>({
    file: path.join(ws.evaluate, 'metrics.json'),
    ws,
    missing: 'Run the evaluate stage first (vitrine run evaluate).',
  });
  // Before the gate: a gate failure still publishes the catalogue (keep-production), which an older commit must not.
  const head = await headCommit({ dir: ws.root });
  if (head) await refuseOlderCommit({ dir: ws.root, name, commit: head });
  checkGate({ metrics });
  // Its tags may not have come with it: the next number could be one another version already has.
  if (await isShallow(ws.root))
    throw new VitrineError(
      'REGISTRY_SHALLOW_CLONE',
      `Not promoted: this copy of the repository holds only part of its history (a shallow clone), so the model ` +
        `registry's git tags may be missing from it, and a version registered here could take a number another ` +
        `version already has. ${FETCH_HISTORY} Then run again. Nothing was registered and production is unchanged.`,
      {},
    );
  const current = await currentInputs({ ws, params });
  checkInputs({ metrics, current, head });
  await checkParamsRead({ ws, params, commit: head });
  const modelInfo = await readJson<ModelInfo>({
    file: path.join(ws.model, 'model-info.json'),
    ws,
    missing: 'Run the train stage first (vitrine run train).',
  });
  if (modelInfo.labels.join('\n') !== metrics.labels.join('\n')) {
    throw new VitrineError(
      'PROMOTE_MODEL_MISMATCH',
      `The trained model's labels (${labelList(modelInfo.labels)}) differ from the evaluated ones ` +
        `(${labelList(metrics.labels)}). Run "vitrine run evaluate" again.`,
      {},
    );
  }
  const manifest = await manifestOf({ dir: ws.model });
  const identity = await modelIdentity({ dir: ws.model, manifest, info: modelInfo });
  checkEvaluatedModel({ metrics, identity, log });
  const commit = head;
  if (!commit)
    throw new VitrineError(
      'REGISTRY_NO_GIT',
      `Not promoted: ${ws.root} has no commit yet, and model versions are kept as git tags on commits. To begin its ` +
        'history, commit the collection first: git add -A, then git commit -m "The collection as imported". Then ' +
        'run again. Nothing was registered.',
      {},
    );
  await checkCommitted({ ws, commit, env });
  // Before anything is stored or tagged; only here, where a version is registered (a branch's run only warns).
  await checkDataRecorded({ ws, log });
  // A fresh CI runner has no record of what the public sees now (the catalogue writes it again from the tags, but
  // after this stage): written first, so that what the new model changes of it can be said (annotation-changes.ts).
  await restoreRegistryRecord({ ws, params, log, remote, predict, env, publishedAfter: true }).catch(stoppedAt(null));

  // Evidence for the card travels with the model, so any machine can rebuild the card.
  const dataset = await readDataset({ ws });
  await sweepStagedEvidence({ ws });
  // Staged in a folder of this run's own: two runs promoting at once must not empty each other's.
  const staging = `${evidenceStagingDir(ws)}.${randomBytes(6).toString('hex')}.tmp`;
  // A stop at the storage (or anywhere before the evidence is kept) leaves no folder behind: the next try stages
  // its own (an outside tester found one more in .vitrine/registry after each failed try).
  const { pushed, evidence, store } = await (async () => {
    await mkdir(staging, { recursive: true });
    await writeJsonAtomic({ file: path.join(staging, 'metrics.json'), value: metrics });
    await writeJsonAtomic({ file: path.join(staging, 'model-info.json'), value: modelInfo });
    await writeJsonAtomic({
      file: path.join(staging, 'dataset-summary.json'),
      value: summariseDataset({ dataset, factors: params.evaluate.factors }),
    });
    // The labels the evaluation found likely wrong: a fresh clone's catalogue has no .vitrine/evaluate to read them.
    await copyFile(reviewFile(ws), path.join(staging, 'review.json')).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const evidence = await manifestOf({ dir: staging });

    const store = remote ?? (await openModelRemote({ ws, log }).catch(stoppedAt(null)));
    const pushed = await pushFiles({ dir: ws.model, manifest, remote: store, log }).catch(stoppedAt(null));
    await pushFiles({ dir: staging, manifest: evidence, remote: store, log }).catch(stoppedAt(null));
    return { pushed, evidence, store };
  })().catch(async (error: unknown) => {
    await rm(staging, { recursive: true, force: true });
    throw error;
  });
  await keepStagedEvidence({ staging, ws });

  const headline: Headline = {
    accuracy: metrics.accuracy.value,
    macroF1: metrics.macroF1.value,
    macroF1Low: metrics.macroF1.low,
    macroF1High: metrics.macroF1.high,
    n: metrics.n,
    labels: metrics.labels,
  };
  const lineage = await collectLineage({ ws, params, modelInfo, metrics, inputs: current, commit, env, clock });
  const registered = await registerVersion({
    dir: ws.root,
    name,
    commit,
    clock,
    log,
    record: {
      manifest,
      identity,
      evidence,
      remote: describeRemote(store),
      inputs: {
        labels: metrics.labels,
        data: current.data,
        labelsMd5: current.labels,
        // The labels the evaluation found renamed: the card says "renamed", not one class removed and one added.
        ...(metrics.labelRenames?.length
          ? {
              renames: metrics.labelRenames.map(({ from, to, joined }) => ({
                from,
                to,
                ...(joined ? { joined } : {}),
              })),
            }
          : {}),
      },
      headline,
      lineage,
    },
  });

  // The gate passed, so the version takes production unless something newer holds it (two merges
  // racing) or it held production before (a rollback took it away). Reused versions too: a run that
  // died between registering and assigning is repaired by the next one.
  const assigned = await assignStage({
    dir: ws.root,
    name,
    version: registered.version,
    stage: 'prod',
    clock,
    log,
    unlessNewer: true,
    onlyFirstTime: true,
    payload: { pullRequest: lineage.pullRequest },
  });
  const published = await publishRegistry({ ws, params, log, remote: store, predict }).catch(
    stoppedAt(registered.version),
  );
  // Every object with an image is annotated, but those whose image has no usable embedding: they get
  // no machine annotation (predictObjects names them in the log), and the summary counts them.
  const withImage = dataset.objects.filter((o) => o.image !== '').length;
  const unannotated = published.annotated > 0 ? Math.max(0, withImage - published.annotated) : 0;
  const annotated =
    `${published.annotated} objects annotated` +
    (unannotated > 0 ? ` (${unannotated} left out: no usable embedding)` : '');
  const summary = registered.reused
    ? `model unchanged: still ${registered.version}; ` +
      ('rolledBack' in assigned && assigned.rolledBack
        ? `production is ${published.prod ?? 'none'} (rolled back with vitrine models rollback); `
        : `production ${published.prod ?? 'none'}; `) +
      annotated
    : `registered ${registered.version} ` +
      '(' +
      (registered.registration.bump === 'first'
        ? 'first version'
        : `${registered.registration.bump}: ${registered.registration.reason}`) +
      `), production ${published.prod}; ${pushed.sent} model files stored; ${annotated}`;
  return {
    summary,
    version: registered.version,
    reused: registered.reused,
    prod: published.prod,
    annotated: published.annotated,
  };
}

/**
 * An error of the storage remote (down, refusing the key, …) in the promote stage, said with what the stage had
 * done: `registered`, the version registered before it stopped (null: nothing was). A tester read only "The storage
 * server … did not answer", not which stage stopped, whether the model was registered, nor that the catalogue (the
 * stage after) was not rebuilt. Any other error is thrown as it is.
 */
function stoppedAt(registered: string | null): (error: unknown) => never {
  return (error) => {
    if (!isVitrineError(error) || !error.code.startsWith('REMOTE_')) throw error;
    const done = registered
      ? `after registering ${registered}: its annotations were not published and the catalogue was not rebuilt.`
      : 'before registering the model. Nothing was registered and production is unchanged, and the catalogue was ' +
        'not rebuilt.';
    const again = registered
      ? `it keeps ${registered} (nothing is registered twice), publishes its annotations and rebuilds the catalogue.`
      : 'it stores the model, registers it and rebuilds the catalogue; the stages that already ran are not run again.';
    throw new VitrineError(
      error.code,
      `The promote stage stopped ${done} ${error.message} ` +
        `${error.code === 'REMOTE_UNAVAILABLE' ? 'Once the storage server answers' : 'Once that is put right'}, ` +
        `run "npx vitrine run" again: ${again}`,
      { ...error.data, stage: 'promote', registered },
      { cause: error },
    );
  };
}

/**
 * A commit older than one with a registered version (in its history) is not promoted: most often a re-run of an older
 * merge's workflow after a newer merge was promoted. Registered, it took the next number and production with the
 * older labels; its catalogue, built from the older commit, replaced the newer one on the public site.
 */
async function refuseOlderCommit({ dir, name, commit }: { dir: string; name: string; commit: string }) {
  const { versions, stages } = await readRegistry({ dir, name });
  if (versions.length === 0) return;
  // Most versions are of commits in this one's history: one walk sets them aside (a reviewer timed 9 s for 50
  // versions over 1,000 commits asked one by one); only the others are asked whether they descend from it.
  const older = await historyOf({ dir, commit });
  for (const v of [...versions].reverse()) {
    if (older.has(v.commit)) continue;
    if (!(await isDescendant({ dir, commit: v.commit, ancestor: commit }))) continue;
    const prod = stages.prod;
    throw new VitrineError(
      'PROMOTE_OLDER_COMMIT',
      `Not promoted: this run is of commit ${commit.slice(0, 7)}, older than commit ${v.commit.slice(0, 7)}, whose ` +
        `model ${v.version} is registered already (most often a re-run of an older merge's workflow). Nothing was ` +
        `registered, ${prod ? `production keeps ${prod}` : 'production is unchanged'}, and no catalogue should be ` +
        'built from this older commit. To go back to an older model, use "npx vitrine models rollback <version>" ' +
        '(or the "Roll back the production model" workflow).',
      { commit, newer: { version: v.version, commit: v.commit } },
    );
  }
}

/** How old a staging folder must be to be taken for one a stopped run left (a promote takes minutes, not a day). */
const STALE_STAGING_MS = 24 * 3600_000;

/**
 * Remove staging folders (evidence.<random>.tmp) that runs stopped in the middle (killed, the computer turned off)
 * left a day or more ago; a younger one may be another run's at work.
 */
async function sweepStagedEvidence({ ws }: { ws: StageContext['ws'] }): Promise<void> {
  const target = evidenceStagingDir(ws);
  const names = await readdir(path.dirname(target)).catch(() => [] as string[]);
  const prefix = `${path.basename(target)}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const dir = path.join(path.dirname(target), name);
    const info = await stat(dir).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_STAGING_MS) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Move this run's staged evidence to where the cards look for it first (the remote has it too).
 * Another run may have put its own there meanwhile: either one serves, so a failed swap just cleans up.
 */
async function keepStagedEvidence({ staging, ws }: { staging: string; ws: StageContext['ws'] }): Promise<void> {
  const target = evidenceStagingDir(ws);
  try {
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The `promote` stage of `vitrine run`. */
export const promoteStage: Stage = {
  name: 'promote',
  summary:
    'Register the evaluated model as the next version (git tag in GTO format), put it in production, write its ' +
    'model card and annotate the collection.',
  deps: { paths: ['.vitrine/model'], params: ['registry', 'gate'], stages: ['evaluate'] },
  outs: ['.vitrine/registry'],
  // A new commit may carry a merge that must be registered; which model is in production is not an
  // input (a rollback must not make the next run promote again).
  async fingerprint(ctx) {
    return { commit: await headCommit({ dir: ctx.ws.root }), branch: await branchOf(ctx) };
  },
  async run(ctx) {
    // Promotion is the merge: on any other branch the run evaluates and reports, and stops there.
    const branch = await branchOf(ctx);
    const main = ctx.params.collection.branch;
    if (branch !== main) {
      const where = branch ? `branch "${branch}"` : 'a commit that is not on a branch';
      ctx.log.info(`Not promoting on ${where}: a model is promoted on "${main}", when its pull request is merged.`);
      // Said here, once per run: the merge would be refused for it (checkDataRecorded).
      const unrecorded = await unrecordedData({ ws: ctx.ws, log: ctx.log });
      if (unrecorded)
        ctx.log.warn(
          `${unrecorded.words}. This run used data/ as it is, but data.dvc is what gets ` +
            `merged: the merge will not be promoted until the data is recorded. ` +
            unrecordedAdvice(unrecorded, `To keep the changes, ${RECORD_DATA}.`),
        );
      return { summary: `not promoted: this is ${where}, models are promoted on "${main}"` };
    }
    await warnUnsentData(ctx);
    const { summary } = await promote({ ctx });
    return { summary };
  },
};

/**
 * On main, outside CI: warn (not refuse) when this machine has no record that the storage remote holds data.dvc's
 * images (never pushed from here). The version registered now records that data; if it is only on this computer,
 * no one else, CI included, can pull it to check or retrain the model. In CI the data was pulled from the remote,
 * so it is there by definition, and nothing is said.
 */
async function warnUnsentData(ctx: StageContext): Promise<void> {
  if (ctx.env.GITHUB_ACTIONS === 'true' || ctx.env.CI) return;
  const unsent = await unsentVersion({ root: ctx.ws.root }).catch(() => null);
  if (!unsent) return;
  ctx.log.warn(
    `${noRecordWords(unsent)}. If they were never pushed, the model version registered now records data that ` +
      `only this computer has, and no one else (nor CI) can pull it. ${NO_RECORD_ADVICE}`,
    { file: 'data.dvc' },
  );
}

/** The branch being run: git's current branch, or in CI on a detached checkout the pushed ref's name. */
async function branchOf(ctx: StageContext): Promise<string | null> {
  return checkedOutBranch({ dir: ctx.ws.root, env: ctx.env });
}
