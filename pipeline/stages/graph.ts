import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { hashFile, hashTree } from '../data/hash.ts';
import { listWords, stateFileOf } from '../data/ops.ts';
import { VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import { gitDir } from '../git/repo.ts';
import { paramAt } from '../params.ts';
import { type Lock, type LockEntry, readLock } from './lock-file.ts';
import { STAGE_NAMES, type Stage, type StageContext, type StageName } from './stage.ts';
import { refuseUnfinishedDataMerge } from './unrecorded.ts';

export { type Lock, type LockEntry, readLock };

/*
 * The stage graph, like `dvc repro`: a stage reruns only when something it reads changed since its
 * last run (files and folders by content, params keys by value, upstream outputs by content, and the
 * stage's own extra fingerprint), or when its outputs are gone or were changed by hand. A stage's
 * run is marked unfinished in lock.json until its record is written, so outputs left half written
 * by a run that was stopped are said as such, not as someone's change.
 */

export interface StageOutcome {
  name: StageName;
  status: 'ran' | 'skipped';
  durationMs: number;
  summary: string;
  /** Why it ran (the first changed input), in plain words. */
  reason: string;
  /** A skipped stage's summary is its last run's: when that was (ISO time). */
  ranAt?: string;
}

/**
 * The stages to run for `targets` (each with its upstream stages), in pipeline order. `single`
 * plans the targets alone, trusting the outputs of their upstream stages as they are (like
 * `dvc repro --single-item`), e.g. to rebuild the catalogue after a rollback without retraining.
 */
export function planStages({
  stages,
  targets,
  single = false,
}: {
  stages: Stage[];
  targets?: StageName[];
  single?: boolean;
}): Stage[] {
  const byName = new Map(stages.map((s) => [s.name, s]));
  if (!targets || targets.length === 0) return [...stages].sort(byOrder);
  if (single) {
    for (const name of targets)
      if (!byName.has(name))
        throw new VitrineError(
          'STAGE_UNKNOWN',
          `There is no stage called "${name}". The stages are: ${stages.map((s) => s.name).join(', ')}.`,
          { stage: name },
        );
    return stages.filter((s) => targets.includes(s.name)).sort(byOrder);
  }
  const wanted = new Set<StageName>();
  const visit = (name: StageName) => {
    if (wanted.has(name)) return;
    const stage = byName.get(name);
    if (!stage)
      throw new VitrineError(
        'STAGE_UNKNOWN',
        `There is no stage called "${name}". The stages are: ${stages.map((s) => s.name).join(', ')}.`,
        { stage: name },
      );
    wanted.add(name);
    stage.deps.stages.forEach(visit);
    stage.deps.after?.forEach(visit);
  };
  targets.forEach(visit);
  return stages.filter((s) => wanted.has(s.name)).sort(byOrder);
}

function byOrder(a: Stage, b: Stage): number {
  return STAGE_NAMES.indexOf(a.name) - STAGE_NAMES.indexOf(b.name);
}

/**
 * Run `targets` and their upstream stages, skipping the unchanged ones. `force` reruns the named
 * targets (or every stage when no targets are named) even if nothing changed.
 */
export async function runStages({
  ctx,
  stages,
  targets,
  force = false,
  single = false,
  onStage,
  onOutcome,
}: {
  ctx: StageContext;
  stages: Stage[];
  targets?: StageName[];
  force?: boolean;
  /** Run only the targets, not their upstream stages. */
  single?: boolean;
  /** Told before each stage starts, for progress lines. */
  onStage?: (name: StageName) => void;
  /** Told after each stage, ran or skipped. */
  onOutcome?: (outcome: StageOutcome) => void;
}): Promise<StageOutcome[]> {
  // A git layout the stages would misread (a worktree: no registered model, no main branch) stops the run here.
  await gitDir({ dir: ctx.ws.root });
  // Nor while a git merge of data.dvc is unfinished: data/ has one branch's photographs only.
  await refuseUnfinishedDataMerge({ ws: ctx.ws });
  const plan = planStages({ stages, targets, single });
  const forced = new Set<StageName>(force ? (targets && targets.length > 0 ? targets : plan.map((s) => s.name)) : []);
  const lock = await readLock({ file: ctx.ws.lock, log: ctx.log });
  // The data layer's state cache: files `data add` just hashed are not read again here.
  const stateFile = stateFileOf(ctx.ws.root);
  if (single) await warnStaleUpstream({ ctx, stages, plan, lock, stateFile });
  const outcomes: StageOutcome[] = [];
  for (const stage of plan) {
    onStage?.(stage.name);
    // What a stage puts back (a fresh clone's registry record) is hashed after it is there, as the output of the
    // stage that writes it, so the next run redoes neither stage.
    const rewritten = (await stage.prepare?.(ctx)) ?? [];
    if (rewritten.length) await adoptRewritten({ ctx, lock, paths: rewritten, stateFile });
    const deps = await stageDeps({ ctx, stage, lock, stateFile });
    const fingerprint = hashJson(deps);
    const previous = lock.stages[stage.name];
    const unfinished = lock.unfinished?.[stage.name] !== undefined;
    const reason = forced.has(stage.name)
      ? 'forced'
      : await whyRerun({ ctx, stage, deps, previous, unfinished, stateFile });
    if (!reason) {
      // Stopped before it changed its outputs: they are as recorded, and a later change to them is someone's.
      if (unfinished) await markUnfinished({ ctx, lock, name: stage.name, started: null });
      outcomes.push({
        name: stage.name,
        status: 'skipped',
        durationMs: 0,
        summary: previous!.summary,
        reason: 'unchanged',
        ranAt: previous!.ranAt,
      });
      await stage.recorded?.(ctx);
      onOutcome?.(outcomes.at(-1)!);
      continue;
    }
    await markUnfinished({ ctx, lock, name: stage.name, started: ctx.clock.now().toISOString() });
    const started = performance.now();
    const result = await stage.run({ ...ctx, forced: forced.has(stage.name) });
    const durationMs = Math.round(performance.now() - started);
    forgetUnfinished({ lock, name: stage.name });
    // What the stage says it read is what it ran on: a file changed between the hashing above and its read counts
    // as read, so the evaluation records it and the next run compares with it.
    for (const [p, hash] of Object.entries(result.read ?? {})) if (p in deps.paths) deps.paths[p] = hash;
    lock.stages[stage.name] = {
      fingerprint: result.read ? hashJson(deps) : fingerprint,
      deps,
      outs: await hashPaths({ ctx, paths: stage.outs, stateFile }),
      ranAt: ctx.clock.now().toISOString(),
      durationMs,
      summary: result.summary,
    };
    await writeJsonAtomic({ file: ctx.ws.lock, value: lock });
    await stage.recorded?.(ctx);
    outcomes.push({ name: stage.name, status: 'ran', durationMs, summary: result.summary, reason });
    onOutcome?.(outcomes.at(-1)!);
  }
  return outcomes;
}

/** Write in lock.json that the stage `name` began (`started`, ISO time), or (null) that it did not change anything. */
async function markUnfinished({
  ctx,
  lock,
  name,
  started,
}: {
  ctx: StageContext;
  lock: Lock;
  name: StageName;
  started: string | null;
}): Promise<void> {
  if (started === null) forgetUnfinished({ lock, name });
  else lock.unfinished = { ...lock.unfinished, [name]: started };
  await writeJsonAtomic({ file: ctx.ws.lock, value: lock });
}

/** Forget the mark of the stage `name` in `lock` (in memory: the caller writes the lock). */
function forgetUnfinished({ lock, name }: { lock: Lock; name: StageName }): void {
  if (!lock.unfinished) return;
  delete lock.unfinished[name];
  if (Object.keys(lock.unfinished).length === 0) delete lock.unfinished;
}

/** Record `paths` as they are now in the outputs of the stages that write them. */
async function adoptRewritten({
  ctx,
  lock,
  paths,
  stateFile,
}: {
  ctx: StageContext;
  lock: Lock;
  paths: string[];
  stateFile: string;
}): Promise<void> {
  const owners = Object.values(lock.stages).filter((entry) => paths.some((p) => p in entry.outs));
  if (owners.length === 0) return;
  const now = await hashPaths({ ctx, paths, stateFile });
  for (const entry of owners) for (const p of paths) if (p in entry.outs) entry.outs[p] = now[p]!;
  await writeJsonAtomic({ file: ctx.ws.lock, value: lock });
}

/**
 * --single trusts what the earlier stages made; when their inputs changed since they ran (a re-import, an
 * edited labels.csv or params.yaml), say which, as `dvc status` would, and how to bring all up to date.
 * Inputs under .vitrine/ are other stages' outputs (a rollback or a failed gate moves them on purpose);
 * a stage with no entry in lock.json (a fresh runner) has nothing to compare with. Each changed input is
 * named once, with every stage it changed since.
 */
async function warnStaleUpstream({
  ctx,
  stages,
  plan,
  lock,
  stateFile,
}: {
  ctx: StageContext;
  stages: Stage[];
  plan: Stage[];
  lock: Lock;
  stateFile: string;
}): Promise<void> {
  const upstream = planStages({ stages, targets: plan.map((s) => s.name) }).filter((s) => !plan.includes(s));
  const since = new Map<string, StageName[]>();
  for (const stage of upstream) {
    const previous = lock.stages[stage.name];
    if (!previous) continue;
    const own = stage.deps.paths.filter((p) => !p.split(/[\\/]/).includes('.vitrine'));
    const deps = { paths: await hashPaths({ ctx, paths: own, stateFile }), params: paramValues({ ctx, stage }) };
    for (const input of changedInputs({ previous: previous.deps, deps }))
      since.set(input, [...(since.get(input) ?? []), stage.name]);
  }
  if (since.size === 0) return;
  // Inputs that changed since the same stages are named together, in the order first met.
  const groups = new Map<string, { inputs: string[]; stages: StageName[] }>();
  for (const [input, names] of since) {
    const group = groups.get(names.join()) ?? { inputs: [], stages: names };
    group.inputs.push(input);
    groups.set(names.join(), group);
  }
  const changes = [...groups.values()].map(({ inputs, stages: names }) => {
    const noun = names.length === 1 ? 'stage' : 'stages';
    return `${listWords(inputs)} changed since the ${listWords(names)} ${noun} last ran`;
  });
  const stale = new Set([...since.values()].flat());
  const targets = plan.map((s) => s.name);
  // "run catalogue" trains and evaluates too, and stops at a gate the model does not pass (a tester, a small
  // collection: a fixed label never reached the catalogue); the dataset stage needs no model.
  const labelsOnly =
    targets.length === 1 && targets[0] === 'catalogue' && stale.has('dataset')
      ? '. To bring only the objects and their labels up to date, without a new model (while no model passes the ' +
        'gate, say), run: npx vitrine run dataset, then npx vitrine run catalogue --single'
      : '';
  // A catalogue brought up to date after the model's settings changed trains a model first: said, since a model that
  // fails the gate then stops it (a tester went round from the gate's advice, --single, to this one and back).
  const modelFirst =
    targets.length === 1 &&
    targets[0] === 'catalogue' &&
    !stale.has('dataset') &&
    (['train', 'evaluate', 'promote'] as const).some((s) => stale.has(s))
      ? ` (it ${stale.has('train') ? 'trains and evaluates a model' : 'evaluates the model'} first, and stops if ` +
        'that model does not pass the promotion gate; meanwhile --single keeps the production model’s annotations)'
      : '';
  ctx.log.warn(
    `${changes.join('; ')}. With --single, ${listWords(targets)} ${targets.length === 1 ? 'runs' : 'run'} on ` +
      `${stale.size === 1 ? 'its' : 'their'} outputs as they were. To bring everything up to date, run: ` +
      `npx vitrine run ${targets.join(' ')}${modelFirst}${labelsOnly}`,
  );
}

/** Everything `stage` reads now, as its lock.json entry records it (upstream stages by their outputs in `lock`). */
export async function stageDeps({
  ctx,
  stage,
  lock,
  stateFile,
}: {
  ctx: StageContext;
  stage: Stage;
  lock: Lock;
  stateFile: string;
}): Promise<LockEntry['deps']> {
  const params = paramValues({ ctx, stage });
  const upstream: Record<string, string> = {};
  for (const name of stage.deps.stages) {
    const entry = lock.stages[name];
    // An upstream stage that never ran leaves its slot empty; the run order guarantees it ran first.
    upstream[name] = entry ? hashJson(entry.outs) : 'never-ran';
  }
  return {
    paths: await hashPaths({ ctx, paths: stage.deps.paths, stateFile }),
    params,
    stages: upstream,
    extra: stage.fingerprint ? ((await stage.fingerprint(ctx)) ?? null) : null,
  };
}

/** The value of each params key the stage reads (null when unset). */
function paramValues({ ctx, stage }: { ctx: StageContext; stage: Stage }): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key of stage.deps.params) params[key] = paramAt(ctx.params, key) ?? null;
  return params;
}

/** The files and params keys among `deps` that differ from the last run's (`params <key>` for a key), in order. */
function changedInputs({
  previous,
  deps,
}: {
  previous: LockEntry['deps'];
  deps: Pick<LockEntry['deps'], 'paths' | 'params'>;
}): string[] {
  return [
    ...Object.entries(deps.paths)
      .filter(([p, hash]) => previous.paths[p] !== hash)
      .map(([p]) => p),
    ...Object.entries(deps.params)
      .filter(([k, v]) => JSON.stringify(previous.params[k]) !== JSON.stringify(v))
      .map(([k, v]) => `params ${settingsNamed({ key: k, before: previous.params[k], now: v })}`),
  ];
}

/**
 * Which settings of a params section changed ("train.epochs"), rather than the section ("train"), and settings
 * the last run did not have, which an upgrade of Vitrine added at their defaults, said as such (an outside
 * tester read "params train changed" after an upgrade, where no one had edited params.yaml).
 */
function settingsNamed({ key, before, now }: { key: string; before: unknown; now: unknown }): string {
  const edited: string[] = [];
  const added: string[] = [];
  settingsDiffering({ key, before, now, edited, added });
  if (edited.length + added.length === 0) return key;
  const some = (list: string[]) => listWords(list, { max: 4 });
  const defaults = added.length === 1 ? 'its default' : 'their defaults';
  return [
    ...(edited.length ? [some(edited)] : []),
    ...(added.length ? [`${some(added)} (new in this version of Vitrine, at ${defaults})`] : []),
  ].join('; ');
}

/** The settings under `key` whose values differ, down nested sections (dataset.split.test); those absent before apart. */
function settingsDiffering({
  key,
  before,
  now,
  edited,
  added,
}: {
  key: string;
  before: unknown;
  now: unknown;
  edited: string[];
  added: string[];
}): void {
  const isSection = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isSection(before) || !isSection(now)) {
    edited.push(key);
    return;
  }
  for (const name of new Set([...Object.keys(before), ...Object.keys(now)])) {
    if (JSON.stringify(before[name]) === JSON.stringify(now[name])) continue;
    if (!(name in before)) added.push(`${key}.${name}`);
    else settingsDiffering({ key: `${key}.${name}`, before: before[name], now: now[name], edited, added });
  }
}

/** Plain words for the first input that changed, or null when the stage can be skipped. */
async function whyRerun({
  ctx,
  stage,
  deps,
  previous,
  unfinished,
  stateFile,
}: {
  ctx: StageContext;
  stage: Stage;
  deps: LockEntry['deps'];
  previous: LockEntry | undefined;
  /** lock.json says the stage's last run began and did not finish. */
  unfinished: boolean;
  stateFile: string;
}): Promise<string | null> {
  if (!previous) return 'first run';
  const [input] = changedInputs({ previous: previous.deps, deps });
  if (input) return `${input} changed`;
  for (const [s, hash] of Object.entries(deps.stages))
    if (previous.deps.stages[s] !== hash) return `${s} output changed`;
  if (JSON.stringify(previous.deps.extra) !== JSON.stringify(deps.extra)) {
    if (!stage.deps.after?.length) return extraChange({ previous: previous.deps.extra, current: deps.extra });
    // An entry the last run did not have is a rule of this Vitrine's (the train stage's L2 folds), said by its name.
    const added = addedEntries({ previous: previous.deps.extra, current: deps.extra });
    return added
      ? extraChange({ previous: {}, current: added })
      : `what it reads from ${stage.deps.after.join(', ')} changed`;
  }
  if (
    Object.keys(previous.deps.paths).join() !== Object.keys(deps.paths).join() ||
    Object.keys(previous.deps.params).join() !== Object.keys(deps.params).join()
  )
    return 'the stage definition changed';
  const outs = await hashPaths({ ctx, paths: stage.outs, stateFile });
  for (const [p, hash] of Object.entries(outs)) {
    if (previous.outs[p] === hash) continue;
    // A run stopped while it wrote its outputs (an outside tester's kill of the catalogue stage read "changed by
    // hand"): said as what happened.
    if (unfinished)
      return (
        `${p} ${hash === 'absent' ? 'is missing' : 'is not as its last finished run left it'}: the last run of the ` +
        `${stage.name} stage did not finish (it was stopped, or it failed, part-way)`
      );
    return hash === 'absent'
      ? `${p} is missing`
      : `${p} was changed since the last run (by a command such as vitrine models rollback, or by hand)`;
  }
  return null;
}

async function hashPaths({
  ctx,
  paths,
  stateFile,
}: {
  ctx: StageContext;
  paths: string[];
  stateFile: string;
}): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const p of paths) hashes[p] = await hashPath({ file: path.join(ctx.ws.root, p), stateFile });
  return hashes;
}

/** Content hash of a file or folder ("absent" when missing). Folders use the DVC `.dir` hash. */
export async function hashPath({ file, stateFile }: { file: string; stateFile?: string }): Promise<string> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return 'absent';
  }
  if (info.isDirectory()) return (await hashTree({ dir: file, stateFile })).md5;
  return hashFile({ file });
}

/** md5 of a value's canonical JSON (sorted keys). */
export function hashJson(value: unknown): string {
  return createHash('md5').update(canonicalJson(value)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * The entries of `current` that `previous` lacks, when they are all that changed (those both have are equal), or null.
 */
function addedEntries({ previous, current }: { previous: unknown; current: unknown }): Record<string, unknown> | null {
  const record = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const [before, now] = [record(previous), record(current)];
  const added = Object.entries(now).filter(([k]) => !(k in before));
  const same = Object.keys(before).every((k) => k in now && JSON.stringify(before[k]) === JSON.stringify(now[k]));
  return added.length && same ? Object.fromEntries(added) : null;
}

/**
 * What changed besides files, in plain words: "a new commit (5a32ec1 → 9b225cb)", "branch changed
 * (fix → main)", "base changed (main → none)"; a value that is not a plain string, number or null is named, not
 * shown.
 */
function extraChange({ previous, current }: { previous: unknown; current: unknown }): string {
  const record = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const before = record(previous);
  const now = record(current);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(now[k]),
  );
  // Null (no base, not on a branch) is said as "none": "base changed (main → none)".
  const shown = (v: unknown) =>
    v === null
      ? 'none'
      : typeof v === 'string'
        ? /^[0-9a-f]{40}$/.test(v)
          ? v.slice(0, 7)
          : v
        : typeof v === 'number'
          ? String(v)
          : null;
  const words = keys.map((k) => {
    const [from, to] = [shown(before[k]), shown(now[k])];
    const values = from !== null && to !== null ? ` (${from} → ${to})` : '';
    return k === 'commit' ? `a new commit${values}` : `${k} changed${values}`;
  });
  return words.length ? words.join(', ') : 'what it reads besides files changed';
}
