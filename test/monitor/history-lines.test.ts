import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { correctionRate, labelsAtCommit, labelsChangedSince } from '../../pipeline/monitor/history.ts';

/*
 * Session 5: monitoring read labels.csv at each commit into a plain map, so of an object's two lines the last one
 * won (the dataset stage leaves an object whose lines disagree unlabelled), and a line left half-written in one
 * commit of the history, mended in the next, stopped `vitrine monitor` for good with an error that named neither the
 * commit nor a way out.
 */

const author = { name: 'Curator', email: 'curator@example.org' };
let root: string;
let time = 1_700_000_000;

async function commit(message: string, labels: string): Promise<string> {
  await writeFile(path.join(root, 'labels.csv'), labels);
  await git.add({ fs, dir: root, filepath: 'labels.csv' });
  time += 60;
  return git.commit({ fs, dir: root, message, author: { ...author, timestamp: time, timezoneOffset: 0 } });
}

const rows = (labels: [string, string][]) => `object_id,label\n${labels.map(([id, l]) => `${id},${l}`).join('\n')}\n`;
const base: [string, string][] = Array.from({ length: 10 }, (_, i) => [`R${i}`, i % 2 ? 'coin' : 'mask']);
const relabel = (id: string, label: string): [string, string][] => base.map(([i, l]) => [i, i === id ? label : l]);

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-monitor-lines-'));
  await git.init({ fs, dir: root, defaultBranch: 'main' });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('labels.csv in the history, read as the dataset stage reads it', () => {
  it('an object on two lines that disagree is unlabelled, not labelled by the last line', async () => {
    const since = await commit('Labels', rows(base));
    // R1 was a coin; a second line says mask: the dataset stage leaves R1 unlabelled until one line is left.
    const head = await commit('A second line for R1', rows([...base, ['R1', 'mask']]));
    expect((await labelsAtCommit({ root, commit: head })).has('R1')).toBe(false);
    expect(await labelsChangedSince({ root, since })).toEqual({ changed: 0, added: 0, removed: 1, ids: [] });
    // The same label twice is that label: nothing changed.
    await commit('R3 twice', rows([...base, ['R3', 'coin']]));
    expect(await labelsChangedSince({ root, since })).toEqual({ changed: 0, added: 0, removed: 0, ids: [] });
  });

  it('an id saved with its accent encoded another way (as a Mac saves text) is the same object, not one more', async () => {
    const composed = 'Pièce-1'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    const since = await commit('Labels', rows([...base, [composed, 'coin']]));
    await commit('Saved on a Mac', rows([...base, [decomposed, 'coin']]));
    expect(await labelsChangedSince({ root, since })).toEqual({ changed: 0, added: 0, removed: 0, ids: [] });
    await commit('Relabelled on a Mac', rows([...base, [decomposed, 'mask']]));
    expect(await labelsChangedSince({ root, since })).toEqual({ changed: 1, added: 0, removed: 0, ids: [composed] });
    // Its two lines, one in each form, are one object’s lines: they disagree, so it is unlabelled, as in the dataset.
    const head = await commit('Both forms', rows([...base, [composed, 'coin'], [decomposed, 'mask']]));
    const labels = await labelsAtCommit({ root, commit: head });
    expect([labels.has(composed), labels.has(decomposed), labels.size]).toEqual([false, false, 10]);
    const rate = await correctionRate({ root, since, modelVersion: 'v1.0.0' });
    expect([rate.changed, rate.added, rate.removed, rate.labelled]).toEqual([0, 0, 1, 10]);
  });

  it('an empty label cell beside a label leaves the object unlabelled, as in the dataset', async () => {
    const since = await commit('Labels', rows(base));
    await commit('R1 emptied on a copied line', rows([...base, ['R1', '']]));
    expect(await labelsChangedSince({ root, since })).toEqual({ changed: 0, added: 0, removed: 1, ids: [] });
  });

  it('a line half-written in one commit and mended in the next: said with its commit and line, the rest counted', async () => {
    const since = await commit('Labels', rows(base));
    const broken = await commit('Half-written', `${rows(relabel('R5', 'mask'))}R7\n`);
    await commit('Mended', rows(relabel('R5', 'mask')));
    await commit('R7 corrected', rows([...relabel('R5', 'mask')].map(([i, l]) => [i, i === 'R7' ? 'mask' : l])));
    const log = memoryLogger();
    const rate = await correctionRate({ root, since, modelVersion: 'v1.0.0', log });
    expect([rate.changed, rate.added, rate.removed]).toEqual([2, 0, 0]);
    expect(rate.byCommit.map((c) => [c.message, c.changed])).toEqual([['R7 corrected', 1]]);
    const warned = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(`labels.csv, line 12, as it was at commit ${broken.slice(0, 7)} cannot be read`);
    expect(warned[0]).toContain('left out of the list by commit');
  });

  it('a half-written line in the labels counted now: an error naming the file, the line and the commit', async () => {
    const since = await commit('Labels', rows(base));
    const head = await commit('Half-written', `${rows(base)}R7\n`);
    const error = await labelsChangedSince({ root, since }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'MONITOR_LABELS_UNREADABLE')).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`^labels\\.csv, line 12, as it was at commit ${head.slice(0, 7)} cannot be read: \\S`),
    );
    expect((error as Error).message.length).toBeLessThan(400);
  });
});
