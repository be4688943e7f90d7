import fs from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLabels, writeObjects } from '../../pipeline/collection/index.ts';
import { addData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { labelsLogWords } from '../../pipeline/stages/report.ts';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';
import { twelveObjects, VOCABULARY, versionedCollection, writeStageOutputs } from './fixture.ts';

/*
 * Tester T10: a pull request that renumbers DM-0011 as DM-1011 (the same photograph, its md5, and the same title) was
 * reported as "1 object leaves the catalogue: DM-0011" and "1 object newly labelled, 1 label removed". The comment
 * now says the renumbering, and the page at the old number says the new one (test/site/left-catalogue.test.ts).
 */

afterAll(removeTempDirs);

const { specs, objects, labels, params } = twelveObjects();

/** The base with every object; the head renumbers DM-0011 as DM-1011 (its photograph copied) and drops DM-0004. */
async function renumbered({
  photo = true,
  shared = false,
  relabel = false,
}: {
  photo?: boolean;
  shared?: boolean;
  relabel?: boolean;
} = {}) {
  const ws = await makeCollection({ objects, labels });
  // DM-0001 photographed with DM-0011 (one photograph of a set): it stays, with that photograph.
  if (shared) await copyFile(path.join(ws.data, 'images', 'DM-0011.png'), path.join(ws.data, 'images', 'DM-0001.png'));
  const { commitAll, baseCommit } = await versionedCollection({ ws });
  await git.branch({ fs, dir: ws.root, ref: 'renumber', checkout: true });
  const from = path.join(ws.data, 'images', 'DM-0011.png');
  // Another photograph (another object's): not the same object under a new number.
  await copyFile(photo ? from : path.join(ws.data, 'images', 'DM-0001.png'), path.join(ws.data, 'images/DM-1011.png'));
  const moved = object('DM-1011', 'images/DM-1011.png', { title: 'Object DM-0011' });
  const kept = objects.filter((o) => o.id !== 'DM-0011' && o.id !== 'DM-0004');
  await writeObjects({ file: ws.objects, objects: [...kept, moved] });
  const before = labels.find((l) => l.objectId === 'DM-0011')!.label;
  // Relabelled in the same pull request: another label of the vocabulary.
  const label = relabel ? VOCABULARY.find((l) => l !== before)! : before;
  const headLabels = labels.filter((l) => l.objectId !== 'DM-0011' && l.objectId !== 'DM-0004');
  await writeLabels({ file: ws.labels, labels: [...headLabels, { objectId: 'DM-1011', label }] });
  await addData({ root: ws.root, log: silentLogger });
  await commitAll('Renumber DM-0011 as DM-1011; deaccession DM-0004', 1);
  const head = specs
    .filter((s) => s.id !== 'DM-0011' && s.id !== 'DM-0004')
    .concat([{ ...specs.find((s) => s.id === 'DM-0011')!, id: 'DM-1011', label }]);
  await writeStageOutputs({ ws, objects: head, head: Object.fromEntries(head.map((s) => [s.id, s.label])), params });
  return buildReport({ ws, params, base: baseCommit, log: silentLogger, predict: async () => [] });
}

describe('an object renumbered in a pull request', () => {
  it('is said as renumbered (same photograph), not as one object leaving and another newly labelled', async () => {
    const { markdown, json } = await renumbered();
    expect(markdown).toContain('DM-0011 renumbered DM-1011 (same photograph)');
    const leaves = markdown.split('\n').find((l) => l.includes('leaves the catalogue'))!;
    expect(leaves).toContain('DM-0004');
    expect(leaves).not.toContain('DM-0011');
    expect(json.objectsRemoved?.objects.find((o) => o.id === 'DM-0011')).toMatchObject({ renumbered: 'DM-1011' });
    expect(markdown).not.toMatch(/1 object newly labelled/);
    expect(markdown).toContain('1 label kept by an object renumbered (see above), 1 label removed.');
    // The run's log counts it as the report does: once (task F1).
    expect(labelsLogWords(json)).toBe(', 1 label kept by an object renumbered and 1 label removed');
  });

  it('is said as renumbered in the rows of the label table too, not as a label removed and an object newly labelled', async () => {
    const { markdown } = await renumbered();
    const row = (id: string) => markdown.split('\n').find((l) => l.startsWith(`| ${id} (`))!;
    expect(row('DM-0011')).toContain('renumbered DM-1011');
    expect(row('DM-0011')).not.toContain('label removed');
    expect(row('DM-1011')).toContain('renumbered from DM-0011');
    expect(row('DM-1011')).not.toContain('newly labelled');
  });

  // Reviewer V18: relabelled as well, it was said as a label removed and an object newly labelled.
  it('is said as renumbered with its label changed when it is relabelled too, in the summary and its rows', async () => {
    const { markdown, json } = await renumbered({ relabel: true });
    const before = specs.find((s) => s.id === 'DM-0011')!.label;
    const after = VOCABULARY.find((l) => l !== before)!;
    expect(markdown).toContain('1 object renumbered and relabelled (see above), 1 label removed.');
    expect(labelsLogWords(json)).toBe(', 1 object renumbered and relabelled and 1 label removed');
    expect(markdown).not.toMatch(/newly labelled/);
    const row = (id: string) => markdown.split('\n').find((l) => l.startsWith(`| ${id} (`))!;
    expect(row('DM-0011')).toContain(`renumbered DM-1011: its label is now ${after}, on the new number's line`);
    expect(row('DM-0011')).not.toContain('label removed');
    // The new number's row: the label the object had under its old number, and the one it has now.
    expect(row('DM-1011')).toMatch(new RegExp(`\\| ${before} \\| ${after} \\| renumbered from DM-0011`));
  });

  it('another photograph under the new number is not a renumbering', async () => {
    const { markdown } = await renumbered({ photo: false });
    expect(markdown).not.toContain('renumbered');
    expect(markdown).toContain('**2 objects leave the catalogue:**');
  });

  // Reviewer V17 (MED): the photograph was counted only among the objects leaving and arriving.
  it('a photograph an object that stays shares is not a renumbering', async () => {
    const { markdown } = await renumbered({ shared: true });
    expect(markdown).not.toContain('renumbered');
    expect(markdown).toContain('**2 objects leave the catalogue:**');
  });
});
