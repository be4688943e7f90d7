import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobRuns, type PlayedJob, playJob, readWorkflow } from './play.ts';

/*
 * A merge whose model fails the promotion gate (a monthly import that adds and deaccessions objects, say) leaves
 * production as it is. The public catalogue must still follow the collection: a re-import tester found that the
 * merge workflows stopped at the gate, so deaccessioned objects stayed published until someone ran
 * `vitrine run catalogue --single` by hand. The promote jobs of main.yml and publish-s3.yml are played here step
 * by step (test/workflows/play.ts) with a stand-in `vitrine` whose promotion fails the gate as the real one does
 * (exit code 3 with --fail-on-gate, 1 without).
 */

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

/**
 * A runner: a git checkout to work in and a stand-in vitrine that records its calls. `gate`: the evaluation's, or
 * `breaks` for a promotion that fails otherwise (exit code 1: a registry that cannot be written, say).
 */
type Gate = 'passes' | 'fails' | 'breaks';
async function runner({ gate }: { gate: Gate }) {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'vitrine-merge-'));
  temps.push(temp);
  const workspace = path.join(temp, 'repo');
  execFileSync('git', ['init', '-q', workspace]);
  const calls = path.join(temp, 'calls.jsonl');
  const standIn = path.join(temp, 'vitrine.mjs');
  await writeFile(
    standIn,
    `import { appendFileSync } from 'node:fs';
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(calls)}, JSON.stringify(args) + '\\n');
if (args[0] === 'run' && args.includes('promote') && ${JSON.stringify(gate)} === 'fails') {
  console.error('This model did not pass the promotion gate, so it was not registered and production is ' +
    'unchanged. Failed check: min_macro_f1 (0.41 is below 0.5).');
  process.exit(args.includes('--fail-on-gate') ? 3 : 1);
}
if (args[0] === 'run' && args.includes('promote') && ${JSON.stringify(gate)} === 'breaks') process.exit(1);
`,
  );
  const env = {
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    HOME: temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: temp,
    VITRINE: standIn,
  };
  const context = {
    github: { token: 'test-token', event_name: 'push', ref: 'refs/heads/main', run_id: '7', run_attempt: '1' },
    runner: { os: 'Linux', temp },
  };
  const commands = async () =>
    (await readFile(calls, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as string[]).join(' '))
      // The catalogue action reads catalogue.site to find the published addresses: not what these tests are about.
      .filter((command) => !command.startsWith('params get'));
  return { temp, env, context, commands };
}

async function playMerge(file: 'main.yml' | 'publish-s3.yml', gate: Gate) {
  const r = await runner({ gate });
  const workflow = await readWorkflow(file);
  const needs =
    file === 'main.yml'
      ? { shards: { result: 'success', outputs: { publish: 'pages', count: '1', list: '[1]' } } }
      : { target: { result: 'success', outputs: { publish: 's3', shards: '1', 'shard-list': '[1]' } } };
  const promote = await playJob({
    workflow,
    job: 'promote',
    context: { ...r.context, needs: { ...needs, shard: { result: 'skipped', outputs: {} } } },
    env: r.env,
    temp: r.temp,
    leaveOut: ['./actions/setup-data'],
  });
  return { ...r, workflow, promote, commands: await r.commands() };
}

const ranAfter = (job: PlayedJob) => ({ promote: { result: job.result, outputs: job.outputs } });

describe('a merge whose model fails the promotion gate, published on GitHub Pages (main.yml)', () => {
  it('still rebuilds and publishes the catalogue with the production model, then fails the run saying why', async () => {
    const { workflow, promote, commands, env, context, temp } = await playMerge('main.yml', 'fails');
    expect(promote.result, promote.log).toBe('success');
    expect(promote.outputs.promoted).toBe('false');
    // Nothing registered, so no tags to push; the catalogue from the dataset just made, with production's annotations.
    expect(commands).toEqual(['run evaluate', 'run promote --fail-on-gate', 'run catalogue --single']);
    expect(promote.reached).toContain('actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa');
    expect(promote.log).toContain('::error::The model did not pass the promotion gate');
    expect(promote.log).toContain('Failed check: min_macro_f1');

    const deployed = { ...ranAfter(promote), deploy: { result: 'success', outputs: {} } };
    expect(jobRuns({ workflow, job: 'deploy', needs: ranAfter(promote) })).toBe(true);
    expect(jobRuns({ workflow, job: 'gate', needs: deployed })).toBe(true);
    const gate = await playJob({ workflow, job: 'gate', context: { ...context, needs: deployed }, env, temp });
    expect(gate.result).toBe('failure');
    expect(gate.log).toContain('did not pass the promotion gate, so production keeps its model');
    expect(gate.log).toContain('The catalogue was still rebuilt and published');

    // The reviewer: when the deploy failed, the same job said the catalogue was published.
    const failed = { ...ranAfter(promote), deploy: { result: 'failure', outputs: {} } };
    expect(jobRuns({ workflow, job: 'gate', needs: failed })).toBe(true);
    const notOut = await playJob({ workflow, job: 'gate', context: { ...context, needs: failed }, env, temp });
    expect(notOut.log).toContain(
      'The catalogue was not published either (the promote job: success, the deploy job: failure',
    );
    expect(notOut.log).not.toContain('still rebuilt and published');
  });

  it('stops at any other failure of the promotion: no catalogue, no deploy, no gate job', async () => {
    const { workflow, promote, commands } = await playMerge('main.yml', 'breaks');
    expect(promote.result).toBe('failure');
    expect(commands).toEqual(['run evaluate', 'run promote --fail-on-gate']);
    expect(promote.reached).not.toContain('catalogue');
    expect(jobRuns({ workflow, job: 'deploy', needs: ranAfter(promote) })).toBe(false);
    const skipped = { ...ranAfter(promote), deploy: { result: 'skipped', outputs: {} } };
    expect(jobRuns({ workflow, job: 'gate', needs: skipped })).toBe(false);
  });

  it('promotes, pushes the tags and builds the catalogue with the new model when the gate passes', async () => {
    const { workflow, promote, commands } = await playMerge('main.yml', 'passes');
    expect(promote.result, promote.log).toBe('success');
    expect(promote.outputs.promoted).toBe('true');
    expect(commands).toEqual([
      'run evaluate',
      'run promote --fail-on-gate',
      'models push --retry promote',
      'run catalogue',
    ]);
    const deployed = { ...ranAfter(promote), deploy: { result: 'success', outputs: {} } };
    expect(jobRuns({ workflow, job: 'gate', needs: deployed })).toBe(false);
  });
});

describe('a merge whose model fails the promotion gate, published to a bucket (publish-s3.yml)', () => {
  it('still rebuilds and publishes the catalogue, then fails the job saying why', async () => {
    const { promote, commands } = await playMerge('publish-s3.yml', 'fails');
    expect(commands).toEqual([
      'publish --check',
      'run evaluate',
      'run promote --fail-on-gate',
      'run catalogue --single',
      'publish',
    ]);
    expect(promote.result).toBe('failure');
    expect(promote.log).toContain('did not pass the promotion gate, so production keeps its model');
  });

  it('publishes and succeeds when the gate passes', async () => {
    const { promote, commands } = await playMerge('publish-s3.yml', 'passes');
    expect(promote.result, promote.log).toBe('success');
    expect(commands.slice(2)).toEqual([
      'run promote --fail-on-gate',
      'models push --retry promote',
      'run catalogue',
      'publish',
    ]);
  });
});

describe('the promote action on its own', () => {
  const job = (given: Record<string, string>) => ({
    jobs: {
      promote: { steps: [{ id: 'promote', uses: './actions/promote', with: { 'push-tags': 'false', ...given } }] },
    },
  });

  it('fails its step at the gate by default, as any other workflow using it expects', async () => {
    const r = await runner({ gate: 'fails' });
    const played = await playJob({ workflow: job({}), job: 'promote', context: r.context, env: r.env, temp: r.temp });
    expect(played.result).toBe('failure');
    expect(await r.commands()).toEqual(['run promote']);
  });

  it('names an on-gate-failure it does not know', async () => {
    const r = await runner({ gate: 'passes' });
    const given = { 'on-gate-failure': 'ignore' };
    const played = await playJob({
      workflow: job(given),
      job: 'promote',
      context: r.context,
      env: r.env,
      temp: r.temp,
    });
    expect(played.result).toBe('failure');
    expect(played.log).toContain('The input "on-gate-failure" is "ignore", expected fail or keep-production.');
  });
});
