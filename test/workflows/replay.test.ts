import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chooseRunner } from '../../pipeline/github/runner.ts';

/*
 * Every payload of @octokit/webhooks-examples, as sent by the repository's own branches and as if
 * from a fork, replayed through this repository's workflow files: which workflow starts, which job's
 * `if:` holds (evaluated by GitHub's own expression library, @actions/expressions) and where its
 * `runs-on:` sends it, with choose-runner's outputs where a job takes them. Whatever the event, a
 * job reaches the self-hosted runner only when the trust table says so.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const require = createRequire(import.meta.url);
const ALL = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];
const HOSTED = /^(ubuntu|windows|macos)-[\w.-]+$/;
const FORK = 'mallory/Hello-World';

interface Step {
  id?: string;
  uses?: string;
}
interface Job {
  'runs-on': unknown;
  if?: string;
  needs?: string | string[];
  outputs?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, { types?: string[] } | null>;
  jobs: Record<string, Job>;
}

/** Default activity types of the events whose workflows name none. */
const DEFAULT_TYPES: Record<string, string[]> = {
  pull_request: ['opened', 'synchronize', 'reopened'],
  pull_request_target: ['opened', 'synchronize', 'reopened'],
};

// Job status functions, as on a run where nothing failed or was cancelled (the library has none).
const statusFunctions: FunctionDefinition[] = ['cancelled', 'failure', 'success', 'always'].map((name) => ({
  name,
  minArgs: 0,
  maxArgs: 0,
  call: () => new data.BooleanData(name !== 'cancelled' && name !== 'failure'),
}));

function evaluate(expression: string, context: Record<string, unknown>): data.ExpressionData {
  const tokens = new Lexer(expression).lex().tokens;
  const expr = new Parser(tokens, Object.keys(context), statusFunctions).parse();
  const dictionary = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  const functions = new Map(statusFunctions.map((f) => [f.name.toLowerCase(), f]));
  return new Evaluator(expr, dictionary, functions).evaluate();
}

/** A value that may hold `${{ … }}`: evaluated when it is exactly one expression. */
function value(text: unknown, context: Record<string, unknown>): unknown {
  if (typeof text !== 'string') return text;
  const m = /^\$\{\{(.*)\}\}$/s.exec(text.trim());
  if (!m) return text;
  const result = evaluate(m[1]!, context);
  return JSON.parse(JSON.stringify(result, data.replacer));
}

/** Jobs that would run on a runner other than a GitHub-hosted one, for one event. */
function selfHostedJobs({
  workflow,
  eventName,
  event,
  approvedShas,
}: {
  workflow: Workflow;
  eventName: string;
  event: Record<string, any>;
  approvedShas: string[];
}): string[] {
  const trigger = Object.hasOwn(workflow.on, eventName) ? workflow.on[eventName] : undefined;
  if (trigger === undefined) return [];
  const types = trigger?.types ?? DEFAULT_TYPES[eventName];
  if (types && !types.includes(event.action)) return [];
  const github = {
    event_name: eventName,
    event,
    repository: event.repository?.full_name ?? '',
    base_ref: 'main',
    run_id: '1',
    token: 't',
  };
  const done = new Map<string, { ran: boolean; outputs: Record<string, unknown> }>();
  const reached: string[] = [];
  const pending = Object.entries(workflow.jobs);
  while (pending.length > 0) {
    const index = pending.findIndex(([, job]) => [job.needs ?? []].flat().every((n) => done.has(n)));
    expect(index, 'a job waits for one that does not exist').toBeGreaterThanOrEqual(0);
    const [name, job] = pending.splice(index, 1)[0]!;
    const needsNames = [job.needs ?? []].flat();
    const needs = Object.fromEntries(
      needsNames.map((n) => [n, { result: done.get(n)!.ran ? 'success' : 'skipped', outputs: done.get(n)!.outputs }]),
    );
    const context = { github, needs, vars: {}, secrets: {}, inputs: {} };
    // success() by default: every needed job ran, unless the condition calls a status function
    // itself (GitHub then drops the implicit success()); then the job's own condition.
    const ownStatus = /\b(cancelled|always|failure|success)\(\)/.test(job.if ?? '');
    const ran =
      (ownStatus || needsNames.every((n) => done.get(n)!.ran)) &&
      (!job.if || Boolean(value(`\${{ ${job.if.replace(/^\$\{\{|\}\}$/g, '')} }}`, context)));
    const outputs: Record<string, unknown> = {};
    if (ran) {
      const runsOn = [value(job['runs-on'], context)].flat().map(String);
      if (!runsOn.every((label) => HOSTED.test(label))) reached.push(name);
      // Steps' outputs: choose-runner's come from the decision; no other step's output is trusted.
      const steps: Record<string, { outputs: Record<string, string> }> = {};
      for (const step of job.steps ?? []) {
        if (!step.id) continue;
        if (step.uses === './actions/choose-runner') {
          const choice = chooseRunner({ eventName, event, selfHosted: ['self-hosted', 'gpu'], approvedShas });
          steps[step.id] = {
            outputs: {
              'runs-on': JSON.stringify(choice.runsOn),
              trusted: String(choice.trusted),
              reason: choice.reason,
            },
          };
        } else steps[step.id] = { outputs: {} };
      }
      for (const [key, expr] of Object.entries(job.outputs ?? {})) outputs[key] = value(expr, { ...context, steps });
    }
    done.set(name, { ran, outputs });
  }
  return reached;
}

function asFork(payload: Record<string, any>): Record<string, any> {
  const copy = structuredClone(payload);
  const fork = (repo: Record<string, any> | null | undefined) =>
    repo ? { ...repo, full_name: FORK, fork: true, owner: { ...(repo.owner ?? {}), login: 'mallory' } } : repo;
  if (copy.pull_request?.head) copy.pull_request.head.repo = fork(copy.pull_request.head.repo);
  if (copy.workflow_run) copy.workflow_run.head_repository = fork(copy.workflow_run.head_repository);
  return copy;
}

/** The trust table: may this event reach the self-hosted runner? */
function mayReach(eventName: string, event: Record<string, any>, approvedShas: string[]): boolean {
  if (['push', 'schedule', 'workflow_dispatch'].includes(eventName)) return true;
  const pr = event.pull_request;
  const same =
    pr?.head?.repo?.full_name === pr?.base?.repo?.full_name &&
    pr?.base?.repo?.full_name === event.repository?.full_name;
  if (eventName === 'pull_request') return false;
  if (eventName === 'pull_request_target') return same || approvedShas.includes(pr?.head?.sha);
  return false;
}

const CASES = ALL.flatMap(({ name, examples }) => [
  ...examples.map((event) => ({ eventName: name, event })),
  ...(name === 'pull_request' ? examples.map((event) => ({ eventName: 'pull_request_target', event })) : []),
]).concat([{ eventName: 'schedule', event: { schedule: '17 3 * * 1' } }]);

async function workflows(): Promise<{ file: string; yaml: Workflow }[]> {
  const files = (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({ file, yaml: parse(await readFile(path.join(WORKFLOWS, file), 'utf8')) as Workflow })),
  );
}

describe('the workflow files replayed over every documented webhook payload', () => {
  it('reach the self-hosted runner only as the trust table allows, for the repository and for forks', async () => {
    const all = await workflows();
    let reachedCount = 0;
    let forkCases = 0;
    for (const { eventName, event } of CASES) {
      for (const [variant, payload] of [
        ['same repository', event],
        ['fork', asFork(event)],
      ] as const) {
        if (variant === 'fork' && JSON.stringify(payload) === JSON.stringify(event)) continue;
        if (variant === 'fork') forkCases++;
        for (const { file, yaml } of all) {
          const reached = selfHostedJobs({ workflow: yaml, eventName, event: payload, approvedShas: [] });
          reachedCount += reached.length;
          const allowed = mayReach(eventName, payload, []);
          if (!allowed) expect(reached, `${file} on ${eventName} ${payload.action ?? ''} (${variant})`).toEqual([]);
          if (variant === 'fork') expect(reached, `${file} on ${eventName} (fork)`).toEqual([]);
        }
      }
    }
    expect(forkCases).toBeGreaterThan(60);
    // The trusted paths do reach it: pushes to main, the schedule, same-repository data pull requests.
    expect(reachedCount).toBeGreaterThan(10);
  });

  it('send an approved, unchanged fork head to the runner only through pull-request-data.yml', async () => {
    const all = await workflows();
    for (const event of ALL.find((e) => e.name === 'pull_request')!.examples) {
      const fork = asFork(event);
      const sha = fork.pull_request.head.sha as string;
      for (const eventName of ['pull_request', 'pull_request_target']) {
        for (const { file, yaml } of all) {
          const reached = selfHostedJobs({ workflow: yaml, eventName, event: fork, approvedShas: [sha] });
          const expected =
            eventName === 'pull_request_target' &&
            file === 'pull-request-data.yml' &&
            (event.action !== 'labeled' || fork.label?.name === 'safe to run') &&
            ['opened', 'synchronize', 'reopened', 'labeled'].includes(event.action);
          expect(reached.length > 0, `${file} on ${eventName} ${event.action}`).toBe(expected);
        }
      }
    }
  });

  it('name only GitHub-hosted runners in the pull_request workflow, whose file a fork can rewrite', async () => {
    const pr = (await workflows()).find((w) => w.file === 'pull-request.yml')!.yaml;
    expect(Object.keys(pr.on)).toEqual(['pull_request']);
    for (const [name, job] of Object.entries(pr.jobs)) expect(String(job['runs-on']), name).toMatch(HOSTED);
  });
});
