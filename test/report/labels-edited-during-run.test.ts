import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { loadStages } from '../../pipeline/stages/index.ts';
import type { StageName } from '../../pipeline/stages/stage.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { committedDemo } from '../fixtures/committed-demo.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * SLOW (real training on a tiny demo). Task D5: the dataset stage reads labels.csv once, and the model learns those
 * labels; the report read labels.csv again, as it was when the report ran. A colleague who saved labels.csv while
 * `vitrine run` was training (or between stages run one by one) got a report naming an object as relabelled that
 * the model never saw relabelled, beside scores of a model trained without that change. The evaluate stage, likewise,
 * told a renamed label by the labels objects carried when it ran: one line put back to the old label meanwhile made
 * the pull request’s rename, which the model learnt whole, labels changed one by one.
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

async function run(ws: Workspace, onStage?: (name: StageName) => void, target: StageName = 'report') {
  const params = await loadParams({ file: ws.params });
  const log = memoryLogger();
  const outcomes = await runStages({
    ctx: { ws, params, log, clock: systemClock, env: {} },
    stages: await loadStages(),
    targets: [target],
    ...(onStage ? { onStage } : {}),
  });
  // The promotion run (promote: production's model) writes no report.
  const report = JSON.parse(
    await readFile(path.join(ws.report, 'report.json'), 'utf8').catch(() => '{}'),
  ) as ReportJson;
  const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8').catch(() => '');
  return { outcomes, report, markdown, log };
}

/** Give the object on line `line` of labels.csv (1 = the first object) another label; returns its id. */
function relabel(ws: Workspace, line: number): string {
  const lines = readFileSync(ws.labels, 'utf8').split('\n');
  const [id, label] = lines[line]!.split(',');
  lines[line] = `${id},${label === 'coin' ? 'vessel' : 'coin'}`;
  writeFileSync(ws.labels, lines.join('\n'));
  return id!;
}

describe('labels.csv saved while a run trains (slow)', () => {
  it('the report lists the label changes the model learnt, and says labels.csv changed since the run read it', async () => {
    parent = await tempDir('vitrine-labels-edited-during-run-');
    const { root, ws } = await committedDemo({ parent, params: PARAMS });
    git(root, 'checkout', '-q', '-b', 'correct-a-label');
    const before = readFileSync(ws.labels, 'utf8');
    const corrected = relabel(ws, 3);
    git(root, 'commit', '-qam', 'Correct a label');

    // Once the dataset stage has read labels.csv, a colleague saves it with that correction undone and another made.
    let later = '';
    const { report, markdown, log } = await run(ws, (name) => {
      if (name !== 'train') return;
      writeFileSync(ws.labels, before);
      later = relabel(ws, 7);
    });
    expect(later).not.toBe('');
    // The model learnt the first correction only: the report names that one, not the colleague's.
    const labelChanges = markdown.slice(markdown.indexOf('### Label changes'), markdown.indexOf('### Scores'));
    expect(report.labels.changes.map((c) => c.id)).toEqual([corrected]);
    expect(labelChanges).not.toContain(later);
    expect(labelChanges).toContain('labels.csv changed after the dataset stage read it');
    expect(report.labels.datasetStale ?? false).toBe(false);
    expect(log.lines.filter((e) => e.level === 'warn').map((e) => e.message)).toContainEqual(
      expect.stringContaining('labels.csv changed after the dataset stage read it'),
    );

    // The next run reads labels.csv as it is now: the dataset is built again, and the report names that change.
    const again = await run(ws);
    expect(again.outcomes.map((o) => `${o.name}:${o.status}`)).toEqual([
      'dataset:ran',
      'train:ran',
      'evaluate:ran',
      'report:ran',
    ]);
    expect(again.report.labels.changes.map((c) => c.id)).toEqual([later]);
    expect(again.markdown).not.toContain('changed after the dataset stage read it');
  }, 400_000);

  it('a rename the model learnt whole is told as a rename, though a line was put back to the old label meanwhile', async () => {
    const { root, ws } = await committedDemo({ parent: await tempDir('vitrine-rename-during-run-'), params: PARAMS });
    // Production: a model trained on the demo's labels, promoted on main.
    await run(ws, undefined, 'promote');
    expect(git(root, 'tag', '-l')).toContain('v1.0.0');
    git(root, 'checkout', '-q', '-b', 'rename-print');
    const vocabulary =
      'collection:\n  name: Demo Museum\n  vocabulary: [coin, figurine, mask, engraving, textile, vessel]\n';
    writeFileSync(ws.params, `${readFileSync(ws.params, 'utf8')}${vocabulary}`);
    const renamed = readFileSync(ws.labels, 'utf8').replaceAll(',print\n', ',engraving\n');
    writeFileSync(ws.labels, renamed);
    git(root, 'commit', '-qam', 'Rename print to engraving');

    // Once the dataset stage has read the rename, a colleague saves labels.csv with one line put back to "print".
    const { report } = await run(ws, (name) => {
      if (name === 'train') writeFileSync(ws.labels, renamed.replace(',engraving\n', ',print\n'));
    });
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.labelRenames).toEqual([{ from: 'print', to: 'engraving', objects: 4 }]);
    expect(report.labels.changes.every((c) => c.renamed)).toBe(true);
  }, 400_000);
});
