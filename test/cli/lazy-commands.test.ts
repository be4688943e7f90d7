import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCommands } from '../../pipeline/cli/command-table.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * `vitrine --help` took about 1.7 s of CPU: the command line loaded every command’s code (some 600 modules, TF.js,
 * sharp, isomorphic-git and the S3 client among them) before it looked at its first word, and every command paid
 * it: museum staff on a laptop, and each `vitrine` the tests start. A command’s code is loaded when it runs; the
 * list of commands, their help and the completion script come from a table that loads none of it.
 *
 * What a `vitrine` process loads is recorded by a Node hook (test/cli/lazy-commands-hook.ts), not timed.
 */

const NODE = path.resolve('node_modules/.bin/node');
const VITRINE = path.resolve('bin/vitrine.js');
const HOOK = path.resolve('test/cli/lazy-commands-hook.ts');

/** Packages only some commands need, and the slowest to load. */
const HEAVY = ['@tensorflow', 'sharp', 'isomorphic-git', 'astro', '@aws-sdk', 'nsfwjs'];

/** The modules that hold the commands’ code. */
const COMMAND_MODULES = [
  'pipeline/init/command.ts',
  'pipeline/cli/core-commands.ts',
  'pipeline/cli/params-commands.ts',
  'pipeline/data/commands.ts',
  'pipeline/registry/commands.ts',
  'pipeline/monitor/commands.ts',
  'pipeline/review/commands.ts',
  'pipeline/publish/command.ts',
];

let repo: string;
let records: string;
beforeAll(async () => {
  // A folder with .dvc is a repository to vitrine (default settings, no params.yaml).
  repo = await tempDir('vitrine-lazy-');
  await mkdir(path.join(repo, '.dvc'));
  records = await tempDir('vitrine-lazy-records-');
});

let runs = 0;

/** Module addresses in this repository as paths in it ("pipeline/cli.ts"). */
function relative(urls: string[]): string[] {
  const root = new URL('../../', import.meta.url).href;
  return urls.map((u) => (u.startsWith(root) ? u.slice(root.length) : u));
}

/** `vitrine args` in the repository, as a process of its own: its exit code, output, and the modules it loaded. */
async function vitrine(args: string[], env: Record<string, string> = {}) {
  const file = path.join(records, `loads-${++runs}.txt`);
  const result = spawnSync(NODE, ['--import', HOOK, VITRINE, '-C', repo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, VITRINE_TEST_LOADS: file },
    timeout: 120_000,
  });
  const loaded = relative((await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  const packages = [
    ...new Set(loaded.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? [])),
  ].sort();
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, loaded, packages };
}

/**
 * What `vitrine serve` needs not load: the stages (pipeline/stages/stage.ts holds only their names, which the run
 * command’s checks need; lock-file.ts reads lock.json), the checks before publishing, git, the catalogue’s build.
 */
const NOT_FOR_SERVE =
  /^pipeline\/(stages\/(?!(stage|lock-file)\.ts$)|publish\/(?!built-base\.ts$)|git\/)|^pipeline\/catalogue\/site\.ts$/;

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const heavyIn = (packages: string[]) => packages.filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)));
const commandModulesIn = (loaded: string[]) => COMMAND_MODULES.filter((m) => loaded.includes(m));

describe('what a vitrine command loads', () => {
  it.each([
    '--help',
    'help data push',
    'run --help',
    'init --help',
    'completion bash',
    'statsu',
    'models push --no-such-option',
  ])(
    '"vitrine %s" loads no command’s code',
    async (line) => {
      const run = await vitrine(line.split(' '));
      expect(run.code, run.stderr).toBeLessThanOrEqual(2);
      // The hook saw the command line itself load: an empty record would pass what follows.
      expect(run.loaded).toContain('pipeline/cli.ts');
      expect(commandModulesIn(run.loaded)).toEqual([]);
      expect(heavyIn(run.packages)).toEqual([]);
    },
    120_000,
  );

  it('the help and the completion script are those of every command, as before', async () => {
    const help = await vitrine(['--help']);
    expect(help.stdout).toContain('  data push              ');
    expect(help.stdout).toContain('  models rollback        ');
    expect(help.stdout).toContain('  init                   ');
    const runHelp = await vitrine(['run', '--help']);
    expect(runHelp.stdout).toContain('--fail-on-gate');
    const completion = await vitrine(['completion', 'bash']);
    expect(completion.stdout).toContain('"data push") words="');
    expect(completion.stdout).toContain('--remove-missing');
  }, 120_000);

  it('"vitrine params" loads the settings’ code and no other command’s, nor TF.js, sharp, git, S3 or Astro', async () => {
    const run = await vitrine(['params']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('catalogue:');
    expect(run.loaded).toContain('pipeline/params.ts');
    expect(commandModulesIn(run.loaded)).toEqual(['pipeline/cli/params-commands.ts']);
    expect(heavyIn(run.packages)).toEqual([]);
    // params.yaml is checked for git's conflict markers without the collection's CSV reader.
    expect(run.loaded).not.toContain('pipeline/collection/index.ts');
    expect(run.packages).not.toContain('csv-parse');
  }, 120_000);

  it('"vitrine data status" loads the data commands’ code and not the other commands’', async () => {
    const run = await vitrine(['data', 'status']);
    expect(run.code, run.stderr).toBe(0);
    expect(commandModulesIn(run.loaded)).toEqual(['pipeline/data/commands.ts']);
    // Nor the code of the data commands it is not (verify, restore, merge, gc).
    expect(run.loaded.filter((m) => /^pipeline\/data\/(verify|restore|merge|gc)\.ts$/.test(m))).toEqual([]);
  }, 120_000);

  it('"vitrine models list" loads neither sharp nor a rollback’s or a push’s code', async () => {
    const run = await vitrine(['models', 'list']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.loaded).toContain('pipeline/registry/registry.ts');
    expect(run.loaded.filter((m) => /^pipeline\/registry\/(publish|push|remote|resend)\.ts$/.test(m))).toEqual([]);
    expect(run.packages).not.toContain('sharp');
  }, 120_000);

  it('"vitrine review" loads neither sharp nor the dataset stage’s code until it has a list to show', async () => {
    const run = await vitrine(['review']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('vitrine -C ');
    expect(run.loaded).toContain('pipeline/review/index.ts');
    expect(run.loaded).not.toContain('pipeline/dataset/build.ts');
    expect(run.packages).not.toContain('sharp');
  }, 120_000);

  it('"vitrine import" loads the import’s code, not the stages’ nor the demo’s (nor sharp and TF.js with them)', async () => {
    const run = await vitrine(['import']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('Say which metadata CSV to import');
    expect(run.loaded).toContain('pipeline/collection/import.ts');
    expect(run.loaded.filter((m) => /^pipeline\/(stages\/graph|demo\/generate)\.ts$/.test(m))).toEqual([]);
    expect(heavyIn(run.packages).filter((p) => p === 'sharp' || p.startsWith('@tensorflow'))).toEqual([]);
  }, 120_000);

  it('"vitrine serve" with no site built says so having loaded neither the stages nor the publishing code', async () => {
    const run = await vitrine(['serve']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('There is no built site in ');
    expect(run.loaded).toContain('pipeline/cli/core-commands.ts');
    expect(run.loaded.filter((m) => NOT_FOR_SERVE.test(m))).toEqual([]);
    expect(heavyIn(run.packages)).toEqual([]);
  }, 120_000);

  it('"vitrine serve" serves a built site having loaded neither the stages nor the publishing code', async () => {
    const site = await tempDir('vitrine-lazy-site-');
    await mkdir(path.join(site, '.dvc'));
    await mkdir(path.join(site, '.vitrine', 'site'), { recursive: true });
    await writeFile(path.join(site, '.vitrine', 'site', 'index.html'), '<h1>The collection</h1>');
    const port = await freePort();
    const file = path.join(records, 'loads-serve.txt');
    const child = spawn(NODE, ['--import', HOOK, VITRINE, '-C', site, 'serve', '--port', String(port)], {
      env: { ...process.env, VITRINE_TEST_LOADS: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (d: Buffer) => (output += d));
    child.stdout!.on('data', (d: Buffer) => (output += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      for (let i = 0; i < 600 && !output.includes('Serving '); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain(`at http://127.0.0.1:${port}/`);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('The collection');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const loaded = relative((await readFile(file, 'utf8')).split('\n').filter(Boolean));
    expect(loaded).toContain('pipeline/cli/serve.ts');
    expect(loaded.filter((m) => NOT_FOR_SERVE.test(m))).toEqual([]);
  }, 120_000);
});

describe('a command whose code fails to load', () => {
  const broken = { VITRINE_TEST_BREAK: 'pipeline/review/commands.ts' };

  it('leaves every other command, and the help, working', async () => {
    const help = await vitrine(['--help'], broken);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('  review ');
    const params = await vitrine(['params'], broken);
    expect(params.code, params.stderr).toBe(0);
  }, 120_000);

  it('is a bug in Vitrine (exit 70), said at the command’s error boundary with its name', async () => {
    const run = await vitrine(['review'], broken);
    expect(run.code).toBe(70);
    // As typed again: "npx vitrine -C <folder> review".
    expect(run.stderr).toContain('error: Something went wrong that Vitrine did not expect, in "npx vitrine -C ');
    expect(run.stderr).toContain(' review": the test broke pipeline/review/commands.ts on purpose');
    expect(run.stderr).toContain('Please report this with the output of the same command run with --verbose.');
  }, 120_000);

  it('with a refusal Vitrine words (a VitrineError): its words and exit 1, not "did not expect"', async () => {
    const run = await vitrine(['review'], { ...broken, VITRINE_TEST_BREAK_AS: 'vitrine' });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('error: The test broke pipeline/review/commands.ts on purpose.');
    expect(run.stderr).not.toContain('did not expect');
  }, 120_000);
});

describe('the command table', () => {
  it('says what the commands say, so that the help and the checks of the command line are theirs', async () => {
    const table = JSON.parse(await readFile('pipeline/cli/command-table.json', 'utf8'));
    const write =
      'pipeline/cli/command-table.json differs from the commands: write it with "npx node pipeline/cli/command-table.ts"';
    expect(table, write).toEqual(await describeCommands());
  }, 120_000);
});
