import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { computeDrift, type EmbedImages, writeDriftReport } from '../../pipeline/monitor/drift.ts';
import type { DriftHistory, DriftReport } from '../../pipeline/monitor/types.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { Dataset, DatasetObject } from '../../pipeline/types.ts';
import { demoDataset, realEmbed, smallParams } from './fixtures.ts';

/*
 * The "Done when", on the demo generator's drawings and the real backbone (MobileNetV2,
 * offline): a batch photographed in the new setup raises drift and is named; more objects in the
 * studio style do not. SLOW-ish: about 100 small images are embedded once (~10 s on 2 cores).
 */

const params = smallParams();
params.demo.per_type = 10; // 60 training objects
const fixedClock = { now: () => new Date('2026-01-02T03:04:05Z') };

let ws: Workspace;
let dataset: Dataset;
let newStyle: DatasetObject[];
let studio: DatasetObject[];
let embed: EmbedImages;
const vectors = new Map<string, Float32Array>();

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-monitor-')));
  const demo = await demoDataset({
    ws,
    params,
    batches: [
      { count: 20, style: 'new' },
      { count: 20, style: 'studio' },
    ],
  });
  dataset = demo.dataset;
  newStyle = demo.batches[0]!;
  studio = demo.batches[1]!;
  const real = await realEmbed();
  // Embed every image once; the runs below reuse the vectors.
  embed = async (options) => {
    const missing = options.items.filter((i) => !vectors.has(i.key));
    if (missing.length > 0)
      for (const [k, v] of (await real({ ...options, items: missing })).vectors) vectors.set(k, v);
    return {
      vectors: new Map(options.items.map((i) => [i.key, vectors.get(i.key)!])),
      backbone: { id: 'test-backbone' },
    };
  };
}, 120_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

async function drift(current: DatasetObject[]): Promise<DriftReport> {
  return computeDrift({
    ws,
    params,
    log: memoryLogger(),
    clock: fixedClock,
    reference: 'train',
    current: current.map((o) => o.id),
    dataset,
    annotations: null,
    embed,
  });
}

describe('drift on the demo collection', () => {
  it('a batch photographed in a new setup raises drift and names those objects', async () => {
    const report = await drift(newStyle);
    expect(report.drifted).toBe(true);
    // The headline signal: a classifier tells the new photographs from the training ones.
    expect(report.driftedSignals[0]).toBe('classifier');
    expect(report.signals.classifier!.low).toBeGreaterThan(0.5);
    expect(report.summary).toContain('a simple classifier tells the new photographs from the reference ones (AUC');
    expect(report.driftedSignals).toContain('novelty');
    expect(report.driftedSignals).toContain('background-colourfulness');
    expect(report.signals.novelty!.pValue).toBeLessThan(params.monitor.embedding_p_value);
    expect(report.reference.count).toBe(60);
    expect(report.current.count).toBe(20);
    const batchIds = new Set(newStyle.map((o) => o.id));
    expect(report.unfamiliar).toHaveLength(params.monitor.unfamiliar);
    for (const u of report.unfamiliar) expect(batchIds.has(u.id)).toBe(true);
    expect(report.summary).toMatch(/^Drift: /);
    expect(report.summary).toContain(report.unfamiliar[0]!.id);
  });

  it('more objects in the existing studio style do not', async () => {
    const report = await drift(studio);
    expect(report.drifted).toBe(false);
    expect(report.driftedSignals).toEqual([]);
    expect(report.signals.classifier!.drifted).toBe(false);
    expect(report.signals.novelty!.drifted).toBe(false);
    expect(report.signals.embeddings!.drifted).toBe(false);
    expect(report.signals.imageStats.every((s) => Math.abs(s.value) < params.monitor.image_stats_threshold)).toBe(true);
    expect(report.summary).toMatch(/^No drift: /);
  });

  it('in a mixed batch, the new-style objects are the least familiar on average', async () => {
    const mixed = [...newStyle.slice(0, 10), ...studio.slice(0, 10)];
    const p = { ...params, monitor: { ...params.monitor, unfamiliar: 20 } };
    const report = await computeDrift({
      ws,
      params: p,
      log: memoryLogger(),
      clock: fixedClock,
      reference: 'train',
      current: mixed.map((o) => o.id),
      dataset,
      annotations: null,
      embed,
    });
    const isNew = new Set(newStyle.map((o) => o.id));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const newer = mean(report.unfamiliar.filter((u) => isNew.has(u.id)).map((u) => u.distance));
    const older = mean(report.unfamiliar.filter((u) => !isNew.has(u.id)).map((u) => u.distance));
    expect(newer).toBeGreaterThan(older);
    expect(report.drifted).toBe(true);
  });

  it('is deterministic and written to drift.json with a history line per run', async () => {
    const a = await drift(newStyle);
    const b = await drift(newStyle);
    expect(b).toEqual(a);
    await writeDriftReport({ ws, report: a, commit: 'abc' });
    await writeDriftReport({ ws, report: await drift(studio), commit: 'def' });
    const written = JSON.parse(await readFile(path.join(ws.monitor, 'drift.json'), 'utf8')) as DriftReport;
    expect(written.schema).toBe('vitrine.drift/1');
    expect(written.drifted).toBe(false);
    const history = JSON.parse(await readFile(path.join(ws.monitor, 'history.json'), 'utf8')) as DriftHistory;
    expect(history.entries.map((e) => [e.commit, e.drifted])).toEqual([
      ['abc', true],
      ['def', false],
    ]);
    expect(history.entries[0]!.noveltyPValue).toBe(a.signals.novelty!.pValue);
  });
});
