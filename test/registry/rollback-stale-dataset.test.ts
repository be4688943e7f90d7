import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { writeLabels, writeObjects } from '../../pipeline/collection/index.ts';
import { initData } from '../../pipeline/data/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import { object, solidImage } from '../dataset/fixtures.ts';
import { readAnnotations, sh, standInPredict, steppingClock, writeMetrics, writeModel } from './helpers.ts';

/*
 * Tester, 2026-12-03 #2: `vitrine models rollback v1.0.0` right after switching back to main said the model
 * "agrees with the human label on 286 of 324 labelled objects": it annotated the dataset last built on another
 * branch, whose labels.csv had 324 labelled objects (main has 300). `vitrine run catalogue --single` warns when
 * the dataset's inputs changed since the dataset stage last ran; a rollback, which writes the annotations the
 * catalogue publishes, now refuses before changing anything and says to build the dataset first.
 * Real git repository and branches, the real dataset stage (`vitrine run dataset`) on real images.
 */

let parent: string;
let ws: Workspace;
let params: Params;

const LABELS = ['coin', 'mask', 'vessel'];
const IDS = Array.from({ length: 12 }, (_, i) => `obj-${String(i + 1).padStart(3, '0')}`);

/** labels.csv labelling the first `n` objects. */
const labelled = (n: number) => IDS.slice(0, n).map((objectId, i) => ({ objectId, label: LABELS[i % 3]! }));
/** main's labels.csv at the end: 9 objects labelled, 4 of them coins (obj-003 relabelled). */
const mainLabels = labelled(9).map((l) => (l.objectId === 'obj-003' ? { ...l, label: 'coin' } : l));

async function vitrine(args: string[]) {
  const log = memoryLogger();
  const code = await main(args, { cwd: ws.root, env: {}, stdout: () => {}, log, interactive: false });
  return { code, said: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

/** Stand-ins for train and evaluate on the workspace as it is, then the real promote stage. */
async function promoteVersion(predicts: string, seed: number) {
  await writeModel({ ws, predicts, seed });
  await writeMetrics({ ws, params });
  await promote({ ctx: { ws, params, log: memoryLogger(), clock: steppingClock(), env: {} }, predict: standInPredict });
}

const APRIL = Date.parse('2026-04-01T00:00:00Z');

const prod = async () => (await readRegistry({ dir: ws.root, name: params.registry.model_name })).stages.prod;

beforeAll(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), 'vitrine-rollback-stale-'));
  const root = path.join(parent, 'repo');
  await mkdir(root, { recursive: true });
  await mkdir(path.join(parent, 'remote'));
  sh(root, 'init', '-q');
  await initData({ root, remoteUrl: '../remote' });
  ws = workspace(root);
  await writeFile(path.join(root, '.gitignore'), '.vitrine/\n');
  await writeFile(
    ws.params,
    'collection:\n  name: Test Museum\n  vocabulary: [coin, mask, vessel]\n' +
      'dataset:\n  min_test_per_class: 0\n  thumbnails:\n    widths: [32]\n',
  );
  await mkdir(ws.images, { recursive: true });
  await writeObjects({ file: ws.objects, objects: IDS.map((id) => object(id)) });
  for (const [i, id] of IDS.entries())
    await writeFile(
      path.join(ws.images, `${id}.png`),
      await solidImage({ colour: `#${(i * 20 + 16).toString(16)}4060` }),
    );
  // main labels 9 of the 12 objects.
  await writeLabels({ file: ws.labels, labels: labelled(9) });
  sh(root, 'add', '-A');
  sh(root, 'commit', '-q', '-m', 'Collection');
  params = await loadParams({ file: ws.params });
  expect((await vitrine(['run', 'dataset'])).code).toBe(0);
  await promoteVersion('coin', 1);
  // A relabelled object on main, and a model trained on it: v1.1.0.
  await writeLabels({ file: ws.labels, labels: mainLabels });
  sh(root, 'commit', '-q', '-am', 'Relabel obj-003');
  expect((await vitrine(['run', 'dataset'])).code).toBe(0);
  await promoteVersion('vessel', 2);
  expect(await prod()).toBe('v1.1.0');
  // Another branch labels all 12 and its dataset is built there; then main is checked out again.
  sh(root, 'switch', '-q', '-c', 'more-labels');
  await writeLabels({ file: ws.labels, labels: labelled(12) });
  sh(root, 'commit', '-q', '-am', 'Label the rest');
  expect((await vitrine(['run', 'dataset'])).code).toBe(0);
  sh(root, 'switch', '-q', 'main');
}, 120_000);

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('vitrine models rollback after switching branches', () => {
  it("refuses while the dataset is another branch's, changing nothing, and says to build the dataset first", async () => {
    const before = await readAnnotations(ws);
    await expect(
      rollbackAndPublish({
        ws,
        params,
        version: 'v1.0.0',
        clock: steppingClock(APRIL),
        log: memoryLogger(),
        predict: standInPredict,
      }),
    ).rejects.toMatchObject({ code: 'ROLLBACK_DATASET_STALE' });
    const { code, said } = await vitrine(['models', 'rollback', 'v1.0.0', '--reason', "v1.1.0 calls coins 'masks'"]);
    expect(code).toBe(1);
    expect(said).toMatch(/^error: labels\.csv changed since the dataset was last built/);
    expect(said).toContain('npx vitrine run dataset');
    // The command to run again keeps the reason given (a reviewer: it was dropped), quoted for the shell.
    expect(said).toContain(`npx vitrine models rollback v1.0.0 --reason 'v1.1.0 calls coins '\\''masks'\\'''`);
    expect(said).toContain('Production was not changed (it is still v1.1.0)');
    expect(await prod()).toBe('v1.1.0');
    expect(await readAnnotations(ws)).toEqual(before);
  });

  it("rolls back once the dataset is built again, counting this branch's labelled objects", async () => {
    expect((await vitrine(['run', 'dataset'])).code).toBe(0);
    const log = memoryLogger();
    await rollbackAndPublish({
      ws,
      params,
      version: 'v1.0.0',
      clock: steppingClock(APRIL),
      log,
      predict: standInPredict,
    });
    expect(await prod()).toBe('v1.0.0');
    const annotations = await readAnnotations(ws);
    expect(annotations.filter((a) => a.agrees !== null)).toHaveLength(9);
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(
      /agrees with the human label on 4 of 9 labelled objects/,
    );
  });
});
