import fs from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monitoringFor, readMonitoring } from '../../pipeline/catalogue/monitoring.ts';
import { monitoringSchema } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { EmbedImages } from '../../pipeline/monitor/drift.ts';
import { resolveCommit } from '../../pipeline/monitor/history.ts';
import { monitorDrift } from '../../pipeline/monitor/run.ts';
import type { DriftHistory } from '../../pipeline/monitor/types.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { Dataset, DatasetObject } from '../../pipeline/types.ts';

/*
 * Task D5, 3: a run of `vitrine monitor --reference <ref>` judges the objects added since <ref>, not since the model,
 * but its history line said only `currentKind: added-since`, so the Monitoring page said "Objects added since the
 * model" for it and joined it to the checks against the model. The line now records the reference, and the page names
 * it ("objects added since spring-2026"), each reference its own group.
 */

const author = { name: 'Curator', email: 'curator@example.org' };
let ws: Workspace;
let time = 1_700_000_000;

beforeEach(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-history-reference-')));
  await git.init({ fs, dir: ws.root, defaultBranch: 'main' });
});
afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

async function commit(message: string, files: Record<string, string>): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws.root, file)), { recursive: true });
    await writeFile(path.join(ws.root, file), content);
    await git.add({ fs, dir: ws.root, filepath: file });
  }
  time += 60;
  return git.commit({ fs, dir: ws.root, message, author: { ...author, timestamp: time, timezoneOffset: 0 } });
}

async function tag(name: string, oid: string): Promise<void> {
  time += 1;
  await git.annotatedTag({
    fs,
    dir: ws.root,
    ref: name,
    object: oid,
    message: name,
    tagger: { ...author, timestamp: time, timezoneOffset: 0 },
  });
}

const objectsText = (ids: string[]) =>
  `id,title,image\n${ids.map((id) => `${id},Object ${id},images/${id}.png`).join('\n')}\n`;
const oldIds = Array.from({ length: 10 }, (_, i) => `R${i}`);
const newIds = ['N0', 'N1', 'N2', 'N3', 'N4', 'N5'];
const labels = `object_id,label\n${oldIds.map((id, i) => `${id},${i % 2 ? 'coin' : 'mask'}`).join('\n')}\n`;

// Vectors by object: the new objects point elsewhere.
const embed: EmbedImages = async ({ items }) => ({
  vectors: new Map(
    items.map((item) => {
      const id = item.key.slice(2);
      const n = Number(id.slice(1));
      return [item.key, Float32Array.from(id.startsWith('N') ? [0.1 * n, 5, 1] : [5, 0.3 * n, 1])];
    }),
  ),
  backbone: { id: 'fixed' },
});

/** A promoted model and the tag spring-2026 on the first commit; six objects added in the second. */
async function setup(): Promise<Dataset> {
  const first = await commit('first model', { 'labels.csv': labels, 'data/objects.csv': objectsText(oldIds) });
  await tag('collection-classifier@v1.0.0', first);
  await tag('collection-classifier#prod#1', first);
  await tag('spring-2026', first);
  await commit('new acquisitions', { 'data/objects.csv': objectsText([...oldIds, ...newIds]) });
  await mkdir(ws.images, { recursive: true });
  for (const [i, id] of [...oldIds, ...newIds].entries())
    await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 20 + i * 9, g: 90, b: 120 } } })
      .png()
      .toFile(path.join(ws.images, `${id}.png`));
  const objects = [...oldIds, ...newIds].map(
    (id, i) =>
      ({
        id,
        title: `Object ${id}`,
        image: `images/${id}.png`,
        imageMd5: `m-${id}`,
        width: 32,
        height: 32,
        label: id.startsWith('R') ? (i % 2 ? 'coin' : 'mask') : null,
        split: id.startsWith('R') ? 'train' : 'test',
      }) as DatasetObject,
  );
  return {
    schema: 'vitrine.dataset/1',
    labels: ['coin', 'mask'],
    objects,
    issues: [],
    counts: { objects: objects.length, labelled: 0, bySplit: { train: 0, validation: 0, test: 0 }, byLabel: {} },
  };
}

describe('a monitoring run against a reference of its own', () => {
  it('records the reference in its history line; a run against the model records none', async () => {
    const dataset = await setup();
    const params = defaultParams();
    params.monitor.permutations = 50;
    await monitorDrift({ ws, params, log: memoryLogger(), embed, dataset, reference: 'spring-2026' });
    await monitorDrift({ ws, params, log: memoryLogger(), embed, dataset });
    const history = JSON.parse(await readFile(path.join(ws.monitor, 'history.json'), 'utf8')) as DriftHistory;
    expect(history.entries.map((e) => [e.currentKind, e.reference])).toEqual([
      ['added-since', 'spring-2026'],
      ['added-since', undefined],
    ]);
    expect('reference' in history.entries[1]!).toBe(false);
  });

  it('records the commit the reference pointed to, so a branch that moved is not read as the same objects', async () => {
    const dataset = await setup();
    const params = defaultParams();
    params.monitor.permutations = 50;
    const pointed = await resolveCommit({ root: ws.root, ref: 'spring-2026' });
    await monitorDrift({ ws, params, log: memoryLogger(), embed, dataset, reference: 'spring-2026' });
    await monitorDrift({ ws, params, log: memoryLogger(), embed, dataset });
    const history = JSON.parse(await readFile(path.join(ws.monitor, 'history.json'), 'utf8')) as DriftHistory;
    expect(pointed).toMatch(/^[0-9a-f]{40}$/);
    expect(history.entries.map((e) => e.referenceCommit)).toEqual([pointed, undefined]);
    expect('referenceCommit' in history.entries[1]!).toBe(false);
  });
});

const line = (day: string, kind?: string, reference?: string, referenceCommit?: string) => ({
  createdAt: `2026-12-${day}T08:00:00Z`,
  modelVersion: 'v1.0.0',
  commit: null,
  referenceCount: 24,
  currentCount: 12,
  ...(kind ? { currentKind: kind } : {}),
  ...(reference ? { reference } : {}),
  ...(referenceCommit ? { referenceCommit } : {}),
  noveltyIncrease: 0.3,
  unusualShare: 0.1,
  drifted: false,
  driftedSignals: [],
});

async function pageHistory(entries: object[]) {
  await mkdir(ws.monitor, { recursive: true });
  await writeFile(
    path.join(ws.monitor, 'history.json'),
    JSON.stringify({ schema: 'vitrine.drift-history/1', entries }),
  );
  const inputs = await readMonitoring({ ws, log: memoryLogger() });
  const m = monitoringFor({ inputs, version: 'v1.0.0', current: true, objects: new Map(), params: defaultParams() })!;
  expect(monitoringSchema.parse(m)).toEqual(m);
  return m.history!;
}

describe('the Monitoring page, of runs against a reference of their own', () => {
  it('says the objects added since that reference, a group of its own apart from the checks against the model', async () => {
    const h = await pageHistory([
      line('01', 'added-since'),
      line('02', 'added-since', 'spring-2026'),
      line('03', 'added-since', 'spring-2026'),
      line('04'),
    ]);
    expect(h.runs.map((r) => r.group)).toEqual(['added-since', 'reference-1', 'reference-1', 'unknown']);
    expect(h.groups).toEqual([
      { key: 'added-since', name: 'objects added since the model' },
      { key: 'reference-1', name: 'objects added since spring-2026' },
      { key: 'unknown', name: 'objects not known, as the check did not record which' },
    ]);
  });

  it('gives each reference its own group, and a full commit id its first 7 characters', async () => {
    const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4';
    const h = await pageHistory([line('01', 'added-since', sha), line('02', 'added-since', 'main')]);
    expect(h.groups).toEqual([
      { key: 'reference-1', name: 'objects added since e3b0c44' },
      { key: 'reference-2', name: 'objects added since main' },
    ]);
  });

  it('tells apart runs against a branch that moved, by the commit it pointed to, and names that commit', async () => {
    const a = 'aaaaaaa1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const b = 'bbbbbbb2bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    const h = await pageHistory([
      line('01', 'added-since', 'main'),
      line('02', 'added-since', 'main', a),
      line('03', 'added-since', 'main', a),
      line('04', 'added-since', 'main', b),
      line('05', 'added-since', 'HEAD~5', b),
      line('06', 'added-since', a, a),
      line('07', 'added-since', 'bbbbbbb', b),
    ]);
    // An old line (no commit kept) stays a group of its own, named as typed.
    expect(h.runs.map((r) => r.group)).toEqual([
      'reference-1',
      'reference-2',
      'reference-2',
      'reference-3',
      'reference-3',
      'reference-2',
      'reference-3',
    ]);
    expect(h.groups).toEqual([
      { key: 'reference-1', name: 'objects added since main' },
      { key: 'reference-2', name: 'objects added since main (aaaaaaa)' },
      { key: 'reference-3', name: 'objects added since main (bbbbbbb)' },
    ]);
  });

  it('names a commit typed as such once, not twice', async () => {
    const a = 'aaaaaaa1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const h = await pageHistory([line('01', 'added-since', a, a), line('02', 'added-since', 'aaaaaaa1', a)]);
    expect(h.groups).toEqual([{ key: 'reference-1', name: 'objects added since aaaaaaa' }]);
  });
});
