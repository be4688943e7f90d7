import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { planDemo } from '../../pipeline/demo/generate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { type ObjectSpec, writeStageOutputs } from './fixture.ts';

/*
 * The README's label-correction walkthrough, outside GitHub: the demo committed on main, a branch
 * fix-labels, `vitrine demo --fix-labels`, a commit, then the report. No GITHUB_BASE_REF or
 * VITRINE_BASE_REF: the report must compare with where the branch left main (collection.branch) and
 * list every corrected object. The demo and the git steps are real; the dataset, train and
 * evaluate outputs the report reads are the fixture's (training is not what is tested here).
 */

const repo = path.resolve(import.meta.dirname, '..', '..');
let root: string;
const gitEnv = {
  GIT_AUTHOR_NAME: 'Curator',
  GIT_AUTHOR_EMAIL: 'curator@example.org',
  GIT_COMMITTER_NAME: 'Curator',
  GIT_COMMITTER_EMAIL: 'curator@example.org',
};
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: root, env: { ...process.env, ...gitEnv }, encoding: 'utf8' });

async function vitrine(...args: string[]): Promise<void> {
  const log = memoryLogger();
  const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log });
  if (code !== 0)
    throw new Error(`vitrine ${args.join(' ')} exited ${code}:\n${log.lines.map((l) => l.message).join('\n')}`);
}

async function report(env: Record<string, string> = {}) {
  const ws = workspace(root);
  const params = await loadParams({ file: ws.params });
  const log = memoryLogger();
  const result = await reportStage.run({
    ws,
    params,
    log,
    clock: { now: () => new Date('2026-01-03T00:00:00Z') },
    env,
  });
  const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
  const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8');
  return { result, json, markdown, log };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-walkthrough-'));
  await copyFile(path.join(repo, 'params.yaml'), path.join(root, 'params.yaml'));
  git('init', '-q', '-b', 'main');
  await vitrine('demo');
  git('add', '-A');
  git('commit', '-qm', 'Demo collection');
}, 300_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the README walkthrough outside GitHub', () => {
  it('lists the 19 corrected objects on the fix-labels branch, compared with where it left main', async () => {
    const ws = workspace(root);
    const params = await loadParams({ file: ws.params });
    const items = planDemo({ demo: params.demo });
    const wrong = items
      .filter((i) => i.label !== null && i.label !== i.type)
      .map((i) => i.object.id)
      .sort();
    expect(wrong).toHaveLength(19);
    const mainCommit = git('rev-parse', 'HEAD').trim();

    git('checkout', '-q', '-b', 'fix-labels');
    await vitrine('demo', '--fix-labels');
    git('commit', '-qam', 'Correct mislabelled objects');
    // Main moves on after the branch left it: the report compares with the branch point, not main's tip.
    git('checkout', '-q', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'Something else on main');
    git('checkout', '-q', 'fix-labels');

    // The stage outputs the report reads, for the corrected labels.
    const head = Object.fromEntries(items.filter((i) => i.label !== null).map((i) => [i.object.id, i.type]));
    const objects: ObjectSpec[] = items
      .filter((i) => i.label !== null)
      .map((i, n) => ({
        id: i.object.id,
        title: i.object.title,
        label: i.type,
        split: n % 5 === 0 ? 'test' : 'train',
      }));
    await writeStageOutputs({ ws, objects, head, params });

    const { result, json, markdown } = await report();
    expect(json.labels.baseCommit).toBe(mainCommit);
    expect(json.labels.changes.map((c) => c.id).sort()).toEqual(wrong);
    expect(json.labels.changes.every((c) => c.kind === 'changed')).toBe(true);
    expect(result.summary).toContain('19 labels changed');
    expect(markdown).toContain('19 labels changed.');
    for (const id of wrong) expect(markdown).toContain(`| ${id} (line `);
    expect(markdown).toContain(
      'Compared with `main` where this branch left it (commit `' + mainCommit.slice(0, 12) + '`).',
    );
    // An explicit base still wins.
    const explicit = await report({ VITRINE_BASE_REF: 'fix-labels' });
    expect(explicit.json.labels.changes).toEqual([]);
  });

  it('on main itself there is nothing to compare with, and the report says so plainly', async () => {
    git('checkout', '-q', 'main');
    const { json, markdown } = await report();
    expect(json.labels.baseCommit).toBeNull();
    expect(markdown).toMatch(/This run is on main itself/);
  });
});
