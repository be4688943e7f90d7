import fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { computeDrift, type EmbedImages, pooledDrift, summarise } from '../../pipeline/monitor/drift.ts';
import { monitorDrift, monitorSides, productionModel } from '../../pipeline/monitor/run.ts';
import type { DriftReport } from '../../pipeline/monitor/types.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { Dataset, DatasetObject } from '../../pipeline/types.ts';
import { demoDataset, realEmbed, smallParams } from './fixtures.ts';

/*
 * With objects added since the production model and unlabelled ones already there, monitoring judges two groups: the
 * added objects, and the pool of them with the unlabelled ones. Each comparison embedded and measured its objects
 * anew, so the training objects and the added ones went through the backbone twice (and the backbone was loaded
 * twice). Each photograph is now embedded once, in one call, and the figures are those of each group judged alone.
 * A real git repository, the demo generator's drawings and the real backbone (MobileNetV2, offline): 24 training
 * objects, 30 unlabelled ones already there when the model was promoted, then 12 new ones in a new setup.
 */

const params = smallParams(); // 6 types × 4 training objects
const author = { name: 'Curator', email: 'curator@example.org', timezoneOffset: 0 };
const clock: Clock = { now: () => new Date('2026-12-07T10:00:00Z') };
let ws: Workspace;
let dataset: Dataset;
let real: EmbedImages;
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
  `id,title,image\n${objects.map((o) => `${o.id},t,${o.image}`).join('\n')}\n`;

/** The real backbone, with every call and every image it was given written down. */
function counted(): { embed: EmbedImages; calls: number; times: Map<string, number> } {
  const out = { calls: 0, times: new Map<string, number>(), embed: (async () => null) as unknown as EmbedImages };
  out.embed = async (options) => {
    out.calls++;
    for (const item of options.items) out.times.set(item.key, (out.times.get(item.key) ?? 0) + 1);
    return real(options);
  };
  return out;
}

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-monitor-once-')));
  const demo = await demoDataset({
    ws,
    params,
    batches: [
      { count: 30, style: 'studio' },
      { count: 12, style: 'new' },
    ],
  });
  dataset = demo.dataset;
  await git.init({ fs, dir: ws.root, defaultBranch: 'main' });
  const labels = `object_id,label\n${demo.base.map((o) => `${o.id},${o.label}`).join('\n')}\n`;
  const old = demo.batches[0]!;
  const promoted = await commit('model', {
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
  await commit('new', { 'data/objects.csv': objectsText([...demo.base, ...old, ...demo.batches[1]!]) });
  real = await realEmbed();
}, 180_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

describe('monitoring the objects added since the model and the pool beside them', () => {
  it('embeds each photograph once, in one call, when both groups are judged', async () => {
    const c = counted();
    const { report } = await monitorDrift({ ws, params, log: memoryLogger(), clock, embed: c.embed, dataset });
    expect(report.current).toMatchObject({ kind: 'added-since', count: 12 });
    expect(report.pooled!.current).toMatchObject({ kind: 'new-and-unlabelled', count: 42 });
    // 24 training objects, 12 added and 30 unlabelled: 66 photographs, each embedded once.
    expect(c.calls).toBe(1);
    expect(c.times.size).toBe(66);
    expect([...c.times.values()].filter((n) => n > 1)).toEqual([]);
  }, 180_000);

  it('gives the figures of each group judged on its own', async () => {
    const log = memoryLogger();
    const { report } = await monitorDrift({ ws, params, log, clock, embed: real, dataset });
    // Each group judged alone, one computeDrift each, as monitoring did before.
    const sides = await monitorSides({ ws, dataset, prod: await productionModel({ ws, params }) });
    const alone = (current: string[], describe: typeof sides.describe) =>
      computeDrift({
        ws,
        params,
        log: memoryLogger(),
        clock,
        dataset,
        reference: sides.reference,
        current,
        describe,
        modelVersion: sides.modelVersion,
        embed: real,
      });
    const expected: DriftReport = await alone(sides.current, sides.describe);
    const pool = await alone(sides.pooled!.current, { ...sides.describe, current: sides.pooled!.describe });
    expected.pooled = pooledDrift(pool);
    expected.summary = summarise(expected);
    expect(report).toEqual(expected);
    expect(JSON.parse(await readFile(path.join(ws.monitor, 'drift.json'), 'utf8'))).toEqual(expected);
    // The figures are real ones: the 12 photographs of the new setup are told from the training ones, less so pooled.
    expect(report.signals.classifier!.drifted).toBe(true);
    expect(report.pooled!.classifier!.value).toBeLessThan(report.signals.classifier!.value);
  }, 180_000);
});
