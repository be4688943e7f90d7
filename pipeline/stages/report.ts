import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { labelChangeWords } from '../evaluate/verdict-words.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import { branchPoint, checkedOutBranch, resolveCommit } from '../git/history.ts';
import { validateParams } from '../params.ts';
import { buildReport, gitAuthHeaders, type NoBaseCode, type ReportJson } from '../report/index.ts';
import { renumberedLabels } from '../report/opening.ts';
import { labelCountsSaid, onMainItself, tooLongWords } from '../report/render.ts';
import { readLock } from './lock-file.ts';
import type { Stage, StageContext } from './stage.ts';

export interface ReportBase {
  ref?: string;
  name?: string;
  branchPoint?: boolean;
  reason?: string;
  /** With `reason`: the same as a code (NoBaseCode), which the report decides on. */
  code?: NoBaseCode;
}

/**
 * The base the report compares with: an explicit VITRINE_BASE_REF, else the pull request's base
 * branch, else where the checked-out branch left `collection.branch` (the README walkthrough: a
 * branch fix-labels, `vitrine run`, no GitHub). `ref` is what to resolve, `name` what the report calls
 * it; without a base, `reason` says why in plain words.
 */
/** A base given by the environment: VITRINE_BASE_REF, else the pull request's base branch (GITHUB_BASE_REF). */
export function reportBaseGiven(env: StageContext['env']): string | undefined {
  return env.VITRINE_BASE_REF || env.GITHUB_BASE_REF || undefined;
}

export async function reportBase({
  ws,
  params,
  env,
}: Pick<StageContext, 'ws' | 'params' | 'env'>): Promise<ReportBase> {
  const given = reportBaseGiven(env);
  if (given) return { ref: given, name: given };
  if (
    !(await access(path.join(ws.root, '.git')).then(
      () => true,
      () => false,
    ))
  )
    return { reason: 'this folder is not a git repository', code: 'not-git' };
  const branch = params.collection.branch;
  // As the promote stage decides it: a push to main in GitHub Actions is a detached checkout, and only the
  // environment (GITHUB_REF_NAME) says the run is on main; git alone takes it for a commit already part of main.
  if ((await checkedOutBranch({ dir: ws.root, env }).catch(() => null)) === branch)
    return { reason: `this run is on ${branch} itself`, code: 'on-branch' };
  const point = await branchPoint({ dir: ws.root, branch });
  if (point.commit === null) return { reason: point.reason, code: point.code };
  return { ref: point.commit, name: branch, branchPoint: true };
}

/**
 * Whether a run is on collection.branch itself, or on a commit already part of it, as the report tells it (no base
 * given, and onMainItself): for the note a run leaves when it stops before its report. params.yaml is read loosely,
 * for collection.branch alone: it may be what stopped the run (a typo in another setting). False when git cannot say.
 */
export async function runOnMain({ ws, env }: Pick<StageContext, 'ws' | 'env'>): Promise<boolean> {
  const raw = await readFile(ws.params, 'utf8').then(
    (text) => parse(text) as { collection?: { branch?: unknown } } | null,
    () => null,
  );
  const branch = typeof raw?.collection?.branch === 'string' ? raw.collection.branch : undefined;
  const params = validateParams({ raw: branch ? { collection: { branch } } : {} });
  const base = await reportBase({ ws, params, env });
  return !base.ref && onMainItself(base.code);
}

/** The token for fetching a base a shallow clone lacks: VITRINE_GIT_TOKEN, else GITHUB_TOKEN (unset: fetch without one). */
export function gitToken(env: StageContext['env']): string | undefined {
  return env.VITRINE_GIT_TOKEN || env.GITHUB_TOKEN || undefined;
}

/** The run's page on GitHub, when running in Actions. */
export function runUrl(env: StageContext['env']): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (!server || !repo || !run) return undefined;
  return `${server}/${repo}/actions/runs/${run}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`;
}

/** The dataset stage's record of data/ in lock.json, with when it ran; undefined when it has not run. */
async function dataRead(ws: StageContext['ws']): Promise<{ data: string | null; at: string } | undefined> {
  const entry = (await readLock({ file: ws.lock }).catch(() => null))?.stages.dataset;
  if (!entry) return undefined;
  return { data: entry.deps?.paths?.[path.relative(ws.root, ws.data)] ?? null, at: entry.ranAt };
}

/** `.vitrine/report/`: report.md (the pull-request comment) and report.json (the same as data). */
export const reportStage: Stage = {
  name: 'report',
  summary: 'Write the report for the pull request: verdict, label changes, metrics, lineage.',
  // drift.json is optional (the monitor writes it); when it appears or changes, the report follows.
  // data.dvc, with the dataset stage's record of data/ (in `fingerprint`): what the report checks data/ against, so a
  // stray file taken out of data/ or "vitrine data checkout" makes the report again, without its warning (reviewer V12).
  deps: {
    paths: ['labels.csv', '.vitrine/monitor/drift.json', 'data.dvc'],
    params: ['report', 'gate'],
    stages: ['evaluate'],
  },
  outs: ['.vitrine/report'],
  // What the report compares with, and the commit and branch it is written on, are inputs too: the same files
  // against another base, on another branch, on a new commit (the lineage names it) or after a merge make another
  // report. Without a given base, the point where this branch left collection.branch, or why there is none: after
  // `git merge fix-labels` on main the branch's report ("Label changes in this pull request") is not kept there
  // (an outside tester). A base the clone lacks counts as null.
  fingerprint: async (ctx) => {
    const given = reportBaseGiven(ctx.env);
    const dir = ctx.ws.root;
    const found = given
      ? { name: given, commit: await resolveCommit({ dir, ref: given }).catch(() => null) }
      : await reportBase(ctx).then(
          (b) => ({ name: b.name ?? null, commit: b.ref ?? null }),
          // Said when the stage runs: reading the history failed.
          () => ({ name: null, commit: null }),
        );
    return {
      branch: await checkedOutBranch({ dir, env: ctx.env }).catch(() => null),
      commit: await resolveCommit({ dir, ref: 'HEAD' }).catch(() => null),
      base: found.name,
      'base commit': found.commit,
      run: runUrl(ctx.env) ?? null,
      // The catalogue the workflow names changes the thumbnails (absent when none is given).
      catalogue: ctx.env.VITRINE_CATALOGUE_URL || undefined,
      // data/ as the dataset stage last read it, and when: the report says whether it is what data.dvc records, and
      // whether the model was trained on it (absent before the dataset stage has run).
      'data read': await dataRead(ctx.ws),
    };
  },
  async run(ctx) {
    const headers = gitAuthHeaders({ token: gitToken(ctx.env) });
    const base = await reportBase(ctx);
    if (base.reason)
      ctx.log.info(`The report lists no label changes: ${base.reason}, and no base was given (VITRINE_BASE_REF).`);
    else if (base.branchPoint)
      ctx.log.info(`The report compares with ${base.name} where this branch left it (${base.ref!.slice(0, 12)}).`);
    const { markdown, fullMarkdown, json } = await buildReport({
      ws: ctx.ws,
      params: ctx.params,
      base: base.ref,
      baseName: base.name ? { name: base.name, branchPoint: base.branchPoint ?? false } : undefined,
      noBase: base.reason && base.code ? { code: base.code, reason: base.reason } : undefined,
      // The Pages URL the workflow found (configure-pages), else params report.catalogue_url.
      catalogueUrl: ctx.env.VITRINE_CATALOGUE_URL || undefined,
      runUrl: runUrl(ctx.env),
      baseFetch: { headers },
      log: ctx.log,
      now: ctx.clock.now(),
    });
    await writeFileAtomic({ file: path.join(ctx.ws.report, 'report.md'), data: markdown });
    // report.md is what the comment takes; when it had to end early, the whole report sits beside it.
    const full = path.join(ctx.ws.report, 'report-full.md');
    if (fullMarkdown !== markdown) await writeFileAtomic({ file: full, data: fullMarkdown });
    else await rm(full, { force: true });
    await writeJsonAtomic({ file: path.join(ctx.ws.report, 'report.json'), value: json });
    const labels = labelsLogWords(json);
    return { summary: `${json.verdict}, gate ${json.gate.passed ? 'passes' : 'fails'}${labels}` };
  },
};

/**
 * The label changes the run's log says after the verdict (", 2 labels changed and 1 object newly labelled"), counted
 * as the report's table counts them; empty without a base.
 */
export function labelsLogWords(json: ReportJson): string {
  // As the report's table says them: a line naming no object of the collection is no object newly labelled (a tester).
  const said = labelCountsSaid(json.labels);
  const unknown = [
    said.disagreeing > 0
      ? `, ${said.disagreeing} ${said.disagreeing === 1 ? 'object' : 'objects'} on lines with different labels`
      : '',
    said.spreadsheet > 0
      ? `, ${said.spreadsheet} ${said.spreadsheet === 1 ? 'label' : 'labels'} lost to ids a spreadsheet changed`
      : '',
    said.unknownIds > 0
      ? `, ${said.unknownIds} ${said.unknownIds === 1 ? 'line names' : 'lines name'} an object not in the collection`
      : '',
    said.tooLong > 0 ? `, ${tooLongWords(said.tooLong)}` : '',
    said.labelTooLong > 0 ? `, ${tooLongWords(said.labelTooLong, 'label')}` : '',
  ].join('');
  // An object renumbered with a label: one change, not an object newly labelled and a label removed (task F1).
  const moved = renumberedLabels({ changes: json.labels.changes, removed: json.objectsRemoved?.objects ?? [] });
  const relabelled = [...moved.values()].filter((m) => m.before !== m.after).length;
  const [added, removed] = [said.added - moved.size, said.removed - moved.size];
  const counts = { ...said, added, removed, changed: said.changed + added + removed };
  return json.labels.baseCommit
    ? `, ${labelChangeWords({ ...counts, renumbered: { kept: moved.size - relabelled, relabelled } })}${unknown}`
    : json.labels.baseUnavailable
      ? `, base ${json.labels.baseUnavailable.ref} could not be fetched`
      : '';
}
