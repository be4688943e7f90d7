import { VitrineError } from '../errors.ts';
import {
  clearStaleLock,
  clearStaleLocks,
  composeMessage,
  createTag,
  DEFAULT_TAGGER,
  isGitRepo,
  readTagEvents,
  type TagEvent,
  tagNames,
  withGitLock,
} from '../git/tags.ts';
import { type Clock, type Logger, quoted } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import {
  assignTagName,
  gtoMessage,
  isGtoName,
  isGtoVersion,
  nextCounter,
  parseGtoTag,
  registerTagName,
  unassignTagName,
} from './gto.ts';
import { sameModel } from './identity.ts';
import type { Lineage } from './lineage.ts';
import { sameModelBefore } from './same-model.ts';
import {
  type Bump,
  type BumpInputs,
  bumpVersion,
  changedModelParams,
  compareVersions,
  decideBump,
  FIRST_VERSION,
} from './semver.ts';
import type { Manifest } from './store.ts';
import { stageName, stageNoun } from './words.ts';

/** Headline figures of a version, for lists and the catalogue. */
export interface Headline {
  accuracy: number;
  macroF1: number;
  /** 95% interval of macro-F1. */
  macroF1Low: number;
  macroF1High: number;
  /** Test objects. */
  n: number;
  labels: string[];
}

/** What to record in a new version (everything but the version number, which the registry decides). */
export interface RegistrationInput {
  /** The model folder: relpath → md5, stored in the data remote. */
  manifest: Manifest;
  /** What the model computes (identity.ts): equal identities are the same model whatever the run's timings. */
  identity?: string;
  /** metrics.json, model-info.json and the dataset summary, stored in the remote so cards can be rebuilt anywhere. */
  evidence: Manifest | null;
  /** Data remote the files were pushed to (for messages; restoring uses the repository's configured remote). */
  remote: string;
  inputs: BumpInputs;
  headline: Headline;
  lineage: Lineage;
}

/** The JSON block of a registration tag (`name@v1.2.0`): the recorded input plus the version the registry chose. */
export interface Registration extends RegistrationInput {
  schema: 'vitrine.registration/1';
  model: string;
  version: string;
  /** The version this one was bumped from, null for the first. */
  previous: string | null;
  bump: Bump | 'first';
  /** Why this bump, in plain words. */
  reason: string;
}

/** One registered version and where it stands now. */
export interface VersionRecord {
  name: string;
  version: string;
  tag: string;
  commit: string;
  createdAt: string;
  author: string;
  /** False once deregistered (`name@v1.2.0!#N`). */
  active: boolean;
  /** Stages this version holds now (e.g. ["prod"]): the highest version with an active assignment holds a stage. */
  stages: string[];
  /** Stages whose latest event for this version is an assignment (GTO's active "vstages"). */
  assigned: string[];
  /** Stages this version was ever assigned, including ones taken away since (a rollback). */
  everAssigned: string[];
  /** Vitrine's record; null for a version registered by another tool (plain `gto register`). */
  registration: Registration | null;
  /**
   * A version registered by another tool or by hand: its tag's message, the reason given (`git tag -a -m …`,
   * `gto register --message …`); absent when it is GTO's own ("Registering artifact … version …"), or empty.
   */
  message?: string;
  /** From showVersion: the earlier version whose very model this one is, registered again (same-model.ts). */
  sameModelAs?: string;
  /** Taken out of production by a rollback (`by`: the version put back), unless put back since. */
  withdrawn?: { date: string; reason: string | null; by: string };
  /**
   * Put back in production by a rollback in place of `from`, unless withdrawn since. `until`: when production moved on
   * since (a promotion, a prod tag made by hand), to `replacedBy` (null: no version holds prod then).
   */
  putBack?: {
    date: string;
    from: string | null;
    reason: string | null;
    until?: string;
    replacedBy?: string | null;
  };
}

/** Everything the tags say about one model. */
export interface RegistryState {
  name: string;
  /** Registered versions, oldest SemVer first. */
  versions: VersionRecord[];
  /** stage → version currently holding it. */
  stages: Record<string, string>;
  deprecated: boolean;
  events: TagEvent[];
}

/** The newest tag time of the model, in seconds (0 without tags). */
export function lastTagTime(state: RegistryState): number {
  return state.events.reduce((max, e) => Math.max(max, e.timestamp), 0);
}

/** Read the registry of model `name` from the repository's tags. */
export async function readRegistry({ dir, name }: { dir: string; name: string }): Promise<RegistryState> {
  const events = await readTagEvents({ dir, name });
  const versions = new Map<string, VersionRecord>();
  const byCommit = new Map<string, string>();
  let deprecated = false;
  for (const e of events) {
    if (e.action === 'register' && e.version && !versions.has(e.version)) {
      const registration =
        e.payload?.schema === 'vitrine.registration/1' ? (e.payload as unknown as Registration) : null;
      const message = e.message.trim();
      const own = message && message !== gtoMessage({ action: 'register', name, version: e.version }) ? message : '';
      versions.set(e.version, {
        name,
        version: e.version,
        tag: e.tag,
        commit: e.commit,
        createdAt: e.createdAt,
        author: e.author,
        active: true,
        stages: [],
        assigned: [],
        everAssigned: [],
        registration,
        ...(registration === null && own ? { message: own } : {}),
      });
      byCommit.set(e.commit, e.version);
    } else if (e.action === 'deregister' && e.version) {
      const v = versions.get(e.version);
      if (v) {
        v.active = false;
        if (byCommit.get(v.commit) === v.version) byCommit.delete(v.commit);
      }
    } else if (e.action === 'deprecate') deprecated = true;
  }
  // GTO's rule: a version holds a stage while its latest event for that stage is an assignment
  // (not an unassignment); of those versions, the highest SemVer is the stage's version.
  for (const e of events) {
    if (!e.stage || (e.action !== 'assign' && e.action !== 'unassign')) continue;
    const v = versions.get(byCommit.get(e.commit) ?? '');
    if (!v) continue;
    v.assigned =
      e.action === 'assign' ? [...new Set([...v.assigned, e.stage])] : v.assigned.filter((s) => s !== e.stage);
    if (e.action === 'assign' && !v.everAssigned.includes(e.stage)) v.everAssigned.push(e.stage);
  }
  rollbacksInto({ events, versions, byCommit });
  const list = [...versions.values()].sort((a, b) => compareVersions(a.version, b.version));
  const stages: Record<string, string> = {};
  for (const v of list) if (v.active) for (const stage of v.assigned) stages[stage] = v.version;
  for (const [stage, version] of Object.entries(stages)) versions.get(version)!.stages.push(stage);
  return { name, versions: list, stages, deprecated, events };
}

/**
 * The rollbacks the tags record (registry.ts `rollback`: its `prod` assignment names the version put back, the one it
 * replaced and why), on the versions: a card and `models show` said only "Not in production" of a version withdrawn
 * (tester T10). The newest event of a version wins: put back after being withdrawn, it is no longer withdrawn.
 */
function rollbacksInto({
  events,
  versions,
  byCommit,
}: {
  /** Oldest first, as readTagEvents orders them. */
  events: TagEvent[];
  versions: Map<string, VersionRecord>;
  /** A stage's tag names no version: the version registered on its commit is the one assigned (GTO). */
  byCommit: Map<string, string>;
}): void {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  // Who holds prod after each event, by GTO's rule (readRegistry): to tell when production moved on from a version
  // put back, which kept saying "Put back … in place of v1.1.0" a year after (reviewer V16).
  const assigned = new Set<string>();
  let holder: string | null = null;
  for (const e of events) {
    if (e.stage !== 'prod' || (e.action !== 'assign' && e.action !== 'unassign')) continue;
    const to = versions.get(byCommit.get(e.commit) ?? '');
    if (to && e.action === 'assign') assigned.add(to.version);
    else if (to) assigned.delete(to.version);
    const now =
      [...assigned]
        .filter((v) => versions.get(v)?.active)
        .sort(compareVersions)
        .at(-1) ?? null;
    const left = holder === now ? undefined : versions.get(holder ?? '')?.putBack;
    if (left && left.until === undefined) Object.assign(left, { until: e.createdAt, replacedBy: now });
    // Production handed to an earlier version by tags made by hand (`gto unassign`, `git tag name#prod#N`): a
    // rollback all the same, said as one, so that its label warning is given too (task D5). No reason is recorded.
    const byHand = holder !== null && now !== null && compareVersions(now, holder) < 0;
    const back = byHand && e.payload?.rollback !== true ? versions.get(now) : undefined;
    const taken = back ? versions.get(holder ?? '') : undefined;
    if (back && taken) {
      back.putBack = { date: e.createdAt, from: taken.version, reason: null };
      delete back.withdrawn;
      taken.withdrawn = { date: e.createdAt, reason: null, by: back.version };
      delete taken.putBack;
    }
    holder = now;
    if (e.action !== 'assign') continue;
    if (e.payload?.rollback !== true) {
      // Promoted (or assigned by another tool): production's again, not withdrawn.
      if (to) delete to.withdrawn;
      continue;
    }
    const from = text(e.payload.from);
    const reason = text(e.payload.reason);
    if (to) {
      to.putBack = { date: e.createdAt, from, reason };
      delete to.withdrawn;
    }
    const out = from && to && from !== to.version ? versions.get(from) : undefined;
    if (out && to) {
      out.withdrawn = { date: e.createdAt, reason, by: to.version };
      delete out.putBack;
    }
  }
}

const MAX_ATTEMPTS = 20;

/**
 * Register the next version of `name` at `commit`: the version number follows the bump rule
 * (semver.ts) from the newest registered version. When another promotion takes the same number
 * first, the tag already exists; the registry is read again and the next number tried.
 * A commit holds at most one version (as in GTO), and the same model as the newest version (same
 * identity: weights, classes, backbone) is not registered again: both return the existing version
 * with `reused: true`.
 */
export async function registerVersion({
  dir,
  name,
  commit,
  record,
  clock,
  log,
  tagger = DEFAULT_TAGGER,
}: {
  dir: string;
  name: string;
  commit: string;
  record: RegistrationInput;
  clock: Clock;
  log: Logger;
  tagger?: { name: string; email: string };
}): Promise<{ version: string; tag: string; registration: Registration; reused: boolean; attempts: number }> {
  checkName(name);
  if (!(await isGitRepo({ dir })))
    throw new VitrineError(
      'REGISTRY_NO_GIT',
      `"${dir}" is not a git repository (it has no .git): model versions are kept as git tags, so promote from a ` +
        'git clone.',
      { dir },
    );
  // Locks left by a killed promotion go first: git and other tools would trip over them.
  await clearStaleLocks({ dir, name, log });
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const state = await readRegistry({ dir, name });
    const atCommit = state.versions.find((v) => v.active && v.commit === commit);
    if (atCommit?.registration) {
      if (sameModel(atCommit.registration, record)) {
        log.info(
          `Model version ${atCommit.version} is already registered for commit ${commit.slice(0, 7)} with the same model.`,
        );
      } else {
        // A commit holds one version (GTO). Same commit means same data, labels and params, so
        // the difference is the training run itself (another backend rounds differently):
        // failing would make every rerun of this commit fail, so the registered version stands.
        log.warn(
          `Commit ${commit.slice(0, 7)} already has model version ${atCommit.version}; this run trained slightly different weights ` +
            'from the same data, labels and parameters (another backend or machine). ' +
            `Version ${atCommit.version} is kept and nothing new is registered.`,
        );
      }
      return {
        version: atCommit.version,
        tag: atCommit.tag,
        registration: atCommit.registration,
        reused: true,
        attempts: attempt,
      };
    }
    if (atCommit) {
      throw new VitrineError(
        'VERSION_EXISTS_FOR_COMMIT',
        `Commit ${commit.slice(0, 7)} already has model version ${atCommit.version}, registered by another tool without ` +
          "Vitrine's file list. Promote from a new commit.",
        { commit, version: atCommit.version },
      );
    }
    const latest = [...state.versions].reverse().find((v) => v.active) ?? null;
    if (latest?.registration && sameModel(latest.registration, record)) {
      // The same model merged again with an unrelated change: no new version.
      log.info(
        `The model is unchanged since version ${latest.version} (it computes the same thing); no new version registered.`,
      );
      return {
        version: latest.version,
        tag: latest.tag,
        registration: latest.registration,
        reused: true,
        attempts: attempt,
      };
    }
    // The kind of bump compares with the newest active version; the number counts on from the
    // highest ever registered, so a withdrawn version's number is never reused.
    const highest = state.versions.at(-1) ?? null;
    let version: string;
    let bump: Bump | 'first';
    let reason: string;
    if (!latest || !highest) {
      version = highest ? bumpVersion({ version: highest.version, bump: 'major' }) : FIRST_VERSION;
      bump = 'first';
      reason = 'first version of this model';
    } else if (latest.registration) {
      ({ bump, reason } = decideBump({
        previous: latest.registration.inputs,
        next: record.inputs,
        params: changedModelParams({
          previous: latest.registration.lineage?.params?.values,
          next: record.lineage?.params?.values,
        }),
      }));
      version = bumpVersion({ version: highest.version, bump });
    } else {
      bump = 'minor';
      reason = `previous version ${latest.version} has no Vitrine lineage to compare with`;
      version = bumpVersion({ version: highest.version, bump });
    }
    const registration: Registration = {
      schema: 'vitrine.registration/1',
      model: name,
      version,
      previous: latest?.version ?? null,
      bump,
      reason,
      ...record,
    };
    const tag = registerTagName({ name, version });
    try {
      const message = composeMessage({
        headline: gtoMessage({ action: 'register', name, version }),
        payload: registration,
      });
      await createTag({ dir, tag, commit, clock, tagger, after: lastTagTime(state), message, log });
      log.info(
        `Registered model version ${version} (${bump === 'first' ? 'first version' : `${bump}: ${reason}`}) as tag ${tag}.`,
      );
      return { version, tag, registration, reused: false, attempts: attempt };
    } catch (error) {
      if (!(error instanceof VitrineError && error.code === 'TAG_EXISTS')) throw error;
      log.debug(`tag ${tag} taken by another promotion (attempt ${attempt}); reading the registry again`);
      await clearStaleLock({ dir, tag, log });
      await pause(5 + Math.random() * 25);
    }
  }
  throw new VitrineError(
    'REGISTRY_BUSY',
    `Could not register a new version of ${name} after ${MAX_ATTEMPTS} attempts: other promotions kept taking the next number. Try again.`,
    { name },
  );
}

/** Assign `stage` to `version` with the artifact's next counter (`name#prod#N`), retrying when the tag is taken. */
export async function assignStage({
  dir,
  name,
  version,
  stage,
  clock,
  log,
  payload,
  unlessNewer = false,
  onlyFirstTime = false,
  tagger = DEFAULT_TAGGER,
}: {
  dir: string;
  name: string;
  version: string;
  stage: string;
  clock: Clock;
  log: Logger;
  /** Extra JSON for the tag message (e.g. why a rollback happened). */
  payload?: Record<string, unknown>;
  /** Leave the stage alone when a newer version holds it (two merges racing: the newer one wins). */
  unlessNewer?: boolean;
  /**
   * Leave the stage alone when this version holds it already or held it before (a rollback took it
   * away, and promoting the same commit again must not undo that). A version registered but never
   * assigned, because a run died in between, is assigned: promotion converges.
   */
  onlyFirstTime?: boolean;
  tagger?: { name: string; email: string };
}): Promise<{ tag: string; counter: number } | { tag: null; heldBy: string | null; rolledBack?: boolean }> {
  // One stage change at a time on this machine, so "is a newer version there?" and writing the tag cannot interleave.
  return withStageLock({ dir, name, stage, log }, async () => {
    const state = unlessNewer || onlyFirstTime ? await readRegistry({ dir, name }) : null;
    const record = state?.versions.find((v) => v.version === version);
    if (onlyFirstTime && record?.everAssigned.includes(stage)) {
      const rolledBack = !record.assigned.includes(stage);
      if (rolledBack) {
        log.info(
          `Model version ${version} was taken out of ${stageNoun(stage)} earlier (a rollback); it is not put back.`,
        );
      }
      return { tag: null, heldBy: state!.stages[stage] ?? null, rolledBack };
    }
    if (unlessNewer) {
      const holder = state!.stages[stage];
      if (holder && compareVersions(holder, version) > 0) {
        log.warn(
          `Version ${version} was registered, but the newer ${holder} is already ${stageName(stage)}; it stays there.`,
        );
        return { tag: null, heldBy: holder };
      }
    }
    return writeStageTag({ dir, name, version, stage, action: 'assign', clock, log, payload, tagger });
  });
}

/** Take `stage` away from `version` (`name#prod!#N`), as `gto unassign` does. */
export async function unassignStage({
  dir,
  name,
  version,
  stage,
  clock,
  log,
  payload,
  tagger = DEFAULT_TAGGER,
}: {
  dir: string;
  name: string;
  version: string;
  stage: string;
  clock: Clock;
  log: Logger;
  payload?: Record<string, unknown>;
  tagger?: { name: string; email: string };
}): Promise<{ tag: string; counter: number }> {
  return withStageLock({ dir, name, stage, log }, () =>
    writeStageTag({ dir, name, version, stage, action: 'unassign', clock, log, payload, tagger }),
  );
}

function withStageLock<T>(
  { dir, name, stage, log }: { dir: string; name: string; stage: string; log: Logger },
  fn: () => Promise<T>,
): Promise<T> {
  return withGitLock({ dir, name: `vitrine-${name.replace(/[^a-z0-9-]/g, '_')}-${stage}`, log, fn });
}

async function writeStageTag({
  dir,
  name,
  version,
  stage,
  action,
  clock,
  log,
  payload,
  tagger,
}: {
  dir: string;
  name: string;
  version: string;
  stage: string;
  action: 'assign' | 'unassign';
  clock: Clock;
  log: Logger;
  payload?: Record<string, unknown>;
  tagger: { name: string; email: string };
}): Promise<{ tag: string; counter: number }> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const state = await readRegistry({ dir, name });
    const target = state.versions.find((v) => v.version === version && v.active);
    if (!target) throw unknownVersion({ name, version, state });
    const tags = (await tagNames({ dir })).filter((t) => parseGtoTag(t)?.name === name);
    const counter = nextCounter({ name, tags });
    const tag =
      action === 'assign' ? assignTagName({ name, stage, counter }) : unassignTagName({ name, stage, counter });
    const message = composeMessage({
      headline: gtoMessage({ action, name, version, stage }),
      payload: {
        schema: 'vitrine.assignment/1',
        action,
        model: name,
        version,
        stage,
        previous: state.stages[stage] ?? null,
        ...payload,
      },
    });
    try {
      await createTag({ dir, tag, commit: target.commit, clock, tagger, message, after: lastTagTime(state), log });
      log.info(
        action === 'assign'
          ? `Model version ${version} is now ${stageName(stage)} (tag ${tag}).`
          : `Model version ${version} is no longer ${stageName(stage)} (tag ${tag}).`,
      );
      return { tag, counter };
    } catch (error) {
      if (!(error instanceof VitrineError && error.code === 'TAG_EXISTS')) throw error;
      await clearStaleLock({ dir, tag, log });
      await pause(5 + Math.random() * 25);
    }
  }
  throw new VitrineError(
    'REGISTRY_BUSY',
    `Could not ${action} stage ${stage} for ${name} ${version}: other promotions kept taking the tag. Try again.`,
    { name, version, stage },
  );
}

/** All versions of the params' model, oldest first, with their current stages. */
export async function listVersions({ ws, params }: { ws: Workspace; params: Params }): Promise<VersionRecord[]> {
  return (await readRegistry({ dir: ws.root, name: params.registry.model_name })).versions;
}

/** One version ("v1.2.0", or a stage name such as "prod"); VERSION_UNKNOWN when there is none. */
export async function showVersion({
  ws,
  params,
  version,
}: {
  ws: Workspace;
  params: Params;
  version: string;
}): Promise<VersionRecord> {
  const name = params.registry.model_name;
  const state = await readRegistry({ dir: ws.root, name });
  const found = findVersion({ state, version });
  if (!found) throw unknownVersion({ name, version, state });
  const earlier = sameModelBefore({ versions: state.versions, version: found.version });
  return earlier ? { ...found, sameModelAs: earlier } : found;
}

/** Look up "v1.2.0", "1.2.0", "prod" (any stage) or "latest" in a registry state. */
export function findVersion({ state, version }: { state: RegistryState; version: string }): VersionRecord | null {
  if (version === 'latest') return [...state.versions].reverse().find((v) => v.active) ?? null;
  const staged = state.stages[version];
  const wanted = staged ?? (/^\d/.test(version) ? `v${version}` : version);
  return state.versions.find((v) => v.version === wanted) ?? null;
}

/** What a rollback needs: the version to put back in `prod` ("v1.2.0", "1.2.0" or "latest") and why. */
export interface RollbackOptions {
  ws: Workspace;
  params: Params;
  version: string;
  reason?: string;
  clock: Clock;
  log: Logger;
  tagger?: { name: string; email: string };
}

/**
 * Put another registered version (usually an older one) back in `prod`. GTO gives a stage to the
 * highest version that still holds an assignment, so every newer version holding `prod` is first
 * unassigned (`name#prod!#N`), then the version is assigned again (`name#prod#N+1`); the history
 * keeps the promotion, the unassignment and the rollback, each with the reason in its message.
 */
export async function rollback({
  ws,
  params,
  version,
  reason = '',
  clock,
  log,
  tagger = DEFAULT_TAGGER,
}: RollbackOptions): Promise<{ version: string; from: string | null; tag: string; unassigned: string[] }> {
  const name = params.registry.model_name;
  const dir = ws.root;
  await clearStaleLocks({ dir, name, log });
  return withStageLock({ dir, name, stage: 'prod', log }, async () => {
    const state = await readRegistry({ dir, name });
    const target = findVersion({ state, version });
    if (!target) throw unknownVersion({ name, version, state });
    if (!target.active)
      throw new VitrineError(
        'VERSION_DEREGISTERED',
        `Model version ${target.version} was withdrawn (deregistered) and cannot go back into production.`,
        { version: target.version },
      );
    const from = state.stages.prod ?? null;
    if (from === target.version)
      throw new VitrineError(
        'ROLLBACK_NOOP',
        `Model version ${target.version} is already in production; nothing to roll back.`,
        { version: target.version },
      );
    const payload = { rollback: true, from, to: target.version, reason };
    const unassigned: string[] = [];
    for (const v of state.versions) {
      if (v.active && v.assigned.includes('prod') && compareVersions(v.version, target.version) > 0) {
        await writeStageTag({
          dir,
          name,
          version: v.version,
          stage: 'prod',
          action: 'unassign',
          clock,
          log,
          payload,
          tagger,
        });
        unassigned.push(v.version);
      }
    }
    const { tag } = await writeStageTag({
      dir,
      name,
      version: target.version,
      stage: 'prod',
      action: 'assign',
      clock,
      log,
      payload,
      tagger,
    });
    return { version: target.version, from, tag, unassigned };
  });
}

/** VERSION_UNKNOWN: no version `version` of `name`, naming the registered versions and stages (models show). */
export function unknownVersion({
  name,
  version,
  state,
}: {
  name: string;
  version: string;
  state: RegistryState;
}): VitrineError {
  const known = state.versions.map((v) => v.version);
  const stages = Object.keys(state.stages);
  const hint = known.length
    ? `Registered versions: ${known.join(', ')}${stages.length ? `; stages: ${stages.join(', ')}` : ''}.`
    : 'No version of this model is registered yet: a model is registered when its pull request is merged (vitrine run promote).';
  // A stage (assigned with GTO, "staging") no version holds is said as a stage, not as a version.
  const missing =
    version === 'latest' || isGtoVersion(/^\d/.test(version) ? `v${version}` : version) || !isGtoName(version)
      ? `There is no model version ${quoted(version)} of ${name}.`
      : `No version of ${name} is in stage ${quoted(version)}.`;
  return new VitrineError('VERSION_UNKNOWN', `${missing} ${hint}`, {
    name,
    version,
    known,
  });
}

function checkName(name: string): void {
  if (!isGtoName(name)) {
    throw new VitrineError(
      'REGISTRY_NAME_INVALID',
      `params.yaml: "registry.model_name" is "${name}", expected lowercase letters, digits and dashes, ` +
        `starting and ending with a letter or digit (GTO's rule for tag names).`,
      { name },
    );
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
