import { spawn } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { parseGtoTag } from '../../pipeline/registry/gto.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import { startGitServer } from '../data/git-server.ts';
import {
  everyLabel,
  type Fixture,
  promoteStandIn,
  publicationWith,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  steppingClock,
  writeDataset,
  writeMetrics,
  writeModel,
} from '../registry/helpers.ts';

/*
 * The push steps of the promote action and the rollback workflow, run as GitHub runs them (bash, their `run:` text
 * from the YAML, the token in TOKEN) against a git server over HTTP that answers only requests carrying the token
 * as GitHub takes it. The checkout keeps no credentials: the push, and the fetch its retry needs, get the token
 * through GIT_CONFIG_* alone. The races themselves, with the pipeline's functions: test/registry/push-race.test.ts.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'ghs_test-token-1234';
const NAME = 'collection-classifier';
const newRepo = repoPerTest();
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** The `run:` text of the step named "Push the tags" in a workflow or action file. */
async function pushStep(file: string): Promise<string> {
  const yaml = parse(await readFile(path.join(ROOT, file), 'utf8')) as {
    runs?: { steps: { name?: string; run?: string }[] };
    jobs?: Record<string, { steps: { name?: string; run?: string }[] }>;
  };
  const steps = yaml.runs?.steps ?? Object.values(yaml.jobs ?? {}).flatMap((j) => j.steps);
  const step = steps.find((s) => s.name === 'Push the tags');
  expect(step?.run, `${file} has a "Push the tags" step`).toBeTruthy();
  return step!.run!;
}

/**
 * Run a step's script in `cwd` as a runner does (bash -eo pipefail), with the job's environment. Not spawnSync: the
 * git server answers from this process.
 */
async function runStep(script: string, cwd: string, env: Record<string, string>) {
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: {
      PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTOR: 'a-maintainer',
      VITRINE: path.join(ROOT, 'bin', 'vitrine.js'),
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

interface Served {
  f: Fixture;
  bare: string;
  server: Awaited<ReturnType<typeof startGitServer>>;
  clone(name: string): Promise<Fixture>;
}

/** v1.0.0 and v1.1.0 (in production) on origin.git, served over HTTP to holders of TOKEN; clones without credentials. */
async function served(): Promise<Served> {
  const f = await promoteStandIn(await newRepo());
  const labels = await readFile(f.ws.labels, 'utf8');
  await writeFile(f.ws.labels, labels.replace(/^obj-001,.*$/m, 'obj-001,mask'));
  sh(f.root, 'commit', '-q', '-am', 'Relabel obj-001');
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts: 'mask' });
  await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
  await promote({ ctx: stageContext(f), predict: standInPredict });
  const projectRoot = path.join(f.parent, 'served');
  const bare = path.join(projectRoot, 'origin.git');
  sh(f.parent, 'clone', '-q', '--bare', f.root, bare);
  const server = await startGitServer({ projectRoot, token: TOKEN });
  servers.push(server);
  return {
    f,
    bare,
    server,
    async clone(name) {
      const root = path.join(f.parent, name);
      // As actions/checkout leaves it with persist-credentials: false: the server's address, no token.
      sh(f.parent, 'clone', '-q', bare, root);
      sh(root, 'remote', 'set-url', 'origin', `${server.url}/origin.git`);
      await cp(path.join(f.root, '.vitrine'), path.join(root, '.vitrine'), { recursive: true });
      await cp(path.join(f.root, '.dvc', 'config'), path.join(root, '.dvc', 'config'));
      return { ...f, root, ws: workspace(root) };
    },
  };
}

/** The registry on origin as a clone reads it, after `git fsck`, with each `#N` counter used once. */
async function originRegistry({ f, bare }: Served) {
  sh(bare, 'fsck', '--no-dangling');
  const counters = sh(bare, 'tag', '--list', `${NAME}*`)
    .split('\n')
    .map((t) => parseGtoTag(t)?.counter)
    .filter((n) => n !== undefined);
  expect(new Set(counters).size, counters.join(' ')).toBe(counters.length);
  const check = path.join(f.parent, `check-${Date.now()}`);
  sh(f.parent, 'clone', '-q', bare, check);
  return readRegistry({ dir: check, name: NAME });
}

const env = (s: Served, extra: Record<string, string> = {}) => ({
  TOKEN,
  GITHUB_SERVER_URL: s.server.url,
  ...extra,
});

describe('the promote action’s push step', () => {
  it('pushes the new version’s tags with the token given to the push alone', async () => {
    const s = await served();
    const runner = await s.clone('runner');
    await writeFile(
      runner.ws.labels,
      (await readFile(runner.ws.labels, 'utf8')).replace(/^obj-002,.*$/m, 'obj-002,coin'),
    );
    sh(runner.root, 'commit', '-q', '-am', 'Relabel obj-002');
    await writeDataset({ ws: runner.ws });
    await writeModel({ ws: runner.ws, predicts: 'vessel' });
    await writeMetrics({ ws: runner.ws, params: runner.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(runner), predict: standInPredict });

    const { code, output } = await runStep(await pushStep('actions/promote/action.yml'), runner.root, env(s));
    expect(code, output).toBe(0);
    expect(output).toContain('Pushed 2 tags of collection-classifier to "origin".');
    expect((await originRegistry(s)).stages).toEqual({ prod: 'v1.2.0' });
    // Every request carried the token, which is masked in the log and left nowhere in the clone.
    expect(s.server.requests.some((r) => r.path.includes('git-receive-pack'))).toBe(true);
    expect(s.server.requests.every((r) => r.authorized)).toBe(true);
    expect(output.replace(/::add-mask::\S+/, '')).not.toContain(
      Buffer.from(`x-access-token:${TOKEN}`).toString('base64'),
    );
    expect(await readFile(path.join(runner.root, '.git', 'config'), 'utf8')).not.toMatch(/extraheader|x-access-token/i);
  });

  it('fails with a plain message and no retry when the token may not read the repository', async () => {
    const s = await served();
    const runner = await s.clone('runner');
    const before = sh(s.bare, 'tag', '--list');
    const { code, output } = await runStep(
      await pushStep('actions/promote/action.yml'),
      runner.root,
      env(s, { TOKEN: 'wrong' }),
    );
    expect(code).toBe(1);
    expect(output).toContain('::error::Could not read the tags of the git remote "origin": fatal:');
    expect(output).toContain('Nothing was pushed and it is not tried again');
    expect(sh(s.bare, 'tag', '--list')).toBe(before);
  });
});

describe('the rollback workflow’s push step', () => {
  it('after another run rolled back to the same version first, fetches its tags with the token and ends there', async () => {
    const s = await served();
    const a = await s.clone('runner-a');
    const b = await s.clone('runner-b');
    // Each at its own time: the same tags written a minute apart are other tag objects.
    for (const [i, runner] of [a, b].entries())
      await rollbackAndPublish({
        ws: runner.ws,
        params: runner.params,
        version: 'v1.0.0',
        reason: 'misreads masks',
        clock: steppingClock(Date.parse('2026-03-03T10:00:00Z') + i * 60_000),
        log: memoryLogger(),
        env: {},
        predict: standInPredict,
      });
    const step = await pushStep('.github/workflows/rollback.yml');
    const stepEnv = env(s, { VERSION: 'v1.0.0', REASON: 'misreads masks' });

    expect(await runStep(step, a.root, stepEnv)).toMatchObject({ code: 0 });
    const second = await runStep(step, b.root, stepEnv);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain(
      'Another run rolled production back to v1.0.0 first; v1.0.0 is in production already, so there was nothing ' +
        'to roll back: nothing is left to push.',
    );
    const registry = await originRegistry(s);
    expect(registry.stages).toEqual({ prod: 'v1.0.0' });
    // The second runner holds the first one's tags, fetched with the token, and none of its own.
    expect(sh(b.root, 'tag', '--list', `${NAME}*`)).toBe(sh(s.bare, 'tag', '--list', `${NAME}*`));
    expect(s.server.requests.every((r) => r.authorized)).toBe(true);
  });
});
