import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoStyle } from '../../pipeline/demo/draw.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { EmbedImages } from '../../pipeline/monitor/drift.ts';
import { checkRetrain, monitorDrift } from '../../pipeline/monitor/run.ts';
import type { DriftHistory } from '../../pipeline/monitor/types.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { Dataset, DatasetObject } from '../../pipeline/types.ts';
import { demoDataset, smallParams } from './fixtures.ts';

/*
 * Reviewer V11: the objects added since the production model are judged on their own (new-since-model.test.ts), but
 * with one object added that judgement cannot be made (the classifier test needs 5 on each side), and the verdict
 * read "No drift" while the 60 unlabelled objects beside it, photographed in a new setup, drifted. With too few
 * objects added, the pool of them and the unlabelled ones is judged, as before, and the words say so; and drift
 * that was not measured is never read as "no drift" by the retraining decision.
 * A real git repository and the demo generator's drawings; the vectors are fixed (a hash of each image), not a
 * model: the image statistics see the new setup, and the words and verdicts are what is checked.
 */

const params = smallParams(); // 6 types × 4 training objects
const author = { name: 'Curator', email: 'curator@example.org', timezoneOffset: 0 };
const roots: string[] = [];

afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

/** Fixed vectors from each image's md5; `without` image keys get none. */
function fixedEmbed(without: Set<string> = new Set()): EmbedImages {
  return async ({ items }) => ({
    vectors: new Map(
      items
        .filter((i) => !without.has(i.key))
        .map((i) => [i.key, Float32Array.from(createHash('sha256').update(i.key).digest().subarray(0, 16))]),
    ),
    backbone: { id: 'fixed' },
  });
}

/** A collection whose model was promoted with the `old` objects there (unlabelled), then `added` objects came. */
async function collection({
  old,
  added,
}: {
  old: { count: number; style: DemoStyle } | null;
  added: { count: number; style: DemoStyle };
}): Promise<{ ws: Workspace; dataset: Dataset; base: DatasetObject[] }> {
  const ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-monitor-few-')));
  roots.push(ws.root);
  const demo = await demoDataset({ ws, params, batches: old ? [old, added] : [added] });
  const before = old ? demo.batches[0]! : [];
  let time = 1_700_000_000;
  const text = (objects: DatasetObject[]) =>
    `id,title,image\n${objects.map((o) => `${o.id},t,${o.image}`).join('\n')}\n`;
  const commit = async (message: string, files: Record<string, string>) => {
    for (const [file, content] of Object.entries(files)) {
      await writeFile(path.join(ws.root, file), content);
      await git.add({ fs, dir: ws.root, filepath: file });
    }
    time += 60;
    return git.commit({ fs, dir: ws.root, message, author: { ...author, timestamp: time } });
  };
  await git.init({ fs, dir: ws.root, defaultBranch: 'main' });
  const labels = `object_id,label\n${demo.base.map((o) => `${o.id},${o.label}`).join('\n')}\n`;
  const promoted = await commit('model', { 'labels.csv': labels, 'data/objects.csv': text([...demo.base, ...before]) });
  for (const ref of ['collection-classifier@v1.0.0', 'collection-classifier#prod#1'])
    await git.annotatedTag({
      fs,
      dir: ws.root,
      ref,
      object: promoted,
      message: ref,
      tagger: { ...author, timestamp: ++time },
    });
  await commit('new', { 'data/objects.csv': text([...demo.base, ...before, ...demo.batches.at(-1)!]) });
  return { ws, dataset: demo.dataset, base: demo.base };
}

const onDrift = { ...params, retrain: { ...params.retrain, on_drift: true, min_new_objects: 1000 } };

describe('monitoring with too few objects added since the production model to judge them alone', () => {
  it('judges one added object with the unlabelled objects already there, says so, and retrains on their drift', async () => {
    const { ws, dataset } = await collection({ old: { count: 60, style: 'new' }, added: { count: 1, style: 'new' } });
    const log = memoryLogger();
    const { report } = await monitorDrift({ ws, params, log, embed: fixedEmbed(), dataset });
    expect(report.current).toMatchObject({
      kind: 'new-and-unlabelled',
      count: 61,
      description:
        'the object added since v1.0.0 (too few to judge on its own: at least 5 are needed) with the 60 ' +
        'unlabelled objects already there',
    });
    expect(report.pooled).toBeUndefined();
    expect(report.drifted).toBe(true);
    expect(
      report.summary.startsWith(
        'Drift: the object added since v1.0.0 (too few to judge on its own: at least 5 are needed) with the 60 ' +
          'unlabelled objects already there (61) differ from the training objects of v1.0.0 (24): ',
      ),
      report.summary,
    ).toBe(true);
    expect(log.lines.map((l) => l.message)).toContain(
      'Only 1 object was added since v1.0.0, too few to judge on its own (at least 5 are needed): comparing it ' +
        'with the 60 unlabelled objects already there (61 in all) and 24 reference objects.',
    );
    // The history line says which group was judged.
    const history = JSON.parse(await readFile(path.join(ws.monitor, 'history.json'), 'utf8')) as DriftHistory;
    expect(history.entries.at(-1)).toMatchObject({ currentKind: 'new-and-unlabelled', currentCount: 61 });

    const decision = await checkRetrain({ ws, params: onDrift, log: memoryLogger(), embed: fixedEmbed(), dataset });
    expect(decision.retrain).toBe(true);
    expect(decision.drifted).toBe(true);
    expect(decision.newObjects).toBe(1);
    expect(decision.summaryLine).toContain('The new objects look different from the training data');
  }, 120_000);

  it('says drift was not measured, never no drift, when there is nothing else to judge the one object with', async () => {
    const { ws, dataset } = await collection({ old: null, added: { count: 1, style: 'new' } });
    const log = memoryLogger();
    const decision = await checkRetrain({ ws, params: onDrift, log, embed: fixedEmbed(), dataset });
    expect(decision.report).toBeNull();
    expect(decision.retrain).toBe(false);
    expect(decision.summaryLine).toContain('drift not measured');
    expect(decision.summaryLine).not.toContain('no drift');
    expect(log.lines.map((l) => l.message)).toContain(
      'Drift is not measured: there are fewer than two objects to compare since v1.0.0 (1 added, none unlabelled).',
    );
  }, 120_000);

  it('judges 5 added objects on their own, with the pool beside, each note said once, the group in the history', async () => {
    const { ws, dataset, base } = await collection({
      old: { count: 30, style: 'studio' },
      added: { count: 5, style: 'new' },
    });
    // An older history line, written before the group was recorded, is kept as it was.
    const old = {
      schema: 'vitrine.drift-history/1',
      entries: [{ createdAt: '2026-01-01T00:00:00.000Z', drifted: false }],
    };
    await fs.promises.mkdir(ws.monitor, { recursive: true });
    await writeFile(path.join(ws.monitor, 'history.json'), JSON.stringify(old));
    const log = memoryLogger();
    // One training object has no embedding: both comparisons leave it out, and that is said once.
    const embed = fixedEmbed(new Set([base[0]!.imageMd5]));
    const { report } = await monitorDrift({ ws, params, log, embed, dataset });
    expect(report.current).toMatchObject({ kind: 'added-since', count: 5 });
    expect(report.pooled!.current).toMatchObject({ kind: 'new-and-unlabelled', count: 35 });
    const said = log.lines.map((l) => l.message);
    expect(
      said.filter((m) => m.includes('no embedding')),
      said.join('\n'),
    ).toEqual(['1 object(s) have no embedding and are left out of the embedding comparison.']);
    const history = JSON.parse(await readFile(path.join(ws.monitor, 'history.json'), 'utf8')) as DriftHistory;
    expect(history.entries).toHaveLength(2);
    expect(history.entries[0]).toEqual(old.entries[0]);
    expect(history.entries[1]).toMatchObject({ currentKind: 'added-since', currentCount: 5 });
  }, 120_000);
});
