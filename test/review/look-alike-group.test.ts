import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { type ReviewFile, renderReview, reviewFromOof } from '../../pipeline/review/index.ts';
import { conflictingGroups, conflictingPairs } from '../../pipeline/review/look-alike.ts';

/*
 * Three objects photographed alike (three photographs of one jug, or one placeholder photograph): two labelled
 * vessel, one print, each flagged with the other label. Paired two by two, the closest two were "a pair" and the
 * third was listed on its own as a plain suspect ("the model says print, 100%"), though what the model sees is one
 * group whose labels disagree. Now one entry: "these 3 objects have very similar photographs but different labels".
 * Four more share one photograph, two labelled each way: two pairs before, one group of four now.
 */

const dims = 12;
let state = 777;
const noise = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648 - 0.5;
};
const around = (axis: number, spread: number) =>
  Array.from({ length: dims }, (_, j) => (j === axis ? 1 : 0) + spread * noise());
const nudged = (v: number[], axis: number, by: number) => v.map((x, j) => x + (j === axis ? by : 0));

const objects: { id: string; label: string; p: number[]; v: number[] }[] = [];
for (let i = 0; i < 30; i++) objects.push({ id: `v${i}`, label: 'vessel', p: [0.95, 0.05], v: around(0, 0.6) });
for (let i = 0; i < 30; i++) objects.push({ id: `p${i}`, label: 'print', p: [0.05, 0.95], v: around(1, 0.6) });
// Three photographs of one jug: jug-a and jug-c labelled vessel, jug-b print; jug-b is closest to jug-a.
const jug = around(0, 0.3);
objects.push({ id: 'jug-a', label: 'vessel', p: [0.002, 0.998], v: jug });
objects.push({ id: 'jug-b', label: 'print', p: [0.997, 0.003], v: nudged(jug, 3, 0.001) });
objects.push({ id: 'jug-c', label: 'vessel', p: [0.003, 0.997], v: nudged(jug, 4, 0.003) });
// One placeholder photograph for four objects, two labelled each way.
const placeholder = around(2, 0.05);
for (const [id, label, p] of [
  ['ph-1', 'vessel', [0.004, 0.996]],
  ['ph-2', 'print', [0.996, 0.004]],
  ['ph-3', 'vessel', [0.005, 0.995]],
  ['ph-4', 'print', [0.995, 0.005]],
] as const)
  objects.push({ id, label, p: [...p], v: placeholder });
// A plain mistake: a print that looks like any vessel, alone.
objects.push({ id: 'lone', label: 'print', p: [0.99, 0.01], v: around(0, 0.6) });

const oof: OofFile = {
  schema: 'vitrine.oof/1',
  labels: ['vessel', 'print'],
  k: 5,
  seed: 42,
  objects: objects.map((o) => ({ id: o.id, label: o.label, split: 'train', fold: 0, probabilities: o.p })),
};
const vectors = new Map(objects.map((o) => [o.id, o.v]));

let ws: Workspace;
beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-look-alike-group-')));
  await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [vessel, print]\n');
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('three or more look-alikes with conflicting labels', () => {
  const review = reviewFromOof({ oof, vectors });
  const byId = new Map(review.items.map((i) => [i.id, i]));

  it('are one group: each member names the others, closest first; pairs stay mutual as before', () => {
    for (const id of ['jug-a', 'jug-b', 'jug-c', 'ph-1', 'ph-2', 'ph-3', 'ph-4'])
      expect(byId.get(id)?.reason, id).toBe('flagged');
    expect(byId.get('jug-c')!.lookAlikes!.map((o) => o.id)).toEqual(['jug-a', 'jug-b']);
    expect(byId.get('jug-b')!.lookAlikes!.map((o) => [o.id, o.label])).toEqual([
      ['jug-a', 'vessel'],
      ['jug-c', 'vessel'],
    ]);
    for (const o of byId.get('jug-a')!.lookAlikes!) expect(o.similarity).toBeGreaterThan(0.99);
    expect(new Set(byId.get('ph-1')!.lookAlikes!.map((o) => o.id))).toEqual(new Set(['ph-2', 'ph-3', 'ph-4']));
    // The closest conflicting two are still a pair (review.json's `lookAlike`, as lists before groups had it).
    expect(byId.get('jug-a')?.lookAlike?.id).toBe('jug-b');
    expect(byId.get('jug-b')?.lookAlike?.id).toBe('jug-a');
    expect(byId.get('jug-c')?.lookAlike).toBeUndefined();
    expect(byId.get('lone')?.lookAlikes).toBeUndefined();
    // The members of a group side by side in the list.
    const ids = review.items.map((i) => i.id);
    const at = ids.findIndex((id) => id.startsWith('jug-'));
    expect(new Set(ids.slice(at, at + 3))).toEqual(new Set(['jug-a', 'jug-b', 'jug-c']));
    const ph = ids.findIndex((id) => id.startsWith('ph-'));
    expect(new Set(ids.slice(ph, ph + 4))).toEqual(new Set(['ph-1', 'ph-2', 'ph-3', 'ph-4']));
  });

  it('are the connected conflicting look-alikes of conflictingPairs (index level)', () => {
    const at = (id: string) => objects.findIndex((o) => o.id === id);
    const input = {
      vectors: objects.map((o) => o.v),
      y: objects.map((o) => (o.label === 'vessel' ? 0 : 1)),
      flagged: new Map(
        ['jug-a', 'jug-b', 'jug-c', 'ph-1', 'ph-2', 'ph-3', 'ph-4', 'lone'].map((id) => [
          at(id),
          objects[at(id)]!.label === 'vessel' ? 1 : 0,
        ]),
      ),
    };
    const pairs = conflictingPairs(input);
    for (const [a, p] of pairs) expect(pairs.get(p.other)?.other).toBe(a);
    const groups = conflictingGroups(input);
    expect([...groups.keys()].sort((a, b) => a - b)).toEqual(
      ['jug-a', 'jug-b', 'jug-c', 'ph-1', 'ph-2', 'ph-3', 'ph-4'].map(at),
    );
    for (const [i, others] of groups)
      for (const { other } of others) expect(groups.get(other)!.map((o) => o.other)).toContain(i);
  });

  it('`vitrine review` lists each group as one entry, and --json keeps `lookAlike` and adds `lookAlikes`', async () => {
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(review));
    const run = async (args: string[]) => {
      let out = '';
      const code = await main(args, { cwd: ws.root, env: {}, stdout: (t) => (out += t), log: memoryLogger() });
      expect(code).toBe(0);
      return out;
    };
    const text = await run(['review']);
    expect(text).toContain(
      'These 3 objects have almost certainly the same photograph (or copies of it) but different labels: jug-a ' +
        'labelled vessel, jug-b labelled ' +
        'print and jug-c labelled vessel; at least one of the labels is probably wrong',
    );
    expect(text).toMatch(
      /These 4 objects have almost certainly the same photograph \(or copies of it\) but different labels: ph-\d/,
    );
    expect(text).not.toMatch(/jug-\w+ .*the model says|jug-a labelled vessel, and jug-b/);
    expect(text).toMatch(/lone +labelled print, the model says vessel/);
    expect(text).toContain('"look-alikes": two or more objects whose photographs are alike');
    expect(text).toBe(renderReview({ review }));
    const json = JSON.parse(await run(['review', '--json'])) as ReviewFile;
    const jug = json.items.find((i) => i.id === 'jug-a')!;
    expect(jug.lookAlike).toMatchObject({ id: 'jug-b', label: 'print' });
    expect(jug.lookAlikes?.map((o) => o.id)).toEqual(['jug-b', 'jug-c']);
  });
});
