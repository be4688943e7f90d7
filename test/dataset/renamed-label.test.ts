import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetFile } from '../../pipeline/dataset/build.ts';
import { analyseShard } from '../../pipeline/dataset/shard.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { gitIn } from '../fixtures/git.ts';
import { makeCollection, object, removeTempDirs } from './fixtures.ts';

/*
 * An outside tester, 2026-12-06: a branch renamed "Mounted bird" to "Bird mount" (params.yaml and labels.csv), another
 * branch made from main before it relabelled Z-ENT-000019 "Mounted bird". Merged in that order (no git conflict), the
 * run on main only warned 'labels.csv:104: "Mounted bird" is not one of the labels of this collection', left the
 * staff correction out, promoted a model and published the object under the old name. The old name of a renamed
 * label is said as such, with the commit that renamed it, and the dataset stops, as for a typo in the vocabulary:
 * the line is right but for the name, and going on would drop it and publish it under a name no longer used.
 */

afterAll(removeTempDirs);

const ids = Array.from({ length: 16 }, (_, i) => `DM-${String(i + 1).padStart(4, '0')}`);
// Masks only near the top: the relabel at the end is a line git merges without a conflict.
const labelOf = (i: number) => (i < 9 ? ['coin', 'mask', 'vessel'][i % 3]! : i % 2 ? 'coin' : 'vessel');

const paramsText = (vocabulary: string[], onInvalid?: string) =>
  [
    'collection:',
    '  name: Test Museum',
    '  vocabulary:',
    ...vocabulary.map((v) => `    - ${v}`),
    'dataset:',
    '  min_test_per_class: 0',
    ...(onInvalid ? [`  on_invalid: ${onInvalid}`] : []),
    '  thumbnails:',
    '    widths: [32]',
    '',
  ].join('\n');

const labelsText = (labels: string[]) => `object_id,label\n${ids.map((id, i) => `${id},${labels[i]}`).join('\n')}\n`;

/**
 * main with coin, mask, vessel; branch "rename-label" renames "mask" to "Face mask"; branch "relabel", made from main
 * before it, relabels DM-0016 (a coin) "mask". Both merged into main in that order.
 */
async function mergedCollection(onInvalid?: string): Promise<{ ws: Workspace; renameCommit: string }> {
  const before = ids.map((_, i) => labelOf(i));
  const ws = await makeCollection({ objects: ids.map((id) => object(id)), labelsText: labelsText(before) });
  const git = gitIn({ root: ws.root });
  await writeFile(ws.params, paramsText(['coin', 'mask', 'vessel'], onInvalid));
  await writeFile(path.join(ws.root, '.gitignore'), 'data/\n.vitrine/\n');
  git('init', '-q', '-b', 'main');
  git('add', '.gitignore', 'labels.csv', 'params.yaml');
  git('commit', '-q', '-m', 'Start');
  git('checkout', '-q', '-b', 'rename-label');
  await writeFile(ws.params, paramsText(['coin', 'Face mask', 'vessel'], onInvalid));
  await writeFile(ws.labels, labelsText(before.map((l) => (l === 'mask' ? 'Face mask' : l))));
  git('commit', '-q', '-am', 'Rename mask');
  const renameCommit = git('rev-parse', 'HEAD').trim();
  git('checkout', '-q', 'main');
  git('checkout', '-q', '-b', 'relabel');
  await writeFile(ws.labels, labelsText(before.map((l, i) => (i === 15 ? 'mask' : l))));
  git('commit', '-q', '-am', 'Correct DM-0016');
  git('checkout', '-q', 'main');
  git('merge', '-q', '--no-edit', 'rename-label');
  git('merge', '-q', '--no-edit', 'relabel');
  return { ws, renameCommit };
}

async function runDataset(ws: Workspace) {
  const log = memoryLogger();
  const params = await loadParams({ file: ws.params });
  const error = await datasetStage.run({ ws, params, log, clock: systemClock, env: {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, log };
}

describe('a line of labels.csv with the old name of a renamed label', () => {
  for (const onInvalid of [undefined, 'fail']) {
    const setting = onInvalid ?? 'unset';
    it(`stops the dataset on main, naming the line, the new name and the renaming commit (on_invalid: ${setting})`, async () => {
      const { ws, renameCommit } = await mergedCollection(onInvalid);
      // The merge kept the relabel: line 17 is DM-0016's, with the old name.
      const { error } = await runDataset(ws);
      expect(isVitrineError(error, 'LABEL_RENAMED')).toBe(true);
      const message = (error as Error).message;
      expect(message.split('\n')[0]).toBe(
        `labels.csv:17: "mask" was renamed "Face mask" in params.yaml by commit ${renameCommit.slice(0, 12)} ` +
          '(“Rename mask”): did you mean "Face mask"? Write "Face mask" on that line (object "DM-0016").',
      );
      expect(message).toContain('run "npx vitrine run dataset" again');
      expect((error as { data?: unknown }).data).toMatchObject({ file: 'labels.csv', line: 17 });
      // Stopped before any dataset was written: nothing to train, promote or publish from.
      await expect(access(datasetFile(ws))).rejects.toThrow();
    });
  }

  it('a label taken out of the vocabulary without a rename stays a warning, with no rename named', async () => {
    const { ws } = await mergedCollection();
    const git = gitIn({ root: ws.root });
    // "vessel" taken out: its objects relabelled coin and mask, half each; DM-0001 still says vessel.
    const now = ids.map((_, i) => (labelOf(i) === 'vessel' ? (i % 2 ? 'coin' : 'Face mask') : labelOf(i)));
    now[0] = 'vessel';
    await writeFile(ws.labels, labelsText(now.map((l) => (l === 'mask' ? 'Face mask' : l))));
    await writeFile(ws.params, paramsText(['coin', 'Face mask']));
    git('commit', '-q', '-am', 'No more vessels');
    const { error, log } = await runDataset(ws);
    expect(error).toBeUndefined();
    // Nor does a shard job stop on it.
    await expect(runShard(ws)).resolves.toMatchObject({ total: ids.length });
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings.join('\n')).toContain(
      'labels.csv:2: "vessel" is not one of the labels of this collection, and only 1 object has it',
    );
    expect(warnings.join('\n')).not.toContain('renamed');
  });

  // The path for large collections: each shard job ("vitrine run --shard i/n") reads the tables itself and embeds its
  // share of the training images before the final job builds the dataset. It stopped on nothing: the embeddings were
  // made and sent with the old name read as no label, and only the final job told the staff.
  for (const onInvalid of [undefined, 'fail']) {
    it(`stops a shard job with the same words as the dataset stage (on_invalid: ${onInvalid ?? 'unset'})`, async () => {
      const { ws, renameCommit } = await mergedCollection(onInvalid);
      const { error: expected } = await runDataset(ws);
      const error = await runShard(ws).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isVitrineError(error, 'LABEL_RENAMED')).toBe(true);
      expect((error as Error).message).toBe((expected as Error).message);
      expect((error as Error).message).toContain(`by commit ${renameCommit.slice(0, 12)}`);
      expect((error as { data?: unknown }).data).toEqual((expected as { data?: unknown }).data);
    });
  }
});

async function runShard(ws: Workspace) {
  const params = await loadParams({ file: ws.params });
  return analyseShard({ ws, params, log: memoryLogger(), jobs: 1, shard: { index: 1, count: 1 } });
}

// A shard job checks the tables as the dataset stage does, in the same order: the earlier checks stopped the dataset
// stage with their own words while every shard job read, embedded and sent its share.
describe('a shard job stops where the dataset stage stops, with the same error', () => {
  async function bothErrors(ws: Workspace) {
    const { error: expected } = await runDataset(ws);
    const error = await runShard(ws).then(
      () => undefined,
      (e: unknown) => e,
    );
    type Stopped = { code?: string; message?: string; data?: unknown } | undefined;
    return { expected: expected as Stopped, error: error as Stopped };
  }

  it('a typo in the vocabulary of params.yaml (before the renamed label)', async () => {
    const { ws } = await mergedCollection();
    await writeFile(ws.params, paramsText(['coin', 'Face mask', 'vesel']));
    const { expected, error } = await bothErrors(ws);
    expect(expected?.code).toBe('VOCABULARY_TYPO');
    expect(error?.code).toBe('VOCABULARY_TYPO');
    expect(error?.message).toBe(expected?.message);
    expect(error?.data).toEqual(expected?.data);
  });

  it('an emptied labels.csv', async () => {
    const { ws } = await mergedCollection();
    await writeFile(ws.labels, 'object_id,label\n');
    const { expected, error } = await bothErrors(ws);
    expect(expected?.code).toMatch(/^[A-Z_]+$/);
    expect(error?.code).toBe(expected?.code);
    expect(error?.message).toBe(expected?.message);
    expect(error?.data).toEqual(expected?.data);
  });
});
