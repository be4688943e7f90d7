import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { correctionRate, labelsAtCommit } from '../../pipeline/monitor/history.ts';

/*
 * Review s25 #2: monitoring read labels.csv with the dataset's line rule but without its vocabulary step. A line
 * whose label is outside the vocabulary ("DM-1,Coin (gold)" beside "DM-1,coin") is set aside by the dataset stage,
 * which keeps coin; monitoring made DM-1 unlabelled and counted a removed label. Failed before the fix.
 */

const author = { name: 'Curator', email: 'curator@example.org' };
let root: string;
let time = 1_700_000_000;

async function commit(message: string, files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) {
    await writeFile(path.join(root, name), text);
    await git.add({ fs, dir: root, filepath: name });
  }
  time += 60;
  return git.commit({ fs, dir: root, message, author: { ...author, timestamp: time, timezoneOffset: 0 } });
}

const params = (vocabulary: string[]) =>
  `collection:\n  name: Test Museum\n  vocabulary: [${vocabulary.map((l) => `"${l}"`).join(', ')}]\n`;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-monitor-vocab-'));
  await git.init({ fs, dir: root, defaultBranch: 'main' });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('labels.csv in the history, with the vocabulary of params.yaml at that commit', () => {
  it('a line outside the vocabulary beside a good one is set aside: no correction', async () => {
    const since = await commit('Labels', {
      'params.yaml': params(['coin', 'seal']),
      'labels.csv': 'object_id,label\nDM-1,coin\nDM-2,seal\n',
    });
    const head = await commit('A line outside the vocabulary', {
      'labels.csv': 'object_id,label\nDM-1,coin\nDM-2,seal\nDM-1,Coin (gold)\n',
    });
    expect(Object.fromEntries(await labelsAtCommit({ root, commit: head }))).toEqual({
      'DM-1': 'coin',
      'DM-2': 'seal',
    });
    const rate = await correctionRate({ root, since, modelVersion: 'v1' });
    expect([rate.changed, rate.added, rate.removed]).toEqual([0, 0, 0]);
    expect(rate.byCommit.map((c) => [c.changed, c.added, c.removed])).toEqual([[0, 0, 0]]);
  });

  it('reads each commit with its own vocabulary: a label added to it makes the two lines disagree', async () => {
    const since = await commit('Labels', {
      'params.yaml': params(['coin', 'seal']),
      'labels.csv': 'object_id,label\nDM-1,coin\nDM-2,seal\nDM-1,Coin (gold)\n',
    });
    await commit('Coin (gold) is a label now', { 'params.yaml': params(['coin', 'seal', 'Coin (gold)']) });
    expect((await labelsAtCommit({ root, commit: since })).get('DM-1')).toBe('coin');
    const rate = await correctionRate({ root, since, modelVersion: 'v1' });
    // As the dataset stage reads it now: DM-1's lines disagree, so it is unlabelled until one is left.
    expect([rate.changed, rate.added, rate.removed]).toEqual([0, 0, 1]);
  });
  it('reads the vocabulary as the dataset stage does: a no-break space between its words is a plain space', async () => {
    const since = await commit('Labels', {
      'params.yaml': params(['Epoche:\u00a0Neu', 'seal']),
      'labels.csv': 'object_id,label\nDM-1,Epoche: Neu\nDM-2,seal\n',
    });
    const head = await commit('A line outside the vocabulary', {
      'labels.csv': 'object_id,label\nDM-1,Epoche: Neu\nDM-2,seal\nDM-1,Epoche (neu)\n',
    });
    expect((await labelsAtCommit({ root, commit: head })).get('DM-1')).toBe('Epoche: Neu');
    const rate = await correctionRate({ root, since, modelVersion: 'v1' });
    expect([rate.changed, rate.added, rate.removed]).toEqual([0, 0, 0]);
  });
});
