import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFile } from '../../pipeline/data/index.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { promoteStage } from '../../pipeline/stages/promote.ts';
import type { StageName } from '../../pipeline/stages/stage.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import { committedDemo } from '../fixtures/committed-demo.ts';

/*
 * SLOW (real training on a tiny demo). An outside tester: a colleague's label correction was committed in the
 * checkout while `vitrine run` was training on main. The model trained on the labels the dataset stage had read
 * was registered as the new commit's version, with the new labels.csv's md5 in its record; the next run trained on
 * the new labels and threw that model away as "slightly different weights". What the dataset stage read is what
 * the evaluation must record, so that promotion refuses a model whose labels are not the commit's.
 */

let parent: string;
afterAll(async () => {
  if (parent) await rm(parent, { recursive: true, force: true });
});

const PARAMS =
  'demo:\n  per_type: 4\n  unlabelled_per_type: 0\n  image_size: 64\ntrain:\n  epochs: 5\n  workers: 1\n' +
  'evaluate:\n  bootstrap: 100\ngate:\n  min_macro_f1: 0\n  min_class_f1: 0\n  max_macro_f1_drop: 1\n' +
  '  min_test_objects: 1\n';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

async function run(ws: Workspace, onStage?: (name: StageName) => void) {
  const params = await loadParams({ file: ws.params });
  return runStages({
    ctx: { ws, params, log: memoryLogger(), clock: systemClock, env: {} },
    stages: [datasetStage, trainStage, evaluateStage, promoteStage],
    targets: ['promote'],
    ...(onStage ? { onStage } : {}),
  });
}

/** Give the object on line `line` of labels.csv (1 = the first object) another label of the vocabulary. */
function relabel(ws: Workspace, line: number): void {
  const lines = readFileSync(ws.labels, 'utf8').split('\n');
  const [id, label] = lines[line]!.split(',');
  lines[line] = `${id},${label === 'coin' ? 'vessel' : 'coin'}`;
  writeFileSync(ws.labels, lines.join('\n'));
}

describe('labels committed while a run is training (slow)', () => {
  it('the model trained on the old labels is not registered as the new commit’s; the next run registers it', async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'vitrine-labels-during-run-'));
    const { root, ws } = await committedDemo({ parent, params: PARAMS });

    // The correction lands once the dataset stage has read labels.csv, as training starts.
    const error = await run(ws, (name) => {
      if (name !== 'train') return;
      relabel(ws, 3);
      git(root, 'commit', '-qam', 'Correct a label');
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROMOTE_INPUTS_CHANGED' });
    expect((error as Error).message).toContain('the labels (labels.csv) changed');
    expect(git(root, 'tag', '-l')).toBe('');

    // Run again: the dataset is rebuilt from the committed labels, and that model is registered on the commit.
    const again = await run(ws);
    expect(again.map((o) => `${o.name}:${o.status}`)).toEqual([
      'dataset:ran',
      'train:ran',
      'evaluate:ran',
      'promote:ran',
    ]);
    const state = await readRegistry({ dir: root, name: 'collection-classifier' });
    expect(state.versions.map((v) => v.version)).toEqual(['v1.0.0']);
    expect(state.versions[0]!.registration?.inputs.labelsMd5).toBe(await hashFile({ file: ws.labels }));
  }, 300_000);
});
