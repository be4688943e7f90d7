import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readObjects, writeObjects } from '../../pipeline/collection/index.ts';
import { addData, hashFile, pullData, pushData } from '../../pipeline/data/index.ts';
import { fixDemoLabels } from '../../pipeline/demo/fix-labels.ts';
import { percentRange } from '../../pipeline/evaluate/boundary.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { pct } from '../../pipeline/registry/card.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { promoteStage } from '../../pipeline/stages/promote.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { Annotation, Metrics } from '../../pipeline/types.ts';
import { committedDemo } from '../fixtures/committed-demo.ts';

/*
 * SLOW (about half a minute on two cores): the real loop on a tiny demo collection — real images in
 * a DVC folder remote, real TF.js training and evaluation, promotion, a label-correction merge that
 * promotes v1.1.0, then a rollback to v1.0.0 on a fresh clone that has nothing but git and the remote.
 */

let parent: string;
afterAll(async () => {
  if (parent) await rm(parent, { recursive: true, force: true });
});

const PARAMS =
  'demo:\n  per_type: 6\n  unlabelled_per_type: 1\n  image_size: 96\ntrain:\n  epochs: 20\n  workers: ' +
  '1\nevaluate:\n  bootstrap: 100\ngate:\n  min_macro_f1: 0.1\n  min_class_f1: 0\n  max_macro_f1_drop: 0.9\n  min_test_objects: 1\n';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

async function runTo(ws: Workspace, target: 'promote' | 'dataset') {
  const params = await loadParams({ file: ws.params });
  const log = memoryLogger();
  const outcomes = await runStages({
    ctx: { ws, params, log, clock: systemClock, env: {} },
    stages: [datasetStage, trainStage, evaluateStage, promoteStage],
    targets: [target],
  });
  return { outcomes, log, params };
}

describe('real round trip (slow)', () => {
  it('promotes two real models, then rolls back on a fresh clone from the remote', async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'vitrine-roundtrip-'));
    const { root, ws, log } = await committedDemo({ parent, params: PARAMS });

    const first = await runTo(ws, 'promote');
    expect(first.outcomes.map((o) => `${o.name}:${o.status}`)).toEqual([
      'dataset:ran',
      'train:ran',
      'evaluate:ran',
      'promote:ran',
    ]);
    expect(git(root, 'tag', '-l').split('\n')).toEqual([
      'collection-classifier#prod#1',
      'collection-classifier@v1.0.0',
    ]);
    const v1Annotations = JSON.parse(
      await readFile(path.join(ws.registry, 'annotations.json'), 'utf8'),
    ) as Annotation[];
    const dataset = JSON.parse(await readFile(path.join(ws.dataset, 'dataset.json'), 'utf8')) as { objects: unknown[] };
    expect(v1Annotations).toHaveLength(dataset.objects.length);

    // The label-correction pull request is merged: a minor version, compared with v1.0.0.
    await fixDemoLabels({ ws, params: first.params });
    git(root, 'commit', '-qam', 'Correct wrong labels (#2)');
    const second = await runTo(ws, 'promote');
    expect(second.outcomes.find((o) => o.name === 'promote')?.summary).toMatch(
      /registered v1\.1\.0 \(minor: labels changed\)/,
    );
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.baseline?.version).toBe('v1.0.0');
    const card = await readFile(path.join(ws.registry, 'cards', 'v1.1.0.md'), 'utf8');
    expect(card).toContain(`| Accuracy | ${pct(metrics.accuracy.value)} | ${percentRange(metrics.accuracy)} |`);
    expect(card).toContain('pull request #2');
    expect(card).toContain(`Compared with v1.0.0 on the same test objects`);
    const state = await readRegistry({ dir: root, name: 'collection-classifier' });
    expect(state.stages).toEqual({ prod: 'v1.1.0' });
    const v1 = state.versions[0]!.registration!;

    // A title edited in data/objects.csv changes nothing the model reads: no retraining, no version.
    const { objects } = await readObjects({ file: ws.objects });
    await writeObjects({
      file: ws.objects,
      objects: objects.map((o, i) => (i === 0 ? { ...o, title: `${o.title} (corrected title)` } : o)),
    });
    await addData({ root, log });
    await pushData({ root, log });
    git(root, 'commit', '-qam', 'Correct a title (#3)');
    const titled = await runTo(ws, 'promote');
    expect(titled.outcomes.map((o) => `${o.name}:${o.status}`)).toEqual([
      'dataset:ran',
      'train:skipped',
      'evaluate:ran',
      'promote:ran',
    ]);
    expect(titled.outcomes.find((o) => o.name === 'promote')?.summary).toMatch(
      /^model unchanged: still v1\.1\.0; production v1\.1\.0/,
    );
    // `rm -rf .vitrine && vitrine run` on the promoted commit: retrains and converges on v1.1.0.
    await rm(path.join(root, '.vitrine'), { recursive: true, force: true });
    const rerun = await runTo(ws, 'promote');
    expect(rerun.outcomes.map((o) => `${o.name}:${o.status}`)).toEqual([
      'dataset:ran',
      'train:ran',
      'evaluate:ran',
      'promote:ran',
    ]);
    expect(rerun.outcomes.find((o) => o.name === 'promote')?.summary).toMatch(
      /^model unchanged: still v1\.1\.0; production v1\.1\.0/,
    );
    // Training is seeded: the retrained model computes exactly what v1.1.0 computes (same identity).
    expect(
      rerun.log.lines.some((l) =>
        /The model is unchanged since version v1\.1\.0 \(it computes the same thing\)/.test(l.message),
      ),
    ).toBe(true);
    expect(git(root, 'tag', '-l').split('\n')).toEqual([
      'collection-classifier#prod#1',
      'collection-classifier#prod#2',
      'collection-classifier@v1.0.0',
      'collection-classifier@v1.1.0',
    ]);

    // A fresh clone: git history and tags, the folder remote, nothing else.
    const cloneRoot = path.join(parent, 'clone');
    git(parent, 'clone', '-q', root, cloneRoot);
    const clone = workspace(cloneRoot);
    await pullData({ root: cloneRoot, log });
    await runTo(clone, 'dataset');
    const rollbackLog = memoryLogger();
    const result = await rollbackAndPublish({
      ws: clone,
      params: await loadParams({ file: clone.params }),
      version: 'v1.0.0',
      reason: 'test',
      clock: systemClock,
      log: rollbackLog,
    });
    expect(result).toMatchObject({ version: 'v1.0.0', from: 'v1.1.0', unassigned: ['v1.1.0'] });
    for (const f of v1.manifest.files) expect(await hashFile({ file: path.join(result.dir, f.relpath) })).toBe(f.md5);
    expect(
      rollbackLog.lines.some((l) =>
        /Restored model version v1\.0\.0 \(\d+ files, \d+ from the data remote\)/.test(l.message),
      ),
    ).toBe(true);
    const annotations = JSON.parse(
      await readFile(path.join(clone.registry, 'annotations.json'), 'utf8'),
    ) as Annotation[];
    expect(annotations.every((a) => a.modelVersion === 'v1.0.0')).toBe(true);
    // Same model, same images: the clone's annotations are the original v1.0.0 annotations.
    expect(annotations.map((a) => [a.id, a.label])).toEqual(v1Annotations.map((a) => [a.id, a.label]));
    expect((await readRegistry({ dir: cloneRoot, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.0.0' });
    // Two real trainings, two promotions and a clone: minutes on a loaded 2-core machine.
  }, 600_000);
});
