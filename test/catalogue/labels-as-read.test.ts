import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { keepLabelsRead } from '../../pipeline/dataset/labels-as-read.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FixtureObject, writeFixture } from '../site/fixture.ts';

/*
 * The catalogue read labels.csv again after the dataset stage had read it: a line added while the run trained (a
 * colleague's edit, a git pull) moved every "Suggest a correction" line below it, so the catalogue's links pointed
 * at other objects' lines, beside labels from the older file. It reads the labels.csv the dataset stage read, as
 * lock.json records it (its md5): the file now, or the version at HEAD, when it is that one; else no line, said.
 */

const OBJECTS: FixtureObject[] = [
  { id: 'O-1', title: 'Coin', label: 'Monnaie', image: null },
  { id: 'O-2', title: 'Bowl', label: 'Céramique', image: null },
];
const READ = 'object_id,label\nO-1,Monnaie\nO-2,Céramique\n';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

async function repo({ committed }: { committed: boolean }) {
  const root = await tempDir('vitrine-labels-as-read-');
  await writeFixture({ root, objects: OBJECTS, labels: ['Céramique', 'Monnaie'], withMetrics: false });
  const ws = workspace(root);
  await writeFile(ws.labels, READ);
  if (committed) {
    await git.init({ fs, dir: root });
    await git.add({ fs, dir: root, filepath: 'labels.csv' });
    const author = { name: 'Curator', email: 'curator@example.org', timestamp: 1_700_000_000, timezoneOffset: 0 };
    await git.commit({ fs, dir: root, message: 'labels', author });
  }
  // What the dataset stage read, as it records it when it starts.
  const lock = { schema: 'vitrine.lock/1', stages: { dataset: { deps: { paths: { 'labels.csv': md5(READ) } } } } };
  await writeFile(ws.lock, JSON.stringify(lock));
  return ws;
}

async function build(ws: ReturnType<typeof workspace>) {
  const log = memoryLogger();
  const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log });
  const lineOf = (id: string) => catalogue.objects.find((o) => o.id === id)!.labelLine;
  return { lineOf, warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message) };
}

describe('the catalogue’s labels.csv lines are those of the file the dataset stage read', { timeout: 60_000 }, () => {
  it('unchanged since: its lines, nothing said', async () => {
    const ws = await repo({ committed: false });
    const { lineOf, warnings } = await build(ws);
    expect(lineOf('O-2')).toBe(3);
    expect(warnings.filter((w) => w.includes('labels.csv'))).toEqual([]);
  });

  it('a line added since, the version read committed: the lines of the version read (HEAD)', async () => {
    const ws = await repo({ committed: true });
    await writeFile(ws.labels, 'object_id,label\nO-0,Monnaie\nO-1,Monnaie\nO-2,Céramique\n');
    const { lineOf } = await build(ws);
    expect(lineOf('O-1')).toBe(2);
    expect(lineOf('O-2')).toBe(3);
  });

  it('a line added since, the version read nowhere else: no line, and it says why and what to run', async () => {
    const ws = await repo({ committed: false });
    await writeFile(ws.labels, 'object_id,label\nO-0,Monnaie\nO-1,Monnaie\nO-2,Céramique\n');
    const { lineOf, warnings } = await build(ws);
    expect(lineOf('O-2')).toBe(null);
    expect(warnings).toContainEqual(expect.stringContaining('labels.csv changed after the dataset stage read it'));
    expect(warnings).toContainEqual(expect.stringContaining('npx vitrine run'));
  });

  // A read-only reviewer: with no lines, a staff label outside the vocabulary was lost too, and the site published the
  // model's guess over it. That is read by object, not by line: it holds whatever lines the file has now.
  it('a line added since: a staff label outside the vocabulary is still shown, as the staff’s word', async () => {
    const ws = await repo({ committed: false });
    const file = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
    const o2 = dataset.objects.find((o) => o.id === 'O-2')!;
    o2.label = null;
    (o2 as { prediction?: unknown }).prediction = undefined;
    dataset.issues.push({
      code: 'LABEL_NOT_IN_VOCABULARY',
      message: 'labels.csv:3: "Smithsonian" is not one of the labels of this collection.',
      file: 'labels.csv',
      line: 3,
      object: 'O-2',
    });
    await writeFile(file, JSON.stringify(dataset));
    await writeFile(ws.labels, 'object_id,label\nO-0,Monnaie\nO-1,Monnaie\nO-2,Smithsonian\n');
    const log = memoryLogger();
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log });
    const object = catalogue.objects.find((o) => o.id === 'O-2')!;
    expect(object.label).toBe('Smithsonian');
    expect(object.labelLine).toBe(null);
  });

  // Task D6: the dataset stage keeps a copy of the bytes it read; the catalogue found the file read by lock.json’s md5
  // against labels.csv and HEAD only, so an uncommitted edit read by the run, saved again since, lost every line.
  it('a line added since, the version read uncommitted but kept by the dataset stage: the lines of that copy', async () => {
    const ws = await repo({ committed: false });
    await keepLabelsRead({ ws, bytes: Buffer.from(READ) });
    await writeFile(ws.labels, 'object_id,label\nO-0,Monnaie\nO-1,Monnaie\nO-2,Céramique\n');
    const { lineOf, warnings } = await build(ws);
    expect(lineOf('O-1')).toBe(2);
    expect(lineOf('O-2')).toBe(3);
    expect(warnings.filter((w) => w.includes('labels.csv'))).toEqual([]);
  });

  it('a copy kept by an earlier run, of another file: not taken; no line, said', async () => {
    const ws = await repo({ committed: false });
    await keepLabelsRead({ ws, bytes: Buffer.from('object_id,label\nO-2,Céramique\nO-1,Monnaie\n') });
    await writeFile(ws.labels, 'object_id,label\nO-0,Monnaie\nO-1,Monnaie\nO-2,Céramique\n');
    const { lineOf, warnings } = await build(ws);
    expect(lineOf('O-2')).toBe(null);
    expect(warnings).toContainEqual(expect.stringContaining('labels.csv changed after the dataset stage read it'));
  });
});
