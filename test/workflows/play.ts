import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { parse } from 'yaml';
import { parseOutputs } from '../github/run-action.ts';

/*
 * A workflow's job played step by step as the runner would, for the tests of what a workflow does with each
 * outcome: `if:` and `${{ }}` evaluated by GitHub's own expression library (@actions/expressions), shell steps in
 * bash -e with their env and a GITHUB_OUTPUT file, and the steps of this repository's composite actions the same
 * way, with their inputs and outputs. Other actions (checkout, caches, Pages, the JavaScript actions) are not run:
 * they are listed as reached. A failing step ends the job, as it does on GitHub (no step here runs on failure()).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

interface Job {
  if?: string;
  needs?: string | string[];
  outputs?: Record<string, string>;
  steps: Step[];
}

// A run where nothing has failed and nothing was cancelled.
const statusFunctions: FunctionDefinition[] = ['cancelled', 'failure', 'success', 'always'].map((name) => ({
  name,
  minArgs: 0,
  maxArgs: 0,
  call: () => new data.BooleanData(name !== 'cancelled' && name !== 'failure'),
}));

/** An expression's value in `context`, with the status functions of a run where nothing failed unless given. */
export function evaluate(
  expression: string,
  context: Record<string, unknown>,
  status: FunctionDefinition[] = statusFunctions,
): unknown {
  const expr = new Parser(new Lexer(expression).lex().tokens, Object.keys(context), status).parse();
  const dictionary = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  const functions = new Map(status.map((f) => [f.name.toLowerCase(), f]));
  return JSON.parse(JSON.stringify(new Evaluator(expr, dictionary, functions).evaluate(), data.replacer));
}

/** A template with `${{ … }}` in it, as the runner expands it (null becomes ''). */
export function expand(template: unknown, context: Record<string, unknown>): string {
  if (typeof template !== 'string') return String(template ?? '');
  return template.replace(/\$\{\{(.*?)\}\}/gs, (_, e: string) => {
    const v = evaluate(e, context);
    return v === null || v === undefined ? '' : String(v);
  });
}

export function holds(condition: string | undefined, context: Record<string, unknown>): boolean {
  if (!condition) return true;
  const v = evaluate(condition.replace(/^\s*\$\{\{|\}\}\s*$/g, ''), context);
  return v !== null && v !== false && v !== '' && v !== 0;
}

/** Run a shell step like the runner: bash -e, its env, a fresh GITHUB_OUTPUT file; returns its outputs. */
export async function shell(run: string, env: Record<string, string>, dir: string): Promise<Record<string, string>> {
  const { outputs, status, log } = await shellStep(run, env, dir);
  if (status !== 0) throw new Error(`step failed (exit ${status}): ${log}`);
  return outputs;
}

async function shellStep(run: string, env: Record<string, string>, dir: string) {
  const output = path.join(await mkdtemp(path.join(dir, 'step-')), 'output');
  await writeFile(output, '');
  const child = spawnSync('bash', ['-e', '-c', run], {
    cwd: env.GITHUB_WORKSPACE,
    env: { ...env, GITHUB_OUTPUT: output },
    encoding: 'utf8',
  });
  const outputs = parseOutputs(await readFile(output, 'utf8'));
  return { outputs, status: child.status ?? 1, log: `${child.stdout}${child.stderr}` };
}

export interface PlayedJob {
  result: 'success' | 'failure';
  /** Each step that ran (or, for an action not run here, was reached), by id, name or uses. */
  reached: string[];
  /** The job's outputs, as its `outputs:` expand. */
  outputs: Record<string, string>;
  /** What the shell steps printed. */
  log: string;
}

/** Read a workflow file of this repository. */
export async function readWorkflow(file: string): Promise<{ jobs: Record<string, Job> }> {
  return parse(await readFile(path.join(ROOT, '.github', 'workflows', file), 'utf8'));
}

/**
 * Play `job` of `workflow`: `context` holds github, needs, vars and the rest; `env` is the runner's (with
 * GITHUB_WORKSPACE and VITRINE, the stand-in command); `leaveOut` names local actions not to run (setup-data
 * installs with npm ci).
 */
export async function playJob({
  workflow,
  job,
  context,
  env,
  temp,
  leaveOut = [],
}: {
  workflow: { jobs: Record<string, Job> };
  job: string;
  context: Record<string, unknown>;
  env: Record<string, string>;
  temp: string;
  leaveOut?: string[];
}): Promise<PlayedJob> {
  const common = { secrets: {}, vars: {}, matrix: {}, job: {}, env: {}, inputs: {}, ...context };
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const played: PlayedJob = { result: 'success', reached: [], outputs: {}, log: '' };
  const ran = async (run: string, stepEnv: Record<string, string>) => {
    const { outputs, status, log } = await shellStep(run, { ...env, ...stepEnv }, temp);
    played.log += log;
    if (status !== 0) played.result = 'failure';
    return outputs;
  };
  for (const step of workflow.jobs[job]!.steps) {
    const ctx = { ...common, steps };
    if (!holds(step.if, ctx)) continue;
    played.reached.push(step.id ?? step.name ?? step.uses ?? 'step');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, ctx)]));
    const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v, ctx)]));
    let outputs: Record<string, string> = {};
    if (step.run) outputs = await ran(step.run, stepEnv);
    else if (step.uses?.startsWith('./actions/') && !leaveOut.includes(step.uses)) {
      const dir = path.join(ROOT, step.uses);
      const action = parse(await readFile(path.join(dir, 'action.yml'), 'utf8'));
      if (action.runs.using === 'composite') {
        const inputs: Record<string, string> = {};
        for (const [k, spec] of Object.entries(action.inputs as Record<string, { default?: string }>))
          inputs[k] = k in given ? given[k]! : expand(spec.default ?? '', ctx);
        const inner: Record<string, { outputs: Record<string, string> }> = {};
        for (const s of action.runs.steps as Step[]) {
          const innerCtx = { ...common, inputs, steps: inner };
          if (!holds(s.if, innerCtx) || !s.run) continue;
          const sEnv = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, expand(v, innerCtx)]));
          const out = await ran(s.run, { ...stepEnv, ...sEnv, GITHUB_ACTION_PATH: dir });
          if (s.id) inner[s.id] = { outputs: out };
          if (played.result === 'failure') break;
        }
        for (const [k, spec] of Object.entries((action.outputs ?? {}) as Record<string, { value: string }>))
          outputs[k] = expand(spec.value, { ...common, inputs, steps: inner });
      }
    }
    if (step.id) steps[step.id] = { outputs };
    if (played.result === 'failure') break;
  }
  for (const [k, v] of Object.entries(workflow.jobs[job]!.outputs ?? {}))
    played.outputs[k] = expand(v, { ...common, steps });
  return played;
}

/**
 * Whether `job`'s `if:` holds, given what the jobs it needs did. As on GitHub, an `if:` with no status function
 * (success(), failure(), always(), cancelled()) holds only when those jobs succeeded too, and no `if:` means that
 * alone. success() and failure() are read from the needed jobs' results; nothing is cancelled.
 */
export function jobRuns({
  workflow,
  job,
  needs,
}: {
  workflow: { jobs: Record<string, Job> };
  job: string;
  needs: Record<string, { result: string; outputs: Record<string, string> }>;
}): boolean {
  const spec = workflow.jobs[job]!;
  const names = spec.needs === undefined ? [] : ([] as string[]).concat(spec.needs);
  const succeeded = names.every((n) => needs[n]?.result === 'success');
  if (!spec.if) return succeeded;
  const condition = spec.if.replace(/^\s*\$\{\{|\}\}\s*$/g, '');
  if (!/\b(success|failure|always|cancelled)\(\)/.test(condition) && !succeeded) return false;
  const status: FunctionDefinition[] = [
    ['success', succeeded],
    ['failure', names.some((n) => needs[n]?.result === 'failure')],
    ['always', true],
    ['cancelled', false],
  ].map(([name, value]) => ({
    name: name as string,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value as boolean),
  }));
  const v = evaluate(condition, { needs, github: {}, vars: {}, inputs: {} }, status);
  return v !== null && v !== false && v !== '' && v !== 0;
}
