import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * What the report compares with is one of its inputs (an outside tester): after the README's
 * `git checkout main && git merge fix-labels && npx vitrine run`, the report stage was skipped and
 * main kept the branch's report ("Label changes in this pull request… Compared with `main` where
 * this branch left it"). A real git repository; the stage graph decides whether the stage runs.
 */

const gitEnv = {
  GIT_AUTHOR_NAME: 'Curator',
  GIT_AUTHOR_EMAIL: 'curator@example.org',
  GIT_COMMITTER_NAME: 'Curator',
  GIT_COMMITTER_EMAIL: 'curator@example.org',
};

async function collection() {
  const objects = demoObjects();
  const base = Object.fromEntries(objects.map((o) => [o.id, o.label]));
  // Two wrong labels on main, corrected on fix-labels.
  const wrong = { ...base, 'DM-0007': 'coin', 'DM-0013': 'vessel' };
  const { ws, baseCommit } = await makeRepo({ objects, base: wrong, head: base });
  // The fixture's record of the upstream stages, with the outputs the graph hashes.
  const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
  for (const entry of Object.values(lock.stages) as { outs?: object }[]) entry.outs = {};
  await writeFile(ws.lock, JSON.stringify(lock));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: ws.root, env: { ...process.env, ...gitEnv }, encoding: 'utf8' });
  return { ws, git, baseCommit };
}

async function run(ws: Workspace) {
  const params = await loadParams({ file: ws.params });
  const log = memoryLogger();
  const [outcome] = await runStages({
    ctx: { ws, params, log, clock: { now: () => new Date('2026-01-03T00:00:00Z') }, env: {} },
    stages: [reportStage],
  });
  const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8');
  return { outcome: outcome!, markdown };
}

describe('the report stage’s inputs', () => {
  it('writes a fresh report on main after the branch is merged, not the branch’s', async () => {
    const { ws, git, baseCommit } = await collection();
    const branch = await run(ws);
    expect(branch.outcome.status).toBe('ran');
    expect(branch.markdown).toContain('### Label changes in this pull request');
    expect(branch.markdown).toContain('Compared with `main` where this branch left it');
    // Nothing changed: skipped.
    expect((await run(ws)).outcome.status).toBe('skipped');

    git('checkout', '-q', 'main');
    git('merge', '-q', 'fix-labels');
    const merged = await run(ws);
    expect(merged.outcome.status).toBe('ran');
    expect(merged.outcome.reason).toBe(
      'branch changed (fix-labels → main), base changed (main → none), base commit changed (' +
        baseCommit.slice(0, 7) +
        ' → none)',
    );
    expect(merged.markdown).not.toContain('where this branch left it');
    expect(merged.markdown).toMatch(/This run is on main itself/);
    expect((await run(ws)).outcome.status).toBe('skipped');
  });

  it('writes a fresh report after a merge commit on main and on a new commit of the branch', async () => {
    const { ws, git } = await collection();
    expect((await run(ws)).outcome.status).toBe('ran');
    // A new commit on the branch names another commit in the report's lineage.
    git('commit', '-q', '--allow-empty', '-m', 'Another commit');
    const next = await run(ws);
    expect(next.outcome.status).toBe('ran');
    expect(next.outcome.reason).toContain('a new commit');
    expect(next.markdown).toContain(git('rev-parse', 'HEAD').trim().slice(0, 12));

    git('checkout', '-q', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'Something else on main');
    git('merge', '-q', '--no-ff', '-m', 'Merge fix-labels', 'fix-labels');
    const merged = await run(ws);
    expect(merged.outcome.status).toBe('ran');
    expect(merged.markdown).not.toContain('where this branch left it');
    expect(merged.markdown).toMatch(/This run is on main itself/);
  });

  it('writes a fresh report when the branch is run against another point of main', async () => {
    const { ws, git } = await collection();
    const first = await run(ws);
    expect(first.markdown).toContain('Compared with `main` where this branch left it');
    // main moves on with a label fix of its own, and the branch takes it in by a rebase: the labels.csv is the same,
    // the point where the branch left main is not.
    git('checkout', '-q', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'Something else on main');
    const point = git('rev-parse', 'HEAD').trim();
    git('checkout', '-q', 'fix-labels');
    git('rebase', '-q', 'main');
    const rebased = await run(ws);
    expect(rebased.outcome.status).toBe('ran');
    expect(rebased.markdown).toContain(`where this branch left it (commit \`${point.slice(0, 12)}\`)`);
  });
});
