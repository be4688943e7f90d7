import { execFileSync } from 'node:child_process';
import { access, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * The whole loop on a small demo collection, as a user runs it: `vitrine demo`, `vitrine run`, a
 * second run that skips everything, then the label-correction "pull request" and a run that
 * retrains, compares with the promoted model and promotes again.
 */

const repo = path.resolve(import.meta.dirname, '..', '..');
let root: string;

const gitEnv = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.org',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.org',
};
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: root, env: { ...process.env, ...gitEnv }, encoding: 'utf8' });

async function vitrine(...args: string[]) {
  let stdout = '';
  const log = memoryLogger();
  const code = await main(args, { cwd: root, env: {}, stdout: (t) => (stdout += t), log });
  const messages = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  if (code !== 0) throw new Error(`vitrine ${args.join(' ')} exited ${code}:\n${messages}`);
  return { stdout, messages };
}

async function stageStatuses(): Promise<Record<string, string>> {
  const { stdout } = await vitrine('run', '--json');
  const { stages } = JSON.parse(stdout) as { stages: { name: string; status: string }[] };
  return Object.fromEntries(stages.map((s) => [s.name, s.status]));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-e2e-'));
  // The museum's repository: the template's site and params, a small demo, quick training.
  await symlink(path.join(repo, 'site'), path.join(root, 'site'));
  await symlink(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
  await writeFile(
    path.join(root, 'params.yaml'),
    `demo:\n  per_type: 10\n  unlabelled_per_type: 1\n  wrong_label_rate: 0.15\n  image_size: 128\ntrain:\n  ` +
      `epochs: 40\n  workers: 1\nevaluate:\n  bootstrap: 200\ngate:\n  min_macro_f1: 0.3\n  min_class_f1: 0\n  ` +
      `max_macro_f1_drop: 0.5\n  min_test_objects: 5\n`,
  );
  // Only node_modules: `vitrine demo` adds what it needs (data/, .vitrine/, the demo remote).
  await writeFile(path.join(root, '.gitignore'), 'node_modules\n');
  git('init', '-q', '-b', 'main');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the demo loop end to end', () => {
  it('generates the demo, runs every stage, and skips them all the second time', async () => {
    await vitrine('demo');
    // "Commit all" takes the collection's pointers, never the images, the working folder or the remote.
    git('add', '-A');
    expect(git('diff', '--cached', '--name-only').split('\n').filter(Boolean).sort()).toEqual(
      [
        '.dvc/.gitignore',
        '.dvc/config',
        '.dvcignore',
        '.gitignore',
        'data.dvc',
        'labels.csv',
        'params.yaml',
        'site',
      ].sort(),
    );
    git('commit', '-qm', 'Demo collection');
    const first = await stageStatuses();
    expect(first).toEqual({
      dataset: 'ran',
      train: 'ran',
      evaluate: 'ran',
      report: 'ran',
      promote: 'ran',
      catalogue: 'ran',
    });
    for (const file of [
      '.vitrine/report/report.md',
      '.vitrine/evaluate/metrics.json',
      '.vitrine/model/model.json',
      '.vitrine/model/model-info.json',
      '.vitrine/site/index.html',
      'data.dvc',
    ]) {
      await expect(access(path.join(root, file)), file).resolves.toBeUndefined();
    }
    const second = await stageStatuses();
    expect(second).toEqual({
      dataset: 'skipped',
      train: 'skipped',
      evaluate: 'skipped',
      report: 'skipped',
      promote: 'skipped',
      catalogue: 'skipped',
    });
    // Scripts read the results with --json.
    expect(JSON.parse((await vitrine('evaluate', '--json')).stdout).schema).toBe('vitrine.metrics/1');
    expect(JSON.parse((await vitrine('data', 'status', '--json')).stdout)).toBeTypeOf('object');
    // The demo command is idempotent too.
    await vitrine('demo');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('retrains after the label-correction pull request, reports against production, and promotes on merge', async () => {
    git('checkout', '-q', '-b', 'fix-labels');
    await vitrine('demo', '--fix-labels');
    git('commit', '-qam', 'Correct wrong labels');
    // On the pull request's branch: retrain, evaluate against production, report; no promotion.
    const onBranch = await stageStatuses();
    expect(onBranch).toEqual({
      dataset: 'ran',
      train: 'ran',
      evaluate: 'ran',
      report: 'ran',
      promote: 'ran',
      catalogue: 'ran',
    });
    const lock = JSON.parse(await readFile(path.join(root, '.vitrine/lock.json'), 'utf8')) as {
      stages: Record<string, { summary: string }>;
    };
    expect(lock.stages.promote!.summary).toBe(
      'not promoted: this is branch "fix-labels", models are promoted on "main"',
    );
    const metrics = JSON.parse(await readFile(path.join(root, '.vitrine/evaluate/metrics.json'), 'utf8')) as Metrics;
    expect(metrics.baseline?.version).toBe('v1.0.0');
    expect(['better', 'worse', 'no detectable difference']).toContain(metrics.baseline?.comparison.verdict);
    const report = await readFile(path.join(root, '.vitrine/report/report.md'), 'utf8');
    expect(report.split('\n')[0]).toMatch(/better|worse|no detectable difference/i);
    expect(JSON.parse((await vitrine('models', 'show', 'prod', '--json')).stdout).version).toBe('v1.0.0');

    // The merge: the model is not trained again; the report is written anew for main (not the branch's label
    // changes, an outside tester), promotion and the catalogue run.
    git('checkout', '-q', 'main');
    git('merge', '-q', '--ff-only', 'fix-labels');
    expect(await stageStatuses()).toEqual({
      dataset: 'skipped',
      train: 'skipped',
      evaluate: 'skipped',
      report: 'ran',
      promote: 'ran',
      catalogue: 'ran',
    });
    const onMain = await readFile(path.join(root, '.vitrine/report/report.md'), 'utf8');
    expect(onMain).not.toContain('Compared with `main` where this branch left it');
    expect(onMain).toMatch(/This run is on main itself/);
    const { stdout } = await vitrine('models', 'list', '--json');
    expect(stdout).toContain('v1.1.0');
    expect(JSON.parse((await vitrine('models', 'show', 'prod', '--json')).stdout).version).toBe('v1.1.0');
  });

  it('refuses to promote labels that are not committed', async () => {
    const labels = path.join(root, 'labels.csv');
    const text = await readFile(labels, 'utf8');
    await writeFile(
      labels,
      text.replace(/^(DM-0001),(\w+)$/m, (_, id, label) => `${id},${label === 'coin' ? 'vessel' : 'coin'}`),
    );
    const log = memoryLogger();
    expect(await main(['run'], { cwd: root, env: {}, stdout: () => {}, log })).toBe(1);
    expect(log.lines.map((l) => l.message).join('\n')).toContain('labels.csv has changes that are not committed');
    git('checkout', '--', 'labels.csv');
  });

  it('rolls back to the first version and rebuilds the catalogue without retraining', async () => {
    // The refused run above built the dataset from the edit since undone: a rollback annotates the dataset, so it
    // is built from labels.csv as it is first (as the rollback workflow does).
    await vitrine('run', 'dataset');
    await vitrine('models', 'rollback', 'v1.0.0', '--reason', 'test');
    const { stdout } = await vitrine('run', 'catalogue', '--single', '--json');
    expect(
      (JSON.parse(stdout) as { stages: { name: string; status: string }[] }).stages.map((s) => `${s.name}:${s.status}`),
    ).toEqual(['catalogue:ran']);
    expect(JSON.parse((await vitrine('models', 'show', 'prod', '--json')).stdout).version).toBe('v1.0.0');
    const catalogue = await readFile(path.join(root, '.vitrine/catalogue/catalogue.json'), 'utf8');
    expect(catalogue).toContain('"modelVersion":"v1.0.0"');
    expect(catalogue).not.toContain('"modelVersion":"v1.1.0"');
  });
});
