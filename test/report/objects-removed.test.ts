import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLabels, writeObjects } from '../../pipeline/collection/index.ts';
import { readDvcConfig } from '../../pipeline/data/config.ts';
import { addData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { removedObjectsSection } from '../../pipeline/report/removed-objects.ts';
import type { CollectionObject } from '../../pipeline/types.ts';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';
import { type ObjectSpec, VOCABULARY, versionedCollection, writeStageOutputs } from './fixture.ts';

/*
 * Outside tester, after the README walkthrough: a row deleted from data/objects.csv (an object with a label and a
 * published page) was not in the pull-request comment, only in the log ("labels.csv:10: there is no object"). Its page
 * leaves the catalogue on merge, and GitHub's diff shows nothing: data/objects.csv is in the DVC cache, not in git.
 * A real repository with data.dvc and its cache: the base has twelve objects, the head deletes rows.
 */

afterAll(removeTempDirs);

const ids = Array.from({ length: 12 }, (_, i) => `DM-${String(i + 1).padStart(4, '0')}`);
const specs: ObjectSpec[] = ids.map((id, i) => ({
  id,
  title: id === 'DM-0003' ? 'Mask <b>|*loud*|</b>' : `Object ${id}`,
  label: VOCABULARY[i % VOCABULARY.length]!,
  split: (['train', 'validation', 'test'] as const)[i % 3]!,
}));
const objects: CollectionObject[] = specs.map((s) => object(s.id, `images/${s.id}.png`, { title: s.title }));
const labels = specs.map((s) => ({ objectId: s.id, label: s.label }));
const params = validateParams({ raw: { collection: { vocabulary: VOCABULARY } } });

/** The base with every object; the head without the rows of `removed` (and without the label lines of `unlabel`). */
async function collection({
  removed,
  unlabel = [],
  repeated = [],
  record = true,
}: {
  removed: string[];
  unlabel?: string[];
  /** Rows added again to the head's table (a repeated id: the dataset stage keeps the first). */
  repeated?: CollectionObject[];
  /** Whether the edit is recorded with "data add" (a local run may come before it). */
  record?: boolean;
}) {
  const ws = await makeCollection({ objects, labels });
  const dir = ws.root;
  const { commitAll, baseCommit } = await versionedCollection({ ws });
  await git.branch({ fs, dir, ref: 'tidy', checkout: true });
  await writeObjects({ file: ws.objects, objects: [...objects.filter((o) => !removed.includes(o.id)), ...repeated] });
  await writeLabels({ file: ws.labels, labels: labels.filter((l) => !unlabel.includes(l.objectId)) });
  if (record) await addData({ root: dir, log: silentLogger });
  await commitAll('Tidy the objects table', 1);
  const kept = specs.filter((s) => !removed.includes(s.id));
  await writeStageOutputs({ ws, objects: kept, head: Object.fromEntries(kept.map((s) => [s.id, s.label])), params });
  return { ws, baseCommit };
}

const report = (ws: Awaited<ReturnType<typeof collection>>['ws'], base: string) =>
  buildReport({ ws, params, base, log: silentLogger, predict: async () => [] });

describe('objects that leave the catalogue', () => {
  it('a deleted row is said near the top, with its title and that its label stays; report.json has it', async () => {
    const { ws, baseCommit } = await collection({ removed: ['DM-0010'] });
    const { markdown, json } = await report(ws, baseCommit);
    expect(json.objectsRemoved).toEqual({
      objects: [{ id: 'DM-0010', title: 'Object DM-0010', labelled: true }],
    });
    const line = markdown.split('\n').find((l) => l.includes('leaves the catalogue'))!;
    expect(line).toBe(
      '**1 object leaves the catalogue:** DM-0010 “Object DM-0010” (its row was removed from data/objects.csv; ' +
        'its label stays in labels.csv). If that was not meant, put the row back.',
    );
    // Near the top: before the gate and the label table.
    expect(markdown.indexOf(line)).toBeLessThan(markdown.indexOf('### Promotion gate'));
  });

  it('many are named up to a few, the rest counted; titles are escaped; labels removed too are not said to stay', async () => {
    const removed = ['DM-0001', 'DM-0002', 'DM-0003', 'DM-0004', 'DM-0005', 'DM-0006', 'DM-0007'];
    const { ws, baseCommit } = await collection({ removed, unlabel: ['DM-0001', 'DM-0002', 'DM-0003'] });
    const { markdown, json } = await report(ws, baseCommit);
    expect(json.objectsRemoved?.objects.map((o) => [o.id, o.labelled])).toEqual(removed.map((id, i) => [id, i >= 3]));
    const line = markdown.split('\n').find((l) => l.includes('leave the catalogue'))!;
    expect(line).toContain('**7 objects leave the catalogue:** DM-0001 “Object DM-0001”, DM-0002 “Object DM-0002”, ');
    expect(line).toContain('DM-0005 “Object DM-0005” and 2 more (their rows were removed from data/objects.csv; ');
    expect(line).toContain('the labels of 4 of them stay in labels.csv). If that was not meant, put the rows back.');
    expect(line).not.toContain('<b>');
    expect(line).toContain('Mask &lt;b&gt;');
  });

  it('is said also when the table has a repeated id, which the dataset stage accepts (a reviewer)', async () => {
    const again = object('DM-0001', 'images/DM-0001.png', { title: 'Object DM-0001, again' });
    const { ws, baseCommit } = await collection({ removed: ['DM-0010'], repeated: [again] });
    const { json } = await report(ws, baseCommit);
    expect(json.objectsRemoved?.objects.map((o) => o.id)).toEqual(['DM-0010']);
  });

  it('is said for a row deleted here before "data add" records it, as the dataset stage reads it (a reviewer)', async () => {
    const { ws, baseCommit } = await collection({ removed: ['DM-0010'], record: false });
    const { json } = await report(ws, baseCommit);
    expect(json.objectsRemoved?.objects.map((o) => o.id)).toEqual(['DM-0010']);
  });

  it('nothing is said when no row was deleted', async () => {
    const { ws, baseCommit } = await collection({ removed: [] });
    const { markdown, json } = await report(ws, baseCommit);
    expect(json.objectsRemoved).toEqual({ objects: [] });
    expect(markdown).not.toContain('the catalogue:**');
  });

  it('without the base in the DVC cache the comparison is left out, not guessed', async () => {
    const { ws, baseCommit } = await collection({ removed: ['DM-0010'] });
    const { cacheDir } = await readDvcConfig({ root: ws.root });
    await rm(cacheDir, { recursive: true, force: true });
    const { markdown, json } = await report(ws, baseCommit);
    expect(json.objectsRemoved).toBeUndefined();
    expect(markdown).not.toContain('leaves the catalogue');
  });

  it('the section alone: one object without a title or a label', () => {
    expect(removedObjectsSection({ objects: [{ id: 'X-1', title: '', labelled: false }] })).toBe(
      '**1 object leaves the catalogue:** X-1 (its row was removed from data/objects.csv). ' +
        'If that was not meant, put the row back.',
    );
    expect(removedObjectsSection({ objects: [] })).toBe('');
    expect(removedObjectsSection(null)).toBe('');
  });
});
