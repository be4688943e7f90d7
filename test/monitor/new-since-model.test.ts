import fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import type { EmbedImages } from '../../pipeline/monitor/drift.ts';
import { checkRetrain, monitorDrift } from '../../pipeline/monitor/run.ts';
import type { DriftReport } from '../../pipeline/monitor/types.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { Dataset, DatasetObject } from '../../pipeline/types.ts';
import { demoDataset, realEmbed, smallParams } from './fixtures.ts';

/*
 * G1: the objects added since the production model were judged pooled with every unlabelled object of the first
 * import, so a batch photographed in a new setup among the new objects was diluted by hundreds of old unlabelled
 * ones. They are now judged on their own, with the pooled figure beside them, and the words say which group.
 * A real git repository (data/objects.csv in git, compared by id), the demo generator's drawings and the real
 * backbone (MobileNetV2, offline): 24 training objects, 80 unlabelled ones already there when the model was
 * promoted, then 40 new objects, 20 of them in the new photography setup.
 */

const params = smallParams(); // 6 types × 4 training objects
const author = { name: 'Curator', email: 'curator@example.org', timezoneOffset: 0 };
let ws: Workspace;
let dataset: Dataset;
let old: DatasetObject[];
let added: DatasetObject[];
let embed: EmbedImages;
const vectors = new Map<string, Float32Array>();
let time = 1_700_000_000;

async function commit(message: string, files: Record<string, string>): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await writeFile(path.join(ws.root, file), content);
    await git.add({ fs, dir: ws.root, filepath: file });
  }
  time += 60;
  return git.commit({ fs, dir: ws.root, message, author: { ...author, timestamp: time } });
}

const objectsText = (objects: DatasetObject[]) =>
  `id,title,image\n${objects.map((o) => `${o.id},"${o.title.replaceAll('"', '""')}",${o.image}`).join('\n')}\n`;

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-monitor-new-')));
  const demo = await demoDataset({
    ws,
    params,
    batches: [
      { count: 80, style: 'studio' },
      { count: 20, style: 'new' },
      { count: 20, style: 'studio' },
    ],
  });
  dataset = demo.dataset;
  old = demo.batches[0]!;
  added = [...demo.batches[1]!, ...demo.batches[2]!];
  await git.init({ fs, dir: ws.root, defaultBranch: 'main' });
  const labels = `object_id,label\n${demo.base.map((o) => `${o.id},${o.label}`).join('\n')}\n`;
  const promoted = await commit('first import and model', {
    'labels.csv': labels,
    'data/objects.csv': objectsText([...demo.base, ...old]),
  });
  for (const ref of ['collection-classifier@v1.0.0', 'collection-classifier#prod#1'])
    await git.annotatedTag({
      fs,
      dir: ws.root,
      ref,
      object: promoted,
      message: ref,
      tagger: { ...author, timestamp: ++time },
    });
  await commit('new acquisitions', { 'data/objects.csv': objectsText([...demo.base, ...old, ...added]) });
  const real = await realEmbed();
  embed = async (options) => {
    const missing = options.items.filter((i) => !vectors.has(i.key));
    if (missing.length > 0)
      for (const [k, v] of (await real({ ...options, items: missing })).vectors) vectors.set(k, v);
    return {
      vectors: new Map(options.items.map((i) => [i.key, vectors.get(i.key)!])),
      backbone: { id: 'test-backbone' },
    };
  };
}, 180_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

describe('monitoring the objects added since the production model', () => {
  it('judges them on their own, with the pool of them and the old unlabelled objects beside, each named', async () => {
    const log = memoryLogger();
    const { report } = await monitorDrift({ ws, params, log, embed, dataset });
    expect(report.reference).toMatchObject({ kind: 'model-training', count: 24 });
    expect(report.current).toMatchObject({
      kind: 'added-since',
      count: 40,
      description: 'the objects added since v1.0.0',
    });
    // On their own, the 20 photographs of the new setup among the 40 are found, and named first.
    expect(report.drifted).toBe(true);
    expect(report.driftedSignals).toContain('background-colourfulness');
    expect(report.summary).toMatch(/^Drift: the objects added since v1\.0\.0 \(40\) differ from the training objects /);
    const newSetup = new Set(added.slice(0, 20).map((o) => o.id));
    for (const u of report.unfamiliar.slice(0, 5)) expect(newSetup.has(u.id)).toBe(true);
    // Pooled with the 80 old unlabelled objects, the same batch weighs less: kept beside, in words naming the group.
    const pooled = report.pooled!;
    expect(pooled.current).toMatchObject({
      kind: 'new-and-unlabelled',
      count: 120,
      description: 'the objects added since v1.0.0 with the 80 unlabelled objects already there',
    });
    // Pooled, as monitoring judged them before: no drift, a classifier hardly tells them from the training objects.
    expect(pooled.drifted).toBe(false);
    expect(pooled.classifier!.value).toBeLessThan(report.signals.classifier!.value);
    const c = pooled.classifier!;
    expect(report.summary).toContain(
      ' For comparison, the objects added since v1.0.0 with the 80 unlabelled objects already there, taken together ' +
        `(120): no drift (AUC ${c.value.toFixed(2)}, between ${c.low.toFixed(2)} and ${c.high.toFixed(2)}): pooled ` +
        'with the old objects, the change in the new ones is diluted.',
    );
    expect(log.lines.map((l) => l.message)).toContain(
      'Comparing the 40 objects added since v1.0.0 with 24 reference objects, and beside them those with the 80 ' +
        'unlabelled objects already there (120).',
    );
    const written = JSON.parse(await readFile(path.join(ws.monitor, 'drift.json'), 'utf8')) as DriftReport;
    expect(written.pooled).toEqual(pooled);
    expect(old.every((o) => o.label === null)).toBe(true);
  }, 180_000);

  it('lets the retraining trigger go by drift in the objects added since', async () => {
    const p = { ...params, retrain: { ...params.retrain, on_drift: true, min_new_objects: 1000 } };
    const decision = await checkRetrain({ ws, params: p, log: memoryLogger(), embed, dataset });
    expect(decision.newObjects).toBe(40);
    expect(decision.drifted).toBe(true);
    expect(decision.report!.current.count).toBe(40);
  }, 180_000);
});
