import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from '../github/fake-github.ts';
import { examplePayload, runAction } from '../github/run-action.ts';
import { expand, holds, type Step, shell } from './play.ts';

/*
 * The pull-request workflow for code (pull-request.yml) runs the head's checkout on a hosted runner and sets
 * vitrine/gate for a branch of the repository. Its pipeline job is played here step by step: shell steps and the
 * composite pipeline action's steps run in bash, the report action's committed bundle runs against the emulated
 * GitHub, and `vitrine` is a stand-in that records the params.yaml it was run with and writes a report whose gate
 * follows gate.min_macro_f1 (the candidate's macro-F1 is 0.3). Third-party actions, data-cache and setup-data are
 * left out: they move no setting.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

const BASE =
  '# The museum settings.\ntrain:\n  epochs: 80\nevaluate:\n  baseline: prod\n' +
  'gate:\n  max_macro_f1_drop: 0.02\n  min_class_f1: 0.3\n  min_macro_f1: 0.5\n  min_test_objects: 30\n';
const WEAK = BASE.replace('epochs: 80', 'epochs: 12').replace('min_macro_f1: 0.5', 'min_macro_f1: 0');

/**
 * A git repository as actions/checkout leaves a pull_request run's clone: params.yaml on main (also as origin/main),
 * the head's commit on a branch, main's later commit when given (`later`), and HEAD detached at GitHub's merge of
 * the head into main (refs/pull/N/merge, the run's GITHUB_SHA), whose first parent is main's latest commit.
 */
async function checkout({ base, head, later }: { base: string; head: string; later?: string }): Promise<string> {
  const dir = await tempDir('vitrine-code-pr-');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  await writeFile(path.join(dir, '.gitignore'), '.vitrine/\n');
  await writeFile(path.join(dir, 'params.yaml'), base);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'change-code');
  await writeFile(path.join(dir, 'params.yaml'), head);
  git('commit', '-q', '-am', 'head');
  git('checkout', '-q', 'main');
  if (later !== undefined) {
    await writeFile(path.join(dir, 'params.yaml'), later);
    git('commit', '-q', '-am', 'main later');
  }
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('checkout', '-q', '--detach', 'main');
  git('merge', '-q', '--no-ff', '-m', 'Merge change-code into main', 'change-code');
  git('branch', '-q', '-D', 'main');
  return dir;
}

/** The event's base commit is the base branch's, as GitHub sends it (the example payload's is of another repository). */
function baseOf(event: unknown, workspace: string): void {
  const base = execFileSync('git', ['rev-parse', 'refs/remotes/origin/main'], { cwd: workspace }).toString().trim();
  (event as { pull_request: { base: { sha: string } } }).pull_request.base.sha = base;
}

/** The stand-in vitrine command: records each call with params.yaml, and `run` writes a report. */
async function standIn(dir: string): Promise<{ file: string; calls: string }> {
  const file = path.join(dir, 'vitrine-stand-in.mjs');
  const calls = path.join(dir, 'calls.jsonl');
  const yaml = pathToFileURL(require.resolve('yaml')).href;
  await writeFile(
    file,
    `import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from ${JSON.stringify(yaml)};
const args = process.argv.slice(2);
const text = readFileSync('params.yaml', 'utf8');
appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ args, params: text }) + '\\n');
if (args[0] === 'run') {
  const min = parse(text)?.gate?.min_macro_f1 ?? 0.5;
  const passed = 0.3 >= min;
  const headline = 'Better: the labels and the photographs agree better. ' +
    (passed ? 'The promotion gate passes.' : 'The promotion gate does not pass.');
  mkdirSync('.vitrine/report', { recursive: true });
  writeFileSync('.vitrine/report/report.json', JSON.stringify({ verdict: 'better', headline, gate: { passed, checks: [] } }));
  writeFileSync('.vitrine/report/report.md', '## Better\\n\\n' + headline + '\\n\\nmacro-F1 0.300, minimum ' + min + '.\\n');
}
`,
  );
  return { file, calls };
}

/** pull-request.yml's pipeline job, for one pull_request event, against the emulated GitHub. */
async function playPipelineJob({
  workspace,
  gh,
  event,
  merge,
}: {
  workspace: string;
  gh: FakeGitHub;
  event: unknown;
  /** The run's commit (GITHUB_SHA), when the checkout left HEAD elsewhere. */
  merge?: string;
}) {
  const temp = await tempDir('vitrine-runner-');
  const vitrine = await standIn(temp);
  const workflow = parse(await readFile(path.join(ROOT, '.github/workflows/pull-request.yml'), 'utf8'));
  // The run's commit: what actions/checkout checked out (GitHub's merge of the pull request).
  const sha = merge ?? execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
  const github = {
    sha,
    event_name: 'pull_request',
    event,
    repository: 'Codertocat/Hello-World',
    base_ref: 'main',
    token: 'test-token',
    run_id: '4242',
    workspace,
  };
  const common = { github, runner: { os: 'Linux', temp }, secrets: {}, vars: {}, matrix: {}, job: {}, env: {} };
  const baseEnv: Record<string, string> = {
    // The node that runs this test (24): the runner's comes from setup-node.
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    HOME: temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_BASE_REF: 'main',
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_SHA: sha,
    RUNNER_TEMP: temp,
    VITRINE: vitrine.file,
  };
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  let report: Awaited<ReturnType<typeof runAction>> | null = null;
  for (const step of workflow.jobs.pipeline.steps as Step[]) {
    const context = { ...common, steps };
    if (!holds(step.if, context)) continue;
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, context)]));
    const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v, context)]));
    let outputs: Record<string, string> = {};
    if (step.run) outputs = await shell(step.run, { ...baseEnv, ...env }, temp);
    else if (step.uses === './actions/pipeline') {
      const action = parse(await readFile(path.join(ROOT, 'actions/pipeline/action.yml'), 'utf8'));
      const inputs: Record<string, string> = {};
      for (const [k, spec] of Object.entries(action.inputs as Record<string, { default?: string }>))
        inputs[k] = k in given ? given[k]! : expand(spec.default ?? '', context);
      const inner: Record<string, { outputs: Record<string, string> }> = {};
      for (const s of action.runs.steps as Step[]) {
        const ctx = { ...common, inputs, steps: inner };
        if (!holds(s.if, ctx) || !s.run) continue;
        const sEnv = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, expand(v, ctx)]));
        const env2 = { ...baseEnv, ...env, ...sEnv, GITHUB_ACTION_PATH: path.join(ROOT, 'actions/pipeline') };
        const out = await shell(s.run, env2, temp);
        if (s.id) inner[s.id] = { outputs: out };
      }
      for (const [k, spec] of Object.entries((action.outputs ?? {}) as Record<string, { value: string }>))
        outputs[k] = expand(spec.value, { ...common, inputs, steps: inner });
    } else if (step.uses === './actions/report') {
      report = await runAction({
        name: 'report',
        inputs: given,
        event,
        workspace,
        extraEnv: { GITHUB_API_URL: gh.url, GITHUB_BASE_REF: 'main' },
      });
    }
    if (step.id) steps[step.id] = { outputs };
  }
  const calls = (await readFile(vitrine.calls, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { args: string[]; params: string });
  return { report: report!, calls };
}

let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

describe('the pull-request workflow for code judges a branch of the repository by the base branch gate', () => {
  it("runs the pipeline with the base's gate and says in the comment and the status that the pull request changes it", async () => {
    gh = await startFakeGitHub({ token: 'test-token' });
    const event = examplePayload('opened');
    expect(event.pull_request.head.repo!.full_name).toBe(event.repository.full_name);
    const workspace = await checkout({ base: BASE, head: WEAK });
    baseOf(event, workspace);
    const { report, calls } = await playPipelineJob({ workspace, gh, event });
    expect(report.code, report.stdout).toBe(0);
    // The stages ran with the base's gate, and the rest of the head's settings.
    const run = calls.find((c) => c.args[0] === 'run')!;
    expect(parse(run.params).gate.min_macro_f1).toBe(0.5);
    expect(parse(run.params).train.epochs).toBe(12);
    // The same note and status prefix as the trusted workflow gives a pull request that changes the gate.
    const status = gh.statuses.find((s) => s.context === 'vitrine/gate')!;
    expect(status.sha).toBe(event.pull_request.head.sha);
    expect(status.state).toBe('failure');
    expect(status.description).toMatch(/^Base settings \(PR changes them\): /);
    const comment = gh.comments.get(event.pull_request.number)!.find((c) => c.body.startsWith('<!-- vitrine:report'))!;
    expect(comment.body).toContain('This pull request changes the promotion gate \\(gate.min\\_macro\\_f1 0.5 → 0\\)');
    expect(comment.body).toContain("It was judged by the base branch's params.yaml settings");
    expect(gh.invalid).toEqual([]);
  });

  it('leaves a head that keeps the gate as it is: no note, its own status', async () => {
    gh = await startFakeGitHub({ token: 'test-token' });
    const event = examplePayload('opened');
    const workspace = await checkout({ base: BASE, head: BASE.replace('epochs: 80', 'epochs: 12') });
    baseOf(event, workspace);
    const { report, calls } = await playPipelineJob({ workspace, gh, event });
    expect(report.code, report.stdout).toBe(0);
    expect(calls.find((c) => c.args[0] === 'run')!.params).toBe(BASE.replace('epochs: 80', 'epochs: 12'));
    const status = gh.statuses.find((s) => s.context === 'vitrine/gate')!;
    expect(status.state).toBe('failure');
    expect(status.description).toBe(
      'Better: the labels and the photographs agree better. The promotion gate does not pass.',
    );
  });
});

/**
 * Whether a pipeline step leaves base-gate on: not given (on by default) or true. `base-gate: false` is a YAML
 * boolean, not the text "false", and an expression could turn it off too: anything else counts as off.
 */
function keepsBaseGate(step: Step): boolean {
  const given = step.with?.['base-gate'];
  return given === undefined || given === true || String(given).trim().toLowerCase() === 'true';
}

describe('the check that no workflow turns base-gate off', () => {
  it('catches false as YAML writes it, quoted or not, and an expression', () => {
    for (const off of ['base-gate: false', "base-gate: 'false'", 'base-gate: False', "base-gate: ${{ 'false' }}"])
      expect(keepsBaseGate({ uses: './actions/pipeline', with: parse(off) }), off).toBe(false);
    for (const on of ['stages: report', "base-gate: 'true'", 'base-gate: true'])
      expect(keepsBaseGate({ uses: './actions/pipeline', with: parse(on) }), on).toBe(true);
  });
});

describe('every pull-request workflow', () => {
  it("hands the report step the settings the pull request changes, and never turns the base's gate off", async () => {
    let checked = 0;
    const files = (await readdir(path.join(ROOT, '.github/workflows'))).filter((f) => /\.ya?ml$/.test(f));
    for (const file of files) {
      const workflow = parse(await readFile(path.join(ROOT, '.github/workflows', file), 'utf8'));
      const onPullRequest = 'pull_request' in workflow.on || 'pull_request_target' in workflow.on;
      for (const job of Object.values(workflow.jobs) as { steps?: Step[] }[]) {
        for (const step of job.steps ?? []) {
          if (step.uses === './actions/pipeline') expect(keepsBaseGate(step), file).toBe(true);
          if (!onPullRequest || step.uses !== './actions/report' || step.with?.['from-fork'] === 'true') continue;
          expect(String(step.with?.['gate-changes'] ?? ''), file).toMatch(/\.outputs\.gate-changes \}\}$/);
          checked++;
        }
      }
    }
    expect(checked).toBe(2);
  });
});

describe('the base is a commit, never a name', () => {
  it('judges by the base commit: a tag named like the base branch (pointing at a weak gate) does not stand for it', async () => {
    gh = await startFakeGitHub({ token: 'test-token' });
    const event = examplePayload('opened') as ReturnType<typeof examplePayload> & {
      pull_request: { base: { sha: string } };
    };
    const workspace = await checkout({ base: BASE, head: WEAK });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: workspace })
        .toString()
        .trim();
    event.pull_request.base.sha = git('rev-parse', 'HEAD^1');
    // As actions/checkout leaves a pull request's clone: detached, origin/<branch> only, tags fetched. Someone with
    // write access tagged the head "main", and moved origin/main there too (a push after the event).
    git('tag', 'main', 'change-code');
    git('update-ref', 'refs/remotes/origin/main', 'change-code');
    const { report, calls } = await playPipelineJob({ workspace, gh, event });
    expect(report.code, report.stdout).toBe(0);
    expect(parse(calls.find((c) => c.args[0] === 'run')!.params).gate.min_macro_f1).toBe(0.5);
    expect(gh.statuses.find((s) => s.context === 'vitrine/gate')!.description).toMatch(/^Base settings/);
  });
});

/*
 * GitHub leaves a pull request's base.sha at the base branch's commit of the branch's last push (github/docs#431),
 * while the run checks out GitHub's merge of the head into the base branch's latest commit (GITHUB_SHA). Main that
 * raised its gate since judged the pull request by its older gate: the merge, holding main's raised gate, was said
 * to lower it, and passed. The base is now the merge's first parent, the commit the checkout merged into.
 */
describe('the base is the commit GitHub merged the pull request into', () => {
  // Main's gate when the branch was last pushed: the candidate's macro-F1 of 0.3 passes it.
  const OLDER = BASE.replace('min_macro_f1: 0.5', 'min_macro_f1: 0.2');

  it('judges by main’s raised gate, not the older one of the event’s base.sha', async () => {
    gh = await startFakeGitHub({ token: 'test-token' });
    const event = examplePayload('opened') as ReturnType<typeof examplePayload> & {
      pull_request: { base: { sha: string } };
    };
    const head = OLDER.replace('epochs: 80', 'epochs: 12');
    const workspace = await checkout({ base: OLDER, head, later: BASE });
    const older = execFileSync('git', ['rev-parse', 'HEAD^2~1'], { cwd: workspace }).toString().trim();
    event.pull_request.base.sha = older;
    const { report, calls } = await playPipelineJob({ workspace, gh, event });
    expect(report.code, report.stdout).toBe(0);
    // The merge's own settings: main's raised gate and the head's epochs, nothing put back.
    const run = parse(calls.find((c) => c.args[0] === 'run')!.params);
    expect(run.gate.min_macro_f1).toBe(0.5);
    expect(run.train.epochs).toBe(12);
    const status = gh.statuses.find((s) => s.context === 'vitrine/gate')!;
    expect(status.state).toBe('failure');
    expect(status.description).toBe(
      'Better: the labels and the photographs agree better. The promotion gate does not pass.',
    );
    const comment = gh.comments.get(event.pull_request.number)!.find((c) => c.body.startsWith('<!-- vitrine:report'))!;
    expect(comment.body).not.toContain('This pull request changes the promotion gate');
  });

  it('stops with a plain error when the checkout is not GitHub’s merge of the pull request', async () => {
    gh = await startFakeGitHub({ token: 'test-token' });
    const event = examplePayload('opened');
    const workspace = await checkout({ base: BASE, head: WEAK });
    baseOf(event, workspace);
    const merge = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
    // A checkout step given `ref:` the head: HEAD^1 would be the pull request's own earlier commit, its gate lowered.
    execFileSync('git', ['checkout', '-q', '--detach', 'change-code'], { cwd: workspace, stdio: 'pipe' });
    const message = /pull-request\.yml checked out .*not GitHub’s merge of the pull request/s;
    await expect(playPipelineJob({ workspace, gh, event, merge })).rejects.toThrow(message);
    // Nor a commit that is no merge at all, even as the run's own.
    await expect(playPipelineJob({ workspace, gh, event })).rejects.toThrow(message);
  });
});
