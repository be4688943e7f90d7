import fs from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { initData } from '../../pipeline/data/config.ts';
import { addData, pushData } from '../../pipeline/data/ops.ts';
import { fixDemoLabels } from '../../pipeline/demo/fix-labels.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { loadStages } from '../../pipeline/stages/index.ts';
import type { StageName } from '../../pipeline/stages/stage.ts';
import { withDemoEmbeddings } from '../fixtures/demo-embeddings.ts';
import { tempDir } from '../fixtures/temp.ts';
import { startFakeGitHub } from '../github/fake-github.ts';
import { examplePayload, runAction } from '../github/run-action.ts';
import { startMermaid } from './mermaid.ts';

/*
 * SLOW (real stages: demo drawings, thumbnails, MobileNetV2 embeddings on the wasm/cpu backend,
 * training, evaluation): the label-correction pull request of the demo, end to end. The base
 * commit has the demo's deliberately wrong labels and a promoted model trained on them; the head
 * commit fixes the labels. The report must name exactly the fixed objects, compare with the
 * promoted model, and end up as one comment that a second run edits.
 */

const AUTHOR = { name: 'Curator', email: 'curator@example.org' };
const PARAMS = `demo:
  per_type: 10
  unlabelled_per_type: 1
  wrong_label_rate: 0.1
  image_size: 96
dataset:
  min_test_per_class: 1
  thumbnails:
    widths: [64]
train:
  epochs: 15
  patience: 5
  augment: false
  workers: 1
evaluate:
  bootstrap: 200
gate:
  min_macro_f1: 0.1
  min_class_f1: 0
  max_macro_f1_drop: 0.5
  min_test_objects: 5
`;

describe('the demo label-correction pull request (slow)', () => {
  it('reports the fixed labels against the promoted model and keeps one comment', { timeout: 600_000 }, async () => {
    const dir = await tempDir('vitrine-demo-pr-');
    const ws = workspace(dir);
    const log = memoryLogger();
    await git.init({ fs, dir, defaultBranch: 'main' });
    await writeFile(path.join(dir, '.gitignore'), '.vitrine/\ndata/\n');
    await writeFile(ws.params, PARAMS);
    const params = await loadParams({ file: ws.params });
    await generateDemo({ ws, params, log });
    await withDemoEmbeddings({ ws, params });
    // As `vitrine demo` does: data.dvc and a local remote (which the registry also stores models in).
    await initData({
      root: dir,
      remoteName: 'local',
      remoteUrl: await tempDir('vitrine-demo-remote-'),
    });
    await addData({ root: dir, target: 'data', log });
    await pushData({ root: dir, log });
    for (const f of ['.gitignore', 'params.yaml', 'labels.csv', 'data.dvc', '.dvc/config'])
      await git.add({ fs, dir, filepath: f });
    const baseCommit = await git.commit({ fs, dir, message: 'Demo collection', author: AUTHOR });
    const stages = await loadStages();
    const run = (targets: StageName[], env: Record<string, string> = {}) =>
      runStages({ ctx: { ws, params, log, clock: { now: () => new Date() }, env }, stages, targets });

    const started = performance.now();
    // On main: train on the wrong labels and promote that model (v1).
    await run(['promote']);
    // The pull request: fix the labels on a branch.
    await git.branch({ fs, dir, ref: 'fix-labels', checkout: true });
    const { fixed } = await fixDemoLabels({ ws, params });
    expect(fixed.length).toBeGreaterThan(0);
    await git.add({ fs, dir, filepath: 'labels.csv' });
    const headCommit = await git.commit({ fs, dir, message: 'Correct the wrong labels', author: AUTHOR });
    const outcomes = await run(['report'], {
      GITHUB_BASE_REF: 'main',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'museum/collection',
      GITHUB_RUN_ID: '99',
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `demo label-correction pull request: ${seconds.toFixed(1)} s for promote on main + report on the branch ` +
        `(${outcomes.map((o) => `${o.name} ${o.status} ${o.durationMs} ms`).join(', ')})`,
    );

    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
    const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    // The label diff is exactly the demo's fixed objects.
    expect(json.labels.baseCommit).toBe(baseCommit);
    expect(json.labels.headCommit).toBe(headCommit);
    expect(json.labels.changes.map((c) => c.id).sort()).toEqual([...fixed].sort());
    expect(json.labels.changes.every((c) => c.kind === 'changed' && c.before !== c.after)).toBe(true);
    // Compared with the promoted model; the first line says the verdict and the gate.
    expect(json.comparison?.baselineVersion).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(['better', 'worse', 'no detectable difference']).toContain(json.verdict);
    const verdict = '(✅|⚠️|❌) \\*\\*(Better|Worse|No detectable difference): .*\\*\\*';
    const gate = ' The promotion gate (passes|does not pass)\\.?\\*{0,2}( The gate only checks .*)?';
    expect(markdown.split('\n')[0]).toMatch(new RegExp(`^${verdict}${gate}$`, 'u'));
    for (const c of json.labels.changes) expect(markdown).toContain(`| ${c.id} (line `);
    // What the model now says about every fixed object: test objects from evaluate, the others asked
    // by the report and marked as seen in training.
    for (const c of json.labels.changes) {
      expect(c.candidate, c.id).not.toBeNull();
      expect(c.candidate!.seenInTraining ?? false, c.id).toBe(c.split !== 'test');
    }
    // The default head (train.solver lbfgs) is fitted to convergence: the report says how instead of
    // drawing a one-point "curve". Every chart the report does draw is one Mermaid accepts.
    expect(markdown).toMatch(/(trained until it stopped improving, in|stopped after) \d+ rounds/);
    expect(markdown).not.toContain('one step');
    expect(markdown).not.toContain('Loss per epoch');
    const mermaid = await startMermaid();
    try {
      for (const { chart, error } of await mermaid.check(markdown)) expect(error, chart).toBeNull();
    } finally {
      await mermaid.close();
    }
    expect(markdown).toMatch(/Data: `[0-9a-f]{32}(\.dir)?`/);
    expect(json.lineage.stages.map((s) => s.name)).toEqual(expect.arrayContaining(['dataset', 'train', 'evaluate']));
    expect(json.lineage.params).toEqual([]);

    // Posted twice by the report action's bundle, as GitHub runs it: one comment, edited in place.
    const gh = await startFakeGitHub({ token: 't' });
    try {
      const event = examplePayload('synchronize');
      event.pull_request.head.sha = headCommit;
      const post = () =>
        runAction({ name: 'report', inputs: { 'github-token': 't', 'api-url': gh.url }, event, workspace: dir });
      const first = await post();
      const second = await post();
      expect(first.stdout).not.toContain('::error');
      expect([first.outputs['comment-action'], second.outputs['comment-action']]).toEqual(['created', 'updated']);
      expect(second.outputs['comment-id']).toBe(first.outputs['comment-id']);
      const comments = gh.comments.get(event.pull_request.number)!;
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toBe(`<!-- vitrine:report -->\n${markdown}`);
      expect(second.summary).toBe(`${markdown}\n`);
      expect(gh.statuses.map((s) => [s.sha, s.state])).toEqual(
        Array(2).fill([headCommit, json.gate.passed ? 'success' : 'failure']),
      );
      expect(gh.invalid).toEqual([]);
    } finally {
      await gh.close();
    }
  });
});
