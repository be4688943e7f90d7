import fs from 'node:fs';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { writeObjects } from '../../pipeline/collection/index.ts';
import { addData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { makeCollection, removeTempDirs } from '../dataset/fixtures.ts';
import { twelveObjects, versionedCollection, writeStageOutputs } from './fixture.ts';

/*
 * Reviewer V34 H1: a pull request that only adds a zero-width space to DM-0010's id in data/objects.csv (labels.csv
 * keeps "DM-0010,print") was said as "DM-0010 renumbered DM-0010​ (same photograph)": the dataset stage refuses
 * that id (OBJECT_ID_UNSEEN_CHARACTER), so the object leaves the catalogue and its label is not used. The comment
 * now says so, with the character by its code, and claims no renumbering.
 */

afterAll(removeTempDirs);

const { specs, objects, labels, params } = twelveObjects();

/** The base with every object; the head writes `to` for DM-0010's id in data/objects.csv only. */
async function idChanged(to: string) {
  const ws = await makeCollection({ objects, labels });
  const { commitAll, baseCommit } = await versionedCollection({ ws });
  await git.branch({ fs, dir: ws.root, ref: 'zw', checkout: true });
  await writeObjects({ file: ws.objects, objects: objects.map((o) => (o.id === 'DM-0010' ? { ...o, id: to } : o)) });
  await addData({ root: ws.root, log: silentLogger });
  await commitAll('Paste an id', 1);
  // The dataset stage leaves the refused row out.
  const head = specs.filter((s) => s.id !== 'DM-0010');
  await writeStageOutputs({ ws, objects: head, head: Object.fromEntries(head.map((s) => [s.id, s.label])), params });
  return buildReport({ ws, params, base: baseCommit, log: silentLogger, predict: async () => [] });
}

describe('an id of data/objects.csv the dataset stage refuses', () => {
  it('is said as leaving the catalogue for the character its id now holds, named by its code, not as renumbered', async () => {
    const { markdown, json } = await idChanged('DM-0010\u200b');
    expect(markdown).not.toContain('renumbered');
    const line = markdown.split('\n').find((l) => l.includes('DM-0010'))!;
    expect(line).toContain('leaves the catalogue');
    expect(line).toContain('DM-0010⟨U+200B⟩');
    expect(line).toContain('no id may hold');
    expect(line).toContain('its label in labels.csv is not used');
    expect(line).not.toContain('removed from data/objects.csv');
    // (The report writes one itself after an @, so that GitHub does not read a mention.)
    expect(markdown).not.toContain('DM-0010\u200b');
    expect(json.objectsRemoved?.objects).toEqual([
      { id: 'DM-0010', title: 'Object DM-0010', labelled: true, refusedAs: 'DM-0010\u200b' },
    ]);
  });

  it('a right-to-left override in the id is named by its code and never printed', async () => {
    const { markdown } = await idChanged('DM-\u202e0010');
    expect(markdown).not.toContain('renumbered');
    expect(markdown).toContain('DM-⟨U+202E⟩0010');
    expect(markdown).not.toMatch(/\u202e/);
  });

  // (One at either end is trimmed as the cell is read: the same id.)
  it('a no-break space inside the id is named by its code too', async () => {
    const { markdown } = await idChanged('DM-00\u00a010');
    expect(markdown).not.toContain('renumbered');
    expect(markdown).toContain('(now DM-00⟨U+00A0⟩10; its label in labels.csv is not used)');
  });
});
