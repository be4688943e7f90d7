import fs from 'node:fs';
import git from 'isomorphic-git';
import { VitrineError } from '../errors.ts';
import type { Clock, Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { assignTagName, gtoMessage, nextCounter, parseGtoTag, registerTagName } from './gto.ts';
import { FIRST_VERSION, bumpVersion, compareVersions, decideBump, type Bump, type BumpInputs } from './semver.ts';
import type { Manifest } from './store.ts';
import { clearStaleLock, composeMessage, createTag, DEFAULT_TAGGER, isGitRepo, readTagEvents, withGitLock, type TagEvent } from './tags.ts';
import type { Lineage } from './lineage.ts';

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

/** The JSON block of a registration tag (`name@v1.2.0`). */
export interface Registration {
  schema: 'vitrine.registration/1';
  model: string;
  version: string;
  /** The version this one was bumped from, null for the first. */
  previous: string | null;
  bump: Bump | 'first';
  /** Why this bump, in plain words. */
  reason: string;
  /** The model folder: relpath → md5, stored in the data remote. */
  manifest: Manifest;
  /** metrics.json, model-info.json and the dataset summary, stored in the remote so cards can be rebuilt anywhere. */
  evidence: Manifest | null;
  /** Data remote the files were pushed to (for messages; restoring uses the repository's configured remote). */
  remote: string;
  inputs: BumpInputs;
  headline: Headline;
  lineage: Lineage;
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
  /** Stages this version holds now (e.g. ["prod"]). */
  stages: string[];
  /** Vitrine's record; null for a version registered by another tool (plain `gto register`). */
  registration: Registration | null;
}

export interface RegistryState {
  name: string;
  /** Registered versions, oldest SemVer first. */
  versions: VersionRecord[];
  /** stage → version currently holding it. */
  stages: Record<string, string>;
  deprecated: boolean;
  events: TagEvent[];
}

/** Read the registry of model `name` from the repository's tags. */
export async function readRegistry({ dir, name }: { dir: string; name: string }): Promise<RegistryState> {
  const events = await readTagEvents({ dir, name });
  const versions = new Map<string, VersionRecord>();
  const byCommit = new Map<string, string>();
  let deprecated = false;
  for (const e of events) {
    if (e.action === 'register' && e.version && !versions.has(e.version)) {
      const registration = e.payload?.schema === 'vitrine.registration/1' ? (e.payload as unknown as Registration) : null;
      versions.set(e.version, { name, version: e.version, tag: e.tag, commit: e.commit, createdAt: e.createdAt, author: e.author, active: true, stages: [], registration });
      byCommit.set(e.commit, e.version);
    } else if (e.action === 'deregister' && e.version) {
      const v = versions.get(e.version);
      if (v) {
        v.active = false;
        if (byCommit.get(v.commit) === v.version) byCommit.delete(v.commit);
      }
    } else if (e.action === 'deprecate') deprecated = true;
  }
  // A stage belongs to the version registered at the commit of its latest assignment (GTO's rule).
  const stages: Record<string, string> = {};
  for (const e of events) {
    if (!e.stage) continue;
    const version = byCommit.get(e.commit);
    if (e.action === 'assign' && version) stages[e.stage] = version;
    if (e.action === 'unassign' && version && stages[e.stage] === version) delete stages[e.stage];
  }
  for (const [stage, version] of Object.entries(stages)) versions.get(version)?.stages.push(stage);
  const list = [...versions.values()].sort((a, b) => compareVersions(a.version, b.version));
  return { name, versions: list, stages, deprecated, events };
}

/** What to record in a new version (everything but the version number, which the registry decides). */
export interface RegistrationInput {
  manifest: Manifest;
  evidence: Manifest | null;
  remote: string;
  inputs: BumpInputs;
  headline: Headline;
  lineage: Lineage;
}

const MAX_ATTEMPTS = 20;

/**
 * Register the next version of `name` at `commit`: the version number follows the bump rule
 * (semver.ts) from the newest registered version. When another promotion takes the same number
 * first, the tag already exists; the registry is read again and the next number tried.
 * A commit holds at most one version (as in GTO), and the same files as the newest version are not
 * registered again: both return the existing version with `reused: true`.
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
  if (!(await isGitRepo({ dir }))) throw new VitrineError('REGISTRY_NO_GIT', `"${dir}" is not a git repository; model versions are kept as git tags.`, { dir });
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const state = await readRegistry({ dir, name });
    const atCommit = state.versions.find((v) => v.active && v.commit === commit);
    if (atCommit) {
      if (atCommit.registration?.manifest.md5 === record.manifest.md5) {
        log.info(`Model version ${atCommit.version} is already registered for commit ${commit.slice(0, 7)} with the same files.`);
        return { version: atCommit.version, tag: atCommit.tag, registration: atCommit.registration, reused: true, attempts: attempt };
      }
      throw new VitrineError(
        'VERSION_EXISTS_FOR_COMMIT',
        `Commit ${commit.slice(0, 7)} already has model version ${atCommit.version} with different model files. Commit your changes and promote from the new commit.`,
        { commit, version: atCommit.version },
      );
    }
    const latest = [...state.versions].reverse().find((v) => v.active) ?? null;
    if (latest?.registration && latest.registration.manifest.md5 === record.manifest.md5) {
      // The same model merged again with an unrelated change: no new version.
      log.info(`The model is unchanged since version ${latest.version} (same files); no new version registered.`);
      return { version: latest.version, tag: latest.tag, registration: latest.registration, reused: true, attempts: attempt };
    }
    let version: string;
    let bump: Bump | 'first';
    let reason: string;
    if (!latest) {
      version = FIRST_VERSION;
      bump = 'first';
      reason = 'first version of this model';
    } else if (latest.registration) {
      ({ bump, reason } = decideBump({ previous: latest.registration.inputs, next: record.inputs }));
      version = bumpVersion({ version: latest.version, bump });
    } else {
      bump = 'minor';
      reason = `previous version ${latest.version} has no Vitrine lineage to compare with`;
      version = bumpVersion({ version: latest.version, bump });
    }
    const registration: Registration = { schema: 'vitrine.registration/1', model: name, version, previous: latest?.version ?? null, bump, reason, ...record };
    const tag = registerTagName({ name, version });
    try {
      await createTag({ dir, tag, commit, clock, tagger, message: composeMessage({ headline: gtoMessage({ action: 'register', name, version }), payload: registration }) });
      log.info(`Registered model version ${version} (${bump === 'first' ? 'first version' : `${bump} bump: ${reason}`}) as tag ${tag}.`);
      return { version, tag, registration, reused: false, attempts: attempt };
    } catch (error) {
      if (!(error instanceof VitrineError && error.code === 'TAG_EXISTS')) throw error;
      log.debug(`tag ${tag} taken by another promotion (attempt ${attempt}); reading the registry again`);
      await clearStaleLock({ dir, tag, now: clock.now() });
      await pause(5 + Math.random() * 25);
    }
  }
  throw new VitrineError('REGISTRY_BUSY', `Could not register a new version of ${name} after ${MAX_ATTEMPTS} attempts: other promotions kept taking the next number. Try again.`, { name });
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
  tagger?: { name: string; email: string };
}): Promise<{ tag: string; counter: number } | { tag: null; heldBy: string }> {
  // One assignment per stage at a time on this machine, so "is a newer version there?" and writing the tag cannot interleave.
  return withGitLock({ dir, name: `vitrine-${name.replace(/[^a-z0-9-]/g, '_')}-${stage}`, fn: () => assignLocked({ dir, name, version, stage, clock, log, payload, unlessNewer, tagger }) });
}

async function assignLocked({
  dir,
  name,
  version,
  stage,
  clock,
  log,
  payload,
  unlessNewer,
  tagger,
}: {
  dir: string;
  name: string;
  version: string;
  stage: string;
  clock: Clock;
  log: Logger;
  payload?: Record<string, unknown>;
  unlessNewer: boolean;
  tagger: { name: string; email: string };
}): Promise<{ tag: string; counter: number } | { tag: null; heldBy: string }> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const state = await readRegistry({ dir, name });
    const target = state.versions.find((v) => v.version === version && v.active);
    if (!target) throw unknownVersion({ name, version, state });
    const holder = state.stages[stage];
    if (unlessNewer && holder && compareVersions(holder, version) > 0) {
      log.warn(`Version ${version} was registered, but the newer ${holder} already holds stage "${stage}"; it stays there.`);
      return { tag: null, heldBy: holder };
    }
    const tags = (await git.listTags({ fs, dir })).filter((t) => parseGtoTag(t)?.name === name);
    const counter = nextCounter({ name, tags });
    const tag = assignTagName({ name, stage, counter });
    const message = composeMessage({
      headline: gtoMessage({ action: 'assign', name, version, stage }),
      payload: { schema: 'vitrine.assignment/1', model: name, version, stage, previous: state.stages[stage] ?? null, ...payload },
    });
    try {
      await createTag({ dir, tag, commit: target.commit, clock, tagger, message });
      log.info(`Model version ${version} is now in stage "${stage}" (tag ${tag}).`);
      return { tag, counter };
    } catch (error) {
      if (!(error instanceof VitrineError && error.code === 'TAG_EXISTS')) throw error;
      await clearStaleLock({ dir, tag, now: clock.now() });
      await pause(5 + Math.random() * 25);
    }
  }
  throw new VitrineError('REGISTRY_BUSY', `Could not assign stage ${stage} to ${name} ${version}: other promotions kept taking the tag. Try again.`, { name, version, stage });
}

/** All versions of the params' model, oldest first, with their current stages. */
export async function listVersions({ ws, params }: { ws: Workspace; params: Params }): Promise<VersionRecord[]> {
  return (await readRegistry({ dir: ws.root, name: params.registry.model_name })).versions;
}

/** One version ("v1.2.0", or a stage name such as "prod"); VERSION_UNKNOWN when there is none. */
export async function showVersion({ ws, params, version }: { ws: Workspace; params: Params; version: string }): Promise<VersionRecord> {
  const name = params.registry.model_name;
  const state = await readRegistry({ dir: ws.root, name });
  const found = findVersion({ state, version });
  if (!found) throw unknownVersion({ name, version, state });
  return found;
}

/** Look up "v1.2.0", "1.2.0", "prod" (any stage) or "latest" in a registry state. */
export function findVersion({ state, version }: { state: RegistryState; version: string }): VersionRecord | null {
  if (version === 'latest') return [...state.versions].reverse().find((v) => v.active) ?? null;
  const staged = state.stages[version];
  const wanted = staged ?? (/^\d/.test(version) ? `v${version}` : version);
  return state.versions.find((v) => v.version === wanted) ?? null;
}

/**
 * Put an older (or any other registered) version back in `prod`: a new `name#prod#N` tag at that
 * version's commit, so the history keeps both the promotion and the rollback.
 */
export async function rollback({
  ws,
  params,
  version,
  reason = '',
  clock,
  log,
  tagger,
}: {
  ws: Workspace;
  params: Params;
  version: string;
  reason?: string;
  clock: Clock;
  log: Logger;
  tagger?: { name: string; email: string };
}): Promise<{ version: string; from: string | null; tag: string }> {
  const name = params.registry.model_name;
  const state = await readRegistry({ dir: ws.root, name });
  const target = findVersion({ state, version });
  if (!target) throw unknownVersion({ name, version, state });
  if (!target.active) throw new VitrineError('VERSION_DEREGISTERED', `Model version ${target.version} was withdrawn (deregistered) and cannot go back into production.`, { version: target.version });
  const from = state.stages.prod ?? null;
  if (from === target.version) throw new VitrineError('ROLLBACK_NOOP', `Model version ${target.version} is already in production; nothing to roll back.`, { version: target.version });
  const assigned = await assignStage({ dir: ws.root, name, version: target.version, stage: 'prod', clock, log, tagger, payload: { rollback: true, from, reason } });
  return { version: target.version, from, tag: assigned.tag! };
}

function unknownVersion({ name, version, state }: { name: string; version: string; state: RegistryState }): VitrineError {
  const known = state.versions.map((v) => v.version);
  const stages = Object.keys(state.stages);
  const hint = known.length
    ? `Registered versions: ${known.join(', ')}${stages.length ? `; stages: ${stages.join(', ')}` : ''}.`
    : 'No version of this model is registered yet: a model is registered when its pull request is merged (vitrine run promote).';
  return new VitrineError('VERSION_UNKNOWN', `There is no model version "${version}" of ${name}. ${hint}`, { name, version, known });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
